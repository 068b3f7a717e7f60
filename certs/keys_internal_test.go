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
	if !a.Public().Equal(a2.Public()) {
		t.Error("a key is not Equal to itself")
	}
	if a.Public().Equal(b.Public()) {
		t.Error("two keys are Equal")
	}
	var zero PartnerPublicKey
	if a.Public().Equal(zero) || !zero.Equal(zero) {
		t.Error("Equal and the zero key")
	}
	// Equal is defined per role: a partner key cannot be compared with a
	// receipt key at all (that would not compile); the shared machinery
	// compares bytes.
	r, _ := GenerateReceiptKey(seed("a"))
	if !a.Public().equal(r.Public().publicKey) {
		t.Error("same bytes")
	}
}

type fixedReader struct{ b []byte }

func (r *fixedReader) Read(p []byte) (int, error) {
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
