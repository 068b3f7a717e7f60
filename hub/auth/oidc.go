package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// OIDCConfig configures the verification of bearer tokens signed by an
// OpenID Connect issuer. IssuerURL and Audience are required; the zero
// value of every other field works.
type OIDCConfig struct {
	// IssuerURL is the issuer, exactly as its tokens' "iss" claim spells
	// it. It must be https, except on a loopback address.
	IssuerURL string
	// Audience is the hub's client id, which a token's "aud" claim must
	// hold.
	Audience string
	// The claims that carry the roles (an array of strings; default
	// "roles"), clearance (default "clearance"), unit (default "unit")
	// and partner id (default "partner"). Each is a top-level claim.
	RolesClaim     string
	ClearanceClaim string
	UnitClaim      string
	PartnerClaim   string
	// Algorithms allowed to sign tokens; by default RS256, ES256 and
	// EdDSA. Only asymmetric algorithms can be allowed.
	Algorithms []string
	// ClockSkew is how far the issuer's clock may be from the hub's: a
	// token is accepted that long after it expires and before its "nbf".
	// Zero tolerates no difference.
	ClockSkew time.Duration
	// RetryInterval is the least time between two attempts to fetch the
	// issuer's discovery document while it cannot be fetched, and between
	// two fetches of its key set when tokens name keys it does not hold;
	// 10 seconds when zero.
	RetryInterval time.Duration
	// Now tells the time; time.Now when nil.
	Now func() time.Time
	// HTTPClient fetches the discovery document and the keys. When nil, a
	// client with a 10-second timeout. Either way, responses larger than
	// 1 MiB are cut off.
	HTTPClient *http.Client
}

// Defaults of OIDCConfig.
const (
	DefaultRolesClaim     = "roles"
	DefaultClearanceClaim = "clearance"
	DefaultUnitClaim      = "unit"
	DefaultPartnerClaim   = "partner"
)

var (
	defaultAlgorithms = []string{oidc.RS256, oidc.ES256, oidc.EdDSA}
	// asymmetricAlgorithms are those go-oidc verifies with a public key;
	// "none" and the HMAC algorithms are not among them.
	asymmetricAlgorithms = []string{oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512,
		oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA}
)

const (
	defaultRetryInterval = 10 * time.Second
	defaultHTTPTimeout   = 10 * time.Second
	maxIssuerResponse    = 1 << 20
)

// OIDC verifies bearer tokens signed by an OpenID Connect issuer. It finds
// the issuer's keys through discovery, lazily: the hub starts while the
// issuer is down, Ready reports the issuer unavailable, and each call
// tries discovery again once RetryInterval has passed since the last
// attempt. It is safe for concurrent use.
type OIDC struct {
	cfg    OIDCConfig
	client *http.Client

	// sem admits one discovery attempt at a time; waiting for it honours
	// the caller's context.
	sem chan struct{}

	mu       sync.Mutex // guards the fields below
	verifier *oidc.IDTokenVerifier
	lastTry  time.Time
	lastErr  error
}

// NewOIDC checks cfg and returns a verifier. It does not contact the
// issuer.
func NewOIDC(cfg OIDCConfig) (*OIDC, error) {
	if err := checkIssuerURL(cfg.IssuerURL); err != nil {
		return nil, fmt.Errorf("oidc: %w", err)
	}
	if cfg.Audience == "" {
		return nil, errors.New("oidc: an audience (the hub's client id) is required")
	}
	if len(cfg.Algorithms) == 0 {
		cfg.Algorithms = defaultAlgorithms
	}
	for _, alg := range cfg.Algorithms {
		if !slices.Contains(asymmetricAlgorithms, alg) {
			return nil, fmt.Errorf("oidc: algorithm %q is not allowed (allowed: %v)", alg, asymmetricAlgorithms)
		}
	}
	cfg.Algorithms = slices.Clone(cfg.Algorithms)
	if cfg.ClockSkew < 0 {
		return nil, errors.New("oidc: negative clock skew")
	}
	cfg.RolesClaim = cmpOr(cfg.RolesClaim, DefaultRolesClaim)
	cfg.ClearanceClaim = cmpOr(cfg.ClearanceClaim, DefaultClearanceClaim)
	cfg.UnitClaim = cmpOr(cfg.UnitClaim, DefaultUnitClaim)
	cfg.PartnerClaim = cmpOr(cfg.PartnerClaim, DefaultPartnerClaim)
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = defaultRetryInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &OIDC{cfg: cfg, client: limitedClient(cfg.HTTPClient), sem: make(chan struct{}, 1)}, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkIssuerURL refuses an issuer whose keys could be swapped in
// transit: plain http is allowed on loopback only, for tests and
// development.
func checkIssuerURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("invalid URL %q", s)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
		return fmt.Errorf("URL %q: plain http is allowed on loopback only", s)
	default:
		return fmt.Errorf("URL %q: want https", s)
	}
}

