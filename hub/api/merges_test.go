package api_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/report"
)

// mergeFixture is the seeded fixture with one merge version made.
func mergeFixture(t *testing.T) *fixture {
	t.Helper()
	var f *fixture
	f = newFixture(t, func(c *api.Config) {
		c.Expected = func() []report.Expectation {
			return []report.Expectation{{Partner: "ngo-a", Category: "ngo", Datasets: []string{"victims"}},
				{Partner: "police-b", Category: "police", Datasets: []string{"victims"}}}
		}
	})
	_, _, err := report.Run(context.Background(), report.Config{Store: f.st, Salt: []byte("0123456789abcdef0123"),
		Categories: map[string]string{"ngo-a": "ngo", "embassy-c": "embassy"}})
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
	if len(list) != 1 || list[0].Version != 1 || list[0].Inputs != 3 {
		t.Fatalf("merges %+v, want version 1 of 3 inputs", list)
	}
	var detail struct {
		Version int64    `json:"version"`
		Tables  []string `json:"tables"`
		Inputs  []struct {
			Partner string `json:"partner"`
		} `json:"inputs"`
	}
	wantJSON(t, f.get(t, "/api/v1/merges/latest", testToken), http.StatusOK, &detail)
	if detail.Version != 1 || len(detail.Inputs) != 3 || !strings.Contains(strings.Join(detail.Tables, " "), "overlap_by_sex") {
		t.Fatalf("detail %+v", detail)
	}

	// A table as JSON and CSV; the standard scope leaves the restricted
	// submission's record out: 5 standard records, each its own person.
	var tab report.Output
	wantJSON(t, f.get(t, "/api/v1/merges/1/tables/persons_by_sex", testToken), http.StatusOK, &tab)
	total := 0
	for _, r := range tab.Rows {
		if r.Keys[0] == "all" {
			total += *r.Count
		}
	}
	if total != 5 {
		t.Errorf("persons_by_sex pooled total %d, want the 5 standard records", total)
	}
	rec := f.get(t, "/api/v1/merges/1/tables/persons_by_sex?format=csv", testToken)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || strings.Join(rows[0], ",") != "period,sex,count,flag" {
		t.Fatalf("CSV %q, %v", rows, err)
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

	// Merged records carry their person; the restricted one is not there,
	// and formula-looking cells are neutralised.
	rec = f.get(t, "/api/v1/merges/1/records?format=csv", testToken)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(body, `"person","partner","submission","n",`) {
		t.Fatalf("merged records: %d %.200s", rec.Code, body)
	}
	if strings.Contains(body, restrictedSource) || !strings.Contains(body, `x;'=cmd`) || strings.Count(body, `"p_`) != 5 {
		t.Errorf("merged records:\n%s", body)
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
}

func TestMergeRouteErrors(t *testing.T) {
	f := mergeFixture(t)
	wantError(t, f.get(t, "/api/v1/merges/0", testToken), http.StatusBadRequest, "invalid version")
	wantError(t, f.get(t, "/api/v1/merges/01", testToken), http.StatusBadRequest, "invalid version")
	wantError(t, f.get(t, "/api/v1/merges/2", testToken), http.StatusNotFound, "not found")
	wantError(t, f.get(t, "/api/v1/merges/1/tables/nosuch", testToken), http.StatusNotFound, "not found")
	wantError(t, f.get(t, "/api/v1/merges/1/tables?format=csv", testToken), http.StatusBadRequest, "invalid format")
	wantError(t, f.get(t, "/api/v1/completeness?format=pdf", testToken), http.StatusBadRequest, "invalid format")
	wantError(t, f.get(t, "/api/v1/merges", ""), http.StatusUnauthorized, "unauthorized")
	// Without merges configured, the routes are not there.
	plain := newFixture(t, func(c *api.Config) { c.Merges = nil })
	wantError(t, plain.get(t, "/api/v1/merges", testToken), http.StatusNotFound, "not found")
}
