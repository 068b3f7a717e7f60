package certs

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// LoadAuditKey reads the hub's audit key: the Ed25519 key that signs the
// audit log's checkpoints (hub/audit). With create, a missing file is
// made with a new key (from random, crypto/rand when nil), and made
// reports it. The file holds the key's 32-byte seed in hex, mode 0600.
func LoadAuditKey(path string, create bool, random io.Reader) (key ed25519.PrivateKey, made bool, err error) {
	b, err := ReadSecretFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if random == nil {
			random = rand.Reader
		}
		seed := make([]byte, ed25519.SeedSize)
		if _, err := io.ReadFull(random, seed); err != nil {
			return nil, false, fmt.Errorf("new audit key: %w", err)
		}
		key = ed25519.NewKeyFromSeed(seed)
		text := "# thbx audit key: signs the audit log's checkpoints. Keep it secret.\n# public: " +
			hex.EncodeToString(key.Public().(ed25519.PublicKey)) + "\n" + hex.EncodeToString(seed) + "\n"
		if err := WriteSecretFile(path, []byte(text)); err != nil {
			return nil, false, err
		}
		return key, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("audit key: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		seed, err := hex.DecodeString(line)
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, false, fmt.Errorf("audit key %s: want the 64 hex digits of an Ed25519 seed", path)
		}
		return ed25519.NewKeyFromSeed(seed), false, nil
	}
	return nil, false, fmt.Errorf("audit key %s: empty", path)
}
