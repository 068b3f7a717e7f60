package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
)

func TestNewNeedsStore(t *testing.T) {
	if _, err := api.New(api.Config{}); err == nil {
		t.Fatal("New without a store succeeded")
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	var body map[string]string
	wantJSON(t, f.get(t, "/healthz", ""), http.StatusOK, &body)
	if body["status"] != "ok" {
		t.Fatalf("body %v", body)
	}
}

func TestReadyz(t *testing.T) {
	notYet := errors.New("first poll not done")
	var readyErr error
	f := newFixture(t, func(c *api.Config) { c.Ready = func() error { return readyErr } })

	var body map[string]string
	wantJSON(t, f.get(t, "/readyz", ""), http.StatusOK, &body)

	readyErr = notYet
	wantJSON(t, f.get(t, "/readyz", ""), http.StatusServiceUnavailable, &body)
	if body["status"] != "not ready" {
		t.Fatalf("body %v", body)
	}
	if e := f.logs.find(t, "not ready"); !strings.Contains(e["err"].(string), notYet.Error()) {
		t.Fatalf("log entry %v lacks the cause", e)
	}

	readyErr = nil
	f.st.Close() // the database stops answering
	wantJSON(t, f.get(t, "/readyz", ""), http.StatusServiceUnavailable, &body)
}

func TestAuthRefused(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ name, auth string }{
		{"none", ""},
		{"wrong token", "Bearer " + wrongToken},
		{"other scheme", "Basic " + testToken},
		{"no scheme", testToken},
		{"empty token", "Bearer "},
		{"token prefix", "Bearer " + testToken[:len(testToken)-1]},
		{"token with suffix", "Bearer " + testToken + "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/api/v1/submissions", "/api/v1/gaps", "/api/v1/no-such-route",
				"/api/v1/datasets/victims/periods/2025-Q1/records?format=csv"} {
				rec := f.get(t, path, "", "Authorization", tc.auth)
				wantError(t, rec, http.StatusUnauthorized, "unauthorized")
				if got := rec.Header().Get("WWW-Authenticate"); got != "Bearer" {
					t.Errorf("%s: WWW-Authenticate %q", path, got)
				}
			}
		})
	}
	e := f.logs.find(t, "request failed")
	if e["level"] != "WARN" || e["status"] != float64(401) {
		t.Fatalf("401 logged as %v", e)
	}
}

func TestAuthAccepted(t *testing.T) {
	f := newFixture(t)
	for _, auth := range []string{"Bearer " + testToken, "bearer " + testToken, "Bearer " + headToken} {
		if rec := f.get(t, "/api/v1/gaps", "", "Authorization", auth); rec.Code != http.StatusOK {
			t.Errorf("%.12s...: status %d", auth, rec.Code)
		}
	}
	e := f.logs.find(t, "request")
	if c, _ := e["client"].(string); len(c) != 12 {
		t.Fatalf("request log names the client as %v", e["client"])
	}
}

func TestNoTokensConfiguredRefusesAll(t *testing.T) {
	f := newFixture(t, func(c *api.Config) { c.Auth = nil })
	wantError(t, f.get(t, "/api/v1/submissions", testToken), http.StatusUnauthorized, "unauthorized")
}

func TestSecureHeaders(t *testing.T) {
	f := newFixture(t)
	for _, rec := range []interface {
		Header() http.Header
	}{
		f.get(t, "/api/v1/submissions", testToken),
		f.get(t, "/api/v1/submissions", ""),
		f.get(t, "/api/v1/submissions?status=x", testToken),
		f.get(t, "/healthz", ""),
	} {
		h := rec.Header()
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("headers %v", h)
		}
	}
}

