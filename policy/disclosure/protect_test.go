package disclosure

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

// wantMarks checks the marks of some cells and totals of p, by keys
// joined with commas.
func wantMarks(t *testing.T, p Protected, want map[string]Status) {
	t.Helper()
	for keys, status := range want {
		c, ok := p.Find(row(keys, 0).Keys...)
		if !ok {
			t.Errorf("no cell %s", keys)
			continue
		}
		if c.Status != status {
			t.Errorf("%s is %v, want %v", keys, c.Status, status)
		}
	}
}

// count returns how many cells and totals of p have a status.
func count(p Protected, s Status) int {
	n := 0
	for _, cells := range [][]Cell{p.Cells, p.Totals} {
		for _, c := range cells {
			if c.Status == s {
				n++
			}
		}
	}
	return n
}

func TestOneDimension(t *testing.T) {
	// F alone would be the total less the others: the cheapest cell to
	// withhold with it is U, the smallest.
	tab := Table{Name: "persons_by_sex", Dims: []string{"sex"}, Rows: []Row{row("F", 1), row("M", 10), row("U", 7)}}
	p := check(t, tab, Rule{K: 3})
	wantMarks(t, p, map[string]Status{"F": Primary, "M": Published, "U": Secondary, "*": Published})
	if c, _ := p.Find("*"); c.Count != 18 {
		t.Errorf("total %d, want 18", c.Count)
	}
}

func TestTwoDimensions(t *testing.T) {
	// A single small cell: the cheapest rectangle is (a,x), (a,y),
	// (b,x), (b,y), and every total stays published.
	tab := Table{Name: "t", Dims: []string{"r", "c"}, Rows: []Row{
		row("a,x", 1), row("a,y", 8), row("a,z", 9),
		row("b,x", 6), row("b,y", 5), row("b,z", 12),
		row("c,x", 10), row("c,y", 11), row("c,z", 4),
	}}
	p := check(t, tab, Rule{K: 3})
	wantMarks(t, p, map[string]Status{"a,x": Primary, "a,y": Secondary, "b,x": Secondary, "b,y": Secondary})
	if n := count(p, Secondary); n != 3 {
		t.Errorf("%d secondary, want 3:\n%s", n, dump(tab, p))
	}
	for _, c := range p.Totals {
		if c.Suppressed() {
			t.Errorf("total %q withheld", c.Keys)
		}
	}
}

func TestSmallCellsInRowsAndColumns(t *testing.T) {
	// Four small cells in a rectangle protect one another: nothing more
	// is withheld, though each row and column total is published.
	tab := Table{Name: "t", Dims: []string{"r", "c"}, Rows: []Row{
		row("a,x", 1), row("a,y", 2), row("a,z", 9),
		row("b,x", 2), row("b,y", 1), row("b,z", 8),
		row("c,x", 7), row("c,y", 6), row("c,z", 5),
	}}
	p := check(t, tab, Rule{K: 3})
	if n, m := count(p, Primary), count(p, Secondary); n != 4 || m != 0 {
		t.Errorf("%d primary, %d secondary, want 4 and 0:\n%s", n, m, dump(tab, p))
	}
	// A small cell in each row and each column, not in a rectangle.
	tab = Table{Name: "t", Dims: []string{"r", "c"}, Rows: []Row{
		row("a,x", 2), row("a,y", 14), row("a,z", 9),
		row("b,x", 6), row("b,y", 3), row("b,z", 12),
		row("c,x", 10), row("c,y", 11), row("c,z", 1),
	}}
	check(t, tab, Rule{K: 3})
	check(t, tab, Rule{K: 2})
}

