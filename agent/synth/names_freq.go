package synth

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name frequencies. A culture's names of one kind are a table of name
// elements with their shares of the population; makePerson draws from it
// by weight, deterministically per seed.
//
// Each table starts with the real names of the published frequency
// lists, from the commonest down, with the shares those lists give (per
// cent of the population, or of the sex for given names), continued by
// a Zipf-like law share(k) ∝ k^-s. Real populations have thousands of
// surnames with a long tail: where the list kept here is short of the
// whole population, a tail of names built from the culture's own
// morphology (names_tail.go) carries the rest, so that namesakes are as
// common as among real persons. Renormalising a few hundred real names
// to the whole population, as the tables once did, made namesakes
// several times commoner than in reality. See each culture for the
// figures matched: the top share and the sum of squared shares (the
// probability that two random persons share the name; its inverse is
// the effective number of names).

// nameTable is a list of name elements with their cumulative shares.
type nameTable[T any] struct {
	names []T
	cum   []float64 // cum[i] is the share of names[0..i]; the last is 1
}

// table builds a nameTable from names and their weights (any scale).
func table[T any](names []T, weights []float64) nameTable[T] {
	if len(names) != len(weights) {
		panic("synth: name table and weights differ in length")
	}
	var total float64
	for _, w := range weights {
		total += w
	}
	cum := make([]float64, len(weights))
	var run float64
	for i, w := range weights {
		run += w
		cum[i] = run / total
	}
	cum[len(cum)-1] = 1
	return nameTable[T]{names: names, cum: cum}
}

// draw returns the index of a name drawn by weight.
func (t nameTable[T]) draw(r *rand.Rand) int {
	return min(sort.SearchFloat64s(t.cum, r.Float64()), len(t.cum)-1)
}

// share returns the share of names[i].
func (t nameTable[T]) share(i int) float64 {
	if i == 0 {
		return t.cum[0]
	}
	return t.cum[i] - t.cum[i-1]
}

// sumSquares is the probability that two persons drawn from the table
// have the same name element.
func (t nameTable[T]) sumSquares() float64 {
	var s float64
	for i := range t.names {
		s += t.share(i) * t.share(i)
	}
	return s
}

// zipf returns the weights k^-s for ranks 1..n.
func zipf(n int, s float64) []float64 {
	w := make([]float64, n)
	for k := range w {
		w[k] = math.Pow(float64(k+1), -s)
	}
	return w
}

// headed returns weights for n names whose first shares are given (in
// per cent of the population) and whose rest continue the Zipf law of
// exponent s from the last given share.
func headed(n int, s float64, head ...float64) []float64 {
	w := make([]float64, n)
	last := head[len(head)-1]
	for k := range w {
		if k < len(head) {
			w[k] = head[k]
		} else {
			w[k] = last * math.Pow(float64(k+1)/float64(len(head)), -s)
		}
	}
	return w
}

// withTail appends to real names, weighted in per cent of the population,
// the names of a generated tail, continuing the Zipf law of exponent s
// from the last real name until the shares reach 100 %. Where the tail
// runs out first, its law is flattened (a smaller s, down to equal
// shares) until they do, and only then are the shares renormalised:
// the real names keep their published shares, and namesakes in the tail
// are somewhat commoner than in reality. Tail names that are already
// among the real ones are skipped.
func withTail[T any](names []T, weights []float64, s float64, tail []T, key func(T) string) nameTable[T] {
	seen := map[string]bool{}
	var head float64
	for i, n := range names {
		seen[key(n)] = true
		head += weights[i]
	}
	var extra []T
	for _, n := range tail {
		if !seen[key(n)] {
			seen[key(n)] = true
			extra = append(extra, n)
		}
	}
	last, rank := weights[len(weights)-1], float64(len(weights))
	law := func(s float64, k int) float64 { return last * math.Pow((rank+float64(k+1))/rank, -s) }
	mass := func(s float64) (float64, int) { // the tail's mass, and how many names reach 100 %
		var m float64
		for k := range extra {
			if head+m >= 100 {
				return m, k
			}
			m += law(s, k)
		}
		return m, len(extra)
	}
	if m, _ := mass(s); head+m < 100 {
		lo, hi := 0.0, s
		for range 50 {
			if m, _ := mass((lo + hi) / 2); head+m < 100 {
				hi = (lo + hi) / 2
			} else {
				lo = (lo + hi) / 2
			}
		}
		s = lo
	}
	_, n := mass(s)
	names, weights = slices.Clone(names), slices.Clone(weights)
	for k := range n {
		names, weights = append(names, extra[k]), append(weights, law(s, k))
	}
	return table(names, weights)
}

// fitTop returns Zipf weights for n names whose top share is top (per
// cent), with the exponent that makes the n names the whole population.
// It serves given names, whose published lists cover most of a sex, so
// that the top name has its published share rather than the larger one
// that renormalising a Zipf law of a guessed slope to the list would give.
func fitTop(n int, top float64) []float64 {
	lo, hi := 0.0, 4.0 // the sum falls as s grows
	for range 60 {
		s := (lo + hi) / 2
		var sum float64
		for _, w := range zipf(n, s) {
			sum += w
		}
		if top*sum > 100 {
			lo = s
		} else {
			hi = s
		}
	}
	return zipf(n, (lo+hi)/2)
}

