package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// digestPattern is the form certs/trust accepts for a bundle's
// policy_digest: lower-case hex, optionally prefixed "sha256:".
var digestPattern = regexp.MustCompile(`^(sha256:)?[0-9a-f]{64}$`)

// Digest returns the SHA-256 of a policy file's exact bytes as lower-case
// hex: the value security officers put in the trust bundle's
// policy_digest (thbx-keys propose with trust.SetPolicyDigest).
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Digest returns the digest of the bytes the policy was parsed from.
func (p *Policy) Digest() string { return p.digest }

// Description returns the policy's own description, if it has one.
func (p *Policy) Description() string { return p.description }

// Load reads the policy file at path and parses it, but only if its
// SHA-256 is wantDigest (hex, optionally "sha256:hex", as the trust
// bundle carries it); otherwise the error wraps [ErrDigestMismatch] and
// nothing of the file is parsed. There is no way to load a file without a
// digest: a policy the officers did not sign for is never in force.
func Load(path, wantDigest string) (*Policy, error) {
	if err := checkDigest(wantDigest); err != nil {
		return nil, fmt.Errorf("load policy: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load policy: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("load policy: %w", err)
	}
	p, err := ParseVerified(data, wantDigest)
	if err != nil {
		return nil, fmt.Errorf("load policy %s: %w", path, err)
	}
	return p, nil
}

// ParseVerified parses data, but only if its SHA-256 is wantDigest: for a
// policy fetched from elsewhere than a file, as from the drop box.
func ParseVerified(data []byte, wantDigest string) (*Policy, error) {
	if err := checkDigest(wantDigest); err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, &Error{Msg: fmt.Sprintf("larger than %d bytes", MaxSize)}
	}
	// Not secret: compared in plain.
	want := strings.TrimPrefix(wantDigest, "sha256:")
	if got := Digest(data); got != want {
		return nil, fmt.Errorf("%w: the file's SHA-256 is %s, the trust bundle names %s", ErrDigestMismatch, got, want)
	}
	return Parse(data)
}

func checkDigest(d string) error {
	switch {
	case d == "":
		return errors.New("no policy digest: the trust bundle names none")
	case !digestPattern.MatchString(d):
		return fmt.Errorf("policy digest %s is not a lower-case hex SHA-256", quote(d))
	}
	return nil
}
