package agent

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/thbx/thbx/certs"
)

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "partner.key")
	pub, err := Keygen(path, seeded(7))
	if err != nil {
		t.Fatal(err)
	}
	if got := PublicKeyPath(path); got != filepath.Join(dir, "keys", "partner.pub") {
		t.Fatalf("PublicKeyPath = %s", got)
	}
	if runtime.GOOS != "windows" {
		for name, want := range map[string]os.FileMode{path: 0o600, PublicKeyPath(path): 0o644} {
			info, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != want {
				t.Errorf("%s has mode %04o, want %04o", name, info.Mode().Perm(), want)
			}
		}
	}
	key, err := certs.LoadPartnerKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !key.Public().Equal(pub) {
		t.Fatal("the returned public key is not the private key's")
	}
	var onDisk certs.PartnerPublicKey
	b, err := os.ReadFile(PublicKeyPath(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := onDisk.UnmarshalText(b); err != nil || !onDisk.Equal(pub) {
		t.Fatalf(".pub file does not hold the public key: %v", err)
	}

	// The same random stream makes the same key: keys are testable.
	again, err := Keygen(filepath.Join(dir, "again.key"), seeded(7))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Equal(pub) {
		t.Fatal("Keygen is not deterministic in its random stream")
	}
}

func TestKeygenPublicPathWithoutKeySuffix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signing")
	if _, err := Keygen(path, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".pub"); err != nil {
		t.Fatal(err)
	}
}

// Keygen never overwrites, and a refusal leaves no half-made pair.
func TestKeygenRefusesExisting(t *testing.T) {
	for _, existing := range []string{"partner.key", "partner.pub"} {
		t.Run(existing, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "partner.key")
			writeFile(t, filepath.Join(dir, existing), "precious\n", 0o600)
			_, err := Keygen(path, nil)
			if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), existing) {
				t.Fatalf("Keygen over %s: %v", existing, err)
			}
			if got := files(t, dir); len(got) != 1 || got[0] != existing {
				t.Fatalf("directory holds %v, want only %s", got, existing)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, existing)); string(b) != "precious\n" {
				t.Fatalf("%s was changed: %q", existing, b)
			}
		})
	}
}

func TestNewRefusesReadableKey(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not show Windows ACLs")
	}
	f := newFixture(t)
	if err := os.Chmod(f.cfg.Key, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(f.cfg, nil)
	if !errors.Is(err, certs.ErrInsecureKeyFile) || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("New with a 0644 key: %v, want ErrInsecureKeyFile with a hint", err)
	}
	if err := os.Chmod(f.cfg.Key, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := New(f.cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := os.ReadFile(PublicKeyPath(f.cfg.Key))
	var k certs.PartnerPublicKey
	if err := k.UnmarshalText(pub); err != nil || k.KeyID() != a.KeyID() {
		t.Fatalf("KeyID %s, .pub %s (%v)", a.KeyID(), k.KeyID(), err)
	}
}

func TestNewChecksConfigAndHub(t *testing.T) {
	f := newFixture(t)
	c := f.cfg
	c.Partner = ""
	if _, err := New(c, nil); err == nil || !strings.Contains(err.Error(), "partner") {
		t.Fatalf("invalid config: %v", err)
	}
	c = f.cfg
	c.Hub = filepath.Join(f.dir, "missing.json")
	if _, err := New(c, nil); err == nil || !strings.Contains(err.Error(), "load hub info") {
		t.Fatalf("missing hub.json: %v", err)
	}
	c = f.cfg
	c.Classification = "restricted"
	if _, err := New(c, nil); err != nil {
		t.Fatalf("restricted: %v", err)
	}
}