func surnameKey(s surname) string   { return s.m.canonical() }
func spellingKey(s spelling) string { return s.canonical() }

// fields splits a list of names written one or more to a line, separated
// by commas.
func fields(list string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// femForm gives the Czech or Slovak feminine form of a masculine surname:
// Novák → Nováková, Černý → Černá, Svoboda → Svobodová, Hájek → Hájková,
// Němec → Němcová, Vaněk → Vaňková. An entry written "m/f" gives the
// feminine form itself (Kadlec/Kadlecová).
func femForm(m string) string {
	switch {
	case strings.HasSuffix(m, "ý"):
		return strings.TrimSuffix(m, "ý") + "á"
	case strings.HasSuffix(m, "y") && !strings.HasSuffix(m, "gy"): // Slovak Čierny, not Hungarian Nagy
		return strings.TrimSuffix(m, "y") + "a"
	case strings.HasSuffix(m, "ěk"):
		stem := strings.TrimSuffix(m, "ěk")
		for hard, soft := range map[string]string{"n": "ň", "d": "ď", "t": "ť"} {
			if strings.HasSuffix(stem, hard) {
				return strings.TrimSuffix(stem, hard) + soft + "ková"
			}
		}
		return stem + "ková"
	case strings.HasSuffix(m, "ek") && utf8.RuneCountInString(m) > 3:
		return strings.TrimSuffix(m, "ek") + "ková"
	case strings.HasSuffix(m, "ec") && utf8.RuneCountInString(m) > 3:
		return strings.TrimSuffix(m, "ec") + "cová"
	case strings.HasSuffix(m, "a"), strings.HasSuffix(m, "o"), strings.HasSuffix(m, "e"):
		_, size := utf8.DecodeLastRuneInString(m)
		return m[:len(m)-size] + "ová"
	default:
		return m + "ová"
	}
}

// ovaPairs reads a list of Czech or Slovak surnames into masculine and
// feminine pairs.
func ovaPairs(list string) []surname {
	var out []surname
	for _, f := range fields(list) {
		m, fem, ok := strings.Cut(f, "/")
		if !ok {
			fem = femForm(m)
		}
		out = append(out, pair(m, fem))
	}
	return out
}

// translit writes a Cyrillic name in Latin letters with a table of
// letters; initial holds what some letters become at the start of a word
// (Ukrainian Я is Ya there, ia elsewhere, in the passport system).
type translit struct {
	letters map[rune]string
	initial map[rune]string
	// soft is what ь makes of the consonant before it (Czech ť, ď, ň);
	// otherwise the sign is dropped.
	soft map[string]string
}

func (t translit) apply(s string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		lower := unicode.ToLower(r)
		out, ok := t.letters[lower]
		if start {
			if o, ok2 := t.initial[lower]; ok2 {
				out, ok = o, true
			}
		}
		switch {
		case lower == 'ь' || lower == '\'' || lower == 'ʼ':
			if t.soft != nil {
				str := b.String()
				for hard, soft := range t.soft {
					if strings.HasSuffix(str, hard) {
						b.Reset()
						b.WriteString(strings.TrimSuffix(str, hard) + soft)
						break
					}
				}
			}
			if lower == 'ь' && out != "" {
				b.WriteString(out)
			}
			continue
		case !ok:
			out = string(lower)
		}
		if lower != r && out != "" { // capital letter: capitalise its first Latin letter
			f, size := utf8.DecodeRuneInString(out)
			out = string(unicode.ToUpper(f)) + out[size:]
		}
		b.WriteString(out)
		start = r == ' ' || r == '-'
	}
	return b.String()
}

// Ukrainian: the passport system (Cabinet of Ministers resolution 55 of
// 2010), the Czech transcription, and two forms met in older documents:
// the popular one (Yuliya, Oliynyk) and the Russian-style one (Gnatyuk,
// Melnik).
var (
	ukPassport = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie",
			'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
			'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch",
			'ш': "sh", 'щ': "shch", 'ю': "iu", 'я': "ia"},
		initial: map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"},
	}
	ukCzech = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "je",
			'ж': "ž", 'з': "z", 'и': "y", 'і': "i", 'ї': "ji", 'й': "j", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
			'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "ch", 'ц': "c", 'ч': "č",
			'ш': "š", 'щ': "šč", 'ю': "ju", 'я': "ja"},
		soft: map[string]string{"t": "ť", "d": "ď", "n": "ň"},
	}
	ukPopular = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ye",
			'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "yi", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
			'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch",
			'ш': "sh", 'щ': "shch", 'ю': "yu", 'я': "ya"},
	}
	ukRussian = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'є': "e",
			'ж': "zh", 'з': "z", 'и': "i", 'і': "i", 'ї': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
			'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch",
			'ш': "sh", 'щ': "shch", 'ю': "yu", 'я': "ya"},
	}
)

