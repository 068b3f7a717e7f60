package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
	"github.com/thbx/thbx/submission/schema"
)

// candidate is an authentic manifest: its signature verifies under a key
// registered for the partner whose inbox it was found in.
type candidate struct {
	obj     dropbox.Object
	raw     []byte
	hash    string
	m       *submission.Manifest
	partner *certs.Partner
	key     *certs.KeyEntry
}

func (in *Ingester) processPartner(ctx context.Context, partner string, manifests []dropbox.Object, sum *Summary) error {
	var cands []*candidate
	for _, o := range manifests {
		if o.Size > in.cfg.MaxCiphertext {
			// Too large to move to quarantine: refused once, then left.
			if seen, err := in.cfg.Store.HasQuarantine(ctx, o.Key); err != nil || seen {
				if err != nil {
					return err
				}
				continue
			}
		}
		id, _ := submission.ParseInboxKey(o.Key)
		c, raw, err := in.load(ctx, partner, id.ID, o)
		if err == nil {
			cands = append(cands, c)
			continue
		}
		var rej *submission.RejectError
		if !errors.As(err, &rej) {
			return err
		}
		hash := ""
		if raw != nil {
			hash = submission.ManifestHash(raw)
		}
		if err := in.quarantine(ctx, partner, id.ID, hash, rej); err != nil {
			return err
		}
		sum.Quarantined++
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].m.Sequence < cands[j].m.Sequence })

	defer in.clearGapUnlessNoted(partner)()
	for _, c := range cands {
		prior, err := in.cfg.Store.Submission(ctx, partner, c.m.Submission)
		switch {
		case err == nil && prior.ManifestHash == c.hash:
			// Seen before: an agent that missed its receipt sent it again.
			sum.Duplicates++
			if err := in.settle(ctx, prior); err != nil {
				return err
			}
			continue
		case err == nil:
			if err := in.quarantine(ctx, partner, c.m.Submission, c.hash,
				submission.Reject(submission.ReasonIDReused, "submission %s was decided on with another manifest", c.m.Submission)); err != nil {
				return err
			}
			sum.Quarantined++
			continue
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		head, err := in.cfg.Store.ChainHead(ctx, partner)
		if err != nil {
			return err
		}
		var rej *submission.RejectError
		switch {
		case c.m.Sequence <= head.Sequence:
			rej = submission.Reject(submission.ReasonReplay, "seq %d, but the hub is at seq %d", c.m.Sequence, head.Sequence)
		case c.m.Sequence > head.Sequence+1:
			in.noteGap(partner, head.Sequence+1, c.m.Sequence)
			in.log.Warn("submission waits for a missing earlier one", "partner", partner,
				"submission", c.m.Submission, "seq", c.m.Sequence, "missing_seq", head.Sequence+1)
			sum.Waiting++
			return nil // later ones wait too
		case c.m.Previous != head.Hash:
			rej = submission.Reject(submission.ReasonPrevious, "prev %.12s…, hub's chain head is %.12s…", c.m.Previous, head.Hash)
		}
		if rej != nil {
			if err := in.quarantine(ctx, partner, c.m.Submission, c.hash, rej); err != nil {
				return err
			}
			sum.Quarantined++
			continue
		}
		if err := in.decide(ctx, c, sum); err != nil {
			return err
		}
	}
	return nil
}

// load reads a manifest and checks that it is authentic: well-formed,
// signed by a registered key, by the partner it names, found in that
// partner's inbox under its own id. It returns the raw bytes it read, if
// any, with a rejection.
func (in *Ingester) load(ctx context.Context, prefixPartner, objID string, o dropbox.Object) (*candidate, []byte, error) {
	if o.Size > submission.MaxManifestSize {
		return nil, nil, submission.Reject(submission.ReasonManifestTooLarge, "%d bytes, limit %d", o.Size, submission.MaxManifestSize)
	}
	rc, _, err := in.cfg.Box.Get(ctx, o.Key)
	if err != nil {
		if errors.Is(err, dropbox.ErrNotFound) {
			return nil, nil, submission.Reject(submission.ReasonManifestMalformed, "manifest vanished while being read")
		}
		return nil, nil, fmt.Errorf("read manifest %s: %w", o.Key, err)
	}
	raw, err := io.ReadAll(io.LimitReader(rc, submission.MaxManifestSize+1))
	rc.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("read manifest %s: %w", o.Key, err)
	}
	if len(raw) > submission.MaxManifestSize {
		return nil, raw[:0], submission.Reject(submission.ReasonManifestTooLarge, "more than %d bytes", submission.MaxManifestSize)
	}
	kid, err := submission.ManifestKeyID(raw)
	if err != nil {
		return nil, raw, err
	}
	p, entry, err := in.registry().Lookup(kid)
	if err != nil {
		return nil, raw, submission.Reject(submission.ReasonUnknownKey, "key %q is not registered", kid)
	}
	pub, err := entry.PublicKey()
	if err != nil {
		return nil, raw, fmt.Errorf("registry key %s: %w", kid, err)
	}
	m, err := submission.VerifyManifest(raw, pub)
	if err != nil {
		return nil, raw, err
	}
	switch {
	case m.Partner != p.ID:
		return nil, raw, submission.Reject(submission.ReasonKeyPartner, "manifest names partner %q but key %s belongs to %q", m.Partner, kid, p.ID)
	case prefixPartner != m.Partner:
		return nil, raw, submission.Reject(submission.ReasonPrefix, "manifest of partner %q found in the inbox of %q", m.Partner, prefixPartner)
	case objID != m.Submission:
		return nil, raw, submission.Reject(submission.ReasonObjectName, "object named %s holds the manifest of %s", objID, m.Submission)
	}
	return &candidate{obj: o, raw: raw, hash: submission.ManifestHash(raw), m: m, partner: p, key: entry}, raw, nil
}

