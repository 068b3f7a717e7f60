package trust

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/thbx/thbx/certs"
	dropboxpkg "github.com/thbx/thbx/submission/dropbox"
)

// Where published trust lives in the drop box: partners may read trust/.
const (
	RootKey   = "trust/root.json"
	BundleKey = "trust/bundle.json"
)

// RootVersionKey is where each root version is kept, so that a party
// pinned to an old root can follow the rotations one by one.
func RootVersionKey(v int) string { return fmt.Sprintf("trust/root-%d.json", v) }

// ErrNotPublished is what a Fetch returns for an object that is not there.
var ErrNotPublished = errors.New("not published")

// Fetch reads a published object from the drop box.
type Fetch func(ctx context.Context, key string) ([]byte, error)

// Local is trust as an agent or the hub holds it: the pinned root and the
// last bundle it verified, each kept in a file, so that a restart can
// never fall back to an older bundle.
type Local struct {
	RootPath, BundlePath string
	Root                 *Root
	Bundle               *Bundle // nil until a valid bundle is known
	problem              error   // why Bundle is nil
}

// LoadLocal reads the pinned root (it must verify with its own officers'
// threshold) and the cached bundle, if any. A cached bundle that no longer
// verifies (say, it expired) is set aside with the reason: Sync may bring
// a newer one, and Current reports the reason if not.
func LoadLocal(rootPath, bundlePath string, now time.Time) (*Local, error) {
	b, err := certs.ReadTrustFile(rootPath)
	if err != nil {
		return nil, fmt.Errorf("trust root: %w", err)
	}
	s, err := ParseSigned(b)
	if err != nil {
		return nil, fmt.Errorf("trust root %s: %w", rootPath, err)
	}
	root, err := VerifyRoot(s, now)
	if err != nil {
		return nil, fmt.Errorf("trust root %s: %w", rootPath, err)
	}
	l := &Local{RootPath: rootPath, BundlePath: bundlePath, Root: root}
	raw, err := certs.ReadTrustFile(bundlePath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.problem = errors.New("no trust bundle yet: it is fetched from the drop box's trust/ when the officers have published one")
	case err != nil:
		return nil, fmt.Errorf("trust bundle: %w", err)
	default:
		if l.Bundle, err = VerifyBundle(raw, root, nil, now); err != nil {
			l.problem = err
		}
	}
	return l, nil
}

// Current returns the bundle to trust, or why there is none.
func (l *Local) Current() (*Bundle, error) {
	if l.Bundle == nil {
		return nil, l.problem
	}
	return l.Bundle, nil
}

// Sync follows published root rotations and takes a newer published
// bundle, each only if it verifies; the files are updated to match. It
// reports whether anything changed. Nothing published is not an error.
func (l *Local) Sync(ctx context.Context, fetch Fetch, now time.Time) (bool, error) {
	changed := false
	var chain [][]byte
	for v := l.Root.Version + 1; ; v++ {
		b, err := fetch(ctx, RootVersionKey(v))
		if errors.Is(err, ErrNotPublished) {
			break
		}
		if err != nil {
			return changed, fmt.Errorf("fetch root version %d: %w", v, err)
		}
		chain = append(chain, b)
	}
	if len(chain) > 0 {
		root, err := UpdateRootChain(l.Root, chain, now)
		if err != nil {
			return changed, err
		}
		if err := certs.WriteFileAtomic(l.RootPath, chain[len(chain)-1], 0o644); err != nil {
			return changed, err
		}
		l.Root, changed = root, true
	}
	b, err := fetch(ctx, BundleKey)
	if errors.Is(err, ErrNotPublished) {
		return changed, nil
	}
	if err != nil {
		return changed, fmt.Errorf("fetch trust bundle: %w", err)
	}
	next, err := VerifyBundle(b, l.Root, l.Bundle, now)
	if err != nil {
		return changed, err
	}
	if next == l.Bundle {
		return changed, nil
	}
	if err := certs.WriteFileAtomic(l.BundlePath, b, 0o644); err != nil {
		return changed, err
	}
	l.Bundle, l.problem = next, nil
	return true, nil
}

// Getter is the read side of the drop box (submission/dropbox's Box).
type Getter interface {
	Get(ctx context.Context, key string) (io.ReadCloser, dropboxpkg.Object, error)
}

// FetchFrom reads published trust from the drop box, at most
// MaxSignedSize bytes an object.
func FetchFrom(box Getter) Fetch {
	return func(ctx context.Context, key string) ([]byte, error) {
		rc, _, err := box.Get(ctx, key)
		if errors.Is(err, dropboxpkg.ErrNotFound) {
			return nil, ErrNotPublished
		}
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(io.LimitReader(rc, MaxSignedSize+1))
	}
}

// FileFetch reads published trust from a directory laid out like the drop
// box (for tests and offline use).
func FileFetch(dir string) Fetch {
	return func(_ context.Context, key string) ([]byte, error) {
		b, err := os.ReadFile(dir + "/" + key)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotPublished
		}
		return b, err
	}
}
