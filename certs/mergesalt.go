package certs

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// MergeSaltSize is the size of a new merge salt.
const MergeSaltSize = 32

// LoadMergeSalt reads the hub's merge salt: the secret that person ids of
// merged datasets are HMAC'd under (hub/merge). With create, a missing
// file is made with a new random salt (from random, crypto/rand when
// nil), and made reports it. The salt never changes afterwards: another
// salt gives every person a new id.
func LoadMergeSalt(path string, create bool, random io.Reader) (salt []byte, made bool, err error) {
	b, err := ReadSecretFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if random == nil {
			random = rand.Reader
		}
		salt = make([]byte, MergeSaltSize)
		if _, err := io.ReadFull(random, salt); err != nil {
			return nil, false, fmt.Errorf("new merge salt: %w", err)
		}
		text := "# thbx merge salt: person ids of merged data depend on it. Keep it secret, keep it.\n" + hex.EncodeToString(salt) + "\n"
		if err := WriteSecretFile(path, []byte(text)); err != nil {
			return nil, false, err
		}
		return salt, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("merge salt: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		salt, err := hex.DecodeString(line)
		if err != nil || len(salt) < 16 {
			return nil, false, fmt.Errorf("merge salt %s: want 32 or more hex digits", path)
		}
		return salt, false, nil
	}
	return nil, false, fmt.Errorf("merge salt %s: empty", path)
}
