package anon

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeName returns the form of a personal name that every partner
// computes the same way: Cyrillic transliterated to Latin, compatibility
// decomposed (NFKD) with every combining mark removed, upper case,
// academic titles and forms of address removed, apostrophes removed
// (O'Neil and ONeil are one spelling), every other character that is
// neither a letter nor a digit turned into a space, spaces collapsed.
//
//	NormalizeName("Ing. Jana Nováková, Ph.D.") == "JANA NOVAKOVA"
//	NormalizeName("Олександр")                 == "OLEKSANDR"
//	NormalizeName("Nguyễn Thị Lan")            == "NGUYEN THI LAN"
//	NormalizeName("Ştefan Ţurcanu")            == "STEFAN TURCANU"
//
// Titles are the Czech academic degrees (Ing., Mgr., Bc., MUDr., JUDr.,
// PhDr., RNDr., Dr., Prof., doc., Ph.D., CSc., DiS., ...), MBA and the
// forms of address Mr, Mrs, Ms, Miss, pan, paní, slečna. Doc is removed
// only when written with its dot and pan only when it leads other words,
// since both are also names (Pan is a Chinese surname).
//
// Letters of other scripts (Arabic, Chinese, ...) are kept as they are,
// upper-cased where the script has case. NormalizeName is idempotent.
func NormalizeName(s string) string {
	// Tokens are the words of the folded text, a word of initials
	// ("J.R.") split at its dots; a whole word that is a title written
	// with a dot ("Doc.", "Ph.D.") is marked instead.
	type token struct {
		word  string
		title bool
	}
	var toks []token
	for _, w := range strings.Fields(foldLetters(s)) {
		key := strings.ReplaceAll(w, ".", "")
		if k := titles[key]; k != notTitle && strings.Contains(w, ".") {
			toks = append(toks, token{key, true})
			continue
		}
		for part := range strings.SplitSeq(w, ".") {
			if part != "" {
				toks = append(toks, token{part, false})
			}
		}
	}
	var out []string
	afterTitle := false
	for i, t := range toks {
		k := titles[t.word]
		drop := t.title || k == titleAlways ||
			// "et" joins two titles (Mgr. et Mgr.).
			(afterTitle && t.word == "ET") ||
			// "pan Jan Novák", but Pan alone is a surname (Chinese).
			(k == titleLeading && len(out) == 0 && i < len(toks)-1)
		afterTitle = drop
		if !drop {
			out = append(out, t.word)
		}
	}
	return strings.Join(out, " ")
}

type titleKind uint8

const (
	notTitle     titleKind = iota
	titleAlways            // never a name
	titleWithDot           // a title when written with a dot (doc.)
	titleLeading           // also a title when it leads other words (pan Novák)
)

// titles are the academic degrees and forms of address dropped from
// names, upper case and without their dots.
var titles = map[string]titleKind{
	"ING": titleAlways, "MGR": titleAlways, "BC": titleAlways, "MUDR": titleAlways,
	"MVDR": titleAlways, "MDDR": titleAlways, "JUDR": titleAlways, "PHDR": titleAlways,
	"RNDR": titleAlways, "PHARMDR": titleAlways, "THDR": titleAlways, "PAEDDR": titleAlways,
	"DR": titleAlways, "PROF": titleAlways, "MBA": titleAlways, "PHD": titleAlways,
	"CSC": titleAlways, "DRSC": titleAlways, "DIS": titleAlways, "MGA": titleAlways,
	"BCA": titleAlways, "MSC": titleAlways, "BSC": titleAlways, "LLM": titleAlways,
	"MR": titleAlways, "MRS": titleAlways, "MS": titleAlways, "MISS": titleAlways,
	"PANI": titleAlways, "SLECNA": titleAlways,
	"DOC": titleWithDot, "PAN": titleLeading,
}

// foldLetters does the per-character part of NormalizeName. Its output
// holds only upper-case letters without marks, digits, dots and spaces.
func foldLetters(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if apostrophes[r] {
			continue // before NFKD, which makes ´ a space and a mark
		}
		if t, ok := cyrillic[unicode.ToLower(r)]; ok {
			b.WriteString(t)
			continue
		}
		if t, ok := specialLatin[r]; ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	// Decompose after upper-casing, so that a mark an upper-case form
	// carries is removed too.
	s = norm.NFKD.String(strings.ToUpper(b.String()))
	b.Reset()
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r):
			// Combining marks: diacritics, and vowel signs of scripts
			// whose names are not keyed letter by letter anyway.
		case apostrophes[r]:
		case r == '.':
			b.WriteByte('.')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if t, ok := specialLatin[r]; ok {
				b.WriteString(t)
				continue
			}
			if t, ok := cyrillic[unicode.ToLower(r)]; ok {
				b.WriteString(t)
				continue
			}
			u := unicode.ToUpper(r)
			if d := norm.NFKD.String(string(u)); d != string(u) {
				// A letter whose upper case decomposes again: keep the
				// base letters only.
				for _, x := range d {
					if unicode.IsLetter(x) || unicode.IsDigit(x) {
						b.WriteRune(x)
					}
				}
				continue
			}
			b.WriteRune(u)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

var apostrophes = map[rune]bool{
	'\'': true, '`': true, '´': true, '’': true, '‘': true, 'ʼ': true, 'ʻ': true, 'ʹ': true, '′': true,
}

