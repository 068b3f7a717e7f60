package schema

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kind says what a field holds, so that mapping code knows how to read a
// partner's column into it.
type Kind int

// The kinds of field. KindCodes, KindCountries, KindEvents and KindKeys
// hold lists; the values of a code field come from its Field.Codes. (The
// names carry the Kind prefix because Code is the type of a list entry.)
const (
	KindString    Kind = iota + 1 // text, copied as it is
	KindInt                       // a JSON integer
	KindBool                      // true or false
	KindDate                      // YYYY, YYYY-MM or YYYY-MM-DD
	KindCode                      // one code of Field.Codes
	KindCodes                     // a list of codes of Field.Codes, none twice
	KindCountry                   // one ISO 3166-1 alpha-2 code (CountryList)
	KindCountries                 // a list of countries
	KindEvents                    // a list of {stage, country, date}; Field.Codes lists the stages
	KindKeys                      // a list of keyed linkage keys (base64url)
	KindObject                    // a JSON object; Field.Codes lists its allowed keys
)

var kindNames = [...]string{KindString: "string", KindInt: "int", KindBool: "bool", KindDate: "date",
	KindCode: "code", KindCodes: "codes", KindCountry: "country", KindCountries: "countries",
	KindEvents: "events", KindKeys: "keys", KindObject: "object"}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Field describes one field of a dataset.
type Field struct {
	Name     string    // the JSON name
	Kind     Kind      // what it holds
	Required bool      // whether every record must have it
	Codes    *CodeList // the allowed codes of a Code, Codes, Country, Events or Object field
	Doc      string    // what it means and the rules it follows, in one or two sentences
}

// Code is one value of a code list.
type Code struct {
	Code  string // the value a record carries
	Label string // what it means, in English
	// Aliases are the words sources use for the code, Czech and English,
	// in lower case. Match accepts them; records carry only Code.
	Aliases []string
}

// CodeList is a closed list of codes. Records carry codes exactly as
// listed (case matters); Match and Nearest serve the mapping of a
// partner's own words to them.
type CodeList struct {
	Name  string
	Codes []Code

	// index maps the folded form of every code and alias, and exact
	// each code, to its position in Codes. Lists built by newList have
	// them; a CodeList made elsewhere is searched linearly.
	index, exact map[string]int
}

// newList makes a code list with its index. A folded form that two codes
// share goes to the first (TestCodeLists refuses such lists).
func newList(name string, codes []Code) *CodeList {
	cl := &CodeList{Name: name, Codes: codes, index: make(map[string]int), exact: make(map[string]int)}
	for i, c := range codes {
		cl.exact[c.Code] = i
		for _, k := range append([]string{c.Code}, c.Aliases...) {
			if _, dup := cl.index[Fold(k)]; !dup {
				cl.index[Fold(k)] = i
			}
		}
	}
	return cl
}

// Has reports whether code is one of the list's codes, exactly as written.
func (cl *CodeList) Has(code string) bool {
	_, ok := cl.find(code)
	return ok
}

func (cl *CodeList) find(code string) (Code, bool) {
	if cl.exact != nil {
		if i, ok := cl.exact[code]; ok {
			return cl.Codes[i], true
		}
		return Code{}, false
	}
	for _, c := range cl.Codes {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// Values returns the list's codes in order.
func (cl *CodeList) Values() []string {
	out := make([]string, len(cl.Codes))
	for i, c := range cl.Codes {
		out[i] = c.Code
	}
	return out
}

// Match returns the code whose code or alias is term, ignoring case,
// diacritics, punctuation and repeated spaces: "Identifikovaná oběť",
// "identifikovana obet" and "IDENTIFIKOVANÁ  OBĚŤ" all match.
func (cl *CodeList) Match(term string) (Code, bool) {
	f := Fold(term)
	if f == "" {
		return Code{}, false
	}
	if cl.index != nil {
		i, ok := cl.index[f]
		if !ok {
			return Code{}, false
		}
		return cl.Codes[i], true
	}
	for _, c := range cl.Codes {
		for _, k := range append([]string{c.Code}, c.Aliases...) {
			if Fold(k) == f {
				return c, true
			}
		}
	}
	return Code{}, false
}

// Nearest returns the code with the smallest edit distance (insertions,
// deletions, substitutions and swaps of adjacent letters, after folding)
// between term and any of its code or aliases, and that distance: 0 is
// a match. The first code in list order wins a tie. An empty list gives
// the zero Code and -1.
func (cl *CodeList) Nearest(term string) (Code, int) {
	f := []rune(Fold(term))
	best, dist := -1, -1
	for i, c := range cl.Codes {
		for _, k := range append([]string{c.Code}, c.Aliases...) {
			d := editDistance(f, []rune(Fold(k)))
			if dist < 0 || d < dist {
				best, dist = i, d
			}
		}
	}
	if best < 0 {
		return Code{}, -1
	}
	return cl.Codes[best], dist
}

// foldSpecial are letters that Unicode does not decompose into a base
// letter and a mark, spelled as a Czech or English reader would.
var foldSpecial = map[rune]string{'đ': "d", 'ł': "l", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ı': "i", 'þ': "th", 'ð': "d"}

// Fold returns the form of term that Match compares: lower case, without
// diacritics, with every run of characters other than letters, digits
// and '+' turned into one space, trimmed. Mapping code can use it to
// compare a partner's column headers the same way.
func Fold(term string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(term) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			r = unicode.ToLower(r)
			if s, ok := foldSpecial[r]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(r)
			}
		default:
			space = true
		}
	}
	return b.String()
}

// editDistance is the optimal string alignment distance between a and b:
// Levenshtein plus the swap of two adjacent letters, the commonest typo.
func editDistance(a, b []rune) int {
	// Three rows of the dynamic programme: two back, one back, current.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
