package auth_test

import (
	"os"
	"testing"

	"github.com/thbx/thbx/hub/auth"
)

// FuzzParseTokensFile checks that whatever ParseTokensFile accepts is
// valid, that Marshal writes it so that it parses back to the same, and
// that Marshal's output is a fixed point.
func FuzzParseTokensFile(f *testing.F) {
	example, err := os.ReadFile("testdata/tokens.yaml")
	if err != nil {
		f.Fatal(err)
	}
	const hash = "a2f4df6d451b4f74f9c4d279ed61c9907e01ce505c242f5c75131492b9fd7a30"
	seeds := []struct{ comment, file string }{
		{"the documented example: tokens and clients, comments, an offset expiry", string(example)},
		{"the smallest valid file", "version: 1\n"},
		{"one token in flow style", "version: 1\ntokens: [{name: a, sha256: " + hash + ", roles: [service], scopes: [export], expires: '2026-09-30T00:00:00Z'}]\n"},
		{"fractional seconds and a negative offset", "version: 1\ntokens:\n- name: a\n  sha256: " + hash + "\n  roles: [analyst]\n  scopes: [read_records]\n  expires: 2026-09-30T00:00:00.123456789-05:30\n"},
		{"a client by subject with unicode", "version: 1\nclients:\n- name: c\n  subject: \"CN=Žofie Nováková,O=Národní zpravodaj\"\n  roles: [auditor]\n  expires: 2030-01-01T00:00:00Z\n"},
		{"a partner token with datasets", "version: 1\ntokens:\n- {name: p, sha256: " + hash + ", roles: [partner], partner: ngo-1, scopes: [read_submissions], datasets: [victims], expires: 2026-01-01T00:00:00Z}\n"},
		{"refused: duplicate names", "version: 1\ntokens:\n- {name: a, sha256: " + hash + ", roles: [service], scopes: [export], expires: 2026-01-01T00:00:00Z}\nclients:\n- {name: a, subject: CN=a, roles: [service], expires: 2026-01-01T00:00:00Z}\n"},
		{"refused: anchors and aliases", "version: 1\ntokens:\n- &t {name: a, sha256: " + hash + ", roles: [service], scopes: [export], expires: 2026-01-01T00:00:00Z}\n- *t\n"},
		{"refused: a date-only expiry", "version: 1\ntokens:\n- {name: a, sha256: " + hash + ", roles: [service], scopes: [export], expires: 2026-01-01}\n"},
		{"refused: a second document", "version: 1\n---\nversion: 1\n"},
		{"refused: not YAML", "\x00\xff{[\n"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.file))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := auth.ParseTokensFile(b)
		if err != nil {
			return
		}
		if err := file.Validate(); err != nil {
			t.Fatalf("parsed but invalid: %v", err)
		}
		out, err := file.Marshal()
		if err != nil {
			t.Fatalf("parsed but does not marshal: %v", err)
		}
		again, err := auth.ParseTokensFile(out)
		if err != nil {
			t.Fatalf("Marshal wrote what does not parse: %v\n%s", err, out)
		}
		out2, err := again.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(out2) {
			t.Fatalf("not a fixed point:\n%s\n---\n%s", out, out2)
		}
		if len(again.Tokens) != len(file.Tokens) || len(again.Clients) != len(file.Clients) {
			t.Fatalf("entries lost in the round trip")
		}
		for i := range file.Tokens {
			a, b := file.Tokens[i], again.Tokens[i]
			if !a.Expires.Equal(b.Expires) || a.SHA256 != b.SHA256 || a.Name != b.Name {
				t.Fatalf("token %d changed: %+v -> %+v", i, a, b)
			}
		}
		// Loading what parsed must give a working store.
		if _, err := auth.NewTokens(file, nil); err != nil {
			t.Fatalf("parsed but NewTokens refuses it: %v", err)
		}
	})
}
