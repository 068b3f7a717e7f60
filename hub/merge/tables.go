package merge

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Dimensions of the report tables; the person dimensions are named as
// the schema's aggregate dimensions.
const (
	DimPeriod       = "period"
	DimSource       = "source" // the partner category
	DimSex          = "sex"
	DimAgeGroup     = "age_group"
	DimCitizenship  = "citizenship_group"
	DimExploitation = "exploitation"
	DimStatus       = "status"
)

// AllPeriods is the period of rows pooled over every period: at Czech
// scale a year's cells are mostly too small to publish.
const AllPeriods = "all"

// Errors of the tables.
var (
	// ErrDimension is returned for a dimension a table cannot be broken
	// down by.
	ErrDimension = errors.New("unknown table dimension")
	// ErrTooManySources is returned by Overlap for records of more than
	// 64 source categories.
	ErrTooManySources = errors.New("more than 64 source categories")
)

// Table is a report table: a count for each combination of the values
// of its dimensions.
type Table struct {
	Name string   `json:"name"`
	Dims []string `json:"dims"`
	Rows []Row    `json:"rows"`
}

// Row is one cell of a table: the values of its dimensions, in the order
// of Table.Dims, and the count.
type Row struct {
	Keys  []string `json:"keys"`
	Count int      `json:"count"`
}

// PersonDims returns the dimensions persons are counted by.
func PersonDims() []string {
	return []string{DimSex, DimAgeGroup, DimCitizenship, DimExploitation, DimStatus}
}

func dimIndex(dim string) (int, error) {
	if i := slices.Index(PersonDims(), dim); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("%w %q (want one of %s)", ErrDimension, dim, strings.Join(PersonDims(), ", "))
}

// census is every person's view in every scope, made once per Result
// and shared by its tables.
type census struct {
	periods []string // sorted, then AllPeriods
	cats    []string // source categories, sorted
	entries []entry
}

// entry is a person in one period (or AllPeriods): over all its records
// there (cat -1), or over one source category's.
type entry struct {
	period uint32
	cat    int32
	cats   uint64 // cat -1: the categories that reported the person
	v      view
}

func (r *Result) census() *census {
	r.censusOnce.Do(func() { r.cs = r.makeCensus() })
	return r.cs
}

func (r *Result) makeCensus() *census {
	periods, cats := map[string]bool{}, map[string]bool{}
	for i := range r.records {
		periods[r.records[i].Period] = true
		cats[r.records[i].Category] = true
	}
	c := &census{periods: append(slices.Sorted(maps.Keys(periods)), AllPeriods), cats: slices.Sorted(maps.Keys(cats))}
	pi, ci := rankOf(c.periods), rankOf(c.cats)
	var rs resolver
	var recs, mine []*Record
	scope := func(period string, recs []*Record) {
		p := uint32(pi[period])
		var mask uint64
		for i, rec := range recs {
			k := ci[rec.Category]
			if k < 64 {
				if mask&(1<<k) != 0 {
					continue
				}
				mask |= 1 << k
			} else if slices.ContainsFunc(recs[:i], func(o *Record) bool { return o.Category == rec.Category }) {
				continue
			}
			mine = mine[:0]
			for _, o := range recs[i:] {
				if o.Category == rec.Category {
					mine = append(mine, o)
				}
			}
			c.entries = append(c.entries, entry{period: p, cat: int32(k), v: rs.resolve(mine)})
		}
		c.entries = append(c.entries, entry{period: p, cat: -1, cats: mask, v: rs.resolve(recs)})
	}
	for _, person := range r.persons {
		recs = recs[:0]
		for _, i := range person.Records {
			recs = append(recs, &r.records[i])
		}
		earliestFirst(recs)
		for i := 0; i < len(recs); {
			j := i + 1
			for j < len(recs) && recs[j].Period == recs[i].Period {
				j++
			}
			scope(recs[i].Period, recs[i:j])
			i = j
		}
		scope(AllPeriods, recs)
	}
	return c
}

func rankOf(values []string) map[string]int {
	m := make(map[string]int, len(values))
	for i, v := range values {
		m[v] = i
	}
	return m
}

