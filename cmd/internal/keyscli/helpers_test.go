package keyscli

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/cmd/internal/cli"
)

// detReader is a deterministic byte stream, SHA-256(label ":0") ||
// SHA-256(label ":1") || ..., so keys are reproducible.
type detReader struct {
	label string
	n     int
	buf   []byte
}

func (r *detReader) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s:%d", r.label, r.n))
		r.buf = append(r.buf, sum[:]...)
		r.n++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// officers is a work directory where thbx-keys runs in-process on a clock
// the test moves.
type officers struct {
	t   *testing.T
	now time.Time
	env map[string]string
}

func newOfficers(t *testing.T) *officers {
	t.Chdir(t.TempDir())
	return &officers{t: t, now: t0, env: map[string]string{}}
}

func (o *officers) run(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return o.env[k] }}
	a := &app{clock: func() time.Time { return o.now }, rand: &detReader{label: strings.Join(args, " ")}}
	code = run(a, args, env)
	return out.String(), errOut.String(), code
}

// ok runs a command that must succeed and returns its stdout.
func (o *officers) ok(args ...string) string {
	o.t.Helper()
	out, errOut, code := o.run(args...)
	if code != 0 {
		o.t.Fatalf("thbx-keys %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// fails runs a command that must exit with code and say every fragment
// on stderr.
func (o *officers) fails(code int, fragments []string, args ...string) {
	o.t.Helper()
	out, errOut, got := o.run(args...)
	if got != code {
		o.t.Fatalf("thbx-keys %s: exit %d, want %d\n%s%s", strings.Join(args, " "), got, code, out, errOut)
	}
	for _, f := range fragments {
		if !strings.Contains(errOut, f) {
			o.t.Fatalf("thbx-keys %s: stderr does not say %q:\n%s", strings.Join(args, " "), f, errOut)
		}
	}
}

// setup makes officers alice, bob and carol, a 2-of-3 root, the hub's
// keys and the first bundle, published as root.json and bundle.json.
func (o *officers) setup() {
	o.t.Helper()
	for _, id := range []string{"alice", "bob", "carol"} {
		o.ok("officer-keygen", "-out", id+".key")
	}
	o.ok("root-init", "-officer", "alice=alice.pub", "-officer", "bob=bob.pub", "-officer", "carol=carol.pub", "-out", "root.proposal.json")
	o.ok("sign", "root.proposal.json", "-key", "alice.key")
	o.ok("sign", "root.proposal.json", "-key", "bob.key")
	o.ok("publish", "root.proposal.json", "-out", "root.json")
	o.ok("init", "-dir", "hubkeys")
	o.ok("bundle-init", "-root", "root.json", "-hub", "hubkeys/hub.json", "-endpoint", "127.0.0.1:7070", "-bucket", "thbx",
		"-insecure", "-key", "alice.key", "-out", "bundle-1.proposal.json")
	o.ok("sign", "bundle-1.proposal.json", "-key", "bob.key", "-root", "root.json")
	o.ok("publish", "bundle-1.proposal.json", "-root", "root.json", "-out", "bundle.json")
}

// agree has two officers sign a proposal and publishes it.
func (o *officers) agree(file, first, second string) string {
	o.t.Helper()
	o.ok("sign", file, "-key", first+".key", "-root", "root.json", "-bundle", "bundle.json")
	o.ok("sign", file, "-key", second+".key", "-root", "root.json", "-bundle", "bundle.json")
	return o.ok("publish", file, "-root", "root.json", "-out", "bundle.json")
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
