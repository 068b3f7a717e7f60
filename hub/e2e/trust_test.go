package e2e

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/deploy/s3gw"
	"github.com/thbx/thbx/hub/server"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// The trust lifecycle of issue 3 against the Versity gateway: officers
// make a 2-of-3 root and a bundle, a partner enrols and submits, its key
// is rotated and the old one revoked, the hub's key is rotated, and an
// old bundle put back in the drop box is refused. Only the library and the
// agent and hub code are used here; the same flow through the commands is
// in the README's officer section (a script test).

type officers struct {
	t    *testing.T
	keys []certs.OfficerKey
	root *trust.Root
	raw  []byte
}

func newOfficers(t *testing.T) *officers {
	o := &officers{t: t}
	var list []trust.Officer
	for _, id := range []string{"alice", "bob", "carol"} {
		k, err := certs.GenerateOfficerKey(nil)
		must(t, err)
		off, err := trust.NewOfficer(id, id, k.Public())
		must(t, err)
		o.keys, list = append(o.keys, k), append(list, off)
	}
	prop, err := trust.NewRootProposal(trust.Root{Version: 1, Expires: time.Now().AddDate(2, 0, 0), Threshold: 2, Officers: list})
	must(t, err)
	must(t, prop.AddSignature(o.keys[0], trust.RootType))
	must(t, prop.AddSignature(o.keys[2], trust.RootType))
	o.raw, err = prop.Marshal()
	must(t, err)
	o.root, err = trust.VerifyRoot(prop, time.Now())
	must(t, err)
	return o
}

// sign has two officers (alice and bob) sign the next bundle.
func (o *officers) sign(next *trust.Bundle) []byte {
	s, err := trust.ProposeSigned(next, o.keys[0])
	must(o.t, err)
	must(o.t, s.AddSignature(o.keys[1], trust.BundleType))
	b, err := s.Marshal()
	must(o.t, err)
	return b
}

type trustRig struct {
	*rig
	off     *officers
	bundle  *trust.Bundle
	hubDir  string
	hub     *server.Hub
	hubCfg  server.Config
	partner string
	pdir    string
}

func (tr *trustRig) publish(next *trust.Bundle) {
	tr.t.Helper()
	b := tr.off.sign(next)
	tr.put(trust.BundleKey, b)
	var err error
	tr.bundle, err = trust.VerifyBundle(b, tr.off.root, tr.bundle, time.Now())
	must(tr.t, err)
}

func (tr *trustRig) change(changes ...trust.Change) {
	tr.t.Helper()
	next, err := trust.Propose(tr.bundle, changes...)
	must(tr.t, err)
	tr.publish(next)
}

// receipt reads and verifies a receipt with this hub's receipt key.
func (tr *trustRig) receipt(p, id string) submission.Receipt {
	tr.t.Helper()
	rk, err := certs.LoadReceiptKey(filepath.Join(tr.hubDir, "receipt.key"))
	must(tr.t, err)
	rc, err := submission.VerifyReceipt(tr.get(tr.hubBox, submission.ReceiptKey(p, id)), rk.Public())
	must(tr.t, err)
	return rc
}

func (tr *trustRig) startHub() {
	tr.t.Helper()
	if tr.hub != nil {
		tr.hub.Close()
	}
	var err error
	tr.hub, err = server.Open(tr.ctx, tr.hubCfg, slog.New(slog.NewTextHandler(tr.logs, nil)))
	must(tr.t, err)
	tr.t.Cleanup(func() { tr.hub.Close() })
}

func (tr *trustRig) pollHub() {
	tr.t.Helper()
	if _, err := tr.hub.Poll(tr.ctx); err != nil {
		tr.t.Fatalf("poll: %v\n%s", err, tr.logs)
	}
}

// agent opens the enrolled partner's agent from its installed config,
// refreshing trust from the drop box first, as the CLI does.
func (tr *trustRig) agent() (*agent.Agent, *agent.Outbox) {
	tr.t.Helper()
	cfg, err := agent.LoadConfig(filepath.Join(tr.pdir, agent.ConfigFile))
	must(tr.t, err)
	box, err := dropbox.Open(cfg.Dropbox)
	must(tr.t, err)
	a, err := agent.New(cfg, box)
	must(tr.t, err)
	// Like the CLI, go on with the bundle held when a published one is
	// refused (here: a rollback).
	if _, err := a.SyncTrust(tr.ctx); err != nil && !errors.Is(err, trust.ErrRollback) {
		tr.t.Fatal(err)
	}
	ob, err := agent.OpenOutbox(cfg.Outbox)
	must(tr.t, err)
	return a, ob
}

