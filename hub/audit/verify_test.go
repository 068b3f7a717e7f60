package audit

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"slices"
	"testing"
	"time"
)

// fixture is a log of ten entries with checkpoints at entries 2, 5 and 8.
type fixture struct {
	lines   [][]byte // each with its newline
	entries []Entry
	cps     map[uint64]Checkpoint
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	l, path := openTest(t)
	fx := fixture{cps: map[uint64]Checkpoint{}}
	for i := range 10 {
		e, err := l.Append(event(i))
		if err != nil {
			t.Fatal(err)
		}
		fx.entries = append(fx.entries, e)
		if e.Seq == 2 || e.Seq == 5 || e.Seq == 8 {
			cp, err := l.Checkpoint()
			if err != nil {
				t.Fatal(err)
			}
			fx.cps[e.Seq] = cp
		}
	}
	fx.lines = lines(readFile(t, path))
	return fx
}

func (fx fixture) checkpoints(seqs ...uint64) []Checkpoint {
	var out []Checkpoint
	for _, s := range seqs {
		out = append(out, fx.cps[s])
	}
	return out
}

func join(ls [][]byte) []byte { return bytes.Join(ls, nil) }

func verifyBytes(b []byte, cps []Checkpoint) (Report, error) {
	return Verify(bytes.NewReader(b), testPub(1), cps)
}

// wantTamper checks that Verify found problem p first at entry seq.
func wantTamper(t *testing.T, rep Report, err error, seq uint64, p Problem) {
	t.Helper()
	var te *TamperError
	if !errors.Is(err, ErrTampered) || !errors.As(err, &te) {
		t.Fatalf("Verify: %v, want a TamperError", err)
	}
	if te.Seq != seq || rep.FirstBad != seq || (p != "" && te.Problem != p) {
		t.Fatalf("Verify: %v (report first bad %d), want %s at entry %d", err, rep.FirstBad, p, seq)
	}
}

func TestVerifyIntactWithEveryCheckpoint(t *testing.T) {
	fx := newFixture(t)
	rep, err := verifyBytes(join(fx.lines), fx.checkpoints(8, 2, 5, 5))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Last != 10 || rep.Checkpoints != 3 || rep.Anchored != 8 || rep.Unanchored() != 2 || rep.LastHash != fx.entries[9].Hash {
		t.Fatalf("report %+v", rep)
	}
}

func TestVerifyDetectsEveryFlippedByte(t *testing.T) {
	fx := newFixture(t)
	// Entry 5 is a deny with details and a structured resource: every
	// member of the format is in it. The entries before and one after
	// are enough to see its links.
	for i := range fx.lines[4] { // newline included
		ls := slices.Clone(fx.lines[:6])
		ls[4] = bytes.Clone(ls[4])
		ls[4][i] ^= 0x01
		rep, err := verifyBytes(join(ls), nil)
		if err == nil {
			t.Fatalf("flipping byte %d of entry 5 (%q) went unnoticed", i, fx.lines[4][i])
		}
		wantTamper(t, rep, err, 5, "")
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	fx := newFixture(t)
	at := fx.entries[0].Time
	cases := []struct {
		name    string
		edit    func(ls [][]byte) [][]byte
		cps     []uint64
		seq     uint64
		problem Problem
	}{
		{"content changed", func(ls [][]byte) [][]byte {
			ls[4] = bytes.Replace(ls[4], []byte(`"decision":"deny"`), []byte(`"decision":"allow"`), 1)
			return ls
		}, nil, 5, ProblemHash},
		{"entry deleted", func(ls [][]byte) [][]byte { return slices.Delete(ls, 4, 5) }, nil, 5, ProblemSeq},
		{"first entry deleted", func(ls [][]byte) [][]byte { return ls[1:] }, nil, 1, ProblemSeq},
		{"two swapped", func(ls [][]byte) [][]byte { ls[3], ls[4] = ls[4], ls[3]; return ls }, nil, 4, ProblemSeq},
		{"entry repeated", func(ls [][]byte) [][]byte { return slices.Insert(ls, 3, ls[2]) }, nil, 4, ProblemSeq},
		{"entry replaced with a rehashed one", func(ls [][]byte) [][]byte {
			ls[4] = chainLines(t, 4, fx.entries[3].Hash, []Event{event(0)}, at)[0]
			return ls
		}, nil, 6, ProblemPrev},
		{"entry inserted with a rehashed seq", func(ls [][]byte) [][]byte {
			forged := chainLines(t, 10, fx.entries[9].Hash, []Event{event(0)}, at)[0]
			return slices.Insert(ls, 10, forged, ls[0])
		}, nil, 12, ProblemSeq},
		{"truncated before a checkpoint", func(ls [][]byte) [][]byte { return ls[:6] }, []uint64{2, 8}, 7, ProblemTruncated},
		{"emptied", func(ls [][]byte) [][]byte { return nil }, []uint64{2}, 1, ProblemTruncated},
		{"tail rewritten with a recomputed chain", func(ls [][]byte) [][]byte {
			var evs []Event
			for i := 3; i < 10; i++ {
				ev := event(i)
				ev.Decision, ev.Reason = Deny, "not_cleared"
				evs = append(evs, ev)
			}
			return append(ls[:3], chainLines(t, 3, fx.entries[2].Hash, evs, at)...)
		}, []uint64{2, 8}, 8, ProblemCheckpoint},
		{"torn last line", func(ls [][]byte) [][]byte {
			ls[9] = ls[9][:len(ls[9])/2]
			return ls
		}, nil, 10, ProblemTorn},
		{"line too long", func(ls [][]byte) [][]byte {
			ls[6] = append(bytes.Repeat([]byte(" "), maxLine), '\n')
			return ls
		}, nil, 7, ProblemTooLong},
		{"blank line", func(ls [][]byte) [][]byte { return slices.Insert(ls, 2, []byte("\n")) }, nil, 3, ProblemMalformed},
		{"CRLF", func(ls [][]byte) [][]byte {
			ls[1] = append(bytes.TrimSuffix(ls[1], []byte("\n")), "\r\n"...)
			return ls
		}, nil, 2, ProblemMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ls := c.edit(slices.Clone(fx.lines))
			rep, err := verifyBytes(join(ls), fx.checkpoints(c.cps...))
			wantTamper(t, rep, err, c.seq, c.problem)
		})
	}
}

