package mapping

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonSource reads a JSON array of objects token by token, or JSON Lines
// (one object a line) line by line. Each object is a row and its keys are
// the columns; a key seen for the first time adds a column. Rows are
// numbered by object for an array (the first object is row 1) and by line
// for JSON Lines.
type jsonSource struct {
	lines bool
	dec   *json.Decoder // the array
	br    *bufio.Reader // JSON Lines
	cols  []string
	idx   map[string]int
	// arrays marks the columns that held a JSON array: their elements
	// are a list already.
	arrays map[int]bool
	row    int
	cells  []string
	done   bool
}

// maxJSONLine bounds one line of JSON Lines.
const maxJSONLine = 1 << 20

func openJSON(r io.Reader, src Source, lines bool) (*jsonSource, textInfo, error) {
	text, _, ti, err := decodeText(r, src.Encoding)
	if err != nil {
		return nil, ti, err
	}
	s := &jsonSource{lines: lines, idx: map[string]int{}, arrays: map[int]bool{}}
	if lines {
		s.br = bufio.NewReaderSize(text, 64<<10)
		return s, ti, nil
	}
	s.dec = json.NewDecoder(text)
	s.dec.UseNumber()
	tok, err := s.dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, ti, &stopError{reason: "the file is not a JSON array of objects ([{...}, {...}]); for one object a line, set source format: jsonl"}
	}
	return s, ti, nil
}

func (s *jsonSource) columns() []string { return s.cols }
func (s *jsonSource) headerRow() int    { return 0 }
func (s *jsonSource) close() error      { return nil }

func (s *jsonSource) next() (int, []string, error) {
	if s.done {
		return 0, nil, io.EOF
	}
	if s.lines {
		return s.nextLine()
	}
	if !s.dec.More() {
		s.done = true
		if tok, err := s.dec.Token(); err != nil || tok != json.Delim(']') {
			return s.row, nil, s.syntax(s.row + 1)
		}
		if _, err := s.dec.Token(); err != io.EOF {
			return s.row, nil, &stopError{row: s.row, reason: "there is more after the JSON array's closing ]"}
		}
		return 0, nil, io.EOF
	}
	s.row++
	if err := s.object(s.dec); err != nil {
		return s.row, nil, err
	}
	return s.row, s.cells, nil
}

// syntax ends the reading of an array at a syntax error in row.
func (s *jsonSource) syntax(row int) error {
	s.done = true
	return &stopError{row: row, reason: fmt.Sprintf("not well-formed JSON (at byte %d)", s.dec.InputOffset())}
}

func (s *jsonSource) nextLine() (int, []string, error) {
	for {
		line, err := s.readLine()
		if err == io.EOF {
			s.done = true
			return 0, nil, io.EOF
		}
		s.row++
		if err != nil {
			return s.row, nil, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		if err := s.object(dec); err != nil {
			var re *rowError
			if errors.As(err, &re) {
				return s.row, nil, err
			}
			return s.row, nil, &rowError{row: s.row, reason: "not a well-formed JSON object"}
		}
		if dec.More() {
			return s.row, nil, &rowError{row: s.row, reason: "more than one JSON object on the line"}
		}
		return s.row, s.cells, nil
	}
}

// readLine reads one line, refusing one longer than maxJSONLine (and
// skipping the rest of it).
func (s *jsonSource) readLine() ([]byte, error) {
	var buf []byte
	for {
		part, err := s.br.ReadSlice('\n')
		if len(buf)+len(part) <= maxJSONLine {
			buf = append(buf, part...)
		} else {
			buf = buf[:0]
			if err == nil {
				return nil, &rowError{row: s.row + 1, reason: fmt.Sprintf("the line is longer than %d bytes", maxJSONLine)}
			}
		}
		switch {
		case err == nil:
			return buf, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(buf) > 0:
			return buf, nil
		default:
			return nil, err
		}
	}
}

// object reads one JSON object into s.cells.
func (s *jsonSource) object(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return s.syntaxOr(dec, err)
	}
	if tok != json.Delim('{') {
		// Skip the rest of it (an array), to go on with the next element.
		for depth := 0; tok == json.Delim('[') || depth > 0; {
			switch tok {
			case json.Delim('['), json.Delim('{'):
				depth++
			case json.Delim(']'), json.Delim('}'):
				depth--
			}
			if depth == 0 {
				break
			}
			if tok, err = dec.Token(); err != nil {
				return s.syntaxOr(dec, err)
			}
		}
		return &rowError{row: s.row, reason: "is not a JSON object"}
	}
	s.cells = s.cells[:0]
	for range s.cols {
		s.cells = append(s.cells, "")
	}
	seen := map[string]bool{}
	var problem error
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return s.syntaxOr(dec, err)
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return s.syntaxOr(dec, err)
		}
		if seen[key] && problem == nil {
			problem = &rowError{row: s.row, column: key, reason: "the object names this key twice"}
		}
		seen[key] = true
		i, ok := s.idx[key]
		if !ok {
			i = len(s.cols)
			s.idx[key] = i
			s.cols = append(s.cols, key)
			s.cells = append(s.cells, "")
		}
		if _, ok := v.([]any); ok {
			s.arrays[i] = true
		}
		text, err := jsonText(v)
		if err != nil && problem == nil {
			problem = &rowError{row: s.row, column: key, reason: err.Error()}
		}
		s.cells[i] = text
	}
	if _, err := dec.Token(); err != nil {
		return s.syntaxOr(dec, err)
	}
	return problem
}

func (s *jsonSource) syntaxOr(dec *json.Decoder, err error) error {
	if s.lines {
		return &rowError{row: s.row, reason: "not a well-formed JSON object"}
	}
	return s.syntax(s.row)
}

// jsonText is a JSON value as cell text: a string as it is, a number as
// written, true or false, "" for null, and an array's elements joined by
// listSep.
func jsonText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		if v {
			return "true", nil
		}
		return "false", nil
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			switch e.(type) {
			case []any, map[string]any:
				return "", errors.New("holds a nested list or object; map a file with flat values")
			}
			t, _ := jsonText(e)
			parts = append(parts, strings.ReplaceAll(t, listSep, " "))
		}
		return strings.Join(parts, listSep), nil
	}
	return "", errors.New("holds a JSON object; map a file with flat values")
}
