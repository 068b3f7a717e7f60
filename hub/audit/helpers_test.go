package audit

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testKey is a fixed key, so that golden files and examples are stable.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// stepClock starts at a fixed time and moves a second on each reading.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *stepClock {
	// Not UTC, so that the tests see the conversion.
	return &stepClock{t: time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))}
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(time.Second)
	return t
}

// openTest opens a new log in a temporary directory.
func openTest(t testing.TB) (*Log, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(Config{Path: path, Key: testKey(1), Now: newClock().Now, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, path
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// event returns the i-th of a varied, deterministic series of events.
func event(i int) Event {
	kinds := []string{KindAnalyst, KindAuditor, KindHub, KindPartner}
	actions := []Action{ActionReadRecords, ActionExport, ActionAccept, ActionReadAggregates}
	ev := Event{
		Actor:    Actor{Kind: kinds[i%len(kinds)], Subject: fmt.Sprintf("user-%d", i%3)},
		Action:   actions[i%len(actions)],
		Resource: Resource{Path: fmt.Sprintf("victims/%d", 2020+i%4)},
		Decision: Allow,
		Reason:   "granted",
		Rule:     "analysts-read",
	}
	if i%5 == 4 {
		ev.Decision, ev.Reason, ev.Rule = Deny, "below_threshold", ""
		ev.Resource = Resource{Dataset: "victims", Period: "2023", Format: "csv"}
		ev.Details = map[string]string{"cells_suppressed": fmt.Sprint(i), "note": `quote " and \ and <tag> & é`}
	}
	return ev
}

// appendN appends events 0 to n-1 and returns the entries.
func appendN(t testing.TB, l *Log, n int) []Entry {
	t.Helper()
	var out []Entry
	for i := range n {
		e, err := l.Append(event(i))
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		out = append(out, e)
	}
	return out
}

// lines splits a log into its lines, each with its newline.
func lines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// chainLines encodes entries as a valid chain from seq after prev: what an
// attacker with the file but no key can compute.
func chainLines(t testing.TB, seq uint64, prev Hash, evs []Event, at time.Time) [][]byte {
	t.Helper()
	var out [][]byte
	for i, ev := range evs {
		e := Entry{Seq: seq + uint64(i) + 1, Time: at, Event: ev, Prev: prev}
		line, err := encodeLine(&e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, line)
		prev = e.Hash
	}
	return out
}

func testPub(seed byte) ed25519.PublicKey { return testKey(seed).Public().(ed25519.PublicKey) }
