package mapping

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Problem is one thing wrong with a row of a partner's file, located so a
// person can find and fix it. Value is empty for identifier and free-text
// columns: problems are shown and logged, and those values are personal
// data.
type Problem struct {
	Row    int    `json:"row"` // the file's row (the header's row number for header problems); 0 for the file as a whole
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
	// Nearest is the valid code nearest to Value, for a value that is no
	// known term: a suggestion to check, not a correction.
	Nearest string `json:"nearest,omitempty"`

	nearestLabel string
	nearestDist  int
	hideValue    bool // the value may be anything (a formula): not repeated
}

// String words the problem for a person:
//
//	row 12, column 'Status oběti', value 'oběť?': not a known status; nearest: actual (Actual victim)
func (p Problem) String() string {
	var b strings.Builder
	if p.Row > 0 {
		fmt.Fprintf(&b, "row %d", p.Row)
	}
	if p.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "column '%s'", p.Column)
	}
	if p.Value != "" {
		fmt.Fprintf(&b, ", value '%s'", p.Value)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Reason)
	if p.Nearest != "" {
		fmt.Fprintf(&b, "; nearest: %s", p.Nearest)
		if p.nearestLabel != "" && p.nearestLabel != p.Nearest {
			fmt.Fprintf(&b, " (%s)", p.nearestLabel)
		}
	}
	return b.String()
}

// ProblemsError is returned when a file has problems and nothing was
// sealed or sent.
type ProblemsError struct {
	Problems []Problem
	More     int // problems not listed
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the file has %d problem(s); nothing was sealed or sent", len(e.Problems)+e.More)
	for _, p := range e.Problems {
		b.WriteString("\n" + p.String())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n… and %d more", e.More)
	}
	return b.String()
}

// shown shortens a value for a problem: the first 40 characters.
func shown(s string) string {
	if !utf8.ValidString(s) {
		return ""
	}
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
