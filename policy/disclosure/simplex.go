package disclosure

import (
	"math"
	"slices"
)

// Tolerances of the simplex. The programs come from tables of counts:
// their coefficients are 0 and 1, their bounds small integers, so the
// numbers stay near 1 and absolute tolerances do.
const (
	epsPivot = 1e-9 // smallest tableau entry a step or a pivot may use
	epsCost  = 1e-9 // smallest reduced cost worth a step
	epsRound = 1e-6 // how far from the goal the objective may stop
)

// simplex maximises a linear function over the polytope
// {y : lo ≤ y ≤ hi, rlo ≤ A·y ≤ rhi} from y = 0, which must lie in it;
// every row of A sums some variables. It is a bounded-variable primal
// simplex on a dense dictionary: every basic variable is a combination
// of the nonbasic ones, with no constant, as all relations are
// homogeneous. Variables are the structural ones, then one slack per row
// (the row's sum). Nonbasic variables may rest between their bounds, as
// all do at the start.
type simplex struct {
	m, n      int
	a         []float64 // m×n: basic[i] = Σ_j a[i*n+j]·col[j]
	basic     []int32   // the variable of each row
	col       []int32   // the variable of each column
	lo, hi, x []float64 // per variable
	d         []float64 // reduced costs of the columns
	where     []int32   // per variable, 1 + its row, or -1 - its column, or 0
	implied   []bool    // per row made from, whether it was dropped as implied
}

// newSimplex makes the dictionary of the rows, each the sum of a list of
// structural variables, and eliminates the rows whose bounds are equal:
// their slack leaves the basis for good, and a structural variable that
// is solved for takes its place. Rows that no bound limits are dropped.
func newSimplex(lo, hi []float64, rows [][]int32, rlo, rhi []float64) *simplex {
	return newSimplexOf(lo, hi, rows, nil, rlo, rhi, nil)
}

// newSimplexOf is newSimplex for rows with coefficients: coef[i][k] is
// that of rows[i][k], and a nil coef or coef[i] means all ones. The
// slack of an equality row i with keep[i] stays in the dictionary as a
// column: it never moves, but its reduced cost at an optimum says
// whether the row stops the objective.
//
// The rows of tables are sparse, and most are equalities, which leave
// few columns: they are eliminated on sparse rows, each pivot on the
// column of the fewest nonzeros among entries not much smaller than the
// row's largest, and only what is left is made dense.
func newSimplexOf(lo, hi []float64, rows [][]int32, coef [][]float64, rlo, rhi []float64, keep []bool) *simplex {
	p := len(lo)
	s := &simplex{lo: append(append([]float64{}, lo...), rlo...), hi: append(append([]float64{}, hi...), rhi...)}
	s.x = make([]float64, len(s.lo))
	e := &sparseElim{in: make([][]int32, len(s.lo)), count: make([]int32, len(s.lo))}
	for i, row := range rows {
		if math.IsInf(rlo[i], -1) && math.IsInf(rhi[i], 1) {
			continue
		}
		var line []term
		for k, v := range row {
			if lo[v] < hi[v] { // a fixed variable is 0
				a := 1.0
				if coef != nil && coef[i] != nil {
					a = coef[i][k]
				}
				line = append(line, term{v, a})
			}
		}
		slices.SortFunc(line, func(x, y term) int { return int(x.v - y.v) })
		e.basic = append(e.basic, int32(p+i))
		e.lines = append(e.lines, nil)
		e.set(len(e.lines)-1, line)
	}
	drop := make([]bool, len(e.lines))
	for i := range e.lines {
		if !s.fixed(e.basic[i]) {
			continue
		}
		if !e.pivot(s, i, keep != nil && keep[int(e.basic[i])-p]) {
			drop[i] = true // implied by the rows before
			e.set(i, nil)
			if s.implied == nil {
				s.implied = make([]bool, len(rows))
			}
			s.implied[int(e.basic[i])-p] = true
		}
	}
	isBasic := make(map[int32]bool, len(e.basic))
	for i, b := range e.basic {
		if !drop[i] {
			isBasic[b] = true
		}
	}
	for v := range p {
		if lo[v] < hi[v] && !isBasic[int32(v)] {
			s.col = append(s.col, int32(v))
		}
	}
	for v := p; v < len(s.lo); v++ {
		if e.count[v] > 0 { // a kept slack
			s.col = append(s.col, int32(v))
		}
	}
	s.n = len(s.col)
	at := make(map[int32]int, s.n)
	for j, v := range s.col {
		at[v] = j
	}
	kept := 0
	for _, d := range drop {
		if !d {
			kept++
		}
	}
	s.a = make([]float64, 0, kept*s.n)
	for i, line := range e.lines {
		if drop[i] {
			continue
		}
		s.basic = append(s.basic, e.basic[i])
		s.a = s.a[:len(s.a)+s.n]
		dense := s.a[len(s.a)-s.n:]
		for _, t := range line {
			dense[at[t.v]] = t.a
		}
	}
	s.m = len(s.basic)
	s.d = make([]float64, s.n)
	s.where = make([]int32, len(s.lo))
	for i, v := range s.basic {
		s.where[v] = int32(i + 1)
	}
	for j, v := range s.col {
		s.where[v] = int32(-j - 1)
	}
	return s
}

