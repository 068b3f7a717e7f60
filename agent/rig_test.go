package agent_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/demo"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// The agent's flows against a real hub intake over a directory drop box:
// what it does with each kind of receipt (docs/FORMAT.md, "What the agent
// does with a receipt").

const partner = "ngo-a"

type flow struct {
	t    *testing.T
	ctx  context.Context
	w    *demo.World
	box  dropbox.Box // the drop box; the hub's view and the operator's
	in   *ingest.Ingester
	logs *bytes.Buffer
	now  func() time.Time
	rand io.Reader
}

func newFlow(t *testing.T) *flow {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := dropbox.Config{Type: "dir", Dir: filepath.Join(dir, "dropbox")}
	w, err := demo.NewWorld(dir, cfg, []demo.PartnerSpec{{ID: partner, Name: "NGO A", Category: "ngo"}})
	must(t, err)
	box, err := dropbox.Open(cfg)
	must(t, err)
	st, err := w.OpenStore(ctx)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	hc, err := w.HubConfig(box, st)
	must(t, err)
	logs := &bytes.Buffer{}
	hc.Logger = slog.New(slog.NewTextHandler(logs, nil))
	in, err := ingest.New(hc)
	must(t, err)
	// The agent's clock starts a little in the past (the partner's key
	// is valid from an hour ago) and moves a second per reading.
	var mu sync.Mutex
	clock := time.Now().UTC().Add(-30 * time.Minute).Truncate(time.Second)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	return &flow{t: t, ctx: ctx, w: w, box: box, in: in, logs: logs, now: now, rand: rand.NewChaCha8([32]byte{42})}
}

// open opens the partner's agent over box (the drop box when nil) and
// its outbox; the caller closes the outbox.
func (f *flow) open(box agent.Box) (*agent.Agent, *agent.Outbox) {
	f.t.Helper()
	if box == nil {
		box = f.box
	}
	a, err := agent.New(f.w.Partners[partner], box)
	must(f.t, err)
	a.Now, a.Rand = f.now, f.rand
	ob, err := agent.OpenOutbox(f.w.Partners[partner].Outbox)
	must(f.t, err)
	return a, ob
}

func (f *flow) seal(a *agent.Agent, ob *agent.Outbox) agent.Entry {
	f.t.Helper()
	e, err := a.SealFile(ob, "../testdata/victims-small.csv", "2025")
	must(f.t, err)
	return e
}

func (f *flow) upload(a *agent.Agent, ob *agent.Outbox) []agent.Entry {
	f.t.Helper()
	sent, err := a.Upload(f.ctx, ob)
	must(f.t, err)
	return sent
}

// refresh returns the statuses by submission id.
func (f *flow) refresh(a *agent.Agent, ob *agent.Outbox) map[string]agent.Status {
	f.t.Helper()
	sts, err := a.Refresh(f.ctx, ob)
	must(f.t, err)
	out := map[string]agent.Status{}
	for _, s := range sts {
		out[s.ID] = s
	}
	return out
}

func (f *flow) poll() ingest.Summary {
	f.t.Helper()
	sum, err := f.in.Poll(f.ctx)
	if err != nil {
		f.t.Fatalf("poll: %v\n%s", err, f.logs)
	}
	return sum
}

func (f *flow) receipt(id string) submission.Receipt {
	f.t.Helper()
	rc, _, err := f.box.Get(f.ctx, submission.ReceiptKey(partner, id))
	must(f.t, err)
	defer rc.Close()
	raw, err := io.ReadAll(rc)
	must(f.t, err)
	r, err := submission.VerifyReceipt(raw, f.receiptKey().Public())
	must(f.t, err)
	return r
}

func (f *flow) receiptKey() certs.ReceiptKey {
	f.t.Helper()
	k, err := certs.LoadReceiptKey(f.w.Hub.ReceiptKey)
	must(f.t, err)
	return k
}

// putReceipt writes a receipt signed with key where the hub writes them.
func (f *flow) putReceipt(r submission.Receipt, key certs.ReceiptKey) {
	f.t.Helper()
	b, err := submission.SignReceipt(r, key)
	must(f.t, err)
	must(f.t, f.box.Put(f.ctx, submission.ReceiptKey(r.Partner, r.Submission), bytes.NewReader(b), int64(len(b)), dropbox.PutOptions{}))
}

func (f *flow) outboxFiles(sub string) []string {
	f.t.Helper()
	entries, err := os.ReadDir(filepath.Join(f.w.Partners[partner].Outbox, sub))
	must(f.t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func (f *flow) pending(ob *agent.Outbox) []agent.Entry {
	f.t.Helper()
	p, err := ob.Pending()
	must(f.t, err)
	return p
}

// recordingBox records the agent's puts; drop, when set, loses the
// objects it names on the way (the put seems to succeed).
type recordingBox struct {
	agent.Box
	mu   sync.Mutex
	puts []put
	drop func(key string) bool
	fail func(key string) error
}

type put struct {
	key      string
	ifAbsent bool
}

func (r *recordingBox) Put(ctx context.Context, key string, body io.Reader, size int64, opts dropbox.PutOptions) error {
	r.mu.Lock()
	r.puts = append(r.puts, put{key, opts.IfAbsent})
	r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(key); err != nil {
			return err
		}
	}
	if r.drop != nil && r.drop(key) {
		_, err := io.Copy(io.Discard, body)
		return err
	}
	return r.Box.Put(ctx, key, body, size, opts)
}

func (r *recordingBox) take() []put {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.puts
	r.puts = nil
	return p
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
