package api_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/submission/schema"

	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/store"
)

const recordsQ1 = "/api/v1/datasets/victims/periods/2025-Q1/records"

type envelope struct {
	Partner    string         `json:"partner"`
	Submission string         `json:"submission"`
	N          int64          `json:"n"`
	Record     map[string]any `json:"record"`
}

func TestRecordsJSON(t *testing.T) {
	f := newFixture(t)
	for _, rec := range []*httptest.ResponseRecorder{
		f.get(t, recordsQ1, testToken),
		f.get(t, recordsQ1+"?format=json", testToken),
		f.get(t, recordsQ1, testToken, "Accept", "application/json"),
		f.get(t, recordsQ1, testToken, "Accept", "text/csv;q=0.5, application/json"),
		f.get(t, recordsQ1+"?format=json", testToken, "Accept", "text/csv"),
	} {
		var got []envelope
		wantJSON(t, rec, http.StatusOK, &got)
		// Only ngo-a's accepted Q1 records: not police-b's rejected
		// submission, not ngo-a's Q2.
		if len(got) != 2 || got[0].Partner != "ngo-a" || got[0].Submission != subA1 || got[0].N != 1 || got[1].N != 2 {
			t.Fatalf("records %+v", got)
		}
		r := got[0].Record
		if r["status_source"] != formulaSource || r["birth_year"] != float64(1999) ||
			fmt.Sprint(r["exploitation"]) != "[sexual labour]" {
			t.Errorf("record 1 is %v", r)
		}
		if rec.Header().Get("Content-Disposition") != "" {
			t.Error("JSON export sent as an attachment")
		}
	}
	e := f.logs.find(t, "export")
	if e["dataset"] != "victims" || e["period"] != "2025-Q1" || e["records"] != float64(2) || e["format"] != "json" {
		t.Fatalf("export logged as %v", e)
	}
}

func TestRecordsEmpty(t *testing.T) {
	f := newFixture(t)
	const target = "/api/v1/datasets/victims/periods/1999/records"
	if rec := f.get(t, target, testToken); rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Errorf("empty JSON export: %d %q", rec.Code, rec.Body)
	}
	rows := wantCSV(t, f.get(t, target+"?format=csv", testToken), "thbx-victims-1999.csv")
	if len(rows) != 1 {
		t.Errorf("empty CSV export has %d rows", len(rows))
	}
}

func TestRecordsCSV(t *testing.T) {
	f := newFixture(t)
	for _, rec := range []*httptest.ResponseRecorder{
		f.get(t, recordsQ1+"?format=csv", testToken),
		f.get(t, recordsQ1, testToken, "Accept", "text/csv"),
		f.get(t, recordsQ1, testToken, "Accept", "application/json;q=0.1, text/csv"),
		f.get(t, recordsQ1+"?format=csv", testToken, "Accept", "application/json"),
	} {
		rows := wantCSV(t, rec, "thbx-victims-2025-Q1.csv")
		want := [][]string{
			{"partner", "submission", "n", "status_source", "status", "decided_by", "sex", "birth_year",
				"age_group", "citizenship", "exploitation", "identified_on", "linkage_keys"},
			// The formula and the cell starting with a linkage key that
			// starts with "-" are neutralised; a "-" inside a cell is not
			// a formula.
			{"ngo-a", subA1, "1", "'" + formulaSource, "actual", "ngo", "F", "1999",
				"adult", "NG", "sexual|labour", "2025-02", "k2BBBBBBBBBBBBBBBBBB|-k1AAAAAAAAAAAAAAAAA"},
			{"ngo-a", subA1, "2", `victim, "presumed"`, "possible", "", "M", "",
				"child", "XX", "", "", "'-k3CCCCCCCCCCCCCCCCC"},
		}
		if !slices.EqualFunc(firstColumns(t, rows, len(want[0])), want, slices.Equal) {
			t.Fatalf("CSV rows\n%q\nwant\n%q", rows, want)
		}
	}
	wantNoFormula(t, f.get(t, recordsQ1+"?format=csv", testToken).Body.String())
}

