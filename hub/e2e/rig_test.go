package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/deploy/s3gw"
	"github.com/thbx/thbx/hub/demo"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

var gw *s3gw.Gateway

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	var err error
	gw, err = s3gw.Start(ctx, s3gw.Config{})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: cannot start the Versity S3 gateway:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := gw.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: stop gateway:", err)
	}
	os.Exit(code)
}

// rig is one test's world: a fresh bucket, an S3 account per partner and
// one for the hub, the bucket policy that confines each partner, hub keys,
// registered partners and a hub over the bucket.
type rig struct {
	t        *testing.T
	ctx      context.Context
	bucket   string
	world    *demo.World
	hubBox   dropbox.Box
	operator dropbox.Box // the drop box's operator: root, can do anything
	store    *store.Store
	in       *ingest.Ingester
	logs     *bytes.Buffer
	mutate   func(*ingest.Config)
}

func suffix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func boxConfig(bucket, access, secret string) dropbox.Config {
	return dropbox.Config{Type: "s3", Endpoint: gw.Endpoint, Bucket: bucket, AccessKey: access, SecretKey: secret, Insecure: true}
}

func newRig(t *testing.T, partners ...string) *rig {
	t.Helper()
	ctx := context.Background()
	sfx := suffix()
	r := &rig{t: t, ctx: ctx, bucket: "thbx-" + sfx, logs: &bytes.Buffer{}}
	must(t, gw.CreateBucket(ctx, r.bucket))
	hubAcc := "hub-" + sfx
	must(t, gw.CreateUser(ctx, hubAcc, "secret-"+hubAcc))
	var grants []s3gw.Grant
	var specs []demo.PartnerSpec
	for _, p := range partners {
		acc := p + "-" + sfx
		must(t, gw.CreateUser(ctx, acc, "secret-"+acc))
		grants = append(grants, s3gw.Grant{Account: acc, Partner: p})
		specs = append(specs, demo.PartnerSpec{ID: p, Name: p, Category: "ngo",
			Dropbox: boxConfig(r.bucket, acc, "secret-"+acc)})
	}
	pol, err := s3gw.PartnerPolicy(r.bucket, hubAcc, grants)
	must(t, err)
	must(t, gw.PutBucketPolicy(ctx, r.bucket, pol))
	hubCfg := boxConfig(r.bucket, hubAcc, "secret-"+hubAcc)
	r.world, err = demo.NewWorld(t.TempDir(), hubCfg, specs)
	must(t, err)
	r.hubBox, err = dropbox.Open(hubCfg)
	must(t, err)
	r.operator, err = dropbox.Open(boxConfig(r.bucket, gw.RootAccess, gw.RootSecret))
	must(t, err)
	r.store, err = r.world.OpenStore(ctx)
	must(t, err)
	t.Cleanup(func() { r.store.Close() })
	r.restartHub()
	return r
}

// restartHub makes a new Ingester over the same store and registry file,
// as a restarted hub process would.
func (r *rig) restartHub() {
	r.t.Helper()
	cfg, err := r.world.HubConfig(r.hubBox, r.store)
	must(r.t, err)
	cfg.Logger = slog.New(slog.NewTextHandler(r.logs, nil))
	if r.mutate != nil {
		r.mutate(&cfg)
	}
	r.in, err = ingest.New(cfg)
	must(r.t, err)
}

func (r *rig) saveRegistry() {
	r.t.Helper()
	must(r.t, r.world.Registry.Save(r.world.Hub.Registry))
	r.restartHub()
}

func (r *rig) poll() ingest.Summary {
	r.t.Helper()
	sum, err := r.in.Poll(r.ctx)
	if err != nil {
		r.t.Fatalf("poll: %v\nlog:\n%s", err, r.logs)
	}
	return sum
}

