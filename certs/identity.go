package certs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"filippo.io/age"
)

// HubIdentity is one of the hub's age identities, post-quantum hybrid by
// default.
type HubIdentity struct {
	id age.Identity
	s  string
}

// GenerateHubIdentity makes a new ML-KEM-768 + X25519 hybrid identity.
func GenerateHubIdentity() (HubIdentity, error) {
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return HubIdentity{}, err
	}
	return HubIdentity{id: id, s: id.String()}, nil
}

// Identity returns the age identity for decryption.
func (h HubIdentity) Identity() age.Identity { return h.id }

// Recipient returns the identity's public recipient string.
func (h HubIdentity) Recipient() string {
	switch id := h.id.(type) {
	case *age.HybridIdentity:
		return id.Recipient().String()
	case *age.X25519Identity:
		return id.Recipient().String()
	}
	return ""
}

// MarshalText returns the identity in age's own text form.
func (h HubIdentity) MarshalText() ([]byte, error) { return []byte(h.s + "\n"), nil }

// LoadHubIdentities reads an age identity file (one identity a line, # for
// comments), refusing it when others can read it. Hybrid and X25519
// identities are accepted.
func LoadHubIdentities(path string) ([]HubIdentity, error) {
	b, err := ReadSecretFile(path)
	if err != nil {
		return nil, fmt.Errorf("load hub identities: %w", err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("load hub identities %s: %w", path, err)
	}
	var out []HubIdentity
	for _, id := range ids {
		h := HubIdentity{id: id}
		switch v := id.(type) {
		case *age.HybridIdentity:
			h.s = v.String()
		case *age.X25519Identity:
			h.s = v.String()
		default:
			return nil, fmt.Errorf("load hub identities %s: unsupported identity type %T", path, id)
		}
		out = append(out, h)
	}
	return out, nil
}

// ParseRecipient parses a hub recipient: age1pq1… (hybrid, the default) or
// age1… (X25519).
func ParseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "age1pq1") {
		return age.ParseHybridRecipient(s)
	}
	if strings.HasPrefix(s, "age1") {
		return age.ParseX25519Recipient(s)
	}
	return nil, fmt.Errorf("%q is not an age recipient (want age1pq1… or age1…)", s)
}

// RecipientFingerprint names a recipient in a manifest without repeating
// the (long) recipient: hex SHA-256 of its text form, first 16 bytes.
func RecipientFingerprint(recipient string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(recipient)))
	return hex.EncodeToString(sum[:16])
}
