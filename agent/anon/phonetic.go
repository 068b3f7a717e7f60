package anon

import "strings"

// Phonetic returns a key that folds together the Latin spellings one
// name gets from different transliteration systems and languages. The
// input is normalised first (so Cyrillic input is transliterated), and
// the words are joined without spaces.
//
// The rules, applied to each word left to right, longest match first:
//
//	SCHTSCH SHCH SZCZ SC → S  Щ (German, English, Polish; Czech ŠČ)
//	TSCH TCH CZ CS       → C  Ч (German, French, Polish, Hungarian)
//	SCH SZ SH            → S  Ш (German, Polish, English); Š is S already
//	ZH ZS                → Z  Ж (English, Hungarian); Ž is Z already
//	CH KH TS TZ          → C  Ч in English (CH) and Ц (TS) meet Czech Č
//	                          and C; Х (KH in English, CH in Czech and
//	                          German) joins them, since CH is Ч to an
//	                          English reader and Х to a Czech one
//	H                    → G  Ukrainian Г is H, Russian Г and Ґ are G
//	Y J                  → I  И, Й and the glide of Я Ю Є Ї (YA, JU, IE)
//	X → KS, W → V, Q → K, PH → F, TH → T, GH → G
//
// then double letters are collapsed, IE becomes E (Є and Е written YE,
// JE, IE or E), a final EI becomes I (Russian -ЕЙ, Ukrainian -ІЙ:
// ALEKSEI and OLEKSII) and an initial O becomes A (Ukrainian O- where
// Russian has A-: OLEKSANDR and ALEKSANDR).
//
// The glide I is kept before A, O and U (JANA → IANA), unlike before E:
// in Czech J is a consonant, and Jana is not Anna. Vietnamese and
// Romanian names need no rule of their own: their diacritics go in
// normalisation.
//
// The result is deliberately coarse; it is only ever keyed together with
// other fields (see Keys).
func Phonetic(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(NormalizeName(s)) {
		b.WriteString(phoneticWord(w))
	}
	return b.String()
}

// phoneticRules are tried longest first at each position.
var phoneticRules = [][2]string{
	{"SCHTSCH", "S"}, {"SHCH", "S"}, {"SZCZ", "S"}, {"TSCH", "C"},
	{"SCH", "S"}, {"TCH", "C"},
	{"SC", "S"}, {"CZ", "C"}, {"CS", "C"}, {"SZ", "S"}, {"SH", "S"},
	{"ZH", "Z"}, {"ZS", "Z"}, {"CH", "C"}, {"KH", "C"}, {"TS", "C"},
	{"TZ", "C"}, {"PH", "F"}, {"TH", "T"}, {"GH", "G"},
	{"H", "G"}, {"Y", "I"}, {"J", "I"}, {"X", "KS"}, {"W", "V"}, {"Q", "K"},
}

func phoneticWord(w string) string {
	var b strings.Builder
	b.Grow(len(w))
next:
	for i := 0; i < len(w); {
		for _, r := range phoneticRules {
			if strings.HasPrefix(w[i:], r[0]) {
				b.WriteString(r[1])
				i += len(r[0])
				continue next
			}
		}
		b.WriteByte(w[i])
		i++
	}
	t := collapseDoubles(b.String())
	t = strings.ReplaceAll(t, "IE", "E")
	if strings.HasSuffix(t, "EI") {
		t = t[:len(t)-2] + "I"
	}
	if strings.HasPrefix(t, "O") {
		t = "A" + t[1:]
	}
	return collapseDoubles(t)
}

// collapseDoubles replaces each run of one ASCII letter by the letter.
// Bytes of multi-byte runes are never equal neighbours of an ASCII byte
// and a repeated non-ASCII rune is left alone.
func collapseDoubles(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] && s[i] < 0x80 {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
