package submission_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/schema"
)

func TestSealOpenRoundTrip(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	h := hybridIdentity(t)
	for _, tc := range []struct {
		name      string
		recipient string
		id        age.Identity
	}{
		{"x25519", x.Recipient().String(), x},
		{"hybrid", h.Recipient().String(), h},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sealed, ct := seal(t, sealConfig(key, tc.recipient), sampleRecords)
			m, err := submission.VerifyManifest(sealed.JWS, key.Public())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := jsonOf(t, m), jsonOf(t, sealed.Manifest); got != want {
				t.Errorf("verified claims\n%s\nsealed claims\n%s", got, want)
			}
			sum := sha256.Sum256(ct)
			if m.Ciphertext.Size != int64(len(ct)) || m.Ciphertext.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("manifest ciphertext %+v does not describe the %d bytes written", m.Ciphertext, len(ct))
			}
			if m.Records != int64(len(sampleRecords)) {
				t.Errorf("records %d, want %d", m.Records, len(sampleRecords))
			}
			if want := []string{certs.RecipientFingerprint(tc.recipient)}; !slices.Equal(m.Recipients, want) {
				t.Errorf("recipients %v, want %v", m.Recipients, want)
			}
			lines, err := open(m, ct, ids(tc.id))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(lines, sampleRecords) {
				t.Errorf("records\n%q\nwant\n%q", lines, sampleRecords)
			}
			d, err := schema.Lookup(m.Schema)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if _, err := d.Decode([]byte(l)); err != nil {
					t.Errorf("record %s: %v", l, err)
				}
			}
		})
	}
}