// policyCheck applies the registry's rules to an authentic manifest. A
// failure is a final rejection: the manifest takes its place in the chain.
func (in *Ingester) policyCheck(c *candidate) *submission.RejectError {
	m := c.m
	// The creation time is the signer's word; the drop box's clock, which
	// the signer does not control, bounds it. Revocation and expiry count
	// at either time, so a back-dated manifest gains nothing; a key that
	// is valid when the object reaches the drop box may sign a manifest
	// made before it was registered (a partner re-sending after enrolment).
	up := c.obj.Modified
	if up.IsZero() {
		up = m.Created
	}
	k := c.key
	switch {
	case k.RevokedAt != nil && (!m.Created.Before(*k.RevokedAt) || !up.Before(*k.RevokedAt)):
		return submission.Reject(submission.ReasonKeyRevoked, "key %s revoked at %s; manifest created %s, uploaded %s",
			k.KeyID, k.RevokedAt.Format(time.RFC3339), m.Created.Format(time.RFC3339), up.Format(time.RFC3339))
	case !k.NotAfter.IsZero() && (!m.Created.Before(k.NotAfter) || !up.Before(k.NotAfter)):
		return submission.Reject(submission.ReasonKeyExpired, "key %s expired at %s; manifest created %s, uploaded %s",
			k.KeyID, k.NotAfter.Format(time.RFC3339), m.Created.Format(time.RFC3339), up.Format(time.RFC3339))
	case up.Before(k.NotBefore):
		return submission.Reject(submission.ReasonKeyNotYetValid, "key %s valid from %s; uploaded %s", k.KeyID, k.NotBefore.Format(time.RFC3339), up.Format(time.RFC3339))
	}
	if m.Created.After(in.now().Add(in.cfg.ClockSkew)) {
		return submission.Reject(submission.ReasonCreatedInFuture, "created %s", m.Created.Format("2006-01-02T15:04:05Z07:00"))
	}
	if !slices.Contains(c.partner.Datasets, m.Dataset) {
		return submission.Reject(submission.ReasonDataset, "dataset %q; registered: %v", m.Dataset, c.partner.Datasets)
	}
	d, err := schema.Lookup(m.Schema)
	if err != nil || d.Name != m.Dataset {
		return submission.Reject(submission.ReasonManifestMalformed, "schema %q is not a known version of dataset %q", m.Schema, m.Dataset)
	}
	if m.Ciphertext.Size > in.cfg.MaxCiphertext {
		return submission.Reject(submission.ReasonTooLarge, "%d bytes, limit %d", m.Ciphertext.Size, in.cfg.MaxCiphertext)
	}
	// Every recipient must be one of the hub's for this classification:
	// a stranger among them would hold a copy.
	_, hub := in.identitiesFor(m.Classification)
	for _, fp := range m.Recipients {
		if !hub[fp] {
			return submission.Reject(submission.ReasonRecipients, "recipient %s is not one of the hub's %s recipients", fp, m.Classification)
		}
	}
	return nil
}

