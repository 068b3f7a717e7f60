package certs_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/thbx/thbx/certs"
)

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits; the check is off there")
	}
}

// writeFile writes data with exactly mode, whatever the umask.
func writeFile(t *testing.T, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestLoadPartnerKeyModes(t *testing.T) {
	skipOnWindows(t)
	pk := partnerKey(t, "partner a")
	dir := t.TempDir()
	for _, tc := range []struct {
		mode fs.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o700, true},
		{0o644, false},
		{0o640, false},
		{0o604, false},
		{0o620, false},
		{0o602, false},
		{0o610, false},
		{0o601, false},
		{0o666, false},
		{0o777, false},
	} {
		path := filepath.Join(dir, "partner-"+tc.mode.String()+".key")
		writeFile(t, path, []byte(text(t, pk)), tc.mode)
		k, err := certs.LoadPartnerKey(path)
		switch {
		case tc.ok && err != nil:
			t.Errorf("mode %04o: %v", tc.mode, err)
		case tc.ok && k.KeyID() != pk.KeyID():
			t.Errorf("mode %04o: loaded kid %s", tc.mode, k.KeyID())
		case !tc.ok && !errors.Is(err, certs.ErrInsecureKeyFile):
			t.Errorf("mode %04o: %v, want ErrInsecureKeyFile", tc.mode, err)
		}
		if !tc.ok && err != nil && !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: error %q gives no hint", tc.mode, err)
		}
	}
}

func TestLoadKeyErrors(t *testing.T) {
	skipOnWindows(t)
	dir := t.TempDir()
	pk := partnerKey(t, "partner a")
	rk := receiptKey(t, "receipt")
	pkPath := filepath.Join(dir, "partner.key")
	rkPath := filepath.Join(dir, "receipt.key")
	writeFile(t, pkPath, []byte(text(t, pk)), 0o600)
	writeFile(t, rkPath, []byte(text(t, rk)), 0o600)

	if _, err := certs.LoadReceiptKey(pkPath); !errors.Is(err, certs.ErrWrongKey) {
		t.Errorf("partner key file as receipt key: %v", err)
	}
	if _, err := certs.LoadPartnerKey(rkPath); !errors.Is(err, certs.ErrWrongKey) {
		t.Errorf("receipt key file as partner key: %v", err)
	}
	if k, err := certs.LoadReceiptKey(rkPath); err != nil || k.KeyID() != rk.KeyID() {
		t.Errorf("LoadReceiptKey: %v", err)
	}
	if _, err := certs.LoadPartnerKey(filepath.Join(dir, "missing.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	rkPub := filepath.Join(dir, "receipt.pub")
	writeFile(t, rkPub, []byte(text(t, rk.Public())), 0o644)
	if _, err := certs.LoadReceiptKey(rkPub); !errors.Is(err, certs.ErrInsecureKeyFile) {
		t.Errorf("public key file with mode 0644 as a secret: %v", err)
	}
	// A key's text must never appear in an error.
	bad := filepath.Join(dir, "bad.key")
	writeFile(t, bad, []byte(text(t, pk)+"trailing secret-ish text\n"), 0o600)
	_, err := certs.LoadPartnerKey(bad)
	if err == nil {
		t.Fatal("key with trailing text loaded")
	}
	body := strings.Split(text(t, pk), "\n")[1]
	if strings.Contains(err.Error(), body) || strings.Contains(err.Error(), "secret-ish") {
		t.Errorf("error repeats the file's content: %v", err)
	}
}

func TestReadSecretFileSymlink(t *testing.T) {
	skipOnWindows(t)
	// The mode checked is the target's: a 0600 link to a 0644 file is
	// refused.
	dir := t.TempDir()
	target := filepath.Join(dir, "target.key")
	writeFile(t, target, []byte("secret"), 0o644)
	link := filepath.Join(dir, "link.key")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	if _, err := certs.ReadSecretFile(link); !errors.Is(err, certs.ErrInsecureKeyFile) {
		t.Errorf("symlink to a 0644 file: %v", err)
	}
}

func TestWriteSecretFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "dir", "secret.key")
	if err := certs.WriteSecretFile(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("mode %04o, want 0600", info.Mode().Perm())
		}
		dinfo, _ := os.Stat(filepath.Dir(path))
		if dinfo.Mode().Perm()&0o077 != 0 {
			t.Errorf("directory made with mode %04o", dinfo.Mode().Perm())
		}
	}
	err := certs.WriteSecretFile(path, []byte("second"))
	if err == nil {
		t.Fatal("WriteSecretFile overwrote a key")
	}
	if !strings.Contains(err.Error(), "already exists") {
		t.Errorf("error %q", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("content %q after a refused overwrite", b)
	}
	if b, err := certs.ReadSecretFile(path); err != nil || string(b) != "first" {
		t.Errorf("ReadSecretFile = %q, %v", b, err)
	}
	// Not through a dangling symlink either.
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "link.key")
		if err := os.Symlink(filepath.Join(dir, "elsewhere.key"), link); err == nil {
			if err := certs.WriteSecretFile(link, []byte("x")); err == nil {
				t.Error("WriteSecretFile followed a dangling symlink")
			}
			if _, err := os.Stat(filepath.Join(dir, "elsewhere.key")); err == nil {
				t.Error("a file was created at the symlink's target")
			}
		}
	}
}

func TestWritePublicFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.json")
	if err := certs.WritePublicFile(path, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := certs.WritePublicFile(path, []byte("[]")); err == nil {
		t.Error("WritePublicFile overwrote a file")
	}
	if b, _ := os.ReadFile(path); string(b) != "{}" {
		t.Errorf("content %q", b)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "registry.json")
	if err := certs.WriteFileAtomic(path, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := certs.WriteFileAtomic(path, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "two" {
		t.Errorf("content %q", b)
	}
	if runtime.GOOS != "windows" {
		info, _ := os.Stat(path)
		if info.Mode().Perm() != 0o600 {
			t.Errorf("mode %04o, want 0600", info.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := certs.WriteFileAtomic(filepath.Join(path, "under-a-file"), []byte("x"), 0o644); err == nil {
		t.Error("WriteFileAtomic wrote under a regular file")
	}
}