// Ready reports whether the issuer's discovery document has been fetched,
// trying again if RetryInterval has passed since the last attempt. An
// error wraps ErrIssuerUnavailable.
func (o *OIDC) Ready(ctx context.Context) error {
	_, err := o.discover(ctx)
	return err
}

// discover returns the verifier, fetching the discovery document first if
// that has not succeeded yet.
func (o *OIDC) discover(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	if v, err := o.cached(); v != nil || err != nil {
		return v, err
	}
	select {
	case o.sem <- struct{}{}:
		defer func() { <-o.sem }()
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %w", ErrIssuerUnavailable, ctx.Err())
	}
	// Another caller may have finished an attempt while this one waited.
	if v, err := o.cached(); v != nil || err != nil {
		return v, err
	}
	start := o.cfg.Now()
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, o.client), defaultHTTPTimeout)
	defer cancel()
	p, err := oidc.NewProvider(dctx, o.cfg.IssuerURL)
	if err != nil && ctx.Err() != nil {
		// The caller gave up; that says nothing about the issuer.
		return nil, fmt.Errorf("%w: %w", ErrIssuerUnavailable, ctx.Err())
	}
	var jwksURL string
	if err == nil {
		jwksURL, err = keySetURL(p)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lastTry, o.lastErr = start, err
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrIssuerUnavailable, o.cfg.IssuerURL, err)
	}
	keys := newKeySet(jwksURL, o.client, o.cfg.Now, o.cfg.RetryInterval)
	// The issuer and audience checks are skipped here only because
	// Verify makes them itself, to tell the two refusals apart; go-oidc
	// checks the algorithm, the signature (with keys) and the expiry.
	o.verifier = oidc.NewVerifier(o.cfg.IssuerURL, keys, &oidc.Config{
		ClientID:             o.cfg.Audience,
		SupportedSigningAlgs: o.cfg.Algorithms,
		SkipClientIDCheck:    true,
		SkipIssuerCheck:      true,
		Now:                  func() time.Time { return o.cfg.Now().Add(-o.cfg.ClockSkew) },
	})
	return o.verifier, nil
}

// keySetURL reads the discovery document's jwks_uri, which must be as
// safe from tampering as the issuer URL.
func keySetURL(p *oidc.Provider) (string, error) {
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := p.Claims(&doc); err != nil {
		return "", err
	}
	if err := checkIssuerURL(doc.JWKSURI); err != nil {
		return "", fmt.Errorf("jwks_uri: %w", err)
	}
	return doc.JWKSURI, nil
}

// cached returns the verifier if discovery succeeded, an error if the
// last attempt failed less than RetryInterval ago, and neither if it is
// time to try.
func (o *OIDC) cached() (*oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.verifier != nil {
		return o.verifier, nil
	}
	if o.lastErr != nil && o.cfg.Now().Sub(o.lastTry) < o.cfg.RetryInterval {
		return nil, fmt.Errorf("%w: %s: %v (next attempt after %s)", ErrIssuerUnavailable, o.cfg.IssuerURL, o.lastErr,
			o.lastTry.Add(o.cfg.RetryInterval).Format(time.RFC3339))
	}
	return nil, nil
}

