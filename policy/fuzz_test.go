package policy

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzParse feeds the parser any bytes. Properties: it never panics; a
// policy it accepts has a canonical form that it accepts too, that reads
// back as the same rules, is its own canonical form, and decides a grid
// of requests as the original does; and every decision keeps the
// invariants (clearance, partners, thresholds) whatever the rules say.
func FuzzParse(f *testing.F) {
	// Seeds are short on purpose: the fuzzer minimises every new input
	// it finds, and minimising a copy of the 3 KB demo policy takes a
	// minute each time. The tests run the demo policy itself.

	// Every key of the format, block and flow style, with comments.
	f.Add([]byte(compact))
	// Every grant the format allows.
	f.Add([]byte(permissive))
	// Deny everything.
	f.Add([]byte("version: thbx-policy/1\nrules: []\n"))
	// Non-ASCII text.
	f.Add([]byte("version: thbx-policy/1\ndescription: Politika přístupu – ÚOOZ\nrules: []\n"))
	// A deny rule with every condition.
	f.Add([]byte(head1 + "  - {id: d, effect: deny, roles: [partner], actions: [export], kinds: [records], categories: [police, vap], classifications: [restricted]}\n"))
	// Block style, quoted units.
	f.Add([]byte(head1 + "  - id: g\n    effect: allow\n    roles: [analyst]\n    min_clearance: restricted\n    units: [\"odbor analýz\", \"123\"]\n    actions: [read_records]\n    datasets: [victims, proceedings]\n    mask: [region]\n"))
	// The highest threshold.
	f.Add([]byte(head1 + "  - {id: t, effect: allow, roles: [head_of_unit], actions: [export], aggregates: {audience: internal, threshold: 100}}\n"))
	// Alias: refused.
	f.Add([]byte(head1 + "  - &a {id: a, effect: allow, roles: [analyst], actions: [read_audit]}\n  - *a\n"))
	// Duplicate id: refused.
	f.Add([]byte(head1 + "  - {id: a, effect: allow, roles: [analyst], actions: [read_audit]}\n  - {id: a, effect: allow, roles: [auditor], actions: [read_audit]}\n"))
	// Two documents: refused.
	f.Add([]byte("version: thbx-policy/1\nrules: []\n---\nrules: []\n"))
	// Nesting: refused.
	f.Add([]byte("version: thbx-policy/1\nrules: [[[[[[[[]]]]]]]]\n"))
	// Not YAML.
	f.Add([]byte("{{{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			return
		}
		canon := p.Canonical()
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("the canonical form is refused: %v\n%s", err, canon)
		}
		if c2 := again.Canonical(); !bytes.Equal(c2, canon) {
			t.Fatalf("the canonical form is not its own:\n%s\n---\n%s", canon, c2)
		}
		// Every 13th request of the small grid: a few hundred decisions
		// keep each run short, which the fuzzer's minimisation needs.
		g := grid(p, false)
		for i := 0; i < len(g); i += 13 {
			q := g[i]
			d := p.Decide(q.p, q.a, q.r)
			if msg := invariants(q, d); msg != "" {
				t.Fatalf("Decide(%+v, %s, %+v) = %+v: %s\n%s", q.p, q.a, q.r, d, msg, data)
			}
			if d2 := again.Decide(q.p, q.a, q.r); !equalDecision(d, d2) {
				t.Fatalf("Decide(%+v, %s, %+v): %+v, from the canonical form %+v", q.p, q.a, q.r, d, d2)
			}
		}
		clearLines(p)
		clearLines(again)
		if !reflect.DeepEqual(p.rules, again.rules) || p.description != again.description {
			t.Fatalf("the canonical form reads back as other rules:\n%s", canon)
		}
	})
}

// compact uses every key of the format once.
const compact = `version: thbx-policy/1
description: Every key
rules:
  - id: r  # records
    effect: allow
    roles: [analyst]
    min_clearance: restricted
    units: [analysis]
    actions: [read_records, export]
    datasets: [victims]
    categories: [ngo, police]
    classifications: [standard, restricted]
    mask: [region]
  - {id: t, effect: allow, roles: [analyst], actions: [read_aggregates], aggregates: {audience: publication, threshold: 4}}
  - {id: d, effect: deny, actions: [export], kinds: [records], categories: [intelligence]}
`
