package s3gw

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type launchOptions struct {
	binary, dir    string
	access, secret string
	sidecar        bool // keep metadata in DIR/meta instead of xattrs
	logf           func(format string, args ...any)
}

// launchError is a gateway that did not come up; output is the tail of
// what it printed, which usually names the cause.
type launchError struct {
	msg    string
	output string
}

func (e *launchError) Error() string {
	if e.output == "" {
		return e.msg
	}
	return e.msg + "; gateway output: " + e.output
}

func (e *launchError) portInUse() bool { return strings.Contains(e.output, "address already in use") }
func (e *launchError) noXattr() bool   { return strings.Contains(e.output, "xattr check failed") }

// launch starts one gateway process on fresh ports and waits for it.
func launch(ctx context.Context, o launchOptions) (*Gateway, error) {
	addrs, err := freeLoopbackAddrs(2)
	if err != nil {
		return nil, err
	}
	iamDir, dataDir, metaDir := filepath.Join(o.dir, "iam"), filepath.Join(o.dir, "data"), filepath.Join(o.dir, "meta")
	dirs := []string{iamDir, dataDir}
	if o.sidecar {
		dirs = append(dirs, metaDir)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("s3gw: make work dir: %w", err)
		}
	}
	args := []string{
		"--port", addrs[0], "--admin-port", addrs[1], "--iam-dir", iamDir,
		"--health", healthPath, "--region", Region, "--quiet", "posix",
	}
	if o.sidecar {
		args = append(args, "--sidecar", metaDir)
	}
	args = append(args, dataDir)

	// Not CommandContext: the gateway must outlive the ctx that bounds Start.
	cmd := exec.Command(o.binary, args...)
	cmd.Dir = o.dir
	cmd.Env = gatewayEnv(o.access, o.secret)
	out := newTailWriter(4<<10, o.logf)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("s3gw: start %s: %w", o.binary, err)
	}
	g := &Gateway{
		Endpoint: addrs[0], RootAccess: o.access, RootSecret: o.secret, Region: Region,
		binary: o.binary, admin: addrs[1], dir: o.dir,
		cmd: cmd, exited: make(chan struct{}), output: out, logf: o.logf, stopAfter: stopTimeout,
	}
	go func() {
		g.waitErr = cmd.Wait()
		close(g.exited)
	}()
	if err := g.waitReady(ctx); err != nil {
		terminate(cmd.Process, g.exited, stopTimeout)
		return nil, err
	}
	o.logf("s3gw: gateway pid %d ready on %s (admin %s)", cmd.Process.Pid, g.Endpoint, g.admin)
	return g, nil
}

// waitReady polls until the health path answers 200 and the admin port
// accepts connections, the process exits, or the deadline passes.
func (g *Gateway) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	url := "http://" + g.Endpoint + healthPath
	for {
		if g.healthy(ctx, client, url) {
			return nil
		}
		select {
		case <-g.exited:
			return &launchError{msg: fmt.Sprintf("s3gw: gateway exited during startup: %v", g.waitErr), output: g.output.String()}
		case <-ctx.Done():
			return &launchError{msg: fmt.Sprintf("s3gw: gateway not healthy at %s: %v", url, context.Cause(ctx)), output: g.output.String()}
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (g *Gateway) healthy(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", g.admin)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// terminate asks the process to exit, then kills it if it has not exited
// within timeout. It returns once exited is closed.
func terminate(p *os.Process, exited <-chan struct{}, timeout time.Duration) error {
	if err := p.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("s3gw: signal gateway: %w", err)
	}
	select {
	case <-exited:
		return nil
	case <-time.After(timeout):
	}
	p.Kill()
	<-exited
	return fmt.Errorf("s3gw: gateway pid %d ignored SIGTERM for %v; killed", p.Pid, timeout)
}

// freeLoopbackAddrs returns n distinct free loopback addresses. They are
// free only until someone else binds them; Start retries if that happens.
func freeLoopbackAddrs(n int) ([]string, error) {
	var addrs []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("s3gw: find free port: %w", err)
		}
		defer l.Close() // held open until all are picked, so they differ
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}

// baseEnv is the minimal environment for versitygw commands: it reads much
// of its configuration from VGW_*, ROOT_* and ADMIN_* variables, and a stray
// one in the caller's environment must not change the gateway under test.
func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func gatewayEnv(access, secret string) []string {
	return append(baseEnv(), "ROOT_ACCESS_KEY="+access, "ROOT_SECRET_KEY="+secret)
}

func randomCredentials() (access, secret string) {
	return rand.Text()[:20], rand.Text() + rand.Text()
}
