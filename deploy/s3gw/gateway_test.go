package s3gw

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStartHealthy(t *testing.T) {
	t.Parallel()
	gw := sharedGateway(t)
	if !strings.HasPrefix(gw.Endpoint, "127.0.0.1:") || gw.Region != "us-east-1" {
		t.Errorf("Endpoint %q Region %q, want loopback and us-east-1", gw.Endpoint, gw.Region)
	}
	resp, err := http.Get("http://" + gw.Endpoint + "/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /health: %s", resp.Status)
	}
	root, err := gw.Client(gw.RootAccess, gw.RootSecret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.ListBuckets(t.Context()); err != nil {
		t.Fatalf("root ListBuckets: %v", err)
	}
	bad, err := gw.Client(gw.RootAccess, "wrong-secret")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.ListBuckets(t.Context()); err == nil {
		t.Fatal("ListBuckets with a wrong secret succeeded")
	}
}

// TestStartStop runs gateways of its own: Stop must leave no process, port
// or temporary directory behind, and must keep a directory it was given.
func TestStartStop(t *testing.T) {
	t.Parallel()
	t.Run("temp dir", func(t *testing.T) {
		t.Parallel()
		gw := startOwn(t, Config{})
		if err := stopAndCheck(gw); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("given dir", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		gw := startOwn(t, Config{Dir: dir})
		if err := gw.CreateUser(t.Context(), "someone", "someone-secret"); err != nil {
			t.Fatal(err)
		}
		if err := stopAndCheck(gw); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, "iam", "users.json")); err != nil {
			t.Errorf("given dir not kept after Stop: %v", err)
		}
	})
}

func startOwn(t *testing.T, cfg Config) *Gateway {
	t.Helper()
	cfg.Logf = t.Logf
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	gw, err := Start(ctx, cfg)
	if err != nil {
		t.Fatalf("these tests need a running versitygw: %v", err)
	}
	t.Cleanup(func() { gw.Stop() }) // if the test fails before its own Stop
	return gw
}

func TestStartMissingBinary(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "versitygw")
	check := func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, ErrNoBinary) {
			t.Fatalf("Start error %v, want ErrNoBinary", err)
		}
		for _, hint := range []string{"go install github.com/versity/versitygw/cmd/versitygw@v1.8.0", "THBX_VERSITYGW"} {
			if !strings.Contains(err.Error(), hint) {
				t.Errorf("error %q lacks install hint %q", err, hint)
			}
		}
	}
	t.Run("Config.Binary", func(t *testing.T) {
		_, err := Start(t.Context(), Config{Binary: missing})
		check(t, err)
	})
	t.Run("THBX_VERSITYGW", func(t *testing.T) {
		t.Setenv("THBX_VERSITYGW", missing)
		_, err := Start(t.Context(), Config{})
		check(t, err)
	})
	t.Run("nowhere", func(t *testing.T) {
		t.Setenv("THBX_VERSITYGW", "")
		t.Setenv("PATH", t.TempDir())
		t.Setenv("GOBIN", t.TempDir())
		_, err := Start(t.Context(), Config{})
		check(t, err)
	})
}
