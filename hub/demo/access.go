package demo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/server"
	"github.com/thbx/thbx/policy"
)

// demoPolicy is the access policy the demo's hub runs under: a copy of
// testdata/policy/demo.yaml (TestDemoPolicyIsShipped keeps them the same).
//
//go:embed policy.yaml
var demoPolicy []byte

// persona is one of the demo's API clients, with its token.
type persona struct {
	name, role, clearance, unit string
	scopes                      []string
	token                       string
}

// personas are the demo's clients: two analysts asking the same
// questions with different grants, a security officer and an auditor.
func personas() []*persona {
	return []*persona{
		{name: "analyst-records", role: auth.RoleAnalyst, clearance: "restricted", unit: "analysis",
			scopes: []string{auth.ScopeReadRecords, auth.ScopeReadAggregates, auth.ScopeExport}},
		{name: "analyst-aggregates", role: auth.RoleAnalyst, clearance: "standard", unit: "statistics",
			scopes: []string{auth.ScopeReadRecords, auth.ScopeReadAggregates, auth.ScopeExport}},
		{name: "security-officer", role: auth.RoleSecurityOfficer, clearance: "standard",
			scopes: []string{auth.ScopeReadSubmissions}},
		{name: "auditor", role: auth.RoleAuditor, scopes: []string{auth.ScopeReadAudit}},
	}
}

// setUpAccess writes the demo's policy and tokens file into the hub's
// directory and sets them in cfg.
func setUpAccess(dir string, cfg *server.Config, ps []*persona) error {
	hubDir := filepath.Join(dir, "hub")
	cfg.Policy = filepath.Join(hubDir, "policy.yaml")
	cfg.PolicySHA256 = policy.Digest(demoPolicy)
	if err := certs.WriteFileAtomic(cfg.Policy, demoPolicy, 0o644); err != nil {
		return err
	}
	cfg.Auth.TokensFile = filepath.Join(hubDir, "tokens.yaml")
	now := time.Now()
	for _, p := range ps {
		tok, e, err := auth.MintToken(nil, now, auth.TokenEntry{Name: p.name, Roles: []string{p.role}, Scopes: p.scopes,
			Clearance: p.clearance, Unit: p.unit, Expires: now.Add(30 * 24 * time.Hour)})
		if err != nil {
			return err
		}
		if err := auth.AddToken(cfg.Auth.TokensFile, e); err != nil {
			return err
		}
		p.token = tok
	}
	return nil
}

// showAccess asks the hub's API the same question as each analyst, in
// process, and prints what each gets: the policy decides.
func showAccess(h *server.Hub, ps []*persona, out io.Writer) error {
	fmt.Fprintf(out, "\n7. the API answers under the access policy (%s): the same request, GET /api/v1/merges/latest/victims,\n", "testdata/policy/demo.yaml")
	for _, p := range ps[:2] {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/api/v1/merges/latest/victims", nil)
		req.Header.Set("Authorization", "Bearer "+p.token)
		h.API.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return fmt.Errorf("%s: status %d: %s", p.name, rec.Code, rec.Body)
		}
		var view struct {
			Level   string `json:"level"`
			Records []struct {
				Person string         `json:"person"`
				Record map[string]any `json:"record"`
			} `json:"records"`
			Tables []report.Output `json:"tables"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &view); err != nil {
			return err
		}
		switch view.Level {
		case "records":
			persons := map[string]bool{}
			for _, r := range view.Records {
				persons[r.Person] = true
			}
			fields := []string{}
			if len(view.Records) > 0 {
				for f := range view.Records[0].Record {
					fields = append(fields, f)
				}
			}
			slices.Sort(fields)
			fmt.Fprintf(out, "   %-18s (analyst, restricted clearance): record-level data, %d records of %d persons, masked fields left out;\n", p.name, len(view.Records), len(persons))
			fmt.Fprintf(out, "   %-18s   fields: %s\n", "", strings.Join(fields, " "))
		case "aggregates":
			fmt.Fprintf(out, "   %-18s (analyst, standard clearance): aggregates only, %d tables at the publication threshold (counts 1-%d suppressed),\n", p.name, len(view.Tables), view.Tables[0].Threshold)
			for _, t := range view.Tables {
				if t.Name == "persons_by_citizenship_group" {
					fmt.Fprintf(out, "   %-18s   persons_by_citizenship_group, %d: %s\n", "", demoYear, cells(t, fmt.Sprint(demoYear)))
				}
			}
		}
	}
	return nil
}

// cells prints a table's cells of one period as value=count, with "c"
// for a suppressed count.
func cells(t report.Output, period string) string {
	var parts []string
	for _, r := range t.Rows {
		if r.Keys[0] != period {
			continue
		}
		n := report.SuppressedMark + " (" + r.Suppressed + ")"
		if r.Count != nil {
			n = fmt.Sprint(*r.Count)
		}
		parts = append(parts, r.Keys[1]+"="+n)
	}
	return strings.Join(parts, ", ")
}
