package server_test

import (
	"context"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/api"
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

func TestAPITokenFromEnvironment(t *testing.T) {
	x := newHubWorld(t)
	const envToken, fileToken = "thbx_from-env", "thbx_from-file"
	sum := api.HashToken(fileToken)
	x.cfg.APITokenSHA256 = []string{hex.EncodeToString(sum[:])}
	must(t, x.cfg.ApplyEnv(func(name string) string {
		if name == "THBX_API_TOKEN" {
			return envToken
		}
		return ""
	}))
	h := x.open()
	for token, want := range map[string]int{envToken: http.StatusOK, fileToken: http.StatusOK, "thbx_other": http.StatusUnauthorized, "": http.StatusUnauthorized} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/submissions", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.API.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("token %q: %d, want %d", token, rec.Code, want)
		}
	}
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
