package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission/schema"
)

// listSeparator joins the elements of a list field in one CSV cell. No
// code list value or linkage key contains it.
const listSeparator = "|"

// exportCSV streams a CSV file: partner, submission and n, then the
// dataset's fields in schema order.
func (h *handlers) exportCSV(c echo.Context, w *exportWriter, ds schema.Dataset, period string) (int64, error) {
	cw := newCSVWriter(w)
	header := append([]string{"partner", "submission", "n"}, ds.Fields...)
	if err := cw.writeRow(header); err != nil {
		return 0, err
	}
	var n int64
	err := h.cfg.Store.Records(c.Request().Context(), ds.Name, period, func(r store.Record) error {
		row, err := csvRow(r, ds.Fields)
		if err != nil {
			return err
		}
		if err := cw.writeRow(row); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, cw.flush()
}

// csvWriter writes CSV (RFC 4180) with every field quoted, whatever it
// holds. encoding/csv quotes only fields holding a comma, quote or line
// break, so a cell holding ';' goes out bare, and a spreadsheet whose
// list separator is ';' splits it in two, the second part free to start
// a formula. Inside quotes no separator splits a cell.
type csvWriter struct {
	w *bufio.Writer
}

func newCSVWriter(w io.Writer) *csvWriter {
	return &csvWriter{w: bufio.NewWriterSize(w, 32<<10)}
}

// writeRow writes one line of neutralised, quoted cells.
func (cw *csvWriter) writeRow(row []string) error {
	for i, cell := range row {
		if i > 0 {
			cw.w.WriteByte(',')
		}
		cw.w.WriteByte('"')
		cw.w.WriteString(strings.ReplaceAll(neutralise(cell), `"`, `""`))
		cw.w.WriteByte('"')
	}
	_, err := cw.w.WriteString("\r\n") // bufio's errors are sticky: this is the first
	return err
}

func (cw *csvWriter) flush() error { return cw.w.Flush() }

// csvRow flattens a stored record into the cells of fields; a field the
// record lacks is an empty cell.
func csvRow(r store.Record, fields []string) ([]string, error) {
	dec := json.NewDecoder(strings.NewReader(r.Data))
	dec.UseNumber() // numbers as written, not as float64
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, fmt.Errorf("record %s/%s/%d: %w", r.Partner, r.Submission, r.N, errNotObject)
	}
	row := make([]string, 0, 3+len(fields))
	row = append(row, r.Partner, r.Submission, strconv.FormatInt(r.N, 10))
	for _, f := range fields {
		cell, err := cellText(obj[f])
		if err != nil {
			return nil, fmt.Errorf("record %s/%s/%d field %s: %w", r.Partner, r.Submission, r.N, f, err)
		}
		row = append(row, cell)
	}
	return row, nil
}

// cellText renders one JSON value as a cell: lists are joined with
// listSeparator; an object, which no schema has yet, is kept as JSON.
func cellText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			s, err := cellText(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, listSeparator), nil
	default:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return "", err
		}
		return strings.TrimSuffix(b.String(), "\n"), nil
	}
}

// neutralise keeps a spreadsheet from reading a cell as a formula (OWASP,
// CSV injection): a cell starting with = + - @, a tab or a carriage
// return gets a leading single quote. So does each part of a cell after a
// comma, semicolon, tab or line break, in case a reader that ignores the
// quoting splits the cell there: quoting is what keeps cells whole, this
// is a second line of defence.
func neutralise(cell string) string {
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
