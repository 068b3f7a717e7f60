package audit

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Page sizes for List.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// ErrBadCursor is returned by List for a cursor it did not make, or one
// that no longer points into this log.
var ErrBadCursor = errors.New("bad audit cursor")

// Filter selects entries for List; each zero field selects all.
type Filter struct {
	Since    time.Time // entries at or after Since
	Until    time.Time // entries before Until
	Kind     string    // actor kind
	Subject  string    // actor subject
	Action   Action
	Decision Decision
}

func (f *Filter) match(e *Entry) bool {
	return (f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(f.Until.IsZero() || e.Time.Before(f.Until)) &&
		(f.Kind == "" || e.Actor.Kind == f.Kind) &&
		(f.Subject == "" || e.Actor.Subject == f.Subject) &&
		(f.Action == "" || e.Action == f.Action) &&
		(f.Decision == "" || e.Decision == f.Decision)
}

// Page says where a page starts and how long it may be.
type Page struct {
	// Cursor is a previous Result.Next; empty starts at the first entry.
	Cursor string
	// Limit is the most entries to return: DefaultLimit when 0 or less,
	// MaxLimit at most.
	Limit int
}

// Result is one page of entries, oldest first.
type Result struct {
	Entries []Entry
	// Next continues after the last entry of a full page. It is empty
	// when the page ends with the log as it was when List began.
	Next string
}

// List returns the entries that match f, oldest first, one page at a
// time. It reads the file as it goes, holding one page in memory, and sees
// only entries whose write had finished when it began. It checks each
// entry's hash and its link to the entry before; Verify checks the whole
// log against checkpoints.
func (l *Log) List(f Filter, p Page) (Result, error) {
	limit := p.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	l.mu.Lock()
	closed, size := l.closed, l.size
	l.mu.Unlock()
	if closed {
		return Result{}, ErrClosed
	}
	after, off, err := decodeCursor(p.Cursor)
	if err != nil {
		return Result{}, err
	}
	if off > size {
		return Result{}, ErrBadCursor
	}
	if off > 0 {
		var b [1]byte
		if _, err := l.f.ReadAt(b[:], off-1); err != nil {
			return Result{}, fmt.Errorf("list audit log: %w", err)
		}
		if b[0] != '\n' {
			return Result{}, ErrBadCursor
		}
	}

	var res Result
	lr := newLineReader(io.NewSectionReader(l.f, off, size-off))
	lr.off = off
	want := after + 1
	var prev Hash
	for {
		line, _, err := lr.next()
		switch {
		case err == io.EOF:
			return res, nil
		case err == errTorn || err == errTooLong:
			return Result{}, &TamperError{Seq: want, Problem: ProblemMalformed}
		case err != nil:
			return Result{}, fmt.Errorf("list audit log: %w", err)
		}
		e, err := parseLine(line)
		switch {
		case errors.Is(err, errHashMismatch):
			return Result{}, &TamperError{Seq: want, Problem: ProblemHash}
		case err != nil:
			return Result{}, &TamperError{Seq: want, Problem: ProblemMalformed}
		case e.Seq != want && want == after+1:
			return Result{}, ErrBadCursor
		case e.Seq != want:
			return Result{}, &TamperError{Seq: want, Problem: ProblemSeq}
		case want > after+1 && e.Prev != prev:
			return Result{}, &TamperError{Seq: want, Problem: ProblemPrev}
		}
		want, prev = e.Seq+1, e.Hash
		if !f.match(&e) {
			continue
		}
		res.Entries = append(res.Entries, e)
		if len(res.Entries) == limit {
			res.Next = encodeCursor(e.Seq, lr.off)
			return res, nil
		}
	}
}

// A cursor is the seq of the last entry a page looked at and the offset
// of the line after it, so the next page starts without a scan. List
// checks that the line there is the entry after that seq.
func encodeCursor(seq uint64, off int64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], seq)
	binary.BigEndian.PutUint64(b[8:], uint64(off))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeCursor(s string) (seq uint64, off int64, err error) {
	if s == "" {
		return 0, 0, nil
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != 16 {
		return 0, 0, ErrBadCursor
	}
	u := binary.BigEndian.Uint64(b[8:])
	if u > math.MaxInt64 {
		return 0, 0, ErrBadCursor
	}
	return binary.BigEndian.Uint64(b[:8]), int64(u), nil
}
