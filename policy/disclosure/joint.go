package disclosure

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// joint is what an attacker knows of a report, written, as system is for
// one table, for the deviations from the true counts: one unknown per
// withheld base cell of each table, and one per class of linked counts
// that no table publishes. Each row is a linear relation, from where it
// comes.
type joint struct {
	r       *report
	nv      int
	rows    []jrow
	targets []jtarget
	own     map[*entry]int32 // the target of each withheld count of no class
	ofClass []int32          // per class, its target, or -1
}

// jrow says that Σ coef·vars is between lo and hi.
type jrow struct {
	vars   []int32
	coef   []float64 // nil: all 1
	lo, hi float64
	src    []source
}

// source is an entry that makes a row, and how.
type source struct {
	m    member
	kind rowKind
}

type rowKind uint8

const (
	rowPublished rowKind = iota // a published count: its withheld cells do not move
	rowMark                     // a withheld count: it moves as its mark allows
	rowLink                     // a linked count: its withheld cells move as its class
)

// jtarget is a withheld count to attack: the unknowns whose sum is its
// deviation, and the entries that show it, one or a whole class.
type jtarget struct {
	vars    []int32
	members []member
	class   int32 // the class, or -1 for a count of its own
}

func (j *joint) newVar() int32 {
	j.nv++
	return int32(j.nv - 1)
}

func (j *joint) add(vars []int32, coef []float64, lo, hi int, m member, kind rowKind) {
	j.rows = append(j.rows, jrow{vars: vars, coef: coef, lo: float(lo), hi: float(hi), src: []source{{m, kind}}})
}

// joint writes the relations of a report with its marks. Only visible
// entries, rows and published margins, are published or marked: a
// margin a table leaves out only links its class.
func (r *report) joint() *joint {
	j := &joint{r: r, own: map[*entry]int32{}, ofClass: make([]int32, len(r.classes))}
	varOf := make([][]int32, len(r.ls))
	for t, l := range r.ls {
		varOf[t] = make([]int32, len(l.base))
		for i, b := range l.base {
			varOf[t][i] = -1
			if b.suppressed() {
				varOf[t][i] = j.newVar()
			}
		}
	}
	// A class is published if any table publishes it; else it is an
	// unknown, bounded by every mark it has.
	classVar := make([]int32, len(r.classes))
	for ci, c := range r.classes {
		published := false
		for _, m := range c.members {
			published = published || m.e.visible() && !m.e.suppressed()
		}
		classVar[ci], j.ofClass[ci] = -1, -1
		if published {
			// Withheld where another table publishes it, it is known.
			for _, m := range c.members {
				if m.e.visible() && m.e.suppressed() {
					j.targets = append(j.targets, jtarget{members: []member{m}, class: -1})
				}
			}
			continue
		}
		z := j.newVar()
		classVar[ci] = z
		t := jtarget{vars: []int32{z}, class: int32(ci)}
		for _, m := range c.members {
			if m.e.visible() {
				lo, hi := bounds(m.e, r.k)
				j.add([]int32{z}, nil, lo, hi, m, rowMark)
				t.members = append(t.members, m)
			}
		}
		if len(t.members) > 0 {
			j.ofClass[ci] = int32(len(j.targets))
			j.targets = append(j.targets, t)
		}
	}
	for t, l := range r.ls {
		for _, e := range l.all {
			if e.hidden && e.class == 0 || e.row < 0 && !l.isMargin(e.coords) {
				continue
			}
			var sum []int32
			for _, b := range e.members {
				if v := varOf[t][b]; v >= 0 {
					sum = append(sum, v)
				}
			}
			m := member{int32(t), e}
			if e.class > 0 {
				if z := classVar[e.class-1]; z >= 0 {
					coef := make([]float64, len(sum)+1)
					for i := range sum {
						coef[i] = 1
					}
					coef[len(sum)] = -1
					j.add(append(sum, z), coef, 0, 0, m, rowLink)
				} else if len(sum) > 0 {
					j.add(sum, nil, 0, 0, m, rowPublished)
				}
				continue
			}
			if !e.suppressed() {
				if len(sum) > 0 {
					j.add(sum, nil, 0, 0, m, rowPublished)
				}
				continue
			}
			if len(sum) > 0 {
				lo, hi := bounds(e, r.k)
				j.add(sum, nil, lo, hi, m, rowMark)
			}
			j.own[e] = int32(len(j.targets))
			j.targets = append(j.targets, jtarget{vars: sum, members: []member{m}, class: -1})
		}
	}
	return j
}

