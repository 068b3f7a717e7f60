package auth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/auth/authtest"
)

// newOIDC returns a verifier for iss on clk with modify applied to its
// configuration.
func newOIDC(t *testing.T, iss *authtest.Issuer, clk *clock, modify ...func(*auth.OIDCConfig)) *auth.OIDC {
	t.Helper()
	cfg := auth.OIDCConfig{IssuerURL: iss.URL, Audience: authtest.Audience, Now: clk.Now}
	for _, m := range modify {
		m(&cfg)
	}
	o, err := auth.NewOIDC(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// A token signed with each allowed algorithm yields the identity its
// claims describe.
func TestOIDCValid(t *testing.T) {
	iss := authtest.NewIssuer(t)
	clk := newClock()
	o := newOIDC(t, iss, clk)
	keys := map[string]*authtest.Key{}
	for _, alg := range []string{"RS256", "ES256", "EdDSA"} {
		keys[alg] = authtest.NewKey(t, alg)
		iss.Publish(keys[alg])
	}
	for _, alg := range []string{"RS256", "ES256", "EdDSA"} {
		t.Run(alg, func(t *testing.T) {
			k := keys[alg]
			c := iss.Claims("alice@rapporteur.example", t0, "analyst", "head_of_unit")
			c["clearance"] = "restricted"
			c["unit"] = "analysis"
			id, err := o.Verify(context.Background(), k.Sign(t, c))
			if err != nil {
				t.Fatal(err)
			}
			if id.Kind != auth.KindOIDC || id.Subject != "alice@rapporteur.example" || id.Issuer != iss.URL ||
				id.Name != id.Subject || id.Clearance != "restricted" || id.Unit != "analysis" || id.Partner != "" {
				t.Fatalf("identity %+v", id)
			}
			if !slices.Equal(id.Roles, []string{"analyst", "head_of_unit"}) || id.Scopes != nil || id.Datasets != nil {
				t.Fatalf("roles %v scopes %v datasets %v", id.Roles, id.Scopes, id.Datasets)
			}
			if !id.Expires.Equal(t0.Add(5 * time.Minute)) {
				t.Fatalf("expires %v", id.Expires)
			}
			if len(id.Fingerprint) != 12 || strings.Contains(id.Fingerprint, "alice") {
				t.Fatalf("fingerprint %q", id.Fingerprint)
			}
		})
	}
}

// sign makes a JWS with any header, for algorithms go-jose and jwx refuse
// to sign with.
func sign(header, claims map[string]any, sig func(signingInput string) []byte) string {
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	return input + "." + base64.RawURLEncoding.EncodeToString(sig(input))
}

// Each token an attacker or a misconfigured issuer could present is
// refused with the reason the log should show, and the error never
// quotes the token.
func TestOIDCRefused(t *testing.T) {
	iss := authtest.NewIssuer(t)
	clk := newClock()
	o := newOIDC(t, iss, clk, func(c *auth.OIDCConfig) { c.ClockSkew = 30 * time.Second })
	valid := func() map[string]any { return iss.Claims("alice", t0, "analyst") }
	with := func(name string, v any) map[string]any {
		c := valid()
		if v == nil {
			delete(c, name)
		} else {
			c[name] = v
		}
		return c
	}
	issue := func(c map[string]any) string { return iss.Issue(c) }

	tampered := func() string {
		parts := strings.Split(issue(valid()), ".")
		c := valid()
		c["roles"] = []string{"security_officer"}
		b, _ := json.Marshal(c)
		parts[1] = base64.RawURLEncoding.EncodeToString(b)
		return strings.Join(parts, ".")
	}
	unpublished := authtest.NewKey(t, "RS256")
	impostor := authtest.NewKey(t, "RS256").WithKeyID(t, iss.Key().KeyID())
	es256 := authtest.NewKey(t, "ES256")
	iss.Publish(es256)
	hdr := map[string]any{"alg": "none", "typ": "JWT", "kid": iss.Key().KeyID()}
	none := sign(hdr, valid(), func(string) []byte { return nil })
	hs256 := sign(map[string]any{"alg": "HS256", "typ": "JWT", "kid": iss.Key().KeyID()}, valid(), func(in string) []byte {
		// The classic confusion: the public key used as an HMAC secret.
		m := hmac.New(sha256.New, []byte(iss.URL+"/jwks"))
		m.Write([]byte(in))
		return m.Sum(nil)
	})

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"expired", issue(with("exp", t0.Add(-31*time.Second).Unix())), auth.ErrExpired},
		{"expired within skew", issue(with("exp", t0.Add(-29*time.Second).Unix())), nil},
		{"no exp", issue(with("exp", nil)), auth.ErrInvalidClaims},
		{"other audience", issue(with("aud", "another-client")), auth.ErrWrongAudience},
		{"audiences including the hub", issue(with("aud", []string{"another-client", authtest.Audience})), nil},
		{"no audience", issue(with("aud", nil)), auth.ErrWrongAudience},
		{"other issuer", issue(with("iss", "https://evil.example")), auth.ErrWrongIssuer},
		{"issuer with trailing slash", issue(with("iss", iss.URL+"/")), auth.ErrWrongIssuer},
		{"tampered payload", tampered(), auth.ErrInvalidToken},
		{"unpublished key", unpublished.Sign(t, valid()), auth.ErrInvalidToken},
		{"other key under the issuer's kid", impostor.Sign(t, valid()), auth.ErrInvalidToken},
		{"alg none", none, auth.ErrInvalidToken},
		{"alg none without signature", strings.TrimSuffix(none, "."), auth.ErrInvalidToken},
		{"HS256", hs256, auth.ErrInvalidToken},
		{"ES256 allowed", es256.Sign(t, valid()), nil},
		{"not yet valid", issue(with("nbf", t0.Add(31*time.Second).Unix())), auth.ErrInvalidToken},
		{"nbf within skew", issue(with("nbf", t0.Add(29*time.Second).Unix())), nil},
		{"nbf not a number", issue(with("nbf", "soon")), auth.ErrInvalidToken},
		{"roles a string", issue(with("roles", "analyst")), auth.ErrInvalidClaims},
		{"roles with a number", issue(with("roles", []any{"analyst", 7})), auth.ErrInvalidClaims},
		{"roles an object", issue(with("roles", map[string]any{"analyst": true})), auth.ErrInvalidClaims},
		{"unknown roles only", issue(with("roles", []string{"offline_access", "admin"})), auth.ErrNoRole},
		{"no roles claim", issue(with("roles", nil)), auth.ErrNoRole},
		{"empty roles", issue(with("roles", []string{})), auth.ErrNoRole},
		{"clearance a number", issue(with("clearance", 3)), auth.ErrInvalidClaims},
		{"unit with spaces", issue(with("unit", "a unit\nforged log line")), auth.ErrInvalidClaims},
		{"partner role without partner", issue(with("roles", []string{"partner"})), auth.ErrInvalidClaims},
		{"no subject", issue(with("sub", nil)), auth.ErrInvalidClaims},
		{"subject with a newline", issue(with("sub", "alice\nlevel=ERROR")), auth.ErrInvalidClaims},
		{"subject too long", issue(with("sub", strings.Repeat("a", 256))), auth.ErrInvalidClaims},
		{"not a JWT", "not.a.token", auth.ErrInvalidToken},
		{"two parts", "eyJhbGciOiJSUzI1NiJ9.e30", auth.ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := o.Verify(context.Background(), tt.token)
			wantErr(t, err, tt.want)
			if err != nil {
				notContains(t, err.Error(), tt.token)
				if parts := strings.Split(tt.token, "."); len(parts) == 3 && len(parts[2]) > 16 {
					notContains(t, err.Error(), parts[2])
				}
				if id.Kind != "" || id.Roles != nil {
					t.Fatalf("refused, yet identity %+v", id)
				}
			}
		})
	}
}

