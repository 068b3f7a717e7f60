package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
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
// dataset's fields in schema order. Every cell is neutralised.
func (h *handlers) exportCSV(c echo.Context, w *exportWriter, ds schema.Dataset, period string) (int64, error) {
	cw := csv.NewWriter(w)
	header := append([]string{"partner", "submission", "n"}, ds.Fields...)
	if err := cw.Write(neutraliseRow(header)); err != nil {
		return 0, err
	}
	var n int64
	err := h.cfg.Store.Records(c.Request().Context(), ds.Name, period, func(r store.Record) error {
		row, err := csvRow(r, ds.Fields)
		if err != nil {
			return err
		}
		if err := cw.Write(neutraliseRow(row)); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

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

// neutralise keeps a spreadsheet from reading a cell as a formula: a cell
// starting with = + - @, a tab or a carriage return gets a leading single
// quote (OWASP, CSV injection).
func neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

func neutraliseRow(row []string) []string {
	for i, cell := range row {
		row[i] = neutralise(cell)
	}
	return row
}
