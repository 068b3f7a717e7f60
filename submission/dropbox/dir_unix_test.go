//go:build unix

package dropbox_test

import (
	"context"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/thbx/thbx/submission/dropbox"
)

// A named pipe is no object: opening one for reading would block the hub
// until someone writes to it.
func TestDirSpecialFile(t *testing.T) {
	box, root, _ := newDir(t)
	put(t, box, "inbox/a/x", []byte("x"), dropbox.PutOptions{})
	if err := syscall.Mkfifo(filepath.Join(root, "inbox", "a", "fifo"), 0o600); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	notServed(t, box, "inbox/a/fifo")
	if keys := listKeys(t, box, ""); !slices.Equal(keys, []string{"inbox/a/x"}) {
		t.Errorf("list: %q", keys)
	}
	if err := box.Delete(context.Background(), "inbox/a/fifo"); err == nil {
		t.Error("delete of a named pipe: no error")
	}
}
