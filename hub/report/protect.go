package report

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/policy/disclosure"
)

// TotalKey stands, in an Output row's keys, for a dimension the row sums
// over: the margins that disclosure control publishes beside the cells.
const TotalKey = "total"

// TableDataset returns the dataset a report table is made from.
func TableDataset(name string) string {
	switch {
	case strings.HasPrefix(name, "proceedings_"):
		return Proceedings
	case strings.HasPrefix(name, "controls_"):
		return Controls
	}
	return Victims
}

// Protect applies disclosure control with threshold k (policy/disclosure):
// counts of 1 to k are suppressed, and as many others as it takes that
// none of them can be worked out from the rest and the published totals.
// The totals are published with the cells, under TotalKey. k of 0 means
// no control: the table as it is, without totals.
//
// The pooled period (merge.AllPeriods) is the sum of the periods in the
// count tables, and protected as such; in the persons tables it is not
// (a person reported in two years counts once in it), so the pooled rows
// are protected as a table of their own and no total over periods is
// published, which would count such persons twice.
func Protect(t merge.Table, k int, audience string) (Output, error) {
	if k == 0 {
		return Plain(t), nil
	}
	in := disclosure.Table{Name: t.Name, Dims: t.Dims, Rows: make([]disclosure.Row, len(t.Rows))}
	for i, r := range t.Rows {
		in.Rows[i] = disclosure.Row{Keys: r.Keys, Count: r.Count}
	}
	rule := disclosure.Rule{K: k}
	if slices.Contains(t.Dims, merge.DimPeriod) {
		rule.TotalValue = map[string]string{merge.DimPeriod: merge.AllPeriods}
	}
	p, err := disclosure.Protect(in, rule)
	if err == nil {
		return output(t, p, k, audience, -1), nil
	}
	if !errors.Is(err, disclosure.ErrNotAdditive) {
		return Output{}, err
	}
	// Protect the periods and the pool apart.
	period := slices.Index(t.Dims, merge.DimPeriod)
	var each, pooled disclosure.Table
	each, pooled = in, in
	each.Rows, pooled.Rows = nil, nil
	for _, r := range in.Rows {
		if r.Keys[period] == merge.AllPeriods {
			pooled.Rows = append(pooled.Rows, r)
		} else {
			each.Rows = append(each.Rows, r)
		}
	}
	out := Output{Name: t.Name, Dims: nonNil(t.Dims), Threshold: k, Audience: audience, Rows: []OutRow{}}
	for _, part := range []disclosure.Table{each, pooled} {
		if len(part.Rows) == 0 {
			continue
		}
		p, err := disclosure.Protect(part, disclosure.Rule{K: k})
		if err != nil {
			return Output{}, err
		}
		o := output(t, p, k, audience, period)
		out.Rows = append(out.Rows, o.Rows...)
	}
	return out, nil
}

// output turns a protected table into an Output: the cells, then the
// totals, leaving out those summed over the dimension skip (-1: none).
func output(t merge.Table, p disclosure.Protected, k int, audience string, skip int) Output {
	o := Output{Name: t.Name, Dims: nonNil(t.Dims), Threshold: k, Audience: audience, Rows: []OutRow{}}
	add := func(c disclosure.Cell, total bool) {
		keys := slices.Clone(c.Keys)
		for i, key := range keys {
			if total && key == disclosure.Margin {
				if i == skip {
					return
				}
				keys[i] = TotalKey
			}
		}
		row := OutRow{Keys: keys}
		if c.Suppressed() {
			row.Suppressed = c.Status.String()
		} else {
			n := c.Count
			row.Count = &n
		}
		o.Rows = append(o.Rows, row)
	}
	for _, c := range p.Cells {
		add(c, false)
	}
	for _, c := range p.Totals {
		add(c, true)
	}
	return o
}

// ProtectReport applies disclosure control with threshold k to the tables
// of one report (one scope of a merge version), in their order. k of 0
// means none.
func ProtectReport(ts []merge.Table, k int, audience string) ([]Output, error) {
	out := make([]Output, 0, len(ts))
	for _, t := range ts {
		o, err := Protect(t, k, audience)
		if err != nil {
			return nil, fmt.Errorf("disclosure control of %s: %w", t.Name, err)
		}
		out = append(out, o)
	}
	return out, nil
}
