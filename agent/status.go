package agent

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// Status is what the agent knows of one submission.
type Status struct {
	ID      string `json:"id"`
	Dataset string `json:"dataset"`
	Period  string `json:"period"`
	Seq     uint64 `json:"seq"`
	// State is pending, accepted, held (kept sealed by the hub, final),
	// rejected, resending or refused (kept;
	// see Outbox's Refused).
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	Records int64  `json:"records"`
}

// Status states.
const (
	StatePending   = "pending"
	StateResending = "resending"
	StateRefused   = "refused"
)

// maxReceipt bounds what the agent reads of a receipt object.
const maxReceipt = 64 << 10

// Refresh fetches and verifies the receipt of every pending entry. A final
// receipt for exactly this entry's manifest moves it to done. A receipt
// that asks for a retry, or that answers a manifest other than the
// agent's own (the upload was replaced on the way), marks the entry to be
// sent again by the next Upload. It returns every entry's status, done
// ones included.
func (a *Agent) Refresh(ctx context.Context, ob *Outbox) ([]Status, error) {
	pending, err := ob.Pending()
	if err != nil {
		return nil, err
	}
	var out []Status
	for _, e := range pending {
		st := Status{ID: e.ID, Dataset: e.Manifest.Dataset, Period: e.Manifest.Period, Seq: e.Manifest.Sequence, State: StatePending}
		raw, r, err := a.fetchReceipt(ctx, e.ID)
		switch {
		case errors.Is(err, dropbox.ErrNotFound):
		case errors.Is(err, errBadReceipt):
			st.Message = err.Error() + "; ignored"
		case err != nil:
			return nil, err
		case r.Manifest == e.Hash && !r.Retry && r.Chained:
			// Final, and in the chain: accepted, or rejected for good.
			if err := ob.noteHubHead(r.HeadSeq, r.HeadHash); err != nil {
				return nil, err
			}
			if err := ob.finish(e, raw); err != nil {
				return nil, err
			}
			continue // listed with the done entries below
		case r.Manifest == e.Hash && !r.Retry:
			// Refused outside the chain: keep the sealed submission until
			// the cause is mended and `send -all` re-signs it.
			if err := ob.noteHubHead(r.HeadSeq, r.HeadHash); err != nil {
				return nil, err
			}
			e.State.Refused = &Refusal{Reason: string(r.Reason), Message: r.Message}
			e.State.Answered = receiptID(raw)
			if err := ob.saveState(e); err != nil {
				return nil, err
			}
		case receiptID(raw) != e.State.Answered:
			// A receipt we have not acted on refuses what arrived: send
			// our own sealed copy again. (The same receipt seen again
			// answers the earlier upload, not the new one.)
			e.State.Uploaded = time.Time{}
			e.State.Answered = receiptID(raw)
			if err := ob.saveState(e); err != nil {
				return nil, err
			}
			st.State, st.Reason, st.Message = StateResending, string(r.Reason), r.Message
		}
		if e.State.Refused != nil {
			st.State, st.Reason, st.Message = StateRefused, e.State.Refused.Reason,
				e.State.Refused.Message+"; the sealed submission is kept: once that is mended, run 'thbx-agent send -all'"
		}
		out = append(out, st)
	}
	done, err := ob.Done()
	if err != nil {
		return nil, err
	}
	for _, e := range done {
		st := Status{ID: e.ID, Dataset: e.Manifest.Dataset, Period: e.Manifest.Period, Seq: e.Manifest.Sequence}
		raw, err := ob.receiptFor(e.ID)
		if err != nil {
			return nil, err
		}
		rk, err := a.receiptKey()
		if err != nil {
			return nil, err
		}
		r, err := submission.VerifyReceipt(raw, rk)
		if err != nil {
			return nil, fmt.Errorf("outbox receipt %s: %w", e.ID, err)
		}
		st.State, st.Reason, st.Message, st.Records = r.Status, string(r.Reason), r.Message, r.Records
		out = append(out, st)
	}
	return out, nil
}

func (a *Agent) fetchReceipt(ctx context.Context, id string) ([]byte, submission.Receipt, error) {
	rc, _, err := a.box.Get(ctx, submission.ReceiptKey(a.cfg.Partner, id))
	if err != nil {
		return nil, submission.Receipt{}, err
	}
	defer rc.Close()
	raw, err := io.ReadAll(io.LimitReader(rc, maxReceipt+1))
	if err != nil {
		return nil, submission.Receipt{}, fmt.Errorf("read receipt %s: %w", id, err)
	}
	rk, err := a.receiptKey()
	if err != nil {
		return nil, submission.Receipt{}, err
	}
	r, err := submission.VerifyReceipt(raw, rk)
	if err != nil {
		return nil, r, fmt.Errorf("%w: %v", errBadReceipt, err)
	}
	if r.Partner != a.cfg.Partner || r.Submission != id {
		return nil, r, fmt.Errorf("%w: it names partner %q submission %q", errBadReceipt, r.Partner, r.Submission)
	}
	return raw, r, nil
}

var errBadReceipt = errors.New("the receipt does not verify with the hub's receipt key")

func receiptID(raw []byte) string {
	sum := sha256.Sum256(bytes.TrimSpace(raw))
	return hex.EncodeToString(sum[:8])
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