// jprogram is the linear program of a joint system, split into its
// connected parts. A row of one unknown bounds it and is dropped, and an
// unknown bounded to 0 is fixed and leaves every row. For relax, rows of
// published counts stay rows, whose slacks stay in the simplex, and
// every bound remembers the rows that set it, so that what stops an
// objective can be told.
type jprogram struct {
	j            *joint
	relax        bool
	lo, hi       []float64 // per unknown
	loSrc, hiSrc [][]int32 // per unknown, with relax: the rows of j that set its bounds
	fixed        []bool
	rows         []jrow // merged: one per distinct combination of unknowns
	compOf       []int32
	localOf      []int32 // per unknown, its index in its part
	comps        []*jcomp
}

// jcomp is a connected part of a program: unknowns no row relates to
// those of another part.
type jcomp struct {
	vars    []int32 // global unknowns
	rows    []int32 // into jprogram.rows
	targets []int32 // into joint.targets
	lp      *simplex
	work    *simplex // where the last search left it
}

func coefAt(r *jrow, k int) float64 {
	if r.coef == nil {
		return 1
	}
	return r.coef[k]
}

// published reports whether a row says a published count does not move.
func (r *jrow) published() bool {
	for _, s := range r.src {
		if s.kind == rowPublished {
			return true
		}
	}
	return false
}

func (j *joint) program(relax bool) *jprogram {
	p := &jprogram{j: j, relax: relax, lo: make([]float64, j.nv), hi: make([]float64, j.nv), fixed: make([]bool, j.nv)}
	if relax {
		p.loSrc, p.hiSrc = make([][]int32, j.nv), make([][]int32, j.nv)
	}
	for v := range j.nv {
		p.lo[v], p.hi[v] = math.Inf(-1), math.Inf(1)
	}
	bound := func(i int) bool { return !relax || !j.rows[i].published() }
	for changed := true; changed; {
		changed = false
		for i := range j.rows {
			r := &j.rows[i]
			at, n := -1, 0
			for k, v := range r.vars {
				if !p.fixed[v] {
					at, n = k, n+1
				}
			}
			if n != 1 || !bound(i) {
				continue
			}
			v := r.vars[at]
			lo, hi := r.lo, r.hi
			if coefAt(r, at) < 0 {
				lo, hi = -hi, -lo
			}
			if relax {
				p.setSrc(v, i, lo, hi)
			}
			lo, hi = max(lo, p.lo[v]), min(hi, p.hi[v])
			if lo != p.lo[v] || hi != p.hi[v] {
				p.lo[v], p.hi[v] = lo, hi
				changed = true
			}
			if lo == 0 && hi == 0 {
				p.fixed[v] = true
				changed = true
			}
		}
	}
	rowOf := map[string]int{}
	for i := range j.rows {
		r := &j.rows[i]
		var vars []int32
		var coef []float64
		ones := true
		for k, v := range r.vars {
			if !p.fixed[v] {
				vars = append(vars, v)
				coef = append(coef, coefAt(r, k))
				ones = ones && coefAt(r, k) == 1
			}
		}
		if len(vars) == 0 || len(vars) == 1 && bound(i) {
			continue
		}
		if ones {
			coef = nil
		}
		key := rowKey(vars, coef)
		at, ok := rowOf[key]
		if !ok {
			at = len(p.rows)
			rowOf[key] = at
			p.rows = append(p.rows, jrow{vars: vars, coef: coef, lo: math.Inf(-1), hi: math.Inf(1)})
		}
		m := &p.rows[at]
		m.lo, m.hi = max(m.lo, r.lo), min(m.hi, r.hi)
		m.src = append(m.src, r.src...)
	}
	p.split()
	return p
}