func TestSubmissions(t *testing.T) {
	f := newFixture(t)
	ids := func(target string) []string {
		t.Helper()
		var subs []map[string]any
		wantJSON(t, f.get(t, target, headToken), http.StatusOK, &subs)
		var out []string
		for _, s := range subs {
			if _, ok := s["manifest"]; ok {
				t.Errorf("%s: submission carries its manifest", target)
			}
			out = append(out, s["partner"].(string)+"/"+s["id"].(string))
		}
		return out
	}
	for target, want := range map[string][]string{
		"/api/v1/submissions":                                {"embassy-c/" + subC1, "ngo-a/" + subA1, "police-b/" + subB1, "ngo-a/" + subA2},
		"/api/v1/submissions?partner=ngo-a":                  {"ngo-a/" + subA1, "ngo-a/" + subA2},
		"/api/v1/submissions?status=rejected":                {"police-b/" + subB1},
		"/api/v1/submissions?partner=ngo-a&status=accepted":  {"ngo-a/" + subA1, "ngo-a/" + subA2},
		"/api/v1/submissions?partner=ngo-a&status=rejected":  nil,
		"/api/v1/submissions?partner=nobody":                 nil,
		"/api/v1/submissions?partner=&status=&unknown=param": {"embassy-c/" + subC1, "ngo-a/" + subA1, "police-b/" + subB1, "ngo-a/" + subA2},
		"/api/v1/submissions?limit=10000":                    {"embassy-c/" + subC1, "ngo-a/" + subA1, "police-b/" + subB1, "ngo-a/" + subA2},
		"/api/v1/submissions?limit=2":                        {"embassy-c/" + subC1, "ngo-a/" + subA1},
		"/api/v1/submissions?limit=2&after=ngo-a/" + subA1:   {"police-b/" + subB1, "ngo-a/" + subA2},
		"/api/v1/submissions?after=ngo-a/" + subA2:           nil,
	} {
		if got := ids(target); !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", target, got, want)
		}
	}
	// A reader cleared for standard data does not see the restricted
	// submission.
	var subs []map[string]any
	wantJSON(t, f.get(t, "/api/v1/submissions", testToken), http.StatusOK, &subs)
	if len(subs) != 3 {
		t.Errorf("standard clearance sees %d submissions, want the 3 standard ones", len(subs))
	}
	// No match is an empty array, not null.
	if body := f.get(t, "/api/v1/submissions?partner=nobody", testToken).Body.String(); strings.TrimSpace(body) != "[]" {
		t.Errorf("empty list is %q", body)
	}
}

func TestSubmissionsBadParams(t *testing.T) {
	f := newFixture(t)
	for target, msg := range map[string]string{
		"/api/v1/submissions?partner=NGO-A":                          "invalid partner",
		"/api/v1/submissions?partner=-ngo":                           "invalid partner",
		"/api/v1/submissions?partner=ngo/../a":                       "invalid partner",
		"/api/v1/submissions?partner=" + strings.Repeat("a", 64):     "invalid partner",
		"/api/v1/submissions?partner=ngo-a%27%20OR%201=1--":          "invalid partner",
		"/api/v1/submissions?status=pending":                         "invalid status",
		"/api/v1/submissions?status=Accepted":                        "invalid status",
		"/api/v1/submissions?partner=ngo-a&status=accepted%00":       "invalid status",
		"/api/v1/quarantine?unsettled=yes":                           "invalid unsettled",
		"/api/v1/submissions?limit=0":                                "invalid limit",
		"/api/v1/submissions?limit=-1":                               "invalid limit",
		"/api/v1/submissions?limit=10001":                            "invalid limit",
		"/api/v1/submissions?limit=ten":                              "invalid limit",
		"/api/v1/submissions?limit=99999999999999999999":             "invalid limit",
		"/api/v1/quarantine?limit=0":                                 "invalid limit",
		"/api/v1/submissions?after=ngo-a":                            "invalid after",
		"/api/v1/submissions?after=ngo-a/" + subB1:                   "invalid after", // no such submission
		"/api/v1/submissions?after=ngo-a%27%20OR%201=1--/x":          "invalid after",
		"/api/v1/submissions?after=" + strings.Repeat("a/", 200):     "invalid after",
		"/api/v1/quarantine?after=x":                                 "invalid after",
		"/api/v1/quarantine?after=-1":                                "invalid after",
		"/api/v1/quarantine?after=%2B1":                              "invalid after",
		"/api/v1/quarantine?after=01":                                "invalid after",
		"/api/v1/datasets/victims/periods/2025-Q1/records?format=xl": "invalid format",
	} {
		wantError(t, f.get(t, target, testToken), http.StatusBadRequest, msg)
	}
	if got := f.get(t, "/api/v1/submissions?partner="+strings.Repeat("a", 63), testToken).Code; got != http.StatusOK {
		t.Errorf("63-character partner id: status %d", got)
	}
}