// PersonsBy counts distinct persons by period and one person dimension,
// each person once (see the rules in view.go for sources that disagree).
// The rows of a period add up to the persons with a record in it; every
// value of the dimension has a row, zero or not.
func PersonsBy(r *Result, dim string) (Table, error) {
	d, err := dimIndex(dim)
	if err != nil {
		return Table{}, err
	}
	c := r.census()
	values := allValues[d]
	counts := make([]int, len(c.periods)*len(values))
	for _, e := range c.entries {
		if e.cat < 0 {
			counts[int(e.period)*len(values)+int(e.v[d])]++
		}
	}
	t := Table{Name: "persons_by_" + dim, Dims: []string{DimPeriod, dim}}
	for p, period := range c.periods {
		for i, val := range values {
			t.Rows = append(t.Rows, Row{Keys: []string{period, val}, Count: counts[p*len(values)+i]})
		}
	}
	return t, nil
}

// ReportedBy counts, for each source category, the distinct persons it
// reported, by period and one person dimension, with the same rules
// applied to that category's records alone: what each kind of source
// says, without the double counting within it. A person reported by the
// police and by an NGO counts once in each; the rows of a period and
// category add up to the persons that category reported, which is its
// number of records when no source of the category reports a person
// twice.
func ReportedBy(r *Result, dim string) (Table, error) {
	d, err := dimIndex(dim)
	if err != nil {
		return Table{}, err
	}
	c := r.census()
	values := allValues[d]
	nc, nv := len(c.cats), len(values)
	counts := make([]int, len(c.periods)*nc*nv)
	for _, e := range c.entries {
		if e.cat >= 0 {
			counts[(int(e.period)*nc+int(e.cat))*nv+int(e.v[d])]++
		}
	}
	t := Table{Name: "reported_by_" + dim, Dims: []string{DimPeriod, DimSource, dim}}
	for p, period := range c.periods {
		for k, cat := range c.cats {
			for i, val := range values {
				t.Rows = append(t.Rows, Row{Keys: []string{period, cat, val}, Count: counts[(p*nc+k)*nv+i]})
			}
		}
	}
	return t, nil
}

// Overlap is the source-overlap table that multiple-systems estimation
// needs: how many persons each combination of source categories
// reported, by period and, unless dim is "", a person dimension as
// stratum. Each category is a dimension of its own with the value 1
// (reported the person) or 0, a capture history as Rcapture and
// similar software read them. Only combinations some person has are
// listed, more sources first: the persons no source reported are what
// the estimation estimates.
func Overlap(r *Result, dim string) (Table, error) {
	d := -1
	if dim != "" {
		var err error
		if d, err = dimIndex(dim); err != nil {
			return Table{}, err
		}
	}
	c := r.census()
	if len(c.cats) > 64 {
		return Table{}, ErrTooManySources
	}
	type cell struct {
		period uint32
		cats   uint64
		value  uint8
	}
	counts := map[cell]int{}
	for _, e := range c.entries {
		if e.cat < 0 {
			k := cell{period: e.period, cats: e.cats}
			if d >= 0 {
				k.value = e.v[d]
			}
			counts[k]++
		}
	}
	cells := slices.SortedFunc(maps.Keys(counts), func(a, b cell) int {
		if c := cmp.Compare(a.period, b.period); c != 0 {
			return c
		}
		for i := range len(c.cats) { // 1 before 0, category by category
			if c := cmp.Compare(b.cats>>i&1, a.cats>>i&1); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.value, b.value)
	})
	t := Table{Name: "overlap", Dims: append([]string{DimPeriod}, c.cats...)}
	if d >= 0 {
		t.Name += "_by_" + dim
		t.Dims = append(t.Dims, dim)
	}
	for _, k := range cells {
		keys := make([]string, 0, len(t.Dims))
		keys = append(keys, c.periods[k.period])
		for i := range c.cats {
			keys = append(keys, captured(k.cats&(1<<i) != 0))
		}
		if d >= 0 {
			keys = append(keys, allValues[d][k.value])
		}
		t.Rows = append(t.Rows, Row{Keys: keys, Count: counts[k]})
	}
	return t, nil
}

func captured(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// ReportTables returns the tables of the annual report: persons by each
// person dimension, de-duplicated and by source category, and the
// source overlap, overall and by sex, age group and form of
// exploitation; every table per period and pooled over all periods. An
// overlap of more than 64 source categories is left out.
func ReportTables(r *Result) []Table {
	var out []Table
	for _, dim := range PersonDims() {
		t, _ := PersonsBy(r, dim)
		out = append(out, t)
	}
	for _, dim := range PersonDims() {
		t, _ := ReportedBy(r, dim)
		out = append(out, t)
	}
	for _, dim := range []string{"", DimSex, DimAgeGroup, DimExploitation} {
		if t, err := Overlap(r, dim); err == nil {
			out = append(out, t)
		}
	}
	return out
}