// wantNoFormula checks a CSV body as a careless reader would split it,
// at every separator and line break, quotes or not: no part may start a
// formula, once the quote that opens a quoted cell is set aside.
func wantNoFormula(t *testing.T, body string) {
	t.Helper()
	parts := strings.FieldsFunc(body, func(r rune) bool { return strings.ContainsRune(",;\t\r\n", r) })
	for _, part := range parts {
		part = strings.TrimPrefix(part, `"`)
		if part != "" && strings.ContainsRune("=+-@", rune(part[0])) {
			t.Errorf("part %q of the CSV would be a formula:\n%s", part, body)
		}
	}
}

// A ';' is a list separator in many locales and encoding/csv does not
// quote it; a cell holding one, or a line break, must not let a formula
// through.
func TestRecordsCSVSeparatorBypass(t *testing.T) {
	f := newFixture(t)
	rec := f.get(t, "/api/v1/datasets/victims/periods/2025-Q2/records?format=csv", testToken)
	body := rec.Body.String()
	rows := wantCSV(t, rec, "thbx-victims-2025-Q2.csv")
	want := [][]string{
		{"partner", "submission", "n", "status_source", "status", "decided_by", "sex", "birth_year",
			"age_group", "citizenship", "exploitation", "identified_on", "linkage_keys"},
		{"ngo-a", subA2, "1", "", "actual", "", "U", "", "unknown", "UA", "", "", ""},
		{"ngo-a", subA2, "2", `x;'=cmd|'/c calc'!A1`, "actual", "", "F", "", "adult", "UA", "", "", ""},
		{"ngo-a", subA2, "3", "first line\n'=HYPERLINK(\"http://evil.example/\")", "actual", "", "M", "", "adult", "UA", "", "", ""},
	}
	if !slices.EqualFunc(firstColumns(t, rows, len(want[0])), want, slices.Equal) {
		t.Fatalf("CSV rows\n%q\nwant\n%q", rows, want)
	}
	// Every cell is quoted and every line ends in CRLF, so no separator
	// inside a cell can split it.
	wantLine := `"ngo-a","` + subA2 + `","2","x;'=cmd|'/c calc'!A1","actual","","F","","adult","UA","","",""` +
		strings.Repeat(`,""`, len(rows[0])-13) + "\r\n"
	if !strings.Contains(body, wantLine) {
		t.Errorf("CSV lacks the line %q:\n%q", wantLine, body)
	}
	wantNoFormula(t, body)
}

// A reader cleared for standard data gets only standard submissions'
// records: the accepted restricted submission of embassy-c never shows.
func TestRecordsRestrictedNeverExported(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{recordsQ1, recordsQ1 + "?format=json", recordsQ1 + "?format=csv",
		"/api/v1/datasets/victims/periods/2025-Q2/records?format=csv", "/api/v1/datasets/victims/periods/2025/records"} {
		rec := f.get(t, target, testToken)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		if body := rec.Body.String(); strings.Contains(body, restrictedSource) || strings.Contains(body, "embassy-c") || strings.Contains(body, subC1) {
			t.Errorf("%s exports a restricted record:\n%s", target, body)
		}
	}
	// To a reader cleared for restricted data the submission itself is
	// listed: its metadata is not its records.
	var subs []store.Submission
	wantJSON(t, f.get(t, "/api/v1/submissions?partner=embassy-c", headToken), http.StatusOK, &subs)
	if len(subs) != 1 || subs[0].Classification != "restricted" || subs[0].Records != 1 {
		t.Fatalf("restricted submission listed as %+v", subs)
	}
}

