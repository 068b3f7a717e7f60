package submission_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/thbx/thbx/submission"
)

// sealedX25519 seals the sample records for partner ngo-a to a fresh
// X25519 identity.
func sealedX25519(t *testing.T) (*submission.Manifest, []byte, *age.X25519Identity) {
	t.Helper()
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	sealed, ct := seal(t, sealConfig(key, x.Recipient().String()), sampleRecords)
	return &sealed.Manifest, ct, x
}

func TestOpenIntegrity(t *testing.T) {
	m, ct, x := sealedX25519(t)
	flip := func(i int) []byte {
		b := bytes.Clone(ct)
		b[i] ^= 0x01
		return b
	}
	for _, tc := range []struct {
		name string
		ct   []byte
		want submission.Reason
	}{
		{"bit flip in the age header", flip(10), submission.ReasonHash},
		{"bit flip in the header MAC", flip(bytes.Index(ct, []byte("\n---")) + 6), submission.ReasonHash},
		{"bit flip in the payload", flip(len(ct) / 2), submission.ReasonHash},
		{"bit flip in the last byte", flip(len(ct) - 1), submission.ReasonHash},
		{"truncated by one byte", ct[:len(ct)-1], submission.ReasonSize},
		{"truncated to half", ct[:len(ct)/2], submission.ReasonSize},
		{"empty", nil, submission.ReasonSize},
		{"one byte appended", append(bytes.Clone(ct), 0), submission.ReasonSize},
		{"a second copy appended", append(bytes.Clone(ct), ct...), submission.ReasonSize},
		{"newline appended", append(bytes.Clone(ct), '\n'), submission.ReasonSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen int
			_, err := submission.Open(m, bytes.NewReader(tc.ct), ids(x), func([]byte) error { seen++; return nil })
			wantReason(t, err, tc.want)
			if !tc.want.Retryable() {
				t.Errorf("reason %s should tell the agent to upload again", tc.want)
			}
		})
	}
}

