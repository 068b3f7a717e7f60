package e2e

import (
	"testing"

	"github.com/thbx/thbx/submission"
)

func TestSubmitAcceptedThroughS3(t *testing.T) {
	r := newRig(t, "ngo-a", "police-b")
	ea := r.submit("ngo-a")
	eb := r.submit("police-b")
	if st := r.status("ngo-a"); st[ea.ID].State != "pending" {
		t.Fatalf("before the hub ran: %+v", st)
	}
	sum := r.poll()
	if sum.Accepted != 2 {
		t.Fatalf("summary %+v\n%s", sum, r.logs)
	}
	for p, e := range map[string]string{"ngo-a": ea.ID, "police-b": eb.ID} {
		st := r.status(p)[e]
		if st.State != submission.Accepted || st.Records != 3 {
			t.Fatalf("%s: %+v", p, st)
		}
	}
	// Accepted objects moved to archive/, inbox empty.
	objs, err := r.hubBox.List(r.ctx, submission.InboxPrefix)
	must(t, err)
	if len(objs) != 0 {
		t.Fatalf("inbox: %v", objs)
	}
	if _, err := r.hubBox.Stat(r.ctx, submission.ArchiveKey("ngo-a", ea.ID, "payload.age")); err != nil {
		t.Fatal(err)
	}
	// Chained: the second submission continues the first's chain.
	r.stillWorks("ngo-a")
}
