package auth_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/auth"
)

func TestMintToken(t *testing.T) {
	expires := t0.Add(90*24*time.Hour + 1500*time.Millisecond)
	token, e, err := auth.MintToken(nil, t0, auth.TokenEntry{Name: "stats", Scopes: []string{auth.ScopeReadAggregates}, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, auth.TokenPrefix) || len(token) != len(zeroToken) {
		t.Fatalf("token %q", token)
	}
	if e.SHA256 != auth.HashToken(token) || !slices.Equal(e.Roles, []string{auth.RoleService}) {
		t.Fatalf("entry %+v", e)
	}
	// The expiry is whole seconds in UTC, as the file writes it.
	if !e.Expires.Equal(expires.Truncate(time.Second)) || e.Expires.Location() != time.UTC {
		t.Fatalf("expires %v", e.Expires)
	}
	tokens, err := auth.NewTokens(&auth.TokensFile{Tokens: []auth.TokenEntry{e}}, func() time.Time { return t0 })
	if err != nil {
		t.Fatal(err)
	}
	id, err := tokens.Lookup(token)
	if err != nil {
		t.Fatal(err)
	}
	if id.Name != "stats" || !id.HasScope(auth.ScopeReadAggregates) {
		t.Fatalf("identity %+v", id)
	}
}

func TestMintTokenRefused(t *testing.T) {
	valid := auth.TokenEntry{Name: "stats", Scopes: []string{auth.ScopeExport}, Expires: t0.Add(time.Hour)}
	tests := []struct {
		name   string
		modify func(*auth.TokenEntry)
	}{
		{"expired", func(e *auth.TokenEntry) { e.Expires = t0 }},
		{"no expiry", func(e *auth.TokenEntry) { e.Expires = time.Time{} }},
		{"beyond the maximum lifetime", func(e *auth.TokenEntry) { e.Expires = t0.Add(auth.MaxTokenLifetime + time.Second) }},
		{"no scope", func(e *auth.TokenEntry) { e.Scopes = nil }},
		{"unknown scope", func(e *auth.TokenEntry) { e.Scopes = []string{"admin"} }},
		{"bad name", func(e *auth.TokenEntry) { e.Name = "Stats Office" }},
		{"partner without partner id", func(e *auth.TokenEntry) { e.Roles = []string{auth.RolePartner} }},
	}
	for _, tt := range tests {
		e := valid
		tt.modify(&e)
		if _, _, err := auth.MintToken(nil, t0, e); err == nil {
			t.Errorf("%s: minted", tt.name)
		}
	}
	if _, _, err := auth.MintToken(bytes.NewReader(nil), t0, valid); err == nil {
		t.Error("minted without randomness")
	}
	if _, _, err := auth.MintToken(nil, t0, valid); err != nil {
		t.Errorf("the valid entry: %v", err)
	}
}

func TestParseExpiry(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"90d", t0.Add(90 * 24 * time.Hour)},
		{"2w", t0.Add(14 * 24 * time.Hour)},
		{"12h", t0.Add(12 * time.Hour)},
		{"2026-09-30T00:00:00Z", time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)},
		{"2026-09-30T02:00:00+02:00", time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := auth.ParseExpiry(tt.in, t0)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "d", "90", "0d", "-5d", "1.5d", "90m", "90y", "never", "2026-09-30", "99999999d"} {
		if got, err := auth.ParseExpiry(bad, t0); err == nil {
			t.Errorf("ParseExpiry(%q) = %v", bad, got)
		}
	}
}

// AddToken creates the file with mode 0600, keeps the comments of the
// rest, refuses duplicates; RemoveToken revokes.
func TestAddRemoveToken(t *testing.T) {
	skipOnWindows(t)
	path := t.TempDir() + "/tokens.yaml"
	tokA, entA := testToken(t, "a", t0.Add(time.Hour), auth.ScopeExport)
	tokB, entB := testToken(t, "b", t0.Add(2*time.Hour), auth.ScopeReadRecords, auth.ScopeReadAggregates)
	entB.Datasets = []string{"victims"}
	if err := auth.AddToken(path, entA); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %04o", info.Mode().Perm())
	}
	// An operator's comment survives the next edit.
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append([]byte("# keep me\n"), b...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := auth.AddToken(path, entB); err != nil {
		t.Fatal(err)
	}
	if err := auth.AddToken(path, entB); err == nil {
		t.Fatal("a duplicate was added")
	}
	dup := entA
	dup.Name = "c"
	if err := auth.AddToken(path, dup); err == nil {
		t.Fatal("a second entry for the same token was added")
	}
	b, _ = os.ReadFile(path)
	if !strings.Contains(string(b), "# keep me") {
		t.Fatalf("comment lost:\n%s", b)
	}
	tokens, err := auth.LoadTokens(path, newClock().Now)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for _, tok := range []string{tokA, tokB} {
		if _, err := tokens.Lookup(tok); err != nil {
			t.Fatal(err)
		}
	}
	notContains(t, string(b), tokA)
	notContains(t, string(b), tokB)

	if err := auth.RemoveToken(path, "a"); err != nil {
		t.Fatal(err)
	}
	if err := auth.RemoveToken(path, "a"); err == nil {
		t.Fatal("removed twice")
	}
	if err := tokens.Reload(); err != nil {
		t.Fatal(err)
	}
	_, err = tokens.Lookup(tokA)
	wantErr(t, err, auth.ErrInvalidToken)
	if id, err := tokens.Lookup(tokB); err != nil || !slices.Equal(id.Datasets, []string{"victims"}) {
		t.Fatalf("%+v, %v", id, err)
	}
	b, _ = os.ReadFile(path)
	if !strings.Contains(string(b), "# keep me") {
		t.Fatalf("comment lost:\n%s", b)
	}
}

// AddToken edits a file whose layout it did not write, and refuses one
// that others can read.
func TestAddTokenToHandWrittenFile(t *testing.T) {
	skipOnWindows(t)
	path := writeFile(t, "tokens.yaml", readExample(t), 0o600)
	_, e := testToken(t, "new", t0.Add(time.Hour), auth.ScopeExport)
	if err := auth.AddToken(path, e); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	f, err := auth.ParseTokensFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tokens) != 3 || f.Tokens[2].Name != "new" || len(f.Clients) != 2 {
		t.Fatalf("after AddToken:\n%s", b)
	}
	if !strings.Contains(string(b), "(32 zero bytes; a test token only)") {
		t.Fatalf("comment lost:\n%s", b)
	}

	path = writeFile(t, "tokens.yaml", "version: 1\nclients: []\ntokens:\n", 0o600)
	if err := auth.AddToken(path, e); err != nil {
		t.Fatal(err)
	}

	path = writeFile(t, "tokens.yaml", readExample(t), 0o644)
	wantErr(t, auth.AddToken(path, e), certs.ErrInsecureKeyFile)
	path = writeFile(t, "tokens.yaml", "version: 1\nbogus: true\n", 0o600)
	if err := auth.AddToken(path, e); err == nil {
		t.Fatal("added to an invalid file")
	}
}
