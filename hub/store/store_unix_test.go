//go:build unix && !aix && !(solaris && !illumos)

package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/thbx/thbx/hub/store"
)

// withUmask runs the rest of the test under umask 022, the usual one, with
// which a file created without an explicit mode is world-readable. The
// umask is the process's: these tests do not run in parallel.
func withUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %04o, want %04o", filepath.Base(path), got, want)
	}
}

// The database holds decrypted records, and SQLite's -wal and -shm files
// hold copies of them: all are the owner's alone.
func TestOpenCreatesPrivateFiles(t *testing.T) {
	withUmask(t)
	path := filepath.Join(t.TempDir(), "hub.db")
	st := openStore(t, path)
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 2) // records reach the WAL
	for _, p := range []string{path, path + "-wal", path + "-shm", path + ".lock"} {
		wantMode(t, p, 0o600)
	}
	// Files made by another connection after the first are no different.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	st = openStore(t, path)
	mustCommit(t, st, newSub("ngo-a", "A2", 2), 1)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, 0o600)
	}
}

func TestOpenRefusesReadableFiles(t *testing.T) {
	withUmask(t)
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		t.Run("hub.db"+suffix, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hub.db")
			st, err := store.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			bad := path + suffix
			if suffix != "" { // a file SQLite left behind
				if err := os.WriteFile(bad, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(bad, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = store.Open(context.Background(), path)
			if !errors.Is(err, store.ErrInsecureFile) {
				t.Fatalf("Open of a store with %s mode 0644: %v", filepath.Base(bad), err)
			}
			if hint := "chmod 600 " + bad; !strings.Contains(err.Error(), hint) {
				t.Fatalf("error %q does not say %q", err, hint)
			}
			// Refused, the store is not locked: after the chmod it opens.
			if err := os.Chmod(bad, 0o600); err != nil {
				t.Fatal(err)
			}
			openStore(t, path)
		})
	}
}

func TestOpenRefusesNonFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(context.Background(), path); err == nil {
		t.Fatal("a directory opened as the store")
	}
}

// Two hubs on one store would interleave their intakes; the second is
// refused until the first closes.
func TestOpenLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(context.Background(), path)
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open: %v", err)
	}
	if want := "another thbx-hub is using " + path; !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Fatalf("the first store after the refusal: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	openStore(t, path)
}

// SQLite reads the name it is given as a URI: the store must open the
// very file it created, checked and locked, whatever the name holds.
func TestOpenOddPath(t *testing.T) {
	withUmask(t)
	dir := filepath.Join(t.TempDir(), "a dir%20with?odd#chars")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "hub?mode=memory.db")
	st := openStore(t, path)
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 1)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := "hub?mode=memory.db hub?mode=memory.db-shm hub?mode=memory.db-wal hub?mode=memory.db.lock"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("files %q, want %q", got, want)
	}
	wantMode(t, path+"-wal", 0o600)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, path)
	if head, err := st.ChainHead(context.Background(), "ngo-a"); err != nil || head.Sequence != 1 {
		t.Fatalf("reopened: %+v, %v", head, err)
	}
}

func TestOpenRefusesReadableOddPath(t *testing.T) {
	withUmask(t)
	path := filepath.Join(t.TempDir(), "it's a store.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), path)
	if hint := `chmod 600 '` + strings.ReplaceAll(path, "'", `'\''`) + `'`; err == nil || !strings.Contains(err.Error(), hint) {
		t.Fatalf("error %v does not say %q", err, hint)
	}
}
