package certs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// ErrInsecureKeyFile is returned when a secret key file can be read or
// written by anyone other than its owner.
var ErrInsecureKeyFile = errors.New("key file is readable by others")

// ReadSecretFile reads a file that holds a secret. It refuses the file when
// its permission bits let group or others read or write it, so that a key
// copied carelessly is noticed before it is used.
func ReadSecretFile(path string) ([]byte, error) {
	return readChecked(path, 1<<20, checkSecretMode)
}

// readChecked reads at most limit bytes of path after check approves the
// mode of the file opened (not of whatever the name points to a moment
// later).
func readChecked(path string, limit int64, check func(string, fs.FileMode) error) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := check(path, info.Mode()); err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

func checkSecretMode(path string, mode fs.FileMode) error {
	// Windows reports 0666 or 0444 for every file; its ACLs are not
	// visible through the mode bits, so the check only applies elsewhere.
	if runtime.GOOS == "windows" {
		return nil
	}
	if mode.Perm()&0o077 != 0 {
		return fmt.Errorf("%s has mode %04o: %w (run: chmod 600 %s)", path, mode.Perm(), ErrInsecureKeyFile, path)
	}
	return nil
}

// ErrWritableByOthers is returned when a file that decides whom to trust
// can be changed by users other than its owner.
var ErrWritableByOthers = errors.New("file is writable by others")

// ReadTrustFile reads a file that decides whom to trust (the registry,
// hub.json): anyone may read it, but a file that group or others can
// write is refused, since whoever writes it chooses the keys.
func ReadTrustFile(path string) ([]byte, error) {
	return readChecked(path, 16<<20, func(path string, mode fs.FileMode) error {
		if runtime.GOOS != "windows" && mode.Perm()&0o022 != 0 {
			return fmt.Errorf("%s has mode %04o: %w (run: chmod go-w %s)", path, mode.Perm(), ErrWritableByOthers, path)
		}
		return nil
	})
}

// WriteSecretFile creates path with mode 0600 and writes data to it. It
// never overwrites an existing file: losing a private key by accident is
// worse than an error.
func WriteSecretFile(path string, data []byte) error {
	return writeNewFile(path, data, 0o600)
}

// WritePublicFile creates path with mode 0644; like WriteSecretFile it
// refuses to overwrite.
func WritePublicFile(path string, data []byte) error {
	return writeNewFile(path, data, 0o644)
}

func writeNewFile(path string, data []byte, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; move it away first if you mean to replace it", path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// WriteFileAtomic replaces path with data through a temporary file and a
// rename, so that a reader sees either the old or the new content.
func WriteFileAtomic(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return SyncDir(dir)
}

// SyncDir makes a new name in dir durable: after a file is created or
// renamed there, the name survives a crash only once the directory itself
// is synced. On Windows, where a directory cannot be synced, it does
// nothing.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
