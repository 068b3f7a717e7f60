package merge

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteJSON writes the table as one JSON object: name, dims and rows,
// each row its keys and count.
func (t Table) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(t.normalised())
}

// normalised has empty lists rather than null.
func (t Table) normalised() Table {
	if t.Dims == nil {
		t.Dims = []string{}
	}
	if t.Rows == nil {
		t.Rows = []Row{}
	}
	return t
}

// WriteCSV writes the table as CSV (RFC 4180, CRLF): a header of the
// dimensions and "count", then a line per row. Every field is quoted,
// and a cell a spreadsheet could read as a formula is neutralised, as
// hub/api's exports do: table values are codes and counts, but a period
// or a category comes from a partner.
func (t Table) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	writeCSVRow(bw, append(append([]string(nil), t.Dims...), "count"))
	for _, r := range t.Rows {
		writeCSVRow(bw, append(append([]string(nil), r.Keys...), strconv.Itoa(r.Count)))
	}
	return bw.Flush()
}

func writeCSVRow(w *bufio.Writer, cells []string) {
	for i, c := range cells {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(neutralise(c), `"`, `""`))
		w.WriteByte('"')
	}
	w.WriteString("\r\n")
}

// neutralise keeps a spreadsheet from reading a cell as a formula (OWASP
// CSV injection), as hub/api/csv.go does: a leading ' before a cell, or
// a part of it after a separator a careless reader might split at, that
// starts with = + - @, a tab or a carriage return.
func neutralise(cell string) string {
	var b strings.Builder
	start := true
	for i := 0; i < len(cell); i++ {
		c := cell[i]
		if start && (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
			b.WriteByte('\'')
		}
		b.WriteByte(c)
		start = c == ',' || c == ';' || c == '\t' || c == '\r' || c == '\n'
	}
	return b.String()
}

// WriteXLSX writes tables as one workbook, a sheet per table named after
// it (cut to Excel's 31 characters, and numbered if two names meet): a
// header row of the dimensions and "count", then a row per table row,
// values as text and counts as numbers. Text cells are strings, never
// formulas, whatever they start with.
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Name, used)
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		header := make([]any, 0, len(t.Dims)+1)
		for _, d := range t.Dims {
			header = append(header, excelize.Cell{Value: d})
		}
		header = append(header, excelize.Cell{Value: "count"})
		if err := sw.SetRow("A1", header); err != nil {
			return err
		}
		for j, r := range t.Rows {
			row := make([]any, 0, len(r.Keys)+1)
			for _, k := range r.Keys {
				row = append(row, excelize.Cell{Value: k})
			}
			row = append(row, r.Count)
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if len(tables) == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), "empty"); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

// sheetName makes a valid, unused sheet name of a table name.
func sheetName(name string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	clean = strings.Trim(clean, "'")
	if clean == "" {
		clean = "table"
	}
	base := truncateRunes(clean, 31)
	out := base
	for n := 2; used[strings.ToLower(out)]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		out = truncateRunes(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(out)] = true
	return out
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