func TestThreeDimensions(t *testing.T) {
	// Shaped like reported_by_sex: period, source category, sex.
	tab := Table{Name: "reported_by_sex", Dims: []string{"period", "source", "sex"}, Rows: []Row{
		row("2022,police,F", 12), row("2022,police,M", 3), row("2022,police,U", 0),
		row("2022,ngo,F", 25), row("2022,ngo,M", 9), row("2022,ngo,U", 1),
		row("2023,police,F", 7), row("2023,police,M", 5), row("2023,police,U", 0),
		row("2023,ngo,F", 31), row("2023,ngo,M", 2), row("2023,ngo,U", 4),
	}}
	check(t, tab, Rule{K: 3})
	check(t, tab, Rule{K: 2})
	pooled := withTotals(tab, 0, "all")
	p := check(t, pooled, Rule{K: 3, TotalValue: map[string]string{"period": "all"}})
	for _, c := range p.Totals {
		if c.Keys[0] == Margin {
			t.Errorf("total %q over the period, which has the value all", c.Keys)
		}
	}
}

func TestOverlap(t *testing.T) {
	// Shaped like an overlap table: a 0/1 dimension per source category,
	// only the combinations some person has. The others are zero and
	// published as absent.
	tab := Table{Name: "overlap", Dims: []string{"period", "police", "ngo", "programme"}, Rows: []Row{
		row("2023,1,1,1", 1), row("2023,1,1,0", 2), row("2023,1,0,0", 14),
		row("2023,0,1,0", 33), row("2023,0,1,1", 4), row("2023,0,0,1", 6),
	}}
	for _, k := range []int{2, 3} {
		p := check(t, tab, Rule{K: k})
		if len(p.Cells) != len(tab.Rows) {
			t.Errorf("%d cells for %d rows", len(p.Cells), len(tab.Rows))
		}
		if _, ok := p.Find("2023", "1", "0", "1"); ok {
			t.Error("an absent combination is a cell")
		}
	}
	pooled := withTotals(Table{Name: "overlap", Dims: tab.Dims, Rows: append(tab.Rows,
		row("2022,1,0,0", 9), row("2022,0,1,0", 2), row("2022,1,1,0", 3))}, 0, "all")
	check(t, pooled, Rule{K: 3, TotalValue: map[string]string{"period": "all"}})
}

func TestPooledPeriod(t *testing.T) {
	tab := withTotals(Table{Name: "persons_by_sex", Dims: []string{"period", "sex"}, Rows: []Row{
		row("2022,F", 10), row("2022,M", 7), row("2022,U", 4),
		row("2023,F", 2), row("2023,M", 9), row("2023,U", 5),
	}}, 0, "all")
	r := Rule{K: 3, TotalValue: map[string]string{"period": "all"}}
	p := check(t, tab, r)
	// The pooled rows are cells, and are the margin over the period.
	wantMarks(t, p, map[string]Status{"2023,F": Primary})
	if _, ok := p.Find("*", "F"); ok {
		t.Error("a Margin total over the period, which has the value all")
	}
	if c, ok := p.Find("all", Margin); !ok || c.Count != 37 {
		t.Errorf("all,* is %v, %v, want 37", c, ok)
	}

	// Without the relation, (all,F) - (2022,F) would give (2023,F) away
	// whatever is withheld in 2023; the attacker sees that.
	weak := naive(t, tab, r, map[string]Status{"2023,F": Primary, "2023,U": Secondary})
	wantRecovered(t, weak, tab, r, "2023,F", "2023,U")
}

func TestZeroNeverWithheld(t *testing.T) {
	// The cheap rectangle through (a,y) would need its zero to move.
	tab := Table{Name: "t", Dims: []string{"r", "c"}, Rows: []Row{
		row("a,x", 1), row("a,y", 0), row("a,z", 50),
		row("b,x", 4), row("b,y", 5), row("b,z", 60),
	}}
	p := check(t, tab, Rule{K: 3})
	wantMarks(t, p, map[string]Status{"a,y": Published, "a,z": Secondary, "b,x": Secondary, "b,z": Secondary})
	if c, _ := p.Find("a", "y"); c.Count != 0 || c.String() != "0" {
		t.Errorf("zero cell shows %q", c)
	}
}

