// Package authtest runs an OpenID Connect issuer in the test process, so
// that code using package auth can be tested against real signed tokens
// without a network.
//
// The issuer serves its discovery document and key set on a loopback
// httptest server and signs whatever claims it is given. Tests make the
// tokens an attacker would: expired, for another audience, signed by a
// key the issuer does not publish, and so on.
package authtest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
)

// Audience is the audience Claims puts in tokens.
const Audience = "thbx-hub"

// Issuer is an OIDC issuer serving on loopback.
type Issuer struct {
	// URL is the issuer URL, as tokens' "iss" claim and the discovery
	// document spell it.
	URL string

	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	signer    *Key
	published []*Key
	down      bool

	discoveries atomic.Int64
	keyFetches  atomic.Int64
}

// NewIssuer starts an issuer with one published RS256 key, which Issue
// signs with. The server is closed when the test ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	i := &Issuer{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", i.serveDiscovery)
	mux.HandleFunc("GET /jwks", i.serveKeys)
	i.srv = httptest.NewServer(mux) // httptest listens on 127.0.0.1 only
	t.Cleanup(i.srv.Close)
	i.URL = i.srv.URL
	i.signer = NewKey(t, "RS256")
	i.published = []*Key{i.signer}
	return i
}

// Close stops the server; later requests to it fail to connect.
func (i *Issuer) Close() { i.srv.Close() }

// SetDown makes the issuer answer every request with 503 Service
// Unavailable (true) or serve again (false).
func (i *Issuer) SetDown(down bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.down = down
}

// Requests returns how many times the discovery document and the key set
// have been served.
func (i *Issuer) Requests() (discovery, keys int) {
	return int(i.discoveries.Load()), int(i.keyFetches.Load())
}

// Key returns the key Issue signs with.
func (i *Issuer) Key() *Key {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.signer
}

// Publish adds k to the key set the issuer serves.
func (i *Issuer) Publish(k *Key) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.published = append(i.published, k)
}

// Withdraw removes k from the key set the issuer serves, as an issuer
// does with a compromised key. Issue keeps signing with k if it is the
// current key.
func (i *Issuer) Withdraw(k *Key) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.published = slices.DeleteFunc(i.published, func(p *Key) bool { return p == k })
}

// Rotate publishes k and makes it the key Issue signs with; the old keys
// stay published.
func (i *Issuer) Rotate(k *Key) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.published = append(i.published, k)
	i.signer = k
}

// Claims returns the claims of a valid token for subject with roles,
// issued at iat and expiring five minutes later. Tests change the map to
// make invalid ones.
func (i *Issuer) Claims(subject string, iat time.Time, roles ...string) map[string]any {
	return map[string]any{
		"iss":   i.URL,
		"aud":   Audience,
		"sub":   subject,
		"iat":   iat.Unix(),
		"exp":   iat.Add(5 * time.Minute).Unix(),
		"roles": roles,
	}
}

// Issue signs claims with the issuer's key and returns the compact JWS.
// It must be called from the test's goroutine: it fails the test on
// error.
func (i *Issuer) Issue(claims map[string]any) string {
	return i.Key().Sign(i.t, claims)
}

func (i *Issuer) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	if i.isDown(w) {
		return
	}
	i.discoveries.Add(1)
	writeJSON(w, map[string]any{
		"issuer":                                i.URL,
		"authorization_endpoint":                i.URL + "/authorize",
		"token_endpoint":                        i.URL + "/token",
		"jwks_uri":                              i.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256", "ES256", "EdDSA"},
	})
}

func (i *Issuer) serveKeys(w http.ResponseWriter, r *http.Request) {
	if i.isDown(w) {
		return
	}
	i.keyFetches.Add(1)
	i.mu.Lock()
	set := jwk.NewSet()
	for _, k := range i.published {
		if err := set.AddKey(k.public); err != nil {
			i.mu.Unlock()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	i.mu.Unlock()
	writeJSON(w, set)
}

func (i *Issuer) isDown(w http.ResponseWriter) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.down {
		http.Error(w, "down for the test", http.StatusServiceUnavailable)
	}
	return i.down
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// Key is a signing key with a random key id.
type Key struct {
	alg     jwa.SignatureAlgorithm
	private jwk.Key
	public  jwk.Key
}

// NewKey generates a key for alg: "RS256", "ES256" or "EdDSA". It is not
// published until given to Issuer.Publish or Issuer.Rotate.
func NewKey(t testing.TB, alg string) *Key {
	t.Helper()
	var raw any
	var err error
	switch alg {
	case "RS256":
		raw, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ES256":
		raw, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "EdDSA":
		_, raw, err = ed25519.GenerateKey(rand.Reader)
	default:
		t.Fatalf("authtest: unsupported algorithm %q", alg)
	}
	if err != nil {
		t.Fatalf("authtest: generate %s key: %v", alg, err)
	}
	var kid [8]byte
	rand.Read(kid[:])
	return newKey(t, jwa.SignatureAlgorithm(alg), raw, hex.EncodeToString(kid[:]))
}

func newKey(t testing.TB, alg jwa.SignatureAlgorithm, raw any, kid string) *Key {
	t.Helper()
	private, err := jwk.FromRaw(raw)
	if err != nil {
		t.Fatalf("authtest: %v", err)
	}
	public, err := private.PublicKey()
	if err != nil {
		t.Fatalf("authtest: %v", err)
	}
	for _, k := range []jwk.Key{private, public} {
		for name, v := range map[string]any{jwk.KeyIDKey: kid, jwk.AlgorithmKey: alg, jwk.KeyUsageKey: "sig"} {
			if err := k.Set(name, v); err != nil {
				t.Fatalf("authtest: %v", err)
			}
		}
	}
	return &Key{alg: alg, private: private, public: public}
}

// KeyID returns the key's id, which tokens it signs carry as "kid".
func (k *Key) KeyID() string { return k.private.KeyID() }

// WithKeyID returns a copy of k under another key id, to sign tokens that
// claim to come from a key they do not.
func (k *Key) WithKeyID(t testing.TB, kid string) *Key {
	t.Helper()
	var raw any
	if err := k.private.Raw(&raw); err != nil {
		t.Fatalf("authtest: %v", err)
	}
	return newKey(t, k.alg, raw, kid)
}

// Sign signs claims with k, with "kid" and "typ": "JWT" in the protected
// header.
func (k *Key) Sign(t testing.TB, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatalf("authtest: claims: %v", err)
	}
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.TypeKey, "JWT"); err != nil {
		t.Fatalf("authtest: %v", err)
	}
	signed, err := jws.Sign(payload, jws.WithKey(k.alg, k.private, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatalf("authtest: sign: %v", err)
	}
	return string(signed)
}
