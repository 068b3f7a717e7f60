package certs

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"
)

// Role names what a signing key is for. The role is part of the key's text
// encoding, so a receipt key cannot be loaded where a partner key belongs.
type Role string

const (
	RolePartner Role = "PARTNER"
	RoleReceipt Role = "RECEIPT"
	RoleOfficer Role = "OFFICER"
)

// ErrWrongKey is returned when a key file holds a key of another role or
// kind than the one asked for.
var ErrWrongKey = errors.New("not a key of the expected kind")

// ErrBadSignature is returned when a JWS does not verify under the key.
var ErrBadSignature = errors.New("signature does not verify")

type signingKey struct {
	kid  string
	priv ed25519.PrivateKey
}

type publicKey struct {
	kid string
	pub ed25519.PublicKey
}

// PartnerKey is a partner's private manifest-signing key.
type PartnerKey struct{ signingKey }

// ReceiptKey is the hub's private receipt-signing key.
type ReceiptKey struct{ signingKey }

// OfficerKey is a security officer's private key: it signs roots, trust
// bundles and proposals, never submissions or receipts.
type OfficerKey struct{ signingKey }

// OfficerPublicKey verifies an officer's signatures.
type OfficerPublicKey struct{ publicKey }

// PartnerPublicKey verifies a partner's manifests.
type PartnerPublicKey struct{ publicKey }

// ReceiptPublicKey verifies the hub's receipts.
type ReceiptPublicKey struct{ publicKey }

// GeneratePartnerKey makes a new partner key from rand (crypto/rand when nil).
func GeneratePartnerKey(rand io.Reader) (PartnerKey, error) {
	k, err := generate(rand)
	return PartnerKey{k}, err
}

// GenerateOfficerKey makes a new officer key from rand (crypto/rand when nil).
func GenerateOfficerKey(rand io.Reader) (OfficerKey, error) {
	k, err := generate(rand)
	return OfficerKey{k}, err
}

// GenerateReceiptKey makes a new receipt key from rand (crypto/rand when nil).
func GenerateReceiptKey(rand io.Reader) (ReceiptKey, error) {
	k, err := generate(rand)
	return ReceiptKey{k}, err
}

func generate(rand io.Reader) (signingKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return signingKey{}, err
	}
	return signingKey{kid: KeyID(pub), priv: priv}, nil
}

