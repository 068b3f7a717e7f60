package mapping

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/submission/schema"
)

// listSep separates the elements of a JSON array in a cell: the readers
// join arrays with it, and every list column splits on it.
const listSep = "\x1f"

// convert turns a cell's text into a value for t. col gives the column's
// values, split and formats; it is nil for constants and defaults. With
// literal, text is already a mapped value (a Values target).
func convert(t *target, col *column, text string, literal bool) (value, *Problem) {
	text = strings.TrimSpace(text)
	if text == "" {
		return value{}, nil
	}
	if listKind(t.kind) {
		return convertList(t, col, text, literal)
	}
	if !literal && col != nil {
		if v, ok := col.values[schema.Fold(text)]; ok {
			if v == "" {
				return value{}, nil
			}
			text, literal = v, true
		}
	}
	if !literal && looksLikeFormula(text) {
		return value{}, &Problem{Reason: "looks like a spreadsheet formula; remove it", hideValue: true}
	}
	switch t.kind {
	case schema.KindString:
		return value{set: true, s: text}, nil
	case schema.KindInt:
		n, ok := parseInt(text)
		if !ok {
			return value{}, &Problem{Reason: "not a whole number"}
		}
		if t.dim != "" { // a year dimension is its digits as text
			return value{set: true, s: strconv.Itoa(n)}, nil
		}
		return value{set: true, n: n}, nil
	case schema.KindBool:
		b, ok := parseBool(text)
		if !ok {
			return value{}, &Problem{Reason: "not yes or no (ano/ne, yes/no, true/false, 1/0)"}
		}
		return value{set: true, b: b}, nil
	case schema.KindDate:
		var formats []string
		if col != nil {
			formats = col.formats
		}
		d, err := anon.ParseDate(text, formats)
		if err != nil {
			return value{}, &Problem{Reason: "not a date in the formats " + strings.Join(orDefault(formats), ", ") + "; list the column's formats under formats"}
		}
		return value{set: true, s: d.String()}, nil
	}
	code, p := lookup(t, text)
	if p != nil {
		return value{}, p
	}
	return value{set: true, s: code}, nil
}

// convertList converts a cell of several codes: the whole cell if it is
// one known term, else each part between the column's separators. A code
// named twice is kept once.
func convertList(t *target, col *column, text string, literal bool) (value, *Problem) {
	one := func(term string) (string, bool, *Problem) {
		term = strings.TrimSpace(term)
		if term == "" {
			return "", false, nil
		}
		if !literal && col != nil {
			if v, ok := col.values[schema.Fold(term)]; ok {
				if v == "" {
					return "", false, nil
				}
				term = v
			} else if looksLikeFormula(term) {
				return "", false, &Problem{Reason: "looks like a spreadsheet formula; remove it", hideValue: true}
			}
		}
		code, p := lookup(t, term)
		return code, p == nil, p
	}
	if !strings.Contains(text, listSep) {
		// The whole cell may be one term with the separator in it
		// ("otroctví, nevolnictví").
		term := text
		if v, ok := col.valueOf(term, literal); ok {
			if v == "" {
				return value{}, nil
			}
			term = v
		}
		if code, ok := find(t.codes, term); ok {
			return value{set: true, list: []string{code}}, nil
		}
	}
	var parts []string
	for _, p := range strings.Split(text, listSep) {
		if col != nil && col.spec.Split != "" {
			parts = append(parts, strings.Split(p, col.spec.Split)...)
		} else {
			parts = append(parts, p)
		}
	}
	var out []string
	for _, part := range parts {
		code, ok, p := one(part)
		if p != nil {
			if !p.hideValue {
				p.Value = strings.TrimSpace(part)
			}
			return value{}, p
		}
		if ok && !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	if len(out) == 0 {
		return value{}, nil
	}
	return value{set: true, list: out}, nil
}

// valueOf looks a term up in the column's values.
func (col *column) valueOf(term string, literal bool) (string, bool) {
	if col == nil || literal || len(col.values) == 0 {
		return "", false
	}
	v, ok := col.values[schema.Fold(term)]
	return v, ok
}

// lookup finds the code of a term in t's code list: the code itself, a
// term the schema knows (Czech and English), or the same written as
// CamelCase words (HTCDS picklists: ForcedLabour).
func lookup(t *target, term string) (string, *Problem) {
	if code, ok := find(t.codes, term); ok {
		return code, nil
	}
	return "", unknown(t, term)
}

func find(cl *schema.CodeList, term string) (string, bool) {
	if cl.Has(term) {
		return term, true
	}
	if c, ok := cl.Match(term); ok {
		return c.Code, true
	}
	if words := splitCamel(term); words != term {
		if c, ok := cl.Match(words); ok {
			return c.Code, true
		}
	}
	return "", false
}

// unknown is the problem of a term that is no code, with the nearest.
func unknown(t *target, term string) *Problem {
	p := &Problem{Reason: "not a known " + t.name}
	if c, d := t.codes.Nearest(splitCamel(term)); d >= 0 {
		p.Nearest, p.nearestLabel, p.nearestDist = c.Code, shortLabel(c.Label), d
	}
	return p
}

// splitCamel writes CamelCase as words: PossibleVictimOfTrafficking →
// Possible Victim Of Trafficking. Other text is returned as it is.
func splitCamel(s string) string {
	if strings.ContainsAny(s, " _-") {
		return s
	}
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		if unicode.IsUpper(r) && prevLower {
			b.WriteByte(' ')
		}
		prevLower = unicode.IsLower(r)
		b.WriteRune(r)
	}
	return b.String()
}

// shortLabel is the part of a code's label before its explanation.
func shortLabel(label string) string {
	for _, sep := range []string{":", " ("} {
		if i := strings.Index(label, sep); i > 0 {
			label = label[:i]
		}
	}
	return label
}

// looksLikeFormula reports whether a spreadsheet would run text as a
// formula (SECURITY.md, property 9): a value that leaves must not.
func looksLikeFormula(s string) bool {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err != nil
}

// parseInt reads a whole number as spreadsheets write it: "12 837" and
// "12837.0" are 12837.
func parseInt(s string) (int, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if t, ok := strings.CutSuffix(s, ".0"); ok {
		s = t
	} else if t, ok := strings.CutSuffix(s, ",0"); ok {
		s = t
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func parseBool(s string) (bool, bool) {
	switch schema.Fold(s) {
	case "ano", "a", "yes", "y", "true", "1", "x", "souhlas", "souhlasi":
		return true, true
	case "ne", "n", "no", "false", "0", "nesouhlas", "nesouhlasi":
		return false, true
	}
	return false, false
}

func orDefault(formats []string) []string {
	if len(formats) == 0 {
		return anon.DefaultDateFormats()
	}
	return formats
}