// wantCSV checks an export's headers and parses it.
func wantCSV(t *testing.T, rec *httptest.ResponseRecorder, filename string) [][]string {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	h := rec.Header()
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd, want := h.Get("Content-Disposition"), `attachment; filename="`+filename+`"`; cd != want {
		t.Fatalf("Content-Disposition %q, want %q", cd, want)
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestRecordsBadPath(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		dataset, period string
		status          int
		msg             string
	}{
		{"suspects", "2025-Q1", http.StatusNotFound, "not found"},
		{"victims_v2", "2025", http.StatusNotFound, "not found"},
		{"Victims", "2025-Q1", http.StatusBadRequest, "invalid dataset"},
		{"victims%2F1", "2025-Q1", http.StatusBadRequest, "invalid dataset"},
		{"..", "2025-Q1", http.StatusBadRequest, "invalid dataset"},
		{strings.Repeat("v", 33), "2025-Q1", http.StatusBadRequest, "invalid dataset"},
		{"victims", "2025-Q5", http.StatusBadRequest, "invalid period"},
		{"victims", "2025-13", http.StatusBadRequest, "invalid period"},
		{"victims", "1899", http.StatusBadRequest, "invalid period"},
		{"victims", "2025-q1", http.StatusBadRequest, "invalid period"},
		{"victims", "2025-Q1%0A", http.StatusBadRequest, "invalid period"},
		{"victims", "2025-Q1%22%3B%20x%3D", http.StatusBadRequest, "invalid period"},
	} {
		target := "/api/v1/datasets/" + tc.dataset + "/periods/" + tc.period + "/records?format=csv"
		rec := f.get(t, target, testToken)
		wantError(t, rec, tc.status, tc.msg)
		if rec.Header().Get("Content-Disposition") != "" {
			t.Errorf("%s: refusal labelled as attachment", target)
		}
	}
}

func TestRecordsDamagedRowIsInternalError(t *testing.T) {
	bad := &fakeStore{records: func(fn func(store.Record) error) error {
		return fn(store.Record{Partner: "ngo-a", Submission: subA1, N: 1, Data: `["not", "an", "object"]`, Classification: "standard"})
	}}
	f := newFixture(t, func(c *api.Config) { c.Store = bad })
	for _, format := range []string{"json", "csv"} {
		wantError(t, f.get(t, recordsQ1+"?format="+format, testToken), http.StatusInternalServerError, "internal error")
	}
}

// An export that fails after its first byte must not end like a complete
// one: the client has to see the body cut off.
func TestRecordsFailureMidStreamAborts(t *testing.T) {
	errMid := errors.New("database went away mid-export")
	many := &fakeStore{records: func(fn func(store.Record) error) error {
		for i := range 5000 { // well past any buffer, so the response has begun
			data := `{"status":"actual","sex":"F","age_group":"adult","citizenship":"NG","status_source":"padding padding padding"}`
			if err := fn(store.Record{Partner: "ngo-a", Submission: subA1, N: int64(i + 1), Data: data, Classification: "standard"}); err != nil {
				return err
			}
		}
		return errMid
	}}
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			f := newFixture(t, func(c *api.Config) { c.Store = many })
			srv := httptest.NewServer(f.e)
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+recordsQ1+"?format="+format, nil)
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			body, err := io.ReadAll(resp.Body)
			if err == nil {
				t.Fatalf("truncated export of %d bytes read without error", len(body))
			}
			srv.Close() // wait for the handler, and its log lines
			e := f.logs.find(t, "response cut short")
			if e["level"] != "ERROR" || !strings.Contains(e["err"].(string), errMid.Error()) {
				t.Fatalf("abort logged as %v", e)
			}
			f.logs.find(t, "request aborted")
		})
	}
}

// firstColumns checks that the rows have one column per schema field
// after partner, submission and n, that the fields these records leave
// unset are empty, and returns the first n columns.
func firstColumns(t *testing.T, rows [][]string, n int) [][]string {
	t.Helper()
	d, err := schema.Current("victims")
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		if len(r) != 3+len(d.Fields) {
			t.Fatalf("row %d has %d columns, want %d", i, len(r), 3+len(d.Fields))
		}
		for j, c := range r[n:] {
			if i > 0 && c != "" {
				t.Fatalf("row %d: column %s is %q, want empty", i, rows[0][n+j], c)
			}
		}
		out[i] = r[:n]
	}
	return out
}
