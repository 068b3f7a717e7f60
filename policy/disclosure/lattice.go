package disclosure

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
)

// lattice is a table with all its margins: an entry for each cell and
// each total, every one the sum of the nonzero base cells it covers. A
// base cell is a row that is no total of any kind; the base cells are
// what an attacker solves for. Entries are found by index, a number in
// mixed radix of their coordinates, the first dimension the highest.
type lattice struct {
	name    string
	dims    []string
	k       int
	values  [][]string // per dimension, its values but the total, in order of first appearance
	total   []string   // per dimension, its Rule.TotalValue if rows use it, else ""
	stride  []uint64   // index = Σ coords[d]·stride[d]
	dense   []*entry   // the entries by index, for a small lattice
	sparse  map[uint64]*entry
	all     []*entry  // every entry, as made
	rows    []*entry  // the entry of each table row
	margins []*entry  // the entries keyed with Margin, by coordinates
	base    []*entry  // the nonzero base cells, in row order
	silent  []*entry  // margins left out of the table but named in a report (linked.go)
	epoch   uint32    // for entry.mark
	cubes   []applied // the cubes protect applied, in order
}

// applied is a cube protect applied, and the entry it protects.
type applied struct {
	e *entry
	c cube
}

// entry is a cell or a total of a lattice.
type entry struct {
	coords  []uint16 // per dimension, the value's index; len(values[d]) for the total
	index   uint64
	value   int
	members []int32 // the nonzero base cells summed, as indexes into lattice.base
	row     int     // the table row, or -1 for a margin
	status  Status
	hidden  bool   // a margin that Rule.Margins leaves out, and no other table names
	silent  bool   // a margin that Rule.Margins leaves out, but other tables name
	class   int32  // ProtectLinked: 1 + the index of the count's class, or 0
	done    bool   // Protect: a cube shows it can change
	mark    uint32 // scratch: lattice.epoch when visited
}

// maxDense is the largest lattice kept in a slice rather than a map.
const maxDense = 1 << 18

func newLattice(t Table, r Rule) (*lattice, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	if err := r.check(t.Dims); err != nil {
		return nil, err
	}
	n := len(t.Dims)
	l := &lattice{name: t.Name, dims: t.Dims, k: r.K, values: make([][]string, n), total: make([]string, n)}
	coords, err := l.coordinates(t, r)
	if err != nil {
		return nil, err
	}
	l.addRows(t, coords)
	if err := l.matchTotalRows(t, coords); err != nil {
		return nil, err
	}
	published, _ := r.marginMasks(t.Dims)
	for _, e := range l.all {
		if l.isMargin(e.coords) {
			if published != nil && !published[l.summed(e.coords)] {
				e.hidden = true
				continue
			}
			l.margins = append(l.margins, e)
		}
		if e.value >= 1 && e.value <= r.K {
			e.status = Primary
		}
	}
	slices.SortFunc(l.margins, func(a, b *entry) int { return cmp.Compare(a.index, b.index) })
	return l, nil
}

// coordinates collects the values of each dimension, makes the index and
// returns the coordinates of each row.
func (l *lattice) coordinates(t Table, r Rule) ([][]uint16, error) {
	index := make([]map[string]int, len(t.Dims))
	for d := range index {
		index[d] = map[string]int{}
	}
	for _, row := range t.Rows {
		for d, v := range row.Keys {
			if tv, ok := r.TotalValue[t.Dims[d]]; ok && v == tv {
				l.total[d] = v
				continue
			}
			if _, ok := index[d][v]; !ok {
				if len(l.values[d]) == maxValues {
					return nil, fmt.Errorf("%w: dimension %q has more than %d values", ErrTooLarge, t.Dims[d], maxValues)
				}
				index[d][v] = len(l.values[d])
				l.values[d] = append(l.values[d], v)
			}
		}
	}
	if err := l.makeIndex(); err != nil {
		return nil, err
	}
	coords := make([][]uint16, len(t.Rows))
	for i, row := range t.Rows {
		coords[i] = make([]uint16, len(t.Dims))
		for d, v := range row.Keys {
			if l.total[d] != "" && v == l.total[d] {
				coords[i][d] = l.top(d)
			} else {
				coords[i][d] = uint16(index[d][v])
			}
		}
	}
	return coords, nil
}

// addRows adds the base cells, the rows that are no total, to every entry
// that sums them.
func (l *lattice) addRows(t Table, coords [][]uint16) {
	l.rows = make([]*entry, len(t.Rows))
	sup := make([]uint64, 1<<len(t.Dims))
	for i, row := range t.Rows {
		if l.isTotal(coords[i]) {
			continue
		}
		l.supersets(coords[i], sup)
		member := int32(-1)
		for mask, x := range sup {
			e := l.at(x)
			if e == nil {
				e = l.add(x)
			}
			if mask == 0 {
				e.row = i
				l.rows[i] = e
				if row.Count > 0 {
					member = int32(len(l.base))
					l.base = append(l.base, e)
				}
			}
			e.value += row.Count
			if member >= 0 {
				e.members = append(e.members, member)
			}
		}
	}
}

// makeIndex sets the strides of the index and makes its store.
func (l *lattice) makeIndex() error {
	n := len(l.dims)
	l.stride = make([]uint64, n)
	size := uint64(1)
	for d := n - 1; d >= 0; d-- {
		l.stride[d] = size
		hi, lo := bits.Mul64(size, uint64(l.top(d))+1)
		if hi != 0 || lo > 1<<62 {
			return fmt.Errorf("%w: table %q has too many combinations of values", ErrTooLarge, l.name)
		}
		size = lo
	}
	if size <= maxDense {
		l.dense = make([]*entry, size)
	} else {
		l.sparse = map[uint64]*entry{}
	}
	return nil
}

// matchTotalRows finds the entries of the rows of Rule.TotalValue values
// and checks that they add up.
func (l *lattice) matchTotalRows(t Table, coords [][]uint16) error {
	for i, row := range t.Rows {
		if !l.isTotal(coords[i]) {
			continue
		}
		x := l.index(coords[i])
		e := l.at(x)
		if e == nil {
			e = l.add(x)
		}
		if e.value != row.Count {
			return fmt.Errorf("%w: %q counts %d, its other rows %d", ErrNotAdditive, row.Keys, row.Count, e.value)
		}
		e.row = i
		l.rows[i] = e
	}
	for _, e := range l.all {
		if e.row < 0 && e.value != 0 && !l.isMargin(e.coords) {
			return fmt.Errorf("%w: no row %q, its other rows count %d", ErrNotAdditive, l.keys(e), e.value)
		}
	}
	return nil
}

// top is the coordinate of dimension d's total.
func (l *lattice) top(d int) uint16 { return uint16(len(l.values[d])) }

// isTotal reports whether coordinates are of a sum over some dimension.
func (l *lattice) isTotal(c []uint16) bool {
	for d, x := range c {
		if x == l.top(d) {
			return true
		}
	}
	return false
}

// isMargin reports whether coordinates are of a sum over a dimension whose
// total is no value of the table's rows.
func (l *lattice) isMargin(c []uint16) bool {
	for d, x := range c {
		if x == l.top(d) && l.total[d] == "" {
			return true
		}
	}
	return false
}

// summed returns the dimensions coordinates sum over, bit d for
// dimension d.
func (l *lattice) summed(c []uint16) uint32 {
	var m uint32
	for d, x := range c {
		if x == l.top(d) {
			m |= 1 << d
		}
	}
	return m
}

func (l *lattice) index(c []uint16) uint64 {
	var x uint64
	for d, v := range c {
		x += uint64(v) * l.stride[d]
	}
	return x
}

// at returns the entry of an index, or nil.
func (l *lattice) at(x uint64) *entry {
	if l.dense != nil {
		return l.dense[x]
	}
	return l.sparse[x]
}

// add makes the entry of an index.
func (l *lattice) add(x uint64) *entry {
	e := &entry{coords: make([]uint16, len(l.dims)), index: x, row: -1}
	for d := range e.coords {
		e.coords[d] = uint16(x / l.stride[d] % (uint64(l.top(d)) + 1))
	}
	if l.dense != nil {
		l.dense[x] = e
	} else {
		l.sparse[x] = e
	}
	l.all = append(l.all, e)
	return e
}

// supersets sets sup[mask] to the index of the total of a cell over the
// dimensions of mask; sup has 2^dims elements.
func (l *lattice) supersets(c []uint16, sup []uint64) {
	sup[0] = l.index(c)
	for mask := 1; mask < len(sup); mask++ {
		d := bits.TrailingZeros(uint(mask))
		sup[mask] = sup[mask&(mask-1)] + uint64(l.top(d)-c[d])*l.stride[d]
	}
}

// keys returns the keys of an entry as they are published.
func (l *lattice) keys(e *entry) []string {
	keys := make([]string, len(e.coords))
	for d, x := range e.coords {
		switch {
		case x < l.top(d):
			keys[d] = l.values[d][x]
		case l.total[d] != "":
			keys[d] = l.total[d]
		default:
			keys[d] = Margin
		}
	}
	return keys
}

// suppressed reports whether an entry is withheld.
func (e *entry) suppressed() bool { return e.status != Published }
