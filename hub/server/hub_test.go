package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/demo"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/server"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

const partner = "ngo-a"

// syncBuffer is a log sink that the poll loop and the test may share.
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

// hubWorld is a demo World (hub keys, a registered partner, its agent
// configuration) over a directory drop box, and a hub configuration
// pointing at the World's key directory.
type hubWorld struct {
	t    *testing.T
	ctx  context.Context
	w    *demo.World
	box  dropbox.Box
	cfg  server.Config
	logs *syncBuffer
}

func newHubWorld(t *testing.T) *hubWorld {
	t.Helper()
	dir := t.TempDir()
	boxCfg := dropbox.Config{Type: "dir", Dir: filepath.Join(dir, "dropbox")}
	w, err := demo.NewWorld(dir, boxCfg, []demo.PartnerSpec{{ID: partner, Name: "NGO A", Category: "ngo"}})
	must(t, err)
	box, err := dropbox.Open(boxCfg)
	must(t, err)
	return &hubWorld{t: t, ctx: context.Background(), w: w, box: box, logs: &syncBuffer{},
		cfg: server.Config{Keys: w.Hub.Dir, Store: filepath.Join(dir, "hub", "hub.db"), Dropbox: boxCfg, PollInterval: "100ms"}}
}

func (x *hubWorld) open() *server.Hub {
	x.t.Helper()
	h, err := server.Open(x.ctx, x.cfg, slog.New(slog.NewTextHandler(x.logs, nil)))
	must(x.t, err)
	x.t.Cleanup(func() { h.Close() })
	return h
}

// submit seals the repository's sample file as the partner and uploads it.
func (x *hubWorld) submit() agent.Entry {
	x.t.Helper()
	a, ob, err := x.w.Agent(partner)
	must(x.t, err)
	defer ob.Close()
	e, err := a.SealFile(ob, "../../testdata/victims-small.csv", "2025")
	must(x.t, err)
	_, err = a.Upload(x.ctx, ob)
	must(x.t, err)
	return e
}

func (x *hubWorld) poll(h *server.Hub) ingest.Summary {
	x.t.Helper()
	sum, err := h.Poll(x.ctx)
	if err != nil {
		x.t.Fatalf("poll: %v\n%s", err, x.logs)
	}
	return sum
}

func (x *hubWorld) receipt(id string) submission.Receipt {
	x.t.Helper()
	rc, _, err := x.box.Get(x.ctx, submission.ReceiptKey(partner, id))
	must(x.t, err)
	defer rc.Close()
	raw, err := io.ReadAll(rc)
	must(x.t, err)
	k, err := certs.LoadReceiptKey(x.w.Hub.ReceiptKey)
	must(x.t, err)
	r, err := submission.VerifyReceipt(raw, k.Public())
	must(x.t, err)
	return r
}

