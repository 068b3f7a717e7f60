// Package clitest runs the thbx commands (thbx-agent, thbx-hub, thbx-keys)
// as a user would, from the scripts in testdata/script: each script is a
// txtar archive of files and shell-like commands, run by testscript in a
// fresh work directory. The test binary doubles as the three commands, so
// the scripts exercise the real Main functions with no separate build.
//
// The S3 scripts start a real Versity S3 gateway on loopback with the
// s3gw-start command; without the versitygw binary they fail with the
// install hint rather than skip.
package clitest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/thbx/thbx/cmd/internal/agentcli"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/cmd/internal/hubcli"
	"github.com/thbx/thbx/cmd/internal/keyscli"
	"github.com/thbx/thbx/deploy/s3gw"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"thbx-agent": func() { os.Exit(agentcli.Main(os.Args[1:], cli.OSEnv())) },
		"thbx-hub":   func() { os.Exit(hubcli.Main(os.Args[1:], cli.OSEnv())) },
		"thbx-keys":  func() { os.Exit(keyscli.Main(os.Args[1:], cli.OSEnv())) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// The repository's sample files, such as victims-small.csv.
			dir, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata"))
			if err != nil {
				return err
			}
			env.Setenv("TESTDATA", dir)
			// A race-enabled command sleeps a second as it exits, to let
			// other goroutines report; with a hundred commands that is
			// most of the run time. Races are still reported (exit 66).
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":      cmdExits,
			"mode":       cmdMode,
			"capture":    cmdCapture,
			"s3gw-start": cmdS3gwStart,
			"s3gw-stop":  cmdS3gwStop,
		},
	})
}

// cmdExits runs a command that must fail with a given exit status, which
// `! exec` cannot check: exits 2 thbx-agent submit -bogus. Its stdout and
// stderr are kept for the next commands, as with exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want == 0 {
		ts.Fatalf("exits %s: want a non-zero exit status (use exec for success)", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	var ee *exec.ExitError
	switch {
	case err == nil:
		ts.Fatalf("%s succeeded; want exit status %d", args[1], want)
	case !errors.As(err, &ee):
		ts.Fatalf("run %s: %v", args[1], err)
	case ee.ExitCode() != want:
		ts.Fatalf("%s: exit status %d; want %d", args[1], ee.ExitCode(), want)
	}
}

// cmdMode checks a file's permission bits: mode FILE 0600.
func cmdMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mode FILE PERM")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	if err != nil {
		ts.Fatalf("mode %s: want an octal permission such as 0600", args[1])
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	got := fi.Mode().Perm()
	if (got == os.FileMode(want)) == neg {
		ts.Fatalf("%s has mode %04o; want %s%04o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// cmdCapture sets an environment variable from the last command's output:
// capture VAR REGEXP takes the first group of REGEXP's first match in
// stdout, so that a later command can use a key id or token printed by an
// earlier one.
func cmdCapture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: capture VAR REGEXP")
	}
	re, err := regexp.Compile(`(?m)` + args[1])
	ts.Check(err)
	m := re.FindStringSubmatch(ts.ReadFile("stdout"))
	if len(m) < 2 {
		ts.Fatalf("capture %s: no match for %q with a group in stdout", args[0], args[1])
	}
	ts.Setenv(args[0], m[1])
}

// cmdS3gwStart starts a Versity S3 gateway on loopback with its data in
// $WORK/s3gw, and sets up a drop box the way the security officers would:
// s3gw-start BUCKET PARTNER creates the bucket, an account for the partner
// and one for the hub, and applies the partner policy, which it also
// writes to $WORK/s3gw-policy.json. It sets THBX_S3_ENDPOINT,
// THBX_S3_BUCKET, THBX_S3_INSECURE=true, THBX_DROPBOX=s3 and the two
// accounts' credentials as PARTNER_ACCESS, PARTNER_SECRET, HUB_ACCESS and
// HUB_SECRET. The gateway is stopped by s3gw-stop or, failing that, when
// the script ends.
func cmdS3gwStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: s3gw-start BUCKET PARTNER")
	}
	bucket, partner := args[0], args[1]
	if ts.Getenv("THBX_S3_ENDPOINT") != "" {
		ts.Fatalf("s3gw-start: a gateway is already running at $THBX_S3_ENDPOINT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var log gatewayLog
	gw, err := s3gw.Start(ctx, s3gw.Config{Dir: ts.MkAbs("s3gw"), Logf: log.printf})
	log.flush(ts)
	if err != nil {
		ts.Fatalf("s3gw-start: this script needs a running versitygw: %v", err)
	}
	ts.Defer(func() {
		if err := gw.Stop(); err != nil {
			ts.Logf("stop gateway: %v", err)
		}
		log.flush(ts)
	})
	ts.SetCmd("s3gw-stop", func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 0 {
			ts.Fatalf("usage: s3gw-stop")
		}
		err := gw.Stop()
		log.flush(ts)
		ts.Check(err)
	})

	hubAccess, hubSecret := "thbx-hub", rand.Text()
	partnerAccess, partnerSecret := "acct-"+partner, rand.Text()
	ts.Check(gw.CreateBucket(ctx, bucket))
	ts.Check(gw.CreateUser(ctx, hubAccess, hubSecret))
	ts.Check(gw.CreateUser(ctx, partnerAccess, partnerSecret))
	policy, err := s3gw.PartnerPolicy(bucket, hubAccess, []s3gw.Grant{{Account: partnerAccess, Partner: partner}})
	ts.Check(err)
	ts.Check(gw.PutBucketPolicy(ctx, bucket, policy))
	ts.Check(os.WriteFile(ts.MkAbs("s3gw-policy.json"), []byte(policy+"\n"), 0o644))

	for k, v := range map[string]string{
		"THBX_DROPBOX": "s3", "THBX_S3_ENDPOINT": gw.Endpoint, "THBX_S3_BUCKET": bucket, "THBX_S3_INSECURE": "true",
		"HUB_ACCESS": hubAccess, "HUB_SECRET": hubSecret, "PARTNER_ACCESS": partnerAccess, "PARTNER_SECRET": partnerSecret,
	} {
		ts.Setenv(k, v)
	}
	fmt.Fprintf(ts.Stdout(), "gateway on %s, bucket %s, accounts %s and %s\n", gw.Endpoint, bucket, hubAccess, partnerAccess)
}

// gatewayLog keeps what the gateway prints until the script's goroutine
// can log it: the gateway's output arrives on another goroutine, and
// TestScript.Logf is not safe for concurrent use.
type gatewayLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *gatewayLog) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *gatewayLog) flush(ts *testscript.TestScript) {
	l.mu.Lock()
	lines := l.lines
	l.lines = nil
	l.mu.Unlock()
	for _, line := range lines {
		ts.Logf("%s", line)
	}
}

// cmdS3gwStop is s3gw-stop before s3gw-start has replaced it.
func cmdS3gwStop(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("s3gw-stop: no gateway started (run s3gw-start first)")
}
