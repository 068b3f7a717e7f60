package disclosure

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// naive returns the protection of tab with only the marks given, keyed
// by keys joined with commas; all else is published.
func naive(t *testing.T, tab Table, r Rule, marks map[string]Status) Protected {
	t.Helper()
	p, err := Protect(tab, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, cells := range [][]Cell{p.Cells, p.Totals} {
		for i := range cells {
			c := &cells[i]
			*c = Cell{Keys: c.Keys, Count: trueCount(tab, r, c.Keys)}
			if s, ok := marks[strings.Join(c.Keys, ",")]; ok {
				c.Status, c.Count = s, 0
				if s == Primary {
					c.Max = r.K
				}
			}
		}
	}
	return p
}

// wantRecovered checks that Audit and the brute-force attacker both
// recover exactly the given counts from p, with their true values.
func wantRecovered(t *testing.T, p Protected, tab Table, r Rule, want ...string) {
	t.Helper()
	rec, err := Audit(p, tab, r)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range rec {
		got = append(got, strings.Join(x.Keys, ","))
		if n := trueCount(tab, r, x.Keys); x.Count != n {
			t.Errorf("%v recovered, is %d", x, n)
		}
		if c, _ := p.Find(x.Keys...); c.Status != x.Status {
			t.Errorf("%v recovered, marked %v", x, c.Status)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Audit recovers %q, want %q\n%s", got, want, dump(tab, p))
	}
	brute := bruteAttack(p, tab, r, 10)
	for i, b := range brute {
		brute[i] = strings.ReplaceAll(b[1:len(b)-1], " ", ",") // [a b] → a,b
	}
	slices.Sort(brute)
	if !slices.Equal(brute, want) {
		t.Errorf("brute force pins %q, want %q", brute, want)
	}
}

func TestAuditRecovers(t *testing.T) {
	tab := Table{Name: "t", Dims: []string{"r", "c"}, Rows: []Row{
		row("a,x", 1), row("a,y", 8), row("a,z", 9),
		row("b,x", 6), row("b,y", 5), row("b,z", 12),
	}}
	r := Rule{K: 3}
	// Primary suppression alone: the row total gives the cell away.
	wantRecovered(t, naive(t, tab, r, map[string]Status{"a,x": Primary}), tab, r, "a,x")
	// Three corners of the rectangle: (b,y) is b's total less the rest.
	wantRecovered(t, naive(t, tab, r, map[string]Status{"a,x": Primary, "a,y": Secondary, "b,x": Secondary}), tab, r, "a,x", "a,y", "b,x")
	// A withheld total of published cells.
	wantRecovered(t, naive(t, tab, r, map[string]Status{"a,*": Secondary}), tab, r, "a,*")
	// A mark that says a count of 6 is 1 to 3 is no protection of this table.
	if _, err := Audit(naive(t, tab, r, map[string]Status{"b,x": Primary}), tab, r); !errors.Is(err, ErrMismatch) {
		t.Errorf("primary mark on 6: %v, want ErrMismatch", err)
	}
	// The full rectangle protects.
	if rec, err := Audit(naive(t, tab, r, map[string]Status{"a,x": Primary, "a,y": Secondary, "b,x": Secondary, "b,y": Secondary}), tab, r); err != nil || len(rec) != 0 {
		t.Errorf("rectangle: %v, %v", rec, err)
	}
	// A total left out of the protected table counts as published: here
	// the total of two cells of 1, withheld so that they are not pinned.
	tab = Table{Name: "t", Dims: []string{"sex"}, Rows: []Row{row("F", 1), row("M", 1)}}
	p, err := Protect(tab, Rule{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	p.Totals = nil
	rec, err := Audit(p, tab, Rule{K: 2})
	if err != nil || len(rec) != 2 || rec[0].String() != "F (primary) = 1" || rec[1].String() != "M (primary) = 1" {
		t.Errorf("totals left out: %v, %v", rec, err)
	}
}

func TestAuditBounds(t *testing.T) {
	r := Rule{K: 3}
	// x + y = 4, published, each 1 to 3: x is 1, 2 or 3.
	tab := Table{Name: "t", Dims: []string{"c"}, Rows: []Row{row("x", 3), row("y", 1), row("z", 40)}}
	wantRecovered(t, naive(t, tab, r, map[string]Status{"x": Primary, "y": Primary}), tab, r)
	// x + y = 2 and every withheld count is at least 1: both are 1.
	tab = Table{Name: "t", Dims: []string{"c"}, Rows: []Row{row("x", 1), row("y", 1), row("z", 40)}}
	wantRecovered(t, naive(t, tab, r, map[string]Status{"x": Primary, "y": Secondary}), tab, r, "x", "y")
	// x + y + z = 3, marked primary so at most 3: all three are 1.
	tab = Table{Name: "t", Dims: []string{"c"}, Rows: []Row{row("x", 1), row("y", 1), row("z", 1)}}
	wantRecovered(t, naive(t, tab, r, map[string]Status{"x": Primary, "y": Primary, "z": Primary, "*": Primary}), tab, r, "x", "y", "z", "*")
	// Marked secondary, the total says nothing of its size.
	wantRecovered(t, naive(t, tab, r, map[string]Status{"x": Primary, "y": Primary, "z": Primary, "*": Secondary}), tab, r)
	check(t, tab, r)
}

func TestAuditMismatch(t *testing.T) {
	tab := Table{Name: "t", Dims: []string{"c"}, Rows: []Row{row("x", 3), row("y", 0), row("z", 40)}}
	r := Rule{K: 3}
	p := naive(t, tab, r, nil)
	for _, tc := range []struct {
		name  string
		edit  func(*Protected)
		rule  Rule
		wantE error
	}{
		{"count", func(p *Protected) { p.Cells[2].Count = 41 }, r, ErrMismatch},
		{"zero withheld", func(p *Protected) { p.Cells[1].Status = Secondary }, r, ErrMismatch},
		{"primary above K", func(p *Protected) { p.Cells[2].Status = Primary }, r, ErrMismatch},
		{"unknown cell", func(p *Protected) { p.Cells[0].Keys = []string{"w"} }, r, ErrMismatch},
		{"K", func(*Protected) {}, Rule{K: 2}, ErrMismatch},
		{"dimensions", func(p *Protected) { p.Dims = []string{"c", "d"} }, r, ErrMismatch},
		{"status", func(p *Protected) { p.Cells[0].Status = 7 }, r, ErrMismatch},
		{"table", func(*Protected) {}, Rule{K: 0}, ErrInvalid},
	} {
		q := p
		q.Cells = slices.Clone(p.Cells)
		tc.edit(&q)
		if _, err := Audit(q, tab, tc.rule); !errors.Is(err, tc.wantE) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.wantE)
		}
	}
}
