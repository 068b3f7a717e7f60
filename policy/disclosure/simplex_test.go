package disclosure

import (
	"math"
	"math/rand/v2"
	"testing"
)

var inf = math.Inf(1)

// maxOf returns the largest sign·Σ vars the simplex finds, by bisection
// on the goal, to within 1e-4, or +Inf past 1e6.
func maxOf(t *testing.T, s *simplex, vars []int32, sign float64) float64 {
	t.Helper()
	lo, hi := -1e6, 1e6
	if s.clone().maximize(vars, sign, hi) == reached {
		return inf
	}
	for hi-lo > 1e-5 {
		mid := (lo + hi) / 2
		switch s.clone().maximize(vars, sign, mid) {
		case reached:
			lo = mid
		case optimal:
			hi = mid
		default:
			t.Fatal("simplex stalled")
		}
	}
	return lo
}

func TestSimplexSmall(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lo, hi   []float64
		rows     [][]int32
		rlo, rhi []float64
		vars     []int32
		sign     float64
		want     float64
	}{
		{"bound", []float64{-2}, []float64{3}, nil, nil, nil, []int32{0}, 1, 3},
		{"bound down", []float64{-2}, []float64{3}, nil, nil, nil, []int32{0}, -1, 2},
		{"unbounded", []float64{-2}, []float64{inf}, nil, nil, nil, []int32{0}, 1, inf},
		{"equality", []float64{-1, -5}, []float64{2, 5}, [][]int32{{0, 1}}, []float64{0}, []float64{0}, []int32{1}, 1, 1},
		{"row bound", []float64{-9, -9}, []float64{9, 9}, [][]int32{{0, 1}}, []float64{-1}, []float64{4}, []int32{0, 1}, 1, 4},
		{"fixed", []float64{0, -3}, []float64{0, 3}, [][]int32{{0, 1}}, []float64{-1}, []float64{1}, []int32{1}, 1, 1},
		// A 2×2 table of withheld cells with published totals: the cells
		// move together, as far as the tightest bound.
		{"rectangle", []float64{0, -7, -5, -4}, []float64{2, inf, inf, inf},
			[][]int32{{0, 1}, {2, 3}, {0, 2}, {1, 3}, {0, 1, 2, 3}}, []float64{0, 0, 0, 0, 0}, []float64{0, 0, 0, 0, 0},
			[]int32{0}, 1, 2},
		{"rectangle down", []float64{0, -7, -5, -4}, []float64{2, inf, inf, inf},
			[][]int32{{0, 1}, {2, 3}, {0, 2}, {1, 3}, {0, 1, 2, 3}}, []float64{0, 0, 0, 0, 0}, []float64{0, 0, 0, 0, 0},
			[]int32{0}, -1, 0},
		{"rectangle other corner", []float64{0, -7, -5, -4}, []float64{2, inf, inf, inf},
			[][]int32{{0, 1}, {2, 3}, {0, 2}, {1, 3}}, []float64{0, 0, 0, 0}, []float64{0, 0, 0, 0},
			[]int32{1}, -1, 2},
	} {
		s := newSimplex(tc.lo, tc.hi, tc.rows, tc.rlo, tc.rhi)
		if got := maxOf(t, s, tc.vars, tc.sign); math.Abs(got-tc.want) > 1e-4 && got != tc.want {
			t.Errorf("%s: max %g, want %g", tc.name, got, tc.want)
		}
	}
}

// TestSimplexVertices checks the simplex against the largest value at a
// vertex of random polytopes in three dimensions, found by solving for
// every three of their bounding planes.
func TestSimplexVertices(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	subsets := [][]int32{{0, 1}, {0, 2}, {1, 2}, {0, 1, 2}}
	for range 300 {
		var lo, hi []float64
		for range 3 {
			lo = append(lo, -float64(rng.IntN(5)))
			hi = append(hi, float64(rng.IntN(5)))
		}
		var rows [][]int32
		var rlo, rhi []float64
		for _, sub := range subsets {
			if rng.IntN(2) == 0 {
				rows = append(rows, sub)
				rlo = append(rlo, -float64(rng.IntN(3)))
				rhi = append(rhi, float64(rng.IntN(3)))
			}
		}
		vars := subsets[rng.IntN(len(subsets))][:1+rng.IntN(2)]
		want := vertexMax(lo, hi, rows, rlo, rhi, vars)
		got := maxOf(t, newSimplex(lo, hi, rows, rlo, rhi), vars, 1)
		if math.Abs(got-want) > 1e-4 {
			t.Fatalf("max %g, want %g: bounds %v %v rows %v %v %v of %v", got, want, lo, hi, rows, rlo, rhi, vars)
		}
	}
}

// vertexMax returns the largest Σ vars at a vertex of the polytope.
func vertexMax(lo, hi []float64, rows [][]int32, rlo, rhi []float64, vars []int32) float64 {
	type plane struct {
		a [3]float64
		b float64
	}
	var planes []plane
	for v := range 3 {
		var a [3]float64
		a[v] = 1
		planes = append(planes, plane{a, lo[v]}, plane{a, hi[v]})
	}
	for i, r := range rows {
		var a [3]float64
		for _, v := range r {
			a[v] = 1
		}
		planes = append(planes, plane{a, rlo[i]}, plane{a, rhi[i]})
	}
	feasible := func(x [3]float64) bool {
		for v := range 3 {
			if x[v] < lo[v]-1e-9 || x[v] > hi[v]+1e-9 {
				return false
			}
		}
		for i, r := range rows {
			s := 0.0
			for _, v := range r {
				s += x[v]
			}
			if s < rlo[i]-1e-9 || s > rhi[i]+1e-9 {
				return false
			}
		}
		return true
	}
	best := math.Inf(-1)
	for i := range planes {
		for j := i + 1; j < len(planes); j++ {
			for k := j + 1; k < len(planes); k++ {
				x, ok := solve3(planes[i].a, planes[j].a, planes[k].a, [3]float64{planes[i].b, planes[j].b, planes[k].b})
				if !ok || !feasible(x) {
					continue
				}
				s := 0.0
				for _, v := range vars {
					s += x[v]
				}
				best = max(best, s)
			}
		}
	}
	return best
}

// solve3 solves a 3×3 system by Cramer's rule.
func solve3(a, b, c, r [3]float64) ([3]float64, bool) {
	det := func(a, b, c [3]float64) float64 {
		return a[0]*(b[1]*c[2]-b[2]*c[1]) - a[1]*(b[0]*c[2]-b[2]*c[0]) + a[2]*(b[0]*c[1]-b[1]*c[0])
	}
	d := det(a, b, c)
	if math.Abs(d) < 1e-9 {
		return [3]float64{}, false
	}
	var x [3]float64
	for v := range 3 {
		a2, b2, c2 := a, b, c
		a2[v], b2[v], c2[v] = r[0], r[1], r[2]
		x[v] = det(a2, b2, c2) / d
	}
	return x, true
}
