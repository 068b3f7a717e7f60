// Package ingest is the hub's intake: it watches the drop box's inbox,
// verifies each submission against the partner registry and the partner's
// manifest chain, opens it, stores its records and answers with a signed
// receipt.
//
// Nothing is deleted unverified: an accepted submission's objects are
// copied to archive/, a refused one's to quarantine/ with its reason, and
// only then removed from the inbox. Every decision is committed to the
// store before any object moves, and every move is repeated on restart
// until it is done, so a hub killed at any step resumes without losing
// or double-counting a record.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/thbx/thbx/hub/audit"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// Box is the part of the drop box the hub uses.
type Box interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, opts dropbox.PutOptions) error
	Get(ctx context.Context, key string) (io.ReadCloser, dropbox.Object, error)
	Stat(ctx context.Context, key string) (dropbox.Object, error)
	List(ctx context.Context, prefix string) ([]dropbox.Object, error)
	Copy(ctx context.Context, src, dst string) error
	Delete(ctx context.Context, key string) error
}

var _ Box = dropbox.Box(nil)

// Config configures an Ingester. Box, Store, Registry, Identities and
// ReceiptKey are required; the rest have working defaults.
type Config struct {
	Box        Box
	Store      *store.Store
	Registry   *certs.Registry
	Identities []certs.HubIdentity
	ReceiptKey certs.ReceiptKey

	// MaxCiphertext bounds a payload's size; DefaultMaxCiphertext when 0.
	MaxCiphertext int64
	// MaxLine bounds one payload line; submission.DefaultMaxLine when 0.
	MaxLine int
	// ClockSkew is how far in the future a manifest's creation time may
	// lie; five minutes when 0.
	ClockSkew time.Duration

	// Audit records each decision (accept, reject, quarantine) once it
	// is stored; nil records none. A failure to record is logged as an
	// error: the decision stands, as the store already holds it.
	Audit AuditLog

	Now    func() time.Time // time.Now when nil
	Logger *slog.Logger     // slog.Default() when nil
}

// AuditLog is the part of hub/audit's log the intake writes to.
type AuditLog interface {
	Append(audit.Event) (audit.Entry, error)
}

// audit records one of the intake's decisions.
func (in *Ingester) audit(a audit.Action, d audit.Decision, reason string, res audit.Resource, details map[string]string) {
	if in.cfg.Audit == nil {
		return
	}
	_, err := in.cfg.Audit.Append(audit.Event{Actor: audit.Actor{Kind: audit.KindHub, Subject: "intake"},
		Action: a, Resource: res, Decision: d, Reason: reason, Details: details})
	if err != nil {
		in.log.Error("audit log refused the intake's decision", "action", a, "reason", reason, "err", err)
	}
}

// DefaultMaxCiphertext is the payload limit when none is configured.
const DefaultMaxCiphertext = 2 << 30

// Ingester processes the inbox.
type Ingester struct {
	cfg Config
	// ids holds the hub's identities by fingerprint of their recipient.
	ids map[string]age.Identity
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	waiting map[string]Gap
}

// Gap is a partner whose next submission has not arrived although a later
// one has: a deleted or delayed submission.
type Gap struct {
	Partner  string    `json:"partner"`
	Expected uint64    `json:"expected_seq"`
	Seen     uint64    `json:"seen_seq"`
	Since    time.Time `json:"since"`
}

// Summary counts what one poll did.
type Summary struct {
	Accepted int
	// Held counts submissions kept sealed for want of an identity of
	// their classification.
	Held        int
	Rejected    int
	Quarantined int
	Duplicates  int
	Waiting     int
}

// New checks the config and returns an Ingester.
func New(cfg Config) (*Ingester, error) {
	if cfg.Box == nil || cfg.Store == nil || cfg.Registry == nil {
		return nil, errors.New("ingest: box, store and registry are required")
	}
	if len(cfg.Identities) == 0 {
		return nil, errors.New("ingest: no hub identities configured")
	}
	if cfg.ReceiptKey.KeyID() == "" {
		return nil, errors.New("ingest: no receipt key configured")
	}
	if cfg.MaxCiphertext <= 0 {
		cfg.MaxCiphertext = DefaultMaxCiphertext
	}
	if cfg.ClockSkew <= 0 {
		cfg.ClockSkew = 5 * time.Minute
	}
	in := &Ingester{cfg: cfg, ids: map[string]age.Identity{}, waiting: map[string]Gap{},
		log: cfg.Logger, now: cfg.Now}
	if in.log == nil {
		in.log = slog.Default()
	}
	if in.now == nil {
		in.now = time.Now
	}
	for _, id := range cfg.Identities {
		in.ids[certs.RecipientFingerprint(id.Recipient())] = id.Identity()
	}
	return in, nil
}

