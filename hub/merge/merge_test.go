package merge_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/submission/schema"
)

var salt = []byte("thbx merge test salt, 32 bytes..")

// secret is the partners' linkage secret of the tests.
func secret(t testing.TB) *anon.Secret {
	t.Helper()
	s, err := anon.GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{42}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// source is a partner's submission for a period.
type source struct {
	partner, category, period string
}

func (s source) submission() string { return s.partner + "-" + s.period }

var (
	police2023 = source{"police-cz", "police", "2023"}
	police2024 = source{"police-cz", "police", "2024"}
	ngo2023    = source{"ngo-lastrada", "ngo", "2023"}
	ngo2024    = source{"ngo-lastrada", "ngo", "2024"}
	iom2023    = source{"iom-cz", "iom", "2023"}
)

// reported is one record as a partner's agent would make it: keys from a
// person's identifiers, and coded attributes.
type reported struct {
	src        source
	n          int64
	person     anon.Person
	status     string
	form       string
	region     string
	identified string
	bloom      bool
}

func (r reported) record(t testing.TB) merge.Record {
	t.Helper()
	s := secret(t)
	v := schema.Victim{
		Status: r.status, Sex: r.person.Sex, Citizenship: r.person.Citizenship, BirthYear: r.person.BirthDate.Y,
		AgeGroup: "adult", Region: r.region, IdentifiedOn: r.identified, LinkageKeys: anon.Keys(s, r.person),
	}
	if at, err := anon.ParseDate(r.identified, []string{"yyyy-mm-dd"}); err == nil {
		if g := anon.AgeGroup(r.person.BirthDate, at); g != "" {
			v.AgeGroup = g
		}
	}
	if v.Status == "" {
		v.Status = "possible"
	}
	if v.Sex == "" {
		v.Sex = "U"
	}
	if v.Citizenship == "" {
		v.Citizenship = "XX"
	}
	if r.form != "" {
		v.Exploitation = []string{r.form}
	}
	if r.bloom {
		v.Bloom = anon.Bloom(s, r.person)
	}
	if err := v.Validate(); err != nil {
		t.Fatalf("test record invalid: %v", err)
	}
	return merge.Record{Ref: merge.RecordRef{Partner: r.src.partner, Submission: r.src.submission(), N: r.n},
		Category: r.src.category, Period: r.src.period, Victim: merge.VictimOf(&v)}
}

func records(t testing.TB, rs ...reported) []merge.Record {
	out := make([]merge.Record, len(rs))
	for i, r := range rs {
		out[i] = r.record(t)
	}
	return out
}

func link(t testing.TB, recs []merge.Record) *merge.Result {
	t.Helper()
	res, err := merge.Link(recs, merge.Config{Salt: salt})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func personOf(t testing.TB, res *merge.Result, ref merge.RecordRef) string {
	t.Helper()
	id, ok := res.PersonOf(ref)
	if !ok {
		t.Fatalf("no person for %s", ref)
	}
	return id
}

var jana = anon.Person{Surname: "Nováková", Given: "Jana", BirthDate: anon.Date{Y: 1990, M: 3, D: 5}, Sex: "F", Citizenship: "CZ"}

// The same person in three sources, each writing her differently: the
// police in capitals with the masculine surname form, the NGO with day
// and month swapped (a2), IOM with a typo in the surname (c1 only, a weak
// key that the rest of the record corroborates).
func TestSamePersonThreeSources(t *testing.T) {
	police := jana
	police.Surname, police.Given = "NOVÁK", "JANA"
	ngo := jana
	ngo.Surname, ngo.BirthDate = "Novakova", anon.Date{Y: 1990, M: 5, D: 3}
	iom := jana
	iom.Surname = "Nobakova"
	recs := records(t,
		reported{src: police2023, n: 1, person: police, status: "actual", form: "sexual", region: "CZ010", identified: "2023-03-01"},
		reported{src: ngo2023, n: 7, person: ngo, form: "sexual", region: "CZ010", identified: "2023-03-20"},
		reported{src: iom2023, n: 3, person: iom, form: "sexual", identified: "2023-04-02"},
		// Someone else altogether.
		reported{src: ngo2023, n: 8, person: anon.Person{Surname: "Ivanenko", Given: "Olha",
			BirthDate: anon.Date{Y: 1985, M: 7, D: 1}, Sex: "F", Citizenship: "UA"}, form: "labour", identified: "2023-06-01"},
	)
	res := link(t, recs)
	id := personOf(t, res, recs[0].Ref)
	for _, r := range recs[1:3] {
		if got := personOf(t, res, r.Ref); got != id {
			t.Errorf("%s is %s, want %s with the police record", r.Ref, got, id)
		}
	}
	if personOf(t, res, recs[3].Ref) == id {
		t.Error("another person joined")
	}
	if got := len(res.Persons()); got != 2 {
		t.Errorf("%d persons, want 2", got)
	}
	reasons := res.Explain(id)
	if len(reasons) != 2 {
		t.Fatalf("Explain gives %d links, want 2: %+v", len(reasons), reasons)
	}
	var rules []string
	for _, r := range reasons {
		rules = append(rules, r.Rule+" "+strings.Join(r.Variants, "+"))
		if len(r.Variants) == 0 {
			t.Errorf("link %s–%s names no variant", r.A, r.B)
		}
	}
	slices.Sort(rules)
	if want := []string{"strong key a2+d1+d2+d3", "weak key c1"}; !slices.Equal(rules, want) {
		t.Errorf("links %q, want %q", rules, want)
	}
	for _, r := range reasons {
		if r.Rule == "weak key" && (r.Score < 6 || len(r.Evidence) == 0) {
			t.Errorf("weak link explained as %+v", r)
		}
	}
}

// Two different persons with the same names, birth year and
// citizenship share a d1 key, and nothing else: they stay apart, even
// when everything else about them agrees.
func TestNamesakesStayApart(t *testing.T) {
	a := anon.Person{Surname: "Nguyen", Given: "Van Nam", BirthDate: anon.Date{Y: 1988, M: 2, D: 14}, Sex: "M", Citizenship: "VN"}
	b := a
	b.BirthDate = anon.Date{Y: 1988, M: 11, D: 30}
	recs := records(t,
		reported{src: police2023, n: 1, person: a, form: "labour", region: "CZ064", identified: "2023-05-01"},
		reported{src: ngo2023, n: 1, person: b, form: "labour", region: "CZ064", identified: "2023-05-03"},
	)
	res := link(t, recs)
	if personOf(t, res, recs[0].Ref) == personOf(t, res, recs[1].Ref) {
		t.Fatalf("namesakes born on different days linked: %+v", res.Explain(personOf(t, res, recs[0].Ref)))
	}
	// A record that gives the birth year alone may be either of them: it
	// joins one only on corroboration, here the same region, form and
	// time of identification.
	yearOnly := a
	yearOnly.BirthDate = anon.Date{Y: 1988}
	recs = append(recs, reported{src: iom2023, n: 1, person: yearOnly, form: "labour", region: "CZ064", identified: "2023-05-10"}.record(t))
	res = link(t, recs)
	if got := len(res.Persons()); got != 2 {
		t.Errorf("%d persons, want 2", got)
	}
}

// A record without a birth date shares only the key of its names (d3)
// with the same person's other records: it joins them when the rest of
// the record singles them out, and a namesake reported in another year,
// region and form stays apart. At a few records a name is rare; among
// many namesakes the same evidence is not enough.
func TestUndatedRecord(t *testing.T) {
	undated := jana
	undated.BirthDate = anon.Date{}
	undated.Surname = "NOVAK" // and the masculine form
	namesake := jana
	namesake.BirthDate = anon.Date{Y: 1975, M: 10, D: 2}
	recs := records(t,
		reported{src: police2023, n: 1, person: jana, form: "sexual", region: "CZ010", identified: "2023-03-01"},
		reported{src: ngo2023, n: 1, person: undated, form: "sexual", region: "CZ010", identified: "2023-03-20"},
		reported{src: ngo2024, n: 1, person: namesake, form: "labour", region: "CZ064", identified: "2024-09-01"},
	)
	res := link(t, recs)
	id := personOf(t, res, recs[0].Ref)
	if personOf(t, res, recs[1].Ref) != id {
		t.Fatal("the record without a birth date did not join")
	}
	if personOf(t, res, recs[2].Ref) == id {
		t.Error("a namesake born on another day joined")
	}
	why := res.Explain(id)
	if len(why) != 1 || why[0].Rule != "weak key" || !slices.Equal(why[0].Variants, []string{"d3"}) {
		t.Errorf("explained as %+v, want a weak d3 link", why)
	}

	// Among 2200 records, 200 of them Jana Nováková's namesakes, the
	// name is common: the same two records, identified weeks apart with
	// the same form, stay apart, while two records of a rare name with
	// the same evidence join (d3's prior is adjusted by key frequency).
	rare := anon.Person{Surname: "Hrubá", Given: "Zdislava", BirthDate: anon.Date{Y: 1988, M: 6, D: 9}, Sex: "F", Citizenship: "CZ"}
	rareUndated := rare
	rareUndated.BirthDate = anon.Date{}
	rs := []reported{
		{src: police2023, n: 1, person: jana, form: "sexual", identified: "2023-03-01"},
		{src: ngo2023, n: 1, person: undated, form: "sexual", identified: "2023-03-20"},
		{src: police2023, n: 2, person: rare, form: "sexual", identified: "2023-03-01"},
		{src: ngo2023, n: 2, person: rareUndated, form: "sexual", identified: "2023-03-20"},
	}
	for i := range 2200 {
		p := anon.Person{Surname: fmt.Sprintf("Filler%d", i), Given: "Eva", Sex: "F", Citizenship: "CZ",
			BirthDate: anon.Date{Y: 1950 + i%50, M: 1 + i%12, D: 1 + i%28}}
		if i < 200 {
			p.Surname, p.Given = jana.Surname, jana.Given
		}
		rs = append(rs, reported{src: source{fmt.Sprintf("p%02d", i%20), "ngo", "2023"}, n: int64(1 + i), person: p,
			form: "labour", identified: fmt.Sprintf("2023-%02d-15", 1+i%12)})
	}
	recs = records(t, rs...)
	res = link(t, recs)
	if personOf(t, res, recs[0].Ref) == personOf(t, res, recs[1].Ref) {
		t.Error("joined on a common name")
	}
	if personOf(t, res, recs[2].Ref) != personOf(t, res, recs[3].Ref) {
		t.Error("a rare name did not join")
	}
}

// A person the police reported in 2023 and the NGO in 2024 is one
// person, counted once pooled and once in each year.
func TestAcrossPeriods(t *testing.T) {
	recs := records(t,
		reported{src: police2023, n: 1, person: jana, status: "actual", form: "sexual", identified: "2023-11-20"},
		reported{src: ngo2024, n: 1, person: jana, form: "sexual", identified: "2024-02-01"},
	)
	res := link(t, recs)
	if personOf(t, res, recs[0].Ref) != personOf(t, res, recs[1].Ref) {
		t.Fatal("not linked across periods")
	}
	tab, err := merge.PersonsBy(res, merge.DimStatus)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range tab.Rows {
		want := 0
		switch row.Keys[0] + " " + row.Keys[1] {
		case "2023 actual", "2024 possible", "all actual":
			want = 1
		}
		if row.Count != want {
			t.Errorf("%v: %d, want %d", row.Keys, row.Count, want)
		}
	}
}

// Two records of one submission are two persons, and a chain of weak
// links through a third record does not make them one.
func TestSubmissionGuard(t *testing.T) {
	// Namesakes born the same day, twins say, in one police file: they
	// share every key, so strong keys link them; the guard is for weak
	// evidence only.
	twinA, twinB := jana, jana
	twinB.Given = "Jane" // a given name that differs: b1 only
	// The NGO's record has no given name: b1 with both.
	ngo := jana
	ngo.Given = ""
	recs := records(t,
		reported{src: police2023, n: 1, person: twinA, form: "sexual", region: "CZ010", identified: "2023-03-01", bloom: true},
		reported{src: police2023, n: 2, person: twinB, form: "sexual", region: "CZ010", identified: "2023-03-01", bloom: true},
		reported{src: ngo2023, n: 1, person: ngo, form: "sexual", region: "CZ010", identified: "2023-03-05"},
	)
	res := link(t, recs)
	if personOf(t, res, recs[0].Ref) == personOf(t, res, recs[1].Ref) {
		t.Errorf("two records of one submission joined: %+v", res.Explain(personOf(t, res, recs[0].Ref)))
	}
	if st := res.Stats(); st.Refused == 0 {
		t.Errorf("no link refused: %+v", st)
	}
}

// Ids: adding a record of a later period leaves them alone; with the
// previous assignments, so does adding one of an earlier period, and a
// merge keeps the id of the larger person.
func TestStableIDs(t *testing.T) {
	olha := anon.Person{Surname: "Ivanenko", Given: "Olha", BirthDate: anon.Date{Y: 1985, M: 7, D: 1}, Sex: "F", Citizenship: "UA"}
	base := records(t,
		reported{src: police2023, n: 1, person: jana, identified: "2023-03-01"},
		reported{src: ngo2023, n: 1, person: olha, identified: "2023-04-01"},
		reported{src: ngo2023, n: 2, person: jana, identified: "2023-03-05"},
	)
	first := link(t, base)
	janaID, olhaID := personOf(t, first, base[0].Ref), personOf(t, first, base[1].Ref)

	later := append(slices.Clone(base), reported{src: police2024, n: 1, person: olha, identified: "2024-01-10"}.record(t))
	second := link(t, later)
	if personOf(t, second, base[0].Ref) != janaID || personOf(t, second, base[1].Ref) != olhaID {
		t.Error("ids changed when a record of a later period was added")
	}
	if personOf(t, second, later[3].Ref) != olhaID {
		t.Error("the new record did not join its person")
	}

	// A record of an earlier period changes the anchor; Previous keeps
	// the id.
	earlier := append(slices.Clone(later), reported{src: source{"police-cz", "police", "2022"}, n: 1, person: olha,
		identified: "2022-12-01"}.record(t))
	res, err := merge.Link(earlier, merge.Config{Salt: salt, Previous: second.Assignments()})
	if err != nil {
		t.Fatal(err)
	}
	if personOf(t, res, earlier[4].Ref) != olhaID || personOf(t, res, base[0].Ref) != janaID {
		t.Error("ids changed despite Previous")
	}
	if res.Stats().IDsKept != 2 {
		t.Errorf("%d ids kept, want 2", res.Stats().IDsKept)
	}

	// Two earlier persons found to be one keep the id of the one with
	// more records; the other is retired into it. A has only an a1 key,
	// C1 and C2 only h1 keys; B, added, has both.
	keys := anon.Keys(secret(t), jana)
	only := func(r merge.Record, prefix string) merge.Record {
		r.Victim.Keys = merge.JoinKeys(slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return !strings.HasPrefix(k, prefix) }))
		return r
	}
	a := only(reported{src: police2023, n: 1, person: jana}.record(t), "a1_")
	c1 := only(reported{src: ngo2023, n: 1, person: jana}.record(t), "h1_")
	c2 := only(reported{src: ngo2024, n: 1, person: jana}.record(t), "h1_")
	b := reported{src: iom2023, n: 1, person: jana}.record(t)
	apart := link(t, []merge.Record{a, c1, c2})
	if len(apart.Persons()) != 2 {
		t.Fatalf("%d persons before, want 2", len(apart.Persons()))
	}
	res, err = merge.Link([]merge.Record{a, b, c1, c2}, merge.Config{Salt: salt, Previous: apart.Assignments()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Persons()) != 1 {
		t.Fatalf("%d persons, want 1", len(res.Persons()))
	}
	larger, smaller := personOf(t, apart, c1.Ref), personOf(t, apart, a.Ref)
	if got := res.Persons()[0].ID; got != larger {
		t.Errorf("merged person is %s, want %s (the one with more records)", got, larger)
	}
	if got := res.Retired(); len(got) != 1 || got[smaller] != larger {
		t.Errorf("Retired() = %v, want %s → %s", got, smaller, larger)
	}
	// Split again: the part with most of the person's records keeps the
	// id, the other gets a new one.
	res, err = merge.Link([]merge.Record{a, c1, c2}, merge.Config{Salt: salt, Previous: res.Assignments()})
	if err != nil {
		t.Fatal(err)
	}
	if personOf(t, res, c1.Ref) != larger || personOf(t, res, a.Ref) == larger {
		t.Errorf("after the split: %s and %s", personOf(t, res, c1.Ref), personOf(t, res, a.Ref))
	}
}

// The same records in any order give the same persons and ids.
func TestOrderIndependent(t *testing.T) {
	olha := anon.Person{Surname: "Ivanenko", Given: "Olha", BirthDate: anon.Date{Y: 1985, M: 7, D: 1}, Sex: "F", Citizenship: "UA"}
	recs := records(t,
		reported{src: police2023, n: 1, person: jana},
		reported{src: ngo2023, n: 1, person: olha},
		reported{src: ngo2023, n: 2, person: jana},
		reported{src: iom2023, n: 5, person: olha},
		reported{src: police2024, n: 1, person: jana},
	)
	want := link(t, recs).Assignments()
	r := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		r.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		got := link(t, recs).Assignments()
		if got.Len() != want.Len() {
			t.Fatalf("%d assignments after shuffling, %d before", got.Len(), want.Len())
		}
		for ref, id := range want.All() {
			if g, _ := got.Get(ref); g != id {
				t.Fatalf("%s: %s after shuffling, %s before", ref, g, id)
			}
		}
	}
}

