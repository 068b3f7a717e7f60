package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
	"github.com/thbx/thbx/submission/schema"
)

// Box is the part of the drop box an agent uses: it writes its own inbox
// and reads its own receipts.
type Box interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, opts dropbox.PutOptions) error
	Get(ctx context.Context, key string) (io.ReadCloser, dropbox.Object, error)
}

var _ Box = dropbox.Box(nil)

// Agent seals, sends and follows a partner's submissions.
type Agent struct {
	cfg Config
	key certs.PartnerKey
	// Exactly one of hubFile (a plain hub.json) and trust (the pinned root
	// and the signed bundle) says whom to encrypt to and who signs receipts.
	hubFile *certs.HubInfo
	trust   *trust.Local
	box     Box

	// Now and Rand may be replaced for deterministic tests.
	Now  func() time.Time
	Rand io.Reader
	// Progress, when set, receives upload progress (a terminal).
	Progress func(id string, sent, total int64)
}

// New loads the key and the hub's information named by cfg: the signed
// trust bundle under the pinned root when cfg.Trust is set, else the plain
// hub.json.
func New(cfg Config, box Box) (*Agent, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	key, err := certs.LoadPartnerKey(cfg.Key)
	if err != nil {
		return nil, err
	}
	a := &Agent{cfg: cfg, key: key, box: box, Now: time.Now}
	if cfg.Trust.Root != "" {
		if a.trust, err = trust.LoadLocal(cfg.Trust.Root, cfg.Trust.Bundle, time.Now()); err != nil {
			return nil, err
		}
		return a, nil
	}
	hub, err := certs.LoadHubInfo(cfg.Hub)
	if err != nil {
		return nil, err
	}
	a.hubFile = &hub
	return a, nil
}

// SyncTrust fetches newer published roots and trust bundles from the drop
// box's trust/ and takes them if they verify. Without a pinned root it
// does nothing.
func (a *Agent) SyncTrust(ctx context.Context) (bool, error) {
	if a.trust == nil {
		return false, nil
	}
	return a.trust.Sync(ctx, trust.FetchFrom(a.box), a.Now())
}

// hub returns what the agent knows of the hub now: from the trust bundle
// when there is one (refusing an expired one), else from hub.json.
func (a *Agent) hub() (certs.HubInfo, error) {
	if a.trust == nil {
		return *a.hubFile, nil
	}
	b, err := a.trust.Current()
	if err != nil {
		return certs.HubInfo{}, err
	}
	if !a.Now().Before(b.Expires) {
		return certs.HubInfo{}, fmt.Errorf("trust bundle version %d expired at %s; the agent will not encrypt under stale trust: ask the security officers for a new bundle", b.Version, b.Expires.Format(time.RFC3339))
	}
	return b.Hub, nil
}

func (a *Agent) recipients() ([]string, error) {
	hub, err := a.hub()
	if err != nil {
		return nil, err
	}
	class := a.cfg.Classification
	if class == "" {
		class = submission.Standard
	}
	if len(hub.Recipients[class]) == 0 {
		return nil, fmt.Errorf("the hub's information lists no %s recipients", class)
	}
	return hub.Recipients[class], nil
}

func (a *Agent) receiptKey() (certs.ReceiptPublicKey, error) {
	hub, err := a.hub()
	if err != nil {
		return certs.ReceiptPublicKey{}, err
	}
	return hub.ReceiptPublic()
}

// KeyID returns the id of the agent's signing key.
func (a *Agent) KeyID() string { return a.key.KeyID() }

// SealFile checks a CSV file of victims records and seals it into the
// outbox. If the file has any problem, nothing is sealed and the error is
// a *ProblemsError listing them.
func (a *Agent) SealFile(ob *Outbox, path, period string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	vr, err := newVictimReader(f)
	if err != nil {
		return Entry{}, err
	}
	d, _ := schema.Current("victims")
	return a.Seal(ob, d, period, func(add func(any) error) error {
		for {
			v, ok, err := vr.next()
			if err != nil {
				return err
			}
			if !ok {
				return vr.result()
			}
			if len(vr.errs) == 0 {
				if err := add(v); err != nil {
					return err
				}
			}
		}
	})
}

// Seal seals the records that produce passes to add into a new pending
// outbox entry. If produce fails, the partial ciphertext is deleted and
// the chain is left as it was.
func (a *Agent) Seal(ob *Outbox, d schema.Dataset, period string, produce func(add func(any) error) error) (Entry, error) {
	return a.seal(ob, d, period, nil, func(s *submission.Sealer) error { return produce(s.Add) })
}

// Withdraw seals a withdrawal of what the partner submitted for a
// dataset and period into a new pending outbox entry: once the hub
// accepts it, its merges leave the partner's data for that period out,
// until a new submission for it arrives. Earlier merges keep it.
func (a *Agent) Withdraw(ob *Outbox, d schema.Dataset, period string) (Entry, error) {
	return a.sealWith(ob, d, period, nil, true, func(*submission.Sealer) error { return nil })
}

// seal is Seal with the manifest naming an anonymisation profile (none
// when nil), handing the sealer itself to produce.
func (a *Agent) seal(ob *Outbox, d schema.Dataset, period string, profile *submission.Profile, produce func(s *submission.Sealer) error) (Entry, error) {
	return a.sealWith(ob, d, period, profile, false, produce)
}

