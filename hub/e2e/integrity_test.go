package e2e

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/thbx/thbx/submission"
)

// SECURITY.md item 4: any change to ciphertext or manifest is detected.
// The payload is refused with a retry: the partner's sealed copy is good,
// so its agent sends it again and nothing is lost.

func (r *rig) tamperCiphertext(p string, change func([]byte) []byte) string {
	r.t.Helper()
	e := r.seal(p)
	ct := change(append([]byte(nil), r.outboxFile(p, e.ID+".payload.age")...))
	r.upload(p, e.ID, e.JWS, ct)
	return e.ID
}

func (r *rig) wantRetryThenAccepted(p, id string, reason submission.Reason) {
	r.t.Helper()
	r.poll()
	rc := r.wantReceipt(p, id, reason)
	if !rc.Retry || rc.Chained {
		r.t.Fatalf("receipt %+v: want retry, not chained", rc)
	}
	r.wantKept(p, id, "manifest.jws", "payload.age")
	if st := r.status(p)[id]; st.State != "resending" {
		r.t.Fatalf("agent: %+v", st)
	}
	r.send(p)
	r.poll()
	if rc := r.receipt(p, id); rc.Status != submission.Accepted {
		r.t.Fatalf("after resending: %+v\n%s", rc, r.logs)
	}
}

func TestCiphertextBitFlipDetected(t *testing.T) {
	r := newRig(t, "ngo-a")
	id := r.tamperCiphertext("ngo-a", func(b []byte) []byte { b[len(b)/2] ^= 0x80; return b })
	r.wantRetryThenAccepted("ngo-a", id, submission.ReasonHash)
}

func TestCiphertextTruncatedDetected(t *testing.T) {
	r := newRig(t, "ngo-a")
	id := r.tamperCiphertext("ngo-a", func(b []byte) []byte { return b[:len(b)-17] })
	r.wantRetryThenAccepted("ngo-a", id, submission.ReasonSize)
}

func TestCiphertextAppendedDetected(t *testing.T) {
	r := newRig(t, "ngo-a")
	id := r.tamperCiphertext("ngo-a", func(b []byte) []byte { return append(b, "more"...) })
	r.wantRetryThenAccepted("ngo-a", id, submission.ReasonSize)
}

func TestSwappedCiphertextsDetected(t *testing.T) {
	r := newRig(t, "ngo-a")
	e1 := r.seal("ngo-a")
	e2 := r.seal("ngo-a")
	ct1 := r.outboxFile("ngo-a", e1.ID+".payload.age")
	ct2 := r.outboxFile("ngo-a", e2.ID+".payload.age")
	if len(ct1) != len(ct2) {
		// Same records, same recipients: the sizes match, so only the
		// hash tells them apart.
		t.Fatalf("sizes differ: %d %d", len(ct1), len(ct2))
	}
	r.upload("ngo-a", e1.ID, e1.JWS, ct2)
	r.upload("ngo-a", e2.ID, e2.JWS, ct1)
	sum := r.poll()
	if sum.Accepted != 0 || sum.Waiting != 1 {
		t.Fatalf("summary %+v", sum)
	}
	r.wantReceipt("ngo-a", e1.ID, submission.ReasonHash)
	// The agent resends the first; the second, still swapped, is refused
	// in its turn and resent too.
	r.status("ngo-a")
	r.send("ngo-a")
	r.poll()
	r.wantReceipt("ngo-a", e2.ID, submission.ReasonHash)
	r.status("ngo-a")
	r.send("ngo-a")
	r.poll()
	st := r.status("ngo-a")
	if st[e1.ID].State != submission.Accepted || st[e2.ID].State != submission.Accepted {
		t.Fatalf("status %+v\n%s", st, r.logs)
	}
}

func TestManifestClaimsTamperedDetected(t *testing.T) {
	r := newRig(t, "ngo-a")
	e := r.seal("ngo-a")
	// Same header and signature, claims changed: one record more.
	parts := strings.Split(string(e.JWS), ".")
	m := e.Manifest
	m.Records++
	claims, _ := json.Marshal(m)
	jws := parts[0] + "." + base64.RawURLEncoding.EncodeToString(claims) + "." + parts[2]
	r.upload("ngo-a", e.ID, []byte(jws), r.outboxFile("ngo-a", e.ID+".payload.age"))
	r.poll()
	r.wantReceipt("ngo-a", e.ID, submission.ReasonSignature)
	r.wantKept("ngo-a", e.ID, "manifest.jws", "payload.age")
}