// identitiesFor returns the hub's identities that may open a submission
// of a classification: those whose recipients the registry lists for it,
// current or retired by a rotation.
// A restricted identity never opens a standard submission, nor the
// reverse.
func (in *Ingester) identitiesFor(class string) (ids []age.Identity, fingerprints map[string]bool) {
	fingerprints = map[string]bool{}
	hub := in.registry().Hub
	for _, r := range append(slices.Clone(hub.Recipients[class]), hub.Retired[class]...) {
		fp := certs.RecipientFingerprint(r)
		fingerprints[fp] = true
		if id, ok := in.ids[fp]; ok {
			ids = append(ids, id)
		}
	}
	return ids, fingerprints
}

// SetRegistry replaces the partner registry from the next manifest on:
// a key revoked in the new registry is refused from then on.
func (in *Ingester) SetRegistry(r *certs.Registry) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.cfg.Registry = r
}

func (in *Ingester) registry() *certs.Registry {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.cfg.Registry
}

// Gaps returns the partners whose chain waits for a missing submission.
func (in *Ingester) Gaps() []Gap {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]Gap, 0, len(in.waiting))
	for _, g := range in.waiting {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partner < out[j].Partner })
	return out
}

// Poll does one pass: it finishes moves a crash interrupted, then
// processes every complete submission in the inbox, each partner's in
// sequence order.
func (in *Ingester) Poll(ctx context.Context) (Summary, error) {
	var sum Summary
	if err := in.resume(ctx); err != nil {
		return sum, err
	}
	objs, err := in.cfg.Box.List(ctx, submission.InboxPrefix)
	if err != nil && len(objs) == 0 {
		return sum, fmt.Errorf("list inbox: %w", err)
	}
	if err != nil {
		in.log.Error("inbox listing incomplete; processing what was listed", "err", err)
	}
	byPartner := map[string][]dropbox.Object{}
	for _, o := range objs {
		io, err := submission.ParseInboxKey(o.Key)
		if err != nil {
			if qerr := in.quarantineName(ctx, o, err); qerr != nil {
				return sum, qerr
			}
			continue
		}
		if io.Kind == submission.KindManifest {
			byPartner[io.Partner] = append(byPartner[io.Partner], o)
		}
	}
	partners := make([]string, 0, len(byPartner))
	for p := range byPartner {
		partners = append(partners, p)
	}
	sort.Strings(partners)
	// One partner's trouble (a drop-box error, an object that cannot be
	// moved) must not stop the others' intake.
	var errs []error
	for _, p := range partners {
		if err := in.processPartner(ctx, p, byPartner[p], &sum); err != nil {
			in.log.Error("partner's inbox not fully processed; trying again at the next poll", "partner", p, "err", err)
			errs = append(errs, fmt.Errorf("partner %s: %w", p, err))
		}
	}
	return sum, errors.Join(errs...)
}

// resume repeats the moves and receipts of decisions a crash cut short.
func (in *Ingester) resume(ctx context.Context) error {
	subs, err := in.cfg.Store.Submissions(ctx, store.Filter{Unsettled: true})
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	for i := range subs {
		if err := in.settle(ctx, &subs[i]); err != nil {
			in.log.Error("cannot finish moving a decided submission; trying again at the next poll",
				"partner", subs[i].Partner, "submission", subs[i].ID, "err", err)
		}
	}
	qs, err := in.cfg.Store.Quarantine(ctx, true)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	for i := range qs {
		if err := in.settleQuarantine(ctx, &qs[i]); err != nil {
			in.log.Error("cannot finish moving a refused upload; trying again at the next poll",
				"object", qs[i].Object, "err", err)
		}
	}
	return nil
}
