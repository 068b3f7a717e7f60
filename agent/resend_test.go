package agent_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// Its own receipt, not chained: refused outside the chain (here the
// agent lost its outbox and reused seq 1). The sealed submission is kept
// and not sent on its own; ResendAll re-signs it after the hub's head and
// sends it, replacing the manifest.
func TestRefusedKeptUntilResendAll(t *testing.T) {
	f := newFlow(t)
	a, ob := f.open(nil)
	f.seal(a, ob)
	e2 := f.seal(a, ob)
	f.upload(a, ob)
	ob.Close()
	if sum := f.poll(); sum.Accepted != 2 {
		t.Fatalf("summary %+v", sum)
	}

	cfg := f.w.Partners[partner]
	cfg.Outbox = filepath.Join(t.TempDir(), "fresh-outbox")
	f.w.Partners[partner] = cfg
	rec := &recordingBox{Box: f.box}
	a, ob = f.open(rec)
	defer ob.Close()
	e := f.seal(a, ob)
	if e.Manifest.Sequence != 1 {
		t.Fatalf("fixture: a fresh outbox sealed seq %d", e.Manifest.Sequence)
	}
	f.upload(a, ob)
	if sum := f.poll(); sum.Quarantined != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if r := f.receipt(e.ID); r.Reason != submission.ReasonReplay || r.Chained || r.Retry || r.HeadSeq != 2 || r.HeadHash != e2.Hash {
		t.Fatalf("fixture: receipt %+v", r)
	}

	st := f.refresh(a, ob)[e.ID]
	if st.State != agent.StateRefused || st.Reason != string(submission.ReasonReplay) || !strings.Contains(st.Message, "thbx-agent send -all") {
		t.Fatalf("status %+v", st)
	}
	p := f.pending(ob)
	if len(p) != 1 || p[0].State.Refused == nil || p[0].State.Refused.Reason != string(submission.ReasonReplay) {
		t.Fatalf("pending %+v", p)
	}
	if _, err := os.Stat(filepath.Join(cfg.Outbox, "pending", e.ID+".payload.age")); err != nil {
		t.Fatalf("the refused payload is not kept: %v", err)
	}
	rec.take()
	if sent := f.upload(a, ob); len(sent) != 0 || len(rec.take()) != 0 {
		t.Fatalf("Upload sent a refused entry: %+v", sent)
	}
	// Still refused when asked again.
	if st := f.refresh(a, ob)[e.ID]; st.State != agent.StateRefused {
		t.Fatalf("second refresh %+v", st)
	}

	// A new seal continues after the hub's head; it waits for ResendAll
	// too.
	e4 := f.seal(a, ob)
	if e4.Manifest.Sequence != 3 || e4.Manifest.Previous != e2.Hash {
		t.Fatalf("seal after the refusal: seq %d prev %.12s", e4.Manifest.Sequence, e4.Manifest.Previous)
	}

	sent, err := a.ResendAll(f.ctx, ob)
	must(t, err)
	if len(sent) != 2 || sent[0].ID != e.ID || sent[1].ID != e4.ID {
		t.Fatalf("ResendAll sent %+v", sent)
	}
	wantPuts := []put{
		{submission.CiphertextKey(partner, e.ID), true}, {submission.ManifestKey(partner, e.ID), false},
		{submission.CiphertextKey(partner, e4.ID), true}, {submission.ManifestKey(partner, e4.ID), false},
	}
	if got := rec.take(); !slices.Equal(got, wantPuts) {
		t.Fatalf("puts %+v, want %+v", got, wantPuts)
	}
	key, err := certs.LoadPartnerKey(cfg.Key)
	must(t, err)
	p = f.pending(ob)
	prev := e2.Hash
	for i, want := range []uint64{3, 4} {
		m, err := submission.VerifyManifest(p[i].JWS, key.Public())
		must(t, err)
		if m.Sequence != want || m.Previous != prev || p[i].State.Refused != nil || p[i].State.Uploaded.IsZero() {
			t.Fatalf("entry %d: seq %d prev %.12s state %+v", i, m.Sequence, m.Previous, p[i].State)
		}
		prev = p[i].Hash
	}
	// The payload was not touched: it names no sequence number.
	if p[0].Manifest.Ciphertext != e.Manifest.Ciphertext {
		t.Fatal("ResendAll changed the payload")
	}
	// The old refusal, still in the drop box, answers the old manifest.
	if st := f.refresh(a, ob)[e.ID]; st.State != agent.StatePending {
		t.Fatalf("before the hub polled: %+v", st)
	}

	if sum := f.poll(); sum.Accepted != 2 {
		t.Fatalf("summary %+v\n%s", sum, f.logs)
	}
	sts := f.refresh(a, ob)
	if sts[e.ID].State != submission.Accepted || sts[e.ID].Seq != 3 || sts[e4.ID].State != submission.Accepted || sts[e4.ID].Seq != 4 {
		t.Fatalf("statuses %+v\n%s", sts, f.logs)
	}
}

