package certs_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
)

var writeSeeds = flag.Bool("write-seeds", false, "write the fuzz seeds to testdata/fuzz/FuzzX/ and testdata/fuzz/FuzzX.md")

type seed struct {
	name, comment string
	value         []byte
}

// addSeeds adds the commented seeds and, with -write-seeds, checks them in:
// Go's corpus files cannot hold comments, so they go to FuzzX.md beside the
// corpus directory.
func addSeeds(f *testing.F, seeds []seed) {
	f.Helper()
	for _, s := range seeds {
		f.Add(s.value)
	}
	if !*writeSeeds {
		return
	}
	dir := filepath.Join("testdata", "fuzz", f.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	var md strings.Builder
	fmt.Fprintf(&md, "## %s\n\nSeeds in Go's corpus format; written by `go test -run '^Fuzz' -write-seeds` from the table in fuzz_test.go.\n\n", f.Name())
	for _, s := range seeds {
		if err := os.WriteFile(filepath.Join(dir, "seed-"+s.name), fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", s.value), 0o644); err != nil {
			f.Fatal(err)
		}
		fmt.Fprintf(&md, "- `seed-%s`: %s\n", s.name, s.comment)
	}
	if err := os.WriteFile(filepath.Join("testdata", "fuzz", f.Name()+".md"), []byte(md.String()), 0o644); err != nil {
		f.Fatal(err)
	}
}

// FuzzParseRegistry checks that a registry ParseRegistry accepts is valid,
// survives marshal and parse unchanged, and answers Lookup for each of its
// keys with the partner that lists it.
func FuzzParseRegistry(f *testing.F) {
	valid, _ := json.MarshalIndent(registry(f), "", "  ")
	revoked := registry(f)
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	revoked.Partners[0].Keys[0].Status, revoked.Partners[0].Keys[0].RevokedAt = certs.KeyRevoked, &at
	revokedJSON, _ := json.Marshal(revoked)
	hybrid := registry(f)
	hybrid.Hub.Recipients["standard"] = []string{hybridRecipient(f)}
	hybridJSON, _ := json.Marshal(hybrid)
	dup := registry(f)
	dup.Partners[1].Keys = append(dup.Partners[1].Keys, dup.Partners[0].Keys[0])
	dupJSON, _ := json.Marshal(dup)
	s := string(valid)
	addSeeds(f, []seed{
		{"valid", "two partners with one key each, X25519 hub recipients", valid},
		{"revoked", "a revoked key with revoked_at in another zone", revokedJSON},
		{"hybrid", "a post-quantum hybrid standard recipient", hybridJSON},
		{"duplicate-kid", "one key registered for two partners (refused)", dupJSON},
		{"kid-mismatch", "a kid that does not match its key (refused)", []byte(strings.Replace(s, `"kid": "`, `"kid": "x`, 1))},
		{"bad-category", "an unknown category (refused)", []byte(strings.Replace(s, `"ngo"`, `"bank"`, 1))},
		{"revoked-no-time", "status revoked without revoked_at (refused)", []byte(strings.Replace(s, `"active"`, `"revoked"`, 1))},
		{"unknown-field", "an unknown field (refused)", []byte(strings.Replace(s, `"version"`, `"admin": true, "version"`, 1))},
		{"case-folded", `"Partners" for "partners", which encoding/json matches`, []byte(strings.Replace(s, `"partners"`, `"Partners"`, 1))},
		{"null-partners", "partners: null", []byte(`{"version":1,"hub":` + mustJSON(registry(f).Hub) + `,"partners":null}`)},
		{"empty", "nothing", []byte{}},
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := certs.ParseRegistry(b)
		if err != nil {
			if r != nil {
				t.Fatal("registry returned with an error")
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("parsed registry does not validate: %v", err)
		}
		m1, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := certs.ParseRegistry(m1)
		if err != nil {
			t.Fatalf("marshalled registry does not parse: %v\n%s", err, m1)
		}
		m2, _ := json.Marshal(r2)
		if !bytes.Equal(m1, m2) {
			t.Fatalf("round trip changed the registry:\n%s\n%s", m1, m2)
		}
		for _, p := range r.Partners {
			for _, k := range p.Keys {
				lp, le, err := r.Lookup(k.KeyID)
				if err != nil || lp.ID != p.ID || le.KeyID != k.KeyID {
					t.Fatalf("Lookup(%s) = %v, %v", k.KeyID, lp, err)
				}
				pub, err := le.PublicKey()
				if err != nil || pub.KeyID() != k.KeyID {
					t.Fatalf("key %s: %v", k.KeyID, err)
				}
				_ = le.ValidAt(time.Now())
			}
		}
		if _, err := r.Hub.ReceiptPublic(); err != nil {
			t.Fatal(err)
		}
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// FuzzPublicKeyText checks the PEM key parsers, which read registry entries
// and hub.json: an accepted partner public key marshals back to text that
// parses to the same key, and no input parses as two roles at once.
func FuzzPublicKeyText(f *testing.F) {
	pk := partnerKey(f, "partner a")
	rk := receiptKey(f, "receipt")
	addSeeds(f, []seed{
		{"partner-public", "a partner public key", []byte(text(f, pk.Public()))},
		{"receipt-public", "a receipt public key", []byte(text(f, rk.Public()))},
		{"partner-private", "a partner private key", []byte(text(f, pk))},
		{"headers", "a PEM block with headers", []byte(strings.Replace(text(f, pk.Public()), "KEY-----\n", "KEY-----\nProc-Type: 4,ENCRYPTED\n\n", 1))},
		{"crlf", "CRLF line ends", []byte(strings.ReplaceAll(text(f, pk.Public()), "\n", "\r\n"))},
		{"leading-text", "text before the PEM block", []byte("kid x\n" + text(f, pk.Public()))},
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		var p certs.PartnerPublicKey
		perr := p.UnmarshalText(b)
		var r certs.ReceiptPublicKey
		rerr := r.UnmarshalText(b)
		var sk certs.PartnerKey
		serr := sk.UnmarshalText(b)
		if (perr == nil && rerr == nil) || (perr == nil && serr == nil) {
			t.Fatal("one text parsed as keys of two roles or kinds")
		}
		for _, err := range []error{perr, rerr, serr} {
			if err != nil && !errors.Is(err, certs.ErrWrongKey) {
				t.Fatalf("error %v is not ErrWrongKey", err)
			}
		}
		if perr != nil {
			return
		}
		txt, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var p2 certs.PartnerPublicKey
		if err := p2.UnmarshalText(txt); err != nil || p2.KeyID() != p.KeyID() || !bytes.Equal(p2.Bytes(), p.Bytes()) {
			t.Fatalf("round trip: %v", err)
		}
		if len(p.Bytes()) != 32 || p.KeyID() != certs.KeyID(p.Bytes()) {
			t.Fatalf("accepted key of %d bytes, kid %s", len(p.Bytes()), p.KeyID())
		}
	})
}