// The chain alone does not catch a rewritten tail; a checkpoint does, and
// the report says how far the proof reaches.
func TestVerifyRewrittenTailNeedsCheckpoint(t *testing.T) {
	fx := newFixture(t)
	forged := append(slices.Clone(fx.lines[:3]),
		chainLines(t, 3, fx.entries[2].Hash, []Event{event(7), event(8)}, fx.entries[0].Time)...)
	if _, err := verifyBytes(join(forged), nil); err != nil {
		t.Fatalf("a recomputed chain is consistent on its own, yet: %v", err)
	}
	rep, err := verifyBytes(join(forged), fx.checkpoints(2, 5))
	wantTamper(t, rep, err, 5, ProblemCheckpoint)
	if rep.Anchored != 2 || rep.Last != 5 {
		t.Fatalf("report %+v", rep)
	}
}

// What the package documentation says is not guaranteed: entries after
// the newest checkpoint can be cut off or rewritten by whoever holds the
// file. The report tells how many there are.
func TestVerifyTailAfterLastCheckpointIsUnprotected(t *testing.T) {
	fx := newFixture(t)
	forged := append(slices.Clone(fx.lines[:8]),
		chainLines(t, 8, fx.entries[7].Hash, []Event{event(0)}, fx.entries[0].Time)...)
	for _, b := range [][]byte{join(fx.lines[:8]), join(forged)} {
		rep, err := verifyBytes(b, fx.checkpoints(2, 5, 8))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if rep.Anchored != 8 || rep.Unanchored() != rep.Last-8 {
			t.Fatalf("report %+v", rep)
		}
	}
}

func TestVerifyRefusesBadCheckpoints(t *testing.T) {
	fx := newFixture(t)
	good := fx.cps[5]
	foreign, err := signCheckpoint(testKey(2), good.Seq, good.Hash, good.Time)
	if err != nil {
		t.Fatal(err)
	}
	moved := good
	moved.Seq = 6
	for name, cp := range map[string]Checkpoint{"another key": foreign, "seq changed": moved, "zero": {}} {
		if _, err := verifyBytes(join(fx.lines), []Checkpoint{fx.cps[2], cp}); !errors.Is(err, ErrBadCheckpoint) {
			t.Errorf("%s: Verify gave %v, want ErrBadCheckpoint", name, err)
		}
	}
	if _, err := Verify(bytes.NewReader(join(fx.lines)), nil, []Checkpoint{good}); !errors.Is(err, ErrBadCheckpoint) {
		t.Errorf("no public key: %v", err)
	}
}

// Two validly signed checkpoints that disagree prove that the key holder
// signed two histories.
func TestVerifyDetectsFork(t *testing.T) {
	fx := newFixture(t)
	other, err := signCheckpoint(testKey(1), 5, fx.entries[6].Hash, fx.cps[5].Time)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := verifyBytes(join(fx.lines), []Checkpoint{fx.cps[5], fx.cps[2], other})
	wantTamper(t, rep, err, 5, ProblemFork)
}

// endless is a reader of n bytes of c and, if nl, a final newline.
type endless struct {
	n  int64
	c  byte
	nl bool
}

func (r *endless) Read(p []byte) (int, error) {
	if r.n == 0 {
		if r.nl {
			r.nl = false
			p[0] = '\n'
			return 1, nil
		}
		return 0, io.EOF
	}
	n := min(int64(len(p)), r.n)
	for i := range p[:n] {
		p[i] = r.c
	}
	r.n -= n
	return int(n), nil
}

func TestVerifyMemoryBounded(t *testing.T) {
	const size = 512 * maxLine
	for _, nl := range []bool{false, true} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rep, err := Verify(&endless{n: size, c: 'a', nl: nl}, nil, nil)
		runtime.ReadMemStats(&after)
		want := ProblemTorn
		if nl {
			want = ProblemTooLong
		}
		wantTamper(t, rep, err, 1, want)
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
			t.Fatalf("Verify of one %d-byte line allocated %d bytes", size, grown)
		}
	}
}

func TestVerifyLongLogStreams(t *testing.T) {
	// Entries through a pipe: Verify never sees the whole.
	const n = 3000
	pr, pw := io.Pipe()
	go func() {
		prev := Hash{}
		at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			e := Entry{Seq: uint64(i + 1), Time: at, Event: event(i), Prev: prev}
			line, err := encodeLine(&e)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			pw.Write(line)
			prev = e.Hash
		}
		pw.Close()
	}()
	rep, err := Verify(pr, nil, nil)
	if err != nil || rep.Last != n {
		t.Fatalf("Verify: %+v, %v", rep, err)
	}
}
