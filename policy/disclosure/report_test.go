package disclosure

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// reportTable returns a table shaped like reported_by_exploitation of a
// Czech report: five years and their pool, eight source categories,
// twelve forms of exploitation, 576 rows, mostly small counts.
func reportTable(seed uint64) (Table, Rule) { return wideTable(seed, 12) }

// wideTable returns a table like reportTable's, with as many values of
// the last dimension as asked.
func wideTable(seed uint64, values int) (Table, Rule) {
	rng := rand.New(rand.NewPCG(seed, 7))
	t := Table{Name: "reported_by_exploitation", Dims: []string{"period", "source", "exploitation"}}
	for y := range 5 {
		for s := range 8 {
			for e := range values {
				c := 0
				if x := rng.IntN(10); x >= 4 {
					c = 1 + rng.IntN(1+rng.IntN(30))
				}
				t.Rows = append(t.Rows, Row{Keys: []string{strconv.Itoa(2019 + y), "s" + strconv.Itoa(s), "e" + strconv.Itoa(e)}, Count: c})
			}
		}
	}
	t = withTotals(t, 0, "all")
	return t, Rule{K: 3, TotalValue: map[string]string{"period": "all"}}
}

func BenchmarkProtect(b *testing.B) {
	tab, r := reportTable(1)
	for b.Loop() {
		if _, err := Protect(tab, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProtectLarge protects a table of 3456 rows: 60 values
// instead of 12, as citizenship by country might have.
func BenchmarkProtectLarge(b *testing.B) {
	tab, r := wideTable(1, 60)
	for b.Loop() {
		if _, err := Protect(tab, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAudit(b *testing.B) {
	tab, r := reportTable(1)
	p, err := Protect(tab, r)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Audit(p, tab, r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReportTable(t *testing.T) {
	tab, r := reportTable(1)
	p := check(t, tab, r)
	n := map[Status]int{}
	for _, c := range slices.Concat(p.Cells, p.Totals) {
		n[c.Status]++
	}
	t.Logf("%d rows, %d totals: %v", len(p.Cells), len(p.Totals), n)
}

// overlapTable returns a table shaped like overlap_by_sex: periods and
// their pool, a 0/1 dimension per source category, and sex, listing
// only the combinations some person has; persons per period is of
// Czech scale, a fifth of them reported by more than one category.
func overlapTable(seed uint64, cats, persons int) (Table, Rule) {
	rng := rand.New(rand.NewPCG(seed, 11))
	t := Table{Name: "overlap_by_sex", Dims: []string{"period"}}
	for c := range cats {
		t.Dims = append(t.Dims, "c"+strconv.Itoa(c))
	}
	t.Dims = append(t.Dims, "sex")
	counts := map[string]int{}
	var order []string
	keysOf := map[string][]string{}
	for y := range 5 {
		for range persons {
			keys := []string{strconv.Itoa(2019 + y)}
			first := rng.IntN(cats)
			for c := range cats {
				v := "0"
				if c == first || rng.IntN(20) == 0 {
					v = "1"
				}
				keys = append(keys, v)
			}
			keys = append(keys, []string{"F", "M", "U"}[rng.IntN(3)])
			k := joinKeys(keys)
			if counts[k] == 0 {
				order = append(order, k)
				keysOf[k] = keys
			}
			counts[k]++
		}
	}
	for _, k := range order {
		t.Rows = append(t.Rows, Row{Keys: keysOf[k], Count: counts[k]})
	}
	t = withTotals(t, 0, "all")
	return t, Rule{K: 3, TotalValue: map[string]string{"period": "all"}}
}

func BenchmarkProtectOverlap(b *testing.B) {
	tab, r := overlapTable(1, 8, 300)
	b.Logf("%d rows", len(tab.Rows))
	for b.Loop() {
		if _, err := Protect(tab, r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOverlapTable(t *testing.T) {
	tab, r := overlapTable(1, 6, 300)
	p := check(t, tab, r)
	n := map[Status]int{}
	for _, c := range slices.Concat(p.Cells, p.Totals) {
		n[c.Status]++
	}
	t.Logf("every margin: %d rows, %d totals: %v", len(p.Cells), len(p.Totals), n)
	// Totals over every source category, by period and sex, by period,
	// and pooled.
	cats := tab.Dims[1 : len(tab.Dims)-1]
	r.Margins = [][]string{cats, append(slices.Clone(cats), "sex"), append([]string{"period"}, cats...), tab.Dims}
	p = check(t, tab, r)
	clear(n)
	for _, c := range slices.Concat(p.Cells, p.Totals) {
		n[c.Status]++
	}
	t.Logf("some margins: %d rows, %d totals: %v", len(p.Cells), len(p.Totals), n)
}
