package e2e

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/submission"
)

// A submission refused outside the chain (its key not yet registered, its
// sequence number already used) is kept by the agent, and `send -all`
// brings it back into the chain once the cause is mended: nothing is lost
// and the chain never wedges.

func (r *rig) resendAll(p string) {
	r.t.Helper()
	a, ob, err := r.world.Agent(p)
	must(r.t, err)
	defer ob.Close()
	_, err = a.ResendAll(r.ctx, ob)
	must(r.t, err)
}

// newUnregisteredKey gives partner p's agent a fresh key the hub does not
// know, and returns a function that registers it.
func (r *rig) newUnregisteredKey(p string) func() {
	path := filepath.Join(r.t.TempDir(), "new.key")
	pub, err := agent.Keygen(path, nil)
	must(r.t, err)
	cfg := r.world.Partners[p]
	cfg.Key = path
	r.world.Partners[p] = cfg
	return func() {
		now := time.Now()
		must(r.t, r.world.Registry.AddKey(p, pub, now.Add(-time.Hour), now.AddDate(1, 0, 0)))
		r.saveRegistry()
	}
}

func TestRefusedUnregisteredKeyKeptAndResentAfterRegistration(t *testing.T) {
	r := newRig(t, "ngo-a")
	register := r.newUnregisteredKey("ngo-a")
	e1 := r.submit("ngo-a")
	r.poll()
	r.wantReceipt("ngo-a", e1.ID, submission.ReasonUnknownKey)
	e2 := r.submit("ngo-a") // sealed after the refusal, seq 2
	r.poll()
	r.wantReceipt("ngo-a", e2.ID, submission.ReasonUnknownKey)
	st := r.status("ngo-a")
	for _, id := range []string{e1.ID, e2.ID} {
		if st[id].State != agent.StateRefused {
			t.Fatalf("%s: %+v", id, st[id])
		}
	}
	r.outboxFile("ngo-a", e1.ID+".payload.age") // still kept
	register()
	r.resendAll("ngo-a")
	if sum := r.poll(); sum.Accepted != 2 {
		t.Fatalf("summary %+v\n%s", sum, r.logs)
	}
	st = r.status("ngo-a")
	if st[e1.ID].State != submission.Accepted || st[e2.ID].State != submission.Accepted {
		t.Fatalf("status %+v", st)
	}
	r.stillWorks("ngo-a")
}

// The operator replays the old refused manifest once the key is
// registered: the hub takes it (it is the partner's own, still held by its
// agent), and the agent's next submissions continue after it.
func TestReplayOfRefusedManifestLosesNothing(t *testing.T) {
	r := newRig(t, "ngo-a")
	register := r.newUnregisteredKey("ngo-a")
	e1 := r.submit("ngo-a")
	r.poll()
	r.status("ngo-a")
	register()
	q := r.quarantined("ngo-a", e1.ID)
	var manifest, payload []byte
	for _, k := range q {
		switch filepath.Base(k) {
		case "manifest.jws":
			manifest = r.get(r.hubBox, k)
		case "payload.age":
			payload = r.get(r.hubBox, k)
		}
	}
	r.upload("ngo-a", e1.ID, manifest, payload)
	r.poll()
	e2 := r.submit("ngo-a")
	r.poll()
	st := r.status("ngo-a")
	if st[e1.ID].State != submission.Accepted || st[e2.ID].State != submission.Accepted {
		t.Fatalf("status %+v\n%s", st, r.logs)
	}
}

func TestAgentThatLostItsOutboxRejoinsTheChain(t *testing.T) {
	r := newRig(t, "ngo-a")
	r.submit("ngo-a")
	r.submit("ngo-a")
	r.poll()
	cfg := r.world.Partners["ngo-a"]
	cfg.Outbox = filepath.Join(t.TempDir(), "fresh-outbox")
	r.world.Partners["ngo-a"] = cfg
	e := r.submit("ngo-a") // seq 1 again
	r.poll()
	rc := r.wantReceipt("ngo-a", e.ID, submission.ReasonReplay)
	if rc.HeadSeq != 2 {
		t.Fatalf("receipt head %d, want 2", rc.HeadSeq)
	}
	if st := r.status("ngo-a")[e.ID]; st.State != agent.StateRefused {
		t.Fatalf("status %+v", st)
	}
	r.resendAll("ngo-a") // re-signed as seq 3 after the hub's head
	r.poll()
	if st := r.status("ngo-a")[e.ID]; st.State != submission.Accepted || st.Seq != 3 {
		t.Fatalf("status %+v\n%s", st, r.logs)
	}
	r.stillWorks("ngo-a")
}
