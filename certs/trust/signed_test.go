package trust_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/thbx/thbx/certs/trust"
)

func TestSignVerifyTwoOfThree(t *testing.T) {
	r := root(t)
	s := signedBundle(t, bundle(t), "alice")
	if err := s.AddSignature(officerKey(t, "carol"), trust.BundleType); err != nil {
		t.Fatal(err)
	}
	signers, err := s.Verify(r.Officers, r.Threshold, trust.BundleType)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(signers) != "[alice carol]" {
		t.Fatalf("signers %v", signers)
	}
	if got := s.KeyIDs(); len(got) != 2 || got[0] != officerKey(t, "alice").KeyID() {
		t.Fatalf("KeyIDs %v", got)
	}
	// Round trip through the wire form.
	s2 := must(trust.ParseSigned(must(s.Marshal())))
	if _, err := s2.Verify(r.Officers, r.Threshold, trust.BundleType); err != nil {
		t.Fatal(err)
	}
}

func TestAddSignatureRefusesSameOfficer(t *testing.T) {
	s := signedBundle(t, bundle(t), "alice")
	wantErr(t, s.AddSignature(officerKey(t, "alice"), trust.BundleType), nil, "already signed")
	if len(s.Signatures) != 1 {
		t.Fatal("a refused signature was added")
	}
}

func TestVerifyRefusesZeroThreshold(t *testing.T) {
	s := signedBundle(t, bundle(t), "alice")
	_, err := s.Verify(root(t).Officers, 0, trust.BundleType)
	wantErr(t, err, nil, "at least one signature")
}

func TestVerifyRefusesOtherDocumentType(t *testing.T) {
	// A signature over a root cannot count for a bundle.
	r := root(t)
	s := signedBundle(t, bundle(t), "alice", "bob")
	_, err := s.Verify(r.Officers, 2, trust.RootType)
	wantErr(t, err, trust.ErrThreshold, "signature 1 (officer alice) does not verify", "document type")
}

func TestVerifyRefusesUnsigned(t *testing.T) {
	s := must(trust.NewRootProposal(*root(t)))
	_, err := s.Verify(root(t).Officers, 2, trust.RootType)
	wantErr(t, err, trust.ErrThreshold, "0 valid officer signature(s), 2 needed", "no signatures")
}

// forge replaces s's signatures by one under header alg, made by sign.
func forge(s *trust.Signed, alg, kid string, sign func(input string) []byte) {
	hdr := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, `{"alg":%q,"kid":%q,"typ":%q}`, alg, kid, trust.BundleType))
	s.Signatures = []trust.Signature{{Protected: hdr, Signature: base64.RawURLEncoding.EncodeToString(sign(hdr + "." + s.Payload))}}
}

func TestAlgNoneAndHS256Refused(t *testing.T) {
	r := root(t)
	alice := r.Officers[0]
	pub := must(alice.PublicKey())
	for name, tc := range map[string]struct {
		alg  string
		sign func(string) []byte
	}{
		"none":            {"none", func(string) []byte { return nil }},
		"HS256 raw key":   {"HS256", hmacWith(pub.Bytes())},
		"HS256 PEM key":   {"HS256", hmacWith([]byte(alice.Public))},
		"EdDSA forgery":   {"EdDSA", func(string) []byte { return make([]byte, 64) }},
		"ES256 anything":  {"ES256", func(string) []byte { return make([]byte, 64) }},
		"HS256 empty key": {"HS256", hmacWith(nil)},
	} {
		t.Run(name, func(t *testing.T) {
			s := signedBundle(t, bundle(t), "alice")
			forge(s, tc.alg, alice.KeyID, tc.sign)
			_, err := s.Verify(r.Officers, 1, trust.BundleType)
			wantErr(t, err, trust.ErrThreshold, "signature 1 (officer alice) does not verify")
			// And on the wire: refused when parsing (empty segment) or verifying.
			_, err = trust.VerifyBundle(must(s.Marshal()), r, nil, now)
			wantErr(t, err, nil)
		})
	}
}

func hmacWith(key []byte) func(string) []byte {
	return func(input string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(input))
		return m.Sum(nil)
	}
}

func TestParseSignedStrict(t *testing.T) {
	good := string(must(signedBundle(t, bundle(t), "alice").Marshal()))
	s := must(trust.ParseSigned([]byte(good)))
	p, sig := s.Payload, s.Signatures[0]
	for name, doc := range map[string]string{
		"unprotected header": fmt.Sprintf(`{"payload":%q,"signatures":[{"protected":%q,"header":{"kid":"x"},"signature":%q}]}`, p, sig.Protected, sig.Signature),
		"case-folded key":    fmt.Sprintf(`{"Payload":%q,"signatures":[]}`, p),
		"duplicate payload":  fmt.Sprintf(`{"payload":%q,"payload":%q,"signatures":[]}`, p, p),
		"duplicate nested":   fmt.Sprintf(`{"payload":%q,"signatures":[{"protected":%q,"protected":%q,"signature":%q}]}`, p, sig.Protected, sig.Protected, sig.Signature),
		"padded base64":      fmt.Sprintf(`{"payload":%q,"signatures":[]}`, p+"="),
		"std base64":         fmt.Sprintf(`{"payload":%q,"signatures":[]}`, strings.ReplaceAll(p, "-", "+")+"+"),
		"empty payload":      `{"payload":"","signatures":[]}`,
		"trailing data":      good + "{}",
		"flattened form":     fmt.Sprintf(`{"payload":%q,"protected":%q,"signature":%q}`, p, sig.Protected, sig.Signature),
		"empty signature":    fmt.Sprintf(`{"payload":%q,"signatures":[{"protected":%q,"signature":""}]}`, p, sig.Protected),
		"not UTF-8":          "{\"payload\":\"\xff\",\"signatures\":[]}",
		"too many":           fmt.Sprintf(`{"payload":%q,"signatures":[%s]}`, p, strings.Repeat(`{"protected":"e30","signature":"AA"},`, trust.MaxSignatures)+`{"protected":"e30","signature":"AA"}`),
		"too large":          good + strings.Repeat(" ", trust.MaxSignedSize),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := trust.ParseSigned([]byte(doc))
			wantErr(t, err, nil, "signed document")
		})
	}
}

func TestThresholdErrorUnwraps(t *testing.T) {
	var err error = &trust.ThresholdError{Have: 1, Need: 2}
	if !errors.Is(err, trust.ErrThreshold) {
		t.Fatal("ThresholdError does not unwrap to ErrThreshold")
	}
	var te *trust.ThresholdError
	if !errors.As(fmt.Errorf("wrapped: %w", err), &te) || te.Need != 2 {
		t.Fatal("errors.As")
	}
}
