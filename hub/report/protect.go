package report

import (
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

// outRows are a protected table's rows: the cells, then the totals,
// leaving out those summed over the dimension skip (-1: none).
func outRows(p disclosure.Protected, skip int) []OutRow {
	var rows []OutRow
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
		rows = append(rows, row)
	}
	for _, c := range p.Cells {
		add(c, false)
	}
	for _, c := range p.Totals {
		add(c, true)
	}
	return rows
}

// ProtectReport applies disclosure control with threshold k to the tables
// of one report (one dataset's tables of one scope of a merge version),
// together: counts that several tables give (the persons of a period in
// every persons_by table, a row of persons_by_sex as the sum of
// overlap_by_sex over the sources, a per-source total of reported_by as
// a margin of the overlap) are withheld in all of them or in none, so
// that no table gives away what another withholds
// (disclosure.ProtectLinked). k of 0 means none.
//
// The persons tables' pooled rows (merge.AllPeriods) are not the sum of
// the periods' (a person reported in two years counts once in them), so
// they are protected as tables of their own, linked among themselves, and
// no total over the periods is published; the count tables' pooled rows
// are the sum and are protected as the period's margin.
func ProtectReport(ts []merge.Table, k int, audience string) ([]Output, error) {
	if k == 0 {
		out := make([]Output, len(ts))
		for i, t := range ts {
			out[i] = Plain(t)
		}
		return out, nil
	}
	_, parts, ps, err := protectLinked(ts, k)
	if err != nil {
		return nil, err
	}
	out := make([]Output, len(ts))
	for i, t := range ts {
		out[i] = Output{Name: t.Name, Dims: nonNil(t.Dims), Threshold: k, Audience: audience, Rows: []OutRow{}}
	}
	for j, p := range parts {
		out[p.table].Rows = append(out[p.table].Rows, outRows(ps[j], p.period)...)
	}
	return out, nil
}

// part is one disclosure.Linked table of a report table: the whole of
// it, or its periods' or its pooled rows.
type part struct {
	table  int // index into the report's tables
	period int // the period dimension, skipped in totals; -1 for none
}

// protectLinked protects a report's tables as linked tables.
func protectLinked(ts []merge.Table, k int) ([]disclosure.Linked, []part, []disclosure.Protected, error) {
	var linked []disclosure.Linked
	var parts []part
	for i, t := range ts {
		period := slices.Index(t.Dims, merge.DimPeriod)
		id := tableID(t)
		if period < 0 || !personsTable(t.Name) {
			rule := disclosure.Rule{K: k}
			if period >= 0 {
				rule.TotalValue = map[string]string{merge.DimPeriod: merge.AllPeriods}
			}
			linked = append(linked, disclosure.Linked{Table: discTable(t.Name, t.Dims, t.Rows), Rule: rule, ID: id})
			parts = append(parts, part{table: i, period: -1})
			continue
		}
		var each, pooled []merge.Row
		for _, r := range t.Rows {
			if r.Keys[period] == merge.AllPeriods {
				pooled = append(pooled, r)
			} else {
				each = append(each, r)
			}
		}
		// Summed over the period, the periods' rows give the sum of the
		// periods (unpublished, but the same in every table), the pooled
		// rows give the pooled count.
		for _, pt := range []struct {
			rows []merge.Row
			sum  string
		}{{each, "sum"}, {pooled, merge.AllPeriods}} {
			if len(pt.rows) == 0 {
				continue
			}
			linked = append(linked, disclosure.Linked{Table: discTable(t.Name, t.Dims, pt.rows), Rule: disclosure.Rule{K: k},
				ID: overPeriod(id, period, pt.sum)})
			parts = append(parts, part{table: i, period: period})
		}
	}
	ps, err := disclosure.ProtectLinked(linked)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("disclosure control: %w", err)
	}
	return linked, parts, ps, nil
}