// KeyID derives the key id of an Ed25519 public key: the first 12 bytes of
// the SHA-256 of its PKIX encoding, base64url. It names a key; it is never
// trusted on its own, since the signature is checked with the key it names.
func KeyID(pub ed25519.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// KeyID returns the key's id.
func (k signingKey) KeyID() string { return k.kid }

// KeyID returns the key's id.
func (k publicKey) KeyID() string { return k.kid }

func (k signingKey) public() publicKey {
	return publicKey{kid: k.kid, pub: k.priv.Public().(ed25519.PublicKey)}
}

// Public returns the public half.
func (k PartnerKey) Public() PartnerPublicKey { return PartnerPublicKey{k.public()} }

// Public returns the public half.
func (k ReceiptKey) Public() ReceiptPublicKey { return ReceiptPublicKey{k.public()} }

// Public returns the public half.
func (k OfficerKey) Public() OfficerPublicKey { return OfficerPublicKey{k.public()} }

// Equal reports, in constant time, whether two public keys are the same.
func (k OfficerPublicKey) Equal(o OfficerPublicKey) bool { return k.equal(o.publicKey) }

// MarshalText encodes the private key as PEM with a role-specific type.
func (k OfficerKey) MarshalText() ([]byte, error) { return k.marshal(RoleOfficer) }

// MarshalText encodes the public key as PEM with a role-specific type.
func (k OfficerPublicKey) MarshalText() ([]byte, error) { return k.marshal(RoleOfficer) }

// UnmarshalText decodes a PEM officer private key.
func (k *OfficerKey) UnmarshalText(b []byte) error { return k.unmarshal(RoleOfficer, b) }

// UnmarshalText decodes a PEM officer public key.
func (k *OfficerPublicKey) UnmarshalText(b []byte) error { return k.unmarshal(RoleOfficer, b) }

// LoadOfficerKey reads an officer's key file, refusing it when others can
// read it.
func LoadOfficerKey(path string) (OfficerKey, error) {
	var k OfficerKey
	return k, loadSecret(path, &k)
}

// Equal reports, in constant time, whether two public keys are the same.
func (k PartnerPublicKey) Equal(o PartnerPublicKey) bool { return k.equal(o.publicKey) }

// Equal reports, in constant time, whether two public keys are the same.
func (k ReceiptPublicKey) Equal(o ReceiptPublicKey) bool { return k.equal(o.publicKey) }

func (k publicKey) equal(o publicKey) bool {
	return subtle.ConstantTimeCompare(k.pub, o.pub) == 1
}

// canonicalCompact refuses a compact JWS whose segments are not in the
// one canonical encoding (unpadded base64url, unused bits zero). A JWS
// library decodes several encodings of the same bytes; accepting them
// would let anyone who can rewrite an object change its bytes, and so its
// hash (a partner's chain names manifests by hash), without touching the
// signature.
func canonicalCompact(compact []byte) error {
	parts := strings.Split(string(compact), ".")
	if len(parts) != 3 {
		return fmt.Errorf("%w: not a compact JWS", ErrBadSignature)
	}
	for _, p := range parts {
		b, err := base64.RawURLEncoding.Strict().DecodeString(p)
		if err != nil || base64.RawURLEncoding.EncodeToString(b) != p {
			return fmt.Errorf("%w: a segment is not canonical unpadded base64url", ErrBadSignature)
		}
	}
	// Only alg, kid and typ: a header that asks for more (crit, b64, a
	// key of its own) is not one thbx wrote.
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var members map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &members); err != nil {
		return fmt.Errorf("%w: protected header is not a JSON object", ErrBadSignature)
	}
	for name := range members {
		if name != "alg" && name != "kid" && name != "typ" {
			return fmt.Errorf("%w: protected header member %q is not allowed", ErrBadSignature, name)
		}
	}
	return nil
}

// IsZero reports whether the key is unset.
func (k publicKey) IsZero() bool { return len(k.pub) == 0 }

// Bytes returns the raw 32-byte public key.
func (k publicKey) Bytes() []byte { return append([]byte(nil), k.pub...) }

// SignJWS signs payload as a compact JWS with EdDSA, naming the key id and
// the document type in the protected header.
func (k signingKey) SignJWS(payload []byte, typ string) ([]byte, error) {
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.KeyIDKey, k.kid); err != nil {
		return nil, err
	}
	if err := hdr.Set(jws.TypeKey, typ); err != nil {
		return nil, err
	}
	return jws.Sign(payload, jws.WithKey(jwa.EdDSA, k.priv, jws.WithProtectedHeaders(hdr)))
}

// VerifyJWS checks a compact JWS against this key alone, with the EdDSA
// algorithm alone (so "none" or an HMAC keyed with the public key can never
// pass), and requires the protected header to name this key and typ.
func (k publicKey) VerifyJWS(compact []byte, typ string) ([]byte, error) {
	if len(k.pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: no key loaded", ErrBadSignature)
	}
	if err := canonicalCompact(compact); err != nil {
		return nil, err
	}
	msg, err := jws.Parse(compact, jws.WithCompact())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	sigs := msg.Signatures()
	if len(sigs) != 1 {
		return nil, fmt.Errorf("%w: want one signature, got %d", ErrBadSignature, len(sigs))
	}
	h := sigs[0].ProtectedHeaders()
	if h.Algorithm() != jwa.EdDSA {
		return nil, fmt.Errorf("%w: algorithm %q is not allowed", ErrBadSignature, h.Algorithm())
	}
	if h.KeyID() != k.kid {
		return nil, fmt.Errorf("%w: signed by key %q, not %q", ErrBadSignature, h.KeyID(), k.kid)
	}
	if h.Type() != typ {
		return nil, fmt.Errorf("%w: document type %q, want %q", ErrBadSignature, h.Type(), typ)
	}
	payload, err := jws.Verify(compact, jws.WithKey(jwa.EdDSA, k.pub))
	if err != nil {
		return nil, ErrBadSignature
	}
	return payload, nil
}

