package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

const (
	// formatVersion is the "v" of every line this package writes.
	formatVersion = 1
	// entryDomain keeps an entry hash from meaning anything else.
	entryDomain = "thbx-audit-entry-v1\n"
	// hashMember is what stands between an entry's body and its hash.
	hashMember = `,"hash":"`
	// maxLine bounds a line, newline included. The field limits keep a
	// valid entry far below it; a reader refuses anything longer without
	// holding it in memory.
	maxLine = 16 << 10
)

var (
	errNotCanonical = errors.New("not a canonical entry")
	errHashMismatch = errors.New("hash does not match the entry")
)

// wireEntry is an entry's body on disk. The order of its fields is the
// order of the members in the canonical encoding.
type wireEntry struct {
	V        int               `json:"v"`
	Seq      uint64            `json:"seq"`
	Time     string            `json:"time"`
	Actor    Actor             `json:"actor"`
	Action   Action            `json:"action"`
	Resource Resource          `json:"resource,omitzero"`
	Decision Decision          `json:"decision"`
	Reason   string            `json:"reason"`
	Rule     string            `json:"rule,omitempty"`
	Details  map[string]string `json:"details,omitempty"`
	Prev     Hash              `json:"prev"`
}

// encodeBody returns the canonical encoding of e without its hash.
func encodeBody(e *Entry) ([]byte, error) {
	t := e.Time.UTC()
	if !timeInRange(t) {
		return nil, fmt.Errorf("%w: time is outside the years 1 to 9999", ErrInvalidEntry)
	}
	w := wireEntry{
		V:        formatVersion,
		Seq:      e.Seq,
		Time:     t.Format(time.RFC3339Nano),
		Actor:    e.Actor,
		Action:   e.Action,
		Resource: e.Resource,
		Decision: e.Decision,
		Reason:   e.Reason,
		Rule:     e.Rule,
		Details:  e.Details,
		Prev:     e.Prev,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&w); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// timeInRange reports whether t has a four-digit year in UTC, the range
// in which RFC 3339 text and time.Time agree both ways.
func timeInRange(t time.Time) bool {
	y := t.UTC().Year()
	return 1 <= y && y <= 9999
}

func hashBody(body []byte) Hash {
	h := sha256.New()
	h.Write([]byte(entryDomain))
	h.Write(body)
	var sum Hash
	h.Sum(sum[:0])
	return sum
}

// encodeLine sets e.Hash and returns e's line, newline included.
func encodeLine(e *Entry) ([]byte, error) {
	body, err := encodeBody(e)
	if err != nil {
		return nil, err
	}
	e.Hash = hashBody(body)
	line := make([]byte, 0, len(body)+len(hashMember)+2*len(e.Hash)+3)
	line = append(line, body[:len(body)-1]...)
	line = append(line, hashMember...)
	line = append(line, e.Hash.String()...)
	line = append(line, "\"}\n"...)
	if len(line) > maxLine {
		return nil, fmt.Errorf("%w: the entry takes more than %d bytes encoded", ErrInvalidEntry, maxLine)
	}
	return line, nil
}

// parseLine parses one line (without its newline) and checks that it is
// the canonical encoding of an entry whose hash it carries. It checks
// nothing about the entries around it.
func parseLine(line []byte) (Entry, error) {
	tail := len(hashMember) + 2*len(Hash{}) + len(`"}`)
	if len(line) < tail+len("{}") {
		return Entry{}, errNotCanonical
	}
	split := len(line) - tail
	if string(line[split:split+len(hashMember)]) != hashMember || string(line[len(line)-2:]) != `"}` {
		return Entry{}, errNotCanonical
	}
	want, ok := parseHash(string(line[split+len(hashMember) : len(line)-2]))
	if !ok {
		return Entry{}, errNotCanonical
	}
	body := make([]byte, 0, split+1)
	body = append(body, line[:split]...)
	body = append(body, '}')

	var w wireEntry
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Entry{}, errNotCanonical
	}
	e, err := w.entry()
	if err != nil {
		return Entry{}, errNotCanonical
	}
	// Re-encoding is the strictness check: it refuses duplicate members,
	// other orders, other escapes, spaces and anything after the object.
	canon, err := encodeBody(&e)
	if err != nil || !bytes.Equal(canon, body) {
		return Entry{}, errNotCanonical
	}
	if hashBody(body) != want {
		return Entry{}, errHashMismatch
	}
	e.Hash = want
	return e, nil
}

func (w *wireEntry) entry() (Entry, error) {
	if w.V != formatVersion {
		return Entry{}, fmt.Errorf("unknown format version %d", w.V)
	}
	t, err := time.Parse(time.RFC3339Nano, w.Time)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{
		Seq:  w.Seq,
		Time: t.UTC(),
		Event: Event{
			Actor:    w.Actor,
			Action:   w.Action,
			Resource: w.Resource,
			Decision: w.Decision,
			Reason:   w.Reason,
			Rule:     w.Rule,
			Details:  w.Details,
		},
		Prev: w.Prev,
	}
	if err := e.validate(); err != nil {
		return Entry{}, err
	}
	return e, nil
}
