package disclosure

import "math"

// noBound stands for a missing upper bound of an integer deviation.
const noBound = math.MaxInt

// system is what an attacker knows of the withheld base cells of a
// lattice, written for their deviations δ from the true counts: a
// published total fixes the sum of the deviations of its withheld cells
// to 0; a withheld entry bounds it by what its mark says (1 to K for a
// primary one, at least 1 for a secondary one, since zero is never
// withheld). A deviation that meets every bound is another table the
// published one is equally consistent with.
type system struct {
	vars  []int32   // the lattice.base index of each variable
	touch []*entry  // the entries that sum some variable
	sup   [][]int32 // per touched entry, the variables it sums, ascending
	lo    []int     // per touched entry, the least deviation of its sum
	hi    []int     // per touched entry, the largest, or noBound
	of    map[*entry]int
}

func newSystem(l *lattice) *system {
	s := &system{of: map[*entry]int{}}
	varOf := make([]int32, len(l.base))
	for i, b := range l.base {
		varOf[i] = -1
		if b.suppressed() {
			varOf[i] = int32(len(s.vars))
			s.vars = append(s.vars, int32(i))
		}
	}
	l.epoch++
	sups := make([]uint64, 1<<len(l.dims))
	for _, v := range s.vars {
		l.supersets(l.base[v].coords, sups)
		for _, x := range sups {
			e := l.at(x)
			if e.mark == l.epoch || e.hidden {
				continue
			}
			e.mark = l.epoch
			var sup []int32
			for _, m := range e.members {
				if varOf[m] >= 0 {
					sup = append(sup, varOf[m])
				}
			}
			lo, hi := bounds(e, l.k)
			s.of[e] = len(s.touch)
			s.touch = append(s.touch, e)
			s.sup = append(s.sup, sup)
			s.lo = append(s.lo, lo)
			s.hi = append(s.hi, hi)
		}
	}
	return s
}

// bounds returns what the mark of an entry says of its deviation.
func bounds(e *entry, k int) (lo, hi int) {
	switch e.status {
	case Primary:
		return 1 - e.value, k - e.value
	case Secondary:
		return 1 - e.value, noBound
	}
	return 0, 0
}

// program is the linear program of a system: the variables that no
// bound fixes at 0, and one row per distinct set of them that some
// touched entry sums, with the tightest bounds of those entries.
type program struct {
	sys  *system
	lpOf []int32 // per system variable, its program variable, or -1 when fixed at 0
	lp   *simplex
}

func (s *system) program() *program {
	nv := len(s.vars)
	lo, hi := make([]int, nv), make([]int, nv)
	for v := range nv {
		lo[v], hi[v] = math.MinInt, noBound
	}
	fixed := make([]bool, nv)
	live := func(sup []int32) []int32 {
		var out []int32
		for _, v := range sup {
			if !fixed[v] {
				out = append(out, v)
			}
		}
		return out
	}
	// A sum of one variable bounds it; fixing a variable may leave another
	// sum with one, so repeat until nothing changes.
	for changed := true; changed; {
		changed = false
		for i, sup := range s.sup {
			l := live(sup)
			if len(l) != 1 {
				continue
			}
			v := l[0]
			nlo, nhi := max(lo[v], s.lo[i]), min(hi[v], s.hi[i])
			if nlo != lo[v] || nhi != hi[v] {
				lo[v], hi[v] = nlo, nhi
				changed = true
			}
			if lo[v] == 0 && hi[v] == 0 && !fixed[v] {
				fixed[v] = true
				changed = true
			}
		}
	}
	p := &program{sys: s, lpOf: make([]int32, nv)}
	var flo, fhi []float64
	for v := range nv {
		p.lpOf[v] = -1
		if !fixed[v] {
			p.lpOf[v] = int32(len(flo))
			flo, fhi = append(flo, float(lo[v])), append(fhi, float(hi[v]))
		}
	}
	rowOf := map[string]int{}
	var rows [][]int32
	var rlo, rhi []float64
	for i, sup := range s.sup {
		l := live(sup)
		if len(l) < 2 {
			continue
		}
		for k, v := range l {
			l[k] = p.lpOf[v]
		}
		key := supportKey(l)
		r, ok := rowOf[key]
		if !ok {
			r = len(rows)
			rowOf[key] = r
			rows = append(rows, l)
			rlo, rhi = append(rlo, math.Inf(-1)), append(rhi, math.Inf(1))
		}
		rlo[r], rhi[r] = max(rlo[r], float(s.lo[i])), min(rhi[r], float(s.hi[i]))
	}
	p.lp = newSimplex(flo, fhi, rows, rlo, rhi)
	return p
}

func float(b int) float64 {
	switch b {
	case noBound:
		return math.Inf(1)
	case math.MinInt:
		return math.Inf(-1)
	}
	return float64(b)
}

func supportKey(vars []int32) string {
	b := make([]byte, 0, 4*len(vars))
	for _, v := range vars {
		b = append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return string(b)
}

// target returns the program variables an entry sums.
func (p *program) target(e *entry) []int32 {
	i, ok := p.sys.of[e]
	if !ok {
		return nil
	}
	var out []int32
	for _, v := range p.sys.sup[i] {
		if p.lpOf[v] >= 0 {
			out = append(out, p.lpOf[v])
		}
	}
	return out
}

// moves looks for a point of the program where the sum of vars is at
// least 1 away from the true one (0), up or down. It returns the simplex
// that found it, nil if there is none, and false if the simplex stalled.
func (p *program) moves(vars []int32) (*simplex, bool) {
	for _, sign := range []float64{1, -1} {
		s := p.lp.clone()
		switch s.maximize(vars, sign, 1) {
		case reached:
			return s, true
		case stalled:
			return nil, false
		}
	}
	return nil, true
}

// feasible reports whether the point a simplex reached meets every bound
// of the system, to within rounding.
func (p *program) feasible(s *simplex) bool {
	for i := range p.sys.sup {
		if sum := p.sumAt(s, i); sum < float(p.sys.lo[i])-epsRound || sum > float(p.sys.hi[i])+epsRound {
			return false
		}
	}
	return true
}

// witness sets moved[i] for each touched entry whose sum the point a
// simplex reached moves by at least 1: the point shows that entry cannot
// be pinned either.
func (p *program) witness(s *simplex, moved []bool) {
	for i := range p.sys.sup {
		if math.Abs(p.sumAt(s, i)) >= 1-epsRound {
			moved[i] = true
		}
	}
}

// sumAt returns the deviation of touched entry i at the point a simplex
// reached.
func (p *program) sumAt(s *simplex, i int) float64 {
	sum := 0.0
	for _, v := range p.sys.sup[i] {
		if x := p.lpOf[v]; x >= 0 {
			sum += s.x[x]
		}
	}
	return sum
}
