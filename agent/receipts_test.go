package agent_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// Its own receipt, chained: final. The entry moves to done with its
// receipt, the payload is deleted, and nothing is sent again.
func TestAcceptedMovesToDone(t *testing.T) {
	f := newFlow(t)
	rec := &recordingBox{Box: f.box}
	a, ob := f.open(rec)
	e := f.seal(a, ob)
	var progress []int64
	a.Progress = func(id string, sent, total int64) {
		if id == e.ID && total == e.Manifest.Ciphertext.Size {
			progress = append(progress, sent)
		}
	}
	sent := f.upload(a, ob)
	if len(sent) != 1 || sent[0].ID != e.ID || sent[0].State.Attempts != 1 || sent[0].State.Uploaded.IsZero() {
		t.Fatalf("sent %+v", sent)
	}
	wantPuts := []put{{submission.CiphertextKey(partner, e.ID), true}, {submission.ManifestKey(partner, e.ID), true}}
	if got := rec.take(); !slices.Equal(got, wantPuts) {
		t.Fatalf("puts %+v, want payload then manifest, each written once", got)
	}
	if len(progress) == 0 || progress[len(progress)-1] != e.Manifest.Ciphertext.Size {
		t.Fatalf("progress %v, want it to end at %d", progress, e.Manifest.Ciphertext.Size)
	}
	if again := f.upload(a, ob); len(again) != 0 {
		t.Fatalf("second Upload sent %+v", again)
	}
	if st := f.refresh(a, ob)[e.ID]; st.State != agent.StatePending {
		t.Fatalf("before the hub polled: %+v", st)
	}
	ob.Close()

	if sum := f.poll(); sum.Accepted != 1 {
		t.Fatalf("summary %+v\n%s", sum, f.logs)
	}

	a, ob = f.open(rec)
	defer ob.Close()
	st := f.refresh(a, ob)[e.ID]
	want := agent.Status{ID: e.ID, Dataset: "victims", Period: "2025", Seq: 1, State: submission.Accepted, Records: 3}
	if st != want {
		t.Fatalf("status %+v, want %+v", st, want)
	}
	if p := f.pending(ob); len(p) != 0 {
		t.Fatalf("pending %+v", p)
	}
	if got := f.outboxFiles("pending"); len(got) != 0 {
		t.Fatalf("pending holds %v; the payload and state should be gone", got)
	}
	if got, want := f.outboxFiles("done"), []string{e.ID + ".manifest.jws", e.ID + ".receipt.jws"}; !slices.Equal(got, want) {
		t.Fatalf("done holds %v, want %v", got, want)
	}
	done, err := ob.Done()
	must(t, err)
	if len(done) != 1 || !done[0].Done || done[0].Hash != e.Hash {
		t.Fatalf("done %+v", done)
	}
	var head struct {
		Seq  uint64 `json:"seq"`
		Hash string `json:"hash"`
	}
	b, err := os.ReadFile(filepath.Join(f.w.Partners[partner].Outbox, "hub-head.json"))
	must(t, err)
	if err := json.Unmarshal(b, &head); err != nil || head.Seq != 1 || head.Hash != e.Hash {
		t.Fatalf("hub-head.json %s (%v)", b, err)
	}
	if sent := f.upload(a, ob); len(sent) != 0 || len(rec.take()) != 0 {
		t.Fatalf("a done entry was sent again: %+v", sent)
	}
	// Asked again, the status comes from the receipt kept in done.
	if st := f.refresh(a, ob)[e.ID]; st != want {
		t.Fatalf("second refresh %+v", st)
	}
}

