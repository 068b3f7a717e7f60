package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// SECURITY.md item 3: every accepted submission was signed by a key the
// registry lists for that partner at the time of signing.

// upload puts a manifest (and optionally a ciphertext) as the drop box's
// operator, who can write anywhere.
func (r *rig) upload(p, id string, manifest, ciphertext []byte) {
	r.t.Helper()
	if ciphertext != nil {
		r.put(submission.CiphertextKey(p, id), ciphertext)
	}
	r.put(submission.ManifestKey(p, id), manifest)
}

// forged seals a genuine submission for partner p (not uploaded) and
// returns its manifest claims and ciphertext, for an attacker to re-sign.
func (r *rig) forged(p string) (submission.Manifest, []byte) {
	r.t.Helper()
	e := r.seal(p)
	return e.Manifest, r.outboxFile(p, e.ID+".payload.age")
}

// newManifestID makes a fresh submission id for forged claims m, with m's
// creation time moved to now (an id encodes its creation time).
func newManifestID(t *testing.T, m *submission.Manifest) string {
	m.Created = time.Now().UTC().Truncate(time.Millisecond)
	id, err := submission.NewID(m.Created, nil)
	must(t, err)
	return id
}

func TestForgedSignatureRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	e := r.seal("ngo-a")
	// One bit of the signature flipped, the encoding kept canonical (a
	// flipped base64 character can be no base64 at all).
	parts := strings.Split(string(e.JWS), ".")
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	must(t, err)
	sig[10] ^= 0x01
	jws := []byte(parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig))
	r.upload("ngo-a", e.ID, jws, r.outboxFile("ngo-a", e.ID+".payload.age"))
	r.poll()
	r.wantReceipt("ngo-a", e.ID, submission.ReasonSignature)
	r.wantKept("ngo-a", e.ID, "manifest.jws", "payload.age")
	// The agent sees a receipt for a manifest that is not its own, so it
	// sends its own sealed copy again, which is accepted.
	if st := r.status("ngo-a")[e.ID]; st.State != "resending" {
		t.Fatalf("agent state %+v", st)
	}
	r.send("ngo-a")
	r.poll()
	if st := r.status("ngo-a")[e.ID]; st.State != submission.Accepted {
		t.Fatalf("after resending: %+v\n%s", st, r.logs)
	}
}

func TestUnknownKeyRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	m, ct := r.forged("ngo-a")
	stranger, err := certs.GeneratePartnerKey(nil)
	must(t, err)
	m.KeyID = stranger.KeyID()
	m.Submission = newManifestID(t, &m)
	jws, err := submission.SignManifest(&m, stranger)
	must(t, err)
	r.upload("ngo-a", m.Submission, jws, ct)
	r.poll()
	r.wantReceipt("ngo-a", m.Submission, submission.ReasonUnknownKey)
	r.wantKept("ngo-a", m.Submission, "manifest.jws")
	r.stillWorks("ngo-a")
}

func TestKeyOfAnotherPartnerRejected(t *testing.T) {
	r := newRig(t, "ngo-a", "police-b")
	m, ct := r.forged("ngo-a")
	other := r.partnerKey("police-b")
	m.KeyID = other.KeyID()
	m.Submission = newManifestID(t, &m)
	jws, err := submission.SignManifest(&m, other)
	must(t, err)
	r.upload("ngo-a", m.Submission, jws, ct)
	r.poll()
	r.wantReceipt("ngo-a", m.Submission, submission.ReasonKeyPartner)
	r.stillWorks("ngo-a")
}