// An algorithm the configuration leaves out is refused even when the
// issuer publishes a key for it.
func TestOIDCAlgorithms(t *testing.T) {
	iss := authtest.NewIssuer(t)
	es := authtest.NewKey(t, "ES256")
	iss.Publish(es)
	o := newOIDC(t, iss, newClock(), func(c *auth.OIDCConfig) { c.Algorithms = []string{"RS256"} })
	_, err := o.Verify(context.Background(), es.Sign(t, iss.Claims("alice", t0, "analyst")))
	wantErr(t, err, auth.ErrInvalidToken)
	_, err = o.Verify(context.Background(), iss.Issue(iss.Claims("alice", t0, "analyst")))
	wantErr(t, err, nil)
}

// Unknown roles are dropped, duplicates folded, and the claims can have
// other names.
func TestOIDCClaims(t *testing.T) {
	iss := authtest.NewIssuer(t)
	clk := newClock()
	o := newOIDC(t, iss, clk, func(c *auth.OIDCConfig) {
		c.RolesClaim, c.ClearanceClaim, c.UnitClaim, c.PartnerClaim = "thbx_roles", "thbx_clearance", "department", "org"
	})
	c := iss.Claims("p-1", t0)
	c["thbx_roles"] = []string{"offline_access", "partner", "partner", "uma_authorization"}
	c["roles"] = []string{"security_officer"} // not the configured claim
	c["org"] = "ngo-la-strada"
	c["department"] = "outreach"
	c["thbx_clearance"] = "standard"
	id, err := o.Verify(context.Background(), iss.Issue(c))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(id.Roles, []string{"partner"}) || id.Partner != "ngo-la-strada" || id.Unit != "outreach" || id.Clearance != "standard" {
		t.Fatalf("identity %+v", id)
	}
	if id.HasRole(auth.RoleSecurityOfficer) || !id.HasRole(auth.RolePartner) {
		t.Fatal("HasRole")
	}
}

