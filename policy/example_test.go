package policy_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/thbx/thbx/policy"
)

const examplePolicy = `version: thbx-policy/1
rules:
  - id: analyst-records
    effect: allow
    roles: [analyst]
    min_clearance: restricted
    actions: [read_records]
    datasets: [victims]
    mask: [region, status_source]
  - id: analyst-tables
    effect: allow
    roles: [analyst]
    actions: [read_aggregates]
    aggregates: {audience: publication}
  - id: no-intelligence-records
    effect: deny
    actions: [read_records]
    categories: [intelligence]
`

func ExamplePolicy_Decide() {
	p, err := policy.Parse([]byte(examplePolicy))
	if err != nil {
		log.Fatal(err)
	}
	show := func(d policy.Decision) {
		fmt.Println(d.Allowed, d.Reason, d.Rules, d.Mask, d.Threshold, orNone(d.Audience))
	}
	jana := policy.Principal{Role: policy.Analyst, Clearance: policy.Standard, Subject: "jana"}
	police := policy.Resource{Kind: policy.KindRecords, Dataset: "victims", Categories: []string{"police"}, Classification: policy.Restricted}
	show(p.Decide(jana, policy.ReadRecords, police))

	jana.Clearance = policy.Restricted
	show(p.Decide(jana, policy.ReadRecords, police))

	intelligence := police
	intelligence.Categories = []string{"intelligence"}
	show(p.Decide(jana, policy.ReadRecords, intelligence))

	tables := policy.Resource{Kind: policy.KindAggregates, Dataset: "victims", Categories: []string{"police", "ngo"}, Classification: policy.Standard}
	show(p.Decide(jana, policy.ReadAggregates, tables))
	show(p.Decide(jana, policy.Export, tables))
	// Output:
	// false clearance_too_low [] [] 0 -
	// true granted [analyst-records] [region status_source] 0 -
	// false denied_by_rule [no-intelligence-records] [] 0 -
	// true granted [analyst-tables] [] 3 publication
	// false no_matching_grant [] [] 0 -
}

func orNone(a policy.Audience) string {
	if a == "" {
		return "-"
	}
	return string(a)
}

// The trust bundle names the policy in force by its digest; a file
// changed since the officers signed it is refused.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "policy")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(path, []byte(examplePolicy), 0o644); err != nil {
		log.Fatal(err)
	}
	signed := policy.Digest([]byte(examplePolicy)) // in the bundle's policy_digest

	p, err := policy.Load(path, signed)
	fmt.Println(err, p.Digest() == signed)

	tampered := examplePolicy + "  - {id: all, effect: allow, roles: [analyst], actions: [export]}\n"
	if err := os.WriteFile(path, []byte(tampered), 0o644); err != nil {
		log.Fatal(err)
	}
	_, err = policy.Load(path, signed)
	fmt.Println(errors.Is(err, policy.ErrDigestMismatch))
	// Output:
	// <nil> true
	// true
}

func ExampleParse() {
	_, err := policy.Parse([]byte(`version: thbx-policy/1
rules:
  - id: tables
    effect: allow
    roles: [analysts]
    actions: [read_aggregates]
    aggregates: {audience: publication, threshold: 2}
`))
	fmt.Println(err)
	// Output:
	// policy line 5, rule tables: roles: unknown role "analysts"; want analyst, head_of_unit, security_officer, auditor, partner or service
	// policy line 7, rule tables: aggregates: threshold 2: a grant of publication tables needs 3 to 100
}