func TestKBoundaries(t *testing.T) {
	tab := Table{Name: "t", Dims: []string{"n"}, Rows: []Row{
		row("zero", 0), row("one", 1), row("two", 2), row("three", 3), row("four", 4), row("many", 100),
	}}
	p := check(t, tab, Rule{K: 2})
	wantMarks(t, p, map[string]Status{"zero": Published, "one": Primary, "two": Primary, "three": Published, "four": Published})
	p = check(t, tab, Rule{K: 3})
	wantMarks(t, p, map[string]Status{"zero": Published, "one": Primary, "two": Primary, "three": Primary, "four": Published})
	if c, _ := p.Find("three"); c.String() != "<4" || c.Max != 3 {
		t.Errorf("three shows %q, max %d", c, c.Max)
	}
	for _, k := range []int{-1, 0, 1} {
		if _, err := Protect(tab, Rule{K: k}); !errors.Is(err, ErrInvalid) {
			t.Errorf("K = %d: %v, want ErrInvalid", k, err)
		}
	}
}

func TestSmallTotal(t *testing.T) {
	// Two cells of 1 in a total of 2, K = 2: marking the total primary,
	// so at most 2, would pin both cells to 1; it is marked secondary.
	tab := Table{Name: "t", Dims: []string{"sex"}, Rows: []Row{row("F", 1), row("M", 1), row("U", 0)}}
	r := Rule{K: 2}
	p := check(t, tab, r)
	wantMarks(t, p, map[string]Status{"F": Primary, "M": Primary, "U": Published, "*": Secondary})
	weak := naive(t, tab, r, map[string]Status{"F": Primary, "M": Primary, "*": Primary})
	wantRecovered(t, weak, tab, r, "F", "M", "*")
}

func TestEveryWithheldCountMoves(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		tab, r := randomTable(rng, 4, 4, i%2 == 0, i%3 == 0)
		if len(tab.Rows) == 0 {
			continue
		}
		l, err := newLattice(tab, r)
		if err != nil {
			t.Fatal(err)
		}
		l.protect()
		for _, e := range l.all {
			if e.suppressed() && !e.done {
				t.Fatalf("%q withheld without a cube\n%s", l.keys(e), dump(tab, l.protected()))
			}
		}
	}
}

func TestEmptyTable(t *testing.T) {
	p, err := Protect(Table{Name: "t", Dims: []string{"a"}}, Rule{K: 3})
	if err != nil || len(p.Cells) != 0 || len(p.Totals) != 0 {
		t.Errorf("%v, %v", p, err)
	}
}

func TestDeterministic(t *testing.T) {
	tab, r := reportTable(5)
	p1, err := Protect(tab, r)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := Protect(tab, r)
	if !reflect.DeepEqual(p1, p2) {
		t.Error("two protections of a table differ")
	}
}

