package anon

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Date is a calendar date of which only some parts may be known: a zero
// field is unknown. Sources often give a birth year alone, sometimes a
// year and a month.
type Date struct {
	Y, M, D int
}

// IsZero reports whether nothing of the date is known.
func (d Date) IsZero() bool { return d == Date{} }

// Full reports whether year, month and day are all known.
func (d Date) Full() bool { return d.Y != 0 && d.M != 0 && d.D != 0 }

// Valid reports whether the known parts make a date: a year from 1000 to
// 9999, a month only with a year, a day only with a month, and a day that
// exists in that month.
func (d Date) Valid() bool {
	switch {
	case d.IsZero():
		return true
	case d.Y < 1000 || d.Y > 9999:
		return false
	case d.M == 0:
		return d.D == 0
	case d.M < 1 || d.M > 12:
		return false
	case d.D == 0:
		return true
	default:
		return d.D >= 1 && d.D <= daysIn(d.Y, d.M)
	}
}

// String returns the ISO 8601 form of the known parts: 1990-03-05,
// 1990-03 or 1990, and "" for the zero Date.
func (d Date) String() string { return d.join("-") }

// digits gives the known parts as digits alone: 19900305, 199003 or 1990.
func (d Date) digits() string { return d.join("") }

// join writes the known parts, zero-padded, with sep between them.
func (d Date) join(sep string) string {
	switch {
	case d.IsZero():
		return ""
	case d.M == 0:
		return fmt.Sprintf("%04d", d.Y)
	case d.D == 0:
		return fmt.Sprintf("%04d%s%02d", d.Y, sep, d.M)
	default:
		return fmt.Sprintf("%04d%s%02d%s%02d", d.Y, sep, d.M, sep, d.D)
	}
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	default:
		return 31
	}
}

// ErrInvalidDate is returned by ParseDate when the text matches none of
// the formats or names a day that does not exist. The error does not
// repeat the text: a birth date is an identifier.
var ErrInvalidDate = errors.New("not a date in any of the expected formats")

// DefaultDateFormats returns the formats ParseDate tries when given none,
// in this order. A date such as 05/03/1990 is read day first, as in Europe;
// mm/dd/yyyy applies only when the day-first reading is impossible
// (12/25/1990). A day and month read the wrong way round still link
// through the a2 key variant.
func DefaultDateFormats() []string {
	return []string{
		"yyyy-mm-dd", "d.m.yyyy", "dd/mm/yyyy", "mm/dd/yyyy", "yyyymmdd", "yyyy-mm", "m/yyyy", "yyyy",
	}
}

// timeSuffix matches a time of day after a date, as spreadsheets and
// ISO 8601 write it ("1990-03-05T00:00:00Z", "5.3.1990 0:00:00").
var timeSuffix = regexp.MustCompile(`[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$`)

// ParseDate reads a date in the first of formats that matches it, or in
// DefaultDateFormats when formats is empty. A format is made of the
// fields yyyy (four digits), mm or m (month), dd or d (day) and literal
// separators. A one-letter field and a two-letter field between
// separators accept one or two digits alike; fields written next to each
// other (yyyymmdd) take exactly their width. White space around a
// separator is ignored, so d.m.yyyy reads "5. 3. 1990", and a time of
// day after the date is ignored.
func ParseDate(s string, formats []string) (Date, error) {
	if len(formats) == 0 {
		formats = DefaultDateFormats()
	}
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return Date{}, ErrInvalidDate
	}
	s = strings.TrimSpace(timeSuffix.ReplaceAllString(s, ""))
	for _, f := range formats {
		d, ok := matchDate(s, f)
		if ok && d.Valid() {
			return d, nil
		}
	}
	return Date{}, ErrInvalidDate
}

// matchDate reads s in format f.
func matchDate(s, f string) (Date, bool) {
	var d Date
	var seen [3]bool // y, m, d present in the format
	i := 0           // position in s
	for j := 0; j < len(f); {
		c := f[j]
		if c != 'y' && c != 'm' && c != 'd' {
			// A separator: optional spaces, the character, optional
			// spaces. A space in the format matches any run of spaces.
			i = skipSpaces(s, i)
			if c != ' ' {
				if i >= len(s) || s[i] != c {
					return Date{}, false
				}
				i++
				i = skipSpaces(s, i)
			}
			j++
			continue
		}
		w := 1
		for j+w < len(f) && f[j+w] == c {
			w++
		}
		// Field widths: yyyy exactly four digits; d, dd, m, mm one or
		// two, unless another field follows without a separator.
		minW, maxW := 1, 2
		if c == 'y' {
			if w != 4 {
				return Date{}, false
			}
			minW, maxW = 4, 4
		}
		if j+w < len(f) && isField(f[j+w]) {
			minW, maxW = w, w
		}
		n, k := 0, 0
		for k < maxW && i+k < len(s) && s[i+k] >= '0' && s[i+k] <= '9' {
			n = n*10 + int(s[i+k]-'0')
			k++
		}
		if k < minW {
			return Date{}, false
		}
		i += k
		if n == 0 {
			return Date{}, false // zero stands for "unknown", never for a digit field
		}
		switch c {
		case 'y':
			d.Y, seen[0] = n, true
		case 'm':
			d.M, seen[1] = n, true
		case 'd':
			d.D, seen[2] = n, true
		}
		j += w
	}
	if i != len(s) {
		return Date{}, false
	}
	// A format that names a month without a year, or a day without a
	// month, does not make a Date.
	if !seen[0] || (seen[2] && !seen[1]) {
		return Date{}, false
	}
	return d, true
}

func isField(c byte) bool { return c == 'y' || c == 'm' || c == 'd' }

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}
