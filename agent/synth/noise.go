package synth

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// noiseKind is one way a partner's record departs from the person's
// canonical data. The ground truth lists the kinds applied to each record,
// so linkage quality can be measured per kind.
type noiseKind uint32

const (
	noiseTypo            noiseKind = 1 << iota // one character wrong, missing, doubled or transposed
	noiseMissing                               // a known value left empty
	noiseDayMonth                              // day and month of birth swapped
	noiseNoDiacritics                          // diacritics dropped
	noiseCedilla                               // Romanian ș, ț written with a cedilla
	noiseOvaDropped                            // a woman's -ová/-á surname in the masculine form
	noiseOvaAdded                              // -ová added to a foreign woman's surname
	noiseTransliteration                       // another Latin spelling of a Cyrillic name
	noiseNativeScript                          // the name in Cyrillic
	noiseOrderSwapped                          // surname and given name swapped
	noiseNameSplit                             // a Vietnamese middle name moved to the surname
	noiseExtraSpaces                           // leading, trailing or doubled spaces
	noiseCase                                  // upper or lower case
	noiseBirthYearOnly                         // only the year of birth
)

var noiseNames = []string{
	"typo", "missing", "day_month_swapped", "no_diacritics", "cedilla", "ova_dropped", "ova_added",
	"transliteration", "native_script", "order_swapped", "name_split", "extra_spaces", "case",
	"birth_year_only",
}

// NoiseKinds lists the noise names the ground truth uses, in the order
// they appear in its noise column.
func NoiseKinds() []string { return append([]string(nil), noiseNames...) }

func (n noiseKind) String() string {
	var parts []string
	for i, name := range noiseNames {
		if n&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "|")
}

// stripDiacritics removes combining marks (Nováková → Novakova,
// Nguyễn → Nguyen) and the few letters that do not decompose.
func stripDiacritics(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'đ':
			r = 'd'
		case 'Đ':
			r = 'D'
		case 'ł':
			r = 'l'
		case 'Ł':
			r = 'L'
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// cedilla writes Romanian ș and ț the old way, with a cedilla (ş, ţ), as
// Windows-1250 and many keyboards do.
func cedilla(s string) string { return cedillaReplacer.Replace(s) }

var cedillaReplacer = strings.NewReplacer("ș", "ş", "Ș", "Ş", "ț", "ţ", "Ț", "Ţ")

// typo makes one keyboard slip: a letter replaced, dropped, doubled, or
// two letters swapped. The first letter is kept: people rarely miss it.
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 3 {
		return s
	}
	i := 1 + r.IntN(len(rs)-1)
	switch r.IntN(4) {
	case 0:
		rs[i] = nearbyLetter(r, rs[i])
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	case 2:
		rs = append(rs[:i+1], rs[i:]...)
	default:
		if i == len(rs)-1 {
			i--
		}
		if i == 0 || rs[i] == rs[i+1] {
			rs[i] = nearbyLetter(r, rs[i])
		} else {
			rs[i], rs[i+1] = rs[i+1], rs[i]
		}
	}
	return string(rs)
}

var keyboardNeighbours = map[rune]string{
	'a': "sqz", 'b': "vn", 'c': "xv", 'd': "sf", 'e': "wr", 'f': "dg", 'g': "fh", 'h': "gj", 'i': "uo",
	'j': "hk", 'k': "jl", 'l': "k", 'm': "n", 'n': "bm", 'o': "ip", 'p': "o", 'r': "et", 's': "ad",
	't': "rz", 'u': "zi", 'v': "cb", 'w': "qe", 'x': "yc", 'y': "xt", 'z': "tu",
}

func nearbyLetter(r *rand.Rand, c rune) rune {
	lower := unicode.ToLower(c)
	n, ok := keyboardNeighbours[lower]
	if !ok {
		n = "aeinorst"
	}
	out := rune(n[r.IntN(len(n))])
	if out == lower {
		out = 'e'
		if lower == 'e' {
			out = 'a'
		}
	}
	if unicode.IsUpper(c) {
		return unicode.ToUpper(out)
	}
	return out
}

