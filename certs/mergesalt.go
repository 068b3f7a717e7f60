package certs

import (
	"fmt"
	"io"
)

// MergeSaltSize is the size of a new merge salt.
const MergeSaltSize = 32

// LoadMergeSalt reads the hub's merge salt: the secret that person ids of
// merged datasets are HMAC'd under (hub/merge). With create, a missing
// file is made with a new random salt (from random, crypto/rand when
// nil), and made reports it. The salt never changes afterwards: another
// salt gives every person a new id.
func LoadMergeSalt(path string, create bool, random io.Reader) (salt []byte, made bool, err error) {
	salt, made, err = loadHexSecret(path, "merge salt", create, random, MergeSaltSize, func([]byte) string {
		return "# thbx merge salt: person ids of merged data depend on it. Keep it secret, keep it.\n"
	})
	if err == nil && len(salt) < 16 {
		return nil, false, fmt.Errorf("merge salt %s: want 32 or more hex digits", path)
	}
	return salt, made, err
}
