package certs_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
)

// detReader is a deterministic byte stream: SHA-256(label ":0") ||
// SHA-256(label ":1") || ..., the same construction as the submission
// vectors use.
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

func partnerKey(t testing.TB, label string) certs.PartnerKey {
	t.Helper()
	k, err := certs.GeneratePartnerKey(&detReader{label: label})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func receiptKey(t testing.TB, label string) certs.ReceiptKey {
	t.Helper()
	k, err := certs.GenerateReceiptKey(&detReader{label: label})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func text(t testing.TB, m interface{ MarshalText() ([]byte, error) }) string {
	t.Helper()
	b, err := m.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An X25519 recipient and a hybrid one, fixed so that registries built from
// them are reproducible (the hybrid one is the test vectors').
const (
	x25519Recipient = "age12pk98vvy0c8t4esnnv594dlsgnt3740lu63excnwkxfg6qhqze6qxrvy9w"
	vectorsDir      = "../testdata/vectors"
)

func hybridRecipient(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorsDir, "hub-hybrid.recipient"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b[:len(b)-1])
}

var (
	jan2025 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	jan2026 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// registry returns a valid registry with two partners, each with one key.
func registry(t testing.TB) *certs.Registry {
	t.Helper()
	rk := receiptKey(t, "hub receipt")
	return &certs.Registry{
		Version: 3,
		Hub: certs.HubInfo{
			Recipients: map[string][]string{"standard": {x25519Recipient}, "restricted": {x25519Recipient}},
			ReceiptKey: text(t, rk.Public()),
		},
		Partners: []certs.Partner{
			{ID: "ngo-a", Name: "NGO A", Category: "ngo", Datasets: []string{"victims"},
				Keys: []certs.KeyEntry{entry(t, partnerKey(t, "partner a"))}},
			{ID: "police-cz", Name: "Police", Category: "police", Datasets: []string{"victims", "suspects"},
				Keys: []certs.KeyEntry{entry(t, partnerKey(t, "partner b"))}},
		},
	}
}

func entry(t testing.TB, k certs.PartnerKey) certs.KeyEntry {
	return certs.KeyEntry{KeyID: k.KeyID(), Public: text(t, k.Public()), NotBefore: jan2025, NotAfter: jan2026, Status: certs.KeyActive}
}