// seal seals testdata/victims-small.csv for partner p into its outbox.
func (r *rig) seal(p string) agent.Entry {
	r.t.Helper()
	a, ob, err := r.world.Agent(p)
	must(r.t, err)
	defer ob.Close()
	e, err := a.SealFile(ob, "../../testdata/victims-small.csv", "2025")
	must(r.t, err)
	return e
}

func (r *rig) send(p string) []agent.Entry {
	r.t.Helper()
	a, ob, err := r.world.Agent(p)
	must(r.t, err)
	defer ob.Close()
	sent, err := a.Upload(r.ctx, ob)
	must(r.t, err)
	return sent
}

func (r *rig) submit(p string) agent.Entry {
	r.t.Helper()
	e := r.seal(p)
	r.send(p)
	return e
}

func (r *rig) status(p string) map[string]agent.Status {
	r.t.Helper()
	a, ob, err := r.world.Agent(p)
	must(r.t, err)
	defer ob.Close()
	sts, err := a.Refresh(r.ctx, ob)
	must(r.t, err)
	out := map[string]agent.Status{}
	for _, s := range sts {
		out[s.ID] = s
	}
	return out
}

// receipt reads and verifies the hub's receipt for a submission.
func (r *rig) receipt(p, id string) submission.Receipt {
	r.t.Helper()
	raw := r.get(r.hubBox, submission.ReceiptKey(p, id))
	rk, err := certs.LoadReceiptKey(r.world.Hub.ReceiptKey)
	must(r.t, err)
	rc, err := submission.VerifyReceipt(raw, rk.Public())
	must(r.t, err)
	return rc
}

func (r *rig) wantReceipt(p, id string, reason submission.Reason) submission.Receipt {
	r.t.Helper()
	rc := r.receipt(p, id)
	if rc.Status != submission.Rejected || rc.Reason != reason {
		r.t.Fatalf("receipt for %s/%s: %s %q, want rejected %q (%s)\nlog:\n%s", p, id, rc.Status, rc.Reason, reason, rc.Message, r.logs)
	}
	return rc
}

func (r *rig) get(box dropbox.Box, key string) []byte {
	r.t.Helper()
	rc, _, err := box.Get(r.ctx, key)
	must(r.t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	must(r.t, err)
	return b
}

func (r *rig) put(key string, data []byte) {
	r.t.Helper()
	must(r.t, r.operator.Put(r.ctx, key, bytes.NewReader(data), int64(len(data)), dropbox.PutOptions{}))
}

// outboxFile reads a file of a partner's outbox.
func (r *rig) outboxFile(p, name string) []byte {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.world.Partners[p].Outbox, "pending", name))
	must(r.t, err)
	return b
}

// quarantined returns the keys under quarantine/<p>/<id>/.
func (r *rig) quarantined(p, id string) []string {
	r.t.Helper()
	objs, err := r.hubBox.List(r.ctx, submission.QuarantinePrefix+p+"/"+id+"/")
	must(r.t, err)
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	return keys
}

// wantKept checks that the refused objects were kept in quarantine with
// a reason.
func (r *rig) wantKept(p, id string, names ...string) {
	r.t.Helper()
	keys := strings.Join(r.quarantined(p, id), " ")
	for _, n := range append(names, "reason.json") {
		if !strings.Contains(keys, n) {
			r.t.Fatalf("quarantine of %s/%s lacks %s: %s", p, id, n, keys)
		}
	}
}

// stillWorks checks that the hub keeps going: the partner's next genuine
// submission is accepted.
func (r *rig) stillWorks(p string) {
	r.t.Helper()
	e := r.submit(p)
	r.poll()
	if rc := r.receipt(p, e.ID); rc.Status != submission.Accepted {
		r.t.Fatalf("after the attack, a genuine submission was %s %s: %s\nlog:\n%s", rc.Status, rc.Reason, rc.Message, r.logs)
	}
}

func (r *rig) partnerKey(p string) certs.PartnerKey {
	r.t.Helper()
	k, err := certs.LoadPartnerKey(r.world.Partners[p].Key)
	must(r.t, err)
	return k
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