// addOva gives a foreign woman's surname a Czech feminine ending, as Czech
// registers often do (Kovalenko → Kovalenková, Ivanova stays).
func addOva(s string) string {
	switch {
	case strings.HasSuffix(s, "ová"), strings.HasSuffix(s, "ova"), strings.HasSuffix(s, "á"):
		return s
	case strings.HasSuffix(s, "o"), strings.HasSuffix(s, "a"), strings.HasSuffix(s, "e"):
		_, size := utf8.DecodeLastRuneInString(s)
		return s[:len(s)-size] + "ová"
	default:
		return s + "ová"
	}
}

// extraSpaces adds a stray space before, after or inside a value.
func extraSpaces(r *rand.Rand, s string) string {
	switch r.IntN(3) {
	case 0:
		return " " + s
	case 1:
		return s + " "
	default:
		if i := strings.IndexByte(s, ' '); i > 0 {
			return s[:i] + "  " + s[i+1:]
		}
		return s + "  "
	}
}

// nameStyle says how a partner writes names and how careless it is.
// Probabilities are per record.
type nameStyle struct {
	czech   bool    // the Czech transcription rather than the passport spelling
	alt     float64 // another transliteration
	native  float64 // the person's own script (Cyrillic)
	noDiacr float64
	ovaDrop float64
	ovaAdd  float64
	typo    float64
	swap    float64 // surname and given name swapped (three times as often for Vietnamese and Mongolian names)
	split   float64 // Vietnamese middle name put with the surname
	upper   float64 // surname in capitals
	lower   float64 // everything in lower case
	spaces  float64
}

// dateStyle says how a partner writes dates of birth.
type dateStyle struct {
	layouts  []weighted[string] // Go layouts
	swap     float64
	missing  float64
	yearOnly float64
}

// rowCtx is what a partner's row builder works from: the person, this
// report's date, and a generator for this row alone.
type rowCtx struct {
	r     *rand.Rand
	p     *person
	year  int
	date  time.Time // the day the partner registered the person this year
	seq   int       // 1-based record number in the file
	mask  uint16    // the partners reporting the person this year
	noise noiseKind
}

// names renders surname and given names as a partner writes them.
func (rc *rowCtx) names(st nameStyle) (sur, given string) {
	r, p := rc.r, rc.p
	sp, gp := p.surname(), p.givenName()
	mp, hasMiddle := p.middleName()
	native := sp.native != "" && chance(r, st.native)
	alt := chance(r, st.alt)
	pick := func(s spelling) string {
		var out string
		switch {
		case native:
			out = s.native
		case alt && len(s.alternatives()) > 0:
			out = oneOf(r, s.alternatives())
		case st.czech:
			out = s.czech()
		default:
			out = s.canonical()
		}
		rc.noteSpelling(s, out)
		return out
	}
	if p.female && p.cult.ova && chance(r, st.ovaDrop) {
		sp = p.mascSurname()
		rc.noise |= noiseOvaDropped
	}
	sur, given = pick(sp), pick(gp)
	if hasMiddle {
		given = pick(mp) + " " + given
	}
	if p.female && !p.cult.ova && !native && chance(r, st.ovaAdd) {
		if s := addOva(sur); s != sur {
			sur = s
			rc.noise |= noiseOvaAdded
		}
	}
	if hasMiddle && chance(r, st.split) {
		mid, g, _ := strings.Cut(given, " ")
		sur, given = sur+" "+mid, g
		rc.noise |= noiseNameSplit
	}
	if chance(r, st.noDiacr) {
		if s, g := stripDiacritics(sur), stripDiacritics(given); s != sur || g != given {
			sur, given = s, g
			rc.noise |= noiseNoDiacritics
		}
	}
	if chance(r, st.typo) {
		s, g := sur, given
		if r.IntN(2) == 0 {
			s = typo(r, sur)
		} else {
			g = typo(r, given)
		}
		if s != sur || g != given { // names under three letters are left alone
			sur, given = s, g
			rc.noise |= noiseTypo
		}
	}
	swap := st.swap
	if p.cult.familyFirst || p.cult.code == "mn" {
		swap *= 3
	}
	if chance(r, swap) {
		sur, given = given, sur
		rc.noise |= noiseOrderSwapped
	}
	switch {
	case chance(r, st.lower):
		sur, given = strings.ToLower(sur), strings.ToLower(given)
		rc.noise |= noiseCase
	case chance(r, st.upper):
		sur = strings.ToUpper(sur)
		rc.noise |= noiseCase
	}
	if chance(r, st.spaces) {
		if r.IntN(2) == 0 {
			sur = extraSpaces(r, sur)
		} else {
			given = extraSpaces(r, given)
		}
		rc.noise |= noiseExtraSpaces
	}
	return sur, given
}