func TestInvalid(t *testing.T) {
	ok := Table{Name: "t", Dims: []string{"a"}, Rows: []Row{row("x", 1)}}
	dims17 := Table{Name: "t"}
	for i := range 17 {
		dims17.Dims = append(dims17.Dims, string(rune('a'+i)))
	}
	for _, tc := range []struct {
		name string
		t    Table
		r    Rule
		want error
	}{
		{"no dimensions", Table{Name: "t"}, Rule{K: 3}, ErrInvalid},
		{"repeated dimension", Table{Name: "t", Dims: []string{"a", "a"}}, Rule{K: 3}, ErrInvalid},
		{"short row", Table{Name: "t", Dims: []string{"a", "b"}, Rows: []Row{row("x", 1)}}, Rule{K: 3}, ErrInvalid},
		{"negative count", Table{Name: "t", Dims: []string{"a"}, Rows: []Row{row("x", -1)}}, Rule{K: 3}, ErrInvalid},
		{"repeated row", Table{Name: "t", Dims: []string{"a"}, Rows: []Row{row("x", 1), row("x", 2)}}, Rule{K: 3}, ErrInvalid},
		{"margin key", Table{Name: "t", Dims: []string{"a"}, Rows: []Row{row("*", 1)}}, Rule{K: 3}, ErrInvalid},
		{"total of no dimension", ok, Rule{K: 3, TotalValue: map[string]string{"b": "all"}}, ErrInvalid},
		{"empty total value", ok, Rule{K: 3, TotalValue: map[string]string{"a": ""}}, ErrInvalid},
		{"K", ok, Rule{K: 1}, ErrInvalid},
		{"huge count", Table{Name: "t", Dims: []string{"a"}, Rows: []Row{row("x", 1<<41)}}, Rule{K: 3}, ErrInvalid},
		{"17 dimensions", dims17, Rule{K: 3}, ErrTooLarge},
	} {
		if _, err := Protect(tc.t, tc.r); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestNotAdditive(t *testing.T) {
	r := Rule{K: 3, TotalValue: map[string]string{"period": "all"}}
	base := []Row{row("2022,F", 5), row("2023,F", 6), row("2023,M", 4)}
	for _, tc := range []struct {
		name string
		rows []Row
	}{
		// A person of both years counts once in all.
		{"pooled less than the sum", append(base, row("all,F", 10), row("all,M", 4))},
		{"pooled row missing", append(base, row("all,F", 11))},
		{"pooled row of nothing", append(base, row("all,F", 11), row("all,M", 4), row("all,U", 1))},
	} {
		_, err := Protect(Table{Name: "t", Dims: []string{"period", "sex"}, Rows: tc.rows}, r)
		if !errors.Is(err, ErrNotAdditive) {
			t.Errorf("%s: %v, want ErrNotAdditive", tc.name, err)
		}
	}
	// Zero pooled rows of no other row are fine, as is a rule whose
	// total value no row has.
	check(t, Table{Name: "t", Dims: []string{"period", "sex"}, Rows: append(base, row("all,F", 11), row("all,M", 4), row("all,U", 0))}, r)
	check(t, Table{Name: "t", Dims: []string{"period", "sex"}, Rows: base}, r)
}

func TestMarginsRule(t *testing.T) {
	tab := Table{Name: "t", Dims: []string{"r", "c"}, Rows: []Row{
		row("a,x", 1), row("a,y", 8), row("a,z", 9),
		row("b,x", 6), row("b,y", 5), row("b,z", 12),
	}}
	// Row totals only: (a,y) alone hides (a,x), as no column total says
	// that (b,x) and (b,y) would have to move too.
	r := Rule{K: 3, Margins: [][]string{{"c"}}}
	p := check(t, tab, r)
	wantMarks(t, p, map[string]Status{"a,x": Primary, "a,y": Secondary, "a,*": Published, "b,*": Published})
	if n := count(p, Secondary); n != 1 || len(p.Totals) != 2 {
		t.Errorf("%d secondary, totals %v", n, p.Totals)
	}
	// No margins: the small cell alone.
	p = check(t, tab, Rule{K: 3, Margins: [][]string{}})
	if n := count(p, Secondary); n != 0 || len(p.Totals) != 0 {
		t.Errorf("%d secondary, totals %v", n, p.Totals)
	}
	// With a pooled period, (all,*) sums over both dimensions.
	pooled := withTotals(Table{Name: "t", Dims: []string{"period", "sex"}, Rows: []Row{
		row("2022,F", 10), row("2022,M", 7), row("2023,F", 2), row("2023,M", 9),
	}}, 0, "all")
	p = check(t, pooled, Rule{K: 3, TotalValue: map[string]string{"period": "all"}, Margins: [][]string{{"sex"}}})
	if _, ok := p.Find("all", Margin); ok || len(p.Totals) != 2 {
		t.Errorf("totals %v, want those of 2022 and 2023", p.Totals)
	}
	p = check(t, pooled, Rule{K: 3, TotalValue: map[string]string{"period": "all"}, Margins: [][]string{{"sex"}, {"period", "sex"}}})
	if _, ok := p.Find("all", Margin); !ok || len(p.Totals) != 3 {
		t.Errorf("totals %v, want those of 2022, 2023 and all", p.Totals)
	}
	for _, m := range [][][]string{{{"d"}}, {{"r", "r"}}, {{}}} {
		if _, err := Protect(tab, Rule{K: 3, Margins: m}); !errors.Is(err, ErrInvalid) {
			t.Errorf("margins %q: %v, want ErrInvalid", m, err)
		}
	}
}
