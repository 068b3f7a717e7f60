package policy

import (
	"os"
	"slices"
	"testing"
)

const demoPath = "../testdata/policy/demo.yaml"

func demo(t testing.TB) *Policy {
	t.Helper()
	data, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatalf("the demo policy: %v", err)
	}
	return p
}

func mustParse(t testing.TB, src string) *Policy {
	t.Helper()
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return p
}

// The demo's personas.
var (
	recordsAnalyst = Principal{Role: Analyst, Clearance: Restricted, Unit: "analysis", Subject: "analyst-records"}
	tablesAnalyst  = Principal{Role: Analyst, Clearance: Standard, Unit: "analysis", Subject: "analyst-aggregates"}
	borderAnalyst  = Principal{Role: Analyst, Clearance: Restricted, Unit: "border", Subject: "analyst-border"}
	head           = Principal{Role: HeadOfUnit, Clearance: Restricted, Unit: "analysis", Subject: "head"}
	officer        = Principal{Role: SecurityOfficer, Subject: "officer-alice"}
	auditor        = Principal{Role: Auditor, Subject: "auditor"}
	ngo            = Principal{Role: Partner, Partner: "ngo-lastrada", Subject: "ngo-lastrada"}
	hubJob         = Principal{Role: Service, Clearance: Restricted, Subject: "hub-merge"}
)

// Resources the demo's table uses.
var (
	ngoVictims    = Resource{Kind: KindRecords, Dataset: "victims", Categories: []string{"ngo"}, Classification: Standard, Partner: "ngo-lastrada"}
	policeVictims = Resource{Kind: KindRecords, Dataset: "victims", Categories: []string{"police"}, Classification: Restricted, Partner: "police-cz"}
	intelVictims  = Resource{Kind: KindRecords, Dataset: "victims", Categories: []string{"intelligence"}, Classification: Restricted, Partner: "bis"}
	tables        = Resource{Kind: KindAggregates, Dataset: "victims", Categories: []string{"police", "ngo", "vap"}, Classification: Standard}
	restrTables   = Resource{Kind: KindAggregates, Dataset: "aggregates", Categories: []string{"police", "intelligence"}, Classification: Restricted}
	trustRes      = Resource{Kind: KindTrust}
	auditRes      = Resource{Kind: KindAudit}
	ngoSubs       = Resource{Kind: KindSubmissions, Dataset: "victims", Categories: []string{"ngo"}, Classification: Standard, Partner: "ngo-lastrada"}
	policeSubs    = Resource{Kind: KindSubmissions, Dataset: "victims", Categories: []string{"police"}, Classification: Standard, Partner: "police-cz"}
)

func audience(r Resource, a Audience) Resource { r.Audience = a; return r }

var demoMask = []string{"birth_year", "bloom", "linkage_keys", "region", "status_source"}

