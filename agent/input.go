package agent

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/thbx/thbx/submission/schema"
)

// Problem is one thing wrong with an input file, located so a person can
// find and fix it.
type Problem struct {
	Row    int    `json:"row"` // 1 is the header line
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "row %d", p.Row)
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %s", p.Column)
	}
	if p.Value != "" {
		fmt.Fprintf(&b, ", value %q", p.Value)
	}
	b.WriteString(": " + p.Reason)
	return b.String()
}

// ProblemsError is returned when a file has problems; nothing was sealed.
type ProblemsError struct {
	Problems []Problem
	More     int // problems not listed
}

func (e *ProblemsError) Error() string {
	msg := fmt.Sprintf("the file has %d problem(s); nothing was sealed or sent", len(e.Problems)+e.More)
	for _, p := range e.Problems {
		msg += "\n" + p.String()
	}
	if e.More > 0 {
		msg += fmt.Sprintf("\n… and %d more", e.More)
	}
	return msg
}

const maxProblems = 50

// victimReader reads a CSV file whose header names victims/1 fields;
// list fields (exploitation, linkage_keys) separate values with "|".
type victimReader struct {
	r    *csv.Reader
	cols []string
	row  int
	errs []Problem
	more int
}

func newVictimReader(in io.Reader) (*victimReader, error) {
	br := bufio.NewReader(in)
	head, err := br.Peek(4096)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, &ProblemsError{Problems: []Problem{{Row: 1, Reason: "the file is empty"}}}
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.Comma = detectDelimiter(head)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, &ProblemsError{Problems: []Problem{{Row: 1, Reason: "cannot read the header line: " + err.Error()}}}
	}
	v := &victimReader{r: r, row: 1}
	var probs []Problem
	seen := map[string]bool{}
	for _, h := range header {
		h = strings.TrimSpace(strings.ToLower(h))
		if seen[h] {
			probs = append(probs, Problem{Row: 1, Column: h, Reason: "column named twice"})
		}
		seen[h] = true
		if !slices.Contains(schema.Fields("victims/1"), h) {
			probs = append(probs, Problem{Row: 1, Column: h, Reason: "not a victims/1 column; known: " + strings.Join(schema.Fields("victims/1"), ", ")})
		}
		v.cols = append(v.cols, h)
	}
	for _, req := range []string{"status", "sex", "age_group", "citizenship"} {
		if !slices.Contains(v.cols, req) {
			probs = append(probs, Problem{Row: 1, Column: req, Reason: "required column is missing"})
		}
	}
	if len(probs) > 0 {
		return nil, &ProblemsError{Problems: probs}
	}
	return v, nil
}

func detectDelimiter(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

func (v *victimReader) problem(p Problem) {
	if len(v.errs) < maxProblems {
		v.errs = append(v.errs, p)
	} else {
		v.more++
	}
}

// next returns the next valid record; ok is false at the end. Rows with
// problems are recorded and skipped.
func (v *victimReader) next() (schema.Victim, bool, error) {
	for {
		rec, err := v.r.Read()
		if err == io.EOF {
			return schema.Victim{}, false, nil
		}
		if err == nil {
			v.row, _ = v.r.FieldPos(0) // a line number: quoted newlines and blank lines count
		} else {
			v.row++
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				v.row = pe.Line
				p := Problem{Row: pe.StartLine, Reason: pe.Err.Error()}
				if pe.Column > 0 {
					p.Reason += fmt.Sprintf(" (at character %d)", pe.Column)
				}
				v.problem(p)
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					continue
				}
				return schema.Victim{}, false, nil // the rest cannot be read reliably
			}
			return schema.Victim{}, false, err
		}
		vic, ok := v.parse(rec)
		if ok {
			return vic, true, nil
		}
	}
}

func (v *victimReader) parse(rec []string) (schema.Victim, bool) {
	var vic schema.Victim
	ok := true
	for i, raw := range rec {
		val := strings.TrimSpace(raw)
		if !utf8.ValidString(val) {
			v.problem(Problem{Row: v.row, Column: v.cols[i], Reason: "not UTF-8 text: save the file as \"CSV UTF-8\""})
			ok = false
			continue
		}
		// Only free text can smuggle a formula; coded fields are checked
		// against their code lists (and a linkage key may begin with '-').
		if v.cols[i] == "status_source" && strings.ContainsAny(val[:min(len(val), 1)], "=+-@\t\r") && !isNumber(val) {
			v.problem(Problem{Row: v.row, Column: v.cols[i], Value: val, Reason: "looks like a spreadsheet formula; remove it"})
			ok = false
			continue
		}
		switch v.cols[i] {
		case "status_source":
			vic.StatusSource = val
		case "status":
			vic.Status = val
		case "decided_by":
			vic.DecidedBy = val
		case "sex":
			vic.Sex = strings.ToUpper(val)
		case "birth_year":
			if val != "" {
				n, err := strconv.Atoi(val)
				if err != nil {
					v.problem(Problem{Row: v.row, Column: "birth_year", Value: val, Reason: "not a year"})
					ok = false
				}
				vic.BirthYear = n
			}
		case "age_group":
			vic.AgeGroup = val
		case "citizenship":
			vic.Citizenship = strings.ToUpper(val)
		case "exploitation":
			vic.Exploitation = splitList(val)
		case "identified_on":
			vic.IdentifiedOn = val
		case "linkage_keys":
			vic.LinkageKeys = splitList(val)
		}
	}
	if !ok {
		return vic, false
	}
	if err := vic.Validate(); err != nil {
		for _, e := range unwrapJoined(err) {
			p := Problem{Row: v.row, Reason: e.Error()}
			var fe *schema.FieldError
			if errors.As(e, &fe) {
				p.Column, p.Value, p.Reason = fe.Field, fe.Value, fe.Msg
			}
			v.problem(p)
		}
		return vic, false
	}
	return vic, true
}

func (v *victimReader) result() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ProblemsError{Problems: v.errs, More: v.more}
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func unwrapJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// CheckFile reads a victims CSV file and returns its number of valid
// records, or a *ProblemsError listing what is wrong.
func CheckFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	vr, err := newVictimReader(f)
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		_, ok, err := vr.next()
		if err != nil {
			return n, err
		}
		if !ok {
			return n, vr.result()
		}
		n++
	}
}