func (a *Agent) sealWith(ob *Outbox, d schema.Dataset, period string, profile *submission.Profile, withdraw bool, produce func(s *submission.Sealer) error) (Entry, error) {
	ob.cleanTemp()
	head, err := ob.head()
	if err != nil {
		return Entry{}, err
	}
	recipients, err := a.recipients()
	if err != nil {
		return Entry{}, err
	}
	tmp, err := ob.tempPayload()
	if err != nil {
		return Entry{}, err
	}
	defer os.Remove(tmp.Name()) // a no-op once committed
	s, err := submission.NewSealer(submission.SealConfig{
		Partner: a.cfg.Partner, Key: a.key, Recipients: recipients,
		Dataset: d.Name, Period: period, Schema: d.Version, Classification: a.cfg.Classification,
		Sequence: head.Sequence + 1, Previous: head.Hash, Profile: profile, Withdraw: withdraw, Now: a.Now, Rand: a.Rand,
	}, tmp)
	if err != nil {
		tmp.Close()
		return Entry{}, err
	}
	if err := produce(s); err != nil {
		tmp.Close()
		return Entry{}, err
	}
	sealed, err := s.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Entry{}, fmt.Errorf("seal: %w", err)
	}
	if err := ob.commit(tmp.Name(), sealed); err != nil {
		return Entry{}, fmt.Errorf("seal: %w", err)
	}
	return Entry{ID: sealed.Manifest.Submission, Manifest: sealed.Manifest, JWS: sealed.JWS, Hash: submission.ManifestHash(sealed.JWS)}, nil
}

// Upload sends every pending entry not yet uploaded (or marked for
// resending): the payload first, then the manifest, each written once. An
// object already there counts as sent: puts are atomic, so it is whole.
func (a *Agent) Upload(ctx context.Context, ob *Outbox) ([]Entry, error) {
	pending, err := ob.Pending()
	if err != nil {
		return nil, err
	}
	var sent []Entry
	for _, e := range pending {
		if !e.State.Uploaded.IsZero() || e.State.Refused != nil {
			continue
		}
		if err := a.upload(ctx, ob, e, false); err != nil {
			return sent, fmt.Errorf("upload %s: %w (it stays in the outbox; run the command again to retry)", e.ID, err)
		}
		e.State.Uploaded = a.Now().UTC()
		e.State.Attempts++
		if err := ob.saveState(e); err != nil {
			return sent, err
		}
		sent = append(sent, e)
	}
	return sent, nil
}

// upload sends an entry's payload, then its manifest. With replace, the
// manifest overwrites one already in the drop box (a re-signed one
// replaces the old).
func (a *Agent) upload(ctx context.Context, ob *Outbox, e Entry, replace bool) error {
	f, err := os.Open(ob.payloadPath(e.ID))
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	opts := dropbox.PutOptions{IfAbsent: true}
	if a.Progress != nil {
		total := info.Size()
		opts.Progress = func(n int64) { a.Progress(e.ID, n, total) }
	}
	err = a.box.Put(ctx, submission.CiphertextKey(a.cfg.Partner, e.ID), f, info.Size(), opts)
	if err != nil && !errors.Is(err, dropbox.ErrExists) {
		return err
	}
	jws, err := os.ReadFile(ob.path("pending", e.ID+".manifest.jws"))
	if err != nil {
		return err
	}
	err = a.box.Put(ctx, submission.ManifestKey(a.cfg.Partner, e.ID), bytesReader(jws), int64(len(jws)), dropbox.PutOptions{IfAbsent: !replace})
	if err != nil && !errors.Is(err, dropbox.ErrExists) {
		return err
	}
	return nil
}

// ResendAll brings every pending entry back into the chain and sends it
// again, whatever the agent thinks it already sent: for a submission the
// hub reports missing (deleted from the drop box), or refused outside the
// chain (an unregistered key since registered, a lost outbox). Entries are
// re-signed, in the order they were sealed, to continue from the newest
// submission the hub has taken into the chain; the payloads stay as they
// are (they do not name a sequence number).
func (a *Agent) ResendAll(ctx context.Context, ob *Outbox) ([]Entry, error) {
	if _, err := a.Refresh(ctx, ob); err != nil {
		return nil, err
	}
	if err := a.rechain(ob); err != nil {
		return nil, err
	}
	pending, err := ob.Pending()
	if err != nil {
		return nil, err
	}
	var sent []Entry
	for _, e := range pending {
		if err := a.upload(ctx, ob, e, true); err != nil {
			return sent, fmt.Errorf("upload %s: %w (it stays in the outbox; run the command again to retry)", e.ID, err)
		}
		e.State.Uploaded, e.State.Refused = a.Now().UTC(), nil
		e.State.Attempts++
		if err := ob.saveState(e); err != nil {
			return sent, err
		}
		sent = append(sent, e)
	}
	return sent, nil
}

func (a *Agent) rechain(ob *Outbox) error {
	base, err := ob.chainBase()
	if err != nil {
		return err
	}
	pending, err := ob.Pending()
	if err != nil {
		return err
	}
	for _, e := range pending {
		seq, prev := base.Sequence+1, base.Hash
		if e.Manifest.Sequence != seq || e.Manifest.Previous != prev || e.Manifest.KeyID != a.key.KeyID() {
			m := e.Manifest
			m.Sequence, m.Previous, m.KeyID = seq, prev, a.key.KeyID()
			jws, err := submission.SignManifest(&m, a.key)
			if err != nil {
				return fmt.Errorf("re-sign %s: %w", e.ID, err)
			}
			if err := ob.replaceManifest(e, jws); err != nil {
				return err
			}
			e.Hash = submission.ManifestHash(jws)
		}
		base = chainHead{Sequence: seq, Hash: e.Hash}
	}
	return nil
}
