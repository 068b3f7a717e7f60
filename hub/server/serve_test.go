package server_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/policy"
	"github.com/thbx/thbx/submission"
)

func get(t *testing.T, h http.Handler, path string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

func TestReadyAfterFirstPoll(t *testing.T) {
	x := newHubWorld(t)
	h := x.open()
	if code := get(t, h.API, "/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz %d", code)
	}
	if code := get(t, h.API, "/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz before the first poll: %d", code)
	}
	x.poll(h)
	if code := get(t, h.API, "/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz after the first poll: %d", code)
	}
}

// The hub runs under the policy and tokens its configuration names: an
// officer's token reads the submissions, a token added while it runs
// works from the next poll, and every decision lands in the audit log,
// the intake's as well as the API's.
func TestAccessFromConfig(t *testing.T) {
	x := newHubWorld(t)
	dir := t.TempDir()
	pol := []byte("version: thbx-policy/1\nrules:\n  - {id: officers, effect: allow, roles: [security_officer], actions: [read_submissions]}\n")
	x.cfg.Policy = filepath.Join(dir, "policy.yaml")
	must(t, os.WriteFile(x.cfg.Policy, pol, 0o644))
	x.cfg.PolicySHA256 = policy.Digest(pol)
	x.cfg.Auth.TokensFile = filepath.Join(dir, "tokens.yaml")
	now := time.Now()
	mint := func(name, role string) string {
		tok, e, err := auth.MintToken(nil, now, auth.TokenEntry{Name: name, Roles: []string{role},
			Scopes: []string{"read_submissions"}, Expires: now.Add(time.Hour)})
		must(t, err)
		must(t, auth.AddToken(x.cfg.Auth.TokensFile, e))
		return tok
	}
	officer := mint("officer", "security_officer")
	h := x.open()
	analyst := mint("analyst", "analyst")
	if code := getAs(t, h.API, "/api/v1/submissions", officer); code != http.StatusOK {
		t.Fatalf("officer: %d", code)
	}
	if code := getAs(t, h.API, "/api/v1/submissions", analyst); code != http.StatusUnauthorized {
		t.Fatalf("a token added after the start, before a poll: %d", code)
	}
	x.submit()
	x.poll(h)
	if code := getAs(t, h.API, "/api/v1/submissions", analyst); code != http.StatusForbidden {
		t.Fatalf("analyst after the poll: %d, want 403 (the policy grants analysts nothing)", code)
	}
	log, err := os.ReadFile(h.Config.AuditLog)
	must(t, err)
	for _, want := range []string{`"action":"policy_change","decision":"allow","reason":"policy_loaded"`,
		`"action":"accept","resource":{"dataset":"victims","period":"2025"},"decision":"allow","reason":"accepted"`,
		`"action":"read_submissions","resource":{"path":"/api/v1/submissions"},"decision":"allow","reason":"granted","rule":"officers"`,
		`"action":"read_submissions","resource":{"path":"/api/v1/submissions"},"decision":"deny","reason":"no_matching_grant"`,
		`"action":"merge","decision":"allow","reason":"merged"`} {
		if !strings.Contains(string(log), want) {
			t.Errorf("audit log lacks %s:\n%s", want, log)
		}
	}
}

// A policy file changed after its digest was configured (or signed into
// the trust bundle) is refused: the hub starts, but refuses every read.
func TestTamperedPolicyRefusesEverything(t *testing.T) {
	x := newHubWorld(t)
	dir := t.TempDir()
	pol := []byte("version: thbx-policy/1\nrules:\n  - {id: officers, effect: allow, roles: [security_officer], actions: [read_submissions]}\n")
	x.cfg.Policy = filepath.Join(dir, "policy.yaml")
	x.cfg.PolicySHA256 = policy.Digest(pol)
	tampered := append(slices.Clone(pol), []byte("  - {id: everyone, effect: allow, roles: [analyst], actions: [read_submissions]}\n")...)
	must(t, os.WriteFile(x.cfg.Policy, tampered, 0o644))
	x.cfg.Auth.TokensFile = filepath.Join(dir, "tokens.yaml")
	now := time.Now()
	tok, e, err := auth.MintToken(nil, now, auth.TokenEntry{Name: "officer", Roles: []string{"security_officer"},
		Scopes: []string{"read_submissions"}, Expires: now.Add(time.Hour)})
	must(t, err)
	must(t, auth.AddToken(x.cfg.Auth.TokensFile, e))
	h := x.open()
	if code := getAs(t, h.API, "/api/v1/submissions", tok); code != http.StatusForbidden {
		t.Fatalf("under a tampered policy: %d, want 403", code)
	}
	if !strings.Contains(x.logs.String(), "access policy refused") {
		t.Fatalf("log:\n%s", x.logs)
	}
}

func getAs(t *testing.T, h http.Handler, path, token string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// waitFor asks url until it answers want or the time is up.
func waitFor(t *testing.T, url string, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := 0
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if last = resp.StatusCode; last == want {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: %d, want %d", url, last, want)
}

func TestServe(t *testing.T) {
	x := newHubWorld(t)
	h := x.open()
	e := x.submit()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(x.ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- h.Serve(ctx, ln) }()

	waitFor(t, base+"/healthz", http.StatusOK)
	waitFor(t, base+"/readyz", http.StatusOK) // after the first poll
	waitFor(t, base+"/api/v1/submissions", http.StatusUnauthorized)
	// The poll loop took the submission in.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := x.box.Stat(x.ctx, submission.ReceiptKey(partner, e.ID)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no receipt\n%s", x.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(x.logs.String(), `msg="API listening" addr=`+ln.Addr().String()) {
		t.Fatalf("log:\n%s", x.logs)
	}

	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return after the context was cancelled")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("the API still answers after Serve returned")
	}
}

func TestServeListenError(t *testing.T) {
	x := newHubWorld(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer busy.Close()
	x.cfg.Listen = busy.Addr().String()
	h := x.open()
	ctx, cancel := context.WithCancel(x.ctx)
	defer cancel()
	err = h.Serve(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "listen on "+busy.Addr().String()) {
		t.Fatalf("Serve on a busy address: %v", err)
	}
}

// When Serve returns, the hub has stopped: its caller then closes the
// store, so the poll loop must not go on taking submissions in.
func TestServeStopsPollingWhenItReturns(t *testing.T) {
	x := newHubWorld(t)
	h := x.open()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	ln.Close() // Serve fails at once
	ctx, cancel := context.WithCancel(x.ctx)
	defer cancel()
	if err := h.Serve(ctx, ln); err == nil || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Serve on a closed listener: %v", err)
	}
	e := x.submit()
	time.Sleep(500 * time.Millisecond) // five poll intervals
	if _, err := x.box.Stat(x.ctx, submission.ReceiptKey(partner, e.ID)); err == nil {
		cancel()
		time.Sleep(200 * time.Millisecond) // let the loop see it before the store closes
		t.Fatal("Serve returned an error, yet its poll loop went on taking submissions in")
	}
}
