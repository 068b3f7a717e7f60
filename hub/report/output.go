package report

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/thbx/thbx/hub/internal/sheet"
	"github.com/thbx/thbx/hub/merge"
)

// Output is a table as it leaves the hub: each cell a count or, under
// disclosure control, suppressed. A suppressed cell has no count (null in
// JSON, SuppressedMark in CSV and XLSX), so that it can never be read as
// a zero.
type Output struct {
	Name string   `json:"name"`
	Dims []string `json:"dims"`
	// Threshold is the k of the disclosure rule applied (counts 1..k are
	// suppressed), 0 when none was: the reader may see every count.
	Threshold int      `json:"threshold,omitempty"`
	Audience  string   `json:"audience,omitempty"`
	Rows      []OutRow `json:"rows"`
}

// OutRow is one cell of an Output.
type OutRow struct {
	Keys  []string `json:"keys"`
	Count *int     `json:"count"`
	// Suppressed says why a cell has no count: "primary" (a count of 1
	// to Threshold), "secondary" (suppressed so that no primary one can
	// be worked out from the totals); "" for a published cell.
	Suppressed string `json:"suppressed,omitempty"`
}

// SuppressedMark stands for a suppressed count in CSV and XLSX: "c", the
// flag Eurostat uses for confidential values.
const SuppressedMark = "c"

// Plain returns a table with every count published.
func Plain(t merge.Table) Output {
	o := Output{Name: t.Name, Dims: nonNil(t.Dims), Rows: make([]OutRow, len(t.Rows))}
	for i, r := range t.Rows {
		n := r.Count
		o.Rows[i] = OutRow{Keys: r.Keys, Count: &n}
	}
	return o
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteJSON writes the tables as a JSON array.
func WriteJSON(w io.Writer, tables ...Output) error {
	for i := range tables {
		if tables[i].Rows == nil {
			tables[i].Rows = []OutRow{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if len(tables) == 1 {
		return enc.Encode(tables[0])
	}
	if tables == nil {
		tables = []Output{}
	}
	return enc.Encode(tables)
}

// WriteCSV writes one table as CSV: a header of the dimensions, "count"
// and "flag", then a line per cell; a suppressed cell's count is
// SuppressedMark and its flag says why.
func WriteCSV(w io.Writer, t Output) error {
	cw := sheet.NewCSV(w)
	if err := cw.WriteRow(append(append([]string(nil), t.Dims...), "count", "flag")); err != nil {
		return err
	}
	for _, r := range t.Rows {
		count := SuppressedMark
		if r.Count != nil {
			count = strconv.Itoa(*r.Count)
		}
		if err := cw.WriteRow(append(append([]string(nil), r.Keys...), count, r.Suppressed)); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// WriteXLSX writes the tables as one workbook, a sheet per table, counts
// as numbers and suppressed ones as SuppressedMark with the reason in the
// flag column.
func WriteXLSX(w io.Writer, tables ...Output) error {
	sheets := make([]sheet.Sheet, len(tables))
	for i, t := range tables {
		s := sheet.Sheet{Name: t.Name, Header: append(append([]string(nil), t.Dims...), "count", "flag")}
		for _, r := range t.Rows {
			row := make([]any, 0, len(r.Keys)+2)
			for _, k := range r.Keys {
				row = append(row, k)
			}
			if r.Count != nil {
				row = append(row, *r.Count)
			} else {
				row = append(row, SuppressedMark)
			}
			s.Rows = append(s.Rows, append(row, r.Suppressed))
		}
		sheets[i] = s
	}
	return sheet.WriteXLSX(w, sheets...)
}
