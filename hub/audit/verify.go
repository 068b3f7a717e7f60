package audit

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
)

// ErrTampered is wrapped by every *TamperError: the log is not the one
// its chain and checkpoints describe.
var ErrTampered = errors.New("audit log is not intact")

// Problem says what was found wrong with a log.
type Problem string

const (
	ProblemMalformed  Problem = "malformed"           // a line that is not a canonical entry
	ProblemHash       Problem = "hash_mismatch"       // an entry's content does not match its hash
	ProblemSeq        Problem = "seq_gap"             // an entry deleted, inserted or moved
	ProblemPrev       Problem = "prev_mismatch"       // an entry does not link to the one before
	ProblemCheckpoint Problem = "checkpoint_mismatch" // the entry a checkpoint names has another hash
	ProblemTruncated  Problem = "truncated"           // the log ends before a checkpoint's entry
	ProblemTorn       Problem = "torn"                // bytes after the last newline
	ProblemTooLong    Problem = "line_too_long"       // a line longer than any entry can be
	ProblemFork       Problem = "fork"                // two signed checkpoints disagree on one entry
)

// TamperError locates the first thing found wrong with a log.
type TamperError struct {
	// Seq is the first entry found wrong, or missing. After a rewrite
	// with a recomputed chain, it is the entry of the first checkpoint
	// that no longer matches: the rewrite may have begun anywhere after
	// the checkpoint before it.
	Seq uint64
	// Line is the 1-based line of the file, 0 where none applies.
	Line    int64
	Problem Problem
}

func (e *TamperError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("audit log: entry %d (line %d): %s", e.Seq, e.Line, e.Problem)
	}
	return fmt.Sprintf("audit log: entry %d: %s", e.Seq, e.Problem)
}

func (e *TamperError) Unwrap() error { return ErrTampered }

// Report is what Verify found.
type Report struct {
	// Last and LastHash are the last entry read whose chain held.
	Last     uint64
	LastHash Hash
	// Checkpoints counts the distinct checkpoints matched.
	Checkpoints int
	// Anchored is the entry of the newest checkpoint matched: entries up
	// to it are proven, later ones only chained.
	Anchored uint64
	// FirstBad is TamperError.Seq when Verify found one, else 0.
	FirstBad uint64
}

// Unanchored is the number of entries after the newest matched
// checkpoint, which someone holding the file could still cut off or
// rewrite undetected.
func (r Report) Unanchored() uint64 { return r.Last - r.Anchored }

// Verify reads a whole log from r and checks that every line is a
// canonical entry with a correct hash, that seq grows by one from 1 and
// each prev is the hash of the entry before, and that the entry at each
// checkpoint's seq has the checkpoint's hash. It holds at most one line in
// memory, whatever the size of the log.
//
// Each checkpoint must verify under pub (VerifyCheckpoint), or Verify
// returns ErrBadCheckpoint before it reads r; pub may be nil when there
// are no checkpoints. A log that is not intact gives a *TamperError
// (wrapping ErrTampered) and a Report of what held up to it.
func Verify(r io.Reader, pub ed25519.PublicKey, checkpoints []Checkpoint) (Report, error) {
	var rep Report
	fail := func(te *TamperError) (Report, error) {
		rep.FirstBad = te.Seq
		return rep, te
	}
	cps, err := sortCheckpoints(pub, checkpoints)
	if err != nil {
		if te := (*TamperError)(nil); errors.As(err, &te) {
			return fail(te)
		}
		return rep, err
	}
	next := 0
	for next < len(cps) && cps[next].Seq == 0 {
		rep.Checkpoints++
		next++
	}
	lr := newLineReader(r)
	var c chain
	for {
		line, _, err := lr.next()
		switch {
		case err == io.EOF:
			if next < len(cps) {
				return fail(&TamperError{Seq: c.seq + 1, Problem: ProblemTruncated})
			}
			return rep, nil
		case err == errTorn:
			c.line++
			return fail(c.fail(ProblemTorn))
		case err == errTooLong:
			c.line++
			return fail(c.fail(ProblemTooLong))
		case err != nil:
			return rep, fmt.Errorf("read audit log: %w", err)
		}
		e, te := c.add(line)
		if te != nil {
			return fail(te)
		}
		rep.Last, rep.LastHash = e.Seq, e.Hash
		for ; next < len(cps) && cps[next].Seq == e.Seq; next++ {
			if cps[next].Hash != e.Hash {
				return fail(&TamperError{Seq: e.Seq, Line: c.line, Problem: ProblemCheckpoint})
			}
			rep.Checkpoints++
			rep.Anchored = e.Seq
		}
	}
}

// chain follows the links of a log from its first line.
type chain struct {
	seq  uint64 // of the last entry added
	hash Hash   // of the last entry added
	line int64  // lines read
}

// add checks one line against the chain so far and extends it.
func (c *chain) add(line []byte) (Entry, *TamperError) {
	c.line++
	e, err := parseLine(line)
	switch {
	case errors.Is(err, errHashMismatch):
		return Entry{}, c.fail(ProblemHash)
	case err != nil:
		return Entry{}, c.fail(ProblemMalformed)
	case e.Seq != c.seq+1:
		return Entry{}, c.fail(ProblemSeq)
	case e.Prev != c.hash:
		return Entry{}, c.fail(ProblemPrev)
	}
	c.seq, c.hash = e.Seq, e.Hash
	return e, nil
}

// fail blames the entry expected at the current line.
func (c *chain) fail(p Problem) *TamperError {
	return &TamperError{Seq: c.seq + 1, Line: c.line, Problem: p}
}
