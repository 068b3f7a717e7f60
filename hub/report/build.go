package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission/schema"
)

// built is one merge made in memory, before it is stored.
type built struct {
	refs    []merge.RecordRef // of the victims records, as linked
	assign  []scopeAssignments
	persons map[string]int
	summary json.RawMessage
	tables  json.RawMessage
	digest  string
}

// scopeAssignments are one scope's record-to-person assignments, in
// RecordRef order: indices into built.refs and person ids (20 bytes a
// record, where a store.Assignment takes 72).
type scopeAssignments struct {
	scope  string
	record []int32
	person []string
}

// inputData is what the inputs hold, decoded.
type inputData struct {
	victims     []merge.Record
	classOf     []string // classification of victims[i]'s submission
	proceedings []countRecord[schema.Proceeding]
	controls    []countRecord[schema.Control]
}

// countRecord is a proceedings or controls record with where it came
// from.
type countRecord[T any] struct {
	period, source, class string
	rec                   T
}

func build(ctx context.Context, cfg Config, inputs []store.Input, prev int64) (*built, error) {
	data, err := load(ctx, cfg, inputs)
	if err != nil {
		return nil, err
	}
	b := &built{persons: map[string]int{}}
	tables := Tables{}
	sum := Summary{Scopes: map[string]ScopeSummary{}}
	h := sha256.New()
	// Standard records first: each scope's records are then a prefix of
	// one slice, not a copy (Link leaves its records as they are).
	nStd := partitionStandard(data)
	for _, scope := range Scopes {
		recs := data.victims
		if scope == ScopeStandard {
			recs = data.victims[:nStd]
		}
		link := cfg.Link
		link.Salt = cfg.Salt
		if prev > 0 {
			if link.Previous, err = previous(ctx, cfg.Store, prev, scope); err != nil {
				return nil, err
			}
		}
		res, err := merge.Link(recs, link)
		if err != nil {
			return nil, fmt.Errorf("merge, scope %s: %w", scope, err)
		}
		b.persons[scope] = len(res.Persons())
		ts := merge.ReportTables(res)
		ts = append(ts, proceedingsTables(data.proceedings, scope)...)
		ts = append(ts, controlsTables(data.controls, scope)...)
		tables[scope] = ts
		sum.Scopes[scope] = ScopeSummary{
			Inputs: countInputs(inputs, scope), Records: len(recs), Persons: len(res.Persons()),
			Link: res.Stats(), Retired: res.Retired(), BySource: bySource(res),
		}
		var line []byte
		for _, p := range res.Persons() {
			for _, i := range p.Records {
				line = appendDigestLine(line[:0], scope, res.Records()[i].Ref, p.ID)
				h.Write(line)
			}
		}
		a := scopeAssignments{scope: scope, record: make([]int32, 0, len(recs)), person: make([]string, 0, len(recs))}
		for i, id := range res.InOrder() {
			a.record = append(a.record, int32(i))
			a.person = append(a.person, id)
		}
		b.assign = append(b.assign, a)
	}
	// Only the references are kept until the version is stored, not the
	// records.
	b.refs = make([]merge.RecordRef, len(data.victims))
	for i := range data.victims {
		b.refs[i] = data.victims[i].Ref
	}
	// The store keeps the assignments by scope, then in record order.
	slices.SortFunc(b.assign, func(x, y scopeAssignments) int { return cmp.Compare(x.scope, y.scope) })
	if b.tables, err = json.Marshal(tables); err != nil {
		return nil, err
	}
	if b.summary, err = json.Marshal(sum); err != nil {
		return nil, err
	}
	h.Write(b.tables)
	b.digest = hex.EncodeToString(h.Sum(nil))
	return b, nil
}

// inScope says whether data of a classification belong to a scope.
func inScope(scope, class string) bool {
	return scope == ScopeRestricted || class == ScopeStandard
}

func countInputs(inputs []store.Input, scope string) int {
	n := 0
	for _, in := range inputs {
		if inScope(scope, in.Classification) {
			n++
		}
	}
	return n
}

// load reads and decodes the records of the inputs: the store's rows are
// read in one goroutine and the victims records decoded in batches on
// every processor, each into its place.
func load(ctx context.Context, cfg Config, inputs []store.Input) (*inputData, error) {
	var d inputData
	n := 0
	for _, in := range inputs {
		if in.Dataset == Victims {
			n += int(in.Records)
		}
	}
	d.victims = make([]merge.Record, 0, n)
	d.classOf = make([]string, 0, n)
	dec := newDecoders(&d)
	err := cfg.Store.InputRecords(ctx, inputs, func(in store.Input, r store.Record) error {
		src := cfg.category(in.Partner)
		switch in.Dataset {
		case Victims:
			if len(d.victims) == cap(d.victims) {
				// The decoders write into the slice: it must not move.
				return fmt.Errorf("the submissions in force hold more victims records than they declare (%d), at %s/%s", cap(d.victims), in.Partner, in.Submission)
			}
			d.victims = append(d.victims, merge.Record{
				Ref:      merge.RecordRef{Partner: r.Partner, Submission: r.Submission, N: r.N},
				Category: src, Period: in.Period,
			})
			d.classOf = append(d.classOf, in.Classification)
			return dec.add(r.Data)
		case Proceedings:
			var p schema.Proceeding
			if err := json.Unmarshal([]byte(r.Data), &p); err != nil {
				return fmt.Errorf("record %d: %w", r.N, err)
			}
			d.proceedings = append(d.proceedings, countRecord[schema.Proceeding]{in.Period, src, in.Classification, p})
		case Controls:
			var c schema.Control
			if err := json.Unmarshal([]byte(r.Data), &c); err != nil {
				return fmt.Errorf("record %d: %w", r.N, err)
			}
			d.controls = append(d.controls, countRecord[schema.Control]{in.Period, src, in.Classification, c})
		}
		return nil
	})
	if derr := dec.close(); err == nil {
		err = derr
	}
	return &d, err
}

