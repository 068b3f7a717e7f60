package auth

import "errors"

// The reasons Authenticate refuses a request. Callers branch on them with
// errors.Is to choose what to log; a client is only ever told
// "unauthorized", whatever the reason.
var (
	// ErrNoCredentials: the request carries neither a bearer token nor a
	// verified client certificate.
	ErrNoCredentials = errors.New("no credentials")
	// ErrInvalidToken: the credential is malformed, unknown, not signed
	// by a trusted key, signed with an algorithm that is not allowed, or
	// not yet valid.
	ErrInvalidToken = errors.New("invalid token")
	// ErrExpired: the token, its file entry or the client mapping has
	// expired.
	ErrExpired = errors.New("credential expired")
	// ErrWrongIssuer: a signed token names an issuer other than the
	// configured one.
	ErrWrongIssuer = errors.New("token from another issuer")
	// ErrWrongAudience: a signed token was not issued for this hub.
	ErrWrongAudience = errors.New("token for another audience")
	// ErrInvalidClaims: a signed token's claims have the wrong shape,
	// such as roles that are not an array of strings or no subject.
	ErrInvalidClaims = errors.New("invalid claims")
	// ErrNoRole: a signed token carries none of the roles the hub knows.
	ErrNoRole = errors.New("no known role")
	// ErrUnknownClient: a verified client certificate is not mapped to
	// an identity in the tokens file.
	ErrUnknownClient = errors.New("client certificate not mapped")
	// ErrIssuerUnavailable: the OIDC issuer's discovery document could
	// not be fetched yet, so no OIDC token can be verified.
	ErrIssuerUnavailable = errors.New("OIDC issuer unavailable")
)
