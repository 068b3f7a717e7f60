package certs_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/thbx/thbx/certs"
)

func TestMergeSalt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "merge-salt.key")
	if _, _, err := certs.LoadMergeSalt(path, false, nil); err == nil {
		t.Fatal("a missing salt loaded without create")
	}
	salt, made, err := certs.LoadMergeSalt(path, true, bytes.NewReader(bytes.Repeat([]byte{1}, 32)))
	if err != nil || !made || len(salt) != certs.MergeSaltSize {
		t.Fatalf("create: %x %v %v", salt, made, err)
	}
	again, made, err := certs.LoadMergeSalt(path, true, nil)
	if err != nil || made || !bytes.Equal(again, salt) {
		t.Fatalf("reload: %x %v %v, want the salt made first", again, made, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := certs.LoadMergeSalt(path, false, nil); err == nil {
		t.Error("a salt others can read was accepted")
	}
	short := filepath.Join(t.TempDir(), "short.key")
	os.WriteFile(short, []byte("abcd\n"), 0o600)
	if _, _, err := certs.LoadMergeSalt(short, false, nil); err == nil {
		t.Error("a 2-byte salt was accepted")
	}
}

func TestAuditKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.key")
	key, made, err := certs.LoadAuditKey(path, true, bytes.NewReader(bytes.Repeat([]byte{2}, 32)))
	if err != nil || !made {
		t.Fatalf("create: %v %v", made, err)
	}
	again, made, err := certs.LoadAuditKey(path, false, nil)
	if err != nil || made || !again.Equal(key) {
		t.Fatalf("reload: %v %v", made, err)
	}
	os.WriteFile(path, []byte("# x\nabcd\n"), 0o600)
	if _, _, err := certs.LoadAuditKey(path, false, nil); err == nil {
		t.Error("a 2-byte seed was accepted")
	}
}
