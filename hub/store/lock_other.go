//go:build !unix || aix || (solaris && !illumos)

package store

import "os"

// lockStore does nothing where syscall.Flock does not exist (Windows,
// AIX, Solaris): there, keeping to one hub per store is up to whoever
// runs it. On Windows SQLite's own locking still keeps two writers from
// corrupting the file; it does not stop them from interleaving.
func lockStore(string) (*os.File, error) { return nil, nil }
