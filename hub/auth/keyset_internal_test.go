package auth

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

func jwkJSON(t *testing.T, raw any, fields map[string]any) json.RawMessage {
	t.Helper()
	k, err := jwk.FromRaw(raw)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range fields {
		if err := k.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseKeySet keeps the public signing keys it can use and skips the
// rest, rather than failing the set.
func TestParseKeySet(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	weak, _ := rsa.GenerateKey(rand.Reader, 1024)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	keys := []json.RawMessage{
		jwkJSON(t, &rsaKey.PublicKey, map[string]any{"kid": "rsa", "alg": "RS256", "use": "sig"}),
		jwkJSON(t, &weak.PublicKey, map[string]any{"kid": "weak"}),
		jwkJSON(t, &ecKey.PublicKey, map[string]any{"kid": "ec"}),
		jwkJSON(t, &ecKey.PublicKey, map[string]any{"kid": "enc", "use": "enc"}),
		jwkJSON(t, edPub, map[string]any{"kid": "ed"}),
		// A private key published by mistake yields its public half.
		jwkJSON(t, edPriv, map[string]any{"kid": "ed-private"}),
		jwkJSON(t, []byte("symmetric secret"), map[string]any{"kid": "hmac"}),
		json.RawMessage(`{"kty":"OKP","crv":"X448","x":"AAAA","kid":"x448"}`),
		json.RawMessage(`{"kty":"unknown","kid":"unknown"}`),
	}
	body, _ := json.Marshal(map[string]any{"keys": keys})
	got, err := parseKeySet(body)
	if err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range got {
		kids = append(kids, k.kid)
		if _, private := k.key.(ed25519.PrivateKey); private {
			t.Fatalf("%s: a private key kept", k.kid)
		}
	}
	if strings.Join(kids, ",") != "rsa,ec,ed,ed-private" {
		t.Fatalf("kept %v", kids)
	}
	if got[0].alg != "RS256" || got[1].alg != "" {
		t.Fatalf("algs %q, %q", got[0].alg, got[1].alg)
	}

	for _, bad := range []string{``, `[]`, `{"keys":[]}`, `{"keys":"x"}`,
		`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`} {
		if _, err := parseKeySet([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// A key that declares an algorithm is used for that algorithm only.
func TestKeySetMatching(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s := &keySet{keys: []publicKey{
		{kid: "a", alg: "ES256", key: &ecKey.PublicKey},
		{kid: "b", key: &ecKey.PublicKey},
	}}
	for _, tt := range []struct {
		kid, alg string
		n        int
		known    bool
	}{
		{"a", "ES256", 1, true},
		{"a", "RS256", 0, true},
		{"b", "PS256", 1, true},
		{"", "ES256", 2, true},
		{"c", "ES256", 0, false},
	} {
		keys, known := s.matching(tt.kid, tt.alg)
		if len(keys) != tt.n || known != tt.known {
			t.Errorf("matching(%q, %q) = %d keys, %v", tt.kid, tt.alg, len(keys), known)
		}
	}
}

// A body is cut off with an error one byte past the limit, not at it.
func TestLimitedBody(t *testing.T) {
	for _, tt := range []struct {
		size    int
		wantErr bool
	}{{0, false}, {99, false}, {100, false}, {101, true}, {10000, true}} {
		b := &limitedBody{rc: io.NopCloser(bytes.NewReader(make([]byte, tt.size))), left: 100}
		got, err := io.ReadAll(b)
		if tt.wantErr != errors.Is(err, errResponseTooLarge) {
			t.Errorf("size %d: %d bytes, error %v", tt.size, len(got), err)
		}
		if !tt.wantErr && len(got) != tt.size {
			t.Errorf("size %d: read %d", tt.size, len(got))
		}
	}
}
