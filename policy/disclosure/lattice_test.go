package disclosure

import (
	"math/rand/v2"
	"testing"
)

// TestLatticeSums checks every entry against a sum of the rows its keys
// cover, and that every margin with a row is there.
func TestLatticeSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 100 {
		tab, r := randomTable(rng, 4, 3, i%2 == 0, i%3 == 0)
		if len(tab.Rows) == 0 {
			continue
		}
		l, err := newLattice(tab, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range l.entries() {
			keys := l.keys(e)
			if n := trueCount(tab, r, keys); e.value != n {
				t.Fatalf("%q is %d, its rows sum to %d", keys, e.value, n)
			}
			members := 0
			for _, j := range baseRows(tab, r) {
				if tab.Rows[j].Count > 0 && matches(r, tab.Dims, keys, tab.Rows[j].Keys) {
					members++
				}
			}
			if len(e.members) != members {
				t.Fatalf("%q has %d members, want %d", keys, len(e.members), members)
			}
		}
		// Every margin of every base row: replace each set of keys by
		// Margin (or the total value), and find it among the entries.
		seen := map[string]bool{}
		for _, e := range l.entries() {
			seen[joinKeys(l.keys(e))] = true
		}
		for _, j := range baseRows(tab, r) {
			for mask := range 1 << len(tab.Dims) {
				keys := append([]string(nil), tab.Rows[j].Keys...)
				for d := range keys {
					if mask&(1<<d) != 0 {
						keys[d] = Margin
						if tv, ok := r.TotalValue[tab.Dims[d]]; ok && l.total[d] != "" {
							keys[d] = tv
						}
					}
				}
				if !seen[joinKeys(keys)] {
					t.Fatalf("no entry %q", keys)
				}
			}
		}
	}
}