// term is a variable of a sparse line and its coefficient.
type term struct {
	v int32
	a float64
}

// sparseElim is a dictionary of sparse lines, basic[i] = Σ lines[i],
// each sorted by variable, in which equality rows are eliminated.
type sparseElim struct {
	basic []int32
	lines [][]term
	in    [][]int32 // per variable, the lines that hold it, and some that did
	count []int32   // per variable, how many lines hold it
}

// set replaces line i.
func (e *sparseElim) set(i int, line []term) {
	for _, t := range e.lines[i] {
		e.count[t.v]--
	}
	for _, t := range line {
		e.count[t.v]++
		e.in[t.v] = append(e.in[t.v], int32(i))
	}
	e.lines[i] = line
}

// pivot solves line i, whose basic variable is fixed, for one of its
// nonbasic ones and puts that into every other line, which leaves the
// fixed variable out unless keep. Among the entries not much
// smaller than the line's largest it takes the variable of fewest
// lines, which fills in the fewest entries. It reports false if line i
// has no entry: the row is implied by the others.
func (e *sparseElim) pivot(s *simplex, i int, keep bool) bool {
	line := e.lines[i]
	largest := 0.0
	for _, t := range line {
		if !s.fixed(t.v) {
			largest = max(largest, math.Abs(t.a))
		}
	}
	c := -1
	for k, t := range line {
		if largest > epsPivot && math.Abs(t.a) >= largest/8 && !s.fixed(t.v) && (c < 0 || e.count[t.v] < e.count[line[c].v]) {
			c = k
		}
	}
	if c < 0 {
		return false
	}
	// x[v] = (basic[i] - Σ_{u≠v} a_u·x[u]) / a_v.
	v, av := line[c].v, line[c].a
	def := make([]term, 0, len(line))
	for _, t := range line {
		if t.v != v {
			def = append(def, term{t.v, -t.a / av})
		}
	}
	if keep {
		def = append(def, term{e.basic[i], 1 / av})
		slices.SortFunc(def, func(x, y term) int { return int(x.v - y.v) })
	}
	e.set(i, def)
	e.basic[i] = v
	holders := e.in[v]
	e.in[v] = nil
	for _, j := range holders {
		if int(j) == i {
			continue
		}
		old := e.lines[j]
		k, ok := slices.BinarySearchFunc(old, v, func(t term, v int32) int { return int(t.v - v) })
		if !ok {
			continue // it held v once
		}
		e.set(int(j), addScaled(old, k, old[k].a, def))
	}
	return true
}

// addScaled returns line without its entry k, plus f·def.
func addScaled(line []term, k int, f float64, def []term) []term {
	out := make([]term, 0, len(line)+len(def))
	a, b := 0, 0
	for a < len(line) || b < len(def) {
		switch {
		case a == k:
			a++
		case b == len(def) || a < len(line) && line[a].v < def[b].v:
			out = append(out, line[a])
			a++
		case a == len(line) || def[b].v < line[a].v:
			out = append(out, term{def[b].v, f * def[b].a})
			b++
		default:
			if x := line[a].a + f*def[b].a; math.Abs(x) >= 1e-12 {
				out = append(out, term{line[a].v, x})
			}
			a++
			b++
		}
	}
	return out
}

func (s *simplex) fixed(v int32) bool { return s.lo[v] == s.hi[v] }

// clone returns a copy to optimise, leaving s as it is.
func (s *simplex) clone() *simplex {
	c := *s
	c.a = append([]float64(nil), s.a...)
	c.basic = append([]int32(nil), s.basic...)
	c.col = append([]int32(nil), s.col...)
	c.x = append([]float64(nil), s.x...)
	c.where = append([]int32(nil), s.where...)
	c.d = make([]float64, s.n)
	return &c
}

// pivot exchanges the basic variable of row r with the nonbasic one of
// column c.
func (s *simplex) pivot(r, c int) {
	n := s.n
	row := s.a[r*n : r*n+n]
	p := row[c]
	var nz []int // the row's nonzero columns, but c: tables' rows are sparse
	for k := range row {
		if row[k] != 0 && k != c {
			row[k] = -row[k] / p
			nz = append(nz, k)
		}
	}
	row[c] = 1 / p
	update := func(line []float64) {
		f := line[c]
		if f == 0 {
			return
		}
		line[c] = f * row[c]
		for _, k := range nz {
			line[k] += f * row[k]
			if math.Abs(line[k]) < 1e-12 {
				line[k] = 0
			}
		}
	}
	for i := range s.m {
		if i != r {
			update(s.a[i*n : i*n+n])
		}
	}
	update(s.d)
	s.basic[r], s.col[c] = s.col[c], s.basic[r]
	s.where[s.basic[r]], s.where[s.col[c]] = int32(r+1), int32(-c-1)
}