// A seal that fails part way leaves nothing to upload and the chain
// where it was.
func TestFailedSealSendsNothing(t *testing.T) {
	f := newFlow(t)
	a, ob := f.open(nil)
	defer ob.Close()
	bad := filepath.Join(t.TempDir(), "bad.csv")
	must(t, os.WriteFile(bad, []byte("status,sex,age_group,citizenship\nactual,F,adult,UA\nvictim,F,adult,UA\n"), 0o600))
	if _, err := a.SealFile(ob, bad, "2025"); err == nil {
		t.Fatal("a file with a problem was sealed")
	}
	if sent := f.upload(a, ob); len(sent) != 0 {
		t.Fatalf("sent %+v", sent)
	}
	e := f.seal(a, ob)
	if e.Manifest.Sequence != 1 || e.Manifest.Previous != "" {
		t.Fatalf("seq %d prev %q", e.Manifest.Sequence, e.Manifest.Previous)
	}
	f.upload(a, ob)
	if sum := f.poll(); sum.Accepted != 1 {
		t.Fatalf("summary %+v\n%s", sum, f.logs)
	}
}

// The partner's first key is not registered yet when it seals: the hub
// refuses the submission outside the chain (key_unknown) and the agent
// keeps it. Once the security officers register the key (thbx-keys
// key-add makes it valid from the moment of registration), ResendAll
// sends it again and the hub takes it (docs/FORMAT.md: "thbx-agent send
// -all re-signs the pending submissions ... and sends them").
func TestResendAllAfterKeyRegistered(t *testing.T) {
	f := newFlow(t)
	path := filepath.Join(t.TempDir(), "new.key")
	pub, err := agent.Keygen(path, nil)
	must(t, err)
	cfg := f.w.Partners[partner]
	cfg.Key = path
	f.w.Partners[partner] = cfg

	a, ob := f.open(nil)
	defer ob.Close()
	a.Now = time.Now // the real clock: sealed before the key is registered
	e := f.seal(a, ob)
	f.upload(a, ob)
	f.poll()
	if st := f.refresh(a, ob)[e.ID]; st.State != agent.StateRefused || st.Reason != string(submission.ReasonUnknownKey) {
		t.Fatalf("status %+v", st)
	}

	time.Sleep(2 * time.Millisecond) // registration comes after sealing
	now := time.Now().UTC()          // as thbx-keys key-add does
	must(t, f.w.Registry.AddKey(partner, pub, now, now.AddDate(1, 0, 0)))
	must(t, f.w.Registry.Save(f.w.Hub.Registry))
	reg, err := certs.LoadRegistry(f.w.Hub.Registry)
	must(t, err)
	f.in.SetRegistry(reg)

	if _, err := a.ResendAll(f.ctx, ob); err != nil {
		t.Fatal(err)
	}
	f.poll()
	st := f.refresh(a, ob)[e.ID]
	if st.State == submission.Rejected && st.Reason == string(submission.ReasonKeyNotYetValid) {
		t.Fatalf("the re-sent submission was rejected for good as key_not_yet_valid: %s", st.Message)
	}
	if st.State != submission.Accepted {
		t.Fatalf("status %+v\n%s", st, f.logs)
	}
}

// A submission deleted from the drop box before the hub saw it: the hub
// waits for it, and ResendAll sends every pending entry again, as they
// are (they are still in sequence), replacing what is there.
func TestResendAllSendsDeletedSubmissionAgain(t *testing.T) {
	f := newFlow(t)
	a, ob := f.open(nil)
	defer ob.Close()
	e1, e2 := f.seal(a, ob), f.seal(a, ob)
	f.upload(a, ob)
	for _, k := range []string{submission.ManifestKey(partner, e1.ID), submission.CiphertextKey(partner, e1.ID)} {
		must(t, f.box.Delete(f.ctx, k))
	}
	if sum := f.poll(); sum.Waiting != 1 || sum.Accepted != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if gaps := f.in.Gaps(); len(gaps) != 1 || gaps[0].Expected != 1 || gaps[0].Seen != 2 {
		t.Fatalf("gaps %+v", gaps)
	}
	// Upload thinks both were sent.
	if sent := f.upload(a, ob); len(sent) != 0 {
		t.Fatalf("Upload sent %+v", sent)
	}
	sent, err := a.ResendAll(f.ctx, ob)
	must(t, err)
	if len(sent) != 2 || sent[0].State.Attempts != 2 || sent[1].State.Attempts != 2 {
		t.Fatalf("ResendAll sent %+v", sent)
	}
	p := f.pending(ob)
	if !bytes.Equal(p[0].JWS, e1.JWS) || !bytes.Equal(p[1].JWS, e2.JWS) {
		t.Fatal("ResendAll re-signed entries that were in sequence")
	}
	if sum := f.poll(); sum.Accepted != 2 {
		t.Fatalf("summary %+v\n%s", sum, f.logs)
	}
	sts := f.refresh(a, ob)
	if sts[e1.ID].State != submission.Accepted || sts[e2.ID].State != submission.Accepted {
		t.Fatalf("statuses %+v", sts)
	}
}
