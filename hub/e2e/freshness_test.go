package e2e

import (
	"path/filepath"
	"testing"

	"github.com/thbx/thbx/submission"
)

// SECURITY.md item 5: replays, reordering and deleted submissions are
// detected through unique ids, per-partner sequence numbers and the hash
// of the previous manifest.

func TestReplayedSubmissionStoredOnce(t *testing.T) {
	r := newRig(t, "ngo-a")
	e := r.submit("ngo-a")
	r.poll()
	before, _ := r.store.CountRecords(r.ctx)
	// The operator puts the archived objects back into the inbox.
	r.upload("ngo-a", e.ID, r.get(r.hubBox, submission.ArchiveKey("ngo-a", e.ID, "manifest.jws")),
		r.get(r.hubBox, submission.ArchiveKey("ngo-a", e.ID, "payload.age")))
	sum := r.poll()
	if sum.Duplicates != 1 || sum.Accepted != 0 {
		t.Fatalf("summary %+v", sum)
	}
	after, _ := r.store.CountRecords(r.ctx)
	if after["ngo-a"] != before["ngo-a"] {
		t.Fatalf("records %d then %d: counted twice", before["ngo-a"], after["ngo-a"])
	}
	if objs, _ := r.hubBox.List(r.ctx, submission.InboxPrefix); len(objs) != 0 {
		t.Fatalf("inbox not cleared: %v", objs)
	}
	if rc := r.receipt("ngo-a", e.ID); rc.Status != submission.Accepted {
		t.Fatalf("receipt %+v", rc)
	}
}

func TestReorderedSubmissionsProcessedInSequence(t *testing.T) {
	r := newRig(t, "ngo-a")
	e1 := r.seal("ngo-a")
	e2 := r.seal("ngo-a")
	// The second arrives first.
	r.upload("ngo-a", e2.ID, e2.JWS, r.outboxFile("ngo-a", e2.ID+".payload.age"))
	if sum := r.poll(); sum.Waiting != 1 || sum.Accepted != 0 {
		t.Fatalf("summary %+v", sum)
	}
	gaps := r.in.Gaps()
	if len(gaps) != 1 || gaps[0].Expected != 1 || gaps[0].Seen != 2 {
		t.Fatalf("gaps %+v", gaps)
	}
	r.upload("ngo-a", e1.ID, e1.JWS, r.outboxFile("ngo-a", e1.ID+".payload.age"))
	if sum := r.poll(); sum.Accepted != 2 {
		t.Fatalf("summary %+v\n%s", sum, r.logs)
	}
	if len(r.in.Gaps()) != 0 {
		t.Fatalf("gap not cleared: %+v", r.in.Gaps())
	}
}

func TestDeletedSubmissionDetectedAndResent(t *testing.T) {
	r := newRig(t, "ngo-a")
	e1 := r.submit("ngo-a")
	e2 := r.submit("ngo-a")
	// The operator deletes the first submission.
	must(t, r.operator.Delete(r.ctx, submission.ManifestKey("ngo-a", e1.ID)))
	must(t, r.operator.Delete(r.ctx, submission.CiphertextKey("ngo-a", e1.ID)))
	if sum := r.poll(); sum.Waiting != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if gaps := r.in.Gaps(); len(gaps) != 1 || gaps[0].Partner != "ngo-a" || gaps[0].Expected != 1 {
		t.Fatalf("gaps %+v", gaps)
	}
	// The agent still holds both; sending everything again mends the gap.
	a, ob, err := r.world.Agent("ngo-a")
	must(t, err)
	_, err = a.ResendAll(r.ctx, ob)
	ob.Close()
	must(t, err)
	if sum := r.poll(); sum.Accepted != 2 {
		t.Fatalf("summary %+v\n%s", sum, r.logs)
	}
	st := r.status("ngo-a")
	if st[e1.ID].State != submission.Accepted || st[e2.ID].State != submission.Accepted {
		t.Fatalf("status %+v", st)
	}
}

func TestSequenceReplayedAfterAgentReset(t *testing.T) {
	r := newRig(t, "ngo-a")
	r.submit("ngo-a")
	r.poll()
	// The partner loses its outbox and starts over at seq 1.
	cfg := r.world.Partners["ngo-a"]
	cfg.Outbox = filepath.Join(t.TempDir(), "fresh-outbox")
	r.world.Partners["ngo-a"] = cfg
	e := r.submit("ngo-a")
	r.poll()
	rc := r.wantReceipt("ngo-a", e.ID, submission.ReasonReplay)
	if rc.Chained {
		t.Fatal("a replayed sequence number must not move the chain")
	}
	r.wantKept("ngo-a", e.ID, "manifest.jws")
}

func TestPreviousHashMismatchRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	r.submit("ngo-a")
	r.poll()
	m, ct := r.forged("ngo-a") // seq 2, prev = first manifest
	m.Previous = m.Ciphertext.SHA256
	m.Submission = newManifestID(t, &m)
	jws, err := submission.SignManifest(&m, r.partnerKey("ngo-a"))
	must(t, err)
	r.upload("ngo-a", m.Submission, jws, ct)
	r.poll()
	r.wantReceipt("ngo-a", m.Submission, submission.ReasonPrevious)
}