// outcome of maximize.
type outcome int

const (
	reached outcome = iota // the objective reached the goal
	optimal                // the objective's maximum is below the goal
	stalled                // too many steps: the answer is unknown
)

// maximize raises sign·Σ x[v] over the structural variables vars until it
// reaches goal, from the current point, and returns what became of it.
// The point, in x, stays feasible throughout.
func (s *simplex) maximize(vars []int32, sign, goal float64) outcome {
	clear(s.d)
	value := 0.0
	for _, v := range vars {
		value += sign * s.x[v]
		if w := s.where[v]; w < 0 {
			s.d[-w-1] += sign
		} else if i := int(w) - 1; w > 0 {
			for k, a := range s.a[i*s.n : i*s.n+s.n] {
				s.d[k] += sign * a
			}
		}
	}
	degenerate := 0
	for range 50*(s.m+s.n) + 1000 {
		if value >= goal-epsRound {
			return reached
		}
		j, dir := s.entering(degenerate > 20)
		if j < 0 {
			return optimal
		}
		step, leave := s.ratio(j, dir, degenerate > 20)
		unbounded := math.IsInf(step, 1)
		if unbounded {
			step = (goal - value) / math.Abs(s.d[j]) // go just far enough
		}
		s.move(j, dir*step)
		value += math.Abs(s.d[j]) * step
		switch {
		case leave >= 0: // a basic variable reaches a bound: it leaves at it
			s.snap(s.basic[leave], s.a[leave*s.n+j]*dir > 0)
			s.pivot(leave, j)
		case !unbounded: // j reaches its own other bound
			s.snap(s.col[j], dir > 0)
		}
		if step < 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
	}
	return stalled
}

// entering picks the column to move and its direction: the largest
// reduced cost, or with bland the lowest variable, so that degenerate
// steps cannot cycle.
func (s *simplex) entering(bland bool) (int, float64) {
	at, dir, best := -1, 0.0, 0.0
	for j, v := range s.col {
		dj := s.d[j]
		var score, sd float64
		switch {
		case dj > epsCost && s.x[v] < s.hi[v]:
			score, sd = dj, 1
		case dj < -epsCost && s.x[v] > s.lo[v]:
			score, sd = -dj, -1
		default:
			continue
		}
		if bland {
			if at < 0 || v < s.col[at] {
				at, dir = j, sd
			}
		} else if score > best {
			at, dir, best = j, sd, score
		}
	}
	return at, dir
}

// ratio returns how far column j may move in direction dir, and the row
// whose variable then reaches a bound (-1 when it is j's own bound).
func (s *simplex) ratio(j int, dir float64, bland bool) (float64, int) {
	v := s.col[j]
	step := s.hi[v] - s.x[v]
	if dir < 0 {
		step = s.x[v] - s.lo[v]
	}
	leave := -1
	for i := range s.m {
		aij := s.a[i*s.n+j] * dir
		if math.Abs(aij) < epsPivot {
			continue
		}
		b := s.basic[i]
		room := (s.hi[b] - s.x[b]) / aij
		if aij < 0 {
			room = (s.x[b] - s.lo[b]) / -aij
		}
		room = max(room, 0)
		switch {
		case room < step-1e-12:
		case room > step+1e-12 || leave < 0:
			continue
		case bland && b > s.basic[leave]:
			continue
		case !bland && math.Abs(aij) <= math.Abs(s.a[leave*s.n+j]):
			continue
		}
		step, leave = room, i
	}
	return step, leave
}

// snap sets a variable that has reached a bound to it exactly.
func (s *simplex) snap(v int32, upper bool) {
	if upper {
		s.x[v] = s.hi[v]
	} else {
		s.x[v] = s.lo[v]
	}
}

// move shifts the nonbasic variable of column j by delta.
func (s *simplex) move(j int, delta float64) {
	s.x[s.col[j]] += delta
	for i, b := range s.basic {
		s.x[b] += s.a[i*s.n+j] * delta
	}
}

// blocking returns, after maximize has found the objective's maximum
// short of its goal, the nonbasic variables whose bounds stop it, and
// for each whether the bound is its upper one: the constraints that,
// loosened, would let the objective grow.
func (s *simplex) blocking() (vars []int32, upper []bool) {
	for j, v := range s.col {
		switch {
		case s.d[j] > epsCost:
			vars, upper = append(vars, v), append(upper, true)
		case s.d[j] < -epsCost:
			vars, upper = append(vars, v), append(upper, false)
		}
	}
	return vars, upper
}

// inBounds reports whether the point of s is within every bound, to
// within rounding.
func (s *simplex) inBounds() bool {
	for v, x := range s.x {
		if x < s.lo[v]-epsRound || x > s.hi[v]+epsRound {
			return false
		}
	}
	return true
}
