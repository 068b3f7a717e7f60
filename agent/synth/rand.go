package synth

import (
	"math"
	"math/rand/v2"
)

// Every random choice comes from a generator keyed by the seed and by
// what is being decided (a person, a year's plan, one row), never from a
// stream shared across decisions: a row's content then does not depend on
// which rows were written before it, on the partners selected, or on the
// order files are written in.

// Stream tags keep the keys of different decisions apart.
const (
	tagPerson uint64 = iota + 1
	tagCohort
	tagActive
	tagSources
	tagRow
	tagCounts
	tagDay
)

// mix is the splitmix64 finaliser: a bijective, well-diffused 64-bit hash.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// key hashes the seed and a decision's coordinates into one word.
func key(seed uint64, parts ...uint64) uint64 {
	h := mix(seed)
	for _, p := range parts {
		h = mix(h ^ mix(p))
	}
	return h
}

// newRand returns a generator for one decision.
func newRand(seed uint64, parts ...uint64) *rand.Rand {
	h := key(seed, parts...)
	return rand.New(rand.NewPCG(h, mix(h^0x5851f42d4c957f2d)))
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return p > 0 && r.Float64() < p }

// between returns a uniform float in [lo, hi).
func between(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// oneOf returns a uniformly chosen element.
func oneOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted is one option of a weighted choice.
type weighted[T any] struct {
	w float64
	v T
}

// choose picks an option with probability proportional to its weight.
func choose[T any](r *rand.Rand, opts []weighted[T]) T {
	total := 0.0
	for _, o := range opts {
		total += o.w
	}
	x := r.Float64() * total
	for _, o := range opts {
		if x < o.w {
			return o.v
		}
		x -= o.w
	}
	return opts[len(opts)-1].v
}

// scaled returns mean*scale varied by ±spread (a fraction), rounded, never
// negative: counts in the statistical files.
func scaled(r *rand.Rand, mean, scale, spread float64) int {
	v := mean * scale * between(r, 1-spread, 1+spread)
	return int(math.Max(0, math.Round(v)))
}
