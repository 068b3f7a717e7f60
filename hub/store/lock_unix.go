//go:build unix && !aix && !(solaris && !illumos)

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockStore takes an exclusive advisory lock on dbPath's lock file,
// held until the returned file is closed. The kernel drops the lock
// when the process dies, so a crash never leaves a stale lock behind;
// the file itself stays and holds nothing.
func lockStore(dbPath string) (*os.File, error) {
	path := dbPath + lockSuffix
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock store: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another thbx-hub is using %s (lock file %s): %w", dbPath, path, ErrLocked)
		}
		return nil, fmt.Errorf("lock store %s: %w", path, err)
	}
	return f, nil
}
