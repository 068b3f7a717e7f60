package report

import (
	"slices"
	"strings"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/submission/schema"
)

// Proceedings and controls come as counts, not persons: their tables add
// the counts up, by the period of the submission and the partner's
// source category, and pooled over periods (merge.AllPeriods) like the
// persons tables. A proceedings submission's records partition the
// persons it counts (one row per combination, as the prosecution's and
// the courts' statistics are laid out); a field a record leaves out
// counts under "unknown". Controls give three measures each, as rows of
// a "measure" dimension.

// Dimensions of the count tables.
const (
	DimStage     = "stage"
	DimAuthority = "authority"
	DimMeasure   = "measure"
)

// counter adds counts up by keys and writes them as a table.
type counter struct {
	dims   []string
	counts map[string]int
}

func newCounter(dims ...string) *counter {
	return &counter{dims: dims, counts: map[string]int{}}
}

// add adds n to the cell of keys (without the period) for the period and
// for the pool of all periods.
func (c *counter) add(period string, n int, keys ...string) {
	for _, p := range []string{period, merge.AllPeriods} {
		c.counts[strings.Join(append([]string{p}, keys...), "\x00")] += n
	}
}

// table returns the cells in key order, the pooled period last.
func (c *counter) table(name string) merge.Table {
	t := merge.Table{Name: name, Dims: append([]string{merge.DimPeriod}, c.dims...)}
	for k, n := range c.counts {
		t.Rows = append(t.Rows, merge.Row{Keys: strings.Split(k, "\x00"), Count: n})
	}
	slices.SortFunc(t.Rows, func(a, b merge.Row) int {
		if pa, pb := a.Keys[0] == merge.AllPeriods, b.Keys[0] == merge.AllPeriods; pa != pb {
			if pa {
				return 1
			}
			return -1
		}
		return slices.Compare(a.Keys, b.Keys)
	})
	return t
}

func orUnknown(s string) string {
	if s == "" {
		return merge.Unknown
	}
	return s
}

// proceedingsTables returns persons in proceedings by stage, and by stage
// and each of sex, citizenship group and form of exploitation.
func proceedingsTables(recs []countRecord[schema.Proceeding], scope string) []merge.Table {
	byStage := newCounter(merge.DimSource, DimStage)
	bySex := newCounter(merge.DimSource, DimStage, merge.DimSex)
	byCit := newCounter(merge.DimSource, DimStage, merge.DimCitizenship)
	byForm := newCounter(merge.DimSource, DimStage, merge.DimExploitation)
	for _, r := range recs {
		if !inScope(scope, r.class) {
			continue
		}
		p := r.rec
		byStage.add(r.period, p.Count, r.source, p.Stage)
		bySex.add(r.period, p.Count, r.source, p.Stage, orUnknown(p.Sex))
		byCit.add(r.period, p.Count, r.source, p.Stage, orUnknown(p.CitizenshipGroup))
		byForm.add(r.period, p.Count, r.source, p.Stage, orUnknown(p.Exploitation))
	}
	return []merge.Table{
		byStage.table("proceedings_by_stage"), bySex.table("proceedings_by_stage_sex"),
		byCit.table("proceedings_by_stage_citizenship_group"), byForm.table("proceedings_by_stage_exploitation"),
	}
}

// controlsTables returns controls made, persons checked and suspected
// cases found, by inspecting authority.
func controlsTables(recs []countRecord[schema.Control], scope string) []merge.Table {
	c := newCounter(merge.DimSource, DimAuthority, DimMeasure)
	for _, r := range recs {
		if !inScope(scope, r.class) {
			continue
		}
		x := r.rec
		c.add(r.period, x.Controls, r.source, x.Authority, "controls")
		c.add(r.period, x.PersonsChecked, r.source, x.Authority, "persons_checked")
		c.add(r.period, x.SuspectedCases, r.source, x.Authority, "suspected_cases")
	}
	return []merge.Table{c.table("controls_totals")}
}
