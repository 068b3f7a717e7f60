package disclosure

import (
	"fmt"
	"strings"
)

// Recovery is a withheld count that an attacker can work out exactly.
type Recovery struct {
	Table  string   // the table's name, from AuditLinked; "" from Audit
	Keys   []string // with Margin for a dimension summed over
	Status Status   // the mark the count was withheld with
	Count  int      // the count worked out, which is the true one
}

// String returns the keys, mark and count, as "2023,F (primary) = 1",
// after the table's name and a colon if there is one.
func (r Recovery) String() string {
	s := fmt.Sprintf("%s (%s) = %d", strings.Join(r.Keys, ","), r.Status, r.Count)
	if r.Table != "" {
		s = r.Table + ": " + s
	}
	return s
}

// Audit attacks a protected table as the package documentation says an
// attacker may: it takes every published count and total and every mark
// of p, and for each withheld count solves the linear programs for its
// least and largest value; it returns the counts these pin to a single
// whole number. The original table supplies the true counts, so that
// Audit can check that p belongs to it and say what is recovered; an
// attacker does without, as the range of a count does not depend on
// them. Margins of r that p leaves out count as published. Audit returns
// ErrMismatch if p publishes a count other than the original's, marks a
// count primary that is not 1 to K, or withholds a zero.
//
// Audit solves the relaxation in real numbers, so it finds what linear
// programming finds; see the package documentation for that limit.
func Audit(p Protected, original Table, r Rule) ([]Recovery, error) {
	l, err := newLattice(original, r)
	if err != nil {
		return nil, fmt.Errorf("audit %s: %w", original.Name, err)
	}
	if err := l.mark(p); err != nil {
		return nil, fmt.Errorf("audit %s: %w", original.Name, err)
	}
	prog := newSystem(l).program()
	moved := make([]bool, len(prog.sys.touch))
	var out []Recovery
	for _, e := range l.entries() {
		if !e.suppressed() {
			continue
		}
		if i, ok := prog.sys.of[e]; ok && moved[i] {
			continue
		}
		if vars := prog.target(e); len(vars) > 0 {
			s, ok := prog.moves(vars)
			if !ok {
				return nil, fmt.Errorf("audit %s: the linear program for %q did not finish", original.Name, l.keys(e))
			}
			if s != nil {
				if !prog.feasible(s) {
					return nil, fmt.Errorf("audit %s: the linear program for %q lost precision", original.Name, l.keys(e))
				}
				prog.witness(s, moved)
				continue
			}
		}
		out = append(out, Recovery{Keys: l.keys(e), Status: e.status, Count: e.value})
	}
	return out, nil
}

// mark sets the marks of the entries to those of p, checking that p
// belongs to the table.
func (l *lattice) mark(p Protected) error {
	if p.K != l.k {
		return fmt.Errorf("%w: protected with K = %d, not %d", ErrMismatch, p.K, l.k)
	}
	if len(p.Dims) != len(l.dims) {
		return fmt.Errorf("%w: dimensions %q, want %q", ErrMismatch, p.Dims, l.dims)
	}
	byKeys := make(map[string]*entry, len(l.rows)+len(l.margins))
	for _, e := range l.entries() {
		e.status = Published
		byKeys[joinKeys(l.keys(e))] = e
	}
	for _, cells := range [][]Cell{p.Cells, p.Totals} {
		for _, c := range cells {
			e := byKeys[joinKeys(c.Keys)]
			if e == nil {
				return fmt.Errorf("%w: no cell %q in the original", ErrMismatch, c.Keys)
			}
			switch {
			case c.Status == Published && c.Count != e.value:
				return fmt.Errorf("%w: %q published as %d, is %d", ErrMismatch, c.Keys, c.Count, e.value)
			case c.Status == Primary && (e.value < 1 || e.value > l.k):
				return fmt.Errorf("%w: %q marked primary, is %d", ErrMismatch, c.Keys, e.value)
			case c.Status == Secondary && e.value == 0:
				return fmt.Errorf("%w: %q withholds a zero", ErrMismatch, c.Keys)
			case c.Status > Secondary:
				return fmt.Errorf("%w: %q has status %v", ErrMismatch, c.Keys, c.Status)
			}
			e.status = c.Status
		}
	}
	return nil
}
