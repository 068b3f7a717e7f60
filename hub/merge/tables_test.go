package merge_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/merge/mergetest"
)

// sums adds up a table's counts by the values of some of its
// dimensions.
func sums(t merge.Table, dims ...string) map[string]int {
	idx := make([]int, len(dims))
	for i, d := range dims {
		idx[i] = -1
		for j, td := range t.Dims {
			if td == d {
				idx[i] = j
			}
		}
	}
	out := map[string]int{}
	for _, r := range t.Rows {
		var k []string
		for _, i := range idx {
			k = append(k, r.Keys[i])
		}
		out[strings.Join(k, "|")] += r.Count
	}
	return out
}

// The tables add up: a de-duplicated table to the persons of each period
// (and to all persons pooled), a table by source to the persons each
// category reported, the overlap table to both.
func TestTableTotals(t *testing.T) {
	d := mergetest.Generate(mergetest.Config{Records: 3000, Partners: 8, Seed: 7})
	res := link(t, d.Records)
	persons := map[string]map[string]bool{}  // period → person ids
	reported := map[string]map[string]bool{} // period|category → person ids
	add := func(m map[string]map[string]bool, k, id string) {
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][id] = true
	}
	for _, r := range d.Records {
		id := personOf(t, res, r.Ref)
		for _, p := range []string{r.Period, merge.AllPeriods} {
			add(persons, p, id)
			add(reported, p+"|"+r.Category, id)
		}
	}
	if len(persons[merge.AllPeriods]) != len(res.Persons()) {
		t.Fatalf("%d persons pooled, Result has %d", len(persons[merge.AllPeriods]), len(res.Persons()))
	}
	for _, dim := range merge.PersonDims() {
		tab, err := merge.PersonsBy(res, dim)
		if err != nil {
			t.Fatal(err)
		}
		got := sums(tab, merge.DimPeriod)
		for p, ids := range persons {
			if got[p] != len(ids) {
				t.Errorf("%s, period %s: %d, want %d persons", tab.Name, p, got[p], len(ids))
			}
		}
		tab, err = merge.ReportedBy(res, dim)
		if err != nil {
			t.Fatal(err)
		}
		got = sums(tab, merge.DimPeriod, merge.DimSource)
		for k, ids := range reported {
			if got[k] != len(ids) {
				t.Errorf("%s, %s: %d, want %d persons", tab.Name, k, got[k], len(ids))
			}
		}
	}
	for _, dim := range []string{"", merge.DimSex, merge.DimExploitation} {
		tab, err := merge.Overlap(res, dim)
		if err != nil {
			t.Fatal(err)
		}
		got := sums(tab, merge.DimPeriod)
		for p, ids := range persons {
			if got[p] != len(ids) {
				t.Errorf("%s, period %s: %d, want %d persons", tab.Name, p, got[p], len(ids))
			}
		}
		// The persons a category reported are the rows with its flag set.
		cats := tab.Dims[1:]
		if dim != "" {
			cats = cats[:len(cats)-1]
		}
		for i, cat := range cats {
			flagged := map[string]int{}
			for _, r := range tab.Rows {
				if r.Keys[1+i] == "1" {
					flagged[r.Keys[0]] += r.Count
				}
			}
			for p := range persons {
				if want := len(reported[p+"|"+cat]); flagged[p] != want {
					t.Errorf("%s, %s in %s: %d, want %d", tab.Name, cat, p, flagged[p], want)
				}
			}
		}
	}
	if _, err := merge.PersonsBy(res, "shoe_size"); err == nil {
		t.Error("PersonsBy of an unknown dimension")
	}
}

// When no source reports a person twice, a source's table adds up to its
// records; the de-duplicated table applies the documented rules where
// sources disagree.
func TestTablesRules(t *testing.T) {
	noSex := jana
	noSex.Sex = ""
	recs := records(t,
		reported{src: police2023, n: 1, person: jana, status: "actual", form: "labour", identified: "2023-02-01"},
		reported{src: ngo2023, n: 1, person: noSex, status: "possible", form: "sexual", identified: "2023-01-15"},
		reported{src: iom2023, n: 1, person: jana, status: "not_victim", form: "sexual", identified: "2023-03-01"},
		reported{src: ngo2023, n: 2, person: anon.Person{Surname: "Kovalenko", Given: "Ivan", Sex: "M",
			BirthDate: anon.Date{Y: 2008, M: 1, D: 2}, Citizenship: "UA"}, identified: "2023-05-05"},
	)
	res := link(t, recs)
	if len(res.Persons()) != 2 {
		t.Fatalf("%d persons, want 2", len(res.Persons()))
	}
	want := map[string]map[string]int{
		// Jana: F by two records to none; actual is the strongest status;
		// sexual the main form (two records to one).
		merge.DimSex:          {"2023|F": 1, "2023|M": 1},
		merge.DimStatus:       {"2023|actual": 1, "2023|possible": 1},
		merge.DimExploitation: {"2023|sexual": 1, "2023|unknown": 1},
		merge.DimAgeGroup:     {"2023|adult": 1, "2023|child": 1},
		merge.DimCitizenship:  {"2023|CZ": 1, "2023|non_EU": 1},
	}
	for dim, cells := range want {
		tab, err := merge.PersonsBy(res, dim)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range tab.Rows {
			if r.Keys[0] != "2023" {
				continue
			}
			if k := strings.Join(r.Keys, "|"); r.Count != cells[k] {
				t.Errorf("%s: %d, want %d", k, r.Count, cells[k])
			}
		}
	}
	tab, err := merge.ReportedBy(res, merge.DimSex)
	if err != nil {
		t.Fatal(err)
	}
	got := sums(tab, merge.DimPeriod, merge.DimSource)
	for cat, n := range map[string]int{"police": 1, "ngo": 2, "iom": 1} {
		if got["2023|"+cat] != n {
			t.Errorf("%s reported %d, want %d, its records", cat, got["2023|"+cat], n)
		}
	}
	tab, err = merge.Overlap(res, "")
	if err != nil {
		t.Fatal(err)
	}
	wantDims := []string{"period", "iom", "ngo", "police"}
	if !reflect.DeepEqual(tab.Dims, wantDims) {
		t.Errorf("overlap dims %q, want %q", tab.Dims, wantDims)
	}
	wantRows := []merge.Row{
		{Keys: []string{"2023", "1", "1", "1"}, Count: 1},
		{Keys: []string{"2023", "0", "1", "0"}, Count: 1},
		{Keys: []string{"all", "1", "1", "1"}, Count: 1},
		{Keys: []string{"all", "0", "1", "0"}, Count: 1},
	}
	if !reflect.DeepEqual(tab.Rows, wantRows) {
		t.Errorf("overlap rows %v, want %v", tab.Rows, wantRows)
	}
}
