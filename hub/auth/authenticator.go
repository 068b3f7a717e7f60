package auth

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Config configures an Authenticator. Each way of authenticating is off
// until configured; with the zero Config every request is refused.
type Config struct {
	// TokensFile is the path of the tokens file (see TokensFile): API
	// tokens and client certificate mappings. Empty: neither is accepted.
	TokensFile string
	// OIDC, when not nil, accepts bearer tokens signed by an OIDC issuer.
	OIDC *OIDCConfig
	// Now tells the time for the tokens file and, unless OIDC.Now is
	// set, for OIDC; time.Now when nil.
	Now func() time.Time
}

// Authenticator decides who made a request. It is safe for concurrent
// use.
type Authenticator struct {
	tokens *Tokens // nil without a tokens file
	oidc   *OIDC   // nil without OIDC
}

// New loads the tokens file and prepares OIDC verification; it does not
// contact the issuer (see OIDC.Ready).
func New(cfg Config) (*Authenticator, error) {
	a := &Authenticator{}
	if cfg.TokensFile != "" {
		t, err := LoadTokens(cfg.TokensFile, cfg.Now)
		if err != nil {
			return nil, err
		}
		a.tokens = t
	}
	if cfg.OIDC != nil {
		oc := *cfg.OIDC
		if oc.Now == nil {
			oc.Now = cfg.Now
		}
		o, err := NewOIDC(oc)
		if err != nil {
			return nil, err
		}
		a.oidc = o
	}
	return a, nil
}

// Reload rereads the tokens file; on error the entries loaded before stay
// in force. Without a tokens file it does nothing.
func (a *Authenticator) Reload() error {
	if a.tokens == nil {
		return nil
	}
	return a.tokens.Reload()
}

// Ready reports whether every configured way of authenticating works: for
// now, whether the OIDC issuer's discovery document has been fetched.
func (a *Authenticator) Ready(ctx context.Context) error {
	if a.oidc == nil {
		return nil
	}
	return a.oidc.Ready(ctx)
}

// maxBearer bounds the bearer token Authenticate will look at, so that
// a huge header costs nothing to refuse. Real OIDC tokens are a few KiB.
const maxBearer = 16 << 10

// Authenticate returns the identity that made r:
//   - a bearer token starting with TokenPrefix is looked up in the tokens
//     file;
//   - any other bearer token is verified as an OIDC token;
//   - with no Authorization header, a client certificate that TLS
//     verified against the client CA is looked up in the tokens file.
//
// A request whose bearer token fails is refused even if it also carries a
// good certificate: the client chose what to present. Errors wrap one of
// this package's sentinels; none quotes a token. Show clients only a
// fixed message such as "unauthorized" and log the error.
func (a *Authenticator) Authenticate(r *http.Request) (Identity, error) {
	values := r.Header.Values("Authorization")
	switch len(values) {
	case 0:
		return a.clientCert(r)
	case 1:
	default:
		return Identity{}, fmt.Errorf("%w: %d Authorization headers", ErrInvalidToken, len(values))
	}
	token, err := bearerToken(values[0])
	if err != nil {
		return Identity{}, err
	}
	if strings.HasPrefix(token, TokenPrefix) {
		if a.tokens == nil {
			return Identity{}, fmt.Errorf("%w: API token, but no tokens file is configured", ErrInvalidToken)
		}
		if len(token) != tokenLen {
			return Identity{}, fmt.Errorf("%w: API token of the wrong length", ErrInvalidToken)
		}
		return a.tokens.Lookup(token)
	}
	if a.oidc == nil {
		return Identity{}, fmt.Errorf("%w: bearer token is not an API token, and OIDC is not configured", ErrInvalidToken)
	}
	return a.oidc.Verify(r.Context(), token)
}

// bearerToken reads an "Authorization: Bearer <token>" header; the scheme
// is case-insensitive (RFC 9110, section 11.1).
func bearerToken(header string) (string, error) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", fmt.Errorf("%w: Authorization header is not a bearer token", ErrInvalidToken)
	}
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return "", fmt.Errorf("%w: empty bearer token", ErrInvalidToken)
	case len(token) > maxBearer:
		return "", fmt.Errorf("%w: bearer token longer than %d bytes", ErrInvalidToken, maxBearer)
	}
	return token, nil
}

func (a *Authenticator) clientCert(r *http.Request) (Identity, error) {
	// VerifiedChains is set only when the certificate chains to the client
	// CA; PeerCertificates alone may be anything the client sent.
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return Identity{}, ErrNoCredentials
	}
	if a.tokens == nil {
		return Identity{}, fmt.Errorf("%w: client certificate, but no tokens file maps certificates", ErrUnknownClient)
	}
	return a.tokens.LookupCert(r.TLS.VerifiedChains[0][0])
}