// noteSpelling records how a chosen spelling departs from the canonical.
func (rc *rowCtx) noteSpelling(s spelling, out string) {
	canon := s.canonical()
	switch {
	case out == canon:
	case out == s.native:
		rc.noise |= noiseNativeScript
	case out == stripDiacritics(canon):
		rc.noise |= noiseNoDiacritics
	case out == cedilla(canon):
		rc.noise |= noiseCedilla
	default:
		rc.noise |= noiseTransliteration
	}
}

// fullName is the name in one field, in the order usual for the culture
// (Nguyen Thi Lan; Jana Nováková), sometimes the other way round.
func (rc *rowCtx) fullName(st nameStyle) string {
	sur, given := rc.names(st)
	if rc.p.cult.familyFirst {
		return sur + " " + given
	}
	if chance(rc.r, 0.15) { // surname first, as on forms (NOVÁKOVÁ Jana)
		return sur + " " + given
	}
	return given + " " + sur
}

// dob renders the date of birth as a partner writes it: "" when the
// partner does not know it, the year alone, or a date in one of its
// layouts.
func (rc *rowCtx) dob(st dateStyle) string {
	r := rc.r
	if chance(r, st.missing) {
		rc.noise |= noiseMissing
		return ""
	}
	if chance(r, st.yearOnly) {
		rc.noise |= noiseBirthYearOnly
		return rc.p.birth.Format("2006")
	}
	layout := choose(r, st.layouts)
	return rc.birthDay(st.swap).Format(layout)
}

// birthDay returns the date of birth, with day and month swapped with
// probability swap (only where the result is still a valid date: the
// case no validation catches).
func (rc *rowCtx) birthDay(swap float64) time.Time {
	b := rc.p.birth
	if chance(rc.r, swap) && b.Day() <= 12 && b.Day() != int(b.Month()) {
		rc.noise |= noiseDayMonth
		return time.Date(b.Year(), time.Month(b.Day()), int(b.Month()), 0, 0, 0, 0, time.UTC)
	}
	return b
}

// maybe returns v, or "" with probability p (a missing value).
func (rc *rowCtx) maybe(p float64, v string) string {
	if v != "" && chance(rc.r, p) {
		rc.noise |= noiseMissing
		return ""
	}
	return v
}

// natForm is a way of writing a citizenship.
type natForm int

const (
	natISO2 natForm = iota
	natISO3
	natCZ    // Ukrajina
	natCZAdj // ukrajinská
	natEN    // Ukraine
	natENAdj // Ukrainian
)

// nationality writes a citizenship in one of the partner's habits, with
// the odd lower- or upper-case spelling.
func (rc *rowCtx) nationality(iso2 string, forms []weighted[natForm]) string {
	c := countries[iso2]
	var s string
	switch choose(rc.r, forms) {
	case natISO2:
		s = c.iso2
	case natISO3:
		s = c.iso3
	case natCZ:
		s = c.cz
	case natCZAdj:
		s = c.czAdj
	case natEN:
		s = c.en
	default:
		s = c.enAdj
	}
	switch {
	case chance(rc.r, 0.03):
		s = strings.ToLower(s)
	case chance(rc.r, 0.03):
		s = strings.ToUpper(s)
	}
	return s
}

// forms writes the person's forms of exploitation in a partner's words.
func (rc *rowCtx) forms(vocab map[string]string, sep string) string {
	terms := make([]string, len(rc.p.forms))
	for i, f := range rc.p.forms {
		terms[i] = vocab[f]
	}
	return strings.Join(terms, sep)
}
