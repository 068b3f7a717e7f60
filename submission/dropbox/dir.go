package dropbox

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dir is a drop box in a local directory, for the demo and for tests. Puts
// are atomic (a temporary file in .tmp/, synced, then linked or renamed
// into place), like S3's.
//
// Whoever can write into the directory must not be able to make the hub
// read or write another file, such as its keys. So every operation goes
// through an os.Root, which no path or symbolic link can leave, and only a
// regular file reached through real directories is an object: a symbolic
// link, even to an object, is neither served nor listed, nor is a path
// through one written to.
type Dir struct {
	root    *os.Root
	path    string // absolute, for String
	maxList int
}

var _ Box = (*Dir)(nil)

// stagingDir holds puts in progress; it is not addressable as a key.
const stagingDir = ".tmp"

// errNotObject marks a path that exists but is not an object.
var errNotObject = errors.New("only regular files in real directories are objects")

// NewDir opens (and creates) a directory drop box.
func NewDir(dir string) (*Dir, error) {
	if dir == "" {
		return nil, errors.New("dir drop box: no directory configured (dropbox.dir or THBX_DROPBOX_DIR)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("dir drop box: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("dir drop box: %w", err)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("dir drop box: %w", err)
	}
	d := &Dir{root: root, path: abs, maxList: MaxList}
	if err := d.checkStaging(); err != nil {
		root.Close()
		return nil, fmt.Errorf("dir drop box: %w", err)
	}
	return d, nil
}

// Close releases the directory.
func (d *Dir) Close() error { return d.root.Close() }

func (d *Dir) String() string { return "dir:" + d.path }

// name checks key and returns its path in the root.
func (d *Dir) name(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	if key == stagingDir || strings.HasPrefix(key, stagingDir+"/") {
		return "", fmt.Errorf("%w: %q is in the staging directory", ErrBadKey, key)
	}
	return filepath.FromSlash(key), nil
}

// Put stores r under key.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error {
	name, err := d.name(key)
	if err != nil {
		return err
	}
	// MkdirAll refuses a symbolic link out of the root; realDirs also one
	// within it.
	if err := d.root.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := d.realDirs(key); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	tmp, err := d.stage(key, r, size, opts)
	if err != nil {
		return err
	}
	// Gone after a rename; after a link, the second name goes.
	defer d.root.Remove(tmp)
	if opts.IfAbsent {
		err := d.root.Link(tmp, name)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("put %s: %w", key, ErrExists)
		}
		if err != nil {
			return fmt.Errorf("put %s: %w", key, err)
		}
		return nil
	}
	if err := d.root.Rename(tmp, name); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// stage writes r to a new file in the staging directory, syncs it and
// returns its name in the root.
func (d *Dir) stage(key string, r io.Reader, size int64, opts PutOptions) (string, error) {
	if err := d.checkStaging(); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	tmp := filepath.Join(stagingDir, "put-"+rand.Text())
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	n, err := io.Copy(f, withProgress(r, opts))
	if err == nil && size >= 0 && n != size {
		err = fmt.Errorf("read %d bytes, expected %d", n, size)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.root.Remove(tmp)
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	return tmp, nil
}

// checkStaging makes sure the staging directory is a real directory, so
// files being put cannot appear under a key elsewhere.
func (d *Dir) checkStaging() error {
	if err := d.root.MkdirAll(stagingDir, 0o700); err != nil {
		return err
	}
	info, err := d.root.Lstat(stagingDir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("staging directory %s is %s, not a directory", stagingDir, kind(info.Mode()))
	}
	return nil
}

// Get opens key for reading.
func (d *Dir) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	name, err := d.name(key)
	if err != nil {
		return nil, Object{}, err
	}
	checked, err := d.object(key)
	if err != nil {
		return nil, Object{}, err
	}
	f, err := d.root.Open(name)
	if err != nil {
		return nil, Object{}, notFound(key, err)
	}
	// The file checked must be the file opened: nothing may have swapped a
	// link in between.
	info, err := f.Stat()
	if err != nil || !os.SameFile(checked, info) {
		f.Close()
		return nil, Object{}, fmt.Errorf("%s: %w: it changed while being opened", key, ErrNotFound)
	}
	return f, fileObject(key, info), nil
}

// Stat describes key.
func (d *Dir) Stat(ctx context.Context, key string) (Object, error) {
	if _, err := d.name(key); err != nil {
		return Object{}, err
	}
	info, err := d.object(key)
	if err != nil {
		return Object{}, err
	}
	return fileObject(key, info), nil
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

// Delete removes key; a missing key is not an error. Something at key
// that is not an object (a symbolic link, say) is left alone and reported.
func (d *Dir) Delete(ctx context.Context, key string) error {
	name, err := d.name(key)
	if err != nil {
		return err
	}
	if _, err := d.object(key); err != nil {
		if errors.Is(err, errNotObject) || !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("delete %w", err)
		}
		return nil
	}
	if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// object describes key's file if it is an object: a regular file, reached
// through real directories. Any other file is ErrNotFound.
func (d *Dir) object(key string) (fs.FileInfo, error) {
	if err := d.realDirs(key); err != nil {
		return nil, notFound(key, err)
	}
	info, err := d.root.Lstat(filepath.FromSlash(key))
	if err != nil {
		return nil, notFound(key, err)
	}
	if !info.Mode().IsRegular() {
		return nil, notFound(key, fmt.Errorf("%s is %s (%w)", key, kind(info.Mode()), errNotObject))
	}
	return info, nil
}

// realDirs checks that every directory on the way to key is a real one: a
// symbolic link inside the root would still let one partner's prefix
// stand for another's.
func (d *Dir) realDirs(key string) error {
	for i := range len(key) {
		if key[i] != '/' {
			continue
		}
		info, err := d.root.Lstat(filepath.FromSlash(key[:i]))
		if err != nil {
			return err
		}
		if !info.IsDir() {
			return fmt.Errorf("%s is %s, not a directory (%w)", key[:i], kind(info.Mode()), errNotObject)
		}
	}
	return nil
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

func fileObject(key string, info fs.FileInfo) Object {
	// A cheap stand-in for an ETag: it changes when the file does.
	sum := md5.Sum(fmt.Appendf(nil, "%d-%d", info.Size(), info.ModTime().UnixNano()))
	return Object{Key: key, Size: info.Size(), Modified: info.ModTime().UTC(), ETag: hex.EncodeToString(sum[:])}
}

func notFound(key string, err error) error {
	switch {
	case errors.Is(err, errNotObject):
		return fmt.Errorf("%s: %w: %w", key, ErrNotFound, err)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", key, err)
}