const (
	pemPrivateSuffix = " SIGNING KEY"
	pemPublicSuffix  = " PUBLIC KEY"
)

func pemType(role Role, suffix string) string { return "THBX " + string(role) + suffix }

// MarshalText encodes the private key as PEM with a role-specific type.
func (k PartnerKey) MarshalText() ([]byte, error) { return k.marshal(RolePartner) }

// MarshalText encodes the private key as PEM with a role-specific type.
func (k ReceiptKey) MarshalText() ([]byte, error) { return k.marshal(RoleReceipt) }

func (k signingKey) marshal(role Role) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType(role, pemPrivateSuffix), Bytes: der}), nil
}

// MarshalText encodes the public key as PEM with a role-specific type.
func (k PartnerPublicKey) MarshalText() ([]byte, error) { return k.marshal(RolePartner) }

// MarshalText encodes the public key as PEM with a role-specific type.
func (k ReceiptPublicKey) MarshalText() ([]byte, error) { return k.marshal(RoleReceipt) }

func (k publicKey) marshal(role Role) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(k.pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType(role, pemPublicSuffix), Bytes: der}), nil
}

// UnmarshalText decodes a PEM partner private key.
func (k *PartnerKey) UnmarshalText(b []byte) error { return k.unmarshal(RolePartner, b) }

// UnmarshalText decodes a PEM receipt private key.
func (k *ReceiptKey) UnmarshalText(b []byte) error { return k.unmarshal(RoleReceipt, b) }

func (k *signingKey) unmarshal(role Role, b []byte) error {
	der, err := pemBlock(b, pemType(role, pemPrivateSuffix))
	if err != nil {
		return err
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWrongKey, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return fmt.Errorf("%w: not an Ed25519 key", ErrWrongKey)
	}
	*k = signingKey{kid: KeyID(priv.Public().(ed25519.PublicKey)), priv: priv}
	return nil
}

// UnmarshalText decodes a PEM partner public key.
func (k *PartnerPublicKey) UnmarshalText(b []byte) error { return k.unmarshal(RolePartner, b) }

// UnmarshalText decodes a PEM receipt public key.
func (k *ReceiptPublicKey) UnmarshalText(b []byte) error { return k.unmarshal(RoleReceipt, b) }

func (k *publicKey) unmarshal(role Role, b []byte) error {
	der, err := pemBlock(b, pemType(role, pemPublicSuffix))
	if err != nil {
		return err
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWrongKey, err)
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return fmt.Errorf("%w: not an Ed25519 key", ErrWrongKey)
	}
	*k = publicKey{kid: KeyID(pub), pub: pub}
	return nil
}

func pemBlock(b []byte, want string) ([]byte, error) {
	block, rest := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block (want %q)", ErrWrongKey, want)
	}
	if block.Type != want {
		return nil, fmt.Errorf("%w: PEM block is %q, want %q", ErrWrongKey, block.Type, want)
	}
	if len(pemTrim(rest)) != 0 {
		return nil, fmt.Errorf("%w: trailing data after the PEM block", ErrWrongKey)
	}
	return block.Bytes, nil
}

func pemTrim(b []byte) []byte {
	for len(b) > 0 && (b[0] == '\n' || b[0] == '\r' || b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// LoadPartnerKey reads a partner private key file, refusing it when others
// can read it.
func LoadPartnerKey(path string) (PartnerKey, error) {
	var k PartnerKey
	return k, loadSecret(path, &k)
}

// LoadReceiptKey reads the hub's receipt key file, refusing it when others
// can read it.
func LoadReceiptKey(path string) (ReceiptKey, error) {
	var k ReceiptKey
	return k, loadSecret(path, &k)
}

func loadSecret(path string, k interface{ UnmarshalText([]byte) error }) error {
	b, err := ReadSecretFile(path)
	if err != nil {
		return fmt.Errorf("load key: %w", err)
	}
	if err := k.UnmarshalText(b); err != nil {
		return fmt.Errorf("load key %s: %w", path, err)
	}
	return nil
}
