package ingest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
)

// A hub that holds no restricted identity keeps a restricted submission
// sealed: it verifies it, takes it into the partner's chain, archives the
// ciphertext unopened, lists it as held and tells the partner so, and the
// partner's next submission goes through.
func TestRestrictedHeldSealed(t *testing.T) {
	e := newEnv(t, "embassy-x")
	cfg := e.world.Partners["embassy-x"]
	cfg.Classification = submission.Restricted
	e.world.Partners["embassy-x"] = cfg

	hc, err := e.world.HubConfig(e.box, e.store)
	if err != nil {
		t.Fatal(err)
	}
	restricted := hc.Registry.Hub.Recipients[submission.Restricted]
	hc.Identities = slices.DeleteFunc(hc.Identities, func(id certs.HubIdentity) bool {
		return slices.Contains(restricted, id.Recipient())
	})
	in, err := ingest.New(hc)
	if err != nil {
		t.Fatal(err)
	}
	ent := e.submit("embassy-x", "../../testdata/victims-small.csv")
	sum, err := in.Poll(context.Background())
	if err != nil || sum.Held != 1 || sum.Accepted+sum.Rejected+sum.Quarantined != 0 {
		t.Fatalf("poll: %+v %v", sum, err)
	}
	sub, err := e.store.Submission(context.Background(), "embassy-x", ent.ID)
	if err != nil || sub.Status != submission.Held || sub.Records != 0 || sub.Reason != string(submission.ReasonAwaitingRestricted) {
		t.Fatalf("stored %+v %v", sub, err)
	}
	if n, _ := e.store.CountRecords(context.Background()); n["embassy-x"] != 0 {
		t.Fatalf("records of a held submission stored: %v", n)
	}
	if _, err := e.box.Stat(context.Background(), submission.ArchiveKey("embassy-x", ent.ID, "payload.age")); err != nil {
		t.Fatalf("sealed payload not archived: %v", err)
	}
	held, err := e.store.Submissions(context.Background(), store.Filter{Status: submission.Held})
	if err != nil || len(held) != 1 {
		t.Fatalf("held listing %v %v", held, err)
	}
	// The partner's agent sees it as final, and its next one is in order.
	if st := e.refresh("embassy-x"); len(st) != 1 || st[0].State != submission.Held {
		t.Fatalf("status %+v", st)
	}
	e.submit("embassy-x", "../../testdata/victims-small.csv")
	if sum, err := in.Poll(context.Background()); err != nil || sum.Held != 1 {
		t.Fatalf("next poll: %+v %v", sum, err)
	}
}
