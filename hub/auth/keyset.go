package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/lestrrat-go/jwx/v2/jwk"
)

// keySet is the issuer's JSON Web Key Set. It is fetched on first use,
// again when a token names a key id it does not hold, and when the keys
// are older than keySetMaxAge (so that a key the issuer withdrew stops
// being accepted), but not more than once per minRefresh. go-oidc's RemoteKeySet refetches on every unknown
// key id, which lets anyone make the hub hammer the issuer, and can hand
// a caller the keys of a fetch that finished before a rotation; this one
// leaves go-oidc only the signature check (oidc.StaticKeySet, after
// go-oidc's verifier has checked the algorithm).
type keySet struct {
	url        string
	client     *http.Client
	now        func() time.Time
	minRefresh time.Duration

	sem chan struct{} // admits one fetch at a time

	mu      sync.Mutex // guards the fields below
	keys    []publicKey
	fetched time.Time // of the last attempt, successful or not
	tried   bool
	fresh   time.Time // of the last successful fetch
}

var _ oidc.KeySet = (*keySet)(nil)

// publicKey is one usable key of the set.
type publicKey struct {
	kid string
	alg string // as the key set declares it; empty if it does not
	key crypto.PublicKey
}

// minRSABits refuses RSA keys too short to trust.
const minRSABits = 2048

// keySetMaxAge is how long fetched keys are used before the set is
// fetched again. If that fails, the keys fetched before stay in use, so
// that an issuer briefly down does not lock everyone out.
const keySetMaxAge = 15 * time.Minute

func newKeySet(url string, client *http.Client, now func() time.Time, minRefresh time.Duration) *keySet {
	return &keySet{url: url, client: client, now: now, minRefresh: minRefresh, sem: make(chan struct{}, 1)}
}

// VerifySignature verifies jwt with the keys of the set that match its
// "kid" (all keys if it has none) and its "alg", when a key declares
// one.
func (s *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	kid, alg, err := protectedHeader(jwt)
	if err != nil {
		return nil, err
	}
	if s.stale() {
		// An error leaves the keys fetched before in use.
		_ = s.refresh(ctx)
	}
	keys, known := s.matching(kid, alg)
	if !known {
		if err := s.refresh(ctx); err != nil {
			return nil, err
		}
		if keys, _ = s.matching(kid, alg); len(keys) == 0 {
			return nil, fmt.Errorf("no key with id %q for %s in the issuer's key set", kid, alg)
		}
	}
	return (&oidc.StaticKeySet{PublicKeys: keys}).VerifySignature(ctx, jwt)
}

// protectedHeader reads "kid" and "alg" only to choose keys; go-oidc
// parses the token again to check the algorithm and signature, so a
// header that reads differently here can at worst choose no key.
func protectedHeader(jwt string) (kid, alg string, err error) {
	first, _, ok := strings.Cut(jwt, ".")
	if !ok {
		return "", "", errors.New("not a compact JWS")
	}
	b, err := base64.RawURLEncoding.DecodeString(first)
	if err != nil {
		return "", "", errors.New("malformed JWS header")
	}
	var h struct {
		Kid string `json:"kid"`
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return "", "", errors.New("malformed JWS header")
	}
	return h.Kid, h.Alg, nil
}

func (s *keySet) stale() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.keys) > 0 && s.now().Sub(s.fresh) >= keySetMaxAge
}

// matching returns the keys for kid and alg, and whether the set was
// fetched and holds kid at all (so that fetching again could not help).
func (s *keySet) matching(kid, alg string) ([]crypto.PublicKey, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []crypto.PublicKey
	known := false
	for _, k := range s.keys {
		if kid != "" && k.kid != kid {
			continue
		}
		known = true
		if k.alg == "" || k.alg == alg {
			keys = append(keys, k.key)
		}
	}
	return keys, known
}

// refresh fetches the key set unless that was tried less than minRefresh
// ago.
func (s *keySet) refresh(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	start := s.now()
	if s.tried && start.Sub(s.fetched) < s.minRefresh {
		s.mu.Unlock()
		// Another caller fetched while this one waited, or an unknown key
		// id is being presented too often: use what there is.
		return nil
	}
	s.mu.Unlock()
	keys, err := s.fetch(ctx)
	if err != nil && ctx.Err() != nil {
		return err // the caller gave up; that says nothing of the issuer
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tried, s.fetched = true, start
	if err != nil {
		return fmt.Errorf("fetch the issuer's key set: %w", err)
	}
	s.keys, s.fresh = keys, start
	return nil
}

func (s *keySet) fetch(ctx context.Context) ([]publicKey, error) {
	ctx, cancel := context.WithTimeout(ctx, defaultHTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", s.url, resp.Status)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.url, err)
	}
	return parseKeySet(body)
}

// parseKeySet reads the public signing keys of a JWK set. Keys of types,
// curves or uses it cannot verify with, and RSA keys shorter than 2048
// bits, are skipped as RFC 7517 (section 5) says to, rather than failing
// the whole set.
func parseKeySet(body []byte) ([]publicKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	var keys []publicKey
	for _, raw := range set.Keys {
		k, err := jwk.ParseKey(raw)
		if err != nil {
			continue
		}
		if use := k.KeyUsage(); use != "" && use != "sig" {
			continue
		}
		pub, err := k.PublicKey()
		if err != nil {
			continue
		}
		var v any
		if err := pub.Raw(&v); err != nil {
			continue
		}
		key := usableKey(v)
		if key == nil {
			continue
		}
		keys = append(keys, publicKey{kid: k.KeyID(), alg: k.Algorithm().String(), key: key})
	}
	if len(keys) == 0 {
		return nil, errors.New("key set has no usable signing key")
	}
	return keys, nil
}

// usableKey returns the key in the form oidc.StaticKeySet takes, or nil.
func usableKey(v any) crypto.PublicKey {
	switch k := v.(type) {
	case rsa.PublicKey:
		return usableKey(&k)
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return nil
		}
		return k
	case ecdsa.PublicKey:
		return &k
	case *ecdsa.PublicKey:
		return k
	case ed25519.PublicKey:
		return k
	}
	return nil
}
