package readmetest

import "syscall"

// setParentDeathSignal makes the kernel send SIGTERM to the script's bash if
// the test process dies without its cleanups (killed on timeout, say): bash
// then runs its EXIT trap, which stops the gateway.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGTERM }
