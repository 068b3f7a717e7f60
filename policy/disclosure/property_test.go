package disclosure

import (
	"math/rand/v2"
	"testing"
)

// TestRandomTables protects random tables of up to four dimensions,
// dense and sparse, with and without pooled periods, and attacks each.
func TestRandomTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		tab, r := randomTable(rng, 4, 4, i%2 == 1, i%3 == 0)
		if len(tab.Rows) == 0 {
			continue
		}
		t.Run("", func(t *testing.T) { check(t, tab, r) })
	}
}

// TestRandomOverlaps protects random sparse tables of many 0/1
// dimensions, as overlap tables are.
func TestRandomOverlaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 60 {
		tab, r := randomTable(rng, 7, 2, true, i%2 == 0)
		if len(tab.Rows) == 0 {
			continue
		}
		t.Run("", func(t *testing.T) { check(t, tab, r) })
	}
}

// TestRandomMargins protects random tables that publish a random choice
// of their margins.
func TestRandomMargins(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 200 {
		tab, r := randomTable(rng, 4, 3, i%2 == 1, i%3 == 0)
		if len(tab.Rows) == 0 {
			continue
		}
		r.Margins = [][]string{}
		for mask := 1; mask < 1<<len(tab.Dims); mask++ {
			if rng.IntN(2) == 0 {
				continue
			}
			var set []string
			for d, dim := range tab.Dims {
				if mask&(1<<d) != 0 {
					set = append(set, dim)
				}
			}
			r.Margins = append(r.Margins, set)
		}
		t.Run("", func(t *testing.T) { check(t, tab, r) })
	}
}
