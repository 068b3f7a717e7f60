//go:build !unix || aix || (solaris && !illumos)

package audit

import "os"

// lockFile does nothing where syscall.Flock does not exist: there, keeping
// to one writer per log is up to whoever runs the hub.
func lockFile(*os.File) error { return nil }