// TestDecideDemo is the decision table of the demo policy: principal ×
// action × resource → allowed, reason, rules, mask, threshold, audience.
func TestDecideDemo(t *testing.T) {
	p := demo(t)
	tests := []struct {
		name string
		p    Principal
		a    Action
		r    Resource
		want Decision
	}{
		// Clearance.
		{"standard analyst, restricted records", tablesAnalyst, ReadRecords, policeVictims, Decision{Reason: ReasonClearanceTooLow}},
		{"standard analyst, standard records: the grant needs restricted clearance", tablesAnalyst, ReadRecords, ngoVictims,
			Decision{Reason: ReasonClearanceTooLow, Rules: []string{"analyst-records"}}},
		{"restricted analyst, restricted records", recordsAnalyst, ReadRecords, policeVictims,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analyst-records"}, Mask: demoMask}},
		{"restricted analyst exports standard records, masked", recordsAnalyst, Export, ngoVictims,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analyst-records"}, Mask: demoMask}},
		{"restricted analyst of another unit", borderAnalyst, ReadRecords, ngoVictims, Decision{Reason: ReasonNoMatchingGrant}},
		{"restricted analyst, proceedings records: not in the grant", recordsAnalyst, ReadRecords,
			Resource{Kind: KindRecords, Dataset: "proceedings", Categories: []string{"court"}, Classification: Standard}, Decision{Reason: ReasonNoMatchingGrant}},

		// Explicit deny beats the grants that cover the request.
		{"deny beats analyst-records", recordsAnalyst, ReadRecords, intelVictims,
			Decision{Reason: ReasonDeniedByRule, Rules: []string{"no-intelligence-records"}}},
		{"deny beats analyst-records for export", recordsAnalyst, Export, intelVictims,
			Decision{Reason: ReasonDeniedByRule, Rules: []string{"no-intelligence-records"}}},
		{"deny beats hub-linkage", hubJob, ReadRecords, intelVictims,
			Decision{Reason: ReasonDeniedByRule, Rules: []string{"no-intelligence-records"}}},
		{"deny beats pooled records with one intelligence source", hubJob, ReadRecords,
			Resource{Kind: KindRecords, Dataset: "victims", Categories: []string{"police", "intelligence"}, Classification: Restricted},
			Decision{Reason: ReasonDeniedByRule, Rules: []string{"no-intelligence-records"}}},
		{"the hub's job reads whole records", hubJob, ReadRecords, policeVictims,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"hub-linkage"}}},

		// Aggregates: thresholds and audiences.
		{"aggregates-only analyst, publication tables", tablesAnalyst, ReadAggregates, audience(tables, Publication),
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analyst-aggregates"}, Threshold: 3, Audience: Publication}},
		{"aggregates-only analyst, no audience given", tablesAnalyst, Export, tables,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analyst-aggregates"}, Threshold: 3, Audience: Publication}},
		{"aggregates-only analyst, internal tables: publication grant only", tablesAnalyst, ReadAggregates, audience(tables, Internal),
			Decision{Reason: ReasonClearanceTooLow, Rules: []string{"analysis-internal-tables"}}},
		{"aggregates-only analyst, restricted tables", tablesAnalyst, ReadAggregates, audience(restrTables, Publication), Decision{Reason: ReasonClearanceTooLow}},
		{"aggregates-only analyst, no records", tablesAnalyst, Export, ngoVictims,
			Decision{Reason: ReasonClearanceTooLow, Rules: []string{"analyst-records"}}},
		{"cleared analyst, internal tables", recordsAnalyst, ReadAggregates, audience(tables, Internal),
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analysis-internal-tables"}, Threshold: 2, Audience: Internal}},
		{"cleared analyst, no audience: the strictest grant applies", recordsAnalyst, Export, tables,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analysis-internal-tables", "analyst-aggregates"}, Threshold: 3, Audience: Publication}},
		{"cleared analyst, restricted internal tables", recordsAnalyst, ReadAggregates, audience(restrTables, Internal),
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analysis-internal-tables"}, Threshold: 2, Audience: Internal}},
		{"cleared analyst, restricted publication tables", recordsAnalyst, ReadAggregates, audience(restrTables, Publication), Decision{Reason: ReasonNoMatchingGrant}},
		{"head of unit, tables", head, ReadAggregates, tables,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"analysis-internal-tables", "head-publication-tables"}, Threshold: 3, Audience: Publication}},

		// Head of unit.
		{"head of unit reads restricted records, masked", head, ReadRecords, policeVictims,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"head-records"}, Mask: demoMask}},
		{"head of unit does not export records", head, Export, policeVictims, Decision{Reason: ReasonNoMatchingGrant}},
		{"head of unit reads submissions", head, ReadSubmissions, policeSubs,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"head-submissions"}}},

		// Partners: their own submissions, nothing of anyone else.
		{"partner, own submissions", ngo, ReadSubmissions, ngoSubs,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"partner-own-submissions"}}},
		{"partner, another partner's submissions", ngo, ReadSubmissions, policeSubs, Decision{Reason: ReasonOtherPartner}},
		{"partner, another partner's records", ngo, ReadRecords, policeVictims, Decision{Reason: ReasonOtherPartner}},
		{"partner, another partner's standard records", ngo, Export,
			Resource{Kind: KindRecords, Dataset: "victims", Categories: []string{"ngo"}, Classification: Standard, Partner: "ngo-caritas"}, Decision{Reason: ReasonOtherPartner}},
		{"partner, pooled tables", ngo, ReadAggregates, audience(tables, Publication), Decision{Reason: ReasonOtherPartner}},
		{"partner, own records: no grant", ngo, ReadRecords, ngoVictims, Decision{Reason: ReasonNoMatchingGrant}},
		{"partner, trust", ngo, ManageTrust, trustRes, Decision{Reason: ReasonNoMatchingGrant}},
		{"partner, audit", ngo, ReadAudit, auditRes, Decision{Reason: ReasonNoMatchingGrant}},

		// The auditor reads the audit log only.
		{"auditor, audit log", auditor, ReadAudit, auditRes, Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"auditor-log"}}},
		{"auditor, records", auditor, ReadRecords, ngoVictims, Decision{Reason: ReasonNoMatchingGrant}},
		{"auditor, tables", auditor, ReadAggregates, audience(tables, Publication), Decision{Reason: ReasonNoMatchingGrant}},
		{"auditor, export", auditor, Export, tables, Decision{Reason: ReasonNoMatchingGrant}},
		{"auditor, submissions", auditor, ReadSubmissions, ngoSubs, Decision{Reason: ReasonNoMatchingGrant}},
		{"auditor, trust", auditor, ManageTrust, trustRes, Decision{Reason: ReasonNoMatchingGrant}},

		// Security officers manage trust; nobody else does.
		{"officer, trust", officer, ManageTrust, trustRes, Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"officer-trust"}}},
		{"officer, submissions", officer, ReadSubmissions, policeSubs, Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"officer-submissions"}}},
		{"officer, records", officer, ReadRecords, ngoVictims, Decision{Reason: ReasonNoMatchingGrant}},
		{"officer, audit", officer, ReadAudit, auditRes, Decision{Reason: ReasonNoMatchingGrant}},
		{"analyst, trust", recordsAnalyst, ManageTrust, trustRes, Decision{Reason: ReasonNoMatchingGrant}},
		{"head of unit, trust", head, ManageTrust, trustRes, Decision{Reason: ReasonNoMatchingGrant}},

		// Default deny for what no rule names.
		{"service, audit", hubJob, ReadAudit, auditRes, Decision{Reason: ReasonNoMatchingGrant}},
		{"service, tables", hubJob, ReadAggregates, tables, Decision{Reason: ReasonNoMatchingGrant}},
		{"analyst, submissions", recordsAnalyst, ReadSubmissions, ngoSubs, Decision{Reason: ReasonNoMatchingGrant}},
		{"no unit", Principal{Role: Analyst, Clearance: Restricted}, ReadRecords, ngoVictims, Decision{Reason: ReasonNoMatchingGrant}},

		// Requests that make no sense are refused before any rule.
		{"unknown role", Principal{Role: "admin", Clearance: Restricted, Unit: "analysis"}, ReadRecords, ngoVictims, Decision{Reason: ReasonInvalidRequest}},
		{"unknown clearance", Principal{Role: Analyst, Clearance: "top_secret", Unit: "analysis"}, ReadRecords, ngoVictims, Decision{Reason: ReasonInvalidRequest}},
		{"unknown action", recordsAnalyst, "delete", ngoVictims, Decision{Reason: ReasonInvalidRequest}},
		{"action does not fit the kind", recordsAnalyst, ReadRecords, tables, Decision{Reason: ReasonInvalidRequest}},
		{"records without categories", recordsAnalyst, ReadRecords,
			Resource{Kind: KindRecords, Dataset: "victims", Classification: Standard}, Decision{Reason: ReasonInvalidRequest}},
		{"unknown category", recordsAnalyst, ReadRecords,
			Resource{Kind: KindRecords, Dataset: "victims", Categories: []string{"mafia"}, Classification: Standard}, Decision{Reason: ReasonInvalidRequest}},
		{"unknown dataset", recordsAnalyst, ReadRecords,
			Resource{Kind: KindRecords, Dataset: "persons", Categories: []string{"ngo"}, Classification: Standard}, Decision{Reason: ReasonInvalidRequest}},
		{"no classification", recordsAnalyst, ReadRecords,
			Resource{Kind: KindRecords, Dataset: "victims", Categories: []string{"ngo"}}, Decision{Reason: ReasonInvalidRequest}},
		{"audience on records", recordsAnalyst, ReadRecords, audience(ngoVictims, Internal), Decision{Reason: ReasonInvalidRequest}},
		{"unknown audience", tablesAnalyst, ReadAggregates, audience(tables, "press"), Decision{Reason: ReasonInvalidRequest}},
		{"data on trust", officer, ManageTrust, Resource{Kind: KindTrust, Dataset: "victims"}, Decision{Reason: ReasonInvalidRequest}},
		{"partner without an id", Principal{Role: Partner}, ReadSubmissions, ngoSubs, Decision{Reason: ReasonInvalidRequest}},
		{"partner id on an analyst", Principal{Role: Analyst, Clearance: Restricted, Unit: "analysis", Partner: "ngo-lastrada"}, ReadRecords, ngoVictims, Decision{Reason: ReasonInvalidRequest}},
		{"unknown kind", officer, ManageTrust, Resource{Kind: "keys"}, Decision{Reason: ReasonInvalidRequest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Decide(tt.p, tt.a, tt.r)
			if !equalDecision(got, tt.want) {
				t.Errorf("Decide(%+v, %s, %+v)\n got %+v\nwant %+v", tt.p, tt.a, tt.r, got, tt.want)
			}
		})
	}
}

