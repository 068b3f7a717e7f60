package mapping

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/submission/schema"
)

// Options say how to run a mapping.
type Options struct {
	// Secret is the partners' linkage secret; a mapping with name or
	// birth-date columns needs it, unless CheckOnly.
	Secret *anon.Secret
	// Period is the reporting period (2025, 2025-H1): ages are worked out
	// at the date of identification, or failing that in the period's year.
	Period string
	// CheckOnly computes no linkage keys or Bloom filters: enough to find
	// every problem and count the records, without the secret. The
	// records it passes to emit lack their keys.
	CheckOnly bool
	// MaxProblems bounds the problems listed (DefaultMaxProblems when 0);
	// the rest are counted.
	MaxProblems int
}

// DefaultMaxProblems is how many problems a Result lists by default.
const DefaultMaxProblems = 1000

// MaxSums bounds the distinct records sum_duplicates keeps.
const MaxSums = 100_000

// Result says what a run found.
type Result struct {
	Rows     int       // data rows read, blank rows not counted
	Records  int       // records made (and passed to emit)
	Skipped  int       // rows left out by a skip rule of the mapping
	Problems []Problem // in file order
	More     int       // problems not listed
}

// Err returns a *ProblemsError if the run found problems, else nil.
func (r *Result) Err() error {
	if len(r.Problems) == 0 && r.More == 0 {
		return nil
	}
	return &ProblemsError{Problems: r.Problems, More: r.More}
}

// Run maps the file at path, passing each record to emit as one line of
// JSON (emit must not keep the slice). A row with problems makes no
// record; the problems are in the Result. The error is for what stops the
// run otherwise: a file that cannot be opened, a missing secret, an
// error from emit.
func (m *Mapping) Run(path string, opts Options, emit func(rec []byte) error) (*Result, error) {
	if _, err := m.formatFor(path); err != nil {
		return nil, err
	}
	if err := m.ready(opts); err != nil {
		return nil, err
	}
	src, ti, err := m.openFile(path)
	if err != nil && !isStop(err) {
		return nil, err
	}
	return m.run(src, ti, err, opts, emit)
}

// RunReader is Run over r; name is the file's name, for its format when
// the mapping does not say. An XLSX workbook is read into memory first.
func (m *Mapping) RunReader(r io.Reader, name string, opts Options, emit func(rec []byte) error) (*Result, error) {
	if _, err := m.formatFor(name); err != nil {
		return nil, err
	}
	if err := m.ready(opts); err != nil {
		return nil, err
	}
	src, ti, err := m.openReader(r, name)
	if err != nil && !isStop(err) {
		return nil, err
	}
	return m.run(src, ti, err, opts, emit)
}

func isStop(err error) bool {
	var se *stopError
	return errors.As(err, &se)
}

// openFile opens the file at path as a source.
func (m *Mapping) openFile(path string) (rowSource, textInfo, error) {
	format, err := m.formatFor(path)
	if err != nil {
		return nil, textInfo{}, err
	}
	if format == "xlsx" {
		if _, err := os.Stat(path); err != nil {
			return nil, textInfo{}, err
		}
		src, err := openXLSX(path, nil, m.Source)
		if err != nil {
			return nil, textInfo{}, err
		}
		return src, textInfo{}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, textInfo{}, err
	}
	src, ti, err := m.openReader(f, filepath.Base(path))
	if err != nil {
		f.Close()
		return nil, ti, err
	}
	return fileSource{src, f}, ti, nil
}

// fileSource closes the file under a source.
type fileSource struct {
	rowSource
	f *os.File
}