func TestLinkErrors(t *testing.T) {
	recs := records(t, reported{src: police2023, n: 1, person: jana}, reported{src: police2023, n: 1, person: jana})
	if _, err := merge.Link(recs, merge.Config{Salt: salt}); !errors.Is(err, merge.ErrDuplicateRef) {
		t.Errorf("duplicate reference: %v", err)
	}
	if _, err := merge.Link(recs[:1], merge.Config{Salt: []byte("short")}); !errors.Is(err, merge.ErrConfig) {
		t.Errorf("short salt: %v", err)
	}
	bad := merge.DefaultWeights()
	bad.Dice = []merge.DiceWeight{{Min: 0.5, Weight: 1}, {Min: 0.9, Weight: 2}}
	if _, err := merge.Link(recs[:1], merge.Config{Salt: salt, Weights: &bad}); !errors.Is(err, merge.ErrConfig) {
		t.Errorf("Dice bands out of order: %v", err)
	}
	long := recs[0]
	long.Victim.Keys = merge.Keys(strings.Repeat("a1_AAAAAAAAAAAAAAAAAAAAAA ", 3000))
	if _, err := merge.Link([]merge.Record{long}, merge.Config{Salt: salt}); err == nil || !strings.Contains(err.Error(), "65535") {
		t.Errorf("keys longer than a record holds: %v", err)
	}
	res, err := merge.Link(nil, merge.Config{Salt: salt})
	if err != nil || len(res.Persons()) != 0 {
		t.Errorf("no records: %v, %d persons", err, len(res.Persons()))
	}
}

func TestPairQuality(t *testing.T) {
	olha := anon.Person{Surname: "Ivanenko", Given: "Olha", BirthDate: anon.Date{Y: 1985, M: 7, D: 1}, Sex: "F", Citizenship: "UA"}
	recs := records(t,
		reported{src: police2023, n: 1, person: jana},
		reported{src: ngo2023, n: 1, person: jana},
		reported{src: iom2023, n: 1, person: olha},
	)
	res := link(t, recs)
	truth := map[merge.RecordRef]string{recs[0].Ref: "A", recs[1].Ref: "A", recs[2].Ref: "A"}
	p, r, tp, fp, fn := merge.PairQuality(res, truth)
	if p != 1 || tp != 1 || fp != 0 || fn != 2 || r != 1.0/3 {
		t.Errorf("PairQuality = %v %v %d %d %d, want 1 1/3 1 0 2", p, r, tp, fp, fn)
	}
}
