package sheet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ListSeparator joins the elements of a list field in one cell. No code
// list value or linkage key contains it.
const ListSeparator = "|"

// ErrNotObject is returned by Flatten for data that is not a JSON object.
var ErrNotObject = errors.New("stored record is not a JSON object")

// Flatten renders a record, a JSON object, as the cells of fields in
// order: a field the record lacks is an empty cell, numbers are kept as
// written, lists are joined with ListSeparator, and an object (no schema
// has one yet) is kept as JSON.
func Flatten(data string, fields []string) ([]string, error) {
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber() // numbers as written, not as float64
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, ErrNotObject
	}
	row := make([]string, 0, len(fields))
	for _, f := range fields {
		cell, err := cellText(obj[f])
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f, err)
		}
		row = append(row, cell)
	}
	return row, nil
}

// cellText renders one JSON value as a cell.
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
		return strings.Join(parts, ListSeparator), nil
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
