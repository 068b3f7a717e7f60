package submission_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"

	"github.com/thbx/thbx/submission"
)

func sampleReceipt(t testing.TB) submission.Receipt {
	return submission.Receipt{
		Partner: "ngo-a", Submission: fixedID(t, "receipt"),
		Manifest: strings.Repeat("ab", 32), Sequence: 2,
		Status: submission.Accepted, Chained: true, Records: 3,
		Decided: time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC),
	}
}

func TestReceiptRoundTrip(t *testing.T) {
	key := receiptKey(t, "receipt")
	for _, r := range []submission.Receipt{
		sampleReceipt(t),
		func() submission.Receipt {
			r := sampleReceipt(t)
			r.Status, r.Reason, r.Message, r.Retry, r.Chained, r.Records = submission.Rejected,
				submission.ReasonHash, submission.ReasonHash.Hint(), true, false, 0
			return r
		}(),
	} {
		b, err := submission.SignReceipt(r, key)
		if err != nil {
			t.Fatal(err)
		}
		got, err := submission.VerifyReceipt(b, key.Public())
		if err != nil {
			t.Fatal(err)
		}
		r.Format = submission.ReceiptFormat
		if jsonOf(t, got) != jsonOf(t, r) {
			t.Errorf("receipt\n%s\nwant\n%s", jsonOf(t, got), jsonOf(t, r))
		}
		// Ed25519 is deterministic: the same receipt signs to the same bytes.
		again, _ := submission.SignReceipt(got, key)
		if !bytes.Equal(again, b) {
			t.Error("re-signing a receipt gave other bytes")
		}
	}
}

func TestSignReceiptRefusesStatus(t *testing.T) {
	key := receiptKey(t, "receipt")
	for _, s := range []string{"", "ACCEPTED", "pending"} {
		r := sampleReceipt(t)
		r.Status = s
		if _, err := submission.SignReceipt(r, key); err == nil {
			t.Errorf("SignReceipt signed status %q", s)
		}
	}
	// Format is always set by SignReceipt, whatever the caller put there.
	r := sampleReceipt(t)
	r.Format = "something else"
	b, err := submission.SignReceipt(r, key)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := submission.VerifyReceipt(b, key.Public()); err != nil || got.Format != submission.ReceiptFormat {
		t.Errorf("format %q, %v", got.Format, err)
	}
}

func TestVerifyReceiptRefuses(t *testing.T) {
	key := receiptKey(t, "receipt")
	other := receiptKey(t, "another hub")
	partner := partnerKey(t, "partner a")
	r := sampleReceipt(t)
	good, err := submission.SignReceipt(r, key)
	if err != nil {
		t.Fatal(err)
	}
	r.Format = submission.ReceiptFormat
	claims, _ := json.Marshal(r)
	parts := strings.Split(string(good), ".")
	signed := func(payload string) []byte {
		b, err := key.SignJWS([]byte(payload), submission.ReceiptType)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	edit := func(old, new string) []byte {
		if !strings.Contains(string(claims), old) {
			t.Fatalf("claims %s do not contain %s", claims, old)
		}
		return signed(strings.Replace(string(claims), old, new, 1))
	}
	byOther, _ := submission.SignReceipt(r, other)
	// A partner key can produce a JWS of the receipt type, and the kid
	// alone must not make it pass.
	byPartner, _ := partner.SignJWS(claims, submission.ReceiptType)
	asManifest, _ := key.SignJWS(claims, submission.ManifestType)
	rejected := strings.Replace(string(claims), `"status":"accepted"`, `"status":"rejected"`, 1)

	for _, tc := range []struct {
		name string
		jws  []byte
	}{
		{"signed by another hub", byOther},
		{"signed by a partner", byPartner},
		{"manifest typ", asManifest},
		{"status changed under the signature", []byte(parts[0] + "." + b64(rejected) + "." + parts[2])},
		{"signature bit flipped", []byte(parts[0] + "." + parts[1] + "." + flipB64(parts[2], 5))},
		{"alg none", compact(`{"alg":"none","kid":"`+key.KeyID()+`","typ":"`+submission.ReceiptType+`"}`, string(claims), nil)},
		{"HS256 keyed with the public key", jwsWith(t, claims, jwa.HS256, key.Public().Bytes(), key.KeyID(), submission.ReceiptType)},
		{"too large", append(bytes.Clone(good), bytes.Repeat([]byte(" "), submission.MaxManifestSize)...)},
		{"empty", nil},
		{"unknown field", edit(`"status":`, `"hub_note":"x","status":`)},
		{"wrong format", edit(submission.ReceiptFormat, "thbx-receipt/2")},
		{"bad status", edit(`"status":"accepted"`, `"status":"maybe"`)},
		{"bad partner", edit(`"partner":"ngo-a"`, `"partner":"../ngo-b"`)},
		{"bad submission", edit(`"submission":"`, `"submission":"x`)},
		{"not JSON", signed(`receipt`)},
		{"decided not a time", edit(`"decided":"2025-07-01T10:00:00Z"`, `"decided":"today"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := submission.VerifyReceipt(tc.jws, key.Public()); err == nil {
				t.Errorf("VerifyReceipt accepted %+v", got)
			}
		})
	}
}

// TestVerifyReceiptTrailingData: a receipt's claims are one JSON object, as
// a manifest's are; VerifyManifest refuses trailing data, VerifyReceipt
// should too.
func TestVerifyReceiptTrailingData(t *testing.T) {
	key := receiptKey(t, "receipt")
	r := sampleReceipt(t)
	r.Format = submission.ReceiptFormat
	claims, _ := json.Marshal(r)
	for _, tail := range []string{`{}`, `{"status":"rejected"}`, ` x`} {
		b, err := key.SignJWS(append(bytes.Clone(claims), tail...), submission.ReceiptType)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := submission.VerifyReceipt(b, key.Public()); err == nil {
			t.Fatalf("VerifyReceipt accepts claims followed by %q", tail)
		}
	}
}
