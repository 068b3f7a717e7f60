package anon

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)

func TestKeysFormat(t *testing.T) {
	s := fixedSecret(t, 1)
	p := Person{Surname: "Nováková", Given: "Jana", BirthDate: Date{1990, 3, 5}, Sex: "F", Citizenship: "CZ"}
	keys := Keys(s, p)
	var codes []string
	for _, k := range keys {
		if !keyPattern.MatchString(k) {
			t.Errorf("key %q does not match %v", k, keyPattern)
		}
		code, _, ok := strings.Cut(k, "_")
		if !ok || !knownVariant(code) {
			t.Errorf("key %q has no known variant code", k)
		}
		codes = append(codes, code)
	}
	if want := KeyVariants(); !slices.Equal(codes, want) {
		t.Errorf("variants %v, want all of %v in order", codes, want)
	}
	if again := Keys(s, p); !slices.Equal(again, keys) {
		t.Error("Keys is not deterministic")
	}
}

func TestKeysSkipMissingFields(t *testing.T) {
	s := fixedSecret(t, 1)
	full := Person{Surname: "Novák", Given: "Jan", BirthDate: Date{1990, 3, 5}, Sex: "M", Citizenship: "CZ"}
	tests := []struct {
		name string
		edit func(*Person)
		want []string
	}{
		{"everything", func(*Person) {}, []string{"a1", "a2", "b1", "c1", "d1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"day above 12", func(p *Person) { p.BirthDate.D = 25 }, []string{"a1", "b1", "c1", "d1", "e1", "f1", "g1", "h1", "h3", "d2", "d3"}},
		{"day equals month", func(p *Person) { p.BirthDate.D = 3 }, []string{"a1", "b1", "c1", "d1", "e1", "f1", "g1", "h1", "h3", "d2", "d3"}},
		{"no surname", func(p *Person) { p.Surname = "" }, []string{"c1"}},
		{"surname only a title", func(p *Person) { p.Surname = "Ing." }, []string{"c1"}},
		{"no given name", func(p *Person) { p.Given = "" }, []string{"b1"}},
		{"no sex", func(p *Person) { p.Sex = "" }, []string{"a1", "a2", "b1", "d1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"sex unknown", func(p *Person) { p.Sex = "unknown" }, []string{"a1", "a2", "b1", "d1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"sex in Czech", func(p *Person) { p.Sex = "muž" }, []string{"a1", "a2", "b1", "c1", "d1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"no citizenship", func(p *Person) { p.Citizenship = "" }, []string{"a1", "a2", "b1", "c1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"citizenship in lower case", func(p *Person) { p.Citizenship = " cz" }, []string{"a1", "a2", "b1", "c1", "d1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"alpha-3 citizenship", func(p *Person) { p.Citizenship = "CZE" }, []string{"a1", "a2", "b1", "c1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"bad citizenship", func(p *Person) { p.Citizenship = "Czech Republic" }, []string{"a1", "a2", "b1", "c1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}},
		{"year and month", func(p *Person) { p.BirthDate = Date{1990, 3, 0} }, []string{"d1", "f1", "d2", "d3"}},
		{"year only", func(p *Person) { p.BirthDate = Date{1990, 0, 0} }, []string{"d1", "d2", "d3"}},
		{"year only, no citizenship", func(p *Person) { p.BirthDate = Date{1990, 0, 0}; p.Citizenship = "" }, []string{"d2", "d3"}},
		// The names still key: a record without a birth date.
		{"no date", func(p *Person) { p.BirthDate = Date{} }, []string{"d3"}},
		{"invalid date", func(p *Person) { p.BirthDate = Date{1990, 2, 30} }, []string{"d3"}},
		{"no date, no given name", func(p *Person) { p.BirthDate = Date{}; p.Given = "" }, nil},
		{"nothing", func(p *Person) { *p = Person{} }, nil},
	}
	for _, tt := range tests {
		p := full
		tt.edit(&p)
		var codes []string
		for _, k := range Keys(s, p) {
			codes = append(codes, k[:2])
		}
		if !slices.Equal(codes, tt.want) {
			t.Errorf("%s: variants %v, want %v", tt.name, codes, tt.want)
		}
	}
}

func TestCanonicalEncodingIsUnambiguous(t *testing.T) {
	s := fixedSecret(t, 1)
	// The same characters split differently between fields.
	a := Keys(s, Person{Surname: "Novak", Given: "Jan", BirthDate: Date{1990, 1, 11}, Sex: "M"})
	b := Keys(s, Person{Surname: "Nova", Given: "Kjan", BirthDate: Date{1990, 11, 1}, Sex: "M"})
	if shared := sharedKeys(a, b); len(shared) != 0 {
		t.Errorf("different persons share %v", shared)
	}
	if string(appendCanonical(nil, "a1", []string{"AB", "C"})) == string(appendCanonical(nil, "a1", []string{"A", "BC"})) {
		t.Error("canonical encoding is ambiguous")
	}
}

func sharedKeys(a, b []string) []string {
	var out []string
	for _, k := range a {
		if slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	return out
}

// variation is one way a second source writes the same person.
type variation struct {
	name string
	// apply returns the record the other source writes, or false when
	// the variation does not apply to this person.
	apply func(r *rand.Rand, p synthPerson) (Person, bool)
}

var variations = []variation{
	{"diacritics removed", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		s, g := stripMarks(rec.Surname), stripMarks(rec.Given)
		if s == rec.Surname && g == rec.Given {
			return rec, false
		}
		rec.Surname, rec.Given = s, g
		return rec, true
	}},
	{"case and spacing", func(r *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		rec.Surname = "  " + strings.ToLower(rec.Surname) + " "
		rec.Given = strings.ToUpper(rec.Given) + "\t"
		return rec, true
	}},
	{"titles added", func(r *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		pre := []string{"Ing.", "Mgr.", "MUDr.", "Bc.", "pan", "paní", "Mr", "Mrs.", "doc. Ing."}
		post := []string{", Ph.D.", " CSc.", ", MBA", " DiS.", ""}
		rec.Given = pre[r.IntN(len(pre))] + " " + rec.Given
		rec.Surname += post[r.IntN(len(post))]
		return rec, true
	}},
	{"-ová form dropped or added", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		if !p.female {
			return Person{}, false
		}
		rec := p.record()
		if p.surname.fem != nil {
			rec.Surname = p.surname.spellings[0] // Nováková written Novák
		} else {
			rec.Surname += "ová" // Kovalenko written Kovalenková
		}
		return rec, true
	}},
	{"surname transliterated", func(r *rand.Rand, p synthPerson) (Person, bool) {
		sp := p.surnameSpellings()
		if len(sp) < 2 {
			return Person{}, false
		}
		rec := p.record()
		rec.Surname = sp[1+r.IntN(len(sp)-1)]
		return rec, true
	}},
	{"given name transliterated", func(r *rand.Rand, p synthPerson) (Person, bool) {
		sp := p.given.spellings
		if len(sp) < 2 {
			return Person{}, false
		}
		rec := p.record()
		rec.Given = sp[1+r.IntN(len(sp)-1)]
		return rec, true
	}},
	{"both names transliterated", func(r *rand.Rand, p synthPerson) (Person, bool) {
		ss, gs := p.surnameSpellings(), p.given.spellings
		if len(ss) < 2 || len(gs) < 2 {
			return Person{}, false
		}
		rec := p.record()
		rec.Surname, rec.Given = ss[1+r.IntN(len(ss)-1)], gs[1+r.IntN(len(gs)-1)]
		return rec, true
	}},
	{"day and month swapped", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		d := p.birth
		if d.D > 12 || d.D == d.M {
			return Person{}, false
		}
		rec := p.record()
		rec.BirthDate = Date{d.Y, d.D, d.M}
		return rec, true
	}},
	{"typo in surname", func(r *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		rec.Surname = typo(r, rec.Surname)
		return rec, true
	}},
	{"typo in given name", func(r *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		rec.Given = typo(r, rec.Given)
		return rec, true
	}},
	{"typo in birth date", func(r *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		rec.BirthDate, _ = dateTypo(r, rec.BirthDate)
		return rec, true
	}},
	{"surname and given name swapped", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		rec.Surname, rec.Given = rec.Given, rec.Surname
		return rec, true
	}},
	{"a word moved to the other name field", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		first, rest, ok := strings.Cut(rec.Given, " ") // Thị Lan → Nguyễn Thị | Lan
		if !ok {
			return rec, false
		}
		rec.Surname, rec.Given = rec.Surname+" "+first, rest
		return rec, true
	}},
	{"birth year only", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		rec.BirthDate = Date{Y: rec.BirthDate.Y}
		return rec, true
	}},
	{"no birth date", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		rec.BirthDate = Date{}
		return rec, true
	}},
	{"names swapped, day and month swapped", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		d := p.birth
		if d.D > 12 || d.D == d.M {
			return Person{}, false
		}
		rec := p.record()
		rec.Surname, rec.Given = rec.Given, rec.Surname
		rec.BirthDate = Date{d.Y, d.D, d.M}
		return rec, true
	}},
	{"names swapped, -ová form dropped, birth year only", func(_ *rand.Rand, p synthPerson) (Person, bool) {
		if !p.female || p.surname.fem == nil {
			return Person{}, false
		}
		rec := p.record()
		rec.Surname, rec.Given = rec.Given, p.surname.spellings[0]
		rec.BirthDate = Date{Y: rec.BirthDate.Y}
		rec.Citizenship = ""
		return rec, true
	}},
	{"a vowel mistyped, names swapped", func(r *rand.Rand, p synthPerson) (Person, bool) {
		rec := p.record()
		g := []rune(NormalizeName(rec.Given))
		var vowels []int
		// Not in the last three letters, which SurnameBase may reduce
		// (JAROSLOV would lose a Russian -OV).
		for i, c := range g[:max(0, len(g)-3)] {
			if strings.ContainsRune("AEIOU", c) {
				vowels = append(vowels, i)
			}
		}
		if len(vowels) == 0 {
			return Person{}, false
		}
		i := vowels[r.IntN(len(vowels))]
		g[i] = []rune("AEIOU")[(strings.IndexRune("AEIOU", g[i])+1+r.IntN(4))%5]
		rec.Surname, rec.Given = string(g), rec.Surname
		return rec, true
	}},
	{"transliterated, no diacritics, -ová, swapped date", func(r *rand.Rand, p synthPerson) (Person, bool) {
		d := p.birth
		if !p.female || p.surname.fem != nil || d.D > 12 || d.D == d.M {
			return Person{}, false
		}
		rec := p.record()
		if sp := p.surname.spellings; len(sp) > 1 {
			rec.Surname = sp[1+r.IntN(len(sp)-1)]
		}
		rec.Surname = stripMarks(rec.Surname) + "ova"
		rec.Given = stripMarks(rec.Given)
		rec.BirthDate = Date{d.Y, d.D, d.M}
		return rec, true
	}},
}

