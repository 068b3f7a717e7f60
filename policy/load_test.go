package policy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func writePolicy(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDigestVector pins Digest to SHA-256 as lower-case hex, in the form
// the trust bundle's policy_digest takes.
func TestDigestVector(t *testing.T) {
	if got, want := Digest([]byte("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("Digest(abc) = %s, want %s", got, want)
	}
	// certs/trust's digestPattern, as of this writing.
	bundle := regexp.MustCompile(`^(sha256:)?[0-9a-f]{64}$`)
	data, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	d := Digest(data)
	if !bundle.MatchString(d) || !bundle.MatchString("sha256:"+d) {
		t.Errorf("digest %s does not fit the trust bundle", d)
	}
	if p := demo(t); p.Digest() != d {
		t.Errorf("Policy.Digest %s, Digest of the file %s", p.Digest(), d)
	}
}

func TestLoad(t *testing.T) {
	data, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	path := writePolicy(t, data)
	for _, want := range []string{Digest(data), "sha256:" + Digest(data)} {
		p, err := Load(path, want)
		if err != nil {
			t.Fatalf("Load(%s): %v", want, err)
		}
		if !p.Decide(officer, ManageTrust, trustRes).Allowed {
			t.Error("the loaded demo policy does not let an officer manage trust")
		}
	}
}

// TestLoadTampered: a policy file changed after the officers signed its
// digest is refused, however small the change, and never parsed.
func TestLoadTampered(t *testing.T) {
	data, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	signed := Digest(data)
	grantAll := bytes.Replace(data, []byte("roles: [auditor]\n    actions: [read_audit]"), []byte("roles: [auditor]\n    actions: [read_audit, read_submissions]"), 1)
	if bytes.Equal(grantAll, data) {
		t.Fatal("the tampering found nothing to change")
	}
	tampered := map[string][]byte{
		"a grant widened":        grantAll,
		"a comment added":        append(bytes.Clone(data), "# reviewed\n"...),
		"one bit flipped":        flip(data, len(data)/2),
		"truncated":              data[:len(data)-1],
		"the deny rule a grant":  bytes.Replace(data, []byte("effect: deny"), []byte("effect: allow"), 1),
		"not a policy at all":    []byte("{{{"),
		"empty":                  nil,
		"the canonical form too": demo(t).Canonical(),
	}
	for name, bad := range tampered {
		t.Run(name, func(t *testing.T) {
			_, err := Load(writePolicy(t, bad), signed)
			if !errors.Is(err, ErrDigestMismatch) {
				t.Fatalf("got %v, want ErrDigestMismatch", err)
			}
			if errors.Is(err, ErrInvalidPolicy) {
				t.Errorf("a file that does not match was parsed: %v", err)
			}
			if !strings.Contains(err.Error(), signed) {
				t.Errorf("the error does not name the digest expected: %v", err)
			}
			if _, err := ParseVerified(bad, signed); !errors.Is(err, ErrDigestMismatch) {
				t.Errorf("ParseVerified: %v", err)
			}
		})
	}
}

// TestLoadTooLarge: a file over MaxSize is refused by its size, before
// it is hashed whole or parsed.
func TestLoadTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte("#"), MaxSize+10)
	_, err := Load(writePolicy(t, big), Digest(big))
	if !errors.Is(err, ErrInvalidPolicy) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v", err)
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}

// TestLoadNeedsADigest: no digest, or one the trust bundle could not hold,
// is refused before the file is read.
func TestLoadNeedsADigest(t *testing.T) {
	data, _ := os.ReadFile(demoPath)
	path := writePolicy(t, data)
	d := Digest(data)
	for _, want := range []string{"", strings.ToUpper(d), "sha512:" + d, d[:63], d + "0", "md5:abc", " " + d} {
		if _, err := Load(path, want); err == nil || errors.Is(err, ErrDigestMismatch) {
			t.Errorf("Load(%q): %v, want a refusal of the digest itself", want, err)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), d); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestLoadInvalidButSigned: a file that matches its digest is still
// checked; officers could sign for a broken policy.
func TestLoadInvalidButSigned(t *testing.T) {
	bad := []byte(head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [manage_trust]}\n")
	_, err := Load(writePolicy(t, bad), Digest(bad))
	if !errors.Is(err, ErrInvalidPolicy) || errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("got %v, want ErrInvalidPolicy", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || e.Rule != "a" {
		t.Errorf("the error does not name line and rule: %v", err)
	}
}
