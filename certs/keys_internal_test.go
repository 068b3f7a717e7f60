package certs

import (
	"crypto/sha256"
	"testing"
)

// Equal is declared on the unexported publicKey, so code outside this
// package cannot name its argument type and cannot call it (reported);
// this internal test at least checks what it computes.
func TestPublicKeyEqual(t *testing.T) {
	seed := func(label string) *fixedReader {
		sum := sha256.Sum256([]byte(label))
		return &fixedReader{b: sum[:]}
	}
	a, err := GeneratePartnerKey(seed("a"))
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := GeneratePartnerKey(seed("a"))
	b, _ := GeneratePartnerKey(seed("b"))
	if !a.Public().Equal(a2.Public().publicKey) {
		t.Error("a key is not Equal to itself")
	}
	if a.Public().Equal(b.Public().publicKey) {
		t.Error("two keys are Equal")
	}
	var zero PartnerPublicKey
	if a.Public().Equal(zero.publicKey) || !zero.Equal(zero.publicKey) {
		t.Error("Equal and the zero key")
	}
	// Role types share the embedded type: a partner key compares equal to
	// a receipt key with the same bytes.
	r, _ := GenerateReceiptKey(seed("a"))
	if !a.Public().Equal(r.Public().publicKey) {
		t.Error("same bytes, different roles")
	}
}

type fixedReader struct{ b []byte }

func (r *fixedReader) Read(p []byte) (int, error) {
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
