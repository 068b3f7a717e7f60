package s3gw

// Failure paths, with stand-ins for versitygw: shell scripts that fail the
// way it does, and this test binary posing as a gateway that ignores
// SIGTERM.

import (
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeBinary writes an executable shell script standing in for versitygw.
// It runs in the work dir and records its arguments in ./attempts.
func fakeBinary(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "versitygw")
	script := "#!/bin/sh\necho \"$*\" >> attempts\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func attempts(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "attempts"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestStartReportsGatewayOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := fakeBinary(t, `echo "flag provided but not defined: -frobnicate" >&2; exit 3`)
	_, err := Start(t.Context(), Config{Binary: bin, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("Start error %v, want the exit status and the gateway's output", err)
	}
	got := attempts(t, dir)
	want := "--port 127.0.0.1:P --admin-port 127.0.0.1:P --iam-dir DIR/iam --health /health --region us-east-1 --quiet posix DIR/data"
	args := strings.ReplaceAll(got[0], dir, "DIR")
	for _, f := range strings.Fields(args) {
		if host, _, ok := strings.Cut(f, ":"); ok && host == "127.0.0.1" {
			args = strings.Replace(args, f, "127.0.0.1:P", 1)
		}
	}
	if len(got) != 1 || args != want {
		t.Errorf("gateway started %d times with %q, want once with %q", len(got), args, want)
	}
}

func TestStartRetriesTakenPort(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := fakeBinary(t, `echo "listen tcp 127.0.0.1:1: bind: address already in use" >&2; exit 1`)
	_, err := Start(t.Context(), Config{Binary: bin, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("Start error %v, want the bind failure", err)
	}
	if n := len(attempts(t, dir)); n != 4 {
		t.Errorf("gateway started %d times, want 4", n)
	}
}

func TestStartFallsBackToSidecar(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := fakeBinary(t, `echo "xattr check failed: operation not supported" >&2; exit 1`)
	if _, err := Start(t.Context(), Config{Binary: bin, Dir: dir}); err == nil {
		t.Fatal("Start succeeded with a failing gateway")
	}
	got := attempts(t, dir)
	if len(got) != 2 || strings.Contains(got[0], "--sidecar") || !strings.Contains(got[1], "--sidecar "+filepath.Join(dir, "meta")) {
		t.Errorf("attempts %q, want a second one with --sidecar", got)
	}
}

func TestStopKillsStubbornGateway(t *testing.T) {
	t.Parallel()
	gw := startOwn(t, Config{Binary: os.Args[0]})
	gw.stopAfter = 300 * time.Millisecond
	err := gw.Stop()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("Stop = %v, want an error saying it was killed", err)
	}
	if err := checkGone(gw); err != nil {
		t.Fatal(err)
	}
}

// stubbornGateway answers the health path on --port, accepts connections
// on --admin-port and ignores SIGTERM, as a hung gateway would.
func stubbornGateway(args []string) {
	signal.Ignore(syscall.SIGTERM)
	for _, flag := range []string{"--port", "--admin-port"} {
		i := slices.Index(args, flag)
		if i < 0 || i+1 >= len(args) {
			os.Exit(2)
		}
		l, err := net.Listen("tcp", args[i+1])
		if err != nil {
			os.Exit(1)
		}
		go http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	}
	select {}
}
