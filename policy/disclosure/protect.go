package disclosure

import (
	"cmp"
	"fmt"
	"slices"
)

// Protect withholds the counts of a table, and of its totals, that are
// 1 to r.K (primary suppression), and as many more as it takes that no
// withheld count can be worked out exactly from what is published
// (secondary suppression). Zero counts are always published. See the
// package documentation for what that guarantees and how.
func Protect(t Table, r Rule) (Protected, error) {
	l, err := newLattice(t, r)
	if err != nil {
		return Protected{}, fmt.Errorf("protect %s: %w", t.Name, err)
	}
	l.protect()
	return l.protected(), nil
}

// protect withholds the sensitive entries and a cube around each: when it
// returns, every withheld entry is a corner of a cube that moves it. An
// entry withheld before, as ProtectLinked withholds the counts another
// table withholds, is protected like a sensitive one unless a cube
// already moves it.
func (l *lattice) protect() {
	for _, e := range l.order() {
		if e.suppressed() && !e.done {
			l.apply(e, l.cheapest(e))
		}
	}
}

// entries returns the rows, then the margins.
func (l *lattice) entries() []*entry {
	return slices.Concat(l.rows, l.margins)
}

// order returns the entries to protect, smallest first, as they have the
// fewest cubes to choose from; rows before margins where equal.
func (l *lattice) order() []*entry {
	o := slices.Concat(l.rows, l.margins, l.silent)
	slices.SortStableFunc(o, func(a, b *entry) int { return cmp.Compare(a.value, b.value) })
	return o
}

// protected returns the table as published, with the marks of l.
func (l *lattice) protected() Protected {
	p := Protected{Name: l.name, Dims: slices.Clone(l.dims), K: l.k}
	p.Cells = make([]Cell, len(l.rows))
	for i, e := range l.rows {
		p.Cells[i] = l.cell(e)
	}
	p.Totals = make([]Cell, len(l.margins))
	for i, e := range l.margins {
		p.Totals[i] = l.cell(e)
	}
	return p
}

func (l *lattice) cell(e *entry) Cell {
	c := Cell{Keys: l.keys(e), Status: e.status}
	switch e.status {
	case Published:
		c.Count = e.value
	case Primary:
		c.Max = l.k
	}
	return c
}
