package certs_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/thbx/thbx/certs"
)

func TestKeyTextRoundTrip(t *testing.T) {
	pk := partnerKey(t, "partner a")
	rk := receiptKey(t, "receipt")

	var pk2 certs.PartnerKey
	if err := pk2.UnmarshalText([]byte(text(t, pk))); err != nil {
		t.Fatal(err)
	}
	var rk2 certs.ReceiptKey
	if err := rk2.UnmarshalText([]byte(text(t, rk))); err != nil {
		t.Fatal(err)
	}
	var ppub certs.PartnerPublicKey
	if err := ppub.UnmarshalText([]byte(text(t, pk.Public()))); err != nil {
		t.Fatal(err)
	}
	var rpub certs.ReceiptPublicKey
	if err := rpub.UnmarshalText([]byte(text(t, rk.Public()))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want string
	}{
		{"partner key", text(t, pk2), text(t, pk)},
		{"receipt key", text(t, rk2), text(t, rk)},
		{"partner public", text(t, ppub), text(t, pk.Public())},
		{"receipt public", text(t, rpub), text(t, rk.Public())},
		{"partner kid", pk2.KeyID(), pk.KeyID()},
		{"partner public kid", ppub.KeyID(), pk.KeyID()},
		{"receipt public kid", rpub.KeyID(), rk.KeyID()},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	if !bytes.Equal(ppub.Bytes(), pk.Public().Bytes()) || len(ppub.Bytes()) != ed25519.PublicKeySize {
		t.Error("public key bytes differ after a round trip")
	}
	for _, c := range []struct{ text, prefix string }{
		{text(t, pk), "-----BEGIN THBX PARTNER SIGNING KEY-----\n"},
		{text(t, rk), "-----BEGIN THBX RECEIPT SIGNING KEY-----\n"},
		{text(t, pk.Public()), "-----BEGIN THBX PARTNER PUBLIC KEY-----\n"},
		{text(t, rk.Public()), "-----BEGIN THBX RECEIPT PUBLIC KEY-----\n"},
	} {
		if !strings.HasPrefix(c.text, c.prefix) {
			t.Errorf("text %q does not start with %q", c.text, c.prefix)
		}
	}
	// Surrounding whitespace, as an editor leaves it, is fine.
	if err := ppub.UnmarshalText([]byte("\n" + text(t, pk.Public()) + "\n\n")); err != nil {
		t.Errorf("public key with blank lines around it: %v", err)
	}
}

func TestKeyID(t *testing.T) {
	pk := partnerKey(t, "partner a")
	der, err := x509.MarshalPKIXPublicKey(ed25519.PublicKey(pk.Public().Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	want := base64.RawURLEncoding.EncodeToString(sum[:12])
	if pk.KeyID() != want || certs.KeyID(pk.Public().Bytes()) != want || len(want) != 16 {
		t.Errorf("kid %q, want %q", pk.KeyID(), want)
	}
	if partnerKey(t, "partner b").KeyID() == want {
		t.Error("two keys share a kid")
	}
	// The documented seed gives the documented key (testdata/vectors).
	if got := partnerKey(t, "thbx-vectors/v1/partner-key").KeyID(); got != "uPTONhzGl2I5VZJX" {
		t.Errorf("vector partner kid %q", got)
	}
}

func TestKeyRoleConfusion(t *testing.T) {
	pk := partnerKey(t, "partner a")
	rk := receiptKey(t, "receipt")
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	ecPubDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	pemOf := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	pkDER, _ := pem.Decode([]byte(text(t, pk)))

	t.Run("PartnerKey", func(t *testing.T) {
		for name, in := range map[string]string{
			"receipt key":                  text(t, rk),
			"partner public key":           text(t, pk.Public()),
			"receipt public key":           text(t, rk.Public()),
			"plain PKCS#8 PEM":             pemOf("PRIVATE KEY", pkDER.Bytes),
			"ECDSA key with partner type":  pemOf("THBX PARTNER SIGNING KEY", ecDER),
			"garbage DER":                  pemOf("THBX PARTNER SIGNING KEY", []byte("nonsense")),
			"two keys":                     text(t, pk) + text(t, pk),
			"trailing text":                text(t, pk) + "and more\n",
			"no PEM":                       "MC4CAQAwBQYDK2VwBCIEIEYHpCO1p0J5ssVYw5TQNpBJMEGlSWTDECpmMzFeU66O",
			"empty":                        "",
			"lower-case type":              strings.ReplaceAll(text(t, pk), "THBX PARTNER SIGNING KEY", "thbx partner signing key"),
			"public key DER in key type":   pemOf("THBX PARTNER SIGNING KEY", must(x509.MarshalPKIXPublicKey(ed25519.PublicKey(pk.Public().Bytes())))),
			"OpenSSH key":                  "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
			"receipt key after a comment":  "# partner key\n" + text(t, rk),
			"partner public, receipt type": strings.ReplaceAll(text(t, pk.Public()), "PARTNER", "RECEIPT"),
		} {
			var k certs.PartnerKey
			if err := k.UnmarshalText([]byte(in)); !errors.Is(err, certs.ErrWrongKey) {
				t.Errorf("%s: %v, want ErrWrongKey", name, err)
			}
		}
	})
	t.Run("ReceiptKey", func(t *testing.T) {
		var k certs.ReceiptKey
		if err := k.UnmarshalText([]byte(text(t, pk))); !errors.Is(err, certs.ErrWrongKey) {
			t.Errorf("partner key as receipt key: %v", err)
		}
	})
	t.Run("PartnerPublicKey", func(t *testing.T) {
		for name, in := range map[string]string{
			"receipt public key":            text(t, rk.Public()),
			"partner private key":           text(t, pk),
			"ECDSA key with partner type":   pemOf("THBX PARTNER PUBLIC KEY", ecPubDER),
			"plain PKIX PEM":                pemOf("PUBLIC KEY", must(x509.MarshalPKIXPublicKey(ed25519.PublicKey(pk.Public().Bytes())))),
			"truncated DER":                 pemOf("THBX PARTNER PUBLIC KEY", must(x509.MarshalPKIXPublicKey(ed25519.PublicKey(pk.Public().Bytes()))))[:60],
			"trailing block":                text(t, pk.Public()) + text(t, rk.Public()),
			"raw 32 bytes in a PEM block":   pemOf("THBX PARTNER PUBLIC KEY", pk.Public().Bytes()),
			"private key DER in public PEM": pemOf("THBX PARTNER PUBLIC KEY", pkDER.Bytes),
		} {
			var k certs.PartnerPublicKey
			if err := k.UnmarshalText([]byte(in)); !errors.Is(err, certs.ErrWrongKey) {
				t.Errorf("%s: %v, want ErrWrongKey", name, err)
			}
		}
	})
	t.Run("ReceiptPublicKey", func(t *testing.T) {
		var k certs.ReceiptPublicKey
		if err := k.UnmarshalText([]byte(text(t, pk.Public()))); !errors.Is(err, certs.ErrWrongKey) {
			t.Errorf("partner public key as receipt public key: %v", err)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestSignVerifyJWS(t *testing.T) {
	pk := partnerKey(t, "partner a")
	other := partnerKey(t, "partner b")
	rk := receiptKey(t, "receipt")
	payload := []byte(`{"claims":true}`)
	signed, err := pk.SignJWS(payload, "thbx-test+jws")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pk.Public().VerifyJWS(signed, "thbx-test+jws")
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("VerifyJWS = %q, %v", got, err)
	}
	// Ed25519 is deterministic.
	if again, _ := pk.SignJWS(payload, "thbx-test+jws"); !bytes.Equal(again, signed) {
		t.Error("signing twice gave different objects")
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(string(signed), ".")[0])
	if want := `{"alg":"EdDSA","kid":"` + pk.KeyID() + `","typ":"thbx-test+jws"}`; string(hdr) != want {
		t.Errorf("protected header %s, want %s", hdr, want)
	}

	parts := strings.Split(string(signed), ".")
	withHeader := func(h string) []byte {
		return []byte(base64.RawURLEncoding.EncodeToString([]byte(h)) + "." + parts[1] + "." + parts[2])
	}
	hmac := func(alg jwa.SignatureAlgorithm, key []byte) []byte {
		h := jws.NewHeaders()
		_ = h.Set(jws.KeyIDKey, pk.KeyID())
		_ = h.Set(jws.TypeKey, "thbx-test+jws")
		b, err := jws.Sign(payload, jws.WithKey(alg, key, jws.WithProtectedHeaders(h)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	byOther, _ := other.SignJWS(payload, "thbx-test+jws")
	byReceipt, _ := rk.SignJWS(payload, "thbx-test+jws")
	pubPEM, _ := pk.Public().MarshalText()
	for name, in := range map[string][]byte{
		"other key":            byOther,
		"receipt key":          byReceipt,
		"other typ":            must(pk.SignJWS(payload, "thbx-other+jws")),
		"alg none":             []byte(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"`+pk.KeyID()+`","typ":"thbx-test+jws"}`)) + "." + parts[1] + "."),
		"alg none, old sig":    withHeader(`{"alg":"none","kid":"` + pk.KeyID() + `","typ":"thbx-test+jws"}`),
		"HS256 with raw key":   hmac(jwa.HS256, pk.Public().Bytes()),
		"HS256 with PEM key":   hmac(jwa.HS256, pubPEM),
		"HS384 with raw key":   hmac(jwa.HS384, pk.Public().Bytes()),
		"kid of another key":   withHeader(`{"alg":"EdDSA","kid":"` + other.KeyID() + `","typ":"thbx-test+jws"}`),
		"header reordered":     withHeader(`{"kid":"` + pk.KeyID() + `","alg":"EdDSA","typ":"thbx-test+jws"}`),
		"payload changed":      []byte(parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"claims":false}`)) + "." + parts[2]),
		"signature truncated":  signed[:len(signed)-4],
		"no signature":         []byte(parts[0] + "." + parts[1] + "."),
		"detached payload":     []byte(parts[0] + ".." + parts[2]),
		"not a JWS":            []byte("hello"),
		"JSON serialization":   []byte(`{"payload":"` + parts[1] + `","signatures":[{"protected":"` + parts[0] + `","signature":"` + parts[2] + `"}]}`),
		"b64 false":            withHeader(`{"alg":"EdDSA","b64":false,"crit":["b64"],"kid":"` + pk.KeyID() + `","typ":"thbx-test+jws"}`),
		"jwk header":           withHeader(`{"alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"AAAA"},"kid":"` + pk.KeyID() + `","typ":"thbx-test+jws"}`),
		"empty":                nil,
		"one signature of two": append(bytes.Clone(signed), "."+parts[2]...),
	} {
		if p, err := pk.Public().VerifyJWS(in, "thbx-test+jws"); !errors.Is(err, certs.ErrBadSignature) {
			t.Errorf("%s: VerifyJWS = %q, %v; want ErrBadSignature", name, p, err)
		}
	}
}

// TestZeroPublicKeyVerify: a zero PartnerPublicKey or ReceiptPublicKey (a
// key that was never loaded) must refuse everything, not panic.
func TestZeroPublicKeyVerify(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(&detReader{label: "anyone"})
	h := jws.NewHeaders()
	_ = h.Set(jws.TypeKey, "thbx-receipt+jws") // and no kid, as the zero key has none
	forged, err := jws.Sign([]byte(`{}`), jws.WithKey(jwa.EdDSA, priv, jws.WithProtectedHeaders(h)))
	if err != nil {
		t.Fatal(err)
	}
	var zero certs.ReceiptPublicKey
	if !zero.IsZero() || zero.KeyID() != "" || len(zero.Bytes()) != 0 {
		t.Fatal("zero key is not zero")
	}
	var panicked any
	func() {
		defer func() { panicked = recover() }()
		if _, err := zero.VerifyJWS(forged, "thbx-receipt+jws"); err == nil {
			t.Error("the zero key verified a JWS")
		}
	}()
	if panicked != nil {
		t.Fatalf("VerifyJWS with a zero key panics: %v", panicked)
	}
}

func TestPublicKeyBytesIsACopy(t *testing.T) {
	pk := partnerKey(t, "partner a")
	pub := pk.Public()
	b := pub.Bytes()
	b[0] ^= 0xff
	if bytes.Equal(pub.Bytes(), b) {
		t.Error("Bytes returns the key's own memory")
	}
	if pub.IsZero() {
		t.Error("a real key IsZero")
	}
}

func TestGenerateKeys(t *testing.T) {
	a, err := certs.GeneratePartnerKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := certs.GeneratePartnerKey(nil)
	if a.KeyID() == b.KeyID() {
		t.Error("two random keys share a kid")
	}
	if _, err := certs.GeneratePartnerKey(strings.NewReader("short")); err == nil {
		t.Error("GeneratePartnerKey accepted a short random source")
	}
	if _, err := certs.GenerateReceiptKey(strings.NewReader("")); err == nil {
		t.Error("GenerateReceiptKey accepted an empty random source")
	}
	if x1, x2 := partnerKey(t, "x"), partnerKey(t, "x"); x1.KeyID() != x2.KeyID() {
		t.Error("the same seed gave two keys")
	}
}
