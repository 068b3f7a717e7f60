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
// of the name words of both fields, each folded by Phonetic; Y, M, D are
// the parts of the birth date. Every variant tolerates what
// normalisation folds: case, diacritics, titles, punctuation, -ová and
// adjectival surname forms, and the transliterations Phonetic knows.
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
//
// So a typo in one field (surname, given name, or one part of the date)
// leaves at least one shared key: c1 (if sex is known), b1, e1, g1 or f1.
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
	date     Date
	sex, cit string
}

func normalisePerson(p Person) normPerson {
	np := normPerson{
		s:     Phonetic(SurnameBase(p.Surname)),
		g:     Phonetic(p.Given),
		words: nameWords(p.Surname, p.Given),
		sex:   normaliseSex(p.Sex),
		cit:   normaliseCitizenship(p.Citizenship),
	}
	// An invalid date keys nothing rather than something wrong; the
	// mapping step reports it to the partner.
	if p.BirthDate.Valid() {
		np.date = p.BirthDate
	}
	return np
}

// nameWords returns the words of both name fields, each folded by
// Phonetic, sorted and joined by spaces: which field a word was written
// in, and in what order, no longer matters. Words are not reduced as
// surnames (JANA would meet JAN): a swap and an -ová form at once is two
// differences, more than h1 is for.
func nameWords(surname, given string) string {
	// Each field is normalised alone: "pan" leads the given name only.
	words := strings.Fields(NormalizeName(surname) + " " + NormalizeName(given))
	for i, w := range words {
		words[i] = phoneticWord(w)
	}
	slices.Sort(words)
	return strings.Join(words, " ")
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