func (tr *trustRig) submitAndCheck(want submission.Reason) string {
	tr.t.Helper()
	a, ob := tr.agent()
	defer ob.Close()
	e, err := a.SealFile(ob, "../../testdata/victims-small.csv", "2025")
	must(tr.t, err)
	_, err = a.Upload(tr.ctx, ob)
	must(tr.t, err)
	tr.pollHub()
	rc := tr.receipt(tr.partner, e.ID)
	if (want == "" && rc.Status != submission.Accepted) || (want != "" && rc.Reason != want) {
		tr.t.Fatalf("receipt %+v, want %q\n%s", rc, want, tr.logs)
	}
	return e.ID
}

func TestTrustLifecycleAgainstS3(t *testing.T) {
	r := newRig(t) // bucket and hub account; the partner enrols below
	tr := &trustRig{rig: r, off: newOfficers(t), partner: "ngo-enrolled", pdir: filepath.Join(t.TempDir(), "partner")}
	ctx := context.Background()
	sfx := suffix()
	acc := "ngo-enrolled-" + sfx
	must(t, gw.CreateUser(ctx, acc, "secret-"+acc))
	hubAcc := "hubt-" + sfx
	must(t, gw.CreateUser(ctx, hubAcc, "secret-"+hubAcc))
	pol, err := s3gw.PartnerPolicy(r.bucket, hubAcc, []s3gw.Grant{{Account: acc, Partner: tr.partner}})
	must(t, err)
	must(t, gw.PutBucketPolicy(ctx, r.bucket, pol))
	r.hubBox, err = dropbox.Open(boxConfig(r.bucket, hubAcc, "secret-"+hubAcc))
	must(t, err)

	// Officers: hub keys, the first bundle, published with the root.
	tr.hubDir = filepath.Join(t.TempDir(), "hubkeys")
	files, err := certs.InitHub(tr.hubDir, nil)
	must(t, err)
	info, err := certs.LoadHubInfo(files.HubInfo)
	must(t, err)
	first := &trust.Bundle{Type: trust.BundleType, Expires: time.Now().AddDate(0, 3, 0), RootVersion: 1,
		Dropbox:  trust.Dropbox{Endpoint: gw.Endpoint, Bucket: r.bucket, Insecure: true},
		Registry: certs.Registry{Version: 1, Hub: info, Partners: []certs.Partner{}}}
	tr.publish(first)
	r.put(trust.RootKey, tr.off.raw)
	r.put(trust.RootVersionKey(1), tr.off.raw)

	// The hub pins the root and starts from the first bundle.
	hubTrust := filepath.Join(t.TempDir(), "hubtrust")
	must(t, os.MkdirAll(hubTrust, 0o700))
	must(t, certs.WriteFileAtomic(filepath.Join(hubTrust, "root.json"), tr.off.raw, 0o644))
	must(t, certs.WriteFileAtomic(filepath.Join(hubTrust, "bundle.json"), tr.off.sign(first), 0o644))
	tr.hubCfg = server.Config{Keys: tr.hubDir, Store: filepath.Join(t.TempDir(), "hub.db"),
		Dropbox: boxConfig(r.bucket, hubAcc, "secret-"+hubAcc),
		Trust:   agent.TrustFiles{Root: filepath.Join(hubTrust, "root.json"), Bundle: filepath.Join(hubTrust, "bundle.json")}}
	tr.startHub()

	// Enrolment: request → officers add the partner → package → install.
	reqPath, err := agent.Enrol(tr.pdir, trust.EnrolmentRequest{Partner: tr.partner, Name: "Enrolled NGO", Category: "ngo", Datasets: []string{"victims"}})
	must(t, err)
	reqRaw, err := os.ReadFile(reqPath)
	must(t, err)
	req, err := trust.ParseEnrolmentRequest(reqRaw)
	must(t, err)
	tr.change(trust.AddPartner(*req, nil, 365*24*time.Hour, time.Now().Add(-time.Minute)))
	bundleRaw := r.get(r.operator, trust.BundleKey)
	pkg, err := trust.NewPackage(*req, tr.off.raw, bundleRaw, trust.PackageSecrets{
		LinkageSecret: "thbx-linkage-secret-1:" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I", S3AccessKey: acc, S3SecretKey: "secret-" + acc})
	must(t, err)
	pkgRaw, err := pkg.Marshal()
	must(t, err)
	pkgPath := filepath.Join(t.TempDir(), "partner.enrol")
	must(t, os.WriteFile(pkgPath, pkgRaw, 0o600))
	in, err := agent.Install(tr.pdir, pkgPath, time.Now())
	must(t, err)
	if in.RootFingerprint != trust.RootFingerprint(tr.off.raw) || in.BundleVersion != 2 {
		t.Fatalf("installed %+v", in)
	}

	// The partner submits; the hub picks up bundle 2 from the drop box.
	tr.submitAndCheck("")

	// Key rotation with an overlap: the new key works at once.
	oldKey, err := certs.LoadPartnerKey(filepath.Join(tr.pdir, agent.KeyFile))
	must(t, err)
	newPath := filepath.Join(tr.pdir, "partner-2.key")
	newPub, err := agent.Keygen(newPath, nil)
	must(t, err)
	tr.change(trust.RotateKey(tr.partner, newPub, time.Hour, time.Now().Add(-time.Minute)))
	cfgPath := filepath.Join(tr.pdir, agent.ConfigFile)
	cfgText, err := os.ReadFile(cfgPath)
	must(t, err)
	must(t, os.WriteFile(cfgPath, bytes.Replace(cfgText, []byte("key: partner.key"), []byte("key: partner-2.key"), 1), 0o600))
	tr.submitAndCheck("")

	// The old key is revoked: a submission it signs now is refused.
	tr.change(trust.RevokeKey(oldKey.KeyID(), time.Now().Add(-time.Second)))
	must(t, os.WriteFile(cfgPath, cfgText, 0o600)) // the thief's agent still has the old key
	tr.submitAndCheck(submission.ReasonKeyRevoked)
	must(t, os.WriteFile(cfgPath, bytes.Replace(cfgText, []byte("key: partner.key"), []byte("key: partner-2.key"), 1), 0o600))
	// The refusal of the thief's submission took a place in the chain;
	// the partner's next one continues after it.
	tr.submitAndCheck("")

	// Hub key rotation: new identities appended (the old stay), the hub
	// restarted, the new recipients published. A submission the agent
	// sealed to the old recipient before it saw the new bundle still opens.
	a, ob := tr.agent()
	early, err := a.SealFile(ob, "../../testdata/victims-small.csv", "2025")
	must(t, err)
	ob.Close()
	newID, err := certs.GenerateHubIdentity()
	must(t, err)
	idText, _ := newID.MarshalText()
	f, err := os.OpenFile(files.Identities, os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.Write(idText)
	must(t, err)
	f.Close()
	tr.startHub()
	tr.change(trust.RotateHub("standard", []string{newID.Recipient()}))
	a, ob = tr.agent()
	_, err = a.Upload(tr.ctx, ob)
	must(t, err)
	ob.Close()
	tr.pollHub()
	if rc := tr.receipt(tr.partner, early.ID); rc.Status != submission.Accepted {
		t.Fatalf("submission sealed to the retired recipient: %+v\n%s", rc, tr.logs)
	}
	id := tr.submitAndCheck("")
	raw := r.get(r.hubBox, submission.ArchiveKey(tr.partner, id, "manifest.jws"))
	kid, err := submission.ManifestKeyID(raw)
	must(t, err)
	_, entry, err := tr.bundle.Lookup(kid)
	must(t, err)
	pub, err := entry.PublicKey()
	must(t, err)
	man, err := submission.VerifyManifest(raw, pub)
	must(t, err)
	if len(man.Recipients) != 1 || man.Recipients[0] != certs.RecipientFingerprint(newID.Recipient()) {
		t.Fatalf("after the rotation the agent encrypted to %v", man.Recipients)
	}

	// Rollback: the operator puts the first bundle back; both sides keep
	// the newest they verified.
	r.put(trust.BundleKey, tr.off.sign(first))
	tr.pollHub()
	if !bytes.Contains(tr.logs.Bytes(), []byte("older than the trusted version")) {
		t.Fatalf("the hub did not report the rollback\n%s", tr.logs)
	}
	a, _ = func() (*agent.Agent, *agent.Outbox) {
		cfg, err := agent.LoadConfig(cfgPath)
		must(t, err)
		box, err := dropbox.Open(cfg.Dropbox)
		must(t, err)
		a, err := agent.New(cfg, box)
		must(t, err)
		return a, nil
	}()
	if _, err := a.SyncTrust(ctx); err == nil {
		t.Fatal("the agent took an older bundle")
	}
	tr.submitAndCheck("") // the operator's move did not stop anyone
}
