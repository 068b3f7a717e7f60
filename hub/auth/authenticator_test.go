package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/auth/authtest"
)

// newAuthenticator configures tokens (the example file) and OIDC (iss).
func newAuthenticator(t *testing.T, iss *authtest.Issuer, clk *clock) *auth.Authenticator {
	t.Helper()
	cfg := auth.Config{Now: clk.Now, TokensFile: writeFile(t, "tokens.yaml", readExample(t), 0o600)}
	if iss != nil {
		cfg.OIDC = &auth.OIDCConfig{IssuerURL: iss.URL, Audience: authtest.Audience}
	}
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func request(headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/api/v1/submissions", nil)
	for _, h := range headers {
		r.Header.Add("Authorization", h)
	}
	return r
}

func TestAuthenticate(t *testing.T) {
	iss := authtest.NewIssuer(t)
	clk := newClock()
	a := newAuthenticator(t, iss, clk)
	if err := a.Ready(context.Background()); err != nil {
		t.Fatal(err)
	}
	oidcToken := iss.Issue(iss.Claims("alice", t0, "analyst"))
	expired := iss.Issue(iss.Claims("alice", t0.Add(-time.Hour), "analyst"))
	otherAudience := iss.Claims("alice", t0, "analyst")
	otherAudience["aud"] = "some-other-app"

	tests := []struct {
		name    string
		headers []string
		kind    auth.Kind
		want    error
	}{
		{"API token", []string{"Bearer " + zeroToken}, auth.KindToken, nil},
		{"scheme in lower case", []string{"bearer " + zeroToken}, auth.KindToken, nil},
		{"OIDC token", []string{"Bearer " + oidcToken}, auth.KindOIDC, nil},
		{"expired OIDC token", []string{"Bearer " + expired}, "", auth.ErrExpired},
		{"OIDC token for another audience", []string{"Bearer " + iss.Issue(otherAudience)}, "", auth.ErrWrongAudience},
		{"no header", nil, "", auth.ErrNoCredentials},
		{"basic", []string{"Basic YWxpY2U6c2VjcmV0"}, "", auth.ErrInvalidToken},
		{"scheme only", []string{"Bearer"}, "", auth.ErrInvalidToken},
		{"empty token", []string{"Bearer  "}, "", auth.ErrInvalidToken},
		{"two headers", []string{"Bearer " + zeroToken, "Bearer " + oidcToken}, "", auth.ErrInvalidToken},
		{"API token cut short", []string{"Bearer " + zeroToken[:40]}, "", auth.ErrInvalidToken},
		{"unknown API token", []string{"Bearer thbx_" + strings.Repeat("B", 43)}, "", auth.ErrInvalidToken},
		{"huge token", []string{"Bearer " + strings.Repeat("x", 17<<10)}, "", auth.ErrInvalidToken},
		{"API token as OIDC", []string{"Bearer " + strings.TrimPrefix(zeroToken, auth.TokenPrefix)}, "", auth.ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := a.Authenticate(request(tt.headers...))
			wantErr(t, err, tt.want)
			if id.Kind != tt.kind {
				t.Fatalf("kind %q, want %q", id.Kind, tt.kind)
			}
			if err != nil {
				for _, h := range tt.headers {
					_, tok, _ := strings.Cut(h, " ")
					notContains(t, err.Error(), strings.TrimSpace(tok))
				}
			}
		})
	}
}

// Without OIDC, a bearer token that is not an API token is refused; with
// neither, everything is.
func TestAuthenticatePartlyConfigured(t *testing.T) {
	clk := newClock()
	a := newAuthenticator(t, nil, clk)
	if err := a.Ready(context.Background()); err != nil {
		t.Fatalf("ready without OIDC: %v", err)
	}
	iss := authtest.NewIssuer(t)
	_, err := a.Authenticate(request("Bearer " + iss.Issue(iss.Claims("alice", t0, "analyst"))))
	wantErr(t, err, auth.ErrInvalidToken)

	none, err := auth.New(auth.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = none.Authenticate(request("Bearer " + zeroToken))
	wantErr(t, err, auth.ErrInvalidToken)
	_, err = none.Authenticate(request())
	wantErr(t, err, auth.ErrNoCredentials)
	if err := none.Reload(); err != nil {
		t.Fatal(err)
	}
}

// With the issuer down, OIDC tokens are refused as unavailable, API
// tokens still work, and Ready says why.
func TestAuthenticateIssuerDown(t *testing.T) {
	iss := authtest.NewIssuer(t)
	iss.SetDown(true)
	a := newAuthenticator(t, iss, newClock())
	wantErr(t, a.Ready(context.Background()), auth.ErrIssuerUnavailable)
	_, err := a.Authenticate(request("Bearer " + iss.Issue(iss.Claims("alice", t0, "analyst"))))
	wantErr(t, err, auth.ErrIssuerUnavailable)
	if _, err := a.Authenticate(request("Bearer " + zeroToken)); err != nil {
		t.Fatal(err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	if _, err := auth.New(auth.Config{TokensFile: t.TempDir() + "/missing.yaml"}); err == nil {
		t.Error("a missing tokens file was accepted")
	}
	if _, err := auth.New(auth.Config{OIDC: &auth.OIDCConfig{IssuerURL: "http://idp.example", Audience: "hub"}}); err == nil {
		t.Error("a plain-http issuer was accepted")
	}
}

// Logging an identity logs its kind, name and fingerprint only.
func TestIdentityLogValue(t *testing.T) {
	id := auth.Identity{Kind: auth.KindToken, Name: "stats", Fingerprint: "a2f4df6d451b", Subject: "stats",
		Roles: []string{"service"}, Unit: "secret-unit"}
	v := id.LogValue().String()
	if !strings.Contains(v, "stats") || !strings.Contains(v, "a2f4df6d451b") || strings.Contains(v, "secret-unit") {
		t.Fatalf("log value %s", v)
	}
}

// The lists of known roles and scopes cannot be widened by a caller.
func TestKnownRolesAndScopesAreCopies(t *testing.T) {
	r := auth.KnownRoles()
	r[0] = "admin"
	s := auth.KnownScopes()
	s[0] = "delete"
	if slices.Contains(auth.KnownRoles(), "admin") || slices.Contains(auth.KnownScopes(), "delete") {
		t.Fatal("the known lists changed")
	}
	if len(auth.KnownRoles()) != 6 || len(auth.KnownScopes()) != 5 {
		t.Fatalf("roles %v scopes %v", auth.KnownRoles(), auth.KnownScopes())
	}
	e := auth.TokenEntry{Name: "a", SHA256: auth.HashToken(zeroToken), Roles: []string{"admin"}, Scopes: []string{"export"}, Expires: t0}
	if e.Validate() == nil {
		t.Fatal("a role outside the list was accepted")
	}
}