// decoders decode victims records on every processor. A batch holds the
// stored text of consecutive records and the part of d.victims that
// already holds their places: each worker writes into its batch's part
// only, and the slice never moves (load gives it its capacity).
type decoders struct {
	d     *inputData
	batch []string
	first int
	work  chan decodeBatch
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
	errAt int // the index of the record err is about
}

type decodeBatch struct {
	first int
	recs  []merge.Record
	data  []string
}

const decodeBatchSize = 1024

func newDecoders(d *inputData) *decoders {
	dec := &decoders{d: d, work: make(chan decodeBatch, runtime.GOMAXPROCS(0))}
	for range runtime.GOMAXPROCS(0) {
		dec.wg.Go(func() {
			t := newInterner()
			for b := range dec.work {
				for i, data := range b.data {
					v, err := decodeVictim([]byte(data), t)
					if err != nil {
						dec.fail(b.first+i, fmt.Errorf("record %s: %w", b.recs[i].Ref, err))
						continue
					}
					b.recs[i].Victim = v
				}
			}
		})
	}
	return dec
}

// add queues the text of the record last appended to d.victims.
func (dec *decoders) add(data string) error {
	if err := dec.failed(); err != nil {
		return err
	}
	dec.batch = append(dec.batch, data)
	if len(dec.batch) == decodeBatchSize {
		dec.flush()
	}
	return nil
}

func (dec *decoders) flush() {
	if len(dec.batch) > 0 {
		end := dec.first + len(dec.batch)
		dec.work <- decodeBatch{dec.first, dec.d.victims[dec.first:end:end], dec.batch}
		dec.first = end
		dec.batch = make([]string, 0, decodeBatchSize)
	}
}

// close decodes what is queued and returns the error of the earliest
// record that failed, if any: batches are queued in order, so that is
// the same record in every run.
func (dec *decoders) close() error {
	dec.flush()
	close(dec.work)
	dec.wg.Wait()
	return dec.failed()
}

func (dec *decoders) fail(at int, err error) {
	dec.mu.Lock()
	defer dec.mu.Unlock()
	if dec.err == nil || at < dec.errAt {
		dec.err, dec.errAt = err, at
	}
}

func (dec *decoders) failed() error {
	dec.mu.Lock()
	defer dec.mu.Unlock()
	return dec.err
}

// previous reads a version's assignments of one scope.
func previous(ctx context.Context, st Store, version int64, scope string) (*merge.Assignments, error) {
	m := &merge.Assignments{}
	err := st.Assignments(ctx, version, scope, func(a store.Assignment) error {
		m.Set(merge.RecordRef{Partner: a.Partner, Submission: a.Submission, N: a.N}, a.Person)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assignments of merge version %d: %w", version, err)
	}
	return m, nil
}

// bySource counts each category's records and distinct persons.
func bySource(res *merge.Result) []SourceCount {
	recs := res.Records()
	counts := map[string]*SourceCount{}
	var seen []string // the categories of one person's records
	for _, p := range res.Persons() {
		seen = seen[:0]
		for _, i := range p.Records {
			cat := recs[i].Category
			c := counts[cat]
			if c == nil {
				c = &SourceCount{Source: cat}
				counts[cat] = c
			}
			c.Records++
			if !slices.Contains(seen, cat) {
				seen = append(seen, cat)
				c.Persons++
			}
		}
	}
	out := make([]SourceCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b SourceCount) int { return strings.Compare(a.Source, b.Source) })
	return out
}

// assignments yields every scope's record-to-person assignments, by
// scope and then in record order.
func (b *built) assignments() func() (store.Assignment, bool) {
	s, i := 0, 0
	return func() (store.Assignment, bool) {
		for s < len(b.assign) && i >= len(b.assign[s].record) {
			s, i = s+1, 0
		}
		if s >= len(b.assign) {
			return store.Assignment{}, false
		}
		a := b.assign[s]
		ref := b.refs[a.record[i]]
		i++
		return store.Assignment{Scope: a.scope, Partner: ref.Partner, Submission: ref.Submission, N: ref.N, Person: a.person[i-1]}, true
	}
}

// partitionStandard moves the victims records of standard submissions
// before the others, keeping their order, and returns how many there are.
func partitionStandard(d *inputData) int {
	var other []merge.Record
	n := 0
	for i, r := range d.victims {
		if d.classOf[i] == ScopeStandard {
			d.victims[n] = r
			n++
		} else {
			other = append(other, r)
		}
	}
	copy(d.victims[n:], other)
	d.classOf = nil
	return n
}