// A receipt that does not verify with the hub's receipt key is ignored:
// the entry stays pending, and the hub's genuine receipt settles it.
func TestReceiptSignedByAnotherKeyIsIgnored(t *testing.T) {
	f := newFlow(t)
	a, ob := f.open(nil)
	defer ob.Close()
	e := f.seal(a, ob)
	f.upload(a, ob)

	forger, err := certs.GenerateReceiptKey(nil)
	must(t, err)
	forged := submission.Receipt{Partner: partner, Submission: e.ID, Manifest: e.Hash, Sequence: 1,
		Status: submission.Accepted, Chained: true, HeadSeq: 1, HeadHash: e.Hash, Records: 3, Decided: f.now()}
	f.putReceipt(forged, forger)
	st := f.refresh(a, ob)[e.ID]
	if st.State != agent.StatePending || !strings.Contains(st.Message, "does not verify with the hub's receipt key") ||
		!strings.HasSuffix(st.Message, "; ignored") {
		t.Fatalf("status %+v", st)
	}
	if p := f.pending(ob); len(p) != 1 || p[0].State.Answered != "" || p[0].State.Uploaded.IsZero() {
		t.Fatalf("pending %+v", p)
	}

	// Signed by the hub, but for another submission: ignored too.
	other := forged
	other.Submission = strings.Repeat("0", 26)
	b, err := submission.SignReceipt(other, f.receiptKey())
	must(t, err)
	must(t, f.box.Put(f.ctx, submission.ReceiptKey(partner, e.ID), bytes.NewReader(b), int64(len(b)), dropbox.PutOptions{}))
	if st := f.refresh(a, ob)[e.ID]; st.State != agent.StatePending || !strings.Contains(st.Message, "names partner") {
		t.Fatalf("status %+v", st)
	}
	if got := f.outboxFiles("done"); len(got) != 0 {
		t.Fatalf("done holds %v", got)
	}

	f.poll()
	if st := f.refresh(a, ob)[e.ID]; st.State != submission.Accepted {
		t.Fatalf("after the hub's receipt: %+v\n%s", st, f.logs)
	}
}

// A receipt for another manifest than the agent's own: its upload was
// replaced on the way, so it sends its own sealed copy again, once.
func TestReceiptForAnotherManifestResends(t *testing.T) {
	f := newFlow(t)
	rec := &recordingBox{Box: f.box}
	a, ob := f.open(rec)
	defer ob.Close()
	e := f.seal(a, ob)
	f.upload(a, ob)
	rec.take()

	// Someone replaces the manifest in the inbox with one of their own.
	stranger, err := certs.GeneratePartnerKey(nil)
	must(t, err)
	m := e.Manifest
	m.KeyID = stranger.KeyID()
	fake, err := submission.SignManifest(&m, stranger)
	must(t, err)
	must(t, f.box.Put(f.ctx, submission.ManifestKey(partner, e.ID), bytes.NewReader(fake), int64(len(fake)), dropbox.PutOptions{}))
	if sum := f.poll(); sum.Quarantined != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if r := f.receipt(e.ID); r.Manifest == e.Hash || r.Reason != submission.ReasonUnknownKey {
		t.Fatalf("fixture: receipt %+v", r)
	}

	st := f.refresh(a, ob)[e.ID]
	if st.State != agent.StateResending || st.Reason != string(submission.ReasonUnknownKey) {
		t.Fatalf("status %+v", st)
	}
	p := f.pending(ob)
	if len(p) != 1 || !p[0].State.Uploaded.IsZero() || p[0].State.Answered == "" || p[0].State.Refused != nil {
		t.Fatalf("pending %+v", p)
	}
	sent := f.upload(a, ob)
	if len(sent) != 1 || sent[0].State.Attempts != 2 {
		t.Fatalf("sent %+v", sent)
	}
	wantPuts := []put{{submission.CiphertextKey(partner, e.ID), true}, {submission.ManifestKey(partner, e.ID), true}}
	if got := rec.take(); !slices.Equal(got, wantPuts) {
		t.Fatalf("puts %+v", got)
	}

	// The same receipt seen again answers the replaced upload, not the
	// new one: nothing more happens.
	if st := f.refresh(a, ob)[e.ID]; st.State != agent.StatePending {
		t.Fatalf("second refresh %+v", st)
	}
	if sent := f.upload(a, ob); len(sent) != 0 {
		t.Fatalf("sent again %+v", sent)
	}

	if sum := f.poll(); sum.Accepted != 1 {
		t.Fatalf("summary %+v\n%s", sum, f.logs)
	}
	if st := f.refresh(a, ob)[e.ID]; st.State != submission.Accepted || st.Records != 3 {
		t.Fatalf("status %+v", st)
	}
}

