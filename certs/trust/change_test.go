package trust_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
)

// request is an enrolment request for partner id, key label "new".
func request(t testing.TB, id, recipient string) trust.EnrolmentRequest {
	k := partnerKey(t, id+" new")
	return trust.EnrolmentRequest{Partner: id, Name: "La Strada", Category: "ngo", Datasets: []string{"victims"},
		SigningKey: text(t, k.Public()), KeyID: k.KeyID(), SecretsRecipient: recipient, Created: now}
}

// propose applies one change to the usual bundle, checks that the version
// rose by one and the diff is want, and returns the new bundle.
func propose(t *testing.T, c trust.Change, want ...string) *trust.Bundle {
	t.Helper()
	old := bundle(t)
	before := must(old.Marshal())
	next, err := trust.Propose(old, c)
	if err != nil {
		t.Fatalf("%s: %v", c, err)
	}
	if string(must(old.Marshal())) != string(before) {
		t.Fatal("Propose modified the current bundle")
	}
	if next.Version != old.Version+1 {
		t.Fatalf("version %d → %d", old.Version, next.Version)
	}
	equalLines(t, trust.Diff(old, next), append([]string{"version 3 → 4"}, want...))
	return next
}

func TestChangeAddPartner(t *testing.T) {
	req := request(t, "la-strada", x25519Recipient)
	next := propose(t, trust.AddPartner(req, []string{"victims", "suspects"}, 365*24*time.Hour, now),
		`partner added: la-strada "La Strada" (ngo), datasets victims, suspects`,
		"key added: "+req.KeyID+" for la-strada, valid 2025-06-01T12:00:00Z to 2026-06-01T12:00:00Z, active")
	p, _ := next.Partner("la-strada")
	if len(p.Keys) != 1 || p.Keys[0].KeyID != req.KeyID {
		t.Fatalf("%+v", p)
	}
	// nil datasets: those requested; a partner enrolled twice is refused.
	n2 := must(trust.Propose(bundle(t), trust.AddPartner(req, nil, 0, now)))
	if p, _ := n2.Partner("la-strada"); p.Datasets[0] != "victims" || !p.Keys[0].NotAfter.IsZero() {
		t.Fatalf("%+v", p)
	}
	_, err := trust.Propose(n2, trust.AddPartner(req, nil, 0, now))
	wantErr(t, err, nil, "already registered")
	bad := req
	bad.KeyID = "AAAAAAAAAAAAAAAA"
	_, err = trust.Propose(bundle(t), trust.AddPartner(bad, nil, 0, now))
	wantErr(t, err, nil, "does not match the signing key")
}

func TestChangeAddKey(t *testing.T) {
	k := partnerKey(t, "a2").Public()
	propose(t, trust.AddKey("ngo-a", k, now, jan2030),
		"key added: "+k.KeyID()+" for ngo-a, valid 2025-06-01T12:00:00Z to 2030-01-01T00:00:00Z, active")
	_, err := trust.Propose(bundle(t), trust.AddKey("nobody", k, now, jan2030))
	wantErr(t, err, certs.ErrNoPartner)
	// A key of one partner cannot be added to another.
	_, err = trust.Propose(bundle(t), trust.AddKey("ngo-a", partnerKey(t, "b").Public(), now, jan2030))
	wantErr(t, err, nil, "already registered")
}

