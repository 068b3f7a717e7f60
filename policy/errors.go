package policy

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

var (
	// ErrInvalidPolicy is wrapped by every error about a policy file's
	// size, syntax or content.
	ErrInvalidPolicy = errors.New("invalid access policy")
	// ErrDigestMismatch is returned when a policy file's SHA-256 is not
	// the digest the trust bundle names: the file was changed after the
	// officers signed the bundle, or is not the policy they signed for.
	ErrDigestMismatch = errors.New("access policy does not match the digest in the trust bundle")
)

// Error is one problem in a policy file. Parse joins several.
type Error struct {
	Line int    // 1-based; 0 for the file as a whole
	Rule string // the rule's id, or "#N" for the Nth rule if it has none; empty outside rules
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("policy")
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, ", rule %s", e.Rule)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap makes every Error match ErrInvalidPolicy.
func (e *Error) Unwrap() error { return ErrInvalidPolicy }

// maxErrors bounds how many problems Parse reports at once.
const maxErrors = 20

// quote quotes a value from the file for an error, cut short: a policy
// holds no secrets, but a hostile file can be long.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// oneOf words a vocabulary for an error: "a, b or c".
func oneOf[T ~string](vocab []T) string {
	var b strings.Builder
	for i, v := range vocab {
		switch {
		case i == 0:
		case i == len(vocab)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(string(v))
	}
	return b.String()
}