// Its own receipt, retry: the payload was lost on the way. The agent
// sends it again; seeing the same receipt again does not send it twice.
func TestRetryReceiptActsOnce(t *testing.T) {
	f := newFlow(t)
	lossy := &recordingBox{Box: f.box, drop: func(key string) bool { return strings.HasSuffix(key, ".payload.age") }}
	a, ob := f.open(lossy)
	e := f.seal(a, ob)
	f.upload(a, ob)
	ob.Close()
	if sum := f.poll(); sum.Quarantined != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if r := f.receipt(e.ID); !r.Retry || r.Manifest != e.Hash || r.Reason != submission.ReasonCiphertextMissing || r.Chained {
		t.Fatalf("fixture: receipt %+v", r)
	}

	rec := &recordingBox{Box: f.box}
	a, ob = f.open(rec)
	defer ob.Close()
	st := f.refresh(a, ob)[e.ID]
	if st.State != agent.StateResending || st.Reason != string(submission.ReasonCiphertextMissing) {
		t.Fatalf("status %+v", st)
	}
	answered := f.pending(ob)[0].State.Answered
	if answered == "" {
		t.Fatal("the receipt acted on is not remembered")
	}
	if sent := f.upload(a, ob); len(sent) != 1 || sent[0].State.Attempts != 2 {
		t.Fatalf("sent %+v", sent)
	}
	if got := rec.take(); len(got) != 2 {
		t.Fatalf("puts %+v", got)
	}

	for range 2 {
		if st := f.refresh(a, ob)[e.ID]; st.State != agent.StatePending {
			t.Fatalf("the retry receipt acted on twice: %+v", st)
		}
		if sent := f.upload(a, ob); len(sent) != 0 {
			t.Fatalf("sent again %+v", sent)
		}
	}
	if p := f.pending(ob); p[0].State.Answered != answered || p[0].State.Attempts != 2 {
		t.Fatalf("state %+v", p[0].State)
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("puts %+v", got)
	}

	if sum := f.poll(); sum.Accepted != 1 {
		t.Fatalf("summary %+v\n%s", sum, f.logs)
	}
	if st := f.refresh(a, ob)[e.ID]; st.State != submission.Accepted || st.Records != 3 {
		t.Fatalf("status %+v", st)
	}
}

// An upload that fails leaves the entry to be sent by the next Upload.
func TestUploadFailureKeepsEntry(t *testing.T) {
	f := newFlow(t)
	outage := errors.New("connection reset by peer")
	rec := &recordingBox{Box: f.box, fail: func(key string) error {
		if strings.HasSuffix(key, ".manifest.jws") {
			return outage
		}
		return nil
	}}
	a, ob := f.open(rec)
	defer ob.Close()
	e := f.seal(a, ob)
	sent, err := a.Upload(f.ctx, ob)
	if !errors.Is(err, outage) || !strings.Contains(err.Error(), "it stays in the outbox") || len(sent) != 0 {
		t.Fatalf("Upload: %v, sent %+v", err, sent)
	}
	if p := f.pending(ob); len(p) != 1 || !p[0].State.Uploaded.IsZero() || p[0].State.Attempts != 0 {
		t.Fatalf("pending %+v", p)
	}
	rec.fail = nil
	rec.take()
	// The payload made it the first time; it counts as sent.
	if sent := f.upload(a, ob); len(sent) != 1 || sent[0].ID != e.ID || sent[0].State.Attempts != 1 {
		t.Fatalf("sent %+v", sent)
	}
	if got := rec.take(); len(got) != 2 {
		t.Fatalf("puts %+v", got)
	}
	if sum := f.poll(); sum.Accepted != 1 {
		t.Fatalf("summary %+v\n%s", sum, f.logs)
	}
}