// TestKeysLinkVariants is the property the key variants exist for: the
// same person written by another source, with one of the documented
// differences, shares at least one key with the careful record.
func TestKeysLinkVariants(t *testing.T) {
	s := fixedSecret(t, 1)
	r := rand.New(rand.NewPCG(4, 2026))
	const perVariation = 2000
	for _, v := range variations {
		tried, linked := 0, 0
		via := map[string]int{}
		for tried < perVariation {
			p := randomPerson(r)
			other, ok := v.apply(r, p)
			if !ok {
				continue
			}
			tried++
			shared := sharedKeys(Keys(s, p.record()), Keys(s, other))
			if len(shared) == 0 {
				if t.Failed() {
					continue // one example per variation is enough
				}
				t.Errorf("%s: no shared key between %+v and %+v", v.name, p.record(), other)
				continue
			}
			linked++
			for _, k := range shared {
				via[k[:2]]++
			}
		}
		t.Logf("%-50s linked %d/%d; shared keys by variant %v", v.name, linked, tried, via)
	}
}

// TestKeysDateTypoByPart checks which variant carries a typo in each part
// of the date, as Keys documents.
func TestKeysDateTypoByPart(t *testing.T) {
	s := fixedSecret(t, 1)
	r := rand.New(rand.NewPCG(5, 2026))
	want := map[string]string{"year": "e1", "month": "g1", "day": "f1"}
	for range 1000 {
		p := randomPerson(r)
		rec := p.record()
		other := rec
		var part string
		other.BirthDate, part = dateTypo(r, rec.BirthDate)
		other.Citizenship = "" // no help from d1
		shared := sharedKeys(Keys(s, rec), Keys(s, other))
		if !slices.ContainsFunc(shared, func(k string) bool { return k[:2] == want[part] }) {
			t.Fatalf("typo in the %s (%v → %v): shared %v, want %s", part, rec.BirthDate, other.BirthDate, shared, want[part])
		}
	}
}