// setSrc notes that row i bounds unknown v to [lo, hi], if that is as
// tight as what is known.
func (p *jprogram) setSrc(v int32, i int, lo, hi float64) {
	switch {
	case lo > p.lo[v]:
		p.loSrc[v] = []int32{int32(i)}
	case lo == p.lo[v] && !math.IsInf(lo, -1) && !slices.Contains(p.loSrc[v], int32(i)):
		p.loSrc[v] = append(p.loSrc[v], int32(i))
	}
	switch {
	case hi < p.hi[v]:
		p.hiSrc[v] = []int32{int32(i)}
	case hi == p.hi[v] && !math.IsInf(hi, 1) && !slices.Contains(p.hiSrc[v], int32(i)):
		p.hiSrc[v] = append(p.hiSrc[v], int32(i))
	}
}

// rowKey makes a map key of a row's unknowns and the signs of their
// coefficients.
func rowKey(vars []int32, coef []float64) string {
	b := make([]byte, 0, 5*len(vars))
	for k, v := range vars {
		sign := byte('+')
		if coef != nil && coef[k] < 0 {
			sign = '-'
		}
		b = append(b, sign, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return string(b)
}

// live returns the unknowns of vars that are not fixed.
func (p *jprogram) live(vars []int32) []int32 {
	var out []int32
	for _, v := range vars {
		if !p.fixed[v] {
			out = append(out, v)
		}
	}
	return out
}

// split finds the connected parts of the program.
func (p *jprogram) split() {
	parent := make([]int32, p.j.nv)
	for v := range parent {
		parent[v] = int32(v)
	}
	find := func(v int32) int32 {
		for parent[v] != v {
			parent[v] = parent[parent[v]]
			v = parent[v]
		}
		return v
	}
	union := func(vars []int32) {
		for _, v := range vars[1:] {
			a, b := find(vars[0]), find(v)
			if a != b {
				parent[b] = a
			}
		}
	}
	for i := range p.rows {
		union(p.rows[i].vars)
	}
	live := make([][]int32, len(p.j.targets))
	for ti, t := range p.j.targets {
		live[ti] = p.live(t.vars)
		if len(live[ti]) > 0 {
			union(live[ti])
		}
	}
	p.compOf = make([]int32, p.j.nv)
	p.localOf = make([]int32, p.j.nv)
	compAt := map[int32]int32{}
	for v := range p.j.nv {
		p.compOf[v] = -1
		if p.fixed[v] {
			continue
		}
		root := find(int32(v))
		c, ok := compAt[root]
		if !ok {
			c = int32(len(p.comps))
			compAt[root] = c
			p.comps = append(p.comps, &jcomp{})
		}
		p.compOf[v] = c
		p.localOf[v] = int32(len(p.comps[c].vars))
		p.comps[c].vars = append(p.comps[c].vars, int32(v))
	}
	for i := range p.rows {
		c := p.comps[p.compOf[p.rows[i].vars[0]]]
		c.rows = append(c.rows, int32(i))
	}
	for ti := range p.j.targets {
		if len(live[ti]) > 0 {
			c := p.comps[p.compOf[live[ti][0]]]
			c.targets = append(c.targets, int32(ti))
		}
	}
}

// simplex returns the simplex of a part, made on first use.
func (c *jcomp) simplex(p *jprogram) *simplex {
	if c.lp != nil {
		return c.lp
	}
	lo, hi := make([]float64, len(c.vars)), make([]float64, len(c.vars))
	for i, v := range c.vars {
		lo[i], hi[i] = p.lo[v], p.hi[v]
	}
	rows := make([][]int32, len(c.rows))
	coef := make([][]float64, len(c.rows))
	rlo, rhi := make([]float64, len(c.rows)), make([]float64, len(c.rows))
	var keep []bool
	if p.relax {
		keep = make([]bool, len(c.rows))
	}
	for k, i := range c.rows {
		r := &p.rows[i]
		rows[k] = p.locals(r.vars)
		coef[k], rlo[k], rhi[k] = r.coef, r.lo, r.hi
		if p.relax {
			keep[k] = r.published()
		}
	}
	c.lp = newSimplexOf(lo, hi, rows, coef, rlo, rhi, keep)
	return c.lp
}

// locals returns the indexes of unknowns in their part.
func (p *jprogram) locals(vars []int32) []int32 {
	out := make([]int32, len(vars))
	for k, v := range vars {
		out[k] = p.localOf[v]
	}
	return out
}

// audit returns the targets that the linear program pins: those it
// cannot move by 1 either way, of those not yet moved, which it marks
// in moved as it goes. As Audit, it moves each target from the true
// counts, and takes the point it reaches as a witness for every other
// target that point moves by 1. With relax, it returns besides, for
// each pinned target, the cheapest change that loosens what stops it,
// or nil.
func (j *joint) audit(moved []bool, relax bool) ([]int, [][]source, error) {
	p := j.program(relax)
	if moved == nil {
		moved = make([]bool, len(j.targets))
	}
	var pinned []int
	var fixes [][]source
	for ti, t := range j.targets {
		if moved[ti] {
			continue
		}
		vars := p.live(t.vars)
		if len(vars) == 0 {
			pinned, fixes = append(pinned, ti), append(fixes, nil)
			continue
		}
		c := p.comps[p.compOf[vars[0]]]
		var b *blocking
		if relax {
			b = &blocking{p: p, c: c, cost: infeasible}
		}
		s, err := c.moves(p, p.locals(vars), b)
		if err != nil {
			return nil, nil, fmt.Errorf("the linear program for %s %w", j.name(t), err)
		}
		if s == nil {
			pinned = append(pinned, ti)
			if b != nil {
				fixes = append(fixes, b.best)
			}
			continue
		}
		for _, o := range c.targets {
			if !moved[o] && math.Abs(c.sumAt(p, s, j.targets[o].vars)) >= 1-epsRound {
				moved[o] = true
			}
		}
	}
	return pinned, fixes, nil
}

// name names a target in errors.
func (j *joint) name(t jtarget) string {
	m := t.members[0]
	l := j.r.ls[m.t]
	return fmt.Sprintf("%s %q", l.name, l.keys(m.e))
}

// moves looks for a point of a part where the sum of vars, local
// unknowns, is at least 1 away from the true one, up or down, as
// program.moves does. It goes on from the point the last search of the
// part reached, which is as good a start as the true counts and saves
// copying the dictionary; a search that stalls there, or ends at a point
// that rounding has taken out of bounds, is done again from the start.
// If there is no such point and b is not nil, b notes what stops it.
func (c *jcomp) moves(p *jprogram, vars []int32, b *blocking) (*simplex, error) {
	if c.work != nil {
		b.reset()
		s, ok := search(c.work, vars, b)
		if ok && (s == nil && c.work.inBounds() || s != nil && c.feasible(p, s)) {
			return s, nil
		}
	}
	c.work = c.simplex(p).clone()
	b.reset()
	s, ok := search(c.work, vars, b)
	switch {
	case !ok:
		return nil, errors.New("did not finish")
	case s != nil && !c.feasible(p, s):
		return nil, errors.New("lost precision")
	}
	return s, nil
}

// search moves the sum of vars by 1 from the true one, up or down, from
// the point of s. It returns s at the point it reached, nil if no point
// is far enough, and false if the simplex stalled. Where the objective
// stops short, b notes what stops it.
func search(s *simplex, vars []int32, b *blocking) (*simplex, bool) {
	for _, sign := range []float64{1, -1} {
		switch s.maximize(vars, sign, 1) {
		case reached:
			return s, true
		case stalled:
			return nil, false
		}
		b.note(s)
	}
	return nil, true
}

// sumAt returns the sum of global unknowns at the point a simplex of
// the part reached; fixed ones are 0.
func (c *jcomp) sumAt(p *jprogram, s *simplex, vars []int32) float64 {
	sum := 0.0
	for _, v := range vars {
		if !p.fixed[v] {
			sum += s.x[p.localOf[v]]
		}
	}
	return sum
}

// feasible reports whether the point a simplex reached meets every row
// and bound of the part, to within rounding. Rows the simplex dropped as
// implied by the others are left out: most rows of a report are links
// that others imply, and they hold where those hold.
func (c *jcomp) feasible(p *jprogram, s *simplex) bool {
	for k, v := range c.vars {
		if x := s.x[k]; x < p.lo[v]-epsRound || x > p.hi[v]+epsRound {
			return false
		}
	}
	for k, i := range c.rows {
		if c.lp.implied != nil && c.lp.implied[k] {
			continue
		}
		r := &p.rows[i]
		sum := 0.0
		for k, v := range r.vars {
			x := s.x[p.localOf[v]]
			if r.coef != nil {
				x *= r.coef[k]
			}
			sum += x
		}
		if sum < r.lo-epsRound || sum > r.hi+epsRound {
			return false
		}
	}
	return true
}

// blocking collects, at the optima that stop a target, the cheapest
// change that loosens a bound or row that stops it.
type blocking struct {
	p    *jprogram
	c    *jcomp
	best []source
	cost cost
}

func (b *blocking) reset() {
	if b != nil {
		b.best, b.cost = nil, infeasible
	}
}

// note looks at the columns that stop the objective at the optimum of s:
// an unknown at a bound, or a row's slack, whose reduced cost says that
// loosening it would let the objective grow.
func (b *blocking) note(s *simplex) {
	if b == nil {
		return
	}
	vars, upper := s.blocking()
	for k, v := range vars {
		var row *jrow
		if i := int(v) - len(b.c.vars); i >= 0 {
			row = &b.p.rows[b.c.rows[i]]
		} else {
			g := b.c.vars[v]
			srcs := b.p.loSrc[g]
			if upper[k] {
				srcs = b.p.hiSrc[g]
			}
			row = &jrow{}
			for _, i := range srcs {
				row.src = append(row.src, b.p.j.rows[i].src...)
			}
		}
		if src, c := b.p.j.r.loosen(row, upper[k]); src != nil && c.less(b.cost) {
			b.best, b.cost = src, c
		}
	}
}

// loosen returns what to change to loosen a row at its upper bound, or
// at its lower one, and at what cost, or nil if nothing can: published
// counts it withholds, primary marks it makes secondary. Links and
// lower bounds are true of every report.
func (r *report) loosen(row *jrow, upper bool) ([]source, cost) {
	var out []source
	var c cost
	published := row.published()
	for _, s := range row.src {
		switch {
		case s.kind == rowPublished:
			out = append(out, s)
			c = c.plus(cost{1, int64(s.m.e.value)})
		case !published && upper && s.kind == rowMark && s.m.e.status == Primary:
			out = append(out, s)
			c = c.plus(cost{0, int64(r.k) + 1})
		}
	}
	return out, c
}

// relax makes the changes audit found, and reports whether any changed
// a mark.
func (r *report) relax(fixes [][]source) bool {
	changed := false
	for _, fix := range fixes {
		for _, s := range fix {
			if s.kind == rowPublished {
				changed = r.withhold(s.m) || changed
			} else {
				changed = r.relabel(s.m) || changed
			}
		}
	}
	return changed
}
