package trust_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs/trust"
)

func TestVerifyBundle(t *testing.T) {
	b := bundle(t)
	got, err := trust.VerifyBundle(signBundle(t, b, "alice", "bob"), root(t), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 3 || len(got.Partners) != 2 || got.Dropbox.Bucket != "thbx-dropbox" {
		t.Fatalf("got %+v", got)
	}
	// A newer version is accepted; the same version with the same content
	// (here: signed by other officers) returns the trusted bundle.
	next := must(trust.Propose(got, trust.SetExpiry(jan2030)))
	got2 := must(trust.VerifyBundle(signBundle(t, next, "bob", "carol"), root(t), got, now))
	if got2.Version != 4 {
		t.Fatalf("version %d", got2.Version)
	}
	same := must(trust.VerifyBundle(signBundle(t, next, "alice", "carol"), root(t), got2, now))
	if same != got2 {
		t.Fatal("the same bundle again did not return the trusted one")
	}
}

func TestBundleSignedByFewerThanK(t *testing.T) {
	_, err := trust.VerifyBundle(signBundle(t, bundle(t), "alice"), root(t), nil, now)
	wantErr(t, err, trust.ErrThreshold, "1 valid officer signature(s), 2 needed")
	var te *trust.ThresholdError
	if !errors.As(err, &te) || te.Have != 1 || te.Need != 2 {
		t.Fatalf("want a ThresholdError 1 of 2, got %#v", err)
	}
}

func TestBundleSignedByUnknownOfficer(t *testing.T) {
	mallory := officerKey(t, "mallory").KeyID()
	_, err := trust.VerifyBundle(signBundle(t, bundle(t), "alice", "mallory"), root(t), nil, now)
	wantErr(t, err, trust.ErrThreshold, "signature 2 is by kid \""+mallory+"\", not an officer of this root")
}

func TestBundleSignedBySameOfficerTwice(t *testing.T) {
	_, err := trust.VerifyBundle(signBundle(t, bundle(t), "alice", "alice"), root(t), nil, now)
	wantErr(t, err, trust.ErrThreshold, "officer alice signed twice (counted once)")
}

func TestBundleRollback(t *testing.T) {
	old := bundle(t)
	current := must(trust.Propose(old, trust.SetExpiry(jan2030)))
	_, err := trust.VerifyBundle(signBundle(t, old, "alice", "bob"), root(t), current, now)
	wantErr(t, err, trust.ErrRollback, "version 3 is older than the trusted version 4")
}

func TestBundleSameVersionOtherContent(t *testing.T) {
	b := bundle(t)
	current := must(trust.VerifyBundle(signBundle(t, b, "alice", "bob"), root(t), nil, now))
	other := bundle(t)
	other.Partners = other.Partners[:1]
	_, err := trust.VerifyBundle(signBundle(t, other, "alice", "bob"), root(t), current, now)
	wantErr(t, err, trust.ErrRollback, "same version, other content")
}

func TestBundleExpired(t *testing.T) {
	_, err := trust.VerifyBundle(signBundle(t, bundle(t), "alice", "bob"), root(t), nil, jan2026)
	wantErr(t, err, trust.ErrExpired, "trust bundle version 3 expired at 2026-01-01T00:00:00Z", "publish a new bundle")
}

func TestBundleUnderExpiredRoot(t *testing.T) {
	r := root(t)
	r.Expires = now.Add(-time.Hour)
	_, err := trust.VerifyBundle(signBundle(t, bundle(t), "alice", "bob"), r, nil, now)
	wantErr(t, err, trust.ErrExpired, "root version 1 expired")
}

func TestBundleNamesNewerRoot(t *testing.T) {
	b := bundle(t)
	b.RootVersion = 2
	_, err := trust.VerifyBundle(signBundle(t, b, "alice", "bob"), root(t), nil, now)
	wantErr(t, err, nil, "fetch the new root first")
}

func TestBundleTamperedPartnerEntry(t *testing.T) {
	doc := signBundle(t, bundle(t), "alice", "bob")
	s := must(trust.ParseSigned(doc))
	payload := must(s.PayloadBytes())
	// Widen a partner's datasets after the officers signed.
	tampered := bytes.Replace(payload, []byte(`"victims",`), []byte(`"victims", "intelligence",`), 1)
	if bytes.Equal(tampered, payload) {
		t.Fatal("test did not tamper")
	}
	s.Payload = encode(tampered)
	_, err := trust.VerifyBundle(must(s.Marshal()), root(t), nil, now)
	wantErr(t, err, trust.ErrThreshold, "signature 1 (officer alice) does not verify", "signature 2 (officer bob) does not verify")
}

func TestBundleInvalidContentRefused(t *testing.T) {
	for name, edit := range map[string]func(*trust.Bundle){
		"wrong type":       func(b *trust.Bundle) { b.Type = "thbx-root" },
		"no recipients":    func(b *trust.Bundle) { b.Hub.Recipients = nil },
		"no expiry":        func(b *trust.Bundle) { b.Expires = time.Time{} },
		"no root version":  func(b *trust.Bundle) { b.RootVersion = 0 },
		"bad kid":          func(b *trust.Bundle) { b.Partners[0].Keys[0].KeyID = "AAAA" },
		"bad digest":       func(b *trust.Bundle) { b.PolicyDigest = "md5:abc" },
		"bad bucket":       func(b *trust.Bundle) { b.Dropbox.Bucket = "A/B" },
		"endpoint is URL":  func(b *trust.Bundle) { b.Dropbox.Endpoint = "https://x.example/" },
		"null partners":    func(b *trust.Bundle) { b.Partners = nil },
		"partner category": func(b *trust.Bundle) { b.Partners[0].Category = "friends" },
	} {
		t.Run(name, func(t *testing.T) {
			b := bundle(t)
			edit(b)
			_, err := trust.VerifyBundle(signBundle(t, b, "alice", "bob"), root(t), nil, now)
			wantErr(t, err, nil, "trust bundle")
		})
	}
}

func TestBundleStrictPayload(t *testing.T) {
	// A nested key spelled in another case, or twice, is refused even with
	// valid signatures: two readers must see the same bundle.
	payload := must(bundle(t).Marshal())
	for name, edit := range map[string]func([]byte) []byte{
		"nested case": func(p []byte) []byte { return bytes.Replace(p, []byte(`"bucket"`), []byte(`"Bucket"`), 1) },
		"nested dup": func(p []byte) []byte {
			return bytes.Replace(p, []byte(`"category": "ngo",`), []byte(`"category": "ngo", "category": "police",`), 1)
		},
		"unknown nested": func(p []byte) []byte {
			return bytes.Replace(p, []byte(`"bucket"`), []byte(`"acl": "public", "bucket"`), 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			p := edit(payload)
			if bytes.Equal(p, payload) {
				t.Fatal("no edit")
			}
			s := must(trust.Sign(p, trust.BundleType, officerKey(t, "alice")))
			if err := s.AddSignature(officerKey(t, "bob"), trust.BundleType); err != nil {
				t.Fatal(err)
			}
			_, err := trust.VerifyBundle(must(s.Marshal()), root(t), nil, now)
			wantErr(t, err, nil, "trust bundle")
		})
	}
}

func TestProposedBundleIsUnverified(t *testing.T) {
	s := signedBundle(t, bundle(t), "alice")
	b := must(trust.ProposedBundle(s))
	if b.Version != 3 {
		t.Fatal(b.Version)
	}
}

func TestExpiringSoon(t *testing.T) {
	b := bundle(t)
	r := root(t)
	at := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)
	got := trust.ExpiringSoon(b, r, at, 30*24*time.Hour)
	want := []string{"trust bundle version 3 expires at 2026-01-01T00:00:00Z (in 17 days)",
		"key " + b.Partners[0].Keys[0].KeyID + " of partner ngo-a expires",
		"key " + b.Partners[1].Keys[0].KeyID + " of partner police-cz expires"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("warning %d: %q, want %q…", i, got[i], want[i])
		}
	}
	// A key with a successor, a revoked key, and nothing in a narrow window.
	next := must(trust.Propose(b, trust.RotateKey("ngo-a", partnerKey(t, "a2").Public(), 7*24*time.Hour, at),
		trust.RevokeKey(b.Partners[1].Keys[0].KeyID, at), trust.SetExpiry(jan2030)))
	if got := trust.ExpiringSoon(next, r, at, 30*24*time.Hour); len(got) != 0 {
		t.Fatalf("got %q", got)
	}
	if got := trust.ExpiringSoon(b, r, now, 24*time.Hour); len(got) != 0 {
		t.Fatalf("got %q", got)
	}
	if got := trust.ExpiringSoon(nil, r, jan2030.Add(-time.Hour), 24*time.Hour); len(got) != 1 || !strings.Contains(got[0], "root version 1 expires") {
		t.Fatalf("got %q", got)
	}
}

func TestBundleJSONNames(t *testing.T) {
	// The embedded registry is inlined: version, hub, partners at the top.
	var m map[string]json.RawMessage
	if err := json.Unmarshal(must(bundle(t).Marshal()), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"type", "expires", "root_version", "dropbox", "version", "hub", "partners"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q member", k)
		}
	}
}
