package dropbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// List returns the objects whose keys start with prefix, sorted by key. If
// more than MaxList match, it returns the first MaxList in key order and an
// error wrapping ErrTooMany. Symbolic links, special files and the staging
// directory are skipped, never followed.
func (d *Dir) List(ctx context.Context, prefix string) ([]Object, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	first := firstObjects{limit: max(d.maxList, 1)}
	if err := d.walk(ctx, ".", prefix, &first); err != nil {
		return nil, fmt.Errorf("list %q: %w", prefix, err)
	}
	return first.result(prefix)
}

// listBatch is how many directory entries walk reads at a time, so that a
// huge directory costs no more memory than the objects kept.
const listBatch = 256

// walk adds to first the objects under the directory dir (a key, or "."
// for the root) whose keys start with prefix.
func (d *Dir) walk(ctx context.Context, dir, prefix string, first *firstObjects) error {
	name := filepath.FromSlash(dir)
	checked, err := d.root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // removed while we were listing
	}
	if err != nil {
		return err
	}
	if !checked.IsDir() {
		return nil
	}
	f, err := d.root.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if !os.SameFile(checked, info) {
		return nil // swapped for a link while we looked: skip it
	}
	rel := dir + "/"
	if dir == "." {
		rel = ""
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, rerr := f.ReadDir(listBatch)
		for _, e := range entries {
			if err := d.visit(ctx, rel+e.Name(), e, prefix, first); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

// visit adds the entry key if it is a matching object, or walks it if it
// is a directory that may hold one.
func (d *Dir) visit(ctx context.Context, key string, e fs.DirEntry, prefix string, first *firstObjects) error {
	switch {
	case e.IsDir():
		// Below a key of the maximum length no key is valid.
		under := key + "/"
		if key == stagingDir || len(under) >= 1024 ||
			!(strings.HasPrefix(under, prefix) || strings.HasPrefix(prefix, under)) {
			return nil
		}
		return d.walk(ctx, key, prefix, first)
	case e.Type().IsRegular() && strings.HasPrefix(key, prefix):
		info, err := e.Info() // not following a link
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			first.add(fileObject(key, info))
		}
	}
	// Anything else (a symbolic link, a device, a socket) is not an object.
	return nil
}

// firstObjects keeps the limit objects with the smallest keys of those
// added, in any order, in memory for twice the limit.
type firstObjects struct {
	limit int
	objs  []Object
	over  bool // some were dropped
}

func (f *firstObjects) add(o Object) {
	f.objs = append(f.objs, o)
	if len(f.objs) >= 2*f.limit {
		f.trim()
	}
}

func (f *firstObjects) trim() {
	sortByKey(f.objs)
	if len(f.objs) > f.limit {
		clear(f.objs[f.limit:])
		f.objs = f.objs[:f.limit]
		f.over = true
	}
}

func (f *firstObjects) result(prefix string) ([]Object, error) {
	f.trim()
	if f.over {
		return f.objs, tooMany(prefix, f.limit)
	}
	return f.objs, nil
}

func sortByKey(objs []Object) {
	slices.SortFunc(objs, func(a, b Object) int { return strings.Compare(a.Key, b.Key) })
}

func tooMany(prefix string, limit int) error {
	return fmt.Errorf("list %q: more than %d objects, only the first %d in key order returned: %w", prefix, limit, limit, ErrTooMany)
}
