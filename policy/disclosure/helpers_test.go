package disclosure

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// row is shorthand for a Row of keys separated by commas.
func row(keys string, count int) Row {
	var k []string
	start := 0
	for i := range len(keys) + 1 {
		if i == len(keys) || keys[i] == ',' {
			k = append(k, keys[start:i])
			start = i + 1
		}
	}
	return Row{Keys: k, Count: count}
}

// withTotals adds to t the rows of the value total of dimension d: the
// sums of the other rows, for every combination of the other dimensions
// that has a row.
func withTotals(t Table, d int, total string) Table {
	sums := map[string]int{}
	var order []string
	keysOf := map[string][]string{}
	for _, r := range t.Rows {
		k := slices.Clone(r.Keys)
		k[d] = total
		j := joinKeys(k)
		if _, ok := sums[j]; !ok {
			order = append(order, j)
			keysOf[j] = k
		}
		sums[j] += r.Count
	}
	out := Table{Name: t.Name, Dims: t.Dims, Rows: slices.Clone(t.Rows)}
	for _, j := range order {
		out.Rows = append(out.Rows, Row{Keys: keysOf[j], Count: sums[j]})
	}
	return out
}

// check runs every test the protection of a table must pass: Protect
// succeeds; the cells are the rows with their true counts where
// published; every count of 1 to K is withheld and no zero is; Audit
// recovers nothing; and, when few cells are withheld, the brute-force
// attacker finds no count it can pin either.
func check(t *testing.T, tab Table, r Rule) Protected {
	t.Helper()
	p, err := Protect(tab, r)
	if err != nil {
		t.Fatalf("Protect: %v", err)
	}
	checkMarks(t, tab, r, p)
	rec, err := Audit(p, tab, r)
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	if len(rec) > 0 {
		t.Fatalf("Audit recovers %v from\n%s", rec, dump(tab, p))
	}
	if pinned := bruteAttack(p, tab, r, 10); len(pinned) > 0 {
		t.Fatalf("brute force pins %v from\n%s", pinned, dump(tab, p))
	}
	return p
}

// checkMarks checks the marks of p against the true counts.
func checkMarks(t *testing.T, tab Table, r Rule, p Protected) {
	t.Helper()
	if len(p.Cells) != len(tab.Rows) {
		t.Fatalf("%d cells for %d rows", len(p.Cells), len(tab.Rows))
	}
	for i, c := range p.Cells {
		if !slices.Equal(c.Keys, tab.Rows[i].Keys) {
			t.Fatalf("cell %d keys %q, row has %q", i, c.Keys, tab.Rows[i].Keys)
		}
	}
	all := append(slices.Clone(p.Cells), p.Totals...)
	for _, c := range all {
		n := trueCount(tab, r, c.Keys)
		switch {
		case c.Status == Published && c.Count != n:
			t.Errorf("%q published as %d, is %d", c.Keys, c.Count, n)
		case c.Status == Published && n >= 1 && n <= r.K:
			t.Errorf("%q published, is %d, at most K = %d", c.Keys, n, r.K)
		case c.Suppressed() && n == 0:
			t.Errorf("%q is zero and withheld", c.Keys)
		case c.Status == Primary && (n > r.K || c.Max != r.K):
			t.Errorf("%q marked primary up to %d, is %d", c.Keys, c.Max, n)
		case c.Suppressed() && c.Count != 0:
			t.Errorf("%q withheld with count %d", c.Keys, c.Count)
		}
	}
}

// matches reports whether the keys of a base row fall in a cell's keys,
// where Margin and a total value stand for every value.
func matches(r Rule, dims, cell, base []string) bool {
	for d, k := range cell {
		tv, pooled := r.TotalValue[dims[d]]
		if k != Margin && !(pooled && k == tv) && k != base[d] {
			return false
		}
	}
	return true
}

// baseRows returns the indexes of the rows that are no total value.
func baseRows(tab Table, r Rule) []int {
	var out []int
	for i, row := range tab.Rows {
		total := false
		for d, k := range row.Keys {
			if tv, ok := r.TotalValue[tab.Dims[d]]; ok && k == tv {
				total = true
			}
		}
		if !total {
			out = append(out, i)
		}
	}
	return out
}

// trueCount sums the base rows a cell's keys cover.
func trueCount(tab Table, r Rule, keys []string) int {
	n := 0
	for _, i := range baseRows(tab, r) {
		if matches(r, tab.Dims, keys, tab.Rows[i].Keys) {
			n += tab.Rows[i].Count
		}
	}
	return n
}