func equalDecision(a, b Decision) bool {
	return a.Allowed == b.Allowed && a.Reason == b.Reason && slices.Equal(a.Rules, b.Rules) &&
		slices.Equal(a.Mask, b.Mask) && a.Threshold == b.Threshold && a.Audience == b.Audience
}

// TestDecideCombines: when several grants match, masks add up and the
// strictest threshold applies; a deny rule beats all of them.
func TestDecideCombines(t *testing.T) {
	p := mustParse(t, `version: thbx-policy/1
rules:
  - {id: a, effect: allow, roles: [analyst], actions: [read_records], mask: [region, status_source]}
  - {id: b, effect: allow, roles: [analyst], actions: [read_records], datasets: [victims], mask: [region, bloom]}
  - {id: c, effect: allow, roles: [analyst], actions: [read_records, export], categories: [police]}
  - {id: t1, effect: allow, roles: [analyst], actions: [read_aggregates], aggregates: {audience: internal, threshold: 7}}
  - {id: t2, effect: allow, roles: [analyst], actions: [read_aggregates], aggregates: {audience: publication, threshold: 4}}
  - {id: t3, effect: allow, roles: [analyst], actions: [read_aggregates], aggregates: {audience: publication}}
  - {id: no-embassy, effect: deny, roles: [analyst, auditor], actions: [read_records], categories: [embassy]}
`)
	an := Principal{Role: Analyst}
	rec := func(cats ...string) Resource {
		return Resource{Kind: KindRecords, Dataset: "victims", Categories: cats, Classification: Standard}
	}
	tab := Resource{Kind: KindAggregates, Dataset: "victims", Categories: []string{"ngo"}, Classification: Standard}
	tests := []struct {
		name string
		r    Resource
		a    Action
		want Decision
	}{
		{"masks add up", rec("police"), ReadRecords, Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"a", "b", "c"}, Mask: []string{"bloom", "region", "status_source"}}},
		{"a grant naming categories covers pooled data only if it names them all", rec("police", "ngo"), ReadRecords,
			Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"a", "b"}, Mask: []string{"bloom", "region", "status_source"}}},
		{"a deny rule holds if one source is named", rec("police", "embassy"), ReadRecords, Decision{Reason: ReasonDeniedByRule, Rules: []string{"no-embassy"}}},
		{"strictest threshold, publication audience", tab, ReadAggregates, Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"t1", "t2", "t3"}, Threshold: 7, Audience: Publication}},
		{"publication only", audience(tab, Publication), ReadAggregates, Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"t2", "t3"}, Threshold: 4, Audience: Publication}},
		{"internal only", audience(tab, Internal), ReadAggregates, Decision{Allowed: true, Reason: ReasonGranted, Rules: []string{"t1"}, Threshold: 7, Audience: Internal}},
		{"record grants do not cover tables", tab, Export, Decision{Reason: ReasonNoMatchingGrant}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Decide(an, tt.a, tt.r); !equalDecision(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecideNilPolicy(t *testing.T) {
	var p *Policy
	if d := p.Decide(recordsAnalyst, ReadRecords, ngoVictims); d.Allowed || d.Reason != ReasonNoPolicy {
		t.Errorf("nil policy: %+v", d)
	}
}

// TestDecideEmptyPolicyDeniesAll: with no rules, every request is denied.
func TestDecideEmptyPolicyDeniesAll(t *testing.T) {
	p := mustParse(t, "version: thbx-policy/1\nrules: []\n")
	n := 0
	for _, req := range probes(nil) {
		n++
		if d := p.Decide(req.p, req.a, req.r); d.Allowed {
			t.Fatalf("empty policy allowed %+v %s %+v", req.p, req.a, req.r)
		}
	}
	if n < 1000 {
		t.Fatalf("only %d probes", n)
	}
}

// permissive grants everything the format lets a grant give: the
// invariants must hold all the same.
const permissive = `version: thbx-policy/1
rules:
  - {id: all-records, effect: allow, roles: [analyst, head_of_unit, security_officer, auditor, partner, service], actions: [read_records, export, read_submissions]}
  - {id: all-internal, effect: allow, roles: [analyst, head_of_unit, security_officer, auditor, partner, service], actions: [read_aggregates, export], aggregates: {audience: internal}}
  - {id: all-publication, effect: allow, roles: [analyst, head_of_unit, security_officer, auditor, partner, service], actions: [read_aggregates, export], aggregates: {audience: publication}}
  - {id: all-trust, effect: allow, roles: [security_officer], actions: [manage_trust]}
  - {id: all-audit, effect: allow, roles: [analyst, head_of_unit, security_officer, auditor, service], actions: [read_audit]}
`

// TestDecideInvariants tries every principal, action and resource of a
// grid against the demo policy and a policy that grants everything, and
// checks what must hold whatever the rules say.
func TestDecideInvariants(t *testing.T) {
	allowed := 0
	for name, p := range map[string]*Policy{"demo": demo(t), "permissive": mustParse(t, permissive)} {
		for _, req := range probes(p) {
			d := p.Decide(req.p, req.a, req.r)
			if err := invariants(req, d); err != "" {
				t.Fatalf("%s: Decide(%+v, %s, %+v) = %+v: %s", name, req.p, req.a, req.r, d, err)
			}
			if d.Allowed {
				allowed++
			}
		}
	}
	if allowed == 0 {
		t.Fatal("nothing was allowed: the grid tests nothing")
	}
}

// invariants returns what is wrong with a decision, or "".
func invariants(q request, d Decision) string {
	if !d.Allowed {
		switch {
		case d.Reason == ReasonGranted || d.Reason == "":
			return "denied with reason " + string(d.Reason)
		case d.Mask != nil || d.Threshold != 0 || d.Audience != "":
			return "a denial with restrictions"
		}
		return ""
	}
	switch {
	case d.Reason != ReasonGranted || len(d.Rules) == 0:
		return "allowed without a grant"
	case !validRequest(q.p, q.a, q.r):
		return "allowed an invalid request"
	case q.r.Kind.hasData() && clearance(q.p).rank() < q.r.Classification.rank():
		return "allowed data above the principal's clearance"
	case q.p.Role == Partner && (q.r.Kind.hasData() && q.r.Partner != q.p.Partner || q.p.Partner == ""):
		return "allowed a partner data not its own"
	case q.a == ManageTrust && q.p.Role != SecurityOfficer:
		return "allowed manage_trust to a non-officer"
	case q.r.Kind != KindAggregates && (d.Threshold != 0 || d.Audience != ""):
		return "a threshold on something other than tables"
	case q.r.Kind == KindAggregates && (d.Threshold < d.Audience.minThreshold() || d.Threshold > MaxThreshold || d.Audience == ""):
		return "tables without a threshold fit for their audience"
	case q.r.Kind == KindAggregates && q.r.Audience != "" && d.Audience != q.r.Audience:
		return "tables for another audience than asked"
	case !slices.IsSorted(d.Mask):
		return "mask not sorted"
	}
	return ""
}

type request struct {
	p Principal
	a Action
	r Resource
}

// probes returns a grid of requests, valid and not, using the units the
// policy's rules name.
func probes(p *Policy) []request { return grid(p, true) }

// grid returns the full grid of probes, or with small set a grid small
// enough to run for every fuzz input.
func grid(p *Policy, full bool) []request {
	units := []string{"", "analysis", "other"}
	clearances := []Level{"", Standard, Restricted}
	datasets := []string{"victims", "aggregates"}
	categories := [][]string{{"ngo"}, {"intelligence"}, {"police", "ngo"}, nil}
	classes := []Level{Standard, Restricted, ""}
	owners := []string{"", "ngo-lastrada", "police-cz"}
	if !full {
		units, clearances, datasets = []string{"analysis"}, []Level{Standard, Restricted}, []string{"victims"}
		categories, classes, owners = [][]string{{"ngo"}, {"police", "intelligence"}}, []Level{Standard, Restricted}, []string{"", "ngo-lastrada"}
	}
	if p != nil {
		for _, ru := range p.rules {
			for _, u := range ru.units {
				if !slices.Contains(units, u) {
					units = append(units, u)
				}
			}
		}
	}
	var principals []Principal
	for _, role := range append(slices.Clone(roles), "admin") {
		for _, cl := range clearances {
			for _, u := range units {
				pr := Principal{Role: role, Clearance: cl, Unit: u}
				if role == Partner {
					pr.Partner = "ngo-lastrada"
					principals = append(principals, Principal{Role: role, Clearance: cl, Unit: u}) // invalid: no id
				}
				principals = append(principals, pr)
			}
		}
	}
	var resources []Resource
	for _, k := range kinds {
		if !k.hasData() {
			resources = append(resources, Resource{Kind: k})
			continue
		}
		for _, ds := range datasets {
			for _, cats := range categories {
				for _, cl := range classes {
					for _, owner := range owners {
						r := Resource{Kind: k, Dataset: ds, Categories: cats, Classification: cl, Partner: owner}
						resources = append(resources, r)
						if k == KindAggregates {
							resources = append(resources, audience(r, Internal), audience(r, Publication))
						}
					}
				}
			}
		}
	}
	var out []request
	for _, pr := range principals {
		for _, a := range actions {
			for _, r := range resources {
				out = append(out, request{pr, a, r})
			}
		}
	}
	return out
}

// TestDemoShipped: the demo policy parses and names the demo's personas.
func TestDemoShipped(t *testing.T) {
	p := demo(t)
	var ids []string
	for _, ru := range p.rules {
		ids = append(ids, ru.id)
	}
	for _, want := range []string{"analyst-records", "analyst-aggregates", "officer-trust", "auditor-log"} {
		if !slices.Contains(ids, want) {
			t.Errorf("the demo policy has no rule %s (has %v)", want, ids)
		}
	}
}
