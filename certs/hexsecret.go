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

// loadHexSecret reads a secret file (mode 0600) holding comment lines
// (#) and one line of hex. With create, a missing file is made with n
// bytes from random (crypto/rand when nil), under the comment lines
// header returns for them, and made reports it.
func loadHexSecret(path, what string, create bool, random io.Reader, n int, header func([]byte) string) (secret []byte, made bool, err error) {
	b, err := ReadSecretFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if random == nil {
			random = rand.Reader
		}
		secret = make([]byte, n)
		if _, err := io.ReadFull(random, secret); err != nil {
			return nil, false, fmt.Errorf("new %s: %w", what, err)
		}
		if err := WriteSecretFile(path, []byte(header(secret)+hex.EncodeToString(secret)+"\n")); err != nil {
			return nil, false, err
		}
		return secret, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", what, err)
	}
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		secret, err := hex.DecodeString(line)
		if err != nil {
			return nil, false, fmt.Errorf("%s %s: not hex", what, path)
		}
		return secret, false, nil
	}
	return nil, false, fmt.Errorf("%s %s: empty", what, path)
}
