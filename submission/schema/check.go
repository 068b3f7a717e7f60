package schema

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits shared by the datasets.
const (
	minYear  = 1900
	maxYear  = 2100
	maxCount = 10_000_000 // above any real count, below any unit mistake
)

var (
	datePattern = regexp.MustCompile(`^(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`)
	keyPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)
)

// checker collects the problems of one record.
type checker struct{ errs []error }

func (c *checker) add(field, rule, value, format string, args ...any) {
	c.errs = append(c.errs, &FieldError{Field: field, Rule: rule, Value: value, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) err() error { return errors.Join(c.errs...) }

// listed says which codes are allowed: all of a short list, or the
// list's name and where to find it.
func listed(cl *CodeList) string {
	if len(cl.Codes) > 25 {
		return "a code of the " + cl.Name + " list (docs/SCHEMA.md)"
	}
	return strings.Join(cl.Values(), ", ")
}

// code checks one code. A value that is not a code is named, shortened:
// codes are not personal data, and the partner needs to see what was
// wrong.
func (c *checker) code(field string, cl *CodeList, val string, required bool) {
	switch {
	case val == "" && required:
		c.add(field, RuleRequired, "", "is required; one of %s", listed(cl))
	case val != "" && !cl.Has(val):
		c.add(field, RuleCode, truncate(val, 40), "is not one of %s", listed(cl))
	}
}

// codes checks a list of codes: each one valid, none twice.
func (c *checker) codes(field string, cl *CodeList, vals []string) {
	seen := make(map[string]bool, len(vals))
	for _, v := range vals {
		c.code(field, cl, v, true)
		if seen[v] && cl.Has(v) {
			c.add(field, RuleDuplicate, v, "lists the code twice")
		}
		seen[v] = true
	}
}

// country checks an ISO 3166-1 alpha-2 code.
func (c *checker) country(field, val string, required bool) {
	switch {
	case val == "" && required:
		c.add(field, RuleRequired, "", "is required; an ISO 3166-1 alpha-2 code (XX if unknown)")
	case val != "" && !CountryList.Has(val):
		c.add(field, RuleCode, truncate(val, 40), "is not an ISO 3166-1 alpha-2 code (XX if unknown)")
	}
}

// count checks a count: 0 or more, below maxCount.
func (c *checker) count(field string, n int) {
	if n < 0 || n > maxCount {
		c.add(field, RuleRange, strconv.Itoa(n), "is not between 0 and %d", maxCount)
	}
}

// year checks a required year.
func (c *checker) year(field string, y int) {
	switch {
	case y == 0:
		c.add(field, RuleRequired, "", "is required; a year between %d and %d", minYear, maxYear)
	case y < minYear || y > maxYear:
		c.add(field, RuleRange, strconv.Itoa(y), "is not between %d and %d", minYear, maxYear)
	}
}

// date checks an optional YYYY, YYYY-MM or YYYY-MM-DD that exists in the
// calendar.
func (c *checker) date(field, val string) {
	if val != "" && !validDate(val) {
		c.add(field, RuleFormat, truncate(val, 40), "is not YYYY, YYYY-MM or YYYY-MM-DD")
	}
}

func validDate(s string) bool {
	if !datePattern.MatchString(s) {
		return false
	}
	if len(s) == len("2006-01-02") {
		_, err := time.Parse(time.DateOnly, s)
		return err == nil
	}
	return true
}

// text checks free text: its length only, and never repeats it.
func (c *checker) text(field, val string, max int) {
	if n := utf8.RuneCountInString(val); n > max {
		c.add(field, RuleLength, "", "is longer than %d characters (%d)", max, n)
	}
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