func TestSealAddMarshalsRecords(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	var ct bytes.Buffer
	s, err := submission.NewSealer(sealConfig(key, x.Recipient().String()), &ct)
	if err != nil {
		t.Fatal(err)
	}
	v := schema.Victim{Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "UA"}
	if err := s.Add(v); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(func() {}); err == nil {
		t.Error("Add accepted a value that is not JSON")
	}
	sealed, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if sealed.Manifest.Submission != s.ID() {
		t.Errorf("ID() %s, manifest %s", s.ID(), sealed.Manifest.Submission)
	}
	lines, err := open(&sealed.Manifest, ct.Bytes(), ids(x))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}`}; !slices.Equal(lines, want) {
		t.Errorf("records %q, want %q", lines, want)
	}
}

func TestSealEmptySubmission(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	sealed, ct := seal(t, sealConfig(key, x.Recipient().String()), nil)
	if sealed.Manifest.Records != 0 {
		t.Fatalf("records %d", sealed.Manifest.Records)
	}
	lines, err := open(&sealed.Manifest, ct, ids(x))
	if err != nil || len(lines) != 0 {
		t.Fatalf("open empty submission: %q, %v", lines, err)
	}
}

func TestSealDeterministicManifest(t *testing.T) {
	// With Now and Rand fixed, only age's randomness varies: the id and
	// everything but the ciphertext hash repeat.
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	a, _ := seal(t, sealConfig(key, x.Recipient().String()), sampleRecords)
	b, _ := seal(t, sealConfig(key, x.Recipient().String()), sampleRecords)
	if a.Manifest.Submission != b.Manifest.Submission {
		t.Errorf("ids %s and %s differ with the same Now and Rand", a.Manifest.Submission, b.Manifest.Submission)
	}
	if !a.Manifest.Created.Equal(t0) || a.Manifest.Created.Location() != time.UTC {
		t.Errorf("created %v, want %v in UTC", a.Manifest.Created, t0)
	}
	if a.Manifest.Ciphertext.Size != b.Manifest.Ciphertext.Size {
		t.Errorf("ciphertext sizes %d and %d differ", a.Manifest.Ciphertext.Size, b.Manifest.Ciphertext.Size)
	}
	if a.Manifest.Ciphertext.SHA256 == b.Manifest.Ciphertext.SHA256 {
		t.Error("two seals produced the same ciphertext: age's randomness is missing")
	}
}

func TestSealCreatedIsUTCMilliseconds(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	cfg := sealConfig(key, x.Recipient().String())
	local := time.Date(2025, 7, 1, 11, 30, 0, 123_456_789, time.FixedZone("CEST", 2*3600))
	cfg.Now = fixedNow(local)
	sealed, _ := seal(t, cfg, nil)
	want := time.Date(2025, 7, 1, 9, 30, 0, 123_000_000, time.UTC)
	if got := sealed.Manifest.Created; !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("created %v, want %v", got, want)
	}
	idTime, err := submission.IDTime(sealed.Manifest.Submission)
	if err != nil || !idTime.Equal(want) {
		t.Errorf("IDTime %v, %v; want %v", idTime, err, want)
	}
}

func TestSealConfigErrors(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	h := hybridIdentity(t)
	for _, tc := range []struct {
		name   string
		change func(*submission.SealConfig)
	}{
		{"no recipients", func(c *submission.SealConfig) { c.Recipients = nil }},
		{"bad recipient", func(c *submission.SealConfig) { c.Recipients = []string{"age1notarecipient"} }},
		{"not age", func(c *submission.SealConfig) { c.Recipients = []string{"ssh-ed25519 AAAA"} }},
		// A classic recipient beside a hybrid one would make the file
		// readable by whoever breaks X25519: age refuses to mix them.
		{"hybrid mixed with x25519", func(c *submission.SealConfig) {
			c.Recipients = []string{h.Recipient().String(), x.Recipient().String()}
		}},
		{"bad partner", func(c *submission.SealConfig) { c.Partner = "NGO A" }},
		{"bad dataset", func(c *submission.SealConfig) { c.Dataset = "Victims" }},
		{"bad period", func(c *submission.SealConfig) { c.Period = "2025-13" }},
		{"bad schema", func(c *submission.SealConfig) { c.Schema = "victims" }},
		{"bad classification", func(c *submission.SealConfig) { c.Classification = "secret" }},
		{"seq 0", func(c *submission.SealConfig) { c.Sequence = 0 }},
		{"seq 1 with prev", func(c *submission.SealConfig) { c.Previous = strings.Repeat("0", 64) }},
		{"seq 2 without prev", func(c *submission.SealConfig) { c.Sequence = 2 }},
		{"seq 2 with short prev", func(c *submission.SealConfig) { c.Sequence, c.Previous = 2, "abcd" }},
		{"no key", func(c *submission.SealConfig) { c.Key = certs.PartnerKey{} }},
		{"time before 1970", func(c *submission.SealConfig) { c.Now = fixedNow(time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC)) }},
		{"rand fails", func(c *submission.SealConfig) { c.Rand = strings.NewReader("short") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sealConfig(key, x.Recipient().String())
			tc.change(&cfg)
			var ct bytes.Buffer
			if _, err := submission.NewSealer(cfg, &ct); err == nil {
				t.Fatal("NewSealer accepted the configuration")
			}
			if ct.Len() != 0 {
				t.Errorf("NewSealer wrote %d bytes before refusing", ct.Len())
			}
		})
	}
}

func TestSealClassification(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	sealed, _ := seal(t, sealConfig(key, x.Recipient().String()), nil)
	if sealed.Manifest.Classification != submission.Standard {
		t.Errorf("default classification %q", sealed.Manifest.Classification)
	}
	cfg := sealConfig(key, x.Recipient().String())
	cfg.Classification = submission.Restricted
	sealed, _ = seal(t, cfg, nil)
	if sealed.Manifest.Classification != submission.Restricted {
		t.Errorf("classification %q", sealed.Manifest.Classification)
	}
}

func TestSealAddRawRefusesNonLines(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	var ct bytes.Buffer
	s, err := submission.NewSealer(sealConfig(key, x.Recipient().String()), &ct)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{``, `{`, `{"a":1}` + "\n" + `{"b":2}`, "{\"a\":\n1}", "{\"a\":\r1}", `not json`} {
		if err := s.AddRaw([]byte(bad)); err == nil {
			t.Errorf("AddRaw(%q) accepted", bad)
		}
	}
	sealed, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if sealed.Manifest.Records != 0 {
		t.Errorf("refused records were counted: %d", sealed.Manifest.Records)
	}
	if err := s.AddRaw([]byte(`{}`)); err == nil {
		t.Error("AddRaw after Close accepted")
	}
	if err := s.Add(struct{}{}); err == nil {
		t.Error("Add after Close accepted")
	}
	if _, err := s.Close(); err == nil {
		t.Error("second Close accepted")
	}
}

func TestSignManifestRefuses(t *testing.T) {
	key := partnerKey(t, "partner a")
	other := partnerKey(t, "partner b")
	m := craftManifest(key, "ngo-a", fixedID(t, "id"), []byte("ct"), 0)
	if _, err := submission.SignManifest(&m, key); err != nil {
		t.Fatal(err)
	}
	if _, err := submission.SignManifest(&m, other); err == nil {
		t.Error("SignManifest signed claims naming another kid")
	}
	bad := m
	bad.Period = "someday"
	if _, err := submission.SignManifest(&bad, key); err == nil {
		t.Error("SignManifest signed an invalid manifest")
	}
}
