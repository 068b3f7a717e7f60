package dropbox_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/submission/dropbox"
)

// Whoever can write into a directory drop box must not be able to make
// the hub read or write a file outside it, nor pass one object off as
// another: these tests plant symbolic links where the hub looks.

// newDir returns a directory drop box and a directory outside it holding
// a secret, as the hub's receipt key would be.
func newDir(t *testing.T) (box *dropbox.Dir, root, outside string) {
	t.Helper()
	root, outside = t.TempDir(), t.TempDir()
	box, err := dropbox.NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { box.Close() })
	if err := os.WriteFile(filepath.Join(outside, "receipt.key"), []byte("SECRET"), 0o600); err != nil {
		t.Fatal(err)
	}
	return box, root, outside
}

// symlink makes new (slash-separated, under root) point at old.
func symlink(t *testing.T, old, root, new string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(new))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(old, p); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
}

func listKeys(t *testing.T, b dropbox.Box, prefix string) []string {
	t.Helper()
	objs, err := b.List(context.Background(), prefix)
	if err != nil {
		t.Fatalf("list %q: %v", prefix, err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	return keys
}

// notServed checks that key is neither read, described, copied nor
// listed.
func notServed(t *testing.T, b dropbox.Box, key string) {
	t.Helper()
	ctx := context.Background()
	if rc, _, err := b.Get(ctx, key); !errors.Is(err, dropbox.ErrNotFound) {
		if err == nil {
			rc.Close()
		}
		t.Errorf("get %s: %v, want ErrNotFound", key, err)
	}
	if _, err := b.Stat(ctx, key); !errors.Is(err, dropbox.ErrNotFound) {
		t.Errorf("stat %s: %v, want ErrNotFound", key, err)
	}
	if err := b.Copy(ctx, key, "quarantine/copied"); !errors.Is(err, dropbox.ErrNotFound) {
		t.Errorf("copy %s: %v, want ErrNotFound", key, err)
	}
	if _, err := b.Stat(ctx, "quarantine/copied"); !errors.Is(err, dropbox.ErrNotFound) {
		t.Errorf("copy %s: something was copied", key)
	}
	if slices.Contains(listKeys(t, b, ""), key) {
		t.Errorf("list shows %s", key)
	}
}

func unchanged(t *testing.T, outside string) {
	t.Helper()
	entries, err := os.ReadDir(outside)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "receipt.key" {
		t.Errorf("the box wrote outside its directory: %v", entries)
	}
	if b, err := os.ReadFile(filepath.Join(outside, "receipt.key")); err != nil || string(b) != "SECRET" {
		t.Errorf("the file outside changed: %q %v", b, err)
	}
}

func TestDirSymlinkToFileOutside(t *testing.T) {
	ctx := context.Background()
	box, root, outside := newDir(t)
	put(t, box, "inbox/a/real", []byte("real"), dropbox.PutOptions{})
	key := "inbox/a/x.manifest.jws"
	symlink(t, filepath.Join(outside, "receipt.key"), root, key)
	notServed(t, box, key)
	if keys := listKeys(t, box, "inbox/"); !slices.Equal(keys, []string{"inbox/a/real"}) {
		t.Errorf("list inbox/: %q", keys)
	}
	if err := box.Delete(ctx, key); err == nil {
		t.Error("delete of a symbolic link: no error")
	}
	// A write-once put finds the name taken; a replacing put replaces the
	// link, not its target.
	if err := put(t, box, key, []byte("new"), dropbox.PutOptions{IfAbsent: true}); !errors.Is(err, dropbox.ErrExists) {
		t.Errorf("write-once put over a link: %v", err)
	}
	unchanged(t, outside)
	if err := put(t, box, key, []byte("new"), dropbox.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, box, key); string(got) != "new" {
		t.Errorf("after replacing the link: %q", got)
	}
	unchanged(t, outside)
}

func TestDirSymlinkDirOutside(t *testing.T) {
	ctx := context.Background()
	box, root, outside := newDir(t)
	symlink(t, outside, root, "receipts/a")
	for _, opts := range []dropbox.PutOptions{{}, {IfAbsent: true}} {
		if err := put(t, box, "receipts/a/r", []byte("receipt"), opts); err == nil {
			t.Errorf("put through a link out of the box (%+v): no error", opts)
		}
		if err := put(t, box, "receipts/a/sub/r", []byte("receipt"), opts); err == nil {
			t.Errorf("put below a link out of the box (%+v): no error", opts)
		}
	}
	if err := box.Copy(ctx, "receipts/a/receipt.key", "quarantine/k"); !errors.Is(err, dropbox.ErrNotFound) {
		t.Errorf("copy through a link out of the box: %v", err)
	}
	notServed(t, box, "receipts/a/receipt.key")
	if err := box.Delete(ctx, "receipts/a/receipt.key"); err == nil {
		t.Error("delete through a link out of the box: no error")
	}
	unchanged(t, outside)
}

func TestDirSymlinkInside(t *testing.T) {
	box, root, _ := newDir(t)
	put(t, box, "inbox/a/x", []byte("a's"), dropbox.PutOptions{})
	symlink(t, "x", root, "inbox/a/relative")
	symlink(t, filepath.Join(root, "inbox", "a", "x"), root, "inbox/a/absolute")
	// One partner's prefix standing for another's.
	symlink(t, "a", root, "inbox/b")
	for _, key := range []string{"inbox/a/relative", "inbox/a/absolute", "inbox/b/x"} {
		notServed(t, box, key)
	}
	if keys := listKeys(t, box, ""); !slices.Equal(keys, []string{"inbox/a/x"}) {
		t.Errorf("list: %q", keys)
	}
	if keys := listKeys(t, box, "inbox/b/"); len(keys) != 0 {
		t.Errorf("list inbox/b/: %q", keys)
	}
	if err := put(t, box, "inbox/b/y", []byte("b's"), dropbox.PutOptions{}); err == nil {
		t.Error("put through a link inside the box: no error")
	}
	if _, err := os.Lstat(filepath.Join(root, "inbox", "a", "y")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("put through a link wrote into its target: %v", err)
	}
}

func TestDirStaging(t *testing.T) {
	ctx := context.Background()
	box, root, outside := newDir(t)
	for _, key := range []string{".tmp", ".tmp/x", ".tmp/put-x"} {
		if err := put(t, box, key, []byte("x"), dropbox.PutOptions{}); !errors.Is(err, dropbox.ErrBadKey) {
			t.Errorf("put %s: %v", key, err)
		}
		if _, _, err := box.Get(ctx, key); !errors.Is(err, dropbox.ErrBadKey) {
			t.Errorf("get %s: %v", key, err)
		}
		if _, err := box.Stat(ctx, key); !errors.Is(err, dropbox.ErrBadKey) {
			t.Errorf("stat %s: %v", key, err)
		}
		if err := box.Delete(ctx, key); !errors.Is(err, dropbox.ErrBadKey) {
			t.Errorf("delete %s: %v", key, err)
		}
	}
	put(t, box, "inbox/a/x", []byte("x"), dropbox.PutOptions{})
	put(t, box, "inbox/a/y", []byte("y"), dropbox.PutOptions{IfAbsent: true})
	put(t, box, "inbox/a/y", []byte("y"), dropbox.PutOptions{IfAbsent: true})
	if err := box.Put(ctx, "inbox/a/short", strings.NewReader("x"), 2, dropbox.PutOptions{}); err == nil {
		t.Error("a put short of its size: no error")
	}
	if left, _ := os.ReadDir(filepath.Join(root, ".tmp")); len(left) != 0 {
		t.Errorf("puts left %d files in .tmp", len(left))
	}
	// A put interrupted by a crash leaves a file that is no object.
	os.WriteFile(filepath.Join(root, ".tmp", "put-crashed"), []byte("x"), 0o600)
	if keys := listKeys(t, box, ""); !slices.Equal(keys, []string{"inbox/a/x", "inbox/a/y"}) {
		t.Errorf("list: %q", keys)
	}
	if keys := listKeys(t, box, ".tmp/"); len(keys) != 0 {
		t.Errorf("list .tmp/: %q", keys)
	}
	// The staging directory swapped for a link out of the box.
	os.RemoveAll(filepath.Join(root, ".tmp"))
	symlink(t, outside, root, ".tmp")
	if err := put(t, box, "inbox/a/z", []byte("z"), dropbox.PutOptions{}); err == nil {
		t.Error("put with .tmp a link out of the box: no error")
	}
	unchanged(t, outside)
}

func TestListLimit(t *testing.T) {
	ctx := context.Background()
	// Walked in another order than sorted: "a/" sorts after "a-".
	keys := []string{"inbox/a/b", "inbox/z", "inbox/a-c", "inbox/c/d/e", "inbox/a.b"}
	sorted := slices.Sorted(slices.Values(keys))
	for name, b := range boxes(t) {
		t.Run(name, func(t *testing.T) {
			for _, k := range keys {
				if err := put(t, b, k, []byte(k), dropbox.PutOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			for _, limit := range []int{1, 2, 3, 4} {
				dropbox.SetListLimit(b, limit)
				objs, err := b.List(ctx, "inbox/")
				if !errors.Is(err, dropbox.ErrTooMany) {
					t.Fatalf("limit %d: %v, want ErrTooMany", limit, err)
				}
				var got []string
				for _, o := range objs {
					got = append(got, o.Key)
				}
				if !slices.Equal(got, sorted[:limit]) {
					t.Errorf("limit %d: %q, want the first in key order %q", limit, got, sorted[:limit])
				}
			}
			dropbox.SetListLimit(b, len(keys))
			if objs, err := b.List(ctx, "inbox/"); err != nil || len(objs) != len(keys) {
				t.Errorf("at the limit: %d objects, %v", len(objs), err)
			}
		})
	}
}

func TestS3InsecureOnlyOnLoopback(t *testing.T) {
	cfg := func(endpoint string) dropbox.Config {
		return dropbox.Config{Type: "s3", Endpoint: endpoint, Bucket: "b", AccessKey: "a", SecretKey: "s", Insecure: true}
	}
	for _, e := range []string{"127.0.0.1:9000", "127.8.9.10:9000", "[::1]:9000", "localhost:9000", "LOCALHOST:9000", "localhost"} {
		if _, err := dropbox.NewS3(cfg(e)); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	for _, e := range []string{"10.0.0.1:9000", "example.com:9000", "0.0.0.0:9000", "[::ffff:10.0.0.1]:9000",
		"localhost.example.com:9000", "127.0.0.1.example.com:9000", "[::2]:9000", "192.168.1.1"} {
		_, err := dropbox.NewS3(cfg(e))
		if err == nil || !strings.Contains(err.Error(), "loopback") || !strings.Contains(err.Error(), "ca_file") {
			t.Errorf("%s: %v, want a refusal naming loopback and ca_file", e, err)
		}
	}
	c := cfg("10.0.0.1:9000")
	c.Insecure = false
	if _, err := dropbox.NewS3(c); err != nil {
		t.Errorf("TLS to 10.0.0.1: %v", err)
	}
}
