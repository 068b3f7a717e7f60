package disclosure

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Table is a report table to protect: a count for each combination of the
// values of its dimensions. Rows may list every combination or only some:
// a combination that has no row counts zero.
type Table struct {
	Name string   `json:"name"`
	Dims []string `json:"dims"`
	Rows []Row    `json:"rows"`
}

// Row is one cell of a Table: the values of its dimensions, in the order
// of Table.Dims, and its count.
type Row struct {
	Keys  []string `json:"keys"`
	Count int      `json:"count"`
}

// Rule says which counts are sensitive and how the rows of a table add up.
type Rule struct {
	// K is the largest sensitive count: counts 1 to K are suppressed
	// (3 in published tables, 2 in internal ones). It must be at least 2:
	// with K = 1 a count marked primary would be known to be 1.
	K int

	// TotalValue names, for some dimensions, a value whose rows are the
	// sum of the rows of the dimension's other values, such as "period" →
	// "all" for counts pooled over the periods. Such rows stand in for
	// the dimension's margin, which therefore has no Margin entries. A
	// dimension whose value has no row in the table gets margins as any
	// other. Protect returns ErrNotAdditive if the rows do not add up.
	TotalValue map[string]string

	// Margins lists the margins published with the table, each as the
	// set of dimensions it sums over, a dimension's total value counting
	// as summed over: for dimensions period (with "all"), source and sex,
	// {"sex"} is the margins such as (2023, police, *) and {"period",
	// "sex"} those such as (all, police, *). Nil publishes every margin;
	// an empty list none. Margins left out are not in Protected.Totals,
	// and Protect and Audit take it that they are published nowhere else.
	Margins [][]string
}

// Margin is the key, in a total's Keys, of a dimension the total sums
// over. Tables may not use it as a value.
const Margin = "*"

// Errors of the package.
var (
	// ErrInvalid is returned for a malformed table or rule.
	ErrInvalid = errors.New("invalid table or rule")
	// ErrNotAdditive is returned when the rows of a Rule.TotalValue are
	// not the sum of the dimension's other rows, as when a person counted
	// in two periods is counted once in the pooled rows. Protect such
	// rows as a table of their own, without Rule.TotalValue.
	ErrNotAdditive = errors.New("total rows are not the sum of the other rows")
	// ErrTooLarge is returned for a table with more dimensions or
	// margins than Protect handles.
	ErrTooLarge = errors.New("table too large to protect")
	// ErrMismatch is returned by Audit when the protected table does not
	// belong to the original one.
	ErrMismatch = errors.New("protected table does not match the original")
)

// Limits of the tables Protect handles: each row belongs to 2^dims
// margins, so the number of dimensions is what makes a table large.
const (
	maxDims   = 16
	maxValues = 1<<16 - 1
	maxWork   = 1 << 22 // rows × 2^dims
	maxCount  = 1 << 40 // so that no sum of counts overflows
)

func (r Rule) check(dims []string) error {
	if r.K < 2 {
		return fmt.Errorf("%w: K is %d, want at least 2", ErrInvalid, r.K)
	}
	for dim, v := range r.TotalValue {
		if !slices.Contains(dims, dim) {
			return fmt.Errorf("%w: total value for %q, not a dimension", ErrInvalid, dim)
		}
		if v == "" || v == Margin {
			return fmt.Errorf("%w: total value %q for %q", ErrInvalid, v, dim)
		}
	}
	_, err := r.marginMasks(dims)
	return err
}

// marginMasks returns the published margins as sets of dimension
// indexes, bit d for dimension d, or nil for all of them.
func (r Rule) marginMasks(dims []string) (map[uint32]bool, error) {
	if r.Margins == nil {
		return nil, nil
	}
	masks := map[uint32]bool{}
	for _, set := range r.Margins {
		var m uint32
		for _, dim := range set {
			d := slices.Index(dims, dim)
			if d < 0 {
				return nil, fmt.Errorf("%w: margin over %q, not a dimension", ErrInvalid, dim)
			}
			if m&(1<<d) != 0 {
				return nil, fmt.Errorf("%w: margin over %q twice", ErrInvalid, dim)
			}
			m |= 1 << d
		}
		if m == 0 {
			return nil, fmt.Errorf("%w: margin over no dimension", ErrInvalid)
		}
		masks[m] = true
	}
	return masks, nil
}

func (t Table) check() error {
	if len(t.Dims) == 0 {
		return fmt.Errorf("%w: table %q has no dimensions", ErrInvalid, t.Name)
	}
	if len(t.Dims) > maxDims {
		return fmt.Errorf("%w: table %q has %d dimensions, at most %d", ErrTooLarge, t.Name, len(t.Dims), maxDims)
	}
	if len(t.Rows)<<len(t.Dims) > maxWork {
		return fmt.Errorf("%w: table %q has %d rows of %d dimensions", ErrTooLarge, t.Name, len(t.Rows), len(t.Dims))
	}
	for i, d := range t.Dims {
		if slices.Contains(t.Dims[:i], d) {
			return fmt.Errorf("%w: table %q has dimension %q twice", ErrInvalid, t.Name, d)
		}
	}
	seen := make(map[string]bool, len(t.Rows))
	for i, row := range t.Rows {
		if len(row.Keys) != len(t.Dims) {
			return fmt.Errorf("%w: row %d has %d keys, want %d", ErrInvalid, i, len(row.Keys), len(t.Dims))
		}
		if row.Count < 0 || row.Count > maxCount {
			return fmt.Errorf("%w: row %d has count %d", ErrInvalid, i, row.Count)
		}
		if slices.Contains(row.Keys, Margin) {
			return fmt.Errorf("%w: row %d has the key %q, which stands for a margin", ErrInvalid, i, Margin)
		}
		k := joinKeys(row.Keys)
		if seen[k] {
			return fmt.Errorf("%w: row %d repeats keys %q", ErrInvalid, i, row.Keys)
		}
		seen[k] = true
	}
	return nil
}

// joinKeys makes a map key of a row's keys that no other keys share.
func joinKeys(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%d:%s", len(k), k)
	}
	return b.String()
}
