package auth_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/auth/authtest"
)

// t0 is the time every test's clock starts at.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable time source for Now fields.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

// newClockAt starts a clock at now, for tests whose certificates the TLS
// stack checks against the real time.
func newClockAt(now time.Time) *clock { return &clock{now: now} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// writeFile writes data to name in a new temporary directory with mode
// and returns its path.
func writeFile(t testing.TB, name, data string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not enforced on Windows")
	}
}

// wantErr fails unless err wraps want (or is nil when want is nil).
func wantErr(t testing.TB, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("error %v, want %v", err, want)
	}
}

// testToken is a well-formed API token for tests, and its entry.
func testToken(t testing.TB, name string, expires time.Time, scopes ...string) (string, auth.TokenEntry) {
	t.Helper()
	token, err := auth.NewToken(nil)
	if err != nil {
		t.Fatal(err)
	}
	return token, auth.TokenEntry{
		Name: name, SHA256: auth.HashToken(token), Roles: []string{auth.RoleService},
		Scopes: scopes, Expires: expires,
	}
}

func marshal(t testing.TB, f *auth.TokensFile) string {
	t.Helper()
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pki and leaf are authtest's test CA and the certificates it issues.
type (
	pki  = authtest.CA
	leaf = authtest.Leaf
)

func newCA(t testing.TB, name string) *pki { return authtest.NewCA(t, name) }

// notContains fails if s quotes secret.
func notContains(t testing.TB, s, secret string) {
	t.Helper()
	if secret != "" && strings.Contains(s, secret) {
		t.Fatalf("%q quotes the secret", s)
	}
}