func TestChangeRotateKey(t *testing.T) {
	b := bundle(t)
	old := b.Partners[0].Keys[0].KeyID
	k := partnerKey(t, "a2").Public()
	next := propose(t, trust.RotateKey("ngo-a", k, 7*24*time.Hour, now),
		"key "+old+" of ngo-a: not after 2026-01-01T00:00:00Z → 2025-06-08T12:00:00Z",
		// The new key lives as long as the old one did (one year).
		"key added: "+k.KeyID()+" for ngo-a, valid 2025-06-01T12:00:00Z to 2026-06-01T12:00:00Z, active")
	// During the overlap both keys sign; after it only the new one.
	p, _ := next.Partner("ngo-a")
	if p.Keys[0].ValidAt(now.Add(24*time.Hour)) != nil || p.Keys[0].ValidAt(now.Add(8*24*time.Hour)) == nil {
		t.Fatal("overlap window wrong")
	}
	// An overlap longer than the old key's life keeps its earlier end.
	next = must(trust.Propose(b, trust.RotateKey("ngo-a", k, 10*365*24*time.Hour, now)))
	if p, _ := next.Partner("ngo-a"); !p.Keys[0].NotAfter.Equal(jan2026) {
		t.Fatal("rotation extended an old key")
	}
	_, err := trust.Propose(b, trust.RotateKey("ngo-a", k, -time.Hour, now))
	wantErr(t, err, nil, "negative overlap")
}

func TestChangeRevokeKey(t *testing.T) {
	kid := bundle(t).Partners[1].Keys[0].KeyID
	next := propose(t, trust.RevokeKey(kid, now), "key revoked: "+kid+" of police-cz, from 2025-06-01T12:00:00Z",
		"key "+kid+" of police-cz: status active → revoked")
	_, err := trust.Propose(next, trust.RevokeKey(kid, now))
	wantErr(t, err, nil, "already revoked")
	_, err = trust.Propose(next, trust.RevokeKey("nope", now))
	wantErr(t, err, certs.ErrUnknownKey)
}

func TestChangeRotateHub(t *testing.T) {
	id := must(certs.GenerateHubIdentity())
	next := propose(t, trust.RotateHub("restricted", []string{id.Recipient()}),
		"hub restricted recipient added: "+id.Recipient(),
		"hub restricted recipient retired (agents stop encrypting to it, the hub still opens it): "+x25519Recipient)
	if !reflect.DeepEqual(next.Hub.Retired, map[string][]string{"restricted": {x25519Recipient}}) ||
		next.Hub.Recipients["restricted"][0] != id.Recipient() || next.Hub.Recipients["standard"][0] != x25519Recipient {
		t.Fatalf("%+v", next.Hub)
	}
	for _, c := range []trust.Change{trust.RotateHub("secret", []string{id.Recipient()}), trust.RotateHub("standard", nil),
		trust.RotateHub("standard", []string{"age1nope"})} {
		_, err := trust.Propose(bundle(t), c)
		wantErr(t, err, nil, "propose")
	}
}

func TestChangeSetReceiptKey(t *testing.T) {
	rk := must(certs.GenerateReceiptKey(&detReader{label: "receipt 2"})).Public()
	old := must(certs.GenerateReceiptKey(&detReader{label: "hub receipt"})).Public()
	propose(t, trust.SetReceiptKey(text(t, rk)), "hub receipt key changed: "+old.KeyID()+" → "+rk.KeyID())
	// A partner key in the receipt key's place is refused.
	_, err := trust.Propose(bundle(t), trust.SetReceiptKey(text(t, partnerKey(t, "a").Public())))
	wantErr(t, err, certs.ErrWrongKey)
}

func TestChangeSetExpiry(t *testing.T) {
	propose(t, trust.SetExpiry(jan2030), "expires 2026-01-01T00:00:00Z → 2030-01-01T00:00:00Z")
}

func TestChangeSetDropbox(t *testing.T) {
	propose(t, trust.SetDropbox(trust.Dropbox{Endpoint: "localhost:7070", Bucket: "test", Insecure: true}),
		"drop box changed: endpoint dropbox.example.org:9000, bucket thbx-dropbox, region eu-central-1 → endpoint localhost:7070, bucket test, INSECURE plain HTTP")
	_, err := trust.Propose(bundle(t), trust.SetDropbox(trust.Dropbox{Endpoint: "http://x", Bucket: "b"}))
	wantErr(t, err, nil, "not host[:port]")
}

