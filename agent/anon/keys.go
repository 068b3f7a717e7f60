package anon

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"slices"
	"strconv"
	"strings"
)

// Person holds the identifiers of one person as a partner's record gives
// them. Any field may be empty or zero; the key variants that need a
// missing field are skipped.
type Person struct {
	Surname   string
	Given     string // given names, all of them
	BirthDate Date   // known parts only
	// Sex is "F" or "M" (or female, male, žena, muž, W); anything else is
	// unknown.
	Sex string
	// Citizenship is an ISO 3166-1 alpha-2 code (CZ, UA, VN); anything
	// else is unknown, since CZE and CZ would silently fail to meet.
	Citizenship string
}

// keyLen is the length of a key's HMAC truncation: 128 bits leave no
// chance of two different inputs meeting by accident.
const keyLen = 16

// variant is one key variant: the fields it keys and whether a person
// has them.
type variant struct {
	code   string
	fields func(p *normPerson) []string // nil when a needed field is missing
}

// variants are the key variants, in the order Keys returns them. A code
// is never reused for other fields: the hub weighs variants by code.
var variants = []variant{
	{"a1", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || !p.date.Full() {
			return nil
		}
		return []string{p.s, p.g, itoa(p.date.Y), itoa(p.date.M), itoa(p.date.D)}
	}},
	{"a2", func(p *normPerson) []string {
		d := p.date
		if p.s == "" || p.g == "" || !d.Full() || d.D > 12 || d.D == d.M {
			return nil
		}
		lo, hi := min(d.M, d.D), max(d.M, d.D)
		return []string{p.s, p.g, itoa(d.Y), itoa(lo), itoa(hi)}
	}},
	{"b1", func(p *normPerson) []string {
		if p.s == "" || !p.date.Full() {
			return nil
		}
		return []string{p.s, itoa(p.date.Y), itoa(p.date.M), itoa(p.date.D)}
	}},
	{"c1", func(p *normPerson) []string {
		if p.g == "" || !p.date.Full() || p.sex == "" {
			return nil
		}
		return []string{p.g, itoa(p.date.Y), itoa(p.date.M), itoa(p.date.D), p.sex}
	}},
	{"d1", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || p.date.Y == 0 || p.cit == "" {
			return nil
		}
		return []string{p.s, p.g, itoa(p.date.Y), p.cit}
	}},
	{"e1", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || p.date.M == 0 || p.date.D == 0 {
			return nil
		}
		return []string{p.s, p.g, itoa(p.date.M), itoa(p.date.D)}
	}},
	{"f1", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || p.date.Y == 0 || p.date.M == 0 {
			return nil
		}
		return []string{p.s, p.g, itoa(p.date.Y), itoa(p.date.M)}
	}},
	{"g1", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || !p.date.Full() {
			return nil
		}
		return []string{p.s, p.g, itoa(p.date.Y), itoa(p.date.D)}
	}},
	{"h1", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || !p.date.Full() {
			return nil
		}
		return []string{p.words, itoa(p.date.Y), itoa(p.date.M), itoa(p.date.D)}
	}},
	{"h2", func(p *normPerson) []string {
		d := p.date
		if p.s == "" || p.g == "" || !d.Full() || d.D > 12 || d.D == d.M {
			return nil
		}
		lo, hi := min(d.M, d.D), max(d.M, d.D)
		return []string{p.words, itoa(d.Y), itoa(lo), itoa(hi)}
	}},
	{"h3", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || !p.date.Full() {
			return nil
		}
		return []string{p.skeleton, itoa(p.date.Y), itoa(p.date.M), itoa(p.date.D)}
	}},
	{"d2", func(p *normPerson) []string {
		if p.s == "" || p.g == "" || p.date.Y == 0 {
			return nil
		}
		return []string{p.bases, itoa(p.date.Y)}
	}},
	{"d3", func(p *normPerson) []string {
		if p.s == "" || p.g == "" {
			return nil
		}
		return []string{p.bases}
	}},
}

