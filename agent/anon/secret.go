package anon

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/thbx/thbx/certs"
)

// secretPrefix starts the text form of a linkage secret, so that a file
// holding one says what it is and a secret of another kind is not taken
// for it.
const secretPrefix = "thbx-linkage-secret-1:"

const (
	secretMinLen = 32
	secretMaxLen = 64
)

// Purposes of the sub-keys derived from a linkage secret. Each output of
// the package is computed under its own sub-key, so that no value computed
// for one purpose can be replayed as another.
const (
	purposeLinkage = "linkage-key/v1"
	purposeBloom   = "bloom/v1"
)

// ErrInvalidSecret is returned when a linkage secret cannot be parsed. The
// error never repeats the text it was given.
var ErrInvalidSecret = errors.New("invalid linkage secret")

// Secret is the linkage secret: 32 or more random bytes that the partners
// share and the hub never holds. Every linkage key and Bloom encoding is
// computed under sub-keys derived from it, so whoever holds it can test a
// guessed name and birth date against the keys; keep it as carefully as a
// private key.
//
// A Secret never prints itself: String, GoString and every fmt verb give
// "thbx-linkage-secret(redacted)". The zero Secret is not usable; obtain
// one from [GenerateSecret], [ParseSecret] or [LoadSecret].
type Secret struct {
	raw     []byte
	linkage []byte // HKDF(raw, purposeLinkage)
	// bloomKeys are the two double-hashing keys of each Bloom field,
	// derived from HKDF(raw, purposeBloom).
	bloomKeys [bloomFields][2][]byte
}

// GenerateSecret returns a new secret of 32 bytes read from r, or from
// crypto/rand when r is nil.
func GenerateSecret(r io.Reader) (*Secret, error) {
	if r == nil {
		r = rand.Reader
	}
	raw := make([]byte, secretMinLen)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("generate linkage secret: %w", err)
	}
	return newSecret(raw)
}

func newSecret(raw []byte) (*Secret, error) {
	if len(raw) < secretMinLen || len(raw) > secretMaxLen {
		return nil, fmt.Errorf("%w: need %d to %d bytes", ErrInvalidSecret, secretMinLen, secretMaxLen)
	}
	s := &Secret{raw: raw}
	s.linkage = derive(s.raw, purposeLinkage)
	bloom := derive(s.raw, purposeBloom)
	for f, name := range bloomFieldNames {
		s.bloomKeys[f][0] = derive(bloom, purposeBloom+"/"+name+"/1")
		s.bloomKeys[f][1] = derive(bloom, purposeBloom+"/"+name+"/2")
	}
	return s, nil
}

// derive returns a 32-byte HKDF-SHA256 sub-key of key for purpose. The
// purpose strings are fixed, so the only failure hkdf can report (an
// output longer than 255 blocks) cannot happen.
func derive(key []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, key, nil, "thbx/anon/"+purpose, 32)
	if err != nil {
		panic("anon: hkdf: " + err.Error())
	}
	return k
}

// ParseSecret reads the text form "thbx-linkage-secret-1:<base64url>".
// Surrounding white space is ignored.
func ParseSecret(text string) (*Secret, error) {
	text = strings.TrimSpace(text)
	rest, ok := strings.CutPrefix(text, secretPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: want the prefix %q", ErrInvalidSecret, secretPrefix)
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		// The decoder's message quotes an offset, not the input, but
		// name nothing of it anyway.
		return nil, fmt.Errorf("%w: not unpadded base64url", ErrInvalidSecret)
	}
	return newSecret(raw)
}

// LoadSecret reads a secret from a file that only its owner may read or
// write; a file with any group or other permission bit is refused with an
// error wrapping certs.ErrInsecureKeyFile.
func LoadSecret(path string) (*Secret, error) {
	data, err := certs.ReadSecretFile(path)
	if err != nil {
		return nil, fmt.Errorf("read linkage secret: %w", err)
	}
	s, err := ParseSecret(string(data))
	if err != nil {
		return nil, fmt.Errorf("read linkage secret %s: %w", path, err)
	}
	return s, nil
}

// Save writes the secret's text form to a new file of mode 0600. It never
// overwrites a file: replacing the linkage secret unlinks every record
// keyed before.
func (s *Secret) Save(path string) error {
	if err := certs.WriteSecretFile(path, []byte(s.encode()+"\n")); err != nil {
		return fmt.Errorf("save linkage secret: %w", err)
	}
	return nil
}

// encode returns the text form. It is unexported so that the only ways
// out of the process are Save and a deliberate call from this package.
func (s *Secret) encode() string {
	return secretPrefix + base64.RawURLEncoding.EncodeToString(s.raw)
}

// Equal reports in constant time whether two secrets are the same.
func (s *Secret) Equal(o *Secret) bool {
	if s == nil || o == nil {
		return s == o
	}
	return subtle.ConstantTimeCompare(s.raw, o.raw) == 1
}

const redacted = "thbx-linkage-secret(redacted)"

// String returns a fixed text, never the secret.
func (Secret) String() string { return redacted }

// GoString returns a fixed text, never the secret, for %#v.
func (Secret) GoString() string { return redacted }

// Format prints a fixed text for every verb, so that neither %x nor %d
// nor %+v reaches the bytes.
func (Secret) Format(f fmt.State, _ rune) { io.WriteString(f, redacted) }

var (
	_ fmt.Stringer   = Secret{}
	_ fmt.GoStringer = Secret{}
	_ fmt.Formatter  = Secret{}
)