func TestOpenEndlessCiphertext(t *testing.T) {
	// An object that never ends is read only one byte past its declared
	// size.
	m, ct, x := sealedX25519(t)
	r := &countingReader{r: io.MultiReader(bytes.NewReader(ct), zeros{})}
	_, err := submission.Open(m, r, ids(x), func([]byte) error { return nil })
	wantReason(t, err, submission.ReasonSize)
	if r.n > m.Ciphertext.Size+1 {
		t.Errorf("Open read %d bytes of a %d-byte submission", r.n, m.Ciphertext.Size)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestOpenTooLarge(t *testing.T) {
	m, ct, x := sealedX25519(t)
	r := &countingReader{r: bytes.NewReader(ct)}
	cfg := ids(x)
	cfg.MaxCiphertext = m.Ciphertext.Size - 1
	_, err := submission.Open(m, r, cfg, func([]byte) error { return nil })
	wantReason(t, err, submission.ReasonTooLarge)
	if r.n != 0 {
		t.Errorf("Open read %d bytes of a submission over the limit", r.n)
	}
	cfg.MaxCiphertext = m.Ciphertext.Size
	if _, err := open(m, ct, cfg); err != nil {
		t.Errorf("submission of exactly the limit: %v", err)
	}
}

func TestOpenSwappedCiphertexts(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	cfg := sealConfig(key, x.Recipient().String())
	a, ctA := seal(t, cfg, sampleRecords)
	cfg.Rand = newDetReader("another submission")
	cfg.Sequence, cfg.Previous = 2, submission.ManifestHash(a.JWS)
	b, ctB := seal(t, cfg, sampleRecords)
	if len(ctA) != len(ctB) {
		t.Fatalf("ciphertexts of %d and %d bytes; the test wants equal sizes", len(ctA), len(ctB))
	}
	_, err := open(&a.Manifest, ctB, ids(x))
	wantReason(t, err, submission.ReasonHash)
	_, err = open(&b.Manifest, ctA, ids(x))
	wantReason(t, err, submission.ReasonHash)
}

func TestOpenResignedByAnotherPartner(t *testing.T) {
	// Partner B copies partner A's ciphertext from the drop box and signs
	// a manifest of its own with the right size and hash. Only the
	// encrypted header can tell.
	m, ct, x := sealedX25519(t)
	keyB := partnerKey(t, "partner b")
	for _, tc := range []struct {
		name   string
		change func(*submission.Manifest)
	}{
		{"as its own submission", func(mb *submission.Manifest) {
			mb.Partner, mb.Submission = "ngo-b", fixedID(t, "b")
		}},
		{"keeping A's submission id", func(mb *submission.Manifest) { mb.Partner = "ngo-b" }},
		{"keeping A's partner id", func(mb *submission.Manifest) { mb.Submission = fixedID(t, "b") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mb := *m
			mb.KeyID = keyB.KeyID()
			tc.change(&mb)
			jws, err := submission.SignManifest(&mb, keyB)
			if err != nil {
				t.Fatal(err)
			}
			vm, err := submission.VerifyManifest(jws, keyB.Public())
			if err != nil {
				t.Fatal(err)
			}
			lines, err := open(vm, ct, ids(x))
			wantReason(t, err, submission.ReasonPayloadMismatch)
			if len(lines) != 0 {
				t.Errorf("fn saw %d records of another partner's submission", len(lines))
			}
		})
	}
}

func TestOpenHeaderMustRepeatManifest(t *testing.T) {
	// The partner itself re-labels an old ciphertext.
	m, ct, x := sealedX25519(t)
	for _, tc := range []struct {
		name   string
		change func(*submission.Manifest)
	}{
		{"dataset", func(m *submission.Manifest) { m.Dataset = "suspects" }},
		{"period", func(m *submission.Manifest) { m.Period = "2024" }},
		{"schema", func(m *submission.Manifest) { m.Schema = "victims/2" }},
		{"submission", func(m *submission.Manifest) { m.Submission = fixedID(t, "relabelled") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mm := *m
			tc.change(&mm)
			_, err := open(&mm, ct, ids(x))
			wantReason(t, err, submission.ReasonPayloadMismatch)
		})
	}
}

func TestOpenWrongIdentity(t *testing.T) {
	key := partnerKey(t, "partner a")
	h := hybridIdentity(t)
	sealed, ct := seal(t, sealConfig(key, h.Recipient().String()), sampleRecords)
	for _, tc := range []struct {
		name string
		cfg  submission.OpenConfig
	}{
		{"another hybrid identity", ids(hybridIdentity(t))},
		{"an x25519 identity", ids(x25519Identity(t))},
		{"several wrong identities", ids(x25519Identity(t), hybridIdentity(t))},
		{"no identity", submission.OpenConfig{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, err := open(&sealed.Manifest, ct, tc.cfg)
			wantReason(t, err, submission.ReasonDecrypt)
			if len(lines) != 0 {
				t.Errorf("fn saw %d records", len(lines))
			}
		})
	}
	t.Run("right identity among wrong ones", func(t *testing.T) {
		lines, err := open(&sealed.Manifest, ct, ids(x25519Identity(t), h))
		if err != nil || len(lines) != len(sampleRecords) {
			t.Fatalf("%d records, %v", len(lines), err)
		}
	})
	t.Run("damage is named before decryption", func(t *testing.T) {
		// The hash says "changed in transit, upload again", which is
		// what the agent can act on; decryption failure would not.
		b := bytes.Clone(ct)
		b[len(b)-1] ^= 1
		_, err := open(&sealed.Manifest, b, ids(x25519Identity(t)))
		wantReason(t, err, submission.ReasonHash)
	})
}

func TestOpenRecordCount(t *testing.T) {
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	sealed, ct := seal(t, sealConfig(key, x.Recipient().String()), sampleRecords)
	for _, delta := range []int64{-3, -1, 1, 1000} {
		m := sealed.Manifest
		m.Records += delta
		jws, err := submission.SignManifest(&m, key)
		if err != nil {
			t.Fatal(err)
		}
		vm, err := submission.VerifyManifest(jws, key.Public())
		if err != nil {
			t.Fatal(err)
		}
		_, err = open(vm, ct, ids(x))
		wantReason(t, err, submission.ReasonRecordCount)
	}
}

func TestOpenLineLimit(t *testing.T) {
	m, ct, x := sealedX25519(t)
	longest := 0
	for _, r := range sampleRecords {
		longest = max(longest, len(r))
	}
	cfg := ids(x)
	cfg.MaxLine = longest
	if _, err := open(m, ct, cfg); err != nil {
		t.Errorf("records of exactly MaxLine bytes: %v", err)
	}
	cfg.MaxLine = longest - 1
	_, err := open(m, ct, cfg)
	wantReason(t, err, submission.ReasonPayloadMalformed)
	cfg.MaxLine = 20 // shorter than the header line
	_, err = open(m, ct, cfg)
	wantReason(t, err, submission.ReasonPayloadMalformed)
}

func TestOpenLongLineAcrossBuffers(t *testing.T) {
	// Lines longer than Open's 64 KiB read buffer are assembled, and
	// refused once they pass MaxLine.
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	long := `{"status_source":"` + strings.Repeat("x", 200<<10) + `"}`
	sealed, ct := seal(t, sealConfig(key, x.Recipient().String()), []string{long, sampleRecords[0]})
	lines, err := open(&sealed.Manifest, ct, ids(x))
	if err != nil || len(lines) != 2 || lines[0] != long {
		t.Fatalf("%d records, %v", len(lines), err)
	}
	cfg := ids(x)
	cfg.MaxLine = 100 << 10
	_, err = open(&sealed.Manifest, ct, cfg)
	wantReason(t, err, submission.ReasonPayloadMalformed)
}

// crafted opens a payload that a registered partner encrypted and signed
// correctly, whatever it holds.
func crafted(t *testing.T, plaintext func(submission.Manifest) []byte, records int64) ([]string, error) {
	t.Helper()
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	base := craftManifest(key, "ngo-a", fixedID(t, "crafted"), nil, records)
	ct := encrypt(t, plaintext(base), x.Recipient())
	m := craftManifest(key, "ngo-a", base.Submission, ct, records)
	jws, err := submission.SignManifest(&m, key)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := submission.VerifyManifest(jws, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return open(vm, ct, ids(x))
}

func TestOpenMalformedPayload(t *testing.T) {
	hdr := func(m submission.Manifest) string { return strings.TrimSuffix(string(payload(m)), "\n") }
	for _, tc := range []struct {
		name    string
		plain   func(submission.Manifest) []byte
		records int64
		want    submission.Reason
	}{
		{"empty payload", func(submission.Manifest) []byte { return nil }, 0, submission.ReasonPayloadMalformed},
		{"header without newline", func(m submission.Manifest) []byte { return []byte(hdr(m)) }, 0, submission.ReasonPayloadMalformed},
		{"last record without newline", func(m submission.Manifest) []byte {
			return append(payload(m), sampleRecords[0]...)
		}, 1, submission.ReasonPayloadMalformed},
		{"header is not JSON", func(m submission.Manifest) []byte { return []byte("thbx-payload/1\n") }, 0, submission.ReasonPayloadMalformed},
		{"header is a JSON array", func(m submission.Manifest) []byte { return []byte("[]\n") }, 0, submission.ReasonPayloadMalformed},
		{"header of another format", func(m submission.Manifest) []byte {
			return bytes.Replace(payload(m), []byte(submission.PayloadFormat), []byte("thbx-payload/2"), 1)
		}, 0, submission.ReasonPayloadMalformed},
		{"header with an unknown field", func(m submission.Manifest) []byte {
			return bytes.Replace(payload(m), []byte(`{`), []byte(`{"extra":1,`), 1)
		}, 0, submission.ReasonPayloadMalformed},
		{"header naming another partner", func(m submission.Manifest) []byte {
			m.Partner = "ngo-b"
			return payload(m)
		}, 0, submission.ReasonPayloadMismatch},
		{"header with an empty field", func(m submission.Manifest) []byte {
			m.Schema = ""
			return payload(m)
		}, 0, submission.ReasonPayloadMismatch},
		{"header only", func(m submission.Manifest) []byte { return payload(m) }, 0, ""},
		{"blank record lines are records", func(m submission.Manifest) []byte { return payload(m, "", "") }, 2, ""},
		{"CRLF stays in the record", func(m submission.Manifest) []byte { return payload(m, "{}\r") }, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := crafted(t, tc.plain, tc.records)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantReason(t, err, tc.want)
		})
	}
}

// TestOpenHeaderTrailingData: the payload header line is one JSON object;
// anything after it on the line should be refused, as trailing data after
// a manifest's claims is.
func TestOpenHeaderTrailingData(t *testing.T) {
	for _, tail := range []string{`{"partner":"ngo-b"}`, ` garbage`, `[]`} {
		_, err := crafted(t, func(m submission.Manifest) []byte {
			p := payload(m)
			return append(append(p[:len(p)-1:len(p)-1], tail...), '\n')
		}, 0)
		if err == nil {
			t.Fatalf("Open accepts a payload header followed by %q", tail)
		}
		wantReason(t, err, submission.ReasonPayloadMalformed)
	}
}

func TestOpenDamagedStreamWithMatchingHash(t *testing.T) {
	// A partner signs the hash of a ciphertext that age cannot read: the
	// hash matches, so the reason is the decryption.
	key := partnerKey(t, "partner a")
	x := x25519Identity(t)
	good := encrypt(t, payload(craftManifest(key, "ngo-a", fixedID(t, "d"), nil, 0)), x.Recipient())
	for _, tc := range []struct {
		name string
		ct   []byte
	}{
		{"cut payload", good[:len(good)-1]},
		{"cut after the header", good[:headerEnd(good)]},
		{"cut in the nonce", good[:headerEnd(good)+8]},
		{"flipped payload byte", func() []byte { b := bytes.Clone(good); b[len(b)-2] ^= 1; return b }()},
		{"not age", []byte("hello\n")},
		{"age header only", []byte("age-encryption.org/v1\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := craftManifest(key, "ngo-a", fixedID(t, "d"), tc.ct, 0)
			lines, err := open(&m, tc.ct, ids(x))
			wantReason(t, err, submission.ReasonDecrypt)
			if len(lines) != 0 {
				t.Errorf("fn saw %q", lines)
			}
		})
	}
}

// headerEnd returns the length of an age file's header, MAC line included.
func headerEnd(ct []byte) int {
	i := bytes.Index(ct, []byte("\n---"))
	return i + 1 + bytes.IndexByte(ct[i+1:], '\n') + 1
}

var errStore = errors.New("store is down")

func TestOpenRecordCallback(t *testing.T) {
	m, ct, x := sealedX25519(t)
	t.Run("rejection", func(t *testing.T) {
		_, err := submission.Open(m, bytes.NewReader(ct), ids(x), func(line []byte) error {
			if bytes.Contains(line, []byte("klientka")) {
				return submission.Reject(submission.ReasonRecordInvalid, "status_source")
			}
			return nil
		})
		wantReason(t, err, submission.ReasonRecordInvalid)
		if !strings.Contains(err.Error(), "record 2") {
			t.Errorf("error %q does not name record 2", err)
		}
	})
	t.Run("the caller's own error", func(t *testing.T) {
		n, err := submission.Open(m, bytes.NewReader(ct), ids(x), func([]byte) error { return errStore })
		if !errors.Is(err, errStore) {
			t.Fatalf("error %v, want %v", err, errStore)
		}
		var rej *submission.RejectError
		if errors.As(err, &rej) {
			t.Errorf("the caller's failure became a rejection: %v", err)
		}
		if n != 0 {
			t.Errorf("n = %d", n)
		}
	})
	t.Run("a rejection of a damaged submission is the damage", func(t *testing.T) {
		b := bytes.Clone(ct)
		b[len(b)-1] ^= 1
		_, err := submission.Open(m, bytes.NewReader(b), ids(x), func([]byte) error {
			return submission.Reject(submission.ReasonRecordInvalid, "bad")
		})
		// The last chunk is damaged, so age refuses it before fn sees
		// anything, and the hash names the cause.
		wantReason(t, err, submission.ReasonHash)
	})
}

func TestRejectError(t *testing.T) {
	cause := errors.New("cause")
	err := error(&submission.RejectError{Reason: submission.ReasonSignature, Detail: "d", Err: cause})
	if !errors.Is(err, cause) {
		t.Error("RejectError does not unwrap to its cause")
	}
	if got := err.Error(); got != "signature_invalid: d" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&submission.RejectError{Reason: submission.ReasonHash}).Error(); got != "ciphertext_hash_mismatch" {
		t.Errorf("Error() = %q", got)
	}
	if got := submission.Reject(submission.ReasonSize, "%d bytes", 3).Error(); got != "ciphertext_size_mismatch: 3 bytes" {
		t.Errorf("Error() = %q", got)
	}
}

var allReasons = []submission.Reason{
	submission.ReasonObjectName, submission.ReasonManifestTooLarge, submission.ReasonManifestMalformed,
	submission.ReasonUnknownKey, submission.ReasonKeyPartner, submission.ReasonPrefix,
	submission.ReasonKeyRevoked, submission.ReasonKeyExpired, submission.ReasonKeyNotYetValid,
	submission.ReasonSignature, submission.ReasonCreatedInFuture, submission.ReasonDataset,
	submission.ReasonIDReused, submission.ReasonReplay, submission.ReasonPrevious,
	submission.ReasonRecipients, submission.ReasonCiphertextMissing, submission.ReasonTooLarge,
	submission.ReasonSize, submission.ReasonHash, submission.ReasonDecrypt,
	submission.ReasonPayloadMismatch, submission.ReasonPayloadMalformed, submission.ReasonRecordInvalid,
	submission.ReasonRecordCount,
}

func TestReasons(t *testing.T) {
	seen := map[submission.Reason]bool{}
	for _, r := range allReasons {
		if seen[r] {
			t.Errorf("reason %s defined twice", r)
		}
		seen[r] = true
		if r.Hint() == "" {
			t.Errorf("reason %s has no hint", r)
		}
		want := r == submission.ReasonCiphertextMissing || r == submission.ReasonSize || r == submission.ReasonHash
		if r.Retryable() != want {
			t.Errorf("%s.Retryable() = %v", r, r.Retryable())
		}
	}
	if submission.Reason("nonsense").Hint() != "" || submission.Reason("nonsense").Retryable() {
		t.Error("an unknown reason has a hint or is retryable")
	}
}