// The hub starts while the issuer is down; tokens are refused as
// ErrIssuerUnavailable, discovery is not retried before RetryInterval,
// and once the issuer is back tokens are accepted.
func TestOIDCIssuerDownAtStart(t *testing.T) {
	iss := authtest.NewIssuer(t)
	iss.SetDown(true)
	clk := newClock()
	o := newOIDC(t, iss, clk, func(c *auth.OIDCConfig) { c.RetryInterval = time.Minute })
	ctx := context.Background()
	token := iss.Issue(iss.Claims("alice", t0.Add(2*time.Minute), "analyst"))

	wantErr(t, o.Ready(ctx), auth.ErrIssuerUnavailable)
	_, err := o.Verify(ctx, token)
	wantErr(t, err, auth.ErrIssuerUnavailable)
	if d, _ := iss.Requests(); d != 0 { // 503s are not counted
		t.Fatalf("%d discoveries served while down", d)
	}

	iss.SetDown(false)
	clk.Advance(59 * time.Second)
	_, err = o.Verify(ctx, token)
	wantErr(t, err, auth.ErrIssuerUnavailable) // too early to retry
	if d, _ := iss.Requests(); d != 0 {
		t.Fatalf("discovery retried before RetryInterval")
	}

	clk.Advance(2 * time.Second)
	wantErr(t, o.Ready(ctx), nil)
	id, err := o.Verify(ctx, token)
	wantErr(t, err, nil)
	if id.Subject != "alice" {
		t.Fatalf("identity %+v", id)
	}
	if d, _ := iss.Requests(); d != 1 {
		t.Fatalf("%d discoveries, want 1", d)
	}
	// Discovery is done once; an issuer down later does not unready
	// the hub, and cached keys still verify.
	iss.SetDown(true)
	wantErr(t, o.Ready(ctx), nil)
	_, err = o.Verify(ctx, token)
	wantErr(t, err, nil)
}

// An issuer that does not answer at all, or answers for another issuer,
// or sends an endless document, is unavailable.
func TestOIDCIssuerUnavailable(t *testing.T) {
	ctx := context.Background()
	t.Run("closed", func(t *testing.T) {
		iss := authtest.NewIssuer(t)
		iss.Close()
		wantErr(t, newOIDC(t, iss, newClock()).Ready(ctx), auth.ErrIssuerUnavailable)
	})
	t.Run("mismatched issuer", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"issuer":"https://evil.example","jwks_uri":"https://evil.example/jwks"}`))
		}))
		defer srv.Close()
		o, err := auth.NewOIDC(auth.OIDCConfig{IssuerURL: srv.URL, Audience: "hub"})
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, o.Ready(ctx), auth.ErrIssuerUnavailable)
	})
	t.Run("huge document", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"issuer":"` + "http://" + r.Host + `","x":"`))
			chunk := []byte(strings.Repeat("a", 64<<10))
			for range 32 { // 2 MiB
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			w.Write([]byte(`"}`))
		}))
		defer srv.Close()
		o, err := auth.NewOIDC(auth.OIDCConfig{IssuerURL: srv.URL, Audience: "hub"})
		if err != nil {
			t.Fatal(err)
		}
		err = o.Ready(ctx)
		wantErr(t, err, auth.ErrIssuerUnavailable)
		if !strings.Contains(err.Error(), "too large") {
			t.Fatalf("error %v, want the size named", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		iss := authtest.NewIssuer(t)
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		o := newOIDC(t, iss, newClock())
		wantErr(t, o.Ready(ctx), auth.ErrIssuerUnavailable)
		// A caller giving up does not count as a failed attempt.
		wantErr(t, o.Ready(context.Background()), nil)
	})
}

// After the issuer rotates its key, tokens signed with the new key are
// accepted: an unknown kid makes the verifier fetch the key set again,
// but not sooner than RetryInterval after the last fetch.
func TestOIDCKeyRotation(t *testing.T) {
	iss := authtest.NewIssuer(t)
	clk := newClock()
	o := newOIDC(t, iss, clk, func(c *auth.OIDCConfig) { c.RetryInterval = 10 * time.Second })
	ctx := context.Background()
	if _, err := o.Verify(ctx, iss.Issue(iss.Claims("alice", t0, "analyst"))); err != nil {
		t.Fatal(err)
	}
	iss.Rotate(authtest.NewKey(t, "EdDSA"))
	token := iss.Issue(iss.Claims("alice", t0, "analyst"))
	clk.Advance(9 * time.Second)
	_, err := o.Verify(ctx, token)
	wantErr(t, err, auth.ErrInvalidToken)
	if _, k := iss.Requests(); k != 1 {
		t.Fatalf("%d key set fetches within RetryInterval, want 1", k)
	}
	clk.Advance(time.Second)
	if _, err := o.Verify(ctx, token); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if _, k := iss.Requests(); k != 2 {
		t.Fatalf("%d key set fetches, want 2", k)
	}
}