// A listing longer than its limit says where the next page starts, and
// following the cursors visits every row once, in order.
func TestListingPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 4 {
		if err := f.st.AddQuarantine(ctx, &store.Quarantined{Object: fmt.Sprintf("inbox/ngo-a/bad-%d", i),
			Partner: "ngo-a", Reason: "signature", Detail: "signature does not verify", At: t0}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		target string
		want   int
	}{
		{"/api/v1/submissions?partner=ngo-a&limit=1", 2},
		{"/api/v1/submissions?limit=3", 4},
		{"/api/v1/submissions?limit=1&status=accepted", 3},
		{"/api/v1/quarantine?limit=2", 5},
		{"/api/v1/quarantine?limit=5", 5},
		{"/api/v1/quarantine?limit=1&unsettled=true", 5},
	} {
		var seen []string
		target := tc.target
		for pages := 0; target != ""; pages++ {
			if pages > tc.want {
				t.Fatalf("%s: more pages than rows", tc.target)
			}
			rec := f.get(t, target, headToken)
			var rows []map[string]any
			wantJSON(t, rec, http.StatusOK, &rows)
			for _, r := range rows {
				seen = append(seen, fmt.Sprint(r["partner"], "/", r["id"], r["n"]))
			}
			link, next := rec.Header().Get("Link"), rec.Header().Get("X-Next-Cursor")
			if (link == "") != (next == "") {
				t.Fatalf("%s: Link %q, X-Next-Cursor %q", target, link, next)
			}
			if link == "" {
				break
			}
			u, ok1 := strings.CutPrefix(link, "<")
			u, ok2 := strings.CutSuffix(u, `>; rel="next"`)
			if !ok1 || !ok2 {
				t.Fatalf("%s: Link %q", target, link)
			}
			if !strings.Contains(u, "after="+url.QueryEscape(next)) {
				t.Fatalf("%s: Link %q does not carry the cursor %q", target, link, next)
			}
			target = u
		}
		if len(seen) != tc.want || len(slices.Compact(slices.Clone(seen))) != len(seen) {
			t.Errorf("%s: pages gave %v", tc.target, seen)
		}
	}
}

func TestQuarantine(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{"/api/v1/quarantine", "/api/v1/quarantine?unsettled=true", "/api/v1/quarantine?unsettled=false"} {
		var qs []store.Quarantined
		wantJSON(t, f.get(t, target, testToken), http.StatusOK, &qs)
		if len(qs) != 1 || qs[0].Reason != "signature" || !qs[0].At.Equal(t0) {
			t.Errorf("%s: %+v", target, qs)
		}
	}
}

func TestGaps(t *testing.T) {
	f := newFixture(t)
	if body := f.get(t, "/api/v1/gaps", testToken).Body.String(); strings.TrimSpace(body) != "[]" {
		t.Errorf("no gap source: %q", body)
	}
	gap := ingest.Gap{Partner: "ngo-a", Expected: 3, Seen: 5, Since: t0}
	f = newFixture(t, func(c *api.Config) { c.Gaps = fakeGaps{gap} })
	var gs []ingest.Gap
	wantJSON(t, f.get(t, "/api/v1/gaps", testToken), http.StatusOK, &gs)
	if len(gs) != 1 || gs[0] != gap {
		t.Fatalf("gaps %+v", gs)
	}
	f = newFixture(t, func(c *api.Config) { c.Gaps = fakeGaps(nil) })
	if body := f.get(t, "/api/v1/gaps", testToken).Body.String(); strings.TrimSpace(body) != "[]" {
		t.Errorf("nil gaps: %q", body)
	}
}

