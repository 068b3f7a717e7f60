package s3gw

import "syscall"

// sysProcAttr makes the kernel kill the gateway if the process that started
// it dies without calling Stop (a test binary killed on timeout, say), so
// no orphan keeps holding its ports and directory.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