// A key the issuer withdraws stops verifying once the cached key set is
// older than the maximum age (15 minutes), and an issuer down at that
// moment does not lock out the keys fetched before.
func TestOIDCKeyWithdrawn(t *testing.T) {
	iss := authtest.NewIssuer(t)
	clk := newClock()
	o := newOIDC(t, iss, clk)
	ctx := context.Background()
	old := iss.Key()
	if _, err := o.Verify(ctx, iss.Issue(iss.Claims("alice", t0, "analyst"))); err != nil {
		t.Fatal(err)
	}
	iss.SetDown(true)
	clk.Advance(16 * time.Minute)
	if _, err := o.Verify(ctx, iss.Issue(iss.Claims("alice", clk.Now(), "analyst"))); err != nil {
		t.Fatalf("with the issuer down, cached keys stopped working: %v", err)
	}
	iss.SetDown(false)
	iss.Rotate(authtest.NewKey(t, "ES256"))
	iss.Withdraw(old)
	clk.Advance(time.Minute) // past RetryInterval since the failed fetch
	_, err := o.Verify(ctx, old.Sign(t, iss.Claims("alice", clk.Now(), "analyst")))
	wantErr(t, err, auth.ErrInvalidToken)
	if _, err := o.Verify(ctx, iss.Issue(iss.Claims("alice", clk.Now(), "analyst"))); err != nil {
		t.Fatal(err)
	}
}

// Tokens naming keys the issuer never published cannot make the hub fetch
// the key set more than once per RetryInterval, and do not stop known
// keys from working.
func TestOIDCUnknownKeyIDFlood(t *testing.T) {
	iss := authtest.NewIssuer(t)
	clk := newClock()
	o := newOIDC(t, iss, clk)
	ctx := context.Background()
	good := iss.Issue(iss.Claims("alice", t0, "analyst"))
	if _, err := o.Verify(ctx, good); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		k := authtest.NewKey(t, "ES256")
		_, err := o.Verify(ctx, k.Sign(t, iss.Claims("mallory", t0, "security_officer")))
		wantErr(t, err, auth.ErrInvalidToken)
		if i%10 == 9 {
			clk.Advance(time.Second)
		}
	}
	if _, k := iss.Requests(); k != 1 {
		t.Fatalf("%d key set fetches in 5 s, want 1", k)
	}
	if _, err := o.Verify(ctx, good); err != nil {
		t.Fatal(err)
	}
}

// Concurrent verifications share one discovery.
func TestOIDCConcurrent(t *testing.T) {
	iss := authtest.NewIssuer(t)
	o := newOIDC(t, iss, newClock())
	token := iss.Issue(iss.Claims("alice", t0, "analyst"))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			_, err := o.Verify(context.Background(), token)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if d, _ := iss.Requests(); d != 1 {
		t.Fatalf("%d discoveries, want 1", d)
	}
}

func TestNewOIDCRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  auth.OIDCConfig
	}{
		{"no issuer", auth.OIDCConfig{Audience: "hub"}},
		{"plain http", auth.OIDCConfig{IssuerURL: "http://idp.example", Audience: "hub"}},
		{"other scheme", auth.OIDCConfig{IssuerURL: "ftp://idp.example", Audience: "hub"}},
		{"query", auth.OIDCConfig{IssuerURL: "https://idp.example/?realm=x", Audience: "hub"}},
		{"no audience", auth.OIDCConfig{IssuerURL: "https://idp.example"}},
		{"HS256", auth.OIDCConfig{IssuerURL: "https://idp.example", Audience: "hub", Algorithms: []string{"HS256"}}},
		{"none", auth.OIDCConfig{IssuerURL: "https://idp.example", Audience: "hub", Algorithms: []string{"RS256", "none"}}},
		{"negative skew", auth.OIDCConfig{IssuerURL: "https://idp.example", Audience: "hub", ClockSkew: -time.Second}},
	}
	for _, tt := range tests {
		if _, err := auth.NewOIDC(tt.cfg); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	for _, ok := range []string{"https://idp.example/realms/thbx", "http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8080"} {
		if _, err := auth.NewOIDC(auth.OIDCConfig{IssuerURL: ok, Audience: "hub"}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