// overPeriod names a margin over the period dimension as sum.
func overPeriod(id func([]string) string, period int, sum string) func([]string) string {
	if id == nil {
		return nil
	}
	return func(keys []string) string {
		if keys[period] == disclosure.Margin {
			keys = slices.Clone(keys)
			keys[period] = sum
		}
		return id(keys)
	}
}

func discTable(name string, dims []string, rows []merge.Row) disclosure.Table {
	t := disclosure.Table{Name: name, Dims: dims, Rows: make([]disclosure.Row, len(rows))}
	for i, r := range rows {
		t.Rows[i] = disclosure.Row{Keys: r.Keys, Count: r.Count}
	}
	return t
}

// personsTable reports whether a table counts persons, whose pooled rows
// are not the sum of the periods'.
func personsTable(name string) bool {
	return strings.HasPrefix(name, "persons_by_") || strings.HasPrefix(name, "reported_by_") ||
		name == "overlap" || strings.HasPrefix(name, "overlap_by_")
}

// tableID names the counts of a report table so that the same count in
// two tables has the same name:
//
//	d|period|src=1,src=0,…|dim=value   distinct persons (persons_by, overlap,
//	                                   overlap_by): a capture pattern over the
//	                                   sources not summed over, and a person
//	                                   dimension unless summed over
//	r|period|source|dim=value          reported_by, each source's own view;
//	                                   summed over the dimension it is the
//	                                   persons the source reported, the
//	                                   overlap's d|period|source=1|
//	p|period|source|stage|dim=value    proceedings
//
// Controls share nothing: nil.
func tableID(t merge.Table) func([]string) string {
	dims := t.Dims
	switch {
	case strings.HasPrefix(t.Name, "persons_by_") || t.Name == "overlap" || strings.HasPrefix(t.Name, "overlap_by_"):
		sources := dims[1:]
		person := ""
		if strings.HasPrefix(t.Name, "persons_by_") || strings.HasPrefix(t.Name, "overlap_by_") {
			person = dims[len(dims)-1]
			sources = dims[1 : len(dims)-1]
		}
		return func(keys []string) string {
			var pattern []string
			for i, src := range sources {
				if v := keys[1+i]; v != disclosure.Margin {
					pattern = append(pattern, src+"="+v)
				}
			}
			slices.Sort(pattern)
			dim := ""
			if person != "" && keys[len(keys)-1] != disclosure.Margin {
				dim = person + "=" + keys[len(keys)-1]
			}
			return "d|" + keys[0] + "|" + strings.Join(pattern, ",") + "|" + dim
		}
	case strings.HasPrefix(t.Name, "reported_by_"):
		person := dims[2]
		return func(keys []string) string {
			if keys[2] == disclosure.Margin && keys[1] != disclosure.Margin {
				return "d|" + keys[0] + "|" + keys[1] + "=1|"
			}
			dim := ""
			if keys[2] != disclosure.Margin {
				dim = person + "=" + keys[2]
			}
			return "r|" + keys[0] + "|" + keys[1] + "|" + dim
		}
	case strings.HasPrefix(t.Name, "proceedings_"):
		person := ""
		if len(dims) == 4 {
			person = dims[3]
		}
		return func(keys []string) string {
			dim := ""
			if person != "" && keys[3] != disclosure.Margin {
				dim = person + "=" + keys[3]
			}
			return "p|" + keys[0] + "|" + keys[1] + "|" + keys[2] + "|" + dim
		}
	}
	return nil
}

// Report is the tables of one dataset: what ProtectReport protects
// together.
type Report struct {
	Dataset string
	Tables  []merge.Table
}

// ByDataset groups tables into reports by the dataset they are made
// from, in the order the datasets first appear.
func ByDataset(ts []merge.Table) []Report {
	var out []Report
	for _, t := range ts {
		ds := TableDataset(t.Name)
		i := slices.IndexFunc(out, func(r Report) bool { return r.Dataset == ds })
		if i < 0 {
			out = append(out, Report{Dataset: ds})
			i = len(out) - 1
		}
		out[i].Tables = append(out[i].Tables, t)
	}
	return out
}
