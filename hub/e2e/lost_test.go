package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// SECURITY.md item 7: nothing is lost. A refused submission is kept with
// its reason; the agent keeps its copy until the receipt for it arrives;
// a hub stopped at any step resumes without loss or double counting.

var errCrash = errors.New("simulated crash")

// crashingBox fails every drop-box operation from the n-th on, as if the
// hub had died at that step.
type crashingBox struct {
	dropbox.Box
	failAt, n int
}

func (c *crashingBox) step(op string) error {
	c.n++
	if c.n >= c.failAt {
		return fmt.Errorf("%s: %w", op, errCrash)
	}
	return nil
}

func (c *crashingBox) Put(ctx context.Context, key string, r io.Reader, size int64, o dropbox.PutOptions) error {
	if err := c.step("put"); err != nil {
		return err
	}
	return c.Box.Put(ctx, key, r, size, o)
}

func (c *crashingBox) Get(ctx context.Context, key string) (io.ReadCloser, dropbox.Object, error) {
	if err := c.step("get"); err != nil {
		return nil, dropbox.Object{}, err
	}
	return c.Box.Get(ctx, key)
}

func (c *crashingBox) Stat(ctx context.Context, key string) (dropbox.Object, error) {
	if err := c.step("stat"); err != nil {
		return dropbox.Object{}, err
	}
	return c.Box.Stat(ctx, key)
}

func (c *crashingBox) Copy(ctx context.Context, src, dst string) error {
	if err := c.step("copy"); err != nil {
		return err
	}
	return c.Box.Copy(ctx, src, dst)
}

func (c *crashingBox) Delete(ctx context.Context, key string) error {
	if err := c.step("delete"); err != nil {
		return err
	}
	return c.Box.Delete(ctx, key)
}

func TestHubCrashAtEveryStepLosesNothing(t *testing.T) {
	for failAt := 1; ; failAt++ {
		r := newRig(t, "ngo-a")
		e := r.submit("ngo-a")
		crash := &crashingBox{Box: r.hubBox, failAt: failAt}
		r.mutate = func(c *ingest.Config) { c.Box = crash }
		r.restartHub()
		_, err := r.in.Poll(r.ctx)
		if err != nil && !errors.Is(err, errCrash) {
			t.Fatalf("step %d: %v", failAt, err)
		}
		// Restart on a healthy drop box; poll twice, as a hub would.
		r.mutate = nil
		r.restartHub()
		r.poll()
		r.poll()
		n, _ := r.store.CountRecords(r.ctx)
		if n["ngo-a"] != 3 {
			t.Fatalf("crash at step %d: %d records stored, want 3\n%s", failAt, n["ngo-a"], r.logs)
		}
		if rc := r.receipt("ngo-a", e.ID); rc.Status != submission.Accepted {
			t.Fatalf("crash at step %d: receipt %+v", failAt, rc)
		}
		if objs, _ := r.hubBox.List(r.ctx, submission.InboxPrefix); len(objs) != 0 {
			t.Fatalf("crash at step %d: inbox %v", failAt, objs)
		}
		if _, err := r.hubBox.Stat(r.ctx, submission.ArchiveKey("ngo-a", e.ID, "payload.age")); err != nil {
			t.Fatalf("crash at step %d: archive: %v", failAt, err)
		}
		if st := r.status("ngo-a")[e.ID]; st.State != submission.Accepted {
			t.Fatalf("crash at step %d: agent %+v", failAt, st)
		}
		if err == nil {
			t.Logf("a submission takes %d drop-box steps; a crash at each of them was survived", failAt-1)
			return
		}
	}
}

func TestAgentKeepsSubmissionUntilReceipt(t *testing.T) {
	r := newRig(t, "ngo-a")
	e := r.submit("ngo-a")
	for i := 0; i < 2; i++ { // no receipt yet: stays pending, however often asked
		if st := r.status("ngo-a")[e.ID]; st.State != "pending" {
			t.Fatalf("status %+v", st)
		}
		r.outboxFile("ngo-a", e.ID+".payload.age")
	}
	r.poll()
	if st := r.status("ngo-a")[e.ID]; st.State != submission.Accepted {
		t.Fatalf("status %+v", st)
	}
}

func TestAgentUploadInterruptedIsCompletedByRetry(t *testing.T) {
	r := newRig(t, "ngo-a")
	e := r.seal("ngo-a")
	// Only the payload made it before the agent died.
	r.put(submission.CiphertextKey("ngo-a", e.ID), r.outboxFile("ngo-a", e.ID+".payload.age"))
	if sum := r.poll(); sum != (ingest.Summary{}) {
		t.Fatalf("a payload without its manifest was processed: %+v", sum)
	}
	r.send("ngo-a") // the retry: the payload is there already, the manifest follows
	r.poll()
	if st := r.status("ngo-a")[e.ID]; st.State != submission.Accepted {
		t.Fatalf("status %+v\n%s", st, r.logs)
	}
}
