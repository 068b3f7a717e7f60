package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/auth/authtest"
)

// The decision table at the API: who asks, for what, and what comes
// back, under testdata/policy.yaml.
func TestAccessDecisions(t *testing.T) {
	f := mergeFixture(t)
	const (
		records = "/api/v1/datasets/victims/periods/2025-Q1/records"
		table   = "/api/v1/merges/latest/tables/persons_by_sex"
	)
	for _, tc := range []struct {
		who, token, target string
		status             int
		has, hasNot        string
	}{
		// An analyst cleared for standard data: standard records, not
		// restricted ones; tables; no audit log.
		{"analyst", testToken, records, 200, "ngo-a", "embassy-c"},
		{"analyst", testToken, records + "?format=csv", 200, "ngo-a", restrictedSource},
		{"analyst", testToken, table, 200, `"threshold":2`, ""},
		{"analyst", testToken, "/api/v1/audit", 403, "forbidden", ""},
		// The head of unit, cleared for restricted data: restricted records
		// too, masked; tables at the publication threshold.
		{"head", headToken, records, 200, "embassy-c", "status_source"},
		{"head", headToken, table, 200, `"threshold":3`, ""},
		// The auditor reads the audit log and nothing else.
		{"auditor", auditToken, "/api/v1/audit", 200, `"action":`, ""},
		{"auditor", auditToken, records, 403, "forbidden", ""},
		{"auditor", auditToken, table, 403, "forbidden", ""},
		{"auditor", auditToken, "/api/v1/submissions", 403, "forbidden", ""},
		// A partner sees its own submissions, nobody else's, and no data.
		{"partner", partnerToken, "/api/v1/submissions?partner=ngo-a", 200, "ngo-a", "police-b"},
		{"partner", partnerToken, "/api/v1/submissions?partner=police-b", 200, "ngo-a", "police-b"},
		{"partner", partnerToken, "/api/v1/submissions?limit=1", 200, "ngo-a", "police-b"},
		{"partner", partnerToken, "/api/v1/quarantine", 403, "forbidden", ""},
		{"partner", partnerToken, records, 403, "forbidden", ""},
		// A token scoped to tables gets tables and no records, whatever
		// its role may do, and may not export them either.
		{"scoped", scopedToken, table, 200, `"threshold":2`, ""},
		{"scoped", scopedToken, records, 403, "forbidden", ""},
		{"scoped", scopedToken, records + "?format=csv", 403, "forbidden", ""},
		{"scoped", scopedToken, table + "?format=csv", 403, "forbidden", ""},
		// An empty period is a decision too: the auditor may not learn
		// that it is empty.
		{"analyst", testToken, "/api/v1/datasets/victims/periods/2019/records", 200, "[]", ""},
		{"auditor", auditToken, "/api/v1/datasets/victims/periods/2019/records", 403, "forbidden", ""},
		// An expired token is no token.
		{"expired", expiredToken, "/api/v1/submissions", 401, "unauthorized", ""},
	} {
		rec := f.get(t, tc.target, tc.token)
		body := rec.Body.String()
		if rec.Code != tc.status || !strings.Contains(body, tc.has) || (tc.hasNot != "" && strings.Contains(body, tc.hasNot)) {
			t.Errorf("%s GET %s: status %d, want %d with %q and without %q:\n%.300s", tc.who, tc.target, rec.Code, tc.status, tc.has, tc.hasNot, body)
		}
	}
}

// Every decision is in the audit log before its answer leaves: who (by
// fingerprint), what, the decision, its reason and the rule.
func TestDecisionsAudited(t *testing.T) {
	f := mergeFixture(t)
	f.get(t, "/api/v1/datasets/victims/periods/2025-Q1/records", testToken)
	f.get(t, "/api/v1/merges/latest/tables/persons_by_sex?format=csv", testToken)
	f.get(t, "/api/v1/audit", partnerToken)
	res, err := f.audit.List(audit.Filter{}, audit.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range res.Entries {
		lines = append(lines, strings.Join([]string{string(e.Action), string(e.Decision), e.Reason, e.Rule,
			e.Resource.Dataset, e.Resource.Format, e.Details["partner"], e.Details["classification"]}, " "))
		if e.Actor.Subject == "" || len(e.Actor.Subject) != 12 {
			t.Errorf("entry %d names its actor %q, want a fingerprint", e.Seq, e.Actor.Subject)
		}
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		"read_records deny clearance_too_low  victims json embassy-c restricted",
		"read_records allow granted analyst-records victims json ngo-a standard",
		"export allow granted analyst-tables victims csv  ",
		"read_audit deny no_matching_grant     ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("audit log lacks %q:\n%s", want, got)
		}
	}
	for _, tok := range []string{testToken, partnerToken} {
		if strings.Contains(got, tok) {
			t.Error("the audit log holds a token")
		}
	}
}

// If the audit log refuses a decision, nothing is served.
func TestAuditFailureServesNothing(t *testing.T) {
	f := newFixture(t)
	f.audit.Close()
	rec := f.get(t, "/api/v1/datasets/victims/periods/2025-Q1/records", testToken)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "ngo-a") {
		t.Fatalf("status %d body %s", rec.Code, rec.Body)
	}
}

// OIDC bearer tokens from an in-process issuer: a valid one is a
// principal the policy decides on; an expired one and one for another
// audience are refused.
func TestOIDCBearer(t *testing.T) {
	iss := authtest.NewIssuer(t)
	a, err := auth.New(auth.Config{OIDC: &auth.OIDCConfig{IssuerURL: iss.URL, Audience: authtest.Audience}})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(c *api.Config) { c.Auth = a })
	claims := iss.Claims("jana.analyst", time.Now(), "analyst")
	claims["clearance"] = "standard"
	if rec := f.get(t, "/api/v1/datasets/victims/periods/2025-Q1/records", iss.Issue(claims)); rec.Code != http.StatusOK ||
		strings.Contains(rec.Body.String(), "embassy-c") {
		t.Errorf("valid OIDC token: %d %s", rec.Code, rec.Body)
	}
	expired := iss.Claims("jana.analyst", time.Now().Add(-time.Hour), "analyst")
	wantError(t, f.get(t, "/api/v1/submissions", iss.Issue(expired)), http.StatusUnauthorized, "unauthorized")
	other := iss.Claims("jana.analyst", time.Now(), "analyst")
	other["aud"] = "another-service"
	wantError(t, f.get(t, "/api/v1/submissions", iss.Issue(other)), http.StatusUnauthorized, "unauthorized")
	auditor := iss.Claims("olga.auditor", time.Now(), "auditor")
	wantError(t, f.get(t, "/api/v1/datasets/victims/periods/2025-Q1/records", iss.Issue(auditor)), http.StatusForbidden, "forbidden")
}
