package disclosure

import "math"

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
}

// newSimplex makes the dictionary of the rows, each a list of structural
// variables, and eliminates the rows whose bounds are equal: their slack
// leaves the basis for good, and a structural variable that is solved
// for takes its place. Rows that no bound limits are dropped.
func newSimplex(lo, hi []float64, rows [][]int32, rlo, rhi []float64) *simplex {
	p := len(lo)
	s := &simplex{lo: append(append([]float64{}, lo...), rlo...), hi: append(append([]float64{}, hi...), rhi...)}
	s.x = make([]float64, len(s.lo))
	for v := range p {
		if lo[v] < hi[v] {
			s.col = append(s.col, int32(v))
		}
	}
	s.n = len(s.col)
	at := make([]int, p)
	for j, v := range s.col {
		at[v] = j + 1
	}
	for i, row := range rows {
		if math.IsInf(rlo[i], -1) && math.IsInf(rhi[i], 1) {
			continue
		}
		s.basic = append(s.basic, int32(p+i))
		line := make([]float64, s.n)
		for _, v := range row {
			if at[v] > 0 {
				line[at[v]-1] = 1
			}
		}
		s.a = append(s.a, line...)
	}
	s.m = len(s.basic)
	s.d = make([]float64, s.n)
	s.eliminate()
	return s
}

func (s *simplex) fixed(v int32) bool { return s.lo[v] == s.hi[v] }

// eliminate pivots every equality row's slack out of the basis and then
// drops the columns of fixed variables and the rows left all zero.
func (s *simplex) eliminate() {
	dropRow := make([]bool, s.m)
	for i := range s.m {
		if !s.fixed(s.basic[i]) {
			continue
		}
		best, at := epsPivot, -1
		for j := range s.n {
			if v := math.Abs(s.a[i*s.n+j]); v > best && !s.fixed(s.col[j]) {
				best, at = v, j
			}
		}
		if at < 0 {
			dropRow[i] = true // implied by the rows before
			continue
		}
		s.pivot(i, at)
	}
	keepCol := make([]int, 0, s.n)
	for j, v := range s.col {
		if !s.fixed(v) {
			keepCol = append(keepCol, j)
		}
	}
	var a []float64
	var basic []int32
	for i := range s.m {
		if dropRow[i] {
			continue
		}
		basic = append(basic, s.basic[i])
		for _, j := range keepCol {
			a = append(a, s.a[i*s.n+j])
		}
	}
	col := make([]int32, len(keepCol))
	for k, j := range keepCol {
		col[k] = s.col[j]
	}
	s.a, s.basic, s.col = a, basic, col
	s.m, s.n = len(basic), len(col)
	s.d = make([]float64, s.n)
}

// clone returns a copy to optimise, leaving s as it is.
func (s *simplex) clone() *simplex {
	c := *s
	c.a = append([]float64(nil), s.a...)
	c.basic = append([]int32(nil), s.basic...)
	c.col = append([]int32(nil), s.col...)
	c.x = append([]float64(nil), s.x...)
	c.d = make([]float64, s.n)
	return &c
}

// pivot exchanges the basic variable of row r with the nonbasic one of
// column c.
func (s *simplex) pivot(r, c int) {
	n := s.n
	row := s.a[r*n : r*n+n]
	p := row[c]
	for k := range row {
		row[k] = -row[k] / p
	}
	row[c] = 1 / p
	update := func(line []float64) {
		f := line[c]
		if f == 0 {
			return
		}
		for k, rk := range row {
			if k == c {
				line[k] = f * rk
			} else if rk != 0 {
				line[k] += f * rk
				if math.Abs(line[k]) < 1e-12 {
					line[k] = 0
				}
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
	inCol := make(map[int32]int, s.n)
	for j, v := range s.col {
		inCol[v] = j
	}
	inRow := make(map[int32]int, s.m)
	for i, v := range s.basic {
		inRow[v] = i
	}
	for _, v := range vars {
		value += sign * s.x[v]
		if j, ok := inCol[v]; ok {
			s.d[j] += sign
		} else if i, ok := inRow[v]; ok {
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