func TestRevokedKeyRejected(t *testing.T) {
	r := newRig(t, "ngo-a", "police-b")
	kid := r.partnerKey("ngo-a").KeyID()
	must(t, r.world.Registry.RevokeKey(kid, time.Now().Add(-time.Minute)))
	r.saveRegistry()
	e := r.submit("ngo-a")
	r.poll()
	rc := r.wantReceipt("ngo-a", e.ID, submission.ReasonKeyRevoked)
	if !rc.Chained {
		t.Fatal("a final rejection of an authentic manifest should take its place in the chain")
	}
	if st := r.status("ngo-a")[e.ID]; st.State != submission.Rejected || st.Reason != string(submission.ReasonKeyRevoked) {
		t.Fatalf("agent status %+v", st)
	}
	r.wantKept("ngo-a", e.ID, "manifest.jws", "payload.age")
	r.stillWorks("police-b")
}

func TestExpiredKeyRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	p, _ := r.world.Registry.Partner("ngo-a")
	p.Keys[0].NotBefore = time.Now().Add(-48 * time.Hour)
	p.Keys[0].NotAfter = time.Now().Add(-24 * time.Hour)
	r.saveRegistry()
	e := r.submit("ngo-a")
	r.poll()
	r.wantReceipt("ngo-a", e.ID, submission.ReasonKeyExpired)
}

// rawJWS builds a compact JWS with any header and signature.
func rawJWS(header map[string]string, claims []byte, sign func(input []byte) []byte) []byte {
	h, _ := json.Marshal(header)
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(claims)
	return []byte(input + "." + base64.RawURLEncoding.EncodeToString(sign([]byte(input))))
}

func TestAlgNoneRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	m, ct := r.forged("ngo-a")
	m.Submission = newManifestID(t, &m)
	claims, _ := json.Marshal(m)
	jws := rawJWS(map[string]string{"alg": "none", "kid": m.KeyID, "typ": submission.ManifestType}, claims,
		func([]byte) []byte { return nil })
	r.upload("ngo-a", m.Submission, jws, ct)
	r.poll()
	r.wantReceipt("ngo-a", m.Submission, submission.ReasonSignature)
	r.stillWorks("ngo-a")
}

func TestHMACKeyedWithPublicKeyRejected(t *testing.T) {
	r := newRig(t, "ngo-a")
	m, ct := r.forged("ngo-a")
	pub := r.partnerKey("ngo-a").Public()
	pem, _ := pub.MarshalText()
	for i, secret := range [][]byte{pub.Bytes(), pem} {
		m.Submission = newManifestID(t, &m)
		claims, _ := json.Marshal(m)
		jws := rawJWS(map[string]string{"alg": "HS256", "kid": m.KeyID, "typ": submission.ManifestType}, claims,
			func(in []byte) []byte {
				mac := hmac.New(sha256.New, secret)
				mac.Write(in)
				return mac.Sum(nil)
			})
		r.upload("ngo-a", m.Submission, jws, ct)
		r.poll()
		if rc := r.receipt("ngo-a", m.Submission); rc.Reason != submission.ReasonSignature {
			t.Fatalf("secret %d: receipt %+v", i, rc)
		}
	}
	r.stillWorks("ngo-a")
}

// A partner re-signs another partner's ciphertext as its own: the hash
// matches, the signature is its own and valid, but the encrypted payload
// names the real author.
func TestResignedCiphertextOfAnotherPartnerRejected(t *testing.T) {
	r := newRig(t, "ngo-a", "police-b")
	victim := r.submit("ngo-a")
	ct := r.outboxFile("ngo-a", victim.ID+".payload.age")
	thief := r.partnerKey("police-b")
	m := victim.Manifest
	m.Partner, m.KeyID, m.Submission, m.Sequence, m.Previous = "police-b", thief.KeyID(), newManifestID(t, &m), 1, ""
	jws, err := submission.SignManifest(&m, thief)
	must(t, err)
	r.upload("police-b", m.Submission, jws, ct)
	sum := r.poll()
	if sum.Accepted != 1 || sum.Rejected != 1 {
		t.Fatalf("summary %+v\n%s", sum, r.logs)
	}
	r.wantReceipt("police-b", m.Submission, submission.ReasonPayloadMismatch)
	if rc := r.receipt("ngo-a", victim.ID); rc.Status != submission.Accepted {
		t.Fatalf("the real author's submission: %+v", rc)
	}
}
