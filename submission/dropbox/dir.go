package dropbox

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dir is a drop box in a local directory, for the demo and for tests. Puts
// are atomic (temporary file, then link or rename), like S3's.
type Dir struct {
	root string
}

var _ Box = (*Dir)(nil)

// NewDir opens (and creates) a directory drop box.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("dir drop box: no directory configured (dropbox.dir or THBX_DROPBOX_DIR)")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, ".tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("dir drop box: %w", err)
	}
	return &Dir{root: abs}, nil
}

func (d *Dir) String() string { return "dir:" + d.root }

func (d *Dir) path(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	if strings.HasPrefix(key, ".tmp/") {
		return "", fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Put stores r under key.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Join(d.root, ".tmp"), "put-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, withProgress(r, opts))
	if err == nil && size >= 0 && n != size {
		err = fmt.Errorf("put %s: read %d bytes, expected %d", key, n, size)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if opts.IfAbsent {
		if err := os.Link(tmp.Name(), p); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("put %s: %w", key, ErrExists)
			}
			return err
		}
		return nil
	}
	return os.Rename(tmp.Name(), p)
}

// Get opens key for reading.
func (d *Dir) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, Object{}, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, Object{}, notFound(key, err)
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, Object{}, fmt.Errorf("get %s: %w", key, ErrNotFound)
	}
	return f, fileObject(key, info), nil
}

// Stat describes key.
func (d *Dir) Stat(ctx context.Context, key string) (Object, error) {
	p, err := d.path(key)
	if err != nil {
		return Object{}, err
	}
	info, err := os.Stat(p)
	if err != nil {
		return Object{}, notFound(key, err)
	}
	return fileObject(key, info), nil
}

// List returns the objects whose keys start with prefix, sorted by key.
func (d *Dir) List(ctx context.Context, prefix string) ([]Object, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	var out []Object
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(d.root, p)
		key := filepath.ToSlash(rel)
		if e.IsDir() {
			if key == ".tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		out = append(out, fileObject(key, info))
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

// Copy copies src to dst, replacing dst.
func (d *Dir) Copy(ctx context.Context, src, dst string) error {
	rc, obj, err := d.Get(ctx, src)
	if err != nil {
		return err
	}
	defer rc.Close()
	return d.Put(ctx, dst, rc, obj.Size, PutOptions{})
}

// Delete removes key; a missing key is not an error.
func (d *Dir) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func fileObject(key string, info fs.FileInfo) Object {
	// A cheap stand-in for an ETag: it changes when the file does.
	sum := md5.Sum([]byte(fmt.Sprintf("%d-%d", info.Size(), info.ModTime().UnixNano())))
	return Object{Key: key, Size: info.Size(), Modified: info.ModTime().UTC(), ETag: hex.EncodeToString(sum[:])}
}

func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return err
}
