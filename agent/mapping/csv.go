package mapping

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvSource reads delimited text with encoding/csv, one record at a time.
type csvSource struct {
	r      *csv.Reader
	header []string
	hdrRow int
}

func openCSV(r io.Reader, src Source) (*csvSource, textInfo, error) {
	text, head, ti, err := decodeText(r, src.Encoding)
	if err != nil {
		return nil, ti, err
	}
	headerRow := max(src.HeaderRow, 1)
	comma, _ := delimiterOf(src.Delimiter)
	if comma == 0 {
		comma = detectDelimiter(head, headerRow)
	}
	cr := csv.NewReader(text)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	s := &csvSource{r: cr}
	for i := 1; ; i++ {
		rec, err := cr.Read()
		if err == io.EOF {
			if i == 1 {
				return nil, ti, errEmpty
			}
			return nil, ti, &stopError{reason: fmt.Sprintf("the file ends before its header row %d", headerRow)}
		}
		if err != nil {
			return nil, ti, csvStop(err)
		}
		if i < headerRow {
			continue
		}
		s.hdrRow, _ = cr.FieldPos(0)
		for _, h := range rec {
			s.header = append(s.header, strings.TrimSpace(h))
		}
		return s, ti, nil
	}
}

func (s *csvSource) columns() []string { return s.header }
func (s *csvSource) headerRow() int    { return s.hdrRow }
func (s *csvSource) close() error      { return nil }

func (s *csvSource) next() (int, []string, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if err != nil {
		return 0, nil, csvStop(err)
	}
	row, _ := s.r.FieldPos(0) // a line number: quoted newlines and blank lines count
	if len(rec) != len(s.header) && !blank(rec) {
		return row, nil, &rowError{row: row, reason: fmt.Sprintf("has %d fields, the header %d: a delimiter too many or too few (a value with the delimiter in it needs quotes)", len(rec), len(s.header))}
	}
	return row, rec, nil
}

// csvStop words a CSV syntax error: the reading cannot go on, since
// where one field ends and the next begins is no longer known.
func csvStop(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	reason := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		reason = `a quote (") is missing or out of place in a quoted value`
	case errors.Is(pe.Err, csv.ErrBareQuote):
		reason = `a quote (") inside a value that does not start with one`
	}
	if pe.Column > 0 {
		reason += fmt.Sprintf(" (at character %d)", pe.Column)
	}
	return &stopError{row: pe.StartLine, reason: reason + "; the rest of the file cannot be read reliably"}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// detectDelimiter picks the delimiter the header line uses most, outside
// quotes: ",", ";", tab or "|"; "," when none.
func detectDelimiter(head []byte, headerRow int) rune {
	lines := bytes.SplitN(head, []byte("\n"), headerRow+1)
	line := lines[min(headerRow, len(lines))-1]
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t' || c == '|'):
			counts[c]++
		}
	}
	best := ','
	for _, d := range []rune{';', '\t', '|'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}
