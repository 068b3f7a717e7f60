package e2e

import (
	"bytes"
	"testing"

	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/submission"
)

// SECURITY.md item 8: no object can exhaust the hub's memory or disk;
// limits are configured and a violation is a clear rejection.

func TestOversizedManifestRejectedUnread(t *testing.T) {
	r := newRig(t, "ngo-a")
	e := r.seal("ngo-a")
	big := bytes.Repeat([]byte("A"), 8<<20)
	r.upload("ngo-a", e.ID, big, r.outboxFile("ngo-a", e.ID+".payload.age"))
	r.poll()
	r.wantReceipt("ngo-a", e.ID, submission.ReasonManifestTooLarge)
	r.wantKept("ngo-a", e.ID, "manifest.jws")
}

func TestPayloadOverLimitRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	r.mutate = func(c *ingest.Config) { c.MaxCiphertext = 512 }
	r.restartHub()
	e := r.submit("ngo-a")
	r.poll()
	rc := r.wantReceipt("ngo-a", e.ID, submission.ReasonTooLarge)
	if rc.Retry {
		t.Fatal("an over-limit payload must not be sent again as it is")
	}
}

func TestPayloadLargerThanDeclaredRejectedUnread(t *testing.T) {
	r := newRig(t, "ngo-a")
	e := r.seal("ngo-a")
	r.upload("ngo-a", e.ID, e.JWS, bytes.Repeat([]byte{0}, 32<<20))
	r.poll()
	r.wantReceipt("ngo-a", e.ID, submission.ReasonSize)
}

func TestOverlongLineRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	r.mutate = func(c *ingest.Config) { c.MaxLine = 100 }
	r.restartHub()
	e := r.submit("ngo-a")
	r.poll()
	r.wantReceipt("ngo-a", e.ID, submission.ReasonPayloadMalformed)
}
