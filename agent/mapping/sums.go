package mapping

import (
	"fmt"
)

// sums adds up the counts of records that are otherwise the same, for
// sum_duplicates. It keeps one record per distinct combination.
type sums struct {
	c      *compiled
	fields []int // the count fields' indexes
	order  []string
	byKey  map[string]*sumEntry
}

type sumEntry struct {
	rec  *record
	row  int // the first row of the combination
	sums []int
}

func newSums(c *compiled) *sums {
	s := &sums{c: c, byKey: map[string]*sumEntry{}}
	for _, name := range c.counts {
		s.fields = append(s.fields, c.fieldIdx[name])
	}
	return s
}

func (s *sums) add(rec *record, row int) error {
	counts := make([]int, len(s.fields))
	for i, f := range s.fields {
		counts[i] = int(rec.v.Field(f).Int())
		rec.v.Field(f).SetInt(0)
	}
	b, err := rec.marshal()
	if err != nil {
		return err
	}
	key := string(b)
	if e, ok := s.byKey[key]; ok {
		for i, n := range counts {
			e.sums[i] += n
		}
		return nil
	}
	if len(s.byKey) >= MaxSums {
		return &stopError{row: row, reason: fmt.Sprintf("more than %d distinct records to add up (sum_duplicates); map the file without sum_duplicates", MaxSums)}
	}
	s.byKey[key] = &sumEntry{rec: rec, row: row, sums: counts}
	s.order = append(s.order, key)
	return nil
}

// flush validates and emits the summed records, in the order of their
// first rows.
func (s *sums) flush(r *runner) error {
	for _, key := range s.order {
		e := s.byKey[key]
		for i, f := range s.fields {
			e.rec.v.Field(f).SetInt(int64(e.sums[i]))
		}
		if err := e.rec.validate(); err != nil {
			for _, p := range fieldProblems(s.c, err) {
				p.Row = e.row
				r.problem(p)
			}
			continue
		}
		b, err := e.rec.marshal()
		if err != nil {
			return err
		}
		r.res.Records++
		if err := r.emit(b); err != nil {
			return err
		}
	}
	return nil
}
