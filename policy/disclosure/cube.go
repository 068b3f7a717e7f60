package disclosure

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// A cube is a pattern of cells that protects an entry e: for each
// dimension a partner, a second coordinate besides e's own. Its corners
// are the 2^n entries with either coordinate in each dimension, e among
// them. Moving e by one, and every corner by one up or down — the sign
// flips with each dimension whose two coordinates are both values, and
// stays where one of them is the total — changes no other entry of the
// lattice: each dimension's change sums to its total's. So if every
// corner is withheld and its mark allows the move, the published table is
// as consistent with the moved counts as with the true ones, and no one
// can tell e's count exactly. The move is by whole counts, so this holds
// for an attacker who knows the counts are integers, too.
type cube struct {
	partner []uint16
	up      bool // e moves up; else down
	cost    cost
}

// cost is what a cube takes from the published table. The cheapest cube
// withholds the fewest published counts, then the smallest; marking a
// primary total secondary counts as K+1 towards the sum, like
// withholding a count just above K, but withholds nothing.
type cost struct {
	withheld int   // published counts withheld
	sum      int64 // their sum, and K+1 for each primary total marked secondary
}

// infeasible is the cost of a corner that cannot move as a cube asks.
var infeasible = cost{withheld: math.MaxInt}

func (a cost) plus(b cost) cost {
	if a == infeasible || b == infeasible {
		return infeasible
	}
	return cost{a.withheld + b.withheld, a.sum + b.sum}
}

func (a cost) less(b cost) bool {
	return a.withheld < b.withheld || a.withheld == b.withheld && a.sum < b.sum
}

func minCost(a, b cost) cost {
	if b.less(a) {
		return b
	}
	return a
}

// searchBudget caps the corners one search looks at. Tables of a few
// dimensions are searched in full well within it; for many dimensions
// the search keeps the cheapest cube found when it runs out.
const searchBudget = 1 << 15

type cubeSearch struct {
	l       *lattice
	e       *entry
	cand    [][]uint16 // per dimension, the partners worth trying, best first
	partner []uint16
	diff    []uint64 // per dimension, the change of index from e's coordinate to the partner
	flips   []bool   // per dimension, whether the partner's corners change sign
	budget  int
	best    cube
}

// cheapest returns the cube of least cost that protects e. There is
// always one: the cube of e's totals over each dimension (and, where e
// is a total, one of its cells), moved up, which only withholds totals
// or marks them secondary.
func (l *lattice) cheapest(e *entry) cube {
	n := len(l.dims)
	s := newCubeSearch(l, e)
	s.budget = searchBudget
	fallback := make([]uint16, n)
	cell := l.base[e.members[0]]
	for d := range n {
		fallback[d] = l.top(d)
		if e.coords[d] == l.top(d) {
			fallback[d] = cell.coords[d]
		}
	}
	c := s.eval(fallback)
	s.best = cube{partner: fallback, up: !c[1].less(c[0]), cost: minCost(c[0], c[1])}
	s.cand = make([][]uint16, n)
	for d := range n {
		var keys []int
		for x := range l.top(d) + 1 {
			if x == e.coords[d] {
				continue
			}
			f := l.at(e.index + (uint64(x)-uint64(e.coords[d]))*l.stride[d])
			if f == nil || f.value == 0 {
				continue // a corner of every cube with this partner
			}
			s.cand[d] = append(s.cand[d], x)
			keys = append(keys, f.value)
			if f.suppressed() {
				keys[len(keys)-1] = 0
			}
		}
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
		sorted := make([]uint16, len(order))
		for i, o := range order {
			sorted[i] = s.cand[d][o]
		}
		s.cand[d] = sorted
	}
	s.dfs(0, [2]cost{s.shift(e, 1), s.shift(e, -1)})
	return s.best
}

// dfs chooses the partner of dimension j, given those of the dimensions
// before it and the costs, up and down, of the corners they determine.
func (s *cubeSearch) dfs(j int, costs [2]cost) {
	if j == len(s.partner) {
		for dir, c := range costs {
			if c.less(s.best.cost) {
				s.best = cube{partner: slices.Clone(s.partner), up: dir == 0, cost: c}
			}
		}
		return
	}
	for _, p := range s.cand[j] {
		if s.budget <= 0 || s.best.cost == (cost{}) {
			return
		}
		s.setPartner(j, p)
		c := costs
		for b := range 1 << j { // the corners with partner j and none after it
			f, sign := s.corner(b | 1<<j)
			s.budget--
			c[0] = c[0].plus(s.shift(f, sign))
			c[1] = c[1].plus(s.shift(f, -sign))
			if !c[0].less(s.best.cost) && !c[1].less(s.best.cost) {
				break
			}
		}
		if minCost(c[0], c[1]).less(s.best.cost) {
			s.dfs(j+1, c)
		}
	}
}

// eval returns the costs of a whole cube, moving e up and down.
func (s *cubeSearch) eval(partner []uint16) [2]cost {
	for d, p := range partner {
		s.setPartner(d, p)
	}
	var c [2]cost
	for mask := range 1 << len(partner) {
		f, sign := s.corner(mask)
		c[0] = c[0].plus(s.shift(f, sign))
		c[1] = c[1].plus(s.shift(f, -sign))
	}
	return c
}

func newCubeSearch(l *lattice, e *entry) *cubeSearch {
	n := len(l.dims)
	return &cubeSearch{l: l, e: e, partner: make([]uint16, n), diff: make([]uint64, n), flips: make([]bool, n)}
}

func (s *cubeSearch) setPartner(d int, p uint16) {
	x, top := s.e.coords[d], s.l.top(d)
	s.partner[d] = p
	s.diff[d] = (uint64(p) - uint64(x)) * s.l.stride[d]
	s.flips[d] = x != top && p != top
}

// corner returns the corner with the partners of the dimensions in mask
// and e's coordinates in the others, and its sign.
func (s *cubeSearch) corner(mask int) (*entry, int) {
	x, sign := s.e.index, 1
	for m := uint(mask); m != 0; m &= m - 1 {
		d := bits.TrailingZeros(m)
		x += s.diff[d]
		if s.flips[d] {
			sign = -sign
		}
	}
	return s.l.at(x), sign
}

// shift returns the cost of moving an entry by delta.
func (s *cubeSearch) shift(f *entry, delta int) cost {
	if f == nil || f.value == 0 || f.value+delta < 1 {
		return infeasible // zero is published, and a withheld count is not zero
	}
	switch {
	case f.hidden:
		return cost{} // no one knows it
	case f.status == Published:
		return cost{1, int64(f.value)}
	case f.status == Primary && f.value+delta > s.l.k:
		return cost{0, int64(s.l.k) + 1}
	}
	return cost{}
}

// apply withholds the corners of a cube and marks them as shown to move.
func (l *lattice) apply(e *entry, c cube) {
	l.cubes = append(l.cubes, applied{e, c})
	s := newCubeSearch(l, e)
	for d, p := range c.partner {
		s.setPartner(d, p)
	}
	for mask := range 1 << len(l.dims) {
		f, sign := s.corner(mask)
		if !c.up {
			sign = -sign
		}
		if f.hidden {
			continue
		}
		if f.status == Published || f.status == Primary && f.value+sign > l.k {
			f.status = Secondary
		}
		f.done = true
	}
}