// Verify checks a bearer token's signature, algorithm, issuer, audience,
// expiry and "nbf", then reads the identity from its claims. Roles the
// hub does not know are ignored; a token with none it knows is refused
// (ErrNoRole), as is one whose roles claim is not an array of strings
// (ErrInvalidClaims).
func (o *OIDC) Verify(ctx context.Context, raw string) (Identity, error) {
	v, err := o.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := v.Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			if expired.Expiry.IsZero() {
				return Identity{}, fmt.Errorf("%w: no exp claim", ErrInvalidClaims)
			}
			return Identity{}, fmt.Errorf("%w: OIDC token expired at %s", ErrExpired, expired.Expiry.UTC().Format(time.RFC3339))
		}
		// go-oidc's message says why without quoting the token.
		return Identity{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if tok.Issuer != o.cfg.IssuerURL {
		return Identity{}, fmt.Errorf("%w: %q", ErrWrongIssuer, tok.Issuer)
	}
	if !slices.Contains(tok.Audience, o.cfg.Audience) {
		return Identity{}, fmt.Errorf("%w: %q", ErrWrongAudience, tok.Audience)
	}
	var claims map[string]json.RawMessage
	if err := tok.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrInvalidClaims, err)
	}
	if err := o.checkNotBefore(claims); err != nil {
		return Identity{}, err
	}
	id, err := o.identity(tok.Subject, claims)
	if err != nil {
		return Identity{}, err
	}
	id.Expires = tok.Expiry
	return id, nil
}

// checkNotBefore applies the configured skew to "nbf": go-oidc allows a
// fixed five minutes.
func (o *OIDC) checkNotBefore(claims map[string]json.RawMessage) error {
	raw, ok := claims["nbf"]
	if !ok {
		return nil
	}
	var nbf float64
	// Beyond 1e11 (year 5138), int64 conversion is no longer exact.
	if err := json.Unmarshal(raw, &nbf); err != nil || nbf < 0 || nbf > 1e11 {
		return fmt.Errorf("%w: nbf is not a time", ErrInvalidClaims)
	}
	notBefore := time.Unix(int64(nbf), 0)
	if o.cfg.Now().Add(o.cfg.ClockSkew).Before(notBefore) {
		return fmt.Errorf("%w: OIDC token not valid before %s", ErrInvalidToken, notBefore.UTC().Format(time.RFC3339))
	}
	return nil
}

// identity reads the claims the hub's policy needs, strictly: a claim
// that is present must have the expected type.
func (o *OIDC) identity(subject string, claims map[string]json.RawMessage) (Identity, error) {
	if err := checkPrintable("subject", subject, maxSubject); err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrInvalidClaims, err)
	}
	var all []string
	if raw, ok := claims[o.cfg.RolesClaim]; ok {
		if err := json.Unmarshal(raw, &all); err != nil {
			return Identity{}, fmt.Errorf("%w: %s is not an array of strings", ErrInvalidClaims, o.cfg.RolesClaim)
		}
	}
	var roles []string
	for _, r := range all {
		if knownRole(r) && !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	if len(roles) == 0 {
		return Identity{}, fmt.Errorf("%w: subject %q has none in claim %s", ErrNoRole, subject, o.cfg.RolesClaim)
	}
	var str [3]string
	for i, name := range []string{o.cfg.ClearanceClaim, o.cfg.UnitClaim, o.cfg.PartnerClaim} {
		raw, ok := claims[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, &str[i]); err != nil {
			return Identity{}, fmt.Errorf("%w: %s is not a string", ErrInvalidClaims, name)
		}
	}
	clearance, unit, partner := str[0], str[1], str[2]
	if err := checkGrant(roles, clearance, unit, partner); err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrInvalidClaims, err)
	}
	return Identity{
		Kind:        KindOIDC,
		Subject:     subject,
		Issuer:      o.cfg.IssuerURL,
		Name:        subject,
		Fingerprint: subjectFingerprint(KindOIDC, o.cfg.IssuerURL, subject),
		Roles:       roles,
		Clearance:   clearance,
		Unit:        unit,
		Partner:     partner,
	}, nil
}
