package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendVerifyRoundTrip(t *testing.T) {
	l, path := openTest(t)
	entries := appendN(t, l, 12)
	var prev Hash
	for i, e := range entries {
		if e.Seq != uint64(i+1) || e.Prev != prev || e.Hash.IsZero() {
			t.Fatalf("entry %d: seq %d prev %s hash %s", i, e.Seq, e.Prev, e.Hash)
		}
		if e.Action != event(i).Action || e.Actor != event(i).Actor {
			t.Fatalf("entry %d does not hold its event: %+v", i, e)
		}
		prev = e.Hash
	}
	cp, err := l.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if seq, h := l.Head(); cp.Seq != 12 || cp.Hash != entries[11].Hash || seq != 12 || h != cp.Hash {
		t.Fatalf("checkpoint %d %s, head %d %s", cp.Seq, cp.Hash, seq, h)
	}
	rep, err := Verify(bytes.NewReader(readFile(t, path)), testPub(1), []Checkpoint{cp})
	if err != nil {
		t.Fatal(err)
	}
	want := Report{Last: 12, LastHash: entries[11].Hash, Checkpoints: 1, Anchored: 12}
	if rep != want || rep.Unanchored() != 0 {
		t.Fatalf("report %+v, want %+v", rep, want)
	}
	// The file holds what Append returned.
	for i, line := range lines(readFile(t, path)) {
		e, err := parseLine(bytes.TrimSuffix(line, []byte("\n")))
		if err != nil || e.Hash != entries[i].Hash || !e.Time.Equal(entries[i].Time) {
			t.Fatalf("line %d: %v", i+1, err)
		}
	}
}

func TestReopenResumes(t *testing.T) {
	l, path := openTest(t)
	first := appendN(t, l, 3)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := Open(Config{Path: path, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if seq, h := l.Head(); seq != 3 || h != first[2].Hash {
		t.Fatalf("head after reopen: %d %s", seq, h)
	}
	e, err := l.Append(event(3))
	if err != nil {
		t.Fatal(err)
	}
	if e.Seq != 4 || e.Prev != first[2].Hash {
		t.Fatalf("appended after reopen: seq %d prev %s", e.Seq, e.Prev)
	}
	if _, err := Verify(bytes.NewReader(readFile(t, path)), nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestClockDeterminism(t *testing.T) {
	var files [2][]byte
	for i := range files {
		path := filepath.Join(t.TempDir(), "audit.jsonl")
		l, err := Open(Config{Path: path, Now: newClock().Now, Logger: quiet()})
		if err != nil {
			t.Fatal(err)
		}
		entries := appendN(t, l, 5)
		l.Close()
		want := time.Date(2025, 3, 1, 9, 0, 4, 0, time.UTC)
		if got := entries[4].Time; !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("entry 5 at %v, want %v in UTC", got, want)
		}
		files[i] = readFile(t, path)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Fatalf("same clock and events gave different logs:\n%s\n%s", files[0], files[1])
	}
	if !bytes.Contains(files[0], []byte(`"time":"2025-03-01T09:00:00Z"`)) {
		t.Fatalf("time not written in UTC:\n%s", files[0])
	}
}

func TestAppendRefusesInvalidEvents(t *testing.T) {
	token := "thbx_" + strings.Repeat("Ab9-_", 9)
	cases := map[string]func(*Event){
		"no subject":          func(e *Event) { e.Actor.Subject = "" },
		"newline in subject":  func(e *Event) { e.Actor.Subject = "mallory\n{\"seq\":9}" },
		"escape in path":      func(e *Event) { e.Resource.Path = "victims/\x1b[2J" },
		"line separator":      func(e *Event) { e.Rule = "a\u2028b" },
		"invalid UTF-8":       func(e *Event) { e.Resource.Period = "20\xff23" },
		"token as subject":    func(e *Event) { e.Actor.Subject = token },
		"token in a detail":   func(e *Event) { e.Details = map[string]string{"auth": "Bearer " + token} },
		"kind not a code":     func(e *Event) { e.Actor.Kind = "Analyst" },
		"no action":           func(e *Event) { e.Action = "" },
		"decision":            func(e *Event) { e.Decision = "maybe" },
		"reason is free text": func(e *Event) { e.Reason = "the user was not cleared" },
		"long rule":           func(e *Event) { e.Rule = strings.Repeat("r", maxSubject+1) },
		"long path":           func(e *Event) { e.Resource.Path = strings.Repeat("p", maxText+1) },
		"details key":         func(e *Event) { e.Details = map[string]string{"Row": "1"} },
		"long detail":         func(e *Event) { e.Details = map[string]string{"n": strings.Repeat("x", maxText+1)} },
		"too many details": func(e *Event) {
			e.Details = map[string]string{}
			for i := range maxDetails + 1 {
				e.Details[string(rune('a'+i))] = "1"
			}
		},
	}
	l, path := openTest(t)
	appendN(t, l, 1)
	before := readFile(t, path)
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			ev := event(0)
			spoil(&ev)
			_, err := l.Append(ev)
			if !errors.Is(err, ErrInvalidEntry) {
				t.Fatalf("Append: %v, want ErrInvalidEntry", err)
			}
			if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "mallory") {
				t.Fatalf("the error repeats the value: %v", err)
			}
		})
	}
	if seq, _ := l.Head(); seq != 1 || !bytes.Equal(readFile(t, path), before) {
		t.Fatalf("a refused event changed the log (head %d)", seq)
	}
	// Still usable afterwards.
	if e, err := l.Append(event(1)); err != nil || e.Seq != 2 {
		t.Fatalf("append after refusals: %v, %v", e.Seq, err)
	}
}

