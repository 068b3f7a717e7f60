package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// settle moves a decided submission's objects out of the inbox (accepted
// to archive/, rejected to quarantine/), then writes its receipt. Each
// step can be repeated, so a crash in between is mended by the next poll.
func (in *Ingester) settle(ctx context.Context, sub *store.Submission) error {
	mKey := submission.ManifestKey(sub.Partner, sub.ID)
	cKey := submission.CiphertextKey(sub.Partner, sub.ID)
	var mDst, cDst string
	if sub.Status == submission.Accepted || sub.Status == submission.Held {
		mDst = submission.ArchiveKey(sub.Partner, sub.ID, "manifest.jws")
		cDst = submission.ArchiveKey(sub.Partner, sub.ID, "payload.age")
	} else {
		dir := submission.QuarantinePrefix + sub.Partner + "/" + sub.ID + "/decided/"
		mDst, cDst = dir+"manifest.jws", dir+"payload.age"
		if err := in.putJSON(ctx, dir+"reason.json", reasonDoc{
			Object: mKey, Partner: sub.Partner, Submission: sub.ID, ManifestHash: sub.ManifestHash,
			Reason: sub.Reason, Detail: sub.Detail, Hint: submission.Reason(sub.Reason).Hint(), At: sub.Decided.Format(timeFormat),
		}); err != nil {
			return err
		}
	}
	// The manifest comes from the store, where the verified bytes are:
	// the inbox copy could have been replaced since.
	if err := in.putIfAbsent(ctx, mDst, sub.Manifest); err != nil {
		return err
	}
	if err := in.move(ctx, cKey, cDst); err != nil {
		return err
	}
	if err := in.cfg.Box.Delete(ctx, mKey); err != nil {
		return fmt.Errorf("settle: %w", err)
	}
	r := submission.Receipt{
		Partner: sub.Partner, Submission: sub.ID, Manifest: sub.ManifestHash, Sequence: sub.Sequence,
		Status: sub.Status, Reason: submission.Reason(sub.Reason), Records: sub.Records,
		Decided: sub.Decided, Chained: true,
	}
	if sub.Status == submission.Rejected {
		r.Message = message(submission.Reason(sub.Reason), sub.Detail)
	}
	if err := in.writeReceipt(ctx, r); err != nil {
		return err
	}
	return in.cfg.Store.MarkSettled(ctx, sub.Partner, sub.ID)
}

// quarantine records a refusal that does not touch the partner's chain and
// moves the objects.
func (in *Ingester) quarantine(ctx context.Context, partner, id, hash string, rej *submission.RejectError) error {
	q := &store.Quarantined{
		Object: submission.ManifestKey(partner, id), Partner: partner, Submission: id, ManifestHash: hash,
		Reason: string(rej.Reason), Detail: rej.Detail, At: in.now().UTC(),
	}
	if err := in.cfg.Store.AddQuarantine(ctx, q); err != nil {
		return err
	}
	in.log.Warn("submission quarantined", "partner", partner, "submission", id, "reason", rej.Reason, "detail", rej.Detail)
	in.audit(audit.ActionReject, audit.Deny, string(rej.Reason), audit.Resource{},
		map[string]string{"partner": partner, "submission": id, "quarantined": "true"})
	return in.settleQuarantine(ctx, q)
}

// quarantineName handles an inbox object whose name is not a submission
// object's. One that is safe to address is moved to quarantine/_invalid/;
// one that is not (say, with ".." in it) is left where it is, recorded once.
func (in *Ingester) quarantineName(ctx context.Context, o dropbox.Object, cause error) error {
	safe := dropbox.CheckKey(o.Key) == nil
	if !safe {
		seen, err := in.cfg.Store.HasQuarantine(ctx, o.Key)
		if err != nil || seen {
			return err
		}
	}
	q := &store.Quarantined{Object: o.Key, Reason: string(submission.ReasonObjectName), Detail: cause.Error(), At: in.now().UTC()}
	if err := in.cfg.Store.AddQuarantine(ctx, q); err != nil {
		return err
	}
	in.log.Warn("inbox object with an invalid name quarantined", "object", fmt.Sprintf("%q", o.Key), "moved", safe)
	in.audit(audit.ActionReject, audit.Deny, string(submission.ReasonObjectName), audit.Resource{},
		map[string]string{"quarantined": "true"})
	return in.settleQuarantine(ctx, q)
}