// TestKeysDistinctPersons generates persons from the same name pools, so
// that namesakes are common, and checks that two different persons share
// a key only through a variant whose documented fields they have in
// common. It reports how often each variant links different persons:
// the precision the hub's matching has to weigh.
func TestKeysDistinctPersons(t *testing.T) {
	sizes := []int{1000, 10000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) { testDistinctPersons(t, n) })
	}
}

func testDistinctPersons(t *testing.T, n int) {
	s := fixedSecret(t, 1)
	r := rand.New(rand.NewPCG(6, 2026))
	type entry struct {
		rec Person
		np  normPerson
	}
	var persons []entry
	seen := map[string]bool{}
	for len(persons) < n {
		rec := randomPerson(r).record()
		np := normalisePerson(rec)
		id := fmt.Sprint(np.s, np.g, np.date)
		if seen[id] {
			continue // the same person by every field the keys see
		}
		seen[id] = true
		persons = append(persons, entry{rec, np})
	}
	owners := map[string][]int{}
	for i, e := range persons {
		for _, k := range Keys(s, e.rec) {
			owners[k] = append(owners[k], i)
		}
	}
	pairs := map[[2]int][]string{} // variant codes each linked pair shares
	byVariant := map[string]int{}
	for k, idx := range owners {
		code := k[:2]
		v := variants[slices.IndexFunc(variants, func(v variant) bool { return v.code == code })]
		for a := 0; a < len(idx); a++ {
			for b := a + 1; b < len(idx); b++ {
				i, j := idx[a], idx[b]
				if !slices.Equal(v.fields(&persons[i].np), v.fields(&persons[j].np)) {
					t.Errorf("%s links %+v and %+v without their fields agreeing", code, persons[i].rec, persons[j].rec)
				}
				if code == "a1" {
					t.Errorf("a1 links two distinct persons: %+v and %+v", persons[i].rec, persons[j].rec)
				}
				byVariant[code]++
				pairs[[2]int{i, j}] = append(pairs[[2]int{i, j}], code)
			}
		}
	}
	// The names-only variants: d1 and d2 (names and birth year) and d3
	// (names alone) are shared by namesakes, as documented.
	namesOnly := func(c string) bool { return c == "d1" || c == "d2" || c == "d3" }
	notOnlyNames := 0
	for _, codes := range pairs {
		if slices.ContainsFunc(codes, func(c string) bool { return !namesOnly(c) }) {
			notOnlyNames++
		}
	}
	total := len(persons) * (len(persons) - 1) / 2
	rates := map[string]string{}
	for code, n := range byVariant {
		rates[code] = fmt.Sprintf("%.2g", float64(n)/float64(total))
	}
	t.Logf("%d distinct persons, %d pairs: %d pairs (%.4f%%) share a key, %d of them not only through d1, d2 or d3 (%.2g); pairs by variant %v, rate %v",
		len(persons), total, len(pairs), 100*float64(len(pairs))/float64(total), notOnlyNames,
		float64(notOnlyNames)/float64(total), byVariant, rates)
	// Namesakes link through d1, d2 and d3 as documented; anything else
	// should be rare. The name pools are small (66 surnames, 69 given
	// names), so namesakes are far more common here than among real
	// persons.
	if float64(notOnlyNames) > 2e-5*float64(total) {
		t.Errorf("%d pairs of distinct persons link through variants other than d1, d2 and d3", notOnlyNames)
	}
	// Namesakes share d3: its rate is the share of namesakes among the
	// pairs (the check above that a shared key's fields agree says no
	// other pair does).
	if byVariant["d3"] == 0 {
		t.Error("no namesakes share d3")
	}
}

