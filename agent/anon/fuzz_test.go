package anon

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzNormalizeName(f *testing.F) {
	for _, seed := range []string{
		"Ing. Jana Nováková, Ph.D.", // titles both sides
		"Mgr. et Mgr. Jan",          // et between titles
		"pan pan Novák",             // a leading title twice
		"J.ING.Novák",               // a title among initials
		"Олександр Шевченко",        // Cyrillic
		"Nguyễn Thị Lan",            // stacked Vietnamese marks
		"Ştefan Ţurcanu",            // cedilla
		"ǅemal ǈubić",               // title-case digraphs
		"ﬁlip Ｊａｎ",                  // compatibility forms
		"İı ß ẞ",                    // case mapping that changes length
		"a\u0301\u0302\u0303",       // a pile of combining marks
		"\xff\xfe",                  // invalid UTF-8
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeName(s)
		if again := NormalizeName(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, again)
		}
		if n != strings.Join(strings.Fields(n), " ") {
			t.Fatalf("%q → %q: spaces not collapsed", s, n)
		}
		if !utf8.ValidString(n) {
			t.Fatalf("%q → invalid UTF-8 %q", s, n)
		}
		for _, r := range n {
			if r != ' ' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Fatalf("%q → %q holds %q", s, n, r)
			}
			// Letters without an upper case (IPA ʐ) stay as they are.
			if unicode.Is(unicode.Mn, r) || unicode.ToUpper(r) != r {
				t.Fatalf("%q → %q holds %q", s, n, r)
			}
		}
		// The derived forms must not panic either.
		_ = SurnameBase(s)
		if p := Phonetic(s); strings.Contains(p, " ") {
			t.Fatalf("Phonetic(%q) = %q holds a space", s, p)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, seed := range []struct{ s, format string }{
		{"1990-03-05", ""},               // ISO
		{"5. 3. 1990", ""},               // Czech with spaces
		{"12/25/1990", ""},               // month first, unambiguous
		{"05/03/1990", "mm/dd/yyyy"},     // a partner's own format
		{"1990-03-05T00:00:00Z", ""},     // with a time
		{"29.2.1900", ""},                // not a leap year
		{"19900305", "yyyymmdd"},         // adjacent fields
		{"1990", "yyyy"},                 // year only
		{"99/99/9999", "dd/mm/yyyy"},     // out of range
		{"1990.03.05", "yyyy..mm.dd"},    // a doubled separator
		{"", "ymd"},                      // one-letter year
		{"0001-01-01", "yyyy-mm-dd"},     // year below 1000
		{"1990-03-05 10:00:00+0100", ""}, // offset without colon
		{"\x00", "\x00"},                 // control characters
	} {
		f.Add(seed.s, seed.format)
	}
	f.Fuzz(func(t *testing.T, s, format string) {
		var formats []string
		if format != "" {
			formats = []string{format}
		}
		d, err := ParseDate(s, formats)
		if err != nil {
			if d != (Date{}) {
				t.Fatalf("error with a non-zero date %v", d)
			}
			return
		}
		if !d.Valid() || d.IsZero() {
			t.Fatalf("ParseDate(%q, %q) = %#v, not a valid date", s, format, d)
		}
		// Round trip through the ISO form.
		back, err := ParseDate(d.String(), []string{"yyyy-mm-dd", "yyyy-mm", "yyyy"})
		if err != nil || back != d {
			t.Fatalf("%v → %q → %v, %v", d, d.String(), back, err)
		}
	})
}

func FuzzRegion(f *testing.F) {
	for _, seed := range []string{
		"Vodičkova 12, 110 00 Praha 1", // street, postal code, town
		"Frýdlant nad Ostravicí",       // a longer name containing another
		"Lhota 15, 250 01",             // postal code only
		"10115 Berlin",                 // abroad
		"123/45",                       // a house number
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, address string) {
		code, ok := Region(address)
		if ok != (code != "") {
			t.Fatalf("Region(%q) = %q, %v", address, code, ok)
		}
		if ok && (len(code) != 5 || !strings.HasPrefix(code, "CZ0")) {
			t.Fatalf("Region(%q) = %q, not a Czech NUTS 3 code", address, code)
		}
	})
}

func FuzzDice(f *testing.F) {
	s, err := GenerateSecret(strings.NewReader(strings.Repeat("k", 32)))
	if err != nil {
		f.Fatal(err)
	}
	a := Bloom(s, Person{Surname: "Novák", Given: "Jan", BirthDate: Date{1990, 3, 5}})
	b := Bloom(s, Person{Surname: "Nowak", Given: "Jan", BirthDate: Date{1990, 3, 5}})
	f.Add(a, b)                        // two real encodings
	f.Add(a, a[:170])                  // one character short
	f.Add(a, strings.Repeat("_", 171)) // all bits set
	f.Add("", "")
	f.Fuzz(func(t *testing.T, x, y string) {
		d, err := Dice(x, y)
		if err != nil {
			return
		}
		if d < 0 || d > 1 {
			t.Fatalf("Dice = %v, outside [0, 1]", d)
		}
		if e, _ := Dice(y, x); e != d {
			t.Fatalf("Dice not symmetric: %v and %v", d, e)
		}
	})
}
