package dropbox_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/thbx/thbx/deploy/s3gw"
	"github.com/thbx/thbx/submission/dropbox"
)

// The same behaviour is required of every drop box: these tests run
// against a directory and against a real S3 server (the Versity gateway,
// started here on loopback).

var gw *s3gw.Gateway

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	var err error
	gw, err = s3gw.Start(ctx, s3gw.Config{})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dropbox tests: cannot start the Versity S3 gateway:", err)
		os.Exit(1)
	}
	code := m.Run()
	gw.Stop()
	os.Exit(code)
}

func boxes(t *testing.T) map[string]dropbox.Box {
	t.Helper()
	dir, err := dropbox.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	rand.Read(b)
	bucket := "box-" + hex.EncodeToString(b)
	if err := gw.CreateBucket(context.Background(), bucket); err != nil {
		t.Fatal(err)
	}
	s3, err := dropbox.Open(dropbox.Config{Type: "s3", Endpoint: gw.Endpoint, Bucket: bucket,
		AccessKey: gw.RootAccess, SecretKey: gw.RootSecret, Insecure: true, PartSize: 5 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]dropbox.Box{"dir": dir, "s3": s3}
}

func put(t *testing.T, b dropbox.Box, key string, data []byte, opts dropbox.PutOptions) error {
	t.Helper()
	return b.Put(context.Background(), key, bytes.NewReader(data), int64(len(data)), opts)
}

func get(t *testing.T, b dropbox.Box, key string) []byte {
	t.Helper()
	rc, obj, err := b.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if obj.Size != int64(len(data)) {
		t.Fatalf("%s: object says %d bytes, read %d", key, obj.Size, len(data))
	}
	return data
}

func TestBoxBasics(t *testing.T) {
	ctx := context.Background()
	for name, b := range boxes(t) {
		t.Run(name, func(t *testing.T) {
			if err := put(t, b, "inbox/a/x.txt", []byte("hello"), dropbox.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			if got := get(t, b, "inbox/a/x.txt"); string(got) != "hello" {
				t.Fatalf("got %q", got)
			}
			if o, err := b.Stat(ctx, "inbox/a/x.txt"); err != nil || o.Size != 5 || o.Modified.IsZero() {
				t.Fatalf("stat %+v %v", o, err)
			}
			if _, err := b.Stat(ctx, "inbox/a/missing"); !errors.Is(err, dropbox.ErrNotFound) {
				t.Fatalf("stat missing: %v", err)
			}
			if _, _, err := b.Get(ctx, "inbox/a/missing"); !errors.Is(err, dropbox.ErrNotFound) {
				t.Fatalf("get missing: %v", err)
			}
			if err := b.Copy(ctx, "inbox/a/x.txt", "archive/a/x.txt"); err != nil {
				t.Fatal(err)
			}
			put(t, b, "inbox/b/y.txt", []byte("y"), dropbox.PutOptions{})
			objs, err := b.List(ctx, "inbox/")
			if err != nil || len(objs) != 2 || objs[0].Key != "inbox/a/x.txt" || objs[1].Key != "inbox/b/y.txt" {
				t.Fatalf("list %+v %v", objs, err)
			}
			if err := b.Delete(ctx, "inbox/a/x.txt"); err != nil {
				t.Fatal(err)
			}
			if err := b.Delete(ctx, "inbox/a/x.txt"); err != nil {
				t.Fatalf("deleting a missing key: %v", err)
			}
			if got := get(t, b, "archive/a/x.txt"); string(got) != "hello" {
				t.Fatalf("copy: %q", got)
			}
		})
	}
}

func TestWriteOnce(t *testing.T) {
	big := make([]byte, 12<<20) // three 5 MiB parts: the multipart path
	rand.Read(big)
	for name, b := range boxes(t) {
		t.Run(name, func(t *testing.T) {
			for _, size := range []string{"small", "multipart"} {
				data, other := []byte("first"), []byte("second")
				if size == "multipart" {
					data, other = big, append([]byte("x"), big[1:]...)
				}
				key := "inbox/a/" + size
				if err := put(t, b, key, data, dropbox.PutOptions{IfAbsent: true}); err != nil {
					t.Fatal(err)
				}
				err := put(t, b, key, other, dropbox.PutOptions{IfAbsent: true})
				if !errors.Is(err, dropbox.ErrExists) {
					t.Fatalf("%s: second write-once put: %v", size, err)
				}
				if !bytes.Equal(get(t, b, key), data) {
					t.Fatalf("%s: a write-once object was overwritten", size)
				}
			}
		})
	}
}

func TestProgressAndSize(t *testing.T) {
	data := make([]byte, 11<<20)
	for name, b := range boxes(t) {
		t.Run(name, func(t *testing.T) {
			var last int64
			err := put(t, b, "inbox/a/p", data, dropbox.PutOptions{Progress: func(n int64) { last = n }})
			if err != nil || last != int64(len(data)) {
				t.Fatalf("progress %d of %d, err %v", last, len(data), err)
			}
		})
	}
}

func TestUnsafeKeysRefused(t *testing.T) {
	ctx := context.Background()
	bad := []string{"", "/abs", "a//b", "a/./b", "a/../b", "..", "a\\b", "a/b\x00", "a/\nb", "a/b/", "a/\xff"}
	for name, b := range boxes(t) {
		for _, k := range bad {
			if err := put(t, b, k, []byte("x"), dropbox.PutOptions{}); !errors.Is(err, dropbox.ErrBadKey) {
				t.Errorf("%s: put %q: %v", name, k, err)
			}
			if _, _, err := b.Get(ctx, k); !errors.Is(err, dropbox.ErrBadKey) {
				t.Errorf("%s: get %q: %v", name, k, err)
			}
		}
	}
	dir, _ := dropbox.NewDir(t.TempDir())
	if err := put(t, dir, ".tmp/x", []byte("x"), dropbox.PutOptions{}); !errors.Is(err, dropbox.ErrBadKey) {
		t.Errorf("dir: the staging directory is addressable: %v", err)
	}
}

func TestS3ConfigErrors(t *testing.T) {
	for _, c := range []dropbox.Config{
		{Type: "s3", Bucket: "b", AccessKey: "a", SecretKey: "s"},
		{Type: "s3", Endpoint: "e", AccessKey: "a", SecretKey: "s"},
		{Type: "s3", Endpoint: "e", Bucket: "b"},
		{Type: "s3", Endpoint: "e", Bucket: "b", AccessKey: "a", SecretKey: "s", PartSize: 1 << 20},
		{Type: "ftp"},
		{Type: "dir"},
	} {
		if _, err := dropbox.Open(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
