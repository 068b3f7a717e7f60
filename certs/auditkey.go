package certs

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"io"
)

// LoadAuditKey reads the hub's audit key: the Ed25519 key that signs the
// audit log's checkpoints (hub/audit). With create, a missing file is
// made with a new key (from random, crypto/rand when nil), and made
// reports it. The file holds the key's 32-byte seed in hex, mode 0600.
func LoadAuditKey(path string, create bool, random io.Reader) (key ed25519.PrivateKey, made bool, err error) {
	seed, made, err := loadHexSecret(path, "audit key", create, random, ed25519.SeedSize, func(seed []byte) string {
		pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
		return "# thbx audit key: signs the audit log's checkpoints. Keep it secret.\n# public: " + hex.EncodeToString(pub) + "\n"
	})
	if err != nil {
		return nil, false, err
	}
	if len(seed) != ed25519.SeedSize {
		return nil, false, fmt.Errorf("audit key %s: want the 64 hex digits of an Ed25519 seed", path)
	}
	return ed25519.NewKeyFromSeed(seed), made, nil
}
