package agent

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission/dropbox"
	"github.com/thbx/thbx/submission/schema"
)

// stepClock moves one second on each reading, so every seal gets its own
// creation time and submission ids sort in sealing order.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func newStepClock() *stepClock {
	// A little in the past: hub keys made by the fixtures are valid from
	// an hour ago, and a hub refuses creation times in the future.
	return &stepClock{t: time.Now().UTC().Add(-30 * time.Minute).Truncate(time.Second)}
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// seeded returns a deterministic random stream.
func seeded(seed byte) io.Reader { return rand.NewChaCha8([32]byte{seed}) }

// fixture is a partner with a key and a hub's public information, enough
// to seal without any drop box.
type fixture struct {
	t     *testing.T
	dir   string
	hub   certs.HubFiles
	cfg   Config
	clock *stepClock
	rand  io.Reader
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	hub, err := certs.InitHub(filepath.Join(dir, "hub"), seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "partner", "partner.key")
	if _, err := Keygen(key, seeded(2)); err != nil {
		t.Fatal(err)
	}
	return &fixture{
		t: t, dir: dir, hub: hub, clock: newStepClock(), rand: seeded(3),
		cfg: Config{
			Partner: "ngo-a", Key: key, Hub: hub.HubInfo, Outbox: filepath.Join(dir, "outbox"),
			Dropbox: dropbox.Config{Type: "dir", Dir: filepath.Join(dir, "dropbox")},
		},
	}
}

// agent returns an agent over box (nil when only sealing) with the
// fixture's clock and random stream.
func (f *fixture) agent(box Box) *Agent {
	f.t.Helper()
	a, err := New(f.cfg, box)
	if err != nil {
		f.t.Fatal(err)
	}
	a.Now, a.Rand = f.clock.Now, f.rand
	return a
}

func (f *fixture) outbox() *Outbox {
	f.t.Helper()
	ob, err := OpenOutbox(f.cfg.Outbox)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { ob.Close() })
	return ob
}

var victim = schema.Victim{Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "UA"}

// seal seals n records into ob.
func (f *fixture) seal(a *Agent, ob *Outbox, n int) Entry {
	f.t.Helper()
	d, err := schema.Current("victims")
	if err != nil {
		f.t.Fatal(err)
	}
	e, err := a.Seal(ob, d, "2025", func(add func(any) error) error {
		for range n {
			if err := add(victim); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// files lists the names in a directory of the outbox, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is subject to the umask and ignored for an
	// existing file; the tests mean the mode they name.
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