func TestOpenRefusesFileOthersCanAccess(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits do not show Windows ACLs")
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o620, 0o602, 0o644} {
		path := filepath.Join(t.TempDir(), "audit.jsonl")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(Config{Path: path}); !errors.Is(err, ErrInsecureFile) {
			t.Errorf("mode %04o: Open gave %v, want ErrInsecureFile", mode, err)
		}
	}
	// A new log is created 0600 whatever the umask lets through.
	l, path := openTest(t)
	appendN(t, l, 1)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("new log has mode %04o", info.Mode().Perm())
	}
}

func TestOpenRefusesSecondWriter(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "aix", "solaris", "plan9", "js", "wasip1":
		t.Skip("no flock here")
	}
	l, path := openTest(t)
	if _, err := Open(Config{Path: path}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	l.Close()
	l2, err := Open(Config{Path: path})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	l2.Close()
}

func TestConcurrentAppends(t *testing.T) {
	l, path := openTest(t)
	const writers, each = 8, 25
	seqs := make(chan uint64, writers*each)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				e, err := l.Append(event(w*each + i))
				if err != nil {
					t.Error(err)
					return
				}
				seqs <- e.Seq
			}
		})
	}
	// Readers and checkpoints run alongside.
	wg.Go(func() {
		for range 20 {
			if _, err := l.Checkpoint(); err != nil {
				t.Error(err)
			}
			if _, err := l.List(Filter{}, Page{Limit: MaxLimit}); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	close(seqs)
	seen := map[uint64]bool{}
	for s := range seqs {
		if seen[s] || s < 1 || s > writers*each {
			t.Fatalf("seq %d handed out twice or out of range", s)
		}
		seen[s] = true
	}
	cp, err := l.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(bytes.NewReader(readFile(t, path)), testPub(1), []Checkpoint{cp})
	if err != nil || rep.Last != writers*each || rep.Anchored != writers*each {
		t.Fatalf("Verify: %+v, %v", rep, err)
	}
}

func TestTornLastLineRecovered(t *testing.T) {
	cases := map[string]func(next []byte) []byte{
		"half a line":        func(next []byte) []byte { return next[:len(next)/2] },
		"all but newline":    func(next []byte) []byte { return next[:len(next)-1] },
		"zeros":              func([]byte) []byte { return make([]byte, 4096) },
		"longer than a line": func([]byte) []byte { return bytes.Repeat([]byte("x"), 3*maxLine) },
	}
	for name, torn := range cases {
		t.Run(name, func(t *testing.T) {
			l, path := openTest(t)
			entries := appendN(t, l, 3)
			cp, err := l.Checkpoint()
			if err != nil {
				t.Fatal(err)
			}
			l.Close()
			// What the crashed write would have written.
			next := chainLines(t, 3, entries[2].Hash, []Event{event(3)}, time.Now())[0]
			tail := torn(next)
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(tail)
			f.Close()

			var logs bytes.Buffer
			l, err = Open(Config{Path: path, Now: newClock().Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "removed an incomplete last line") {
				t.Fatalf("no warning logged: %q", logs.String())
			}
			saved, _ := filepath.Glob(path + ".torn-*")
			if len(saved) != 1 || !bytes.Equal(readFile(t, saved[0]), tail) {
				t.Fatalf("torn bytes not saved beside the log: %v", saved)
			}
			if info, err := os.Stat(saved[0]); err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("saved torn bytes: %v, %v", info, err)
			}
			res, err := l.List(Filter{Action: ActionLogRecovered}, Page{})
			if err != nil || len(res.Entries) != 1 {
				t.Fatalf("recovery entry: %+v, %v", res, err)
			}
			rec := res.Entries[0]
			if rec.Seq != 4 || rec.Prev != entries[2].Hash || rec.Details["saved_to"] != filepath.Base(saved[0]) ||
				rec.Details["bytes"] != strconv.Itoa(len(tail)) {
				t.Fatalf("recovery entry: %+v", rec)
			}
			e, err := l.Append(event(4))
			if err != nil || e.Seq != 5 {
				t.Fatalf("append after recovery: %d, %v", e.Seq, err)
			}
			rep, err := Verify(bytes.NewReader(readFile(t, path)), testPub(1), []Checkpoint{cp})
			if err != nil || rep.Last != 5 {
				t.Fatalf("Verify after recovery: %+v, %v", rep, err)
			}
		})
	}
}

func TestOpenRefusesTamperedLog(t *testing.T) {
	l, path := openTest(t)
	appendN(t, l, 5)
	l.Close()
	b := readFile(t, path)
	i := bytes.Index(b, []byte("user-1"))
	b[i] = 'X'
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(Config{Path: path})
	var te *TamperError
	if !errors.Is(err, ErrTampered) || !errors.As(err, &te) || te.Seq != 2 {
		t.Fatalf("Open: %v, want a TamperError at entry 2", err)
	}
	if !bytes.Equal(readFile(t, path), b) {
		t.Fatal("Open changed a tampered log")
	}
}

func TestClosedLog(t *testing.T) {
	l, _ := openTest(t)
	appendN(t, l, 1)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(event(1)); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v", err)
	}
	if _, err := l.Checkpoint(); !errors.Is(err, ErrClosed) {
		t.Errorf("Checkpoint after Close: %v", err)
	}
	if _, err := l.List(Filter{}, Page{}); !errors.Is(err, ErrClosed) {
		t.Errorf("List after Close: %v", err)
	}
	if err := l.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
}

func TestCheckpointNeedsKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Checkpoint(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Checkpoint without a key: %v", err)
	}
}

