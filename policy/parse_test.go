package policy

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const head1 = "version: thbx-policy/1\nrules:\n"

// TestParseRefuses: each malformed policy is refused with an error that
// wraps ErrInvalidPolicy and names the line, the rule and the problem.
func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int    // of the first problem; 0: the file as a whole
		rule string // of the first problem
		msg  string // in the first problem's message
	}{
		{"empty", "", 0, "", "empty"},
		{"comments only", "# nothing\n", 0, "", "empty"},
		{"not YAML", "version: [\n", 0, "", "line"},
		{"not a mapping", "- a\n", 1, "", "want a mapping"},
		{"no version", "rules: []\n", 1, "", "no version"},
		{"other version", "version: thbx-policy/2\nrules: []\n", 1, "", `version "thbx-policy/2"`},
		{"version as number", "version: 1\nrules: []\n", 1, "", "want a string"},
		{"unknown top key", "version: thbx-policy/1\nrules: []\ndefault: allow\n", 3, "", `unknown key "default"`},
		{"no rules", "version: thbx-policy/1\n", 1, "", "no rules"},
		{"rules not a list", "version: thbx-policy/1\nrules: {a: 1}\n", 2, "", "want a list of rules"},
		{"two documents", "version: thbx-policy/1\nrules: []\n---\nversion: thbx-policy/1\nrules: []\n", 0, "", "more than one YAML document"},
		{"duplicate top key", "version: thbx-policy/1\nrules: []\nrules: []\n", 3, "", "given twice"},
		{"alias", head1 + "  - &r {id: a, effect: allow, roles: [analyst], actions: [read_audit]}\n  - *r\n", 3, "", "anchors"},
		{"merge key", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_audit], <<: {units: [x]}}\n", 3, "a", "not a plain name"},
		{"tag", head1 + "  - {id: a, effect: allow, roles: [!!str analyst], actions: [read_audit]}\n", 3, "", "tags"},

		{"rule not a mapping", head1 + "  - analyst\n", 3, "#1", "want a mapping"},
		{"unknown rule key", head1 + "  - id: a\n    effect: allow\n    roles: [analyst]\n    actions: [read_audit]\n    role: [auditor]\n", 7, "a", `unknown key "role"`},
		{"no id", head1 + "  - {effect: allow, roles: [analyst], actions: [read_audit]}\n", 3, "#1", "no id"},
		{"bad id", head1 + "  - {id: Analyst Records, effect: allow, roles: [analyst], actions: [read_audit]}\n", 3, "#1", "lower-case"},
		{"duplicate id", head1 + "  - {id: a, effect: allow, roles: [auditor], actions: [read_audit]}\n  - {id: a, effect: allow, roles: [analyst], actions: [read_audit]}\n", 4, "a", "already the id of the rule at line 3"},
		{"no effect", head1 + "  - {id: a, roles: [analyst], actions: [read_audit]}\n", 3, "a", "no effect"},
		{"unknown effect", head1 + "  - {id: a, effect: permit, roles: [analyst], actions: [read_audit]}\n", 3, "a", `unknown value "permit"`},
		{"unknown role", head1 + "  - id: a\n    effect: allow\n    roles: [analyst, analysts]\n    actions: [read_audit]\n", 5, "a", `unknown role "analysts"`},
		{"role not a list", head1 + "  - {id: a, effect: allow, roles: analyst, actions: [read_audit]}\n", 3, "a", "want a list"},
		{"empty list", head1 + "  - {id: a, effect: allow, roles: [], actions: [read_audit]}\n", 3, "a", "empty list"},
		{"role twice", head1 + "  - {id: a, effect: allow, roles: [analyst, analyst], actions: [read_audit]}\n", 3, "a", "listed twice"},
		{"grant without roles", head1 + "  - {id: a, effect: allow, actions: [read_audit]}\n", 3, "a", "no roles"},
		{"no actions", head1 + "  - {id: a, effect: allow, roles: [analyst]}\n", 3, "a", "no actions"},
		{"unknown action", head1 + "  - id: a\n    effect: allow\n    roles: [analyst]\n    actions:\n      - read_records\n      - delete_records\n", 8, "a", `unknown action "delete_records"`},
		{"unknown clearance", head1 + "  - {id: a, effect: allow, roles: [analyst], min_clearance: secret, actions: [read_records]}\n", 3, "a", `unknown value "secret"`},
		{"unknown classification", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_records], classifications: [secret]}\n", 3, "a", `unknown classification "secret"`},
		{"unknown category", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_records], categories: [ngo, mafia]}\n", 3, "a", `unknown partner category "mafia"`},
		{"unknown dataset", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_records], datasets: [persons]}\n", 3, "a", `unknown dataset "persons"`},
		{"unknown mask field", head1 + "  - id: a\n    effect: allow\n    roles: [analyst]\n    actions: [read_records]\n    datasets: [victims]\n    mask: [region, name]\n", 8, "a", `"name" is not a field of victims`},
		{"mask field of another dataset", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_records], datasets: [controls], mask: [bloom]}\n", 3, "a", `"bloom" is not a field of controls`},
		{"unit a number", head1 + "  - {id: a, effect: allow, roles: [analyst], units: [12], actions: [read_records]}\n", 3, "a", "quote it"},
		{"unit with control character", head1 + "  - {id: a, effect: allow, roles: [analyst], units: [\"a\\tb\"], actions: [read_records]}\n", 3, "a", "printable"},
		{"unit too long", head1 + "  - {id: a, effect: allow, roles: [analyst], units: [" + strings.Repeat("u", 65) + "], actions: [read_records]}\n", 3, "a", "longer than 64"},

		{"deny with mask", head1 + "  - {id: a, effect: deny, actions: [read_records], mask: [region]}\n", 3, "a", "only a grant"},
		{"deny with min_clearance", head1 + "  - {id: a, effect: deny, actions: [read_records], min_clearance: restricted}\n", 3, "a", "only a grant"},
		{"grant with kinds", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], kinds: [records]}\n", 3, "a", "only a deny rule"},
		{"kind fits no action", head1 + "  - {id: a, effect: deny, actions: [read_records], kinds: [aggregates]}\n", 3, "a", "fits none"},
		{"data conditions on trust", head1 + "  - {id: a, effect: allow, roles: [security_officer], actions: [manage_trust], datasets: [victims]}\n", 3, "a", "no data to match"},
		{"data conditions on audit", head1 + "  - {id: a, effect: deny, actions: [read_audit, read_records], classifications: [restricted]}\n", 3, "a", "no data to match"},
		{"manage_trust to an analyst", head1 + "  - {id: a, effect: allow, roles: [security_officer, analyst], actions: [manage_trust]}\n", 3, "a", "security_officer only"},
		{"audit log to a partner", head1 + "  - {id: a, effect: allow, roles: [partner], actions: [read_audit]}\n", 3, "a", "partner never reads the audit log"},
		{"read_aggregates without aggregates", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_aggregates]}\n", 3, "a", "needs aggregates"},
		{"aggregates grant with read_records", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_aggregates, read_records], aggregates: {audience: internal}}\n", 3, "a", "read_records in an aggregates grant"},
		{"aggregates grant with mask", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], mask: [region], aggregates: {audience: internal}}\n", 3, "a", "threshold instead"},
		{"mask without record actions", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_submissions], mask: [region]}\n", 3, "a", "neither read_records nor export"},
		{"aggregates without audience", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {threshold: 5}}\n", 3, "a", "no audience"},
		{"unknown audience", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {audience: press}}\n", 3, "a", `unknown value "press"`},
		{"publication threshold below 3", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {audience: publication, threshold: 2}}\n", 3, "a", "needs 3 to 100"},
		{"internal threshold below 2", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {audience: internal, threshold: 1}}\n", 3, "a", "needs 2 to 100"},
		{"threshold too high", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {audience: internal, threshold: 101}}\n", 3, "a", "needs 2 to 100"},
		{"threshold octal-looking", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {audience: internal, threshold: 010}}\n", 3, "a", "whole number"},
		{"threshold a string", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {audience: internal, threshold: \"5\"}}\n", 3, "a", "whole number"},
		{"unknown aggregates key", head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [export], aggregates: {audience: internal, k: 5}}\n", 3, "a", `unknown key "k"`},
		{"description multi-line", "version: thbx-policy/1\ndescription: \"a\\nb\"\nrules: []\n", 2, "", "one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.src))
			if err == nil {
				t.Fatalf("accepted:\n%s\ncanonical:\n%s", tt.src, p.Canonical())
			}
			if !errors.Is(err, ErrInvalidPolicy) {
				t.Errorf("%v does not wrap ErrInvalidPolicy", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%v is no *Error", err)
			}
			if e.Line != tt.line || e.Rule != tt.rule || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("first problem %q (line %d, rule %q), want line %d, rule %q, %q", e, e.Line, e.Rule, tt.line, tt.rule, tt.msg)
			}
		})
	}
}

// TestParseAllProblems: every problem is reported, not only the first,
// each with its line, and no more than maxErrors of them.
func TestParseAllProblems(t *testing.T) {
	src := head1 +
		"  - {id: a, effect: allow, roles: [analysts], actions: [read_audit]}\n" +
		"  - {id: b, effect: allow, roles: [analyst], actions: [read_everything]}\n"
	_, err := Parse([]byte(src))
	msg := err.Error()
	for _, want := range []string{`policy line 3, rule a: roles: unknown role "analysts"`, `policy line 4, rule b: actions: unknown action "read_everything"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	var many strings.Builder
	many.WriteString(head1)
	for range 50 {
		many.WriteString("  - {id: x, effect: allow, roles: [nobody], actions: [read_audit]}\n")
	}
	_, err = Parse([]byte(many.String()))
	if n := strings.Count(err.Error(), "\n") + 1; n != maxErrors+1 {
		t.Errorf("%d problems reported, want %d and a note", n, maxErrors)
	}
}

func TestParseBounds(t *testing.T) {
	big := head1 + "  - {id: a, effect: allow, roles: [auditor], actions: [read_audit]}\n" + "#" + strings.Repeat("x", MaxSize) + "\n"
	if _, err := Parse([]byte(big)); !errors.Is(err, ErrInvalidPolicy) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a file over MaxSize: %v", err)
	}
	var many strings.Builder
	many.WriteString(head1)
	for i := range MaxRules + 1 {
		many.WriteString("  - {id: r" + strconv.Itoa(i) + ", effect: allow, roles: [auditor], actions: [read_audit]}\n")
	}
	if _, err := Parse([]byte(many.String())); err == nil || !strings.Contains(err.Error(), "more than 1000 rules") {
		t.Errorf("%d rules: %v", MaxRules+1, err)
	}
	if _, err := Parse([]byte("version: thbx-policy/1\nrules: []\ndescription: \xff\n")); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("not UTF-8: %v", err)
	}
	deep := "version: thbx-policy/1\nrules: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"
	if _, err := Parse([]byte(deep)); err == nil {
		t.Error("deeply nested lists accepted")
	}
}

// TestParseForms: the same rule written in block and flow style, with
// lists in another order, defaults left out or written, reads the same.
func TestParseForms(t *testing.T) {
	a := mustParse(t, head1+`  - id: r
    effect: allow
    roles: [head_of_unit, analyst]
    actions:
      - export
      - read_aggregates
    categories: [police, ngo]
    aggregates:
      audience: publication
`)
	b := mustParse(t, head1+`  - {id: r, effect: allow, roles: [analyst, head_of_unit], actions: [read_aggregates, export], categories: [ngo, police], aggregates: {threshold: 3, audience: publication}}`)
	clearLines(a)
	clearLines(b)
	if !reflect.DeepEqual(a.rules, b.rules) {
		t.Errorf("block and flow differ:\n%s\n%s", a.Canonical(), b.Canonical())
	}
	if a.Digest() == b.Digest() {
		t.Error("two different files have the same digest")
	}
}

func clearLines(p *Policy) {
	for _, ru := range p.rules {
		ru.line = 0
	}
}
