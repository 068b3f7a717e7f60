package e2e

import (
	"bytes"
	"testing"

	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// SECURITY.md item 6: a partner cannot write under another partner's
// prefix, and the hub refuses a manifest whose signer does not own the
// prefix it was found under, and object names that are not its own.

func TestPartnerCannotWriteOrReadAnotherPrefix(t *testing.T) {
	r := newRig(t, "ngo-a", "police-b")
	box, err := dropbox.Open(r.world.Partners["ngo-a"].Dropbox)
	must(t, err)
	data := []byte("x")
	for _, key := range []string{
		"inbox/police-b/01M8CW21N82DD0J2VC9MQNBY3C.manifest.jws",
		"inbox/ngo-a-evil/x",
		"receipts/ngo-a/forged.receipt.jws",
		"archive/ngo-a/x",
	} {
		if err := box.Put(r.ctx, key, bytes.NewReader(data), 1, dropbox.PutOptions{}); err == nil {
			t.Errorf("ngo-a could write %s", key)
		}
	}
	e := r.submit("police-b")
	r.poll()
	if _, _, err := box.Get(r.ctx, submission.ReceiptKey("police-b", e.ID)); err == nil {
		t.Error("ngo-a could read police-b's receipt")
	}
	if _, err := box.List(r.ctx, submission.InboxPrefix); err == nil {
		t.Error("ngo-a could list the inbox")
	}
}

func TestManifestUnderAnotherPartnersPrefixRejected(t *testing.T) {
	r := newRig(t, "ngo-a", "police-b")
	e := r.seal("ngo-a")
	// The operator moves ngo-a's genuine submission into police-b's inbox.
	r.upload("police-b", e.ID, e.JWS, r.outboxFile("ngo-a", e.ID+".payload.age"))
	r.poll()
	r.wantReceipt("police-b", e.ID, submission.ReasonPrefix)
	r.wantKept("police-b", e.ID, "manifest.jws", "payload.age")
	r.stillWorks("police-b")
}

func TestOddObjectNamesQuarantined(t *testing.T) {
	r := newRig(t, "ngo-a")
	names := []string{
		"inbox/ngo-a/notes.txt",
		"inbox/ngo-a/01M8CW21N82DD0J2VC9MQNBY3С.manifest.jws", // Cyrillic С
		"inbox/NGO-A/01M8CW21N82DD0J2VC9MQNBY3C.manifest.jws",
		"inbox/ngo-a/sub/01M8CW21N82DD0J2VC9MQNBY3C.manifest.jws",
		"inbox/ｎｇｏ-a/01M8CW21N82DD0J2VC9MQNBY3C.manifest.jws", // full-width
		"inbox/ngo-a/01m8cw21n82dd0j2vc9mqnby3c.manifest.jws",
		"inbox/stray",
	}
	for _, n := range names {
		r.put(n, []byte("not a manifest"))
	}
	sum := r.poll()
	if sum.Accepted != 0 {
		t.Fatalf("summary %+v", sum)
	}
	q, err := r.store.Quarantine(r.ctx, false)
	must(t, err)
	got := map[string]string{}
	for _, e := range q {
		got[e.Object] = e.Reason
	}
	for _, n := range names {
		if got[n] != string(submission.ReasonObjectName) {
			t.Errorf("%q: quarantine reason %q", n, got[n])
		}
	}
	if objs, _ := r.hubBox.List(r.ctx, submission.InboxPrefix); len(objs) != 0 {
		t.Errorf("inbox still holds %d objects", len(objs))
	}
	kept, _ := r.hubBox.List(r.ctx, submission.QuarantinePrefix+"_invalid/")
	if len(kept) != 2*len(names) { // each object and its reason
		t.Errorf("quarantine/_invalid holds %d objects, want %d", len(kept), 2*len(names))
	}
	r.stillWorks("ngo-a")
}
