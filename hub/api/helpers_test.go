package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/api"
	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/policy"
	"github.com/thbx/thbx/submission/schema"
)

// testToken is accepted by every fixture, as an analyst and security
// officer cleared for standard data; wrongToken never is. The others are
// personas of the access tests.
const (
	testToken    = "thbx_test-token-0123456789abcdefghijklmnopqrstuv"
	wrongToken   = "thbx_wrong-token-0123456789abcdefghijklmnopqrstu"
	headToken    = "thbx_head-of-unit-0123456789abcdefghijklmnopqrst"
	auditToken   = "thbx_auditor-0123456789abcdefghijklmnopqrstuvwxy"
	partnerToken = "thbx_partner-ngo-a-0123456789abcdefghijklmnopqrs"
	expiredToken = "thbx_expired-0123456789abcdefghijklmnopqrstuvwxy"
	scopedToken  = "thbx_aggregates-only-scope-0123456789abcdefghijk"
)

// testPolicy is hub/api's test policy.
func testPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	b, err := os.ReadFile("testdata/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.ParseVerified(b, policy.Digest(b))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testAuth accepts the test tokens, from a tokens file in dir.
func testAuth(t *testing.T, dir string) *auth.Authenticator {
	t.Helper()
	all := []string{"read_records", "read_aggregates", "export", "read_submissions", "read_audit"}
	exp := time.Now().Add(time.Hour)
	var f auth.TokensFile
	for _, e := range []struct {
		tok string
		e   auth.TokenEntry
	}{
		{testToken, auth.TokenEntry{Name: "tester", Roles: []string{"analyst", "security_officer"}, Clearance: "standard"}},
		{headToken, auth.TokenEntry{Name: "head", Roles: []string{"head_of_unit"}, Clearance: "restricted", Unit: "analysis"}},
		{auditToken, auth.TokenEntry{Name: "auditor", Roles: []string{"auditor"}}},
		{partnerToken, auth.TokenEntry{Name: "ngo-a", Roles: []string{"partner"}, Partner: "ngo-a"}},
		{expiredToken, auth.TokenEntry{Name: "expired", Roles: []string{"security_officer"}, Expires: time.Now().Add(-time.Minute)}},
		{scopedToken, auth.TokenEntry{Name: "scoped", Roles: []string{"analyst"}, Scopes: []string{"read_aggregates"}}},
	} {
		if e.e.Scopes == nil {
			e.e.Scopes = all
		}
		if e.e.Expires.IsZero() {
			e.e.Expires = exp
		}
		e.e.SHA256 = auth.HashToken(e.tok)
		f.Tokens = append(f.Tokens, e.e)
	}
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tokens.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{TokensFile: path})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// testCategories are the fixture's partners' source categories.
func testCategories() map[string]string {
	return map[string]string{"ngo-a": "ngo", "police-b": "police", "embassy-c": "embassy"}
}

// Submissions staged by seed.
const (
	subA1 = "01JD4S9X6M2Q7W8E3R5T1Y0P9K"
	subA2 = "01JD4SA0000000000000000000"
	subB1 = "01JD4SB0000000000000000000"
	subC1 = "01JD4SC0000000000000000000"
)

// restrictedSource is in the one record of a restricted submission: no
// export may carry it.
const restrictedSource = "restricted informant"

// Cells that try to slip a formula past the neutralisation: after a ';'
// (a list separator in many locales), and on a second line.
const (
	bypassSource  = `x;=cmd|'/c calc'!A1`
	newlineSource = "first line\n=HYPERLINK(\"http://evil.example/\")"
)

// formulaSource is a status_source a hostile or careless partner could
// send: a spreadsheet would run it.
const formulaSource = "=cmd|' /C calc'!A0"

// syncBuffer is a log sink safe for a server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logEntries decodes the JSON log lines.
func (s *syncBuffer) entries(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// findLog returns the first log entry with msg, or fails.
func (s *syncBuffer) find(t *testing.T, msg string) map[string]any {
	t.Helper()
	for _, e := range s.entries(t) {
		if e["msg"] == msg {
			return e
		}
	}
	t.Fatalf("no log entry %q in:\n%s", msg, s)
	return nil
}

type fixture struct {
	e     *echo.Echo
	st    *store.Store
	logs  *syncBuffer
	audit *audit.Log
}

// newFixture serves a real store in a temporary directory, seeded with
// two partners' submissions, a quarantined object and records.
func newFixture(t *testing.T, edit ...func(*api.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir+"/hub.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seed(t, st)
	pol := testPolicy(t)
	al, err := audit.Open(audit.Config{Path: filepath.Join(dir, "audit.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { al.Close() })
	f := &fixture{st: st, logs: &syncBuffer{}, audit: al}
	cfg := api.Config{
		Store:       st,
		Auth:        testAuth(t, dir),
		Policy:      func() *policy.Policy { return pol },
		Categories:  testCategories,
		Audit:       al,
		AuditReader: al,
		Logger:      slog.New(slog.NewJSONHandler(f.logs, nil)),
		Merges:      st,
	}
	for _, fn := range edit {
		fn(&cfg)
	}
	f.e, err = api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Whatever a test did, no token may reach the log.
		for _, tok := range []string{testToken, wrongToken, headToken, auditToken, partnerToken, expiredToken, scopedToken} {
			if strings.Contains(f.logs.String(), tok) {
				t.Errorf("log contains a bearer token:\n%s", f.logs)
			}
		}
	})
	return f
}

var t0 = time.Date(2025, 4, 2, 10, 0, 0, 0, time.UTC)

func seed(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	add := func(sub store.Submission, recs ...schema.Victim) {
		t.Helper()
		sub.ManifestHash = "hash-" + sub.ID
		sub.Manifest = []byte("manifest of " + sub.ID)
		sub.KeyID, sub.Schema = "kid-1", "victims/1"
		if sub.Classification == "" {
			sub.Classification = "standard"
		}
		sub.Dataset, sub.Created, sub.Records = "victims", t0, int64(len(recs))
		sub.Decided = t0.Add(time.Duration(sub.Sequence) * time.Minute)
		tx, err := st.Begin(ctx, &sub)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range recs {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.AddRecord(ctx, int64(i+1), b); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	add(store.Submission{Partner: "ngo-a", ID: subA1, Sequence: 1, Period: "2025-Q1", Status: "accepted"},
		schema.Victim{StatusSource: formulaSource, Status: "actual", DecidedBy: "ngo", Sex: "F", BirthYear: 1999,
			AgeGroup: "adult", Citizenship: "NG", Exploitation: []string{"sexual", "labour"}, IdentifiedOn: "2025-02",
			LinkageKeys: []string{"k2BBBBBBBBBBBBBBBBBB", "-k1AAAAAAAAAAAAAAAAA"}},
		schema.Victim{StatusSource: "victim, \"presumed\"", Status: "possible", Sex: "M", AgeGroup: "child",
			Citizenship: "XX", LinkageKeys: []string{"-k3CCCCCCCCCCCCCCCCC"}})
	add(store.Submission{Partner: "ngo-a", ID: subA2, Sequence: 2, Period: "2025-Q2", Status: "accepted"},
		schema.Victim{Status: "actual", Sex: "U", AgeGroup: "unknown", Citizenship: "UA"},
		schema.Victim{StatusSource: bypassSource, Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "UA"},
		schema.Victim{StatusSource: newlineSource, Status: "actual", Sex: "M", AgeGroup: "adult", Citizenship: "UA"})
	// An accepted restricted submission: until the access policy lands,
	// its records are never exported.
	add(store.Submission{Partner: "embassy-c", ID: subC1, Sequence: 1, Period: "2025-Q1", Status: "accepted",
		Classification: "restricted"},
		schema.Victim{StatusSource: restrictedSource, Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "NG"})
	// A rejected submission's records are dropped and never exported.
	add(store.Submission{Partner: "police-b", ID: subB1, Sequence: 1, Period: "2025-Q1", Status: "rejected",
		Reason: "schema", Detail: "victim record 1: status \"x\""},
		schema.Victim{StatusSource: "leaked", Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "FR"})
	if err := st.AddQuarantine(ctx, &store.Quarantined{Object: "inbox/ngo-a/bad.manifest.jws", Partner: "ngo-a",
		Reason: "signature", Detail: "signature does not verify", At: t0}); err != nil {
		t.Fatal(err)
	}
}

// get sends a GET with the given token ("" for none) and headers.
func (f *fixture) get(t *testing.T, target, token string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return serve(t, f.e, http.MethodGet, target, token, header...)
}

func serve(t *testing.T, e *echo.Echo, method, target, token string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// wantJSON checks the status and decodes the body into v.
func wantJSON(t *testing.T, rec *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON", ct)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
}

// wantError checks a fixed error response.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, msg string) {
	t.Helper()
	var body map[string]string
	wantJSON(t, rec, status, &body)
	if len(body) != 1 || body["error"] != msg {
		t.Fatalf("body %s, want {\"error\":%q}", rec.Body, msg)
	}
}

// fakeStore fails or panics where told to; for paths a real store cannot
// be made to take.
type fakeStore struct {
	err     error
	panic   any
	records func(fn func(store.Record) error) error
}

var errDiskOnFire = errors.New("sqlite: disk I/O error at /var/lib/thbx/hub.db")

func (s *fakeStore) Ping(context.Context) error { return s.err }

func (s *fakeStore) SubmissionsPage(context.Context, store.Filter, store.Page) ([]store.Submission, string, error) {
	if s.panic != nil {
		panic(s.panic)
	}
	return nil, "", s.err
}

func (s *fakeStore) Records(_ context.Context, _, _ string, fn func(store.Record) error) error {
	if s.records != nil {
		return s.records(fn)
	}
	return s.err
}

func (s *fakeStore) QuarantinePage(context.Context, bool, store.Page) ([]store.Quarantined, string, error) {
	return nil, "", s.err
}

type fakeGaps []ingest.Gap

func (g fakeGaps) Gaps() []ingest.Gap { return g }

var _ api.Store = (*fakeStore)(nil)
