package main

import (
	"context"
	"time"

	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
)

// Phases splits a report.Run by the store calls it makes. What is not a
// store call (linking both scopes, the tables, the digests) is Link.
// Records are decoded on every processor while the rows are read: the
// callback hands them over (Decode) and waits when the decoders are
// behind; the last batches finish after the reading, within Link.
type Phases struct {
	InForce  float64 `json:"in_force_s"`
	Read     float64 `json:"read_s"`     // SQLite rows of the inputs' records
	Decode   float64 `json:"decode_s"`   // report's callback: records handed to the decoding workers, waiting while they are behind
	Previous float64 `json:"previous_s"` // the previous version's assignments, both scopes
	Link     float64 `json:"link_s"`     // the rest of Run: merge.Link twice, tables, digests
	Store    float64 `json:"store_s"`    // AddMerge: the version and every assignment, one transaction
}

// timedStore is the store that report.Run sees: it times each call and,
// within InputRecords, the caller's decoding apart from SQLite's reading.
type timedStore struct {
	st                                     *store.Store
	inForce, read, decode, previous, write time.Duration
	assignments                            int
}

var _ report.Store = (*timedStore)(nil)

func (t *timedStore) InForce(ctx context.Context, datasets ...string) ([]store.Input, error) {
	defer since(&t.inForce, time.Now())
	return t.st.InForce(ctx, datasets...)
}

func (t *timedStore) InputRecords(ctx context.Context, inputs []store.Input, fn func(store.Input, store.Record) error) error {
	start := time.Now()
	var inFn time.Duration
	err := t.st.InputRecords(ctx, inputs, func(in store.Input, r store.Record) error {
		defer since(&inFn, time.Now())
		return fn(in, r)
	})
	t.decode += inFn
	t.read += time.Since(start) - inFn
	return err
}

func (t *timedStore) AddMerge(ctx context.Context, m *store.Merge, next func() (store.Assignment, bool)) error {
	defer since(&t.write, time.Now())
	return t.st.AddMerge(ctx, m, func() (store.Assignment, bool) {
		a, ok := next()
		if ok {
			t.assignments++
		}
		return a, ok
	})
}

func (t *timedStore) GetMerge(ctx context.Context, version int64) (*store.Merge, error) {
	defer since(&t.inForce, time.Now()) // one row: counted with the choice of inputs
	return t.st.GetMerge(ctx, version)
}

func (t *timedStore) Assignments(ctx context.Context, version int64, scope string, fn func(store.Assignment) error) error {
	defer since(&t.previous, time.Now())
	return t.st.Assignments(ctx, version, scope, fn)
}

// phases splits a Run of the total given.
func (t *timedStore) phases(total time.Duration) Phases {
	link := total - t.inForce - t.read - t.decode - t.previous - t.write
	return Phases{InForce: t.inForce.Seconds(), Read: t.read.Seconds(), Decode: t.decode.Seconds(),
		Previous: t.previous.Seconds(), Link: link.Seconds(), Store: t.write.Seconds()}
}

func since(d *time.Duration, start time.Time) { *d += time.Since(start) }