func TestEmptyLogCheckpoint(t *testing.T) {
	l, path := openTest(t)
	cp, err := l.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if cp.Seq != 0 || !cp.Hash.IsZero() {
		t.Fatalf("empty log checkpoint: %d %s", cp.Seq, cp.Hash)
	}
	rep, err := Verify(bytes.NewReader(readFile(t, path)), testPub(1), []Checkpoint{cp})
	if err != nil || rep.Checkpoints != 1 || rep.Last != 0 {
		t.Fatalf("Verify: %+v, %v", rep, err)
	}
}

// The API can hand entries out as JSON with the member names of the file.
func TestEntryJSON(t *testing.T) {
	l, _ := openTest(t)
	e := appendN(t, l, 5)[4]
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"seq":5,"time":"2025-03-01T09:00:04Z","actor":{"kind":"analyst","subject":"user-1"},"action":"read_records",` +
		`"resource":{"dataset":"victims","period":"2023","format":"csv"},"decision":"deny","reason":"below_threshold",` +
		`"details":{"cells_suppressed":"4","note":"quote \" and \\ and \u003ctag\u003e \u0026 é"},"prev":"` + e.Prev.String() + `","hash":"` + e.Hash.String() + `"}`
	if string(b) != want {
		t.Fatalf("JSON:\n%s\nwant\n%s", b, want)
	}
	var back Entry
	if err := json.Unmarshal(b, &back); err != nil || back.Hash != e.Hash || back.Prev != e.Prev || back.Details["note"] != e.Details["note"] {
		t.Fatalf("JSON round trip: %+v, %v", back, err)
	}
}

// After a failed write nothing more is appended: what reached the disk is
// unknown until Open checks it.
func TestWriteFailureIsSticky(t *testing.T) {
	l, path := openTest(t)
	first := appendN(t, l, 1)
	l.f.Close() // the disk goes away under the log
	_, err := l.Append(event(1))
	if err == nil || errors.Is(err, ErrInvalidEntry) {
		t.Fatalf("Append to a failed file: %v", err)
	}
	if _, err2 := l.Append(event(2)); err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("second Append: %v, want the first failure again", err2)
	}
	if _, err := l.Checkpoint(); err == nil {
		t.Fatal("Checkpoint of a broken log succeeded")
	}
	l.Close()
	l, err = Open(Config{Path: path, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if seq, h := l.Head(); seq != 1 || h != first[0].Hash {
		t.Fatalf("head after reopen: %d", seq)
	}
}