func (s fileSource) close() error {
	err := s.rowSource.close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// openReader opens r as a source of the format name says.
func (m *Mapping) openReader(r io.Reader, name string) (rowSource, textInfo, error) {
	format, err := m.formatFor(name)
	if err != nil {
		return nil, textInfo{}, err
	}
	switch format {
	case "csv":
		s, ti, err := openCSV(r, m.Source)
		if err != nil {
			return nil, ti, err
		}
		return s, ti, nil
	case "xlsx":
		s, err := openXLSX("", r, m.Source)
		if err != nil {
			return nil, textInfo{}, err
		}
		return s, textInfo{}, nil
	}
	s, ti, err := openJSON(r, m.Source, format == "jsonl")
	if err != nil {
		return nil, ti, err
	}
	return s, ti, nil
}

func (m *Mapping) ready(opts Options) error {
	if !opts.CheckOnly && opts.Secret == nil && m.NeedsSecret() {
		return ErrNoSecret
	}
	if opts.Period != "" && (len(opts.Period) < 4 || strings.Trim(opts.Period[:4], "0123456789") != "") {
		return fmt.Errorf("period %q does not start with a year", opts.Period)
	}
	return nil
}

func (m *Mapping) run(src rowSource, ti textInfo, openErr error, opts Options, emit func([]byte) error) (*Result, error) {
	r := newRunner(m, opts, emit)
	if openErr != nil {
		var se *stopError
		if !errors.As(openErr, &se) {
			return nil, openErr
		}
		r.problem(Problem{Row: se.row, Reason: se.reason})
		return r.res, nil
	}
	defer src.close()
	r.src, r.ti = src, ti
	if !r.bindHeader() {
		return r.res, nil
	}
	for {
		row, cells, err := src.next()
		if err == io.EOF {
			break
		}
		var re *rowError
		var se *stopError
		switch {
		case errors.As(err, &re):
			r.res.Rows++
			r.problem(Problem{Row: re.row, Column: re.column, Reason: re.reason})
			continue
		case errors.As(err, &se):
			r.problem(Problem{Row: se.row, Reason: se.reason})
			return r.res, nil
		case err != nil:
			return r.res, err
		}
		if err := r.mapRow(row, cells); err != nil {
			if errors.As(err, &se) {
				r.problem(Problem{Row: se.row, Reason: se.reason})
				return r.res, nil
			}
			return r.res, err
		}
	}
	if err := r.flushSums(); err != nil {
		return r.res, err
	}
	return r.res, nil
}

// runner is the state of one run.
type runner struct {
	m     *Mapping
	c     *compiled
	opts  Options
	emit  func([]byte) error
	res   *Result
	src   rowSource
	ti    textInfo
	bound []*column // by the source's column index; nil for a column not mapped
	named []bool    // whether a bound mapping column was found
	at    anon.Date // the period's year, for ages
	row   rowState
	sums  *sums
	cache map[*column]map[string]cached
}

func newRunner(m *Mapping, opts Options, emit func([]byte) error) *runner {
	if opts.MaxProblems <= 0 {
		opts.MaxProblems = DefaultMaxProblems
	}
	r := &runner{m: m, c: m.c, opts: opts, emit: emit, res: &Result{}}
	if len(opts.Period) >= 4 {
		var y int
		fmt.Sscanf(opts.Period[:4], "%d", &y)
		r.at = anon.Date{Y: y}
	}
	r.row.vals = make([]value, len(m.c.slots))
	if m.SumDuplicates {
		r.sums = newSums(m.c)
	}
	return r
}

func (r *runner) problem(p Problem) {
	if len(r.res.Problems) < r.opts.MaxProblems {
		r.res.Problems = append(r.res.Problems, p)
	} else {
		r.res.More++
	}
}

// bindHeader matches the file's columns to the mapping's. It reports
// false when the header has problems, after which no row is read.
func (r *runner) bindHeader() bool {
	before := len(r.res.Problems) + r.res.More
	r.named = make([]bool, len(r.c.cols))
	r.bindNew(r.src.headerRow())
	if r.src.headerRow() == 0 {
		return true // JSON: keys may be left out where a value is empty
	}
	hint := r.ti.hint()
	for i, col := range r.c.cols {
		if !r.named[i] {
			r.problem(Problem{Row: r.src.headerRow(), Column: col.name, Reason: "named in the mapping but not in the file's header" + r.nearHeader(col.name) + hint})
		}
	}
	return len(r.res.Problems)+r.res.More == before
}

// bindNew binds the source's columns not bound yet; row is where they
// were first seen.
func (r *runner) bindNew(row int) {
	cols := r.src.columns()
	seen := map[string]bool{}
	for _, name := range cols[:len(r.bound)] {
		seen[name] = true
	}
	for _, name := range cols[len(r.bound):] {
		col := r.lookup(name)
		twice := col != nil && slices.Contains(r.bound, col)
		r.bound = append(r.bound, col)
		switch {
		case name == "":
		case seen[name]:
			r.problem(Problem{Row: row, Column: name, Reason: "the header names this column twice"})
		case twice:
			r.problem(Problem{Row: row, Column: name, Reason: fmt.Sprintf("the header has another column for the mapping's '%s'; rename one of them", col.name)})
		case col == nil && !r.m.IgnoreUnmapped:
			r.problem(Problem{Row: row, Column: name, Reason: "the column is not in the mapping: add it under columns (field: NAME, identifier: KIND or drop: true), or set ignore_unmapped: true to drop every column not named" + r.ti.hint()})
		}
		seen[name] = true
	}
}

// lookup finds the mapping's column for a header name: the same name, or
// the one name equal after folding case, diacritics and punctuation.
func (r *runner) lookup(name string) *column {
	if name == "" {
		return nil
	}
	col := r.c.byName[name]
	if col == nil {
		if cs := r.c.byFold[foldName(name)]; len(cs) == 1 {
			col = cs[0]
		}
	}
	if col != nil {
		for i, c := range r.c.cols {
			if c == col {
				r.named[i] = true
			}
		}
	}
	return col
}

// nearHeader names the header's column closest to a missing one.
func (r *runner) nearHeader(name string) string {
	best, bestD := "", -1
	for _, h := range r.src.columns() {
		if d := distance(foldName(name), foldName(h)); h != "" && (bestD < 0 || d < bestD) {
			best, bestD = h, d
		}
	}
	if bestD >= 0 && bestD <= max(2, len([]rune(name))/3) {
		return fmt.Sprintf(" (the header has '%s')", best)
	}
	return ""
}

// mapRow maps one row of cells.
func (r *runner) mapRow(row int, cells []string) error {
	if blank(cells) {
		return nil
	}
	if len(cells) > len(r.bound) {
		r.bindNew(row) // JSON: new keys
	}
	r.res.Rows++
	for i, col := range r.bound {
		if col != nil && len(col.skip) > 0 && i < len(cells) && col.skip[foldName(cells[i])] {
			r.res.Skipped++
			return nil
		}
	}
	rec, probs := r.row.build(r, row, cells)
	for _, p := range probs {
		r.problem(p)
	}
	if rec == nil {
		return nil
	}
	if r.sums != nil {
		return r.sums.add(rec, row)
	}
	b, err := rec.marshal()
	if err != nil {
		return err
	}
	r.res.Records++
	return r.emit(b)
}

func (r *runner) flushSums() error {
	if r.sums == nil {
		return nil
	}
	return r.sums.flush(r)
}

// utf8Problem checks that a cell is text the run can use.
func utf8Problem(cell string) string {
	if utf8.ValidString(cell) {
		return ""
	}
	return "not UTF-8 text: the file is in another encoding; set source encoding: windows-1250 (or auto) in the mapping"
}

// foldName compares column names as schema.Fold compares terms.
func foldName(s string) string { return schema.Fold(s) }

// distance is the Levenshtein distance of two strings, by runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