// KeyVariants returns the codes of all key variants, in the order Keys
// returns them.
func KeyVariants() []string {
	codes := make([]string, len(variants))
	for i, v := range variants {
		codes[i] = v.code
	}
	return codes
}

func knownVariant(code string) bool {
	for _, v := range variants {
		if v.code == code {
			return true
		}
	}
	return false
}

// Keys returns the linkage keys of a person: for each variant whose fields
// the person has, HMAC-SHA256 under the secret's linkage sub-key over a
// length-prefixed encoding of the variant code and its fields, truncated
// to 128 bits, base64url, after the variant code and "_" (a1_Xq3...). Two
// records share a key when they agree on one variant's fields after
// normalisation; the hub counts and weighs shared keys by variant.
//
// S is Phonetic(SurnameBase(surname)), G is Phonetic(given), N is the set
// of the name words of both fields, each folded by Phonetic, B the same
// set with each word reduced as a surname first, K the words of B without
// their vowels (see nameWords); Y, M, D are the parts of the birth date.
// Every variant tolerates what normalisation folds: case, diacritics,
// titles, punctuation, -ová and adjectival surname forms, and the
// transliterations Phonetic knows.
//
//	a1  S G Y M D      the whole record.
//	a2  S G Y {M,D}    day and month as a set, only when both are 12 or
//	                   less and differ: links a record whose day and month
//	                   were swapped (05/03 read as 3 May). Two people with
//	                   the same names born 3 May and 5 March of one year
//	                   also share it.
//	b1  S Y M D        given name wrong, a nickname, another or a second
//	                   given name, or missing. Shared by namesakes born the
//	                   same day (twins: the hub must not merge on b1 alone).
//	c1  G Y M D sex    surname wrong, changed by marriage, or missing;
//	                   needs sex. Shared by two people of one given name and
//	                   birth date.
//	d1  S G Y cit      day and month wrong or missing (sources that give a
//	                   birth year only); needs citizenship. The weakest:
//	                   two people of the same names, birth year and
//	                   citizenship share it (common Vietnamese and Czech
//	                   names make this real), so it says "maybe" only.
//	e1  S G M D        year wrong.
//	f1  S G Y M        day wrong or missing.
//	g1  S G Y D        month wrong.
//	h1  N Y M D        surname and given name swapped, or a word written
//	                   in the other field (Vietnamese NGUYEN THI | LAN and
//	                   NGUYEN | THI LAN), given names in another order.
//	h2  N Y {M,D}      h1's difference and a2's at once.
//	h3  K Y M D        a vowel transliterated otherwise (SVITLANA and
//	                   SVETLANA, PETAR and PETUR) or mistyped, with any of
//	                   h1's or d2's differences. Shared by names that
//	                   differ in vowels only (PETR, PETAR and PETRA; ALENA,
//	                   ELENA and OLENA) born the same day.
//	d2  B Y            d1 without citizenship and with the names in any
//	                   order, -ová form or not: a birth year alone and a
//	                   name written differently, or a citizenship missing.
//	                   As weak as d1, and shared by Jan and Jana Novák of
//	                   one birth year (the hub tells them apart by sex).
//	d3  B              the names alone, for the records without a birth
//	                   date (a source that does not know it, or one that
//	                   gives an age): without it they share no key with
//	                   anyone. Shared by every namesake, so the hub weighs
//	                   it by how common the key is and by what else the
//	                   records say, and links on it only where namesakes
//	                   are rare. Its cost: the hub can count how many
//	                   records carry one name (not which name it is).
//
// So a typo in one field (surname, given name, or one part of the date)
// leaves at least one shared key: c1 (if sex is known), b1, e1, g1 or f1;
// and a record without a birth date shares d3 with the same names.
// Keys panics if s is nil.
func Keys(s *Secret, p Person) []string {
	return keys(s, p, nil)
}

// keys computes the variants that want accepts, or all when want is nil.
func keys(s *Secret, p Person, want func(string) bool) []string {
	np := normalisePerson(p)
	mac := hmac.New(sha256.New, s.linkage)
	var out []string
	var buf []byte
	for _, v := range variants {
		if want != nil && !want(v.code) {
			continue
		}
		fields := v.fields(&np)
		if fields == nil {
			continue
		}
		buf = appendCanonical(buf[:0], v.code, fields)
		out = append(out, v.code+"_"+sum(mac, buf))
	}
	return out
}

