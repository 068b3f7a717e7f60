package submission_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// detReader is a deterministic byte stream for keys and ids in tests and
// vectors: SHA-256(label ":0") || SHA-256(label ":1") || ... An Ed25519 key
// made from it has SHA-256(label ":0") as its seed, which another
// implementation can recompute.
type detReader struct {
	label string
	n     int
	buf   []byte
}

func newDetReader(label string) *detReader { return &detReader{label: label} }

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
	k, err := certs.GeneratePartnerKey(newDetReader(label))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func receiptKey(t testing.TB, label string) certs.ReceiptKey {
	t.Helper()
	k, err := certs.GenerateReceiptKey(newDetReader(label))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func x25519Identity(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func hybridIdentity(t testing.TB) *age.HybridIdentity {
	t.Helper()
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// fixedNow returns a clock stuck at t.
func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

var t0 = time.Date(2025, 7, 1, 9, 30, 0, 123_000_000, time.UTC)

// sealConfig is a valid configuration for partner "ngo-a" that tests
// change one field at a time.
func sealConfig(key certs.PartnerKey, recipients ...string) submission.SealConfig {
	return submission.SealConfig{
		Partner:    "ngo-a",
		Key:        key,
		Recipients: recipients,
		Dataset:    "victims",
		Period:     "2025-H1",
		Schema:     "victims/1",
		Sequence:   1,
		Now:        fixedNow(t0),
		Rand:       newDetReader("seal " + key.KeyID()),
	}
}

var sampleRecords = []string{
	`{"status_source":"identifikovaná oběť","status":"actual","decided_by":"police","sex":"F","birth_year":1998,"age_group":"adult","citizenship":"UA","exploitation":["sexual"],"identified_on":"2025-03-14"}`,
	`{"status_source":"klientka","status":"possible","decided_by":"ngo","sex":"F","birth_year":2008,"age_group":"child","citizenship":"CZ","exploitation":["labour","begging"],"identified_on":"2025-05-02"}`,
	`{"status_source":"presumed","status":"possible","decided_by":"ngo","sex":"M","birth_year":1990,"age_group":"adult","citizenship":"VN","exploitation":["labour"],"identified_on":"2025-07"}`,
}

// seal seals records (JSON lines) and returns the outcome and the ciphertext.
func seal(t testing.TB, cfg submission.SealConfig, records []string) (submission.Sealed, []byte) {
	t.Helper()
	var ct bytes.Buffer
	s, err := submission.NewSealer(cfg, &ct)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		if err := s.AddRaw([]byte(r)); err != nil {
			t.Fatal(err)
		}
	}
	sealed, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	return sealed, ct.Bytes()
}

// open runs Open and collects the record lines.
func open(m *submission.Manifest, ct []byte, cfg submission.OpenConfig) ([]string, error) {
	var lines []string
	n, err := submission.Open(m, bytes.NewReader(ct), cfg, func(line []byte) error {
		lines = append(lines, string(line))
		return nil
	})
	if err == nil && n != int64(len(lines)) {
		return lines, fmt.Errorf("Open returned %d records, fn saw %d", n, len(lines))
	}
	return lines, err
}

func ids(ids ...age.Identity) submission.OpenConfig {
	return submission.OpenConfig{Identities: ids}
}

// wantReason fails unless err is a *submission.RejectError with reason r.
func wantReason(t testing.TB, err error, r submission.Reason) {
	t.Helper()
	var rej *submission.RejectError
	if !errors.As(err, &rej) {
		t.Fatalf("error %v (%T), want a *RejectError with reason %s", err, err, r)
	}
	if rej.Reason != r {
		t.Fatalf("reason %s (%v), want %s", rej.Reason, err, r)
	}
}

// encrypt age-encrypts plaintext to recipients.
func encrypt(t testing.TB, plaintext []byte, recipients ...age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, recipients...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plaintext); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// craftManifest makes a valid manifest for partner and an arbitrary
// ciphertext, as a malicious but registered partner could: the hash and
// size are right, whatever the ciphertext holds.
func craftManifest(key certs.PartnerKey, partner, id string, ct []byte, records int64) submission.Manifest {
	sum := sha256.Sum256(ct)
	return submission.Manifest{
		Format: submission.ManifestFormat, Partner: partner, KeyID: key.KeyID(),
		Dataset: "victims", Period: "2025-H1", Submission: id, Created: t0,
		Schema: "victims/1", Classification: submission.Standard, Records: records,
		Ciphertext: submission.Ciphertext{Size: int64(len(ct)), SHA256: hex.EncodeToString(sum[:])},
		Recipients: []string{strings.Repeat("ab", 16)}, Sequence: 1,
	}
}

// payload builds a plaintext payload: the header line of m, then lines.
func payload(m submission.Manifest, lines ...string) []byte {
	hdr := fmt.Sprintf(`{"format":%q,"partner":%q,"submission":%q,"dataset":%q,"period":%q,"schema":%q}`,
		submission.PayloadFormat, m.Partner, m.Submission, m.Dataset, m.Period, m.Schema)
	var b strings.Builder
	b.WriteString(hdr + "\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return []byte(b.String())
}

// fixedID is a valid submission id for t0.
func fixedID(t testing.TB, label string) string {
	t.Helper()
	id, err := submission.NewID(t0, newDetReader(label))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// countingReader counts the bytes Open pulls from the ciphertext.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// jsonOf marshals v for comparisons that should not depend on time
// locations or nil versus empty slices inside time.Time.
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
