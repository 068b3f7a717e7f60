package keyscli

import (
	"encoding/base64"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
)

// enrolmentRequest writes the request a partner's agent would make, and
// returns the identity that opens its package.
func enrolmentRequest(t *testing.T, path, partner string) (*age.X25519Identity, certs.PartnerPublicKey) {
	t.Helper()
	key, err := certs.GeneratePartnerKey(&detReader{label: "partner " + partner})
	if err != nil {
		t.Fatal(err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := key.Public().MarshalText()
	req := trust.EnrolmentRequest{Partner: partner, Name: "La Strada", Category: "ngo", Datasets: []string{"victims"},
		SigningKey: string(pub), KeyID: key.KeyID(), SecretsRecipient: id.Recipient().String(), Created: t0}
	b, err := req.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return id, key.Public()
}

// trusted verifies bundle.json under root.json as an agent would.
func trusted(t *testing.T, now time.Time) *trust.Bundle {
	t.Helper()
	s, err := trust.ParseSigned(readFile(t, "root.json"))
	if err != nil {
		t.Fatal(err)
	}
	root, err := trust.VerifyRoot(s, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := trust.VerifyBundle(readFile(t, "bundle.json"), root, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A partner is added from its enrolment request with the datasets the
// officers allow, and its enrolment package opens with the partner's
// identity to the linkage secret and the drop-box credentials.
func TestAddPartnerAndEnrolmentPackage(t *testing.T) {
	o := newOfficers(t)
	o.setup()
	id, pub := enrolmentRequest(t, "lastrada.request.json", "ngo-lastrada")

	out := o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-add-partner", "lastrada.request.json",
		"-datasets", "victims,suspects", "-key-valid-for", "240h", "-key", "alice.key", "-out", "add.json")
	for _, want := range []string{
		"confirm with ngo-lastrada (La Strada) by phone that its key id is " + pub.KeyID(),
		`partner added: ngo-lastrada "La Strada" (ngo), datasets victims, suspects`,
		"key added: " + pub.KeyID() + " for ngo-lastrada, valid 2026-03-01T09:00:00Z to 2026-03-11T09:00:00Z",
		"WARNING: key " + pub.KeyID() + " of partner ngo-lastrada expires at 2026-03-11T09:00:00Z (in 10 days)",
		"officers of root version 1: 1 of 2 signature(s) (alice); 1 more needed, from: bob, carol",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("propose does not say %q:\n%s", want, out)
		}
	}
	o.ok("sign", "add.json", "-key", "carol.key", "-root", "root.json", "-bundle", "bundle.json")
	o.ok("publish", "add.json", "-root", "root.json", "-out", "bundle.json")

	b := trusted(t, o.now)
	p, k, err := b.Lookup(pub.KeyID())
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "ngo-lastrada" || !slices.Equal(p.Datasets, []string{"victims", "suspects"}) || b.Version != 2 {
		t.Fatalf("bundle version %d, partner %+v", b.Version, p)
	}
	if !k.NotBefore.Equal(t0) || !k.NotAfter.Equal(t0.Add(240*time.Hour)) {
		t.Fatalf("key valid %s to %s", k.NotBefore, k.NotAfter)
	}

	// The package: the S3 secret comes from the environment only.
	o.ok("linkage-secret", "-out", "linkage.secret")
	args := []string{"enrol-package", "-request", "lastrada.request.json", "-root", "root.json", "-bundle", "bundle.json",
		"-linkage-secret", "linkage.secret", "-s3-access-key", "acct-lastrada", "-out", "lastrada.enrol"}
	o.fails(2, []string{"needs the secret key in THBX_PARTNER_S3_SECRET"}, args...)
	o.env["THBX_PARTNER_S3_SECRET"] = "s3-secret-of-lastrada"
	out = o.ok(args...)
	fingerprint := trust.RootFingerprint(readFile(t, "root.json"))
	if !strings.Contains(out, "root fingerprint: "+fingerprint) {
		t.Fatalf("enrol-package does not print the root fingerprint %s:\n%s", fingerprint, out)
	}
	if info, _ := os.Stat("lastrada.enrol"); info.Mode().Perm() != 0o600 {
		t.Fatalf("package mode %04o", info.Mode().Perm())
	}
	_, got, secrets, err := trust.OpenPackage(readFile(t, "lastrada.enrol"), id, o.now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || secrets.S3AccessKey != "acct-lastrada" || secrets.S3SecretKey != "s3-secret-of-lastrada" ||
		secrets.LinkageSecret != strings.TrimSpace(string(readFile(t, "linkage.secret"))) {
		t.Fatalf("package: bundle version %d, secrets %+v", got.Version, secrets)
	}
	if strings.Contains(string(readFile(t, "lastrada.enrol")), "s3-secret-of-lastrada") {
		t.Fatal("the S3 secret is in the package in the clear")
	}

	// The same request twice is refused.
	o.fails(1, []string{`partner "ngo-lastrada" is already registered`},
		"propose", "-root", "root.json", "-bundle", "bundle.json", "-add-partner", "lastrada.request.json", "-out", "again.json")
}

// An enrolment package is made only for a partner the published bundle
// lists.
func TestEnrolmentPackageNeedsPublishedPartner(t *testing.T) {
	o := newOfficers(t)
	o.setup()
	enrolmentRequest(t, "req.json", "ngo-x")
	o.ok("linkage-secret")
	o.fails(1, []string{"publish the AddPartner change first"}, "enrol-package", "-request", "req.json", "-root", "root.json",
		"-bundle", "bundle.json", "-linkage-secret", "linkage.secret", "-out", "x.enrol")
}

// A bundle that expired before it was published is refused; an expired
// published bundle can be renewed, and only with a new expiry.
func TestExpiry(t *testing.T) {
	o := newOfficers(t)
	o.setup()
	o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-valid-for", "1h", "-key", "alice.key", "-out", "short.json")
	o.ok("sign", "short.json", "-key", "bob.key", "-root", "root.json")
	o.now = o.now.Add(2 * time.Hour)
	o.fails(1, []string{"refusing to publish short.json: trust bundle version 2 expired at 2026-03-01T10:00:00Z"},
		"publish", "short.json", "-root", "root.json", "-out", "bundle.json")
	out, _, _ := o.run("review", "short.json", "-root", "root.json")
	if !strings.Contains(out, "WARNING: the proposal expired at 2026-03-01T10:00:00Z") {
		t.Fatalf("review does not warn of the expiry:\n%s", out)
	}

	// 91 days on, the published bundle (90 days) has expired.
	o.now = t0.Add(91 * 24 * time.Hour)
	out = o.ok("status", "-root", "root.json", "-bundle", "bundle.json")
	if !strings.Contains(out, "WARNING: trust bundle version 1 expired at 2026-05-30T09:00:00Z") {
		t.Fatalf("status does not warn of the expired bundle:\n%s", out)
	}
	o.fails(1, []string{"the published bundle version 1 expired at 2026-05-30T09:00:00Z: renew it with -valid-for 2160h"},
		"propose", "-root", "root.json", "-bundle", "bundle.json", "-policy-digest", strings.Repeat("ab", 32), "-out", "p.json")
	o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-valid-for", "2160h", "-key", "carol.key", "-out", "renew.json")
	out = o.agree("renew.json", "alice", "bob")
	if !strings.Contains(out, "published trust bundle version 2 to bundle.json: signed by carol, alice, bob, expires 2026-08-29T09:00:00Z") {
		t.Fatalf("publish:\n%s", out)
	}
}

// A proposal whose payload was changed after signing is refused by
// publish, and review says which signature no longer verifies.
func TestTamperedProposal(t *testing.T) {
	o := newOfficers(t)
	o.setup()
	enrolmentRequest(t, "req.json", "ngo-a")
	o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-add-partner", "req.json", "-key", "alice.key", "-out", "p.json")
	o.ok("sign", "p.json", "-key", "bob.key", "-root", "root.json")

	s, err := trust.ParseSigned(readFile(t, "p.json"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := s.PayloadBytes()
	forged := strings.Replace(string(payload), `"victims"`, `"suspects"`, 1)
	if forged == string(payload) {
		t.Fatal("nothing to tamper with")
	}
	s.Payload = base64.RawURLEncoding.EncodeToString([]byte(forged))
	if err := rewrite("p.json", s); err != nil {
		t.Fatal(err)
	}
	out := o.ok("review", "p.json", "-root", "root.json", "-bundle", "bundle.json")
	for _, want := range []string{
		"WARNING: signature 1, by officer alice, does not verify",
		"officers of root version 1: 0 of 2 signature(s)",
		"partner added: ngo-a",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("review does not say %q:\n%s", want, out)
		}
	}
	o.fails(1, []string{"refusing to publish p.json", "0 valid officer signature(s), 2 needed", "does not verify"},
		"publish", "p.json", "-root", "root.json", "-out", "bundle.json")
	if b := trusted(t, o.now); b.Version != 1 {
		t.Fatalf("bundle.json changed to version %d", b.Version)
	}
}

// A root rotation needs the old and the new officers; after it, the
// bundle signed under the old root is still the base of the next
// proposal (checked against the root-1.json publish kept), which the new
// officers sign.
func TestRootRotation(t *testing.T) {
	o := newOfficers(t)
	o.setup() // bundle.json is signed by alice and bob
	o.ok("officer-keygen", "-out", "dave.key")
	out := o.ok("root-propose", "-root", "root.json", "-officer", "alice=alice.pub", "-officer", "carol=carol.pub",
		"-officer", "dave=dave.pub", "-name", "dave=Dave Černý", "-threshold", "2", "-out", "root-2.json")
	for _, want := range []string{"officer removed: bob", `officer added: dave "Dave Černý"`, "AND of 2 of the 3 officers of root version 2"} {
		if !strings.Contains(out, want) {
			t.Fatalf("root-propose does not say %q:\n%s", want, out)
		}
	}
	o.ok("sign", "root-2.json", "-key", "dave.key", "-root", "root.json")
	o.ok("sign", "root-2.json", "-key", "carol.key", "-root", "root.json")
	o.fails(1, []string{"signed by the new officers only", "2 of the 3 officers of root version 1 must also sign"},
		"publish", "root-2.json", "-root", "root.json", "-out", "root.json")
	o.ok("sign", "root-2.json", "-key", "bob.key", "-root", "root.json")
	out = o.ok("publish", "root-2.json", "-root", "root.json", "-out", "root.json")
	if !strings.Contains(out, "the previous root is kept as root-1.json") {
		t.Fatalf("publish:\n%s", out)
	}
	if v, err := rootVersionOf(readFile(t, "root-1.json")); err != nil || v != 1 {
		t.Fatalf("root-1.json: version %d, %v", v, err)
	}

	// Of alice and bob, only alice is an officer of root 2.
	out = o.ok("status", "-root", "root.json", "-bundle", "bundle.json")
	if !strings.Contains(out, "WARNING: the bundle was signed under root version 1, not the current 2") {
		t.Fatalf("status:\n%s", out)
	}
	o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-valid-for", "2160h", "-out", "b2.json")
	o.fails(1, []string{"not an officer of root version 2 (officers: alice, carol, dave)"},
		"sign", "b2.json", "-key", "bob.key", "-root", "root.json", "-bundle", "bundle.json")
	out = o.agree("b2.json", "dave", "alice")
	if !strings.Contains(out, "signed by dave, alice") {
		t.Fatalf("publish:\n%s", out)
	}
	if b := trusted(t, o.now); b.RootVersion != 2 || b.Version != 2 {
		t.Fatalf("bundle version %d under root %d", b.Version, b.RootVersion)
	}
	// Publishing the first root again over root.json would go back.
	o.fails(1, []string{"already holds root version 2"}, "publish", "root.proposal.json", "-out", "root.json")
}

// A key rotation keeps the old key valid for the overlap only.
func TestRotateKey(t *testing.T) {
	o := newOfficers(t)
	o.setup()
	_, old := enrolmentRequest(t, "req.json", "ngo-a")
	o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-add-partner", "req.json", "-out", "add.json")
	o.agree("add.json", "alice", "bob")

	next, err := certs.GeneratePartnerKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pem, _ := next.Public().MarshalText()
	if err := os.WriteFile("next.pub", pem, 0o644); err != nil {
		t.Fatal(err)
	}
	o.now = o.now.Add(24 * time.Hour)
	out := o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-rotate-key", "ngo-a=next.pub", "-overlap", "168h", "-out", "rot.json")
	for _, want := range []string{
		"key " + old.KeyID() + " of ngo-a: not after 2027-03-01T09:00:00Z → 2026-03-09T09:00:00Z",
		"key added: " + next.KeyID() + " for ngo-a, valid 2026-03-02T09:00:00Z to 2027-03-02T09:00:00Z",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("propose does not say %q:\n%s", want, out)
		}
	}
	o.fails(2, []string{"-overlap goes with -rotate-key"}, "propose", "-root", "root.json", "-bundle", "bundle.json",
		"-overlap", "1h", "-valid-for", "1h", "-out", "x.json")
}

// hub-rotate keeps the old identities and the receipt key; the proposal
// retires the old recipients.
func TestHubRotate(t *testing.T) {
	o := newOfficers(t)
	o.setup()
	before, err := certs.LoadHubIdentities("hubkeys/hub-identities.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := o.ok("hub-rotate", "-dir", "hubkeys")
	if !strings.Contains(out, "new hub info: hubkeys/hub-20260301T090000Z.json") {
		t.Fatalf("hub-rotate:\n%s", out)
	}
	after, err := certs.LoadHubIdentities("hubkeys/hub-identities.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+2 || after[0].Recipient() != before[0].Recipient() {
		t.Fatalf("identities: %d before, %d after", len(before), len(after))
	}
	if info, _ := os.Stat("hubkeys/hub-identities.txt"); info.Mode().Perm() != 0o600 {
		t.Fatalf("identities mode %04o", info.Mode().Perm())
	}
	o.fails(1, []string{"already exists"}, "hub-rotate", "-dir", "hubkeys")

	o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-rotate-hub", "hubkeys/hub-20260301T090000Z.json", "-out", "hub.json")
	o.agree("hub.json", "alice", "carol")
	b := trusted(t, o.now)
	for i, class := range []string{"standard", "restricted"} {
		if got := b.Hub.Recipients[class]; len(got) != 1 || got[0] != after[len(before)+i].Recipient() {
			t.Fatalf("%s recipients %v", class, got)
		}
		if got := b.Hub.Retired[class]; len(got) != 1 || got[0] != before[i].Recipient() {
			t.Fatalf("%s retired %v", class, got)
		}
	}
	// Nothing new to rotate to.
	o.fails(1, []string{"nothing to rotate"}, "propose", "-root", "root.json", "-bundle", "bundle.json",
		"-rotate-hub", "hubkeys/hub-20260301T090000Z.json", "-out", "again.json")
}

// The first root and bundle go into a directory drop box under trust/; a
// newer bundle there is not replaced by an older one.
func TestUpload(t *testing.T) {
	o := newOfficers(t)
	o.setup()
	o.env["THBX_DROPBOX"], o.env["THBX_DROPBOX_DIR"] = "dir", "dropbox"
	o.ok("publish", "root.proposal.json", "-out", "root.json", "-upload")
	o.ok("publish", "bundle-1.proposal.json", "-root", "root.json", "-out", "bundle.json", "-upload")
	for file, key := range map[string]string{"root.json": "root.json", "root-1.json": "root.json", "bundle.json": "bundle.json"} {
		if got, want := string(readFile(t, "dropbox/trust/"+file)), string(readFile(t, key)); got != want {
			t.Fatalf("dropbox/trust/%s differs from %s", file, key)
		}
	}
	o.ok("propose", "-root", "root.json", "-bundle", "bundle.json", "-valid-for", "2000h", "-out", "b2.json")
	o.ok("sign", "b2.json", "-key", "alice.key", "-root", "root.json")
	o.ok("sign", "b2.json", "-key", "bob.key", "-root", "root.json")
	o.ok("publish", "b2.json", "-root", "root.json", "-out", "bundle.json", "-upload")
	// Another officer still holding version 1 cannot push it back.
	o.fails(1, []string{"the drop box already holds trust bundle version 2, newer than 1"},
		"publish", "bundle-1.proposal.json", "-root", "root.json", "-out", "old-bundle.json", "-upload")
	if _, err := os.Stat("old-bundle.json"); err == nil {
		t.Fatal("a refused upload wrote its -out")
	}
}
