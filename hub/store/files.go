package store

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// lockSuffix names the lock file of lockStore, beside the database.
const lockSuffix = ".lock"

// sidecarSuffixes name the files SQLite keeps beside the database; they
// hold copies of the same decrypted records.
var sidecarSuffixes = []string{"-wal", "-shm", "-journal"}

// createPrivate creates the database file with mode 0600 unless it
// exists, so that SQLite, which gives its -wal and -shm files the mode of
// the database, never makes a readable copy of the records either.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("open store: %s is not a regular file", path)
	}
	return nil
}

// checkPrivate refuses a database whose file, or any of SQLite's files
// beside it, group or others may read or write.
func checkPrivate(path string) error {
	// Windows reports 0666 or 0444 for every file; its ACLs are not
	// visible through the mode bits, so the check only applies elsewhere.
	if runtime.GOOS == "windows" {
		return nil
	}
	var open []string
	var modes []string
	for _, p := range append([]string{path}, sidecars(path)...) {
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("open store: %w", err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			open = append(open, shellQuote(p))
			modes = append(modes, fmt.Sprintf("%s has mode %04o", p, info.Mode().Perm()))
		}
	}
	if len(open) > 0 {
		return fmt.Errorf("open store: %s: %w (run: chmod 600 %s)", strings.Join(modes, ", "), ErrInsecureFile, strings.Join(open, " "))
	}
	return nil
}

// shellQuote quotes a path for the chmod hint when a shell would split
// or expand it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func sidecars(path string) []string {
	out := make([]string, len(sidecarSuffixes))
	for i, s := range sidecarSuffixes {
		out[i] = path + s
	}
	return out
}

// fileURI names path for SQLite so that it opens exactly the file
// createPrivate made and lockStore guards: in a plain "file:" DSN a '?',
// '#' or '%' in the path would be read as URI syntax.
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("open store: %w", err)
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), nil
}
