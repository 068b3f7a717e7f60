package audit

import (
	"errors"
	"os"
	"slices"
	"testing"
	"time"
)

// listAll follows cursors to the end, limit entries a page.
func listAll(t *testing.T, l *Log, f Filter, limit int) []uint64 {
	t.Helper()
	var seqs []uint64
	p := Page{Limit: limit}
	for pages := 0; ; pages++ {
		res, err := l.List(f, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Entries) > max(limit, 0) && limit > 0 {
			t.Fatalf("page of %d entries, limit %d", len(res.Entries), limit)
		}
		for _, e := range res.Entries {
			seqs = append(seqs, e.Seq)
		}
		if res.Next == "" {
			return seqs
		}
		if pages > 100 {
			t.Fatal("cursors do not end")
		}
		p.Cursor = res.Next
	}
}

func TestListFiltersAndPages(t *testing.T) {
	l, _ := openTest(t)
	entries := appendN(t, l, 30)
	want := func(keep func(Entry) bool) []uint64 {
		var out []uint64
		for _, e := range entries {
			if keep(e) {
				out = append(out, e.Seq)
			}
		}
		return out
	}
	since, until := entries[5].Time, entries[20].Time
	cases := map[string]struct {
		f    Filter
		keep func(Entry) bool
	}{
		"all":      {Filter{}, func(Entry) bool { return true }},
		"action":   {Filter{Action: ActionExport}, func(e Entry) bool { return e.Action == ActionExport }},
		"kind":     {Filter{Kind: KindAuditor}, func(e Entry) bool { return e.Actor.Kind == KindAuditor }},
		"subject":  {Filter{Subject: "user-2"}, func(e Entry) bool { return e.Actor.Subject == "user-2" }},
		"decision": {Filter{Decision: Deny}, func(e Entry) bool { return e.Decision == Deny }},
		"time range": {Filter{Since: since, Until: until}, func(e Entry) bool {
			return e.Seq >= 6 && e.Seq < 21
		}},
		"combined": {Filter{Since: since, Subject: "user-0", Decision: Allow}, func(e Entry) bool {
			return e.Seq >= 6 && e.Actor.Subject == "user-0" && e.Decision == Allow
		}},
		"nothing": {Filter{Action: ActionPolicyChange}, func(Entry) bool { return false }},
	}
	for name, c := range cases {
		for _, limit := range []int{1, 4, 0} {
			got := listAll(t, l, c.f, limit)
			if w := want(c.keep); !slices.Equal(got, w) {
				t.Errorf("%s, limit %d: got %v, want %v", name, limit, got, w)
			}
		}
	}
	res, err := l.List(Filter{}, Page{Limit: MaxLimit + 1})
	if err != nil || len(res.Entries) != 30 || res.Entries[29].Hash != entries[29].Hash {
		t.Fatalf("List: %d entries, %v", len(res.Entries), err)
	}
}

func TestListCursorFollowsNewEntries(t *testing.T) {
	l, _ := openTest(t)
	appendN(t, l, 4)
	res, err := l.List(Filter{}, Page{Limit: 4})
	if err != nil || len(res.Entries) != 4 || res.Next == "" {
		t.Fatalf("first page: %+v, %v", res, err)
	}
	appendN(t, l, 2)
	res, err = l.List(Filter{}, Page{Cursor: res.Next})
	if err != nil || len(res.Entries) != 2 || res.Entries[0].Seq != 5 || res.Next != "" {
		t.Fatalf("second page: %+v, %v", res, err)
	}
}

func TestListRefusesBadCursors(t *testing.T) {
	l, _ := openTest(t)
	appendN(t, l, 5)
	first, err := l.List(Filter{}, Page{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, off, _ := decodeCursor(first.Next)
	for name, cursor := range map[string]string{
		"not base64":      "!!",
		"short":           "AAAA",
		"padded":          first.Next + "=",
		"mid-line":        encodeCursor(2, off+3),
		"wrong seq":       encodeCursor(3, off),
		"beyond the end":  encodeCursor(2, 1<<40),
		"negative offset": encodeCursor(2, -1),
	} {
		if _, err := l.List(Filter{}, Page{Cursor: cursor}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("%s: List gave %v, want ErrBadCursor", name, err)
		}
	}
}

func TestListDetectsTampering(t *testing.T) {
	l, path := openTest(t)
	appendN(t, l, 5)
	// Someone else changes the file while the hub runs.
	b := readFile(t, path)
	ls := lines(b)
	off := len(ls[0]) + len(ls[1]) + len(`{"v":1,"seq":3,"time":"`)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("1"), int64(off)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = l.List(Filter{Since: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}, Page{})
	var te *TamperError
	if !errors.As(err, &te) || te.Seq != 3 || te.Problem != ProblemHash {
		t.Fatalf("List over a changed entry: %v", err)
	}
}
