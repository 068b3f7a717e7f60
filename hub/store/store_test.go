package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/store"
)

var t0 = time.Date(2025, 4, 2, 10, 0, 0, 0, time.UTC)

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return openStore(t, filepath.Join(t.TempDir(), "hub.db"))
}

// newSub returns an accepted standard submission of victims in 2025-Q1.
func newSub(partner, id string, seq uint64) *store.Submission {
	return &store.Submission{
		Partner: partner, ID: id, Sequence: seq,
		ManifestHash: "hash-" + id, Manifest: []byte("manifest of " + id), KeyID: "kid-1",
		Dataset: "victims", Period: "2025-Q1", Schema: "victims/1", Classification: "standard",
		Created: t0, Status: "accepted", Decided: t0.Add(time.Duration(seq) * time.Minute),
	}
}

// commit decides sub with records {"i":1}, {"i":2}, ...
func commit(t *testing.T, st *store.Store, sub *store.Submission, records int) error {
	t.Helper()
	ctx := context.Background()
	sub.Records = int64(records)
	tx, err := st.Begin(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := 1; i <= records; i++ {
		if err := tx.AddRecord(ctx, int64(i), fmt.Appendf(nil, `{"i":%d}`, i)); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

func mustCommit(t *testing.T, st *store.Store, sub *store.Submission, records int) {
	t.Helper()
	if err := commit(t, st, sub, records); err != nil {
		t.Fatal(err)
	}
}

// records lists the exportable records of victims in period as
// "partner/submission/n data".
func records(t *testing.T, st *store.Store, period string) []string {
	t.Helper()
	var out []string
	err := st.Records(context.Background(), "victims", period, func(r store.Record) error {
		out = append(out, fmt.Sprintf("%s/%s/%d %s", r.Partner, r.Submission, r.N, r.Data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCommit(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	if head, err := st.ChainHead(ctx, "ngo-a"); err != nil || head != (store.Chain{}) {
		t.Fatalf("chain head before the first submission: %+v, %v", head, err)
	}
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 2)
	mustCommit(t, st, newSub("ngo-a", "A2", 2), 1)

	if head, err := st.ChainHead(ctx, "ngo-a"); err != nil || head != (store.Chain{Sequence: 2, Hash: "hash-A2"}) {
		t.Fatalf("chain head %+v, %v", head, err)
	}
	got, err := st.Submission(ctx, "ngo-a", "A1")
	if err != nil {
		t.Fatal(err)
	}
	want := newSub("ngo-a", "A1", 1)
	want.Records = 2
	if got.Partner != want.Partner || got.Sequence != 1 || string(got.Manifest) != string(want.Manifest) ||
		!got.Created.Equal(t0) || !got.Decided.Equal(want.Decided) || got.Records != 2 || got.Settled {
		t.Fatalf("submission %+v", got)
	}
	if _, err := st.Submission(ctx, "ngo-a", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing submission: %v", err)
	}
	// A2 supersedes A1 for the same dataset and period: only its
	// records are in force.
	if got, want := records(t, st, "2025-Q1"), []string{`ngo-a/A2/1 {"i":1}`}; !slices.Equal(got, want) {
		t.Fatalf("records %q, want %q", got, want)
	}
	if n, err := st.CountRecords(ctx); err != nil || n["ngo-a"] != 3 || len(n) != 1 {
		t.Fatalf("count %v, %v", n, err)
	}
}

func TestRollback(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	sub := newSub("ngo-a", "A1", 1)
	tx, err := st.Begin(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AddRecord(ctx, 1, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	tx.Rollback() // twice does nothing
	if err := tx.Commit(ctx); err == nil {
		t.Fatal("commit after rollback succeeded")
	}
	if _, err := st.Submission(ctx, "ngo-a", "A1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rolled back submission: %v", err)
	}
	if head, _ := st.ChainHead(ctx, "ngo-a"); head != (store.Chain{}) {
		t.Fatalf("chain moved to %+v", head)
	}
	if got := records(t, st, "2025-Q1"); len(got) != 0 {
		t.Fatalf("records %q", got)
	}

	// The writer is free again, and Rollback after Commit does nothing.
	tx, err = st.Begin(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if err := tx.Commit(ctx); err == nil {
		t.Fatal("second commit succeeded")
	}
	if _, err := st.Submission(ctx, "ngo-a", "A1"); err != nil {
		t.Fatal(err)
	}
}

// A rejected submission is recorded and moves the chain, but its staged
// records are dropped.
func TestRejectedDropsRecords(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	sub := newSub("police-b", "B1", 1)
	sub.Status, sub.Reason, sub.Detail = "rejected", "schema", "record 1"
	mustCommit(t, st, sub, 2)
	got, err := st.Submission(ctx, "police-b", "B1")
	if err != nil || got.Status != "rejected" || got.Reason != "schema" {
		t.Fatalf("submission %+v, %v", got, err)
	}
	if head, _ := st.ChainHead(ctx, "police-b"); head.Sequence != 1 {
		t.Fatalf("chain head %+v", head)
	}
	if got := records(t, st, "2025-Q1"); len(got) != 0 {
		t.Fatalf("records %q", got)
	}
	if n, _ := st.CountRecords(ctx); len(n) != 0 {
		t.Fatalf("count %v", n)
	}
}

// A second submission with a partner's sequence number, or id, is
// refused whole: the chain stays, no record of it lands.
func TestDuplicateRefused(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 1)
	for _, sub := range []*store.Submission{
		newSub("ngo-a", "A1-replay", 1), // same sequence number
		newSub("ngo-a", "A1", 2),        // same id
	} {
		sub.Period = "2025-Q2"
		if err := commit(t, st, sub, 2); err == nil {
			t.Fatalf("%s seq %d committed twice", sub.ID, sub.Sequence)
		}
	}
	if head, _ := st.ChainHead(ctx, "ngo-a"); head != (store.Chain{Sequence: 1, Hash: "hash-A1"}) {
		t.Fatalf("chain head %+v", head)
	}
	if _, err := st.Submission(ctx, "ngo-a", "A1-replay"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("replayed submission: %v", err)
	}
	if got := records(t, st, "2025-Q2"); len(got) != 0 {
		t.Fatalf("records of refused submissions: %q", got)
	}
	// Another partner may use the same sequence number.
	mustCommit(t, st, newSub("ngo-b", "B1", 1), 1)
}

func TestSettled(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 0)
	mustCommit(t, st, newSub("ngo-a", "A2", 2), 0)
	if err := st.MarkSettled(ctx, "ngo-a", "A1"); err != nil {
		t.Fatal(err)
	}
	subs, err := st.Submissions(ctx, store.Filter{Unsettled: true})
	if err != nil || len(subs) != 1 || subs[0].ID != "A2" {
		t.Fatalf("unsettled %+v, %v", subs, err)
	}
	if got, _ := st.Submission(ctx, "ngo-a", "A1"); !got.Settled {
		t.Fatal("A1 not settled")
	}
	subs, _ = st.Submissions(ctx, store.Filter{})
	if len(subs) != 2 {
		t.Fatalf("all %+v", subs)
	}
}

func TestSubmissionsPage(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	for i := range 5 {
		sub := newSub("ngo-a", fmt.Sprintf("A%d", i+1), uint64(i+1))
		if i%2 == 1 {
			sub.Status = "rejected"
		}
		mustCommit(t, st, sub, 0)
	}
	mustCommit(t, st, newSub("ngo-b", "B1", 1), 0) // decided with A1: partner breaks the tie

	var ids []string
	p := store.Page{Limit: 2}
	for pages := 0; ; pages++ {
		subs, next, err := st.SubmissionsPage(ctx, store.Filter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(subs) > 2 || pages > 3 {
			t.Fatalf("page %d: %d submissions", pages, len(subs))
		}
		for _, s := range subs {
			ids = append(ids, s.ID)
		}
		if next == "" {
			break
		}
		p.After = next
	}
	if want := []string{"A1", "B1", "A2", "A3", "A4", "A5"}; !slices.Equal(ids, want) {
		t.Fatalf("pages gave %v, want %v", ids, want)
	}

	subs, next, err := st.SubmissionsPage(ctx, store.Filter{Status: "accepted"}, store.Page{Limit: 2, After: "ngo-a/A1"})
	if err != nil || next != "ngo-a/A3" || len(subs) != 2 || subs[0].ID != "B1" || subs[1].ID != "A3" {
		t.Fatalf("accepted after A1: %+v, %q, %v", subs, next, err)
	}
	if subs, next, err := st.SubmissionsPage(ctx, store.Filter{}, store.Page{Limit: 6}); err != nil || next != "" || len(subs) != 6 {
		t.Fatalf("exactly one full page: %d, %q, %v", len(subs), next, err)
	}
	for _, bad := range []string{"ngo-a", "ngo-a/", "/A1", "ngo-a/A9", "ngo-c/A1", "ngo-a/A1' OR 1=1--"} {
		if _, _, err := st.SubmissionsPage(ctx, store.Filter{}, store.Page{After: bad}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
	if _, _, err := st.SubmissionsPage(ctx, store.Filter{}, store.Page{Limit: -1}); err == nil {
		t.Error("negative limit accepted")
	}
}

func TestQuarantine(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	for i := range 3 {
		q := &store.Quarantined{Object: fmt.Sprintf("inbox/ngo-a/bad-%d", i), Partner: "ngo-a", Submission: "A1",
			ManifestHash: "h", Reason: "signature", Detail: "does not verify", At: t0.Add(time.Duration(i) * time.Second)}
		if err := st.AddQuarantine(ctx, q); err != nil {
			t.Fatal(err)
		}
		if q.N != int64(i+1) {
			t.Fatalf("row %d numbered %d", i, q.N)
		}
	}
	if ok, err := st.HasQuarantine(ctx, "inbox/ngo-a/bad-1"); !ok || err != nil {
		t.Fatalf("HasQuarantine: %v, %v", ok, err)
	}
	if ok, err := st.HasQuarantine(ctx, "inbox/ngo-a/other"); ok || err != nil {
		t.Fatalf("HasQuarantine of another object: %v, %v", ok, err)
	}
	if err := st.MarkQuarantineSettled(ctx, 2); err != nil {
		t.Fatal(err)
	}
	qs, err := st.Quarantine(ctx, false)
	if err != nil || len(qs) != 3 || !qs[1].Settled || qs[0].Settled || !qs[2].At.Equal(t0.Add(2*time.Second)) || qs[0].Reason != "signature" {
		t.Fatalf("quarantine %+v, %v", qs, err)
	}
	qs, err = st.Quarantine(ctx, true)
	if err != nil || len(qs) != 2 || qs[0].N != 1 || qs[1].N != 3 {
		t.Fatalf("unsettled %+v, %v", qs, err)
	}

	qs, next, err := st.QuarantinePage(ctx, false, store.Page{Limit: 2})
	if err != nil || len(qs) != 2 || next != "2" {
		t.Fatalf("first page %+v, %q, %v", qs, next, err)
	}
	qs, next, err = st.QuarantinePage(ctx, true, store.Page{Limit: 2, After: next})
	if err != nil || len(qs) != 1 || qs[0].N != 3 || next != "" {
		t.Fatalf("second unsettled page %+v, %q, %v", qs, next, err)
	}
	for _, bad := range []string{"x", "-1", "+1", "01", "1.0", " 1"} {
		if _, _, err := st.QuarantinePage(ctx, false, store.Page{After: bad}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
}

// Records carry their submission's classification for the reader's
// policy; a classification the intake never accepts yields nothing.
func TestRecordsClassified(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 1)
	for _, class := range []string{"restricted", "Standard", ""} {
		sub := newSub("embassy-c", "C-"+class, uint64(len(class)+1))
		sub.Classification = class
		mustCommit(t, st, sub, 2)
	}
	var got []string
	err := st.Records(ctx, "victims", "2025-Q1", func(r store.Record) error {
		got = append(got, r.Partner+"/"+r.Submission+"/"+r.Classification)
		return nil
	})
	want := []string{"embassy-c/C-restricted/restricted", "embassy-c/C-restricted/restricted", "ngo-a/A1/standard"}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("records %q, %v; want %q", got, err, want)
	}
	if n, _ := st.CountRecords(ctx); n["embassy-c"] != 6 || n["ngo-a"] != 1 {
		t.Fatalf("count %v", n)
	}
}

// A slow client reading an export holds no lock the intake needs: while
// an export is stopped halfway, another submission is decided.
func TestExportDoesNotBlockIntake(t *testing.T) {
	st := newStore(t)
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 3)

	reading, release := make(chan struct{}), make(chan struct{})
	exported := make(chan []int64, 1)
	go func() {
		var ns []int64
		err := st.Records(context.Background(), "victims", "2025-Q1", func(r store.Record) error {
			if r.N == 2 {
				close(reading)
				<-release
			}
			ns = append(ns, r.N)
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		exported <- ns
	}()
	<-reading

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sub := newSub("ngo-a", "A2", 2)
	tx, err := st.Begin(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	for n := int64(1); n <= 2; n++ {
		if err := tx.AddRecord(ctx, n, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("commit while an export is open: %v", err)
	}
	if err := st.MarkSettled(ctx, "ngo-a", "A2"); err != nil {
		t.Fatal(err)
	}
	if head, err := st.ChainHead(ctx, "ngo-a"); err != nil || head.Sequence != 2 {
		t.Fatalf("chain head %+v, %v", head, err)
	}
	if subs, err := st.Submissions(ctx, store.Filter{}); err != nil || len(subs) != 2 {
		t.Fatalf("listing while an export is open: %d, %v", len(subs), err)
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	close(release)
	// The export reads one snapshot: it ends as it began, without A2.
	if ns := <-exported; !slices.Equal(ns, []int64{1, 2, 3}) {
		t.Fatalf("export read %v", ns)
	}
	if got := records(t, st, "2025-Q1"); len(got) != 2 {
		t.Fatalf("after the export, A2 in force: %q", got)
	}
}

func TestClose(t *testing.T) {
	st := newStore(t)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if err := st.Ping(context.Background()); err == nil {
		t.Fatal("ping after close succeeded")
	}
}

// The state survives a reopening.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	mustCommit(t, st, newSub("ngo-a", "A1", 1), 2)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, path)
	if head, err := st.ChainHead(context.Background(), "ngo-a"); err != nil || head.Sequence != 1 {
		t.Fatalf("chain head after reopening %+v, %v", head, err)
	}
	if got := records(t, st, "2025-Q1"); len(got) != 2 {
		t.Fatalf("records after reopening %q", got)
	}
}

func TestOpenNoPath(t *testing.T) {
	if _, err := store.Open(context.Background(), ""); err == nil {
		t.Fatal("empty path accepted")
	}
	if _, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "missing", "hub.db")); err == nil {
		t.Fatal("missing directory accepted")
	}
}