func sum(mac hash.Hash, msg []byte) string {
	mac.Reset()
	mac.Write(msg)
	var full [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(mac.Sum(full[:0])[:keyLen])
}

// appendCanonical encodes the variant code and its fields, each as a
// 4-byte big-endian length and its bytes, so that no two different
// tuples encode alike ("AB","C" versus "A","BC").
func appendCanonical(buf []byte, code string, fields []string) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(code)))
	buf = append(buf, code...)
	for _, f := range fields {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		buf = append(buf, f...)
	}
	return buf
}

// normPerson is a Person after normalisation, as the variants key it.
type normPerson struct {
	s, g     string
	words    string // N: the sorted name words of both fields
	bases    string // B: the same, each word reduced as a surname
	skeleton string // K: the same as B, each word without its vowels
	date     Date
	sex, cit string
}

func normalisePerson(p Person) normPerson {
	np := normPerson{
		s:   Phonetic(SurnameBase(p.Surname)),
		g:   Phonetic(p.Given),
		sex: normaliseSex(p.Sex),
		cit: normaliseCitizenship(p.Citizenship),
	}
	np.words, np.bases, np.skeleton = nameWords(p.Surname, p.Given)
	// An invalid date keys nothing rather than something wrong; the
	// mapping step reports it to the partner.
	if p.BirthDate.Valid() {
		np.date = p.BirthDate
	}
	return np
}

// nameWords returns the words of both name fields, sorted and joined by
// spaces, so that which field a word was written in, and in what order,
// no longer matters, in three forms:
//
//   - N (h1, h2): each word folded by Phonetic. Words are not reduced
//     as surnames (JANA would meet JAN): a swap and an -ová form at once
//     is two differences, more than a strong variant is for.
//   - B (d2, d3): each word reduced as SurnameBase reduces a surname word,
//     then folded. The weak variants tolerate a swap, a word moved to
//     the other field and an -ová form at once, and leave telling Jana
//     from Jan to the sex the record gives.
//   - K (h3): each word of B without its vowels (a word of vowels only
//     is kept), so that the vowels transliterations disagree on (SVITLANA
//     and SVETLANA, PETAR and PETUR, MÖNCHBAT and MUNKHBAT, OLEKSANDR and
//     OLEKSANDER) and a typo that only moves or changes a vowel (CIOBANU
//     and CIBOANU) no longer matter.
func nameWords(surname, given string) (words, bases, skeleton string) {
	// Each field is normalised alone: "pan" leads the given name only.
	ws := strings.Fields(NormalizeName(surname) + " " + NormalizeName(given))
	n, b, k := make([]string, len(ws)), make([]string, len(ws)), make([]string, len(ws))
	for i, w := range ws {
		n[i] = phoneticWord(w)
		b[i] = phoneticWord(surnameWordBase(w))
		k[i] = consonants(b[i])
	}
	join := func(s []string) string {
		slices.Sort(s)
		return strings.Join(s, " ")
	}
	return join(n), join(b), join(k)
}

// consonants removes the vowels of a folded word, unless nothing would
// remain.
func consonants(w string) string {
	out := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if !isVowel(w[i]) {
			out = append(out, w[i])
		}
	}
	if len(out) == 0 {
		return w
	}
	return string(out)
}

func normaliseSex(s string) string {
	switch strings.TrimSpace(foldLetters(s)) {
	case "F", "FEMALE", "W", "WOMAN", "Z", "ZENA", "ZENSKE", "ZENSKY":
		return "F"
	case "M", "MALE", "MAN", "MUZ", "MUZSKE", "MUZSKY":
		return "M"
	}
	return ""
}

func normaliseCitizenship(s string) string {
	c := strings.TrimSpace(foldLetters(s))
	if len(c) != 2 {
		return ""
	}
	for i := 0; i < len(c); i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return ""
		}
	}
	return c
}

func itoa(n int) string { return strconv.Itoa(n) }