func (x *hubWorld) partnerKeyID() string {
	x.t.Helper()
	k, err := certs.LoadPartnerKey(x.w.Partners[partner].Key)
	must(x.t, err)
	return k.KeyID()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenAndPoll(t *testing.T) {
	x := newHubWorld(t)
	h := x.open()
	if h.Config.Listen != "127.0.0.1:8080" || h.Config.PollInterval != "100ms" {
		t.Fatalf("config %+v", h.Config)
	}
	if !strings.Contains(x.logs.String(), `msg="hub ready"`) || !strings.Contains(x.logs.String(), "partners=1") {
		t.Fatalf("log:\n%s", x.logs)
	}
	if sum := x.poll(h); sum != (ingest.Summary{}) {
		t.Fatalf("empty drop box: %+v", sum)
	}
	e := x.submit()
	if sum := x.poll(h); sum.Accepted != 1 {
		t.Fatalf("summary %+v\n%s", sum, x.logs)
	}
	if r := x.receipt(e.ID); r.Status != submission.Accepted || r.Records != 3 || !r.Chained {
		t.Fatalf("receipt %+v", r)
	}
	n, err := h.Store.CountRecords(x.ctx)
	must(t, err)
	if n[partner] != 3 {
		t.Fatalf("stored %v", n)
	}
}

func TestOpenRefusesBadConfig(t *testing.T) {
	x := newHubWorld(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for name, tt := range map[string]struct {
		change func(*server.Config)
		want   string
	}{
		"invalid":         {func(c *server.Config) { c.Store = "" }, "configuration: store:"},
		"no keys":         {func(c *server.Config) { c.Keys = filepath.Join(t.TempDir(), "none") }, "hub-identities.txt"},
		"no drop box":     {func(c *server.Config) { c.Dropbox = dropbox.Config{} }, "configuration: no drop box configured"},
		"bad drop box":    {func(c *server.Config) { c.Dropbox.Type = "ftp" }, `configuration: drop box type "ftp"`},
		"bad policy hash": {func(c *server.Config) { c.Policy, c.PolicySHA256 = "policy.yaml", "abc" }, "policy_sha256"},
		"no tokens file":  {func(c *server.Config) { c.Auth.TokensFile = filepath.Join(t.TempDir(), "none.yaml") }, "none.yaml"},
	} {
		t.Run(name, func(t *testing.T) {
			c := x.cfg
			tt.change(&c)
			h, err := server.Open(x.ctx, c, log)
			if err == nil {
				h.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

// The security officers revoke a key in the registry file; the running
// hub applies it at its next poll, without a restart.
func TestRegistryReloadRevokesKey(t *testing.T) {
	x := newHubWorld(t)
	h := x.open()
	e1 := x.submit()
	if sum := x.poll(h); sum.Accepted != 1 {
		t.Fatalf("summary %+v", sum)
	}

	must(t, x.w.Registry.RevokeKey(x.partnerKeyID(), time.Now().Add(-time.Second)))
	must(t, x.w.Registry.Save(x.w.Hub.Registry))
	e2 := x.submit()
	if sum := x.poll(h); sum.Rejected != 1 || sum.Accepted != 0 {
		t.Fatalf("summary %+v\n%s", sum, x.logs)
	}
	if r := x.receipt(e2.ID); r.Status != submission.Rejected || r.Reason != submission.ReasonKeyRevoked {
		t.Fatalf("receipt %+v", r)
	}
	if !strings.Contains(x.logs.String(), `msg="registry reloaded" version=`) {
		t.Fatalf("log:\n%s", x.logs)
	}
	// What the key signed before its revocation stands.
	if r := x.receipt(e1.ID); r.Status != submission.Accepted {
		t.Fatalf("receipt %+v", r)
	}
}

// A registry file that does not load is logged once and the registry in
// force stays; a good file written afterwards is taken in.
func TestRegistryThatDoesNotLoadKeepsTheOld(t *testing.T) {
	for name, breakIt := range map[string]func(t *testing.T, path string){
		"bad JSON": func(t *testing.T, path string) {
			must(t, os.WriteFile(path, []byte(`{"version": 99, "partners": [`), 0o644))
		},
		"writable by others": func(t *testing.T, path string) {
			must(t, os.Chmod(path, 0o666))
		},
		"removed": func(t *testing.T, path string) {
			must(t, os.Remove(path))
		},
	} {
		t.Run(name, func(t *testing.T) {
			x := newHubWorld(t)
			h := x.open()
			x.poll(h)
			path := x.w.Hub.Registry
			breakIt(t, path)
			if name == "writable by others" {
				// The mode alone may not change size or time; make the change visible.
				future := time.Now().Add(time.Minute)
				must(t, os.Chtimes(path, future, future))
			}
			x.poll(h)
			x.poll(h)
			const msg = `level=ERROR msg="the changed registry does not load; keeping the one in force"`
			if n := strings.Count(x.logs.String(), msg); n != 1 {
				t.Fatalf("logged %d times, want once:\n%s", n, x.logs)
			}
			// The old registry is in force: the partner's key still works.
			e := x.submit()
			if sum := x.poll(h); sum.Accepted != 1 {
				t.Fatalf("summary %+v\n%s", sum, x.logs)
			}
			if r := x.receipt(e.ID); r.Status != submission.Accepted {
				t.Fatalf("receipt %+v", r)
			}

			// The officers mend the file, with the key revoked.
			os.Remove(path)
			must(t, x.w.Registry.RevokeKey(x.partnerKeyID(), time.Now().Add(-time.Second)))
			must(t, x.w.Registry.Save(path))
			e = x.submit()
			if sum := x.poll(h); sum.Rejected != 1 {
				t.Fatalf("after the mended registry: %+v\n%s", sum, x.logs)
			}
			if r := x.receipt(e.ID); r.Reason != submission.ReasonKeyRevoked {
				t.Fatalf("receipt %+v", r)
			}
		})
	}
}