// decide opens an authentic submission that is next in its partner's
// chain and records the decision.
func (in *Ingester) decide(ctx context.Context, c *candidate, sum *Summary) error {
	m := c.m
	sub := &store.Submission{
		Partner: m.Partner, ID: m.Submission, Sequence: m.Sequence, ManifestHash: c.hash, Manifest: c.raw,
		KeyID: m.KeyID, Dataset: m.Dataset, Period: m.Period, Schema: m.Schema,
		Classification: m.Classification, Created: m.Created, Withdraw: m.Withdraw,
	}
	log := in.log.With("partner", m.Partner, "submission", m.Submission, "seq", m.Sequence)
	if rej := in.policyCheck(c); rej != nil {
		return in.reject(ctx, sub, rej, sum)
	}
	if ids, _ := in.identitiesFor(m.Classification); len(ids) == 0 {
		return in.hold(ctx, sub, sum)
	}
	ctKey := submission.CiphertextKey(m.Partner, m.Submission)
	obj, err := in.cfg.Box.Stat(ctx, ctKey)
	switch {
	case errors.Is(err, dropbox.ErrNotFound):
		return in.retry(ctx, c, submission.Reject(submission.ReasonCiphertextMissing, "no object %s", ctKey), sum)
	case err != nil:
		return fmt.Errorf("stat %s: %w", ctKey, err)
	case obj.Size != m.Ciphertext.Size:
		return in.retry(ctx, c, submission.Reject(submission.ReasonSize, "payload object has %d bytes, manifest declares %d", obj.Size, m.Ciphertext.Size), sum)
	}
	d, _ := schema.Lookup(m.Schema)
	body, _, err := in.cfg.Box.Get(ctx, ctKey)
	if err != nil {
		if errors.Is(err, dropbox.ErrNotFound) {
			return in.retry(ctx, c, submission.Reject(submission.ReasonCiphertextMissing, "object %s vanished", ctKey), sum)
		}
		return fmt.Errorf("get %s: %w", ctKey, err)
	}
	defer body.Close()
	tx, err := in.cfg.Store.Begin(ctx, sub)
	if err != nil {
		return err
	}
	var n int64
	ids, _ := in.identitiesFor(m.Classification)
	count, err := submission.Open(m, body, submission.OpenConfig{
		Identities: ids, MaxCiphertext: in.cfg.MaxCiphertext, MaxLine: in.cfg.MaxLine,
	}, func(line []byte) error {
		rec, err := d.Decode(line)
		if err != nil {
			return &submission.RejectError{Reason: submission.ReasonRecordInvalid, Detail: recordProblem(err)}
		}
		// Store the record as the schema reads it, not as sent: one
		// spelling of every field for every reader.
		canonical, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		n++
		return tx.AddRecord(ctx, n, canonical)
	})
	if err != nil {
		tx.Rollback()
		var rej *submission.RejectError
		if !errors.As(err, &rej) {
			return fmt.Errorf("open %s/%s: %w", m.Partner, m.Submission, err)
		}
		if rej.Reason.Retryable() {
			return in.retry(ctx, c, rej, sum)
		}
		return in.reject(ctx, sub, rej, sum)
	}
	sub.Status, sub.Records, sub.Decided = submission.Accepted, count, in.now().UTC()
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	log.Info("submission accepted", "dataset", m.Dataset, "period", m.Period, "records", count)
	in.audit(audit.ActionAccept, audit.Allow, "accepted", audit.Resource{Dataset: m.Dataset, Period: m.Period},
		map[string]string{"partner": m.Partner, "submission": m.Submission, "records": strconv.FormatInt(count, 10),
			"classification": m.Classification, "withdraw": strconv.FormatBool(m.Withdraw)})
	sum.Accepted++
	return in.settle(ctx, sub)
}

// recordProblem says what is wrong with a record by field and rule only:
// values are personal data and the detail goes to logs and receipts.
func recordProblem(err error) string {
	var parts []string
	var walk func(error)
	walk = func(e error) {
		var fe *schema.FieldError
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if errors.As(e, &fe) {
			parts = append(parts, fe.Field+" "+fe.Msg)
			return
		}
		parts = append(parts, e.Error())
	}
	walk(err)
	return strings.Join(parts, "; ")
}

// hold records an authentic submission in order that this hub holds no
// identity to open (restricted data, opened only on the restricted
// side): the manifest becomes the chain head, the ciphertext goes to
// archive/ still sealed, the store lists it as held, and the receipt
// says so. Nothing of it is read.
func (in *Ingester) hold(ctx context.Context, sub *store.Submission, sum *Summary) error {
	sub.Status, sub.Reason, sub.Records, sub.Decided = submission.Held, string(submission.ReasonAwaitingRestricted), 0, in.now().UTC()
	tx, err := in.cfg.Store.Begin(ctx, sub)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	in.log.Info("submission held sealed: no identity of its classification", "partner", sub.Partner,
		"submission", sub.ID, "classification", sub.Classification)
	in.audit("hold", audit.Allow, string(submission.ReasonAwaitingRestricted), audit.Resource{Dataset: sub.Dataset, Period: sub.Period},
		map[string]string{"partner": sub.Partner, "submission": sub.ID, "classification": sub.Classification})
	sum.Held++
	return in.settle(ctx, sub)
}

// reject records a final rejection; the manifest becomes the chain head.
func (in *Ingester) reject(ctx context.Context, sub *store.Submission, rej *submission.RejectError, sum *Summary) error {
	sub.Status, sub.Reason, sub.Detail, sub.Records, sub.Decided = submission.Rejected, string(rej.Reason), rej.Detail, 0, in.now().UTC()
	tx, err := in.cfg.Store.Begin(ctx, sub)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	in.log.Warn("submission rejected", "partner", sub.Partner, "submission", sub.ID, "reason", rej.Reason, "detail", rej.Detail)
	in.audit(audit.ActionReject, audit.Deny, string(rej.Reason), audit.Resource{Dataset: sub.Dataset, Period: sub.Period},
		map[string]string{"partner": sub.Partner, "submission": sub.ID})
	sum.Rejected++
	return in.settle(ctx, sub)
}

// retry quarantines an authentic submission whose payload was lost or
// damaged on the way; the partner's agent will send it again.
func (in *Ingester) retry(ctx context.Context, c *candidate, rej *submission.RejectError, sum *Summary) error {
	sum.Quarantined++
	return in.quarantine(ctx, c.m.Partner, c.m.Submission, c.hash, rej)
}
