package submission_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// rawKey is the Ed25519 private key behind partnerKey(t, label), for
// building JWS objects that certs would refuse to sign.
func rawKey(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(label + ":0"))
	return ed25519.NewKeyFromSeed(seed[:])
}

// signedManifest returns a valid manifest of partner ngo-a and its JWS.
func signedManifest(t testing.TB, key certs.PartnerKey) (submission.Manifest, []byte) {
	t.Helper()
	m := craftManifest(key, "ngo-a", fixedID(t, "manifest"), []byte("ciphertext"), 3)
	b, err := submission.SignManifest(&m, key)
	if err != nil {
		t.Fatal(err)
	}
	return m, b
}

// jwsWith signs payload with alg and key under a protected header naming
// kid and typ, with whatever algorithm certs would never use.
func jwsWith(t testing.TB, payload []byte, alg jwa.SignatureAlgorithm, key any, kid, typ string) []byte {
	t.Helper()
	hdr := jws.NewHeaders()
	if kid != "" {
		if err := hdr.Set(jws.KeyIDKey, kid); err != nil {
			t.Fatal(err)
		}
	}
	if typ != "" {
		if err := hdr.Set(jws.TypeKey, typ); err != nil {
			t.Fatal(err)
		}
	}
	b, err := jws.Sign(payload, jws.WithKey(alg, key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// compact assembles a JWS from a header, a payload and a signature.
func compact(header, payload string, sig []byte) []byte {
	return []byte(b64(header) + "." + b64(payload) + "." + base64.RawURLEncoding.EncodeToString(sig))
}

func TestVerifyManifest(t *testing.T) {
	key := partnerKey(t, "partner a")
	m, signed := signedManifest(t, key)
	got, err := submission.VerifyManifest(signed, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, got) != jsonOf(t, m) {
		t.Errorf("claims\n%s\nwant\n%s", jsonOf(t, got), jsonOf(t, m))
	}
	kid, err := submission.ManifestKeyID(signed)
	if err != nil || kid != key.KeyID() {
		t.Errorf("ManifestKeyID = %q, %v; want %q", kid, err, key.KeyID())
	}
	// Whitespace around the object, as an editor or a transfer may add,
	// changes neither the verdict nor the hash that chains manifests.
	padded := append(append([]byte("\n "), signed...), "\r\n"...)
	if _, err := submission.VerifyManifest(padded, key.Public()); err != nil {
		t.Errorf("padded manifest: %v", err)
	}
	if submission.ManifestHash(padded) != submission.ManifestHash(signed) {
		t.Error("ManifestHash depends on surrounding whitespace")
	}
	sum := sha256.Sum256(signed)
	if submission.ManifestHash(signed) != fmt.Sprintf("%x", sum) {
		t.Error("ManifestHash is not the hex SHA-256 of the object")
	}
}

func TestVerifyManifestOrigin(t *testing.T) {
	key := partnerKey(t, "partner a")
	other := partnerKey(t, "partner b")
	receipt := receiptKey(t, "receipt")
	m, signed := signedManifest(t, key)
	claims, _ := json.Marshal(m)
	pub := key.Public()
	pubPEM, _ := pub.MarshalText()
	parts := strings.Split(string(signed), ".")
	hdrJSON, _ := base64.RawURLEncoding.DecodeString(parts[0])

	otherM := m
	otherM.KeyID = other.KeyID()
	byOther, err := submission.SignManifest(&otherM, other)
	if err != nil {
		t.Fatal(err)
	}
	flipSig := []byte(parts[0] + "." + parts[1] + "." + flipB64(parts[2], 10))
	flipClaims := []byte(parts[0] + "." + flipB64(parts[1], 40) + "." + parts[2])
	otherClaims := bytes.Replace(claims, []byte(`"records":3`), []byte(`"records":4`), 1)

	for _, tc := range []struct {
		name string
		jws  []byte
	}{
		{"signed by another partner's key", byOther},
		{"another key under this key's kid", jwsWith(t, claims, jwa.EdDSA, rawKey("partner b"), key.KeyID(), submission.ManifestType)},
		{"signature bit flipped", flipSig},
		{"claims bit flipped", flipClaims},
		{"claims swapped under the old signature", []byte(parts[0] + "." + b64(string(otherClaims)) + "." + parts[2])},
		{"signature removed", []byte(parts[0] + "." + parts[1] + ".")},
		{"alg none", compact(fmt.Sprintf(`{"alg":"none","kid":%q,"typ":%q}`, key.KeyID(), submission.ManifestType), string(claims), nil)},
		{"alg none with the real signature", compact(fmt.Sprintf(`{"alg":"none","kid":%q,"typ":%q}`, key.KeyID(), submission.ManifestType), string(claims), mustB64(parts[2]))},
		{"alg none via jwx", noneJWS(t, claims, key.KeyID())},
		{"HS256 keyed with the raw public key", jwsWith(t, claims, jwa.HS256, pub.Bytes(), key.KeyID(), submission.ManifestType)},
		{"HS256 keyed with the PEM public key", jwsWith(t, claims, jwa.HS256, pubPEM, key.KeyID(), submission.ManifestType)},
		{"HS512 keyed with the raw public key", jwsWith(t, claims, jwa.HS512, pub.Bytes(), key.KeyID(), submission.ManifestType)},
		{"EdDSA header, HMAC signature", compact(string(hdrJSON), string(claims), hmacSig(parts[0]+"."+parts[1], pub.Bytes()))},
		{"no kid", jwsWith(t, claims, jwa.EdDSA, rawKey("partner a"), "", submission.ManifestType)},
		{"no typ", jwsWith(t, claims, jwa.EdDSA, rawKey("partner a"), key.KeyID(), "")},
		{"receipt typ", jwsWith(t, claims, jwa.EdDSA, rawKey("partner a"), key.KeyID(), submission.ReceiptType)},
		{"receipt key as signer", func() []byte {
			b, err := receipt.SignJWS(claims, submission.ManifestType)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}()},
		{"JSON serialization", jsonSerialization(t, signed)},
		{"empty", nil},
		{"two parts", []byte(parts[0] + "." + parts[1])},
		{"four parts", append(bytes.Clone(signed), ".x"...)},
		{"not base64", []byte("!!!.???.***")},
		{"garbage", []byte("manifest")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := submission.VerifyManifest(tc.jws, pub)
			wantReason(t, err, submission.ReasonSignature)
			if m != nil {
				t.Error("VerifyManifest returned claims with its rejection")
			}
		})
	}
}

func TestVerifyManifestClaims(t *testing.T) {
	key := partnerKey(t, "partner a")
	m, _ := signedManifest(t, key)
	claims, _ := json.Marshal(m)
	sign := func(payload []byte) []byte {
		b, err := key.SignJWS(payload, submission.ManifestType)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	field := func(name, value string) []byte {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(claims, &obj); err != nil {
			t.Fatal(err)
		}
		if value == "" {
			delete(obj, name)
		} else {
			obj[name] = json.RawMessage(value)
		}
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	otherKid := partnerKey(t, "partner b").KeyID()
	for _, tc := range []struct {
		name   string
		claims []byte
	}{
		{"unknown field", field("restricted_notes", `"x"`)},
		{"unknown nested field", field("ciphertext", `{"size":10,"sha256":"`+m.Ciphertext.SHA256+`","md5":""}`)},
		// Two readers could take either value of a repeated or case-folded
		// nested key: a signed manifest has one reading.
		{"repeated nested field", field("ciphertext", `{"size":10,"size":11,"sha256":"`+m.Ciphertext.SHA256+`"}`)},
		{"case-folded nested field", field("ciphertext", `{"size":10,"SHA256":"`+m.Ciphertext.SHA256+`"}`)},
		{"trailing no-break space", append(bytes.Clone(claims), "\u00a0"...)},
		{"invalid UTF-8", field("partner", "\"ngo-\xff\"")},
		{"trailing object", append(bytes.Clone(claims), `{"a":1}`...)},
		{"trailing garbage", append(bytes.Clone(claims), `x`...)},
		{"array", []byte(`[` + string(claims) + `]`)},
		{"not JSON", []byte(`manifest`)},
		{"empty", nil},
		{"null", []byte(`null`)},
		{"claims name another kid", field("kid", fmt.Sprintf("%q", otherKid))},
		{"wrong format", field("format", `"thbx-manifest/2"`)},
		{"missing format", field("format", "")},
		{"bad partner", field("partner", `"NGO-A"`)},
		{"partner with a slash", field("partner", `"ngo/a"`)},
		{"partner with dots", field("partner", `".."`)},
		{"empty kid", field("kid", `""`)},
		{"bad dataset", field("dataset", `"../victims"`)},
		{"bad period", field("period", `"2025-Q5"`)},
		{"bad submission id", field("submission", `"`+strings.ToLower(m.Submission)+`"`)},
		{"missing created", field("created", "")},
		{"created not a time", field("created", `"yesterday"`)},
		{"bad schema", field("schema", `"victims/0"`)},
		{"bad classification", field("classification", `"secret"`)},
		{"negative records", field("records", `-1`)},
		{"fractional records", field("records", `1.5`)},
		{"records as string", field("records", `"3"`)},
		{"zero size", field("ciphertext", `{"size":0,"sha256":"`+m.Ciphertext.SHA256+`"}`)},
		{"negative size", field("ciphertext", `{"size":-10,"sha256":"`+m.Ciphertext.SHA256+`"}`)},
		{"upper-case hash", field("ciphertext", `{"size":10,"sha256":"`+strings.ToUpper(m.Ciphertext.SHA256)+`"}`)},
		{"short hash", field("ciphertext", `{"size":10,"sha256":"`+m.Ciphertext.SHA256[:62]+`"}`)},
		{"no recipients", field("recipients", `[]`)},
		{"17 recipients", field("recipients", `[`+strings.Repeat(`"`+strings.Repeat("ab", 16)+`",`, 16)+`"`+strings.Repeat("ab", 16)+`"]`)},
		{"bad fingerprint", field("recipients", `["`+strings.Repeat("AB", 16)+`"]`)},
		{"short fingerprint", field("recipients", `["abcd"]`)},
		{"seq 0", field("seq", `0`)},
		{"negative seq", field("seq", `-1`)},
		{"seq 1 with prev", field("prev", `"`+strings.Repeat("a", 64)+`"`)},
		{"seq 2 without prev", field("seq", `2`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := submission.VerifyManifest(sign(tc.claims), key.Public())
			wantReason(t, err, submission.ReasonManifestMalformed)
			if got != nil {
				t.Error("VerifyManifest returned claims with its rejection")
			}
		})
	}
}

func TestVerifyManifestSize(t *testing.T) {
	key := partnerKey(t, "partner a")
	_, signed := signedManifest(t, key)
	big := append(bytes.Clone(signed), bytes.Repeat([]byte(" "), submission.MaxManifestSize)...)
	_, err := submission.VerifyManifest(big, key.Public())
	wantReason(t, err, submission.ReasonManifestTooLarge)
	_, err = submission.ManifestKeyID(big)
	wantReason(t, err, submission.ReasonManifestTooLarge)
	// Right at the limit, the padding is trimmed and the manifest is good.
	edge := append(bytes.Clone(signed), bytes.Repeat([]byte(" "), submission.MaxManifestSize-len(signed))...)
	if _, err := submission.VerifyManifest(edge, key.Public()); err != nil {
		t.Errorf("manifest of exactly MaxManifestSize bytes: %v", err)
	}
}

func TestManifestKeyID(t *testing.T) {
	key := partnerKey(t, "partner a")
	_, signed := signedManifest(t, key)
	for _, tc := range []struct {
		name string
		jws  []byte
	}{
		{"no kid", jwsWith(t, []byte(`{}`), jwa.EdDSA, rawKey("partner a"), "", submission.ManifestType)},
		{"not a JWS", []byte("hello")},
		{"empty", nil},
		{"JSON serialization", jsonSerialization(t, signed)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := submission.ManifestKeyID(tc.jws)
			wantReason(t, err, submission.ReasonManifestMalformed)
		})
	}
	// The kid is read without verifying anything: a forged manifest names
	// whatever key it likes, which is why the caller must verify with
	// the key it looks up, never trust the kid.
	forged := jwsWith(t, []byte(`{}`), jwa.HS256, []byte("secret"), key.KeyID(), submission.ManifestType)
	if kid, err := submission.ManifestKeyID(forged); err != nil || kid != key.KeyID() {
		t.Errorf("ManifestKeyID(forged) = %q, %v", kid, err)
	}
}

// TestManifestEncodingIsCanonical tries to change a manifest's bytes, and so
// its ManifestHash, without invalidating its signature. The hub records
// ManifestHash of the object it received as the partner's chain head and in
// its receipt, while the agent chains with the hash of the object it
// uploaded: whoever can rewrite objects in the drop box must not be able to
// make the two differ while the signature still verifies.
func TestManifestEncodingIsCanonical(t *testing.T) {
	key := partnerKey(t, "partner a")
	_, signed := signedManifest(t, key)
	parts := strings.Split(string(signed), ".")
	reencode := func(enc *base64.Encoding, seg string) string { return enc.EncodeToString(mustB64(seg)) }
	variants := map[string][]byte{
		"claims in padded base64url":  []byte(parts[0] + "." + reencode(base64.URLEncoding, parts[1]) + "." + parts[2]),
		"claims in standard base64":   []byte(parts[0] + "." + reencode(base64.StdEncoding, parts[1]) + "." + parts[2]),
		"header in standard base64":   []byte(reencode(base64.StdEncoding, parts[0]) + "." + parts[1] + "." + parts[2]),
		"signature in padded base64":  []byte(parts[0] + "." + parts[1] + "." + reencode(base64.URLEncoding, parts[2])),
		"signature with spare bits":   []byte(parts[0] + "." + parts[1] + "." + spareBits(parts[2])),
		"claims with spare bits":      []byte(parts[0] + "." + spareBits(parts[1]) + "." + parts[2]),
		"header with spare bits":      []byte(spareBits(parts[0]) + "." + parts[1] + "." + parts[2]),
		"signature in raw std base64": []byte(parts[0] + "." + parts[1] + "." + reencode(base64.RawStdEncoding, parts[2])),
	}
	var accepted []string
	for name, v := range variants {
		if bytes.Equal(v, signed) {
			continue // this encoding happens to be canonical for these bytes
		}
		if _, err := submission.VerifyManifest(v, key.Public()); err == nil {
			accepted = append(accepted, name)
			if submission.ManifestHash(v) == submission.ManifestHash(signed) {
				t.Errorf("%s: different bytes, same hash", name)
			}
		}
	}
	if len(accepted) > 0 {
		t.Fatalf("a re-encoded manifest still verifies but hashes differently: %v", accepted)
	}
}

// flipB64 changes one character of a base64url segment to another valid one.
func flipB64(seg string, i int) string {
	b := []byte(seg)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// spareBits sets the unused low bits of a raw base64url segment's last
// character, which a lenient decoder ignores.
func spareBits(seg string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(seg)%4 == 0 {
		return seg // no spare bits
	}
	last := strings.IndexByte(alphabet, seg[len(seg)-1])
	return seg[:len(seg)-1] + string(alphabet[last|1])
}

func mustB64(seg string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		panic(err)
	}
	return b
}

func noneJWS(t testing.TB, payload []byte, kid string) []byte {
	t.Helper()
	hdr := jws.NewHeaders()
	_ = hdr.Set(jws.KeyIDKey, kid)
	_ = hdr.Set(jws.TypeKey, submission.ManifestType)
	b, err := jws.Sign(payload, jws.WithInsecureNoSignature(jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hmacSig(input string, key []byte) []byte {
	b, err := jws.Sign([]byte(input), jws.WithKey(jwa.HS256, key))
	if err != nil {
		panic(err)
	}
	parts := strings.Split(string(b), ".")
	return mustB64(parts[2])
}

// jsonSerialization turns a compact JWS into the flattened JSON form.
func jsonSerialization(t testing.TB, compact []byte) []byte {
	t.Helper()
	parts := strings.Split(string(compact), ".")
	b, err := json.Marshal(map[string]any{
		"signatures": []map[string]string{{"protected": parts[0], "signature": parts[2]}},
		"payload":    parts[1],
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidPeriod(t *testing.T) {
	for _, s := range []string{"2025", "1900", "2099", "2025-H1", "2025-H2", "2025-Q1", "2025-Q4", "2025-01", "2025-12"} {
		if !submission.ValidPeriod(s) {
			t.Errorf("ValidPeriod(%q) = false", s)
		}
	}
	for _, s := range []string{"", "25", "1899", "2100", "2025-H3", "2025-h1", "2025-Q0", "2025-Q5", "2025-00", "2025-13",
		"2025-1", "2025-W01", "2025-01-01", "2025\n", " 2025", "２０２５"} {
		if submission.ValidPeriod(s) {
			t.Errorf("ValidPeriod(%q) = true", s)
		}
	}
}

func TestValidDataset(t *testing.T) {
	for _, s := range []string{"victims", "a", "suspects_2", strings.Repeat("a", 32)} {
		if !submission.ValidDataset(s) {
			t.Errorf("ValidDataset(%q) = false", s)
		}
	}
	for _, s := range []string{"", "Victims", "2victims", "_v", "vic-tims", "victims/1", "..", strings.Repeat("a", 33), "victims\n"} {
		if submission.ValidDataset(s) {
			t.Errorf("ValidDataset(%q) = true", s)
		}
	}
}

func TestManifestValidateCollectsErrors(t *testing.T) {
	m := submission.Manifest{Created: time.Time{}}
	err := m.Validate()
	if err == nil {
		t.Fatal("empty manifest is valid")
	}
	for _, field := range []string{"format", "partner", "kid", "dataset", "period", "submission", "created", "schema",
		"classification", "ciphertext size", "sha256", "recipients", "seq"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error does not mention %s: %v", field, err)
		}
	}
}