func (in *Ingester) settleQuarantine(ctx context.Context, q *store.Quarantined) error {
	doc := reasonDoc{Object: q.Object, Partner: q.Partner, Submission: q.Submission, ManifestHash: q.ManifestHash,
		Reason: q.Reason, Detail: q.Detail, Hint: submission.Reason(q.Reason).Hint(), At: q.At.Format(timeFormat)}
	if q.Submission == "" {
		// An object with an invalid name: no submission, no receipt.
		dir := fmt.Sprintf("%s_invalid/%d/", submission.QuarantinePrefix, q.N)
		if err := in.putJSON(ctx, dir+"reason.json", doc); err != nil {
			return err
		}
		if dropbox.CheckKey(q.Object) == nil {
			if err := in.move(ctx, q.Object, dir+"object"); err != nil {
				return err
			}
		}
		return in.cfg.Store.MarkQuarantineSettled(ctx, q.N)
	}
	dir := fmt.Sprintf("%s%s/%s/%d/", submission.QuarantinePrefix, q.Partner, q.Submission, q.N)
	if err := in.putJSON(ctx, dir+"reason.json", doc); err != nil {
		return err
	}
	for _, src := range []string{submission.ManifestKey(q.Partner, q.Submission), submission.CiphertextKey(q.Partner, q.Submission)} {
		if err := in.move(ctx, src, dir+strings.TrimPrefix(path.Base(src), q.Submission+".")); err != nil {
			return err
		}
	}
	// A receipt for a refused upload must not replace the receipt of a
	// submission already decided under the same id.
	if _, err := in.cfg.Store.Submission(ctx, q.Partner, q.Submission); errors.Is(err, store.ErrNotFound) {
		reason := submission.Reason(q.Reason)
		r := submission.Receipt{
			Partner: q.Partner, Submission: q.Submission, Manifest: q.ManifestHash,
			Status: submission.Rejected, Reason: reason, Message: message(reason, q.Detail),
			Retry: reason.Retryable(), Decided: q.At,
		}
		if err := in.writeReceipt(ctx, r); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	return in.cfg.Store.MarkQuarantineSettled(ctx, q.N)
}

// move copies src to dst unless dst exists, then deletes src. A missing
// src means an earlier attempt got that far. An object larger than the
// payload limit is left where it is (copying it could fail for good, or
// fill the disk): it is not deleted unverified either.
func (in *Ingester) move(ctx context.Context, src, dst string) error {
	obj, err := in.cfg.Box.Stat(ctx, src)
	if errors.Is(err, dropbox.ErrNotFound) {
		return nil
	} else if err != nil {
		return fmt.Errorf("move %s: %w", src, err)
	}
	if obj.Size > in.cfg.MaxCiphertext {
		in.log.Warn("object too large to move to quarantine; left in place", "object", src, "size", obj.Size)
		return nil
	}
	if _, err := in.cfg.Box.Stat(ctx, dst); errors.Is(err, dropbox.ErrNotFound) {
		if err := in.cfg.Box.Copy(ctx, src, dst); err != nil {
			return fmt.Errorf("move %s: %w", src, err)
		}
	} else if err != nil {
		return fmt.Errorf("move %s: %w", src, err)
	}
	if err := in.cfg.Box.Delete(ctx, src); err != nil {
		return fmt.Errorf("move %s: %w", src, err)
	}
	return nil
}

func (in *Ingester) putIfAbsent(ctx context.Context, key string, data []byte) error {
	err := in.cfg.Box.Put(ctx, key, bytes.NewReader(data), int64(len(data)), dropbox.PutOptions{IfAbsent: true})
	if err != nil && !errors.Is(err, dropbox.ErrExists) {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

func (in *Ingester) putJSON(ctx context.Context, key string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return in.putIfAbsent(ctx, key, append(b, '\n'))
}

func (in *Ingester) writeReceipt(ctx context.Context, r submission.Receipt) error {
	head, err := in.cfg.Store.ChainHead(ctx, r.Partner)
	if err != nil {
		return err
	}
	r.HeadSeq, r.HeadHash = head.Sequence, head.Hash
	b, err := submission.SignReceipt(r, in.cfg.ReceiptKey)
	if err != nil {
		return err
	}
	key := submission.ReceiptKey(r.Partner, r.Submission)
	if err := in.cfg.Box.Put(ctx, key, bytes.NewReader(b), int64(len(b)), dropbox.PutOptions{}); err != nil {
		return fmt.Errorf("write receipt: %w", err)
	}
	return nil
}

func message(r submission.Reason, detail string) string {
	if detail == "" {
		return r.Hint()
	}
	return r.Hint() + " (" + detail + ")"
}

type reasonDoc struct {
	Object       string `json:"object"`
	Partner      string `json:"partner,omitempty"`
	Submission   string `json:"submission,omitempty"`
	ManifestHash string `json:"manifest_hash,omitempty"`
	Reason       string `json:"reason"`
	Detail       string `json:"detail"`
	Hint         string `json:"hint"`
	At           string `json:"at"`
}

const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func (in *Ingester) noteGap(partner string, expected, seen uint64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	g, ok := in.waiting[partner]
	if !ok || g.Expected != expected {
		g = Gap{Partner: partner, Expected: expected, Since: in.now().UTC()}
	}
	g.Seen = seen
	in.waiting[partner] = g
}

// clearGapUnlessNoted remembers whether the partner waits now; the
// function it returns forgets the partner's gap unless this pass noted it
// again, so Since keeps the time the gap was first seen.
func (in *Ingester) clearGapUnlessNoted(partner string) func() {
	in.mu.Lock()
	before := in.waiting[partner]
	delete(in.waiting, partner)
	in.mu.Unlock()
	return func() {
		in.mu.Lock()
		defer in.mu.Unlock()
		if g, ok := in.waiting[partner]; ok && g.Expected == before.Expected && !before.Since.IsZero() {
			g.Since = before.Since
			in.waiting[partner] = g
		}
	}
}