// bruteAttack is an attacker independent of the package's machinery: it
// tries every table whose withheld base cells are within one of their
// true counts, keeps those consistent with every published count and
// mark of p, and returns the withheld cells and totals that all of them
// agree on. Counts an integer attacker cannot pin are never returned, as
// the tables tried are a subset of those the attacker must consider. It
// returns nil untried when more than maxUnknown base cells are withheld.
func bruteAttack(p Protected, tab Table, r Rule, maxUnknown int) []string {
	base := baseRows(tab, r)
	var unknown []int
	for _, i := range base {
		if p.Cells[i].Suppressed() {
			unknown = append(unknown, i)
		}
	}
	if len(unknown) > maxUnknown {
		return nil
	}
	all := append(slices.Clone(p.Cells), p.Totals...)
	// cover[c] lists, for cell c, the base rows it sums.
	cover := make([][]int, len(all))
	for c, cell := range all {
		for _, i := range base {
			if matches(r, tab.Dims, cell.Keys, tab.Rows[i].Keys) {
				cover[c] = append(cover[c], i)
			}
		}
	}
	counts := make([]int, len(tab.Rows))
	for i, row := range tab.Rows {
		counts[i] = row.Count
	}
	seen := make([]map[int]bool, len(all))
	for c := range all {
		seen[c] = map[int]bool{}
	}
	var try func(u int)
	try = func(u int) {
		if u < len(unknown) {
			i := unknown[u]
			for v := tab.Rows[i].Count - 1; v <= tab.Rows[i].Count+1; v++ {
				counts[i] = v
				try(u + 1)
			}
			counts[i] = tab.Rows[i].Count
			return
		}
		values := make([]int, len(all))
		for c, cell := range all {
			for _, i := range cover[c] {
				values[c] += counts[i]
			}
			n := values[c]
			switch {
			case cell.Status == Published && n != cell.Count,
				cell.Status == Primary && (n < 1 || n > p.K),
				cell.Status == Secondary && n < 1:
				return
			}
		}
		for c, cell := range all {
			if cell.Suppressed() {
				seen[c][values[c]] = true
			}
		}
	}
	try(0)
	var pinned []string
	for c, cell := range all {
		if cell.Suppressed() && len(seen[c]) < 2 {
			pinned = append(pinned, fmt.Sprint(cell.Keys))
		}
	}
	return pinned
}

// dump shows a table and its protection, for failures.
func dump(tab Table, p Protected) string {
	s := fmt.Sprintf("table %q dims %q\n", tab.Name, tab.Dims)
	for i, c := range p.Cells {
		s += fmt.Sprintf("  %q %d → %s\n", c.Keys, tab.Rows[i].Count, c)
	}
	for _, c := range p.Totals {
		s += fmt.Sprintf("  %q → %s\n", c.Keys, c)
	}
	return s
}

// randomTable returns a table of Czech scale: many small counts and
// zeros. Sparse tables list no zero rows; with pooled, dimension 0 is a
// period with an "all" value.
func randomTable(rng *rand.Rand, maxDims, maxValues int, sparse, pooled bool) (Table, Rule) {
	n := 1 + rng.IntN(maxDims)
	t := Table{Name: "random"}
	sizes := make([]int, n)
	for d := range n {
		t.Dims = append(t.Dims, "d"+strconv.Itoa(d))
		sizes[d] = 1 + rng.IntN(maxValues)
	}
	keys := make([]string, n)
	var fill func(d int)
	fill = func(d int) {
		if d == n {
			c := 0
			switch x := rng.IntN(10); {
			case x < 3:
			case x < 6:
				c = 1 + rng.IntN(3)
			default:
				c = 4 + rng.IntN(rng.IntN(40)+1)
			}
			if c > 0 || !sparse {
				t.Rows = append(t.Rows, Row{Keys: slices.Clone(keys), Count: c})
			}
			return
		}
		for v := range sizes[d] {
			keys[d] = "v" + strconv.Itoa(v)
			fill(d + 1)
		}
	}
	fill(0)
	r := Rule{K: 2 + rng.IntN(2)}
	if pooled {
		t = withTotals(t, 0, "all")
		r.TotalValue = map[string]string{"d0": "all"}
	}
	return t, r
}
