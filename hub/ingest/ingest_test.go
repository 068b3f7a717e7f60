package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/hub/demo"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

type env struct {
	t     *testing.T
	world *demo.World
	box   dropbox.Box
	store *store.Store
	in    *ingest.Ingester
}

func newEnv(t *testing.T, partners ...string) *env {
	t.Helper()
	dir := t.TempDir()
	cfg := dropbox.Config{Type: "dir", Dir: filepath.Join(dir, "dropbox")}
	var specs []demo.PartnerSpec
	for _, p := range partners {
		specs = append(specs, demo.PartnerSpec{ID: p, Name: p, Category: "ngo"})
	}
	w, err := demo.NewWorld(dir, cfg, specs)
	if err != nil {
		t.Fatal(err)
	}
	box, err := dropbox.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.OpenStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hc, err := w.HubConfig(box, st)
	if err != nil {
		t.Fatal(err)
	}
	in, err := ingest.New(hc)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, world: w, box: box, store: st, in: in}
}

func (e *env) submit(partner, file string) agent.Entry {
	e.t.Helper()
	a, ob, err := e.world.Agent(partner)
	if err != nil {
		e.t.Fatal(err)
	}
	defer ob.Close()
	ent, err := a.SealFile(ob, file, "2025")
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := a.Upload(context.Background(), ob); err != nil {
		e.t.Fatal(err)
	}
	return ent
}

func (e *env) refresh(partner string) []agent.Status {
	e.t.Helper()
	a, ob, err := e.world.Agent(partner)
	if err != nil {
		e.t.Fatal(err)
	}
	defer ob.Close()
	st, err := a.Refresh(context.Background(), ob)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func TestAcceptedEndToEndOnDir(t *testing.T) {
	e := newEnv(t, "ngo-a")
	ent := e.submit("ngo-a", "../../testdata/victims-small.csv")
	sum, err := e.in.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 1 {
		t.Fatalf("summary %+v, want one accepted", sum)
	}
	st := e.refresh("ngo-a")
	if len(st) != 1 || st[0].State != submission.Accepted || st[0].Records != 3 || st[0].ID != ent.ID {
		t.Fatalf("status %+v", st)
	}
	// A second poll finds nothing new; the inbox is empty.
	if sum, err := e.in.Poll(context.Background()); err != nil || sum != (ingest.Summary{}) {
		t.Fatalf("second poll: %+v %v", sum, err)
	}
	objs, _ := e.box.List(context.Background(), submission.InboxPrefix)
	if len(objs) != 0 {
		t.Fatalf("inbox not empty: %v", objs)
	}
	n, _ := e.store.CountRecords(context.Background())
	if n["ngo-a"] != 3 {
		t.Fatalf("stored %v", n)
	}
}
