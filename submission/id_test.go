package submission_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/submission"
)

func TestNewIDOrdering(t *testing.T) {
	// Ids sort as their times do, down to the millisecond, whatever the
	// random part.
	rnd := rand.New(rand.NewPCG(1, 2))
	var times []time.Time
	for range 2000 {
		ms := rnd.Int64N(1 << 48)
		times = append(times, time.UnixMilli(ms))
		times = append(times, time.UnixMilli(ms+1)) // neighbours too
	}
	times = append(times, time.UnixMilli(0), time.UnixMilli(1<<48-1), t0)
	type pair struct {
		t  time.Time
		id string
	}
	var pairs []pair
	for i, tm := range times {
		id, err := submission.NewID(tm, newDetReader(strings.Repeat("r", i%7)))
		if err != nil {
			t.Fatalf("NewID(%v): %v", tm, err)
		}
		if !submission.ValidID(id) {
			t.Fatalf("NewID(%v) = %q is not a valid id", tm, id)
		}
		pairs = append(pairs, pair{tm, id})
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].id < pairs[j].id })
	for i := 1; i < len(pairs); i++ {
		if pairs[i].t.Before(pairs[i-1].t) {
			t.Fatalf("id %s (%v) sorts after %s (%v)", pairs[i].id, pairs[i].t, pairs[i-1].id, pairs[i-1].t)
		}
	}
}

func TestNewIDRandomPart(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id, err := submission.NewID(t0, nil) // crypto/rand
		if err != nil {
			t.Fatal(err)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %s within a millisecond", id)
		}
		seen[id] = true
	}
	a, _ := submission.NewID(t0, newDetReader("x"))
	b, _ := submission.NewID(t0, newDetReader("x"))
	if a != b {
		t.Errorf("NewID with the same reader: %s and %s", a, b)
	}
	// 80 random bits: the last 16 characters come from the reader alone.
	c, _ := submission.NewID(t0.Add(time.Hour), newDetReader("x"))
	if a[10:] != c[10:] || a[:10] == c[:10] {
		t.Errorf("time and random parts are mixed: %s, %s", a, c)
	}
}

func TestNewIDKnownAnswers(t *testing.T) {
	// The ULID layout: 48-bit big-endian milliseconds, then the random
	// bytes, in Crockford base32.
	zero := strings.NewReader(string(make([]byte, 10)))
	id, err := submission.NewID(time.UnixMilli(0), zero)
	if err != nil || id != strings.Repeat("0", 26) {
		t.Errorf("NewID(0, zeros) = %q, %v", id, err)
	}
	ones := strings.NewReader(strings.Repeat("\xff", 10))
	id, err = submission.NewID(time.UnixMilli(1<<48-1), ones)
	if err != nil || id != "7"+strings.Repeat("Z", 25) {
		t.Errorf("NewID(max, ones) = %q, %v", id, err)
	}
	// 1469918176385 ms is the example of the ULID specification: 01ARYZ6S41.
	id, err = submission.NewID(time.UnixMilli(1469918176385), strings.NewReader(string(make([]byte, 10))))
	if err != nil || id[:10] != "01ARYZ6S41" {
		t.Errorf("NewID(1469918176385) = %q, %v", id, err)
	}
}

func TestNewIDErrors(t *testing.T) {
	for _, tm := range []time.Time{
		time.UnixMilli(-1),
		time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC),
		time.UnixMilli(1 << 48),
		time.Date(10900, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if id, err := submission.NewID(tm, nil); err == nil {
			t.Errorf("NewID(%v) = %q, want an error", tm, id)
		}
	}
	failing := errors.New("no entropy")
	if _, err := submission.NewID(t0, errReader{failing}); !errors.Is(err, failing) {
		t.Errorf("NewID with a failing reader: %v", err)
	}
	if _, err := submission.NewID(t0, strings.NewReader("123456789")); err == nil {
		t.Error("NewID accepted 9 random bytes")
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestIDTimeRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		tm := time.UnixMilli(rnd.Int64N(1 << 48))
		id, err := submission.NewID(tm, newDetReader("t"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := submission.IDTime(id)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(tm) || got.Location() != time.UTC {
			t.Fatalf("IDTime(NewID(%v)) = %v", tm, got)
		}
	}
	// Sub-millisecond precision is dropped, not rounded.
	tm := time.Date(2025, 7, 1, 0, 0, 0, 999_999_999, time.UTC)
	id, _ := submission.NewID(tm, nil)
	if got, _ := submission.IDTime(id); !got.Equal(tm.Truncate(time.Millisecond)) {
		t.Errorf("IDTime = %v, want %v", got, tm.Truncate(time.Millisecond))
	}
}

func TestValidID(t *testing.T) {
	good := fixedID(t, "valid")
	for _, s := range []string{good, strings.Repeat("0", 26), "7" + strings.Repeat("Z", 25), "01ARYZ6S41TSV4RRFFQ69G5FAV"} {
		if !submission.ValidID(s) {
			t.Errorf("ValidID(%q) = false", s)
		}
		if _, err := submission.IDTime(s); err != nil {
			t.Errorf("IDTime(%q): %v", s, err)
		}
	}
	for _, s := range []string{
		"", good[:25], good + "0", strings.ToLower(good),
		"8" + good[1:],                   // past the 48-bit time
		good[:25] + "I", good[:25] + "L", // Crockford has no I, L, O, U
		good[:25] + "O", good[:25] + "U",
		good + "\n", " " + good[1:], good[:25] + "\x00",
		good[:24] + "Ｚ", // fullwidth Z
		good[:13] + "/" + good[14:], good[:13] + "." + good[14:],
	} {
		if submission.ValidID(s) {
			t.Errorf("ValidID(%q) = true", s)
		}
		if _, err := submission.IDTime(s); err == nil {
			t.Errorf("IDTime(%q) accepted", s)
		}
	}
	ids := []string{}
	for i := range 5 {
		id, _ := submission.NewID(t0.Add(time.Duration(i)*time.Millisecond), nil)
		ids = append(ids, id)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("ids of successive milliseconds are not sorted: %v", ids)
	}
}