func TestChangeSetPolicyDigest(t *testing.T) {
	d := "sha256:" + strings.Repeat("ab", 32)
	propose(t, trust.SetPolicyDigest(d), "policy digest changed: (none) → "+d)
	_, err := trust.Propose(bundle(t), trust.SetPolicyDigest("latest"))
	wantErr(t, err, nil, "not a hex SHA-256")
}

func TestChangeSetRootVersion(t *testing.T) {
	propose(t, trust.SetRootVersion(2), "root version 1 → 2")
	_, err := trust.Propose(bundle(t), trust.SetRootVersion(0))
	wantErr(t, err, nil, "lower")
}

func TestProposeSeveralChangesBumpsOnce(t *testing.T) {
	kid := bundle(t).Partners[1].Keys[0].KeyID
	next := must(trust.Propose(bundle(t), trust.RevokeKey(kid, now), trust.SetExpiry(jan2030),
		trust.AddKey("police-cz", partnerKey(t, "b2").Public(), now, time.Time{})))
	if next.Version != 4 {
		t.Fatalf("version %d", next.Version)
	}
	d := trust.Diff(bundle(t), next)
	if len(d) != 5 {
		t.Fatalf("diff %q", d)
	}
	_, err := trust.Propose(bundle(t))
	wantErr(t, err, nil, "no change")
	// A refused change refuses the whole proposal.
	_, err = trust.Propose(bundle(t), trust.SetExpiry(jan2030), trust.RevokeKey("nope", now))
	wantErr(t, err, certs.ErrUnknownKey, "revoke key nope")
}

func TestProposalWorkflow(t *testing.T) {
	// alice proposes; bob reviews the diff of the proposal and co-signs;
	// once two have signed the bundle verifies.
	r := root(t)
	current := must(trust.VerifyBundle(signBundle(t, bundle(t), "alice", "bob"), r, nil, now))
	next := must(trust.Propose(current, trust.SetExpiry(jan2030)))
	prop := must(trust.ProposeSigned(next, officerKey(t, "alice")))
	file := must(prop.Marshal())
	_, err := trust.VerifyBundle(file, r, current, now)
	wantErr(t, err, trust.ErrThreshold, "1 valid officer signature(s), 2 needed")

	review := must(trust.ParseSigned(file))
	proposed := must(trust.ProposedBundle(review))
	equalLines(t, trust.Diff(current, proposed), []string{"version 3 → 4", "expires 2026-01-01T00:00:00Z → 2030-01-01T00:00:00Z"})
	if err := review.AddSignature(officerKey(t, "bob"), trust.BundleType); err != nil {
		t.Fatal(err)
	}
	got := must(trust.VerifyBundle(must(review.Marshal()), r, current, now))
	if got.Version != 4 {
		t.Fatal(got.Version)
	}
}

func TestDiffPartnerRemovedAndChanged(t *testing.T) {
	old := bundle(t)
	next := bundle(t)
	next.Partners = next.Partners[1:]
	next.Partners[0].Name = "Policie ČR"
	next.Partners[0].Datasets = []string{"suspects"}
	equalLines(t, trust.Diff(old, next), []string{
		`partner removed: ngo-a "NGO A" (ngo), 1 key(s)`,
		`partner police-cz: name "Police" → "Policie ČR"`,
		`partner police-cz: datasets victims, suspects → suspects`,
	})
	if len(trust.Diff(nil, old)) < 5 {
		t.Fatalf("diff from nothing: %q", trust.Diff(nil, old))
	}
}

func TestChangeString(t *testing.T) {
	if s := trust.SetExpiry(jan2030).String(); s != "set expiry to 2030-01-01T00:00:00Z" {
		t.Fatal(s)
	}
	_, err := trust.Propose(bundle(t), trust.Change{})
	wantErr(t, err, nil, "empty change")
}
