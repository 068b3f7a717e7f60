package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
)

// mergeFixture is the seeded fixture with one merge version made.
func mergeFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, func(c *api.Config) {
		c.Expected = func() []report.Expectation {
			return []report.Expectation{{Partner: "ngo-a", Category: "ngo", Datasets: []string{"victims"}},
				{Partner: "police-b", Category: "police", Datasets: []string{"victims"}}}
		}
	})
	_, _, err := report.Run(context.Background(), report.Config{Store: f.st, Salt: []byte("0123456789abcdef0123"),
		Categories: testCategories()})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMergeRoutes(t *testing.T) {
	f := mergeFixture(t)
	var list []struct {
		Version int64 `json:"version"`
		Inputs  int   `json:"inputs"`
	}
	wantJSON(t, f.get(t, "/api/v1/merges", testToken), http.StatusOK, &list)
	if len(list) != 1 || list[0].Version != 1 || list[0].Inputs != 2 {
		t.Fatalf("merges %+v, want version 1 of the 2 standard inputs", list)
	}
	if body := f.get(t, "/api/v1/merges", testToken).Body.String(); strings.Contains(body, "persons") || strings.Contains(body, "embassy") {
		t.Errorf("the listing tells counts or restricted sources: %s", body)
	}
	// The provenance a reader sees is of the scope of its clearance.
	var detail struct {
		Version int64    `json:"version"`
		Tables  []string `json:"tables"`
		Inputs  []struct {
			Partner string `json:"partner"`
		} `json:"inputs"`
	}
	wantJSON(t, f.get(t, "/api/v1/merges/latest", testToken), http.StatusOK, &detail)
	if detail.Version != 1 || len(detail.Inputs) != 2 || !strings.Contains(strings.Join(detail.Tables, " "), "overlap_by_sex") {
		t.Fatalf("detail %+v", detail)
	}
	wantJSON(t, f.get(t, "/api/v1/merges/latest", headToken), http.StatusOK, &detail)
	if len(detail.Inputs) != 3 {
		t.Fatalf("restricted clearance sees %d inputs, want 3", len(detail.Inputs))
	}

	// A table as JSON, under the internal threshold of the analyst's grant:
	// every count of 1 or 2 is suppressed, none shown as a number.
	var tab report.Output
	wantJSON(t, f.get(t, "/api/v1/merges/1/tables/persons_by_sex", testToken), http.StatusOK, &tab)
	if tab.Threshold != 2 || tab.Audience != "internal" {
		t.Fatalf("threshold %d audience %q, want 2 internal", tab.Threshold, tab.Audience)
	}
	hasTotal := false
	for _, r := range tab.Rows {
		if r.Count != nil && *r.Count > 0 && *r.Count <= 2 {
			t.Errorf("%v: count %d published", r.Keys, *r.Count)
		}
		if (r.Count == nil) != (r.Suppressed != "") {
			t.Errorf("%v: count %v, suppressed %q", r.Keys, r.Count, r.Suppressed)
		}
		if r.Keys[0] == "all" && r.Keys[1] == report.TotalKey {
			hasTotal = true
			if r.Count != nil && *r.Count != 5 {
				t.Errorf("pooled total %d, want the 5 standard records", *r.Count)
			}
		}
	}
	if !hasTotal {
		t.Error("no pooled total")
	}
	// As CSV: a suppressed count is "c" with its reason, never a zero.
	rec := f.get(t, "/api/v1/merges/1/tables/persons_by_sex?format=csv", testToken)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || strings.Join(rows[0], ",") != "period,sex,count,flag" {
		t.Fatalf("CSV %q, %v", rows, err)
	}
	for _, r := range rows[1:] {
		if (r[2] == "c") != (r[3] == "primary" || r[3] == "secondary") {
			t.Errorf("CSV row %q", r)
		}
	}

	// Every table as one workbook.
	rec = f.get(t, "/api/v1/merges/latest/tables?format=xlsx", testToken)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("XLSX: %d %s", rec.Code, rec.Header())
	}
	book, err := excelize.OpenReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(book.GetSheetList()); n != len(detail.Tables) {
		t.Errorf("workbook has %d sheets, want %d tables", n, len(detail.Tables))
	}

	// Merged records carry their person; the restricted one is not there
	// for a standard-clearance analyst, and formula-looking cells are
	// neutralised.
	rec = f.get(t, "/api/v1/merges/1/records?format=csv", testToken)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(body, `"person","partner","submission","n",`) {
		t.Fatalf("merged records: %d %.200s", rec.Code, body)
	}
	if strings.Contains(body, restrictedSource) || !strings.Contains(body, `x;'=cmd`) || strings.Count(body, `"p_`) != 5 {
		t.Errorf("merged records:\n%s", body)
	}
	// The head of unit, cleared for restricted data, gets it, masked.
	rec = f.get(t, "/api/v1/merges/1/records", headToken)
	body = rec.Body.String()
	if rec.Code != http.StatusOK || strings.Count(body, `"p_`) != 6 || strings.Contains(body, "status_source") || strings.Contains(body, "linkage_keys") {
		t.Errorf("merged records for the head of unit: %d\n%s", rec.Code, body)
	}

	// Completeness: police-b was expected and sent only a rejected one.
	var comp report.Output
	wantJSON(t, f.get(t, "/api/v1/completeness", testToken), http.StatusOK, &comp)
	got := map[string]int{}
	for _, r := range comp.Rows {
		got[r.Keys[0]+" "+r.Keys[3]+" "+r.Keys[4]] = *r.Count
	}
	if got["police-b 2025-Q1 rejected"] != 1 || got["police-b 2025-Q1 accepted"] != 0 || got["ngo-a 2025-Q2 accepted"] != 1 {
		t.Errorf("completeness %v", got)
	}
	// The restricted partner's row is for readers cleared for it.
	for _, r := range comp.Rows {
		if r.Keys[0] == "embassy-c" {
			t.Errorf("standard clearance sees completeness row %v", r.Keys)
		}
	}
}

