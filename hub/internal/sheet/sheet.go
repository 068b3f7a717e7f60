// Package sheet writes what the hub exports for spreadsheets: CSV with
// every cell quoted and neutralised against formula injection, and XLSX
// workbooks whose text cells are strings, never formulas.
//
// A cell a spreadsheet could read as a formula (OWASP, CSV injection)
// gets a leading single quote: one starting with = + - @, a tab or a
// carriage return, and each part of a cell after a comma, semicolon, tab
// or line break, in case a reader that ignores the quoting splits the
// cell there. Quoting is what keeps cells whole; this is a second line
// of defence.
package sheet

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// CSV writes RFC 4180 CSV with CRLF line ends and every field quoted,
// whatever it holds: encoding/csv quotes only fields holding a comma,
// quote or line break, so a cell holding ';' would go out bare, and a
// spreadsheet whose list separator is ';' would split it in two, the
// second part free to start a formula.
type CSV struct {
	w *bufio.Writer
}

// NewCSV returns a CSV writer on w; call Flush at the end.
func NewCSV(w io.Writer) *CSV {
	return &CSV{w: bufio.NewWriterSize(w, 32<<10)}
}

// WriteRow writes one line of neutralised, quoted cells.
func (c *CSV) WriteRow(row []string) error {
	for i, cell := range row {
		if i > 0 {
			c.w.WriteByte(',')
		}
		c.w.WriteByte('"')
		c.w.WriteString(strings.ReplaceAll(Neutralise(cell), `"`, `""`))
		c.w.WriteByte('"')
	}
	_, err := c.w.WriteString("\r\n") // bufio's errors are sticky: this is the first
	return err
}

// Flush writes what is buffered.
func (c *CSV) Flush() error { return c.w.Flush() }

// Neutralise returns cell with a single quote before every part a
// spreadsheet could read as a formula (see the package comment).
func Neutralise(cell string) string {
	if !needsNeutralising(cell) {
		return cell
	}
	var b strings.Builder
	b.Grow(len(cell) + 4)
	start := true
	for i := 0; i < len(cell); i++ { // bytes: every character tested is ASCII
		if start && startsFormula(cell[i]) {
			b.WriteByte('\'')
		}
		b.WriteByte(cell[i])
		start = splitsCell(cell[i])
	}
	return b.String()
}

func needsNeutralising(cell string) bool {
	start := true
	for i := 0; i < len(cell); i++ {
		if start && startsFormula(cell[i]) {
			return true
		}
		start = splitsCell(cell[i])
	}
	return false
}

// startsFormula reports whether a spreadsheet may read a cell starting
// with c as a formula.
func startsFormula(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// splitsCell reports whether some reader may take c for the end of a
// cell: the list separators of the world's locales, a tab, a line break.
func splitsCell(c byte) bool {
	switch c {
	case ',', ';', '\t', '\r', '\n':
		return true
	}
	return false
}

// Sheet is one sheet of a workbook: a header row, then rows whose cells
// are strings (written as text) or ints (written as numbers).
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]any
}

// WriteXLSX writes sheets as one workbook, each named after its Name
// (cut to Excel's 31 characters, made valid, and numbered if two names
// meet). Strings are text cells, never formulas, whatever they start
// with.
func WriteXLSX(w io.Writer, sheets ...Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	used := map[string]bool{}
	for i, s := range sheets {
		name := sheetName(s.Name, used)
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
		header := make([]any, len(s.Header))
		for j, h := range s.Header {
			header[j] = excelize.Cell{Value: h}
		}
		if err := sw.SetRow("A1", header); err != nil {
			return err
		}
		for j, r := range s.Rows {
			row := make([]any, len(r))
			for k, v := range r {
				switch v := v.(type) {
				case string:
					row[k] = excelize.Cell{Value: v}
				case int:
					row[k] = v
				default:
					return fmt.Errorf("sheet %s row %d: cell of type %T", s.Name, j+1, v)
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if len(sheets) == 0 {
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
