package s3gw

// These tests run the real versitygw binary (see InstallHint); without it
// they fail rather than skip, so a missing gateway is never mistaken for a
// passing run.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// shared is the one gateway of this test binary, started by the first test
// that needs it and stopped by TestMain.
var shared struct {
	once sync.Once
	gw   *Gateway
	err  error
}

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "--port" {
		stubbornGateway(os.Args[1:]) // the test binary started as a fake versitygw
		return
	}
	code := m.Run()
	if shared.gw != nil {
		if err := stopAndCheck(shared.gw); err != nil {
			fmt.Fprintln(os.Stderr, "stop shared gateway:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func sharedGateway(t *testing.T) *Gateway {
	t.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		shared.gw, shared.err = Start(ctx, Config{Logf: verboseLogf})
	})
	if shared.err != nil {
		t.Fatalf("these tests need a running versitygw: %v", shared.err)
	}
	return shared.gw
}

func verboseLogf(format string, args ...any) {
	if testing.Verbose() {
		log.Printf(format, args...)
	}
}

// stopAndCheck stops g and verifies that nothing of it is left: the
// process, its port, and the directory Start created.
func stopAndCheck(g *Gateway) error {
	if err := g.Stop(); err != nil {
		return err
	}
	if err := g.Stop(); err != nil {
		return fmt.Errorf("second Stop: %w", err)
	}
	return checkGone(g)
}

// checkGone verifies that a stopped gateway left nothing behind.
func checkGone(g *Gateway) error {
	pid := g.cmd.Process.Pid
	if g.cmd.ProcessState == nil {
		return fmt.Errorf("gateway pid %d was not waited for", pid)
	}
	if p, err := os.FindProcess(pid); err == nil {
		if err := p.Signal(syscall.Signal(0)); err == nil {
			return fmt.Errorf("gateway pid %d still exists after Stop", pid)
		}
	}
	if conn, err := net.DialTimeout("tcp", g.Endpoint, time.Second); err == nil {
		conn.Close()
		return fmt.Errorf("something still listens on %s after Stop", g.Endpoint)
	}
	if g.tempDir {
		if _, err := os.Stat(g.dir); !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("work dir %s not removed: %v", g.dir, err)
		}
	}
	return nil
}

// uniq returns prefix with a random suffix, so that reruns (-count=N)
// against the same gateway do not collide on accounts or buckets.
func uniq(prefix string) string {
	return prefix + "-" + strings.ToLower(rand.Text()[:8])
}
