package auth_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/auth"
)

// zeroToken is the token of 32 zero bytes, whose hash the example tokens
// file lists as stats-office.
const zeroToken = "thbx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func readExample(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNewTokenAndHash(t *testing.T) {
	token, err := auth.NewToken(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if token != zeroToken {
		t.Fatalf("token %q", token)
	}
	if _, err := auth.NewToken(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Fatal("a short read made a token")
	}
	a, _ := auth.NewToken(nil)
	b, _ := auth.NewToken(nil)
	if a == b || !strings.HasPrefix(a, auth.TokenPrefix) || len(a) != len(zeroToken) {
		t.Fatalf("tokens %q, %q", a, b)
	}
	if h := auth.HashToken(zeroToken); h != "a2f4df6d451b4f74f9c4d279ed61c9907e01ce505c242f5c75131492b9fd7a30" {
		t.Fatalf("hash %s", h)
	}
}

func TestParseTokensFileExample(t *testing.T) {
	f, err := auth.ParseTokensFile([]byte(readExample(t)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tokens) != 2 || len(f.Clients) != 2 {
		t.Fatalf("%d tokens, %d clients", len(f.Tokens), len(f.Clients))
	}
	st := f.Tokens[0]
	if st.Name != "stats-office" || !slices.Equal(st.Scopes, []string{"read_aggregates"}) ||
		!slices.Equal(st.Datasets, []string{"victims", "cases"}) || st.Clearance != "standard" || st.Unit != "statistics" ||
		!st.Expires.Equal(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("token %+v", st)
	}
	// Expiries are kept in UTC, whatever offset the file used.
	if e := f.Tokens[1].Expires; e.Location() != time.UTC || !e.Equal(time.Date(2026, 6, 30, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("expires %v", e)
	}
	if f.Clients[1].Subject != "CN=auditor-1,O=National Rapporteur" || f.Clients[1].Scopes != nil {
		t.Fatalf("client %+v", f.Clients[1])
	}
	// What Marshal writes parses back to the same.
	again, err := auth.ParseTokensFile([]byte(marshal(t, f)))
	if err != nil {
		t.Fatal(err)
	}
	if marshal(t, again) != marshal(t, f) {
		t.Fatal("round trip changed the file")
	}
}

// Every mistake an operator could make in the tokens file is an error,
// never a wider grant than meant.
func TestParseTokensFileRefused(t *testing.T) {
	const hash = "a2f4df6d451b4f74f9c4d279ed61c9907e01ce505c242f5c75131492b9fd7a30"
	const other = "b2f4df6d451b4f74f9c4d279ed61c9907e01ce505c242f5c75131492b9fd7a30"
	token := func(fields string) string {
		return "version: 1\ntokens:\n  - " + strings.ReplaceAll(strings.TrimSpace(fields), "\n", "\n    ") + "\n"
	}
	base := "name: a\nsha256: " + hash + "\nroles: [service]\nscopes: [export]\nexpires: 2026-09-30T00:00:00Z"
	if _, err := auth.ParseTokensFile([]byte(token(base))); err != nil {
		t.Fatalf("the base case is refused: %v", err)
	}
	client := func(fields string) string {
		return "version: 1\nclients:\n  - " + strings.ReplaceAll(strings.TrimSpace(fields), "\n", "\n    ") + "\n"
	}
	replace := func(old, new string) string { return token(strings.Replace(base, old, new, 1)) }
	tests := []struct{ name, file string }{
		{"empty", ""},
		{"comment only", "# nothing\n"},
		{"no version", "tokens: []\n"},
		{"version 2", "version: 2\n"},
		{"unknown top-level key", "version: 1\nadmins: [me]\n"},
		{"two documents", token(base) + "---\nversion: 1\n"},
		{"duplicate key", "version: 1\nversion: 1\n"},
		{"unknown entry key", token(base + "\nadmin: true")},
		{"misspelt key", replace("scopes:", "scope:")},
		{"no name", replace("name: a", "")},
		{"bad name", replace("name: a", "name: A B")},
		{"uppercase hash", replace(hash, strings.ToUpper(hash))},
		{"short hash", replace(hash, hash[:62])},
		{"not hex", replace(hash, "z"+hash[1:])},
		{"no hash", replace("sha256: "+hash, "")},
		{"unknown role", replace("[service]", "[service, admin]")},
		{"no roles", replace("roles: [service]", "")},
		{"empty roles", replace("[service]", "[]")},
		{"duplicate role", replace("[service]", "[service, service]")},
		{"roles a string", replace("[service]", "service")},
		{"unknown scope", replace("[export]", "[export, delete]")},
		{"no scopes", replace("scopes: [export]", "")},
		{"empty scopes", replace("[export]", "[]")},
		{"empty datasets", token(base + "\ndatasets: []")},
		{"bad dataset", token(base + "\ndatasets: [../etc]")},
		{"no expiry", replace("expires: 2026-09-30T00:00:00Z", "")},
		{"date without time", replace("2026-09-30T00:00:00Z", "2026-09-30")},
		{"expiry without zone", replace("2026-09-30T00:00:00Z", "2026-09-30T00:00:00")},
		{"expiry in words", replace("2026-09-30T00:00:00Z", "never")},
		{"expiry before 2000", replace("2026-09-30T00:00:00Z", "1999-12-31T23:59:59Z")},
		{"partner role without partner", replace("[service]", "[partner]")},
		{"bad partner", token(base + "\npartner: La Strada")},
		{"bad clearance", token(base + "\nclearance: top secret")},
		{"bad unit", token(base + "\nunit: \"\\n\"")},
		{"duplicate name", "version: 1\ntokens:\n  - " + strings.ReplaceAll(base, "\n", "\n    ") +
			"\n  - " + strings.ReplaceAll(strings.Replace(base, hash, other, 1), "\n", "\n    ") + "\n"},
		{"duplicate hash", "version: 1\ntokens:\n  - " + strings.ReplaceAll(base, "\n", "\n    ") +
			"\n  - " + strings.ReplaceAll(strings.Replace(base, "name: a", "name: b", 1), "\n", "\n    ") + "\n"},
		{"client with key and subject", client("name: c\nspki_sha256: " + hash + "\nsubject: CN=x\nroles: [auditor]\nexpires: 2026-09-30T00:00:00Z")},
		{"client with neither", client("name: c\nroles: [auditor]\nexpires: 2026-09-30T00:00:00Z")},
		{"client without expiry", client("name: c\nsubject: CN=x\nroles: [auditor]")},
		{"client subject with a newline", client("name: c\nsubject: \"CN=x\\nlevel=ERROR\"\nroles: [auditor]\nexpires: 2026-09-30T00:00:00Z")},
		{"client with empty scopes", client("name: c\nsubject: CN=x\nroles: [auditor]\nscopes: []\nexpires: 2026-09-30T00:00:00Z")},
		{"client named like a token", token(base) + "clients:\n  - name: a\n    subject: CN=x\n    roles: [auditor]\n    expires: 2026-09-30T00:00:00Z\n"},
		{"two clients, one key", client("name: c\nspki_sha256: "+hash+"\nroles: [auditor]\nexpires: 2026-09-30T00:00:00Z") +
			"  - name: d\n    spki_sha256: " + hash + "\n    roles: [auditor]\n    expires: 2026-09-30T00:00:00Z\n"},
		{"two clients, one subject", client("name: c\nsubject: CN=x\nroles: [auditor]\nexpires: 2026-09-30T00:00:00Z") +
			"  - name: d\n    subject: CN=x\n    roles: [auditor]\n    expires: 2026-09-30T00:00:00Z\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f, err := auth.ParseTokensFile([]byte(tt.file)); err == nil {
				t.Fatalf("accepted:\n%s\nas %+v", tt.file, f)
			} else if testing.Verbose() {
				t.Log(err)
			}
		})
	}
}

func loadExample(t *testing.T, clk *clock) (*auth.Tokens, string) {
	t.Helper()
	path := writeFile(t, "tokens.yaml", readExample(t), 0o600)
	tokens, err := auth.LoadTokens(path, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	return tokens, path
}

func TestTokensLookup(t *testing.T) {
	clk := newClock()
	tokens, _ := loadExample(t, clk)
	id, err := tokens.Lookup(zeroToken)
	if err != nil {
		t.Fatal(err)
	}
	if id.Kind != auth.KindToken || id.Subject != "stats-office" || id.Name != "stats-office" || id.Issuer != auth.TokensIssuer ||
		!slices.Equal(id.Roles, []string{"service"}) || !id.HasScope(auth.ScopeReadAggregates) || id.HasScope(auth.ScopeExport) ||
		!slices.Equal(id.Datasets, []string{"victims", "cases"}) || id.Clearance != "standard" || id.Unit != "statistics" {
		t.Fatalf("identity %+v", id)
	}
	// The fingerprint is the one hub/api logs: 6 bytes of the hash.
	if id.Fingerprint != "a2f4df6d451b" {
		t.Fatalf("fingerprint %q", id.Fingerprint)
	}
	// The identity is a copy: changing it changes nothing for the next
	// caller.
	id.Roles[0], id.Scopes[0], id.Datasets[0] = "security_officer", "read_audit", "other"
	again, _ := tokens.Lookup(zeroToken)
	if again.Roles[0] != "service" || again.Scopes[0] != "read_aggregates" || again.Datasets[0] != "victims" {
		t.Fatalf("the stored entry changed: %+v", again)
	}

	for _, bad := range []string{"", "thbx_", zeroToken[:len(zeroToken)-1], zeroToken + "A", strings.ToLower(zeroToken),
		"a2f4df6d451b4f74f9c4d279ed61c9907e01ce505c242f5c75131492b9fd7a30"} {
		_, err := tokens.Lookup(bad)
		wantErr(t, err, auth.ErrInvalidToken)
		notContains(t, err.Error(), bad)
	}

	clk.Advance(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC).Sub(clk.Now()) - time.Nanosecond)
	if _, err := tokens.Lookup(zeroToken); err != nil {
		t.Fatalf("a nanosecond before expiry: %v", err)
	}
	clk.Advance(time.Nanosecond)
	_, err = tokens.Lookup(zeroToken)
	wantErr(t, err, auth.ErrExpired)
	notContains(t, err.Error(), zeroToken)
}