// The same request gives each reader the finest view the policy allows:
// records to the cleared head of unit, suppressed tables to an analyst
// whose token is scoped to tables, nothing to the auditor.
func TestVictimsView(t *testing.T) {
	f := mergeFixture(t)
	type view struct {
		Level   string            `json:"level"`
		Records []json.RawMessage `json:"records"`
		Tables  []report.Output   `json:"tables"`
	}
	var v view
	wantJSON(t, f.get(t, "/api/v1/merges/latest/victims", headToken), http.StatusOK, &v)
	if v.Level != "records" || len(v.Records) != 6 || len(v.Tables) != 0 {
		t.Fatalf("head of unit: level %q, %d records, %d tables", v.Level, len(v.Records), len(v.Tables))
	}
	v = view{}
	wantJSON(t, f.get(t, "/api/v1/merges/latest/victims", scopedToken), http.StatusOK, &v)
	if v.Level != "aggregates" || len(v.Records) != 0 || len(v.Tables) == 0 {
		t.Fatalf("scoped analyst: level %q, %d records, %d tables", v.Level, len(v.Records), len(v.Tables))
	}
	for _, tab := range v.Tables {
		if tab.Threshold < 2 || report.TableDataset(tab.Name) != report.Victims {
			t.Errorf("%s: threshold %d", tab.Name, tab.Threshold)
		}
	}
	wantError(t, f.get(t, "/api/v1/merges/latest/victims", auditToken), http.StatusForbidden, "forbidden")
}

func TestMergeRouteErrors(t *testing.T) {
	f := mergeFixture(t)
	wantError(t, f.get(t, "/api/v1/merges/0", testToken), http.StatusBadRequest, "invalid version")
	wantError(t, f.get(t, "/api/v1/merges/01", testToken), http.StatusBadRequest, "invalid version")
	wantError(t, f.get(t, "/api/v1/merges/2", testToken), http.StatusNotFound, "not found")
	wantError(t, f.get(t, "/api/v1/merges/1/tables/nosuch", testToken), http.StatusNotFound, "not found")
	wantError(t, f.get(t, "/api/v1/merges/1/tables?format=csv", testToken), http.StatusBadRequest, "invalid format")
	wantError(t, f.get(t, "/api/v1/merges/1/tables?audience=everyone", testToken), http.StatusBadRequest, "invalid audience")
	wantError(t, f.get(t, "/api/v1/completeness?format=pdf", testToken), http.StatusBadRequest, "invalid format")
	wantError(t, f.get(t, "/api/v1/merges", ""), http.StatusUnauthorized, "unauthorized")
	// Without merges configured, the routes are not there.
	plain := newFixture(t, func(c *api.Config) { c.Merges = nil })
	wantError(t, plain.get(t, "/api/v1/merges", testToken), http.StatusNotFound, "not found")
}

// Tables of an earlier version go only to readers who may read records:
// an aggregates-only reader could subtract two versions protected one
// by one.
func TestEarlierVersionTables(t *testing.T) {
	f := mergeFixture(t)
	// A second version: ngo-a resubmits 2025-Q2 with one record fewer.
	ctx := context.Background()
	sub := store.Submission{Partner: "ngo-a", ID: "01JD4SD0000000000000000000", Sequence: 3, ManifestHash: "hash-3",
		Manifest: []byte("m"), KeyID: "kid-1", Dataset: "victims", Period: "2025-Q2", Schema: "victims/1",
		Classification: "standard", Created: t0, Status: "accepted", Decided: t0.Add(time.Hour), Records: 1}
	tx, err := f.st.Begin(ctx, &sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AddRecord(ctx, 1, []byte(`{"status":"actual","sex":"M","age_group":"adult","citizenship":"UA"}`)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, made, err := report.Run(ctx, report.Config{Store: f.st, Salt: []byte("0123456789abcdef0123"), Categories: testCategories()}); err != nil || !made {
		t.Fatalf("second version: %v %v", made, err)
	}
	if rec := f.get(t, "/api/v1/merges/2/tables/persons_by_sex", scopedToken); rec.Code != http.StatusOK {
		t.Fatalf("latest version to an aggregates-only token: %d", rec.Code)
	}
	wantError(t, f.get(t, "/api/v1/merges/1/tables/persons_by_sex", scopedToken), http.StatusForbidden, "forbidden")
	if rec := f.get(t, "/api/v1/merges/1/tables/persons_by_sex", testToken); rec.Code != http.StatusOK {
		t.Fatalf("earlier version to a reader of records: %d", rec.Code)
	}
}
