package authtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/thbx/thbx/hub/auth/authtest"
)

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// The issuer's tokens verify against the key set its discovery document
// points to, and carry the published key's id.
func TestIssuerServesVerifiableTokens(t *testing.T) {
	iss := authtest.NewIssuer(t)
	status, body := get(t, iss.URL+"/.well-known/openid-configuration")
	if status != http.StatusOK {
		t.Fatalf("discovery: %d", status)
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Issuer != iss.URL {
		t.Fatalf("issuer %q, want %q", doc.Issuer, iss.URL)
	}
	_, body = get(t, doc.JWKSURI)
	set, err := jwk.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 1 {
		t.Fatalf("%d keys published, want 1", set.Len())
	}
	if k, _ := set.Key(0); k.KeyID() != iss.Key().KeyID() {
		t.Fatalf("published kid %q, signing kid %q", k.KeyID(), iss.Key().KeyID())
	}
	var raw struct{ Keys []map[string]any }
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if _, private := raw.Keys[0]["d"]; private {
		t.Fatal("the key set publishes a private key")
	}

	token := iss.Issue(iss.Claims("alice", time.Now(), "analyst"))
	payload, err := jws.Verify([]byte(token), jws.WithKeySet(set))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["sub"] != "alice" || claims["aud"] != authtest.Audience || claims["iss"] != iss.URL {
		t.Fatalf("claims %v", claims)
	}
	msg, err := jws.Parse([]byte(token))
	if err != nil {
		t.Fatal(err)
	}
	if kid := msg.Signatures()[0].ProtectedHeaders().KeyID(); kid != iss.Key().KeyID() {
		t.Fatalf("token kid %q, want %q", kid, iss.Key().KeyID())
	}

	if d, k := iss.Requests(); d != 1 || k != 1 {
		t.Fatalf("requests %d, %d; want 1, 1", d, k)
	}
	iss.SetDown(true)
	if status, _ := get(t, iss.URL+"/jwks"); status != http.StatusServiceUnavailable {
		t.Fatalf("down issuer answered %d", status)
	}
}

// A key not yet published does not verify against the key set; once
// rotated in, it does, and Issue signs with it.
func TestIssuerRotate(t *testing.T) {
	iss := authtest.NewIssuer(t)
	for _, alg := range []string{"ES256", "EdDSA"} {
		k := authtest.NewKey(t, alg)
		token := k.Sign(t, iss.Claims("bob", time.Now(), "auditor"))
		_, body := get(t, iss.URL+"/jwks")
		set, _ := jwk.Parse(body)
		if _, err := jws.Verify([]byte(token), jws.WithKeySet(set)); err == nil {
			t.Fatalf("%s: token of an unpublished key verified", alg)
		}
		iss.Rotate(k)
		_, body = get(t, iss.URL+"/jwks")
		set, _ = jwk.Parse(body)
		if _, err := jws.Verify([]byte(iss.Issue(iss.Claims("bob", time.Now()))), jws.WithKeySet(set)); err != nil {
			t.Fatalf("%s: after rotation: %v", alg, err)
		}
	}
}