// specialLatin are letters that NFKD leaves whole although a reader
// takes them for a base letter with a mark, and ligatures.
var specialLatin = map[rune]string{
	'Đ': "D", 'đ': "D", 'Ð': "D", 'ð': "D", 'Ł': "L", 'ł': "L", 'Ø': "O", 'ø': "O",
	'ß': "SS", 'ẞ': "SS", 'Æ': "AE", 'æ': "AE", 'Œ': "OE", 'œ': "OE", 'Þ': "TH", 'þ': "TH",
	'ı': "I", 'Ħ': "H", 'ħ': "H", 'Ŧ': "T", 'ŧ': "T", 'Ŋ': "NG", 'ŋ': "NG", 'ĸ': "K",
	'Ə': "E", 'ə': "E", 'Ɛ': "E", 'ɛ': "E", 'Ɔ': "O", 'ɔ': "O",
}

// cyrillic transliterates the Cyrillic letters of Ukrainian, Russian,
// Belarusian and Bulgarian names, keyed by lower case. The table follows
// the Ukrainian national romanisation (2010) for Ukrainian letters and
// the passport (ICAO 9303) romanisation for Russian ones; where the two
// languages read a letter differently (Г is H in Ukrainian, G in
// Russian) Phonetic folds the results together, so the choice here only
// has to be consistent.
var cyrillic = map[rune]string{
	'а': "A", 'б': "B", 'в': "V", 'г': "H", 'ґ': "G", 'д': "D", 'е': "E", 'є': "IE",
	'ё': "E", 'ж': "ZH", 'з': "Z", 'и': "Y", 'і': "I", 'ї': "I", 'й': "I", 'к': "K",
	'л': "L", 'м': "M", 'н': "N", 'о': "O", 'п': "P", 'р': "R", 'с': "S", 'т': "T",
	'у': "U", 'ў': "U", 'ф': "F", 'х': "KH", 'ц': "TS", 'ч': "CH", 'ш': "SH", 'щ': "SHCH",
	'ъ': "", 'ы': "Y", 'ь': "", 'э': "E", 'ю': "IU", 'я': "IA",
	'ђ': "DJ", 'ј': "J", 'љ': "LJ", 'њ': "NJ", 'ћ': "C", 'џ': "DZ", 'ѓ': "G", 'ќ': "K", 'ѕ': "DZ",
}

// SurnameBase reduces each word of a surname to a base shared by its
// masculine and feminine forms, so that NOVÁK and NOVÁKOVÁ, SVOBODA and
// SVOBODOVÁ, NOVOTNÝ and NOVOTNÁ, IVANOV and IVANOVA, KOVALSKYI and
// KOVALSKAYA each give one base. The input is normalised first. Rules, in
// order, for a word of four or more letters:
//
//  1. the feminine -OVA or -EVA is removed (NOVAKOVA → NOVAK) if two
//     letters or more remain;
//  2. then the Russian masculine -OV or -EV is removed (IVANOV → IVAN)
//     from a word of five letters or more, so that it meets the feminine
//     of rule 1 (and POPOVOVA, a Czech feminine of Popov, meets POPOV);
//  3. trailing vowels (A E I O U Y) and J are removed while three letters
//     or more remain: the -A of SVOBODA, the adjectival -Á/-Ý/-Í
//     (NOVOTNA → NOVOTN, MALY → MAL, KREJCI → KREJC), and -SKA, -SKY,
//     -SKII, -SKYI, -SKAYA, -SKAJA all meet at -SK (and -CKA, -CKY at -CK);
//  4. a fleeting E between a consonant and a final K, C or L is removed
//     (HAJEK and HAJKOVA → HAJK, NEMEC and NEMCOVA → NEMC, HAVEL and
//     HAVLOVA → HAVL).
//
// The rules are applied to both forms alike, so a rule that also merges
// two surnames it was not written for (HOREK and HORKA both become HORK)
// costs a little precision, never a missed link. Words of three letters
// or fewer are kept, and no rule leaves fewer than three: Vietnamese
// family names (LE, VU, BUI, NGO) would lose too much.
func SurnameBase(s string) string {
	words := strings.Fields(NormalizeName(s))
	for i, w := range words {
		words[i] = surnameWordBase(w)
	}
	return strings.Join(words, " ")
}

func surnameWordBase(w string) string {
	if len(w) < 4 {
		return w
	}
	if len(w) >= 5 && (strings.HasSuffix(w, "OVA") || strings.HasSuffix(w, "EVA")) {
		w = w[:len(w)-3]
	}
	if len(w) >= 5 && (strings.HasSuffix(w, "OV") || strings.HasSuffix(w, "EV")) {
		w = w[:len(w)-2]
	}
	for len(w) > 3 && strings.ContainsRune("AEIOUYJ", rune(w[len(w)-1])) {
		w = w[:len(w)-1]
	}
	if n := len(w); n >= 4 && w[n-2] == 'E' && strings.ContainsRune("KCL", rune(w[n-1])) && !isVowel(w[n-3]) {
		w = w[:n-2] + w[n-1:]
	}
	return w
}

func isVowel(c byte) bool { return strings.IndexByte("AEIOUY", c) >= 0 }
