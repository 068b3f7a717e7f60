package agent

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/thbx/thbx/certs"
)

// Keygen makes a partner signing key at path (mode 0600, never
// overwriting) and its public half at path's .pub sibling, which the
// partner sends to the security officers.
func Keygen(path string, rand io.Reader) (certs.PartnerPublicKey, error) {
	k, err := certs.GeneratePartnerKey(rand)
	if err != nil {
		return certs.PartnerPublicKey{}, err
	}
	priv, _ := k.MarshalText()
	pub, _ := k.Public().MarshalText()
	// Check both names first, so a refusal leaves no half-made pair.
	for _, p := range []string{path, PublicKeyPath(path)} {
		if _, err := os.Stat(p); err == nil {
			return certs.PartnerPublicKey{}, fmt.Errorf("%s already exists; move it away first if you mean to replace the key", p)
		}
	}
	if err := certs.WriteSecretFile(path, priv); err != nil {
		return certs.PartnerPublicKey{}, err
	}
	if err := certs.WritePublicFile(PublicKeyPath(path), pub); err != nil {
		os.Remove(path)
		return certs.PartnerPublicKey{}, err
	}
	return k.Public(), nil
}

// PublicKeyPath is where Keygen puts the public half of the key at path.
func PublicKeyPath(path string) string {
	return strings.TrimSuffix(path, ".key") + ".pub"
}
