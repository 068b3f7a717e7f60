// Package s3gw runs a real Versity S3 gateway (versitygw) on loopback, so
// that tests, the demo and the docs exercise the same S3 drop box the
// deployment uses rather than a fake, and it writes the per-partner bucket
// policy that confines each partner to its own inbox.
//
// Start launches the gateway with the posix backend and internal IAM in a
// private directory, with fresh random root credentials, and returns once
// its health path answers. Stop terminates it and waits until the process
// has exited, so no gateway outlives the test that started it. The gateway
// is a test fixture: it listens only on 127.0.0.1, over plain HTTP.
//
// PartnerPolicy is a pure function; it needs no gateway.
package s3gw

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// Region is the only region the gateway is started with; requests signed
// for another region are refused.
const Region = "us-east-1"

// InstallHint says how to get the gateway binary this package expects.
const InstallHint = "install it with `go install github.com/versity/versitygw/cmd/versitygw@v1.8.0` or set THBX_VERSITYGW to its path"

// ErrNoBinary reports that the versitygw binary could not be found.
var ErrNoBinary = errors.New("s3gw: versitygw binary not found")

const (
	healthPath    = "/health"
	healthTimeout = 20 * time.Second
	stopTimeout   = 10 * time.Second
)

// Config configures Start. The zero value works.
type Config struct {
	// Binary is the path of versitygw. If empty: $THBX_VERSITYGW, then
	// versitygw on $PATH, then $GOBIN or $GOPATH/bin (default $HOME/go/bin).
	Binary string
	// Dir holds the gateway's data and IAM files (account secrets in plain
	// text). If empty, Start creates a private temporary directory and Stop
	// removes it; a Dir given here is left in place.
	Dir string
	// Logf, if set, receives the gateway's output lines and lifecycle events.
	Logf func(format string, args ...any)
}

// Gateway is a running versitygw process.
type Gateway struct {
	Endpoint   string // "127.0.0.1:PORT", no scheme
	RootAccess string
	RootSecret string
	Region     string

	binary  string
	admin   string // admin API address, host:port
	dir     string
	tempDir bool
	cmd     *exec.Cmd
	exited  chan struct{} // closed once cmd.Wait has returned
	waitErr error         // valid after exited is closed
	output  *tailWriter
	logf    func(format string, args ...any)
	// stopAfter is how long Stop waits after SIGTERM; tests shorten it.
	stopAfter time.Duration

	stopOnce sync.Once
	stopErr  error
}

// Start starts a gateway and waits until it is healthy. ctx bounds only the
// wait: the gateway keeps running after ctx ends, until Stop.
func Start(ctx context.Context, cfg Config) (*Gateway, error) {
	bin, err := findBinary(cfg.Binary)
	if err != nil {
		return nil, err
	}
	logf := cfg.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	dir, tempDir := cfg.Dir, false
	if dir == "" {
		if dir, err = os.MkdirTemp("", "thbx-s3gw-"); err != nil {
			return nil, fmt.Errorf("s3gw: make work dir: %w", err)
		}
		tempDir = true
	}
	access, secret := randomCredentials()
	opts := launchOptions{binary: bin, dir: dir, access: access, secret: secret, logf: logf}
	// Ports are picked by closing a listener, so another process may take
	// one before the gateway binds it; a few attempts make that harmless.
	// A filesystem without user xattrs needs a metadata sidecar instead.
	for attempt := 1; ; attempt++ {
		g, err := launch(ctx, opts)
		if err == nil {
			g.tempDir = tempDir
			return g, nil
		}
		var le *launchError
		retry := errors.As(err, &le) && attempt < 4
		switch {
		case retry && le.portInUse():
			logf("s3gw: port taken, retrying: %v", err)
		case retry && le.noXattr() && !opts.sidecar:
			logf("s3gw: no xattr support in %s, using a metadata sidecar", dir)
			opts.sidecar = true
		default:
			if tempDir {
				os.RemoveAll(dir)
			}
			return nil, err
		}
	}
}

// Stop sends SIGTERM, waits for the gateway to exit (SIGKILL after 10 s)
// and removes the directory Start created. Later calls return the first
// call's result.
func (g *Gateway) Stop() error {
	g.stopOnce.Do(func() { g.stopErr = g.stop() })
	return g.stopErr
}

func (g *Gateway) stop() error {
	var err error
	select {
	case <-g.exited:
		// It died on its own: a crash the caller should hear about.
		err = fmt.Errorf("s3gw: gateway exited before Stop: %v; gateway output: %s", g.waitErr, g.output)
	default:
		err = terminate(g.cmd.Process, g.exited, g.stopAfter)
		g.logf("s3gw: gateway pid %d on %s stopped", g.cmd.Process.Pid, g.Endpoint)
	}
	if g.tempDir {
		if rerr := os.RemoveAll(g.dir); rerr != nil && err == nil {
			err = fmt.Errorf("s3gw: remove work dir: %w", rerr)
		}
	}
	return err
}

// findBinary resolves the versitygw path in the order Config documents. A
// path the caller named explicitly must exist: falling back to another
// binary would hide a misconfiguration.
func findBinary(explicit string) (string, error) {
	for _, named := range []struct{ src, path string }{
		{"Config.Binary", explicit},
		{"THBX_VERSITYGW", os.Getenv("THBX_VERSITYGW")},
	} {
		if named.path == "" {
			continue
		}
		if err := checkExecutable(named.path); err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v; %s", ErrNoBinary, named.src, named.path, err, InstallHint)
		}
		return named.path, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	p := filepath.Join(goBin(), "versitygw")
	if err := checkExecutable(p); err != nil {
		return "", fmt.Errorf("%w on $PATH or at %s; %s", ErrNoBinary, p, InstallHint)
	}
	return p, nil
}

// goBin is where `go install` puts binaries, without running the go tool.
func goBin() string {
	if d := os.Getenv("GOBIN"); d != "" {
		return d
	}
	if gp := filepath.SplitList(os.Getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
		return filepath.Join(gp[0], "bin")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "bin")
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return errors.New("not an executable file")
	}
	return nil
}
