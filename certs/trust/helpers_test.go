package trust_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
)

// detReader is a deterministic byte stream, SHA-256(label ":0") ||
// SHA-256(label ":1") || ..., so keys and signatures are reproducible.
type detReader struct {
	label string
	n     int
	buf   []byte
}

func (r *detReader) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s:%d", r.label, r.n))
		r.buf = append(r.buf, sum[:]...)
		r.n++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

const x25519Recipient = "age12pk98vvy0c8t4esnnv594dlsgnt3740lu63excnwkxfg6qhqze6qxrvy9w"

var (
	now     = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	jan2025 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	jan2026 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	jan2030 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
)

// must returns v, panicking on err: for fixtures that cannot fail.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func text(t testing.TB, m interface{ MarshalText() ([]byte, error) }) string {
	t.Helper()
	return string(must(m.MarshalText()))
}

func officerKey(t testing.TB, label string) certs.OfficerKey {
	return must(certs.GenerateOfficerKey(&detReader{label: "officer " + label}))
}

func partnerKey(t testing.TB, label string) certs.PartnerKey {
	return must(certs.GeneratePartnerKey(&detReader{label: "partner " + label}))
}

func officer(t testing.TB, id string) trust.Officer {
	return must(trust.NewOfficer(id, strings.ToUpper(id[:1])+id[1:], officerKey(t, id).Public()))
}

// rootOf makes a root of version v with the named officers and threshold.
func rootOf(t testing.TB, v, threshold int, ids ...string) trust.Root {
	r := trust.Root{Type: trust.RootType, Version: v, Expires: jan2030, Threshold: threshold}
	for _, id := range ids {
		r.Officers = append(r.Officers, officer(t, id))
	}
	return r
}

// signRoot makes the root document signed by the named officers.
func signRoot(t testing.TB, r trust.Root, signers ...string) []byte {
	t.Helper()
	s := must(trust.NewRootProposal(r))
	for _, id := range signers {
		if err := s.AddSignature(officerKey(t, id), trust.RootType); err != nil {
			t.Fatal(err)
		}
	}
	return must(s.Marshal())
}

// root is the usual 2-of-3 root of alice, bob and carol.
func root(t testing.TB) *trust.Root {
	r := rootOf(t, 1, 2, "alice", "bob", "carol")
	return &r
}

// bundle returns a valid bundle, version 3, with two partners.
func bundle(t testing.TB) *trust.Bundle {
	t.Helper()
	rk := must(certs.GenerateReceiptKey(&detReader{label: "hub receipt"}))
	return &trust.Bundle{
		Type:        trust.BundleType,
		Expires:     jan2026,
		RootVersion: 1,
		Dropbox:     trust.Dropbox{Endpoint: "dropbox.example.org:9000", Bucket: "thbx-dropbox", Region: "eu-central-1"},
		Registry: certs.Registry{
			Version: 3,
			Hub: certs.HubInfo{
				Recipients: map[string][]string{"standard": {x25519Recipient}, "restricted": {x25519Recipient}},
				ReceiptKey: text(t, rk.Public()),
			},
			Partners: []certs.Partner{
				{ID: "ngo-a", Name: "NGO A", Category: "ngo", Datasets: []string{"victims"},
					Keys: []certs.KeyEntry{entry(t, partnerKey(t, "a"))}},
				{ID: "police-cz", Name: "Police", Category: "police", Datasets: []string{"victims", "suspects"},
					Keys: []certs.KeyEntry{entry(t, partnerKey(t, "b"))}},
			},
		},
	}
}

func entry(t testing.TB, k certs.PartnerKey) certs.KeyEntry {
	return certs.KeyEntry{KeyID: k.KeyID(), Public: text(t, k.Public()), NotBefore: jan2025, NotAfter: jan2026, Status: certs.KeyActive}
}

// signBundle signs b's payload by the named officers, in order, without the
// refusal of AddSignature, so tests can forge duplicates.
func signBundle(t testing.TB, b *trust.Bundle, signers ...string) []byte {
	t.Helper()
	return must(signedBundle(t, b, signers...).Marshal())
}

func signedBundle(t testing.TB, b *trust.Bundle, signers ...string) *trust.Signed {
	t.Helper()
	payload := must(b.Marshal())
	var s *trust.Signed
	for _, id := range signers {
		one := must(trust.Sign(payload, trust.BundleType, officerKey(t, id)))
		if s == nil {
			s = one
		} else {
			s.Signatures = append(s.Signatures, one.Signatures...)
		}
	}
	if s == nil {
		s = &trust.Signed{Payload: must(trust.Sign(payload, trust.BundleType, officerKey(t, "x"))).Payload}
	}
	return s
}

// wantErr fails unless err matches target (when not nil) and its message
// holds every fragment.
func wantErr(t testing.TB, err, target error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want an error with %q", fragments)
	}
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("error %q is not %v", err, target)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Fatalf("error %q does not say %q", err, f)
		}
	}
	t.Logf("refused as wanted: %v", err)
}

func encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
