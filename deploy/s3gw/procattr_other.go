//go:build !linux

package s3gw

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }
