package disclosure

import (
	"errors"
	"fmt"
	"slices"
)

// Linked is one table of a report and how its counts are named across
// the report.
type Linked struct {
	Table Table
	// Rule is the table's rule, as for Protect; K must be the same in
	// every table of a report.
	Rule Rule
	// ID names a count of the table, a row's or a margin's, by its keys
	// (Margin for a dimension summed over, or the dimension's
	// Rule.TotalValue), so that counts of the same ID, in different
	// tables or in one, are known to be equal: persons of 2024 who are
	// female, in persons_by_sex and, summed over the sources, in
	// overlap_by_sex. "" names a count no other count equals; a nil ID
	// names none. Margins that Rule.Margins leaves out are named too: a
	// count that another table publishes is known in this one, published
	// or not.
	ID func(keys []string) string
}

// ErrInconsistent is returned when counts of one ID differ: the tables
// of a report do not describe the same data, or ID names different
// counts alike.
var ErrInconsistent = errors.New("linked tables disagree on a count")

// report is the lattices of a report's tables, with the classes of the
// counts their IDs say are equal.
type report struct {
	ls      []*lattice
	k       int
	classes []*class
	// moved are the withheld counts of no class, and the classes, that
	// an earlier round showed can move. Every later round only loosens
	// what is known, so the same moves, with the counts withheld since
	// unmoved, still show it.
	moved      map[*entry]bool
	movedClass map[int32]bool
}

// class is the entries, across the report, of one ID.
type class struct {
	id      string
	value   int
	members []member
}

// member is an entry of a report's table t.
type member struct {
	t int32
	e *entry
}

func newReport(ts []Linked) (*report, error) {
	r := &report{ls: make([]*lattice, len(ts)), moved: map[*entry]bool{}, movedClass: map[int32]bool{}}
	for t, lt := range ts {
		if lt.Rule.K != ts[0].Rule.K {
			return nil, fmt.Errorf("%w: table %q has K = %d, table %q K = %d", ErrInvalid, lt.Table.Name, lt.Rule.K, ts[0].Table.Name, ts[0].Rule.K)
		}
		l, err := newLattice(lt.Table, lt.Rule)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", lt.Table.Name, err)
		}
		r.ls[t] = l
		r.k = lt.Rule.K
	}
	byID := map[string]*class{}
	for t, l := range r.ls {
		id := ts[t].ID
		if id == nil {
			continue
		}
		for _, e := range l.all {
			if e.row < 0 && !l.isMargin(e.coords) {
				continue // a zero total row that no row lists
			}
			name := id(l.keys(e))
			if name == "" {
				continue
			}
			c := byID[name]
			if c == nil {
				c = &class{id: name, value: e.value}
				byID[name] = c
				r.classes = append(r.classes, c)
			}
			if e.value != c.value {
				m := c.members[0]
				return nil, fmt.Errorf("%w: %s %q counts %d, %s %q counts %d, both %q", ErrInconsistent,
					r.ls[m.t].name, r.ls[m.t].keys(m.e), m.e.value, l.name, l.keys(e), e.value, name)
			}
			c.members = append(c.members, member{int32(t), e})
		}
	}
	// A count of its own ID alone is the table's own. A margin left out
	// of its table but named where another table shows it is known all
	// the same: it is silent, protected like a published count but not
	// published. One that no table shows stays hidden, free for the
	// cubes, and only links its class.
	kept := r.classes[:0]
	for _, c := range r.classes {
		if len(c.members) < 2 {
			continue
		}
		kept = append(kept, c)
		shown := false
		for _, m := range c.members {
			m.e.class = int32(len(kept))
			shown = shown || !m.e.hidden
		}
		for _, m := range c.members {
			if shown && m.e.hidden {
				m.e.hidden, m.e.silent = false, true
				l := r.ls[m.t]
				l.silent = append(l.silent, m.e)
			}
		}
	}
	r.classes = kept
	r.dropImplied()
	return r, nil
}

// dropImplied unlinks the classes that no table shows and that the
// others imply: where each count of the class is, in its table, the sum
// of counts of shown classes, the same for all. Such a class says
// nothing the shown ones do not; left out, it spares the attack a row
// per count, and a report's margins left out are mostly such.
func (r *report) dropImplied() {
	shown := make([]bool, len(r.classes))
	for ci, c := range r.classes {
		for _, m := range c.members {
			shown[ci] = shown[ci] || !m.e.hidden
		}
	}
	memo := map[*entry][]int32{}
	kept := r.classes[:0]
	for ci, c := range r.classes {
		implied := !shown[ci]
		var first []int32
		for i, m := range c.members {
			if !implied {
				break
			}
			leaves, ok := r.ls[m.t].leaves(m.e, shown, memo)
			switch {
			case !ok:
				implied = false
			case i == 0:
				first = leaves
			default:
				implied = slices.Equal(first, leaves)
			}
		}
		if !implied {
			kept = append(kept, c)
		}
	}
	r.classes = kept
	for _, l := range r.ls {
		for _, e := range l.all {
			e.class = 0
		}
	}
	for ci, c := range r.classes {
		for _, m := range c.members {
			m.e.class = int32(ci + 1)
		}
	}
}

// leaves returns the shown classes whose counts add up to an entry, in
// order, and whether there are any: the entry's own if it is shown, else
// those of its parts along the first dimension it sums over that has
// them. memo keeps the answers, nil for none.
func (l *lattice) leaves(e *entry, shown []bool, memo map[*entry][]int32) ([]int32, bool) {
	if e.class > 0 && shown[e.class-1] {
		return []int32{e.class - 1}, true
	}
	if out, ok := memo[e]; ok {
		return out, out != nil
	}
	memo[e] = nil
	for d := range l.dims {
		top := l.top(d)
		if e.coords[d] != top {
			continue
		}
		out := []int32{}
		ok := true
		for x := range top {
			f := l.at(e.index - uint64(top-x)*l.stride[d])
			if f == nil || f.value == 0 {
				continue
			}
			part, found := l.leaves(f, shown, memo)
			if !found {
				ok = false
				break
			}
			out = append(out, part...)
		}
		if ok {
			slices.Sort(out)
			memo[e] = out
			return out, true
		}
	}
	return nil, false
}

// visible reports whether an entry is published or marked in its table:
// a row or a margin the table's rule publishes.
func (e *entry) visible() bool { return !e.hidden && !e.silent }

// ProtectLinked protects the tables of a report together: each as
// Protect would, and so that a count withheld in one table is withheld,
// with the same mark, in every table that has a count of its ID, and no
// withheld count can be worked out from everything the report publishes.
// It returns the tables in the order given. See the package
// documentation for what that guarantees and how.
func ProtectLinked(ts []Linked) ([]Protected, error) {
	r, err := newReport(ts)
	if err != nil {
		return nil, fmt.Errorf("protect report: %w", err)
	}
	if err := r.protect(); err != nil {
		return nil, fmt.Errorf("protect report: %w", err)
	}
	out := make([]Protected, len(r.ls))
	for t, l := range r.ls {
		out[t] = l.protected()
	}
	return out, nil
}

// protect protects each table, withholds in every table what one
// withholds, and repeats until nothing changes; then it attacks the
// report as AuditLinked does and, while that works anything out,
// withholds more and starts again. Every round withholds a count or
// loosens a mark, so it ends.
func (r *report) protect() error {
	for last := false; ; {
		for _, l := range r.ls {
			l.protect()
		}
		if r.propagate() {
			continue
		}
		j := r.joint()
		moved := r.certify(j)
		for ti, t := range j.targets {
			moved[ti] = moved[ti] || t.class >= 0 && r.movedClass[t.class] || t.class < 0 && r.moved[t.members[0].e]
		}
		pinned, fixes, err := j.audit(moved, true)
		if err != nil {
			return err
		}
		for ti, t := range j.targets {
			switch {
			case !moved[ti]:
			case t.class >= 0:
				r.movedClass[t.class] = true
			default:
				r.moved[t.members[0].e] = true
			}
		}
		if len(pinned) == 0 {
			return nil
		}
		if r.relax(fixes) {
			continue
		}
		if last {
			return fmt.Errorf("%d counts recoverable with every count withheld", len(pinned))
		}
		r.withholdAll()
		last = true
	}
}

// propagate gives every entry of a class the strongest mark any of them
// has, secondary over primary over none, and reports whether that
// changed any. A newly withheld entry needs a cube of its own; a primary
// one marked secondary keeps its cube, which a looser mark allows.
func (r *report) propagate() bool {
	changed := false
	for _, c := range r.classes {
		s := Published
		for _, m := range c.members {
			s = max(s, m.e.status)
		}
		for _, m := range c.members {
			if m.e.status < s && !m.e.hidden {
				if m.e.status == Published {
					m.e.done = false
				}
				m.e.status = s
				changed = true
			}
		}
	}
	return changed
}

// withhold withholds an entry, and every entry of its class.
func (r *report) withhold(m member) bool {
	changed := false
	for _, e := range r.alike(m) {
		if e.status == Published && e.value > 0 {
			e.status, e.done = Secondary, false
			changed = true
		}
	}
	return changed
}

// relabel marks a primary entry, and every entry of its class, secondary.
func (r *report) relabel(m member) bool {
	changed := false
	for _, e := range r.alike(m) {
		if e.status == Primary {
			e.status = Secondary
			changed = true
		}
	}
	return changed
}

// alike returns an entry and the others of its class.
func (r *report) alike(m member) []*entry {
	if m.e.class == 0 {
		return []*entry{m.e}
	}
	var out []*entry
	for _, o := range r.classes[m.e.class-1].members {
		out = append(out, o.e)
	}
	return out
}

// withholdAll withholds every count but zeros and marks them all
// secondary: then doubling every count but the zeros is another report
// consistent with everything published, and no count can be worked out.
// It is the last resort of protect, which relax should make needless.
func (r *report) withholdAll() {
	for _, l := range r.ls {
		for _, e := range slices.Concat(l.rows, l.margins, l.silent) {
			if e.value == 0 {
				continue
			}
			if e.status == Published {
				e.done = false
			}
			e.status = Secondary
		}
	}
}

// AuditLinked attacks the tables of a report together, as Audit attacks
// one: a linear program over every table's published counts and totals
// and its marks, in which the counts of one ID are one unknown, solved
// for each withheld count's least and largest value. It returns the
// counts these pin to one whole number, with their tables' names. ps
// are the protected tables, in the order of ts; the original tables in
// ts supply the true counts. A count of an ID that one table publishes
// is published, whatever another marks it; a mark of an ID bounds the
// count of every table. AuditLinked returns ErrMismatch as Audit does,
// and ErrInconsistent if counts of one ID differ.
func AuditLinked(ps []Protected, ts []Linked) ([]Recovery, error) {
	if len(ps) != len(ts) {
		return nil, fmt.Errorf("audit report: %w: %d protected tables for %d", ErrMismatch, len(ps), len(ts))
	}
	r, err := newReport(ts)
	if err != nil {
		return nil, fmt.Errorf("audit report: %w", err)
	}
	for t, l := range r.ls {
		if err := l.mark(ps[t]); err != nil {
			return nil, fmt.Errorf("audit %s: %w", l.name, err)
		}
	}
	j := r.joint()
	pinned, _, err := j.audit(nil, false)
	if err != nil {
		return nil, fmt.Errorf("audit report: %w", err)
	}
	recovered := map[*entry]bool{}
	for _, ti := range pinned {
		for _, m := range j.targets[ti].members {
			recovered[m.e] = true
		}
	}
	var out []Recovery
	for _, l := range r.ls {
		for _, e := range l.entries() {
			if recovered[e] {
				out = append(out, Recovery{Table: l.name, Keys: l.keys(e), Status: e.status, Count: e.value})
			}
		}
	}
	return out, nil
}