func TestUnknownRoutes(t *testing.T) {
	f := newFixture(t)
	wantError(t, f.get(t, "/nope", ""), http.StatusNotFound, "not found")
	wantError(t, f.get(t, "/api/v1/nope", testToken), http.StatusNotFound, "not found")
	wantError(t, serve(t, f.e, http.MethodPost, "/api/v1/submissions", testToken), http.StatusMethodNotAllowed, "method not allowed")
	// Without a token nothing under /api/ answers but 401.
	wantError(t, serve(t, f.e, http.MethodDelete, "/api/v1/submissions", ""), http.StatusUnauthorized, "unauthorized")
	wantError(t, f.get(t, "/api/v2/secret", ""), http.StatusUnauthorized, "unauthorized")
	wantError(t, f.get(t, "/api", ""), http.StatusUnauthorized, "unauthorized")
	wantError(t, f.get(t, "/%61pi/v1/submissions", ""), http.StatusUnauthorized, "unauthorized")
}

func TestInternalErrorIsFixed(t *testing.T) {
	f := newFixture(t, func(c *api.Config) { c.Store = &fakeStore{err: errDiskOnFire} })
	for _, target := range []string{"/api/v1/submissions?status=accepted", "/api/v1/quarantine",
		"/api/v1/datasets/victims/periods/2025-Q1/records", "/api/v1/datasets/victims/periods/2025-Q1/records?format=csv"} {
		rec := f.get(t, target, testToken)
		wantError(t, rec, http.StatusInternalServerError, "internal error")
		if cd := rec.Header().Get("Content-Disposition"); cd != "" {
			t.Errorf("%s: failed export labelled as attachment %q", target, cd)
		}
	}
	e := f.logs.find(t, "request failed")
	if e["level"] != "ERROR" || e["status"] != float64(500) || e["method"] != "GET" || e["path"] != "/api/v1/submissions" ||
		!strings.Contains(e["err"].(string), errDiskOnFire.Error()) {
		t.Fatalf("500 logged as %v", e)
	}
	if strings.Contains(f.logs.String(), "status=accepted") {
		t.Error("query string logged")
	}
}

func TestPanicIsFixed(t *testing.T) {
	f := newFixture(t, func(c *api.Config) { c.Store = &fakeStore{panic: "index out of range in decoder"} })
	wantError(t, f.get(t, "/api/v1/submissions", testToken), http.StatusInternalServerError, "internal error")
	e := f.logs.find(t, "request failed")
	if !strings.Contains(e["err"].(string), "index out of range in decoder") || !strings.Contains(e["stack"].(string), "goroutine") {
		t.Fatalf("panic logged as %v", e)
	}
	if r := f.logs.find(t, "request"); r["status"] != float64(500) {
		t.Fatalf("request log %v", r)
	}
}

func TestRequestLog(t *testing.T) {
	f := newFixture(t)
	f.get(t, "/api/v1/submissions?partner=ngo-a", testToken)
	e := f.logs.find(t, "request")
	for k, want := range map[string]any{"method": "GET", "path": "/api/v1/submissions", "status": float64(200), "remote": "192.0.2.1:1234"} {
		if e[k] != want {
			t.Errorf("%s = %v, want %v", k, e[k], want)
		}
	}
	if d, ok := e["duration"].(float64); !ok || d < 0 || d > float64(time.Minute) {
		t.Errorf("duration %v", e["duration"])
	}
}
