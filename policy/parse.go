package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Version is the format version a policy file names in its version key.
const Version = "thbx-policy/1"

// Bounds on a policy file. A real policy is a few kilobytes.
const (
	MaxSize  = 256 << 10 // bytes
	MaxRules = 1000
)

const (
	maxDescription = 300 // characters
	maxUnit        = 64  // characters
)

var (
	ruleIDPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)
	thresholdPattern = regexp.MustCompile(`^[1-9][0-9]{0,2}$`)
	policyKeys       = []string{"version", "description", "rules"}
	ruleKeys         = []string{"id", "effect", "description", "roles", "min_clearance", "units", "actions", "kinds", "datasets", "categories", "classifications", "mask", "aggregates"}
	aggregatesKeys   = []string{"audience", "threshold"}
)

// Policy is a parsed access policy. It is immutable, and safe for
// concurrent use.
type Policy struct {
	description string
	rules       []*rule
	digest      string
}

// Parse reads and checks a policy. Every error wraps [ErrInvalidPolicy];
// problems with the content are *[Error] values naming the line and the
// rule, joined (at most 20). Parse does not check a digest: see [Load]
// and [ParseVerified].
func Parse(data []byte) (*Policy, error) {
	if len(data) > MaxSize {
		return nil, &Error{Msg: fmt.Sprintf("larger than %d bytes", MaxSize)}
	}
	if !utf8.Valid(data) {
		return nil, &Error{Msg: "not UTF-8 text"}
	}
	root, err := decodeOne(data)
	if err != nil {
		return nil, err
	}
	var ps parser
	p := ps.policy(root)
	if len(ps.errs) > 0 {
		return nil, errors.Join(ps.errs...)
	}
	p.digest = Digest(data)
	return p, nil
}

// decodeOne returns the root node of the file's only YAML document.
func decodeOne(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Msg: "the file is empty; it needs version and rules"}
		}
		return nil, &Error{Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &Error{Msg: "more than one YAML document; a policy is one"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &Error{Msg: "the file is empty; it needs version and rules"}
	}
	return doc.Content[0], nil
}

// parser collects every problem, up to maxErrors, rather than stopping at
// the first: an officer fixing a policy sees them all.
type parser struct {
	errs []error
	rule string // the rule being read, for errors
}

func (ps *parser) errorf(n *yaml.Node, format string, args ...any) {
	switch {
	case len(ps.errs) > maxErrors:
		return
	case len(ps.errs) == maxErrors:
		ps.errs = append(ps.errs, &Error{Msg: "more problems follow; fix these first"})
		return
	}
	ps.errs = append(ps.errs, &Error{Line: n.Line, Rule: ps.rule, Msg: fmt.Sprintf(format, args...)})
}

func (ps *parser) policy(root *yaml.Node) *Policy {
	if ps.plain(root); len(ps.errs) > 0 {
		return nil
	}
	m := ps.pairs(root, "the policy", policyKeys)
	if m == nil {
		return nil
	}
	v, ok := m["version"]
	if !ok {
		ps.errorf(root, "no version; the file starts with version: %s", Version)
		return nil
	}
	if s, ok := ps.str(v, "version"); ok && s != Version {
		ps.errorf(v, "version %s; this build reads %s", quote(s), Version)
	}
	if len(ps.errs) > 0 {
		return nil // another version's rules would only give noise
	}
	p := &Policy{}
	if v, ok := m["description"]; ok {
		p.description = ps.text(v, "description", maxDescription)
	}
	rules, ok := m["rules"]
	switch {
	case !ok:
		ps.errorf(root, "no rules; with none, every request is denied: say so with rules: []")
		return nil
	case rules.Kind != yaml.SequenceNode:
		ps.errorf(rules, "rules: want a list of rules")
		return nil
	case len(rules.Content) > MaxRules:
		ps.errorf(rules, "rules: more than %d rules", MaxRules)
		return nil
	}
	seen := map[string]int{}
	for i, n := range rules.Content {
		ru := ps.parseRule(n, i)
		if ru == nil {
			continue
		}
		if line, dup := seen[ru.id]; dup {
			ps.rule = ru.id
			ps.errorf(n, "id %s is already the id of the rule at line %d", ru.id, line)
			ps.rule = ""
		} else if ru.id != "" {
			seen[ru.id] = n.Line
		}
		p.rules = append(p.rules, ru)
	}
	return p
}