// TestKeysRandomStrangers uses random names, so nothing but chance could
// link two persons.
func TestKeysRandomStrangers(t *testing.T) {
	s := fixedSecret(t, 1)
	r := rand.New(rand.NewPCG(7, 2026))
	word := func() string {
		b := make([]byte, 4+r.IntN(6))
		for i := range b {
			b[i] = byte('A' + r.IntN(26))
		}
		return string(b)
	}
	owner := map[string]int{}
	for i := range 1000 {
		p := Person{Surname: word(), Given: word(), BirthDate: randomDate(r, 1950, 2010), Sex: "F", Citizenship: "CZ"}
		for _, k := range Keys(s, p) {
			if j, ok := owner[k]; ok && j != i {
				t.Errorf("persons %d and %d share %s", j, i, k)
			}
			owner[k] = i
		}
	}
}

func TestKeysDependOnSecret(t *testing.T) {
	a, b := fixedSecret(t, 1), fixedSecret(t, 2)
	r := rand.New(rand.NewPCG(8, 2026))
	for range 200 {
		p := randomPerson(r).record()
		if shared := sharedKeys(Keys(a, p), Keys(b, p)); len(shared) != 0 {
			t.Fatalf("keys %v are the same under two secrets", shared)
		}
	}
}

// TestKeysHoldNoInput checks that nothing of the input can be read from a
// key: no name, normalised name, phonetic key or written date appears in
// it. (A 4-digit year could occur in 22 random base64url characters by
// chance, about once in 10^6 keys, so years are left out.)
func TestKeysHoldNoInput(t *testing.T) {
	s := fixedSecret(t, 1)
	r := rand.New(rand.NewPCG(9, 2026))
	for range 1000 {
		p := randomPerson(r).record()
		d := p.BirthDate
		needles := []string{
			d.String(), fmt.Sprintf("%04d%02d%02d", d.Y, d.M, d.D), fmt.Sprintf("%d.%d.%d", d.D, d.M, d.Y),
		}
		for _, name := range []string{p.Surname, p.Given} {
			for _, form := range []string{name, NormalizeName(name), SurnameBase(name), Phonetic(name), stripMarks(name)} {
				if len(form) >= 4 {
					needles = append(needles, form, strings.ToLower(form))
				}
			}
		}
		for _, k := range Keys(s, p) {
			for _, n := range needles {
				if strings.Contains(k, n) || strings.Contains(strings.ToUpper(k), strings.ToUpper(n)) && len(n) >= 6 {
					t.Fatalf("key %s contains %q", k, n)
				}
			}
		}
	}
}

func BenchmarkKeys(b *testing.B) {
	s := fixedSecret(b, 1)
	p := Person{Surname: "Ševčenková", Given: "Yuliia", BirthDate: Date{1990, 3, 5}, Sex: "F", Citizenship: "UA"}
	b.ReportAllocs()
	for b.Loop() {
		Keys(s, p)
	}
}

func BenchmarkBloom(b *testing.B) {
	s := fixedSecret(b, 1)
	p := Person{Surname: "Ševčenková", Given: "Yuliia", BirthDate: Date{1990, 3, 5}, Sex: "F", Citizenship: "UA"}
	b.ReportAllocs()
	for b.Loop() {
		Bloom(s, p)
	}
}