func TestLoadTokensRefusesReadableFile(t *testing.T) {
	skipOnWindows(t)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o606} {
		path := writeFile(t, "tokens.yaml", readExample(t), mode)
		_, err := auth.LoadTokens(path, nil)
		wantErr(t, err, certs.ErrInsecureKeyFile)
	}
	if _, err := auth.LoadTokens(writeFile(t, "tokens.yaml", readExample(t), 0o400), nil); err != nil {
		t.Fatalf("mode 0400: %v", err)
	}
}

// Reload revokes removed tokens and admits new ones; a broken file keeps
// the tokens loaded before.
func TestTokensReload(t *testing.T) {
	skipOnWindows(t)
	clk := newClock()
	tokA, entA := testToken(t, "a", t0.Add(time.Hour), auth.ScopeExport)
	tokB, entB := testToken(t, "b", t0.Add(time.Hour), auth.ScopeReadRecords)
	path := writeFile(t, "tokens.yaml", marshal(t, &auth.TokensFile{Tokens: []auth.TokenEntry{entA}}), 0o600)
	tokens, err := auth.LoadTokens(path, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(marshal(t, &auth.TokensFile{Tokens: []auth.TokenEntry{entB}}))
	if _, err := tokens.Lookup(tokA); err != nil {
		t.Fatal("a token stopped working before Reload")
	}
	if err := tokens.Reload(); err != nil {
		t.Fatal(err)
	}
	_, err = tokens.Lookup(tokA)
	wantErr(t, err, auth.ErrInvalidToken)
	if _, err := tokens.Lookup(tokB); err != nil {
		t.Fatal(err)
	}

	write("version: 1\ntokens: [oops\n")
	if err := tokens.Reload(); err == nil {
		t.Fatal("a broken file reloaded")
	}
	if _, err := tokens.Lookup(tokB); err != nil {
		t.Fatalf("after a failed reload: %v", err)
	}
	write(marshal(t, &auth.TokensFile{Tokens: []auth.TokenEntry{entA}}))
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	wantErr(t, tokens.Reload(), certs.ErrInsecureKeyFile)
	if _, err := tokens.Lookup(tokB); err != nil {
		t.Fatalf("after a refused reload: %v", err)
	}
}

// Lookups run safely while the file is reloaded.
func TestTokensConcurrentReload(t *testing.T) {
	clk := newClock()
	tokens, _ := loadExample(t, clk)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				if _, err := tokens.Lookup(zeroToken); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for range 20 {
		if err := tokens.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestNewTokens(t *testing.T) {
	tok, e := testToken(t, "a", t0.Add(time.Hour), auth.ScopeExport)
	tokens, err := auth.NewTokens(&auth.TokensFile{Tokens: []auth.TokenEntry{e}}, newClock().Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tokens.Lookup(tok); err != nil {
		t.Fatal(err)
	}
	if err := tokens.Reload(); err == nil {
		t.Fatal("Reload without a file succeeded")
	}
	e.Scopes = nil
	if _, err := auth.NewTokens(&auth.TokensFile{Tokens: []auth.TokenEntry{e}}, nil); err == nil {
		t.Fatal("an invalid entry was accepted")
	}

}