// plain refuses anchors, aliases and tags anywhere: each rule is read as
// written, and a reviewer sees all of it in the diff.
func (ps *parser) plain(n *yaml.Node) {
	switch {
	case n.Kind == yaml.AliasNode:
		ps.errorf(n, "aliases (*%s) are not allowed: write each rule out in full", n.Value)
		return
	case n.Anchor != "":
		ps.errorf(n, "anchors (&%s) are not allowed: write each rule out in full", n.Anchor)
	case n.Style&yaml.TaggedStyle != 0:
		ps.errorf(n, "tags (%s) are not allowed", n.Tag)
	}
	for _, c := range n.Content {
		ps.plain(c)
	}
}

// pairs returns a mapping's values by key, refusing anything but a
// mapping, keys that are not plain names, unknown and repeated keys. It
// returns nil if n is not a mapping.
func (ps *parser) pairs(n *yaml.Node, what string, known []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "%s: want a mapping of %s", what, oneOf(known))
		return nil
	}
	m := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str":
			ps.errorf(k, "%s: a key is not a plain name", what)
		case !slices.Contains(known, k.Value):
			ps.errorf(k, "%s: unknown key %s; want %s", what, quote(k.Value), oneOf(known))
		case m[k.Value] != nil:
			ps.errorf(k, "%s: key %s given twice", what, k.Value)
		default:
			m[k.Value] = v
		}
	}
	return m
}

func (ps *parser) str(n *yaml.Node, what string) (string, bool) {
	switch {
	case n.Kind != yaml.ScalarNode:
		ps.errorf(n, "%s: want a string", what)
	case n.ShortTag() == "!!null":
		ps.errorf(n, "%s: no value", what)
	case n.ShortTag() != "!!str":
		ps.errorf(n, "%s: want a string, not %s (quote it if you mean the text)", what, quote(n.Value))
	default:
		return n.Value, true
	}
	return "", false
}

// text reads a line of printable text: no control characters, no
// leading or trailing space.
func (ps *parser) text(n *yaml.Node, what string, maxLen int) string {
	s, ok := ps.str(n, what)
	switch {
	case !ok:
		return ""
	case s == "" || strings.TrimSpace(s) != s:
		ps.errorf(n, "%s: empty, or with space around it", what)
	case utf8.RuneCountInString(s) > maxLen:
		ps.errorf(n, "%s: longer than %d characters", what, maxLen)
	case strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }):
		ps.errorf(n, "%s: one line of printable characters, please", what)
	default:
		return s
	}
	return ""
}

// item is one string of a list, with its node for errors.
type item struct {
	s string
	n *yaml.Node
}

// items reads a non-empty list of strings without repeats.
func (ps *parser) items(n *yaml.Node, what string) []item {
	if n.Kind != yaml.SequenceNode {
		ps.errorf(n, "%s: want a list, as [a, b]", what)
		return nil
	}
	if len(n.Content) == 0 {
		ps.errorf(n, "%s: an empty list; leave the key out instead", what)
	}
	var out []item
	for _, c := range n.Content {
		s, ok := ps.str(c, what)
		switch {
		case !ok:
		case slices.ContainsFunc(out, func(it item) bool { return it.s == s }):
			ps.errorf(c, "%s: %s listed twice", what, quote(s))
		default:
			out = append(out, item{s, c})
		}
	}
	return out
}

// vocabList reads a list whose values come from vocab, sorted in
// vocab's order.
func vocabList[T ~string](ps *parser, n *yaml.Node, what, noun string, vocab []T) []T {
	var out []T
	for _, it := range ps.items(n, what) {
		if !slices.Contains(vocab, T(it.s)) {
			ps.errorf(it.n, "%s: unknown %s %s; want %s", what, noun, quote(it.s), oneOf(vocab))
			continue
		}
		out = append(out, T(it.s))
	}
	slices.SortFunc(out, func(a, b T) int { return slices.Index(vocab, a) - slices.Index(vocab, b) })
	return out
}

// vocabValue reads one value from vocab.
func vocabValue[T ~string](ps *parser, n *yaml.Node, what string, vocab []T) T {
	s, ok := ps.str(n, what)
	if !ok {
		return ""
	}
	if !slices.Contains(vocab, T(s)) {
		ps.errorf(n, "%s: unknown value %s; want %s", what, quote(s), oneOf(vocab))
		return ""
	}
	return T(s)
}