// Bulgarian: the passport (Streamlined) system of 2009, the Czech
// transcription, and the older ъ → u, х → kh forms.
var (
	bgPassport = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z",
			'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
			'т': "t", 'у': "u", 'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sht", 'ъ': "a", 'ь': "y",
			'ю': "yu", 'я': "ya"},
	}
	bgCzech = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "ž", 'з': "z",
			'и': "i", 'й': "j", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
			'т': "t", 'у': "u", 'ф': "f", 'х': "ch", 'ц': "c", 'ч': "č", 'ш': "š", 'щ': "št", 'ъ': "a", 'ь': "j",
			'ю': "ju", 'я': "ja"},
	}
	bgOld = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z",
			'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
			'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sht", 'ъ': "u", 'ь': "",
			'ю': "yu", 'я': "ya"},
	}
)

// Mongolian: the passport system (MNS 5217:2012) and the Czech
// transcription.
var (
	mnPassport = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "ye", 'ё': "yo", 'ж': "j",
			'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'ө': "u", 'п': "p",
			'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ү': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
			'ы': "y", 'э': "e", 'ю': "yu", 'я': "ya", 'ъ': "i", 'ь': "i"},
	}
	mnCzech = translit{
		letters: map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "je", 'ё': "jo", 'ж': "ž",
			'з': "z", 'и': "i", 'й': "j", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'ө': "ö", 'п': "p",
			'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ү': "ü", 'ф': "f", 'х': "ch", 'ц': "c", 'ч': "č", 'ш': "š",
			'ы': "y", 'э': "e", 'ю': "ju", 'я': "ja", 'ъ': "", 'ь': ""},
	}
)

// auto spells a Cyrillic name with the given systems: passport first,
// Czech second, then the other forms that differ from those.
func auto(native string, passport, czech translit, others ...translit) spelling {
	forms := []string{passport.apply(native), czech.apply(native)}
	for _, o := range others {
		if f := o.apply(native); !contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return spelling{native: native, latin: forms}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// cyrList spells a list of Cyrillic names, taking a hand-made spelling
// (with the variants met in the files) where there is one.
func cyrList(list string, hand []spelling, spell func(string) spelling) []spelling {
	byNative := map[string]spelling{}
	for _, s := range hand {
		byNative[s.native] = s
	}
	var out []spelling
	for _, n := range fields(list) {
		if s, ok := byNative[n]; ok {
			out = append(out, s)
			delete(byNative, n)
			continue
		}
		out = append(out, spell(n))
	}
	if len(byNative) > 0 {
		panic("synth: a hand-made spelling is not in its frequency list")
	}
	return out
}

func ukSpell(n string) spelling { return auto(n, ukPassport, ukCzech, ukPopular, ukRussian) }
func bgSpell(n string) spelling { return auto(n, bgPassport, bgCzech, bgOld) }
func mnSpell(n string) spelling { return auto(n, mnPassport, mnCzech) }

// slavFem is the feminine form of a Ukrainian or Bulgarian surname:
// adjectival -ський/-ий/-ски become -ська/-а/-ска, -ов/-ев/-ін take -а,
// the rest (-енко, -ук, -ак …) do not change.
func slavFem(m string) string {
	switch {
	case strings.HasSuffix(m, "ий"):
		return strings.TrimSuffix(m, "ий") + "а"
	case strings.HasSuffix(m, "ски"):
		return strings.TrimSuffix(m, "и") + "а"
	case strings.HasSuffix(m, "ов"), strings.HasSuffix(m, "ев"), strings.HasSuffix(m, "ін"), strings.HasSuffix(m, "ин"):
		return m + "а"
	}
	return m
}

// cyrSurnames reads Cyrillic surnames into masculine and feminine
// spellings, hand-made ones where given.
func cyrSurnames(list string, hand []surname, spell func(string) spelling) []surname {
	byNative := map[string]surname{}
	for _, s := range hand {
		byNative[s.m.native] = s
	}
	var out []surname
	for _, n := range fields(list) {
		if s, ok := byNative[n]; ok {
			out = append(out, s)
			delete(byNative, n)
			continue
		}
		m := spell(n)
		if f := slavFem(n); f != n {
			out = append(out, surname{m, spell(f)})
		} else {
			out = append(out, one(m))
		}
	}
	if len(byNative) > 0 {
		panic("synth: a hand-made surname is not in its frequency list")
	}
	return out
}

// latSurnames reads surnames that do not change for women.
func latSurnames(list string, spell func(string) spelling) []surname {
	var out []surname
	for _, n := range fields(list) {
		out = append(out, one(spell(n)))
	}
	return out
}

// latList reads a list of names written in Latin script.
func latList(list string, spell func(string) spelling) []spelling {
	var out []spelling
	for _, n := range fields(list) {
		out = append(out, spell(n))
	}
	return out
}

// lat1 is a name with a single spelling.
func lat1(s string) spelling { return lat(s) }
