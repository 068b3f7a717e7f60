package agent

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// Outbox is the agent's local store of sealed submissions:
//
//	pending/<id>.payload.age   ciphertext, written first
//	pending/<id>.manifest.jws  manifest; its presence makes the entry complete
//	pending/<id>.state.json    upload attempts
//	done/<id>.manifest.jws     after a final receipt, with
//	done/<id>.receipt.jws      the receipt (the payload is deleted)
//	hub-head.json              the hub's chain head for this partner, from its latest receipt
//	lock                       held while a command works on the outbox
type Outbox struct {
	dir string
}

// Entry is one submission in the outbox.
type Entry struct {
	ID       string
	Manifest submission.Manifest
	JWS      []byte
	Hash     string
	State    EntryState
	Receipt  *submission.Receipt // for done entries
	Done     bool
}

// EntryState records what the agent did with a pending entry.
type EntryState struct {
	Uploaded time.Time `json:"uploaded,omitzero"`
	Attempts int       `json:"attempts"`
	// Answered is the id of the last receipt the agent acted on.
	Answered string `json:"answered,omitempty"`
	// Refused is set when the hub refused this manifest without taking it
	// into the partner's chain (an unregistered key, a sequence the hub
	// had already seen): the sealed submission is kept, not sent again on
	// its own, and `send -all` re-signs it into the chain and sends it.
	Refused *Refusal `json:"refused,omitempty"`
}

// Refusal is the hub's reason for refusing an entry.
type Refusal struct {
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

type chainHead struct {
	Sequence uint64 `json:"seq"`
	Hash     string `json:"hash"`
}

// ErrLocked is returned when another agent command holds the outbox.
var ErrLocked = errors.New("outbox is in use by another thbx-agent command")

// OpenOutbox opens (and creates) an outbox and takes its lock; Close
// releases it.
func OpenOutbox(dir string) (*Outbox, error) {
	for _, d := range []string{"pending", "done"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
	}
	lock := filepath.Join(dir, "lock")
	f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w (if no other command runs, remove %s)", ErrLocked, lock)
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	return &Outbox{dir: dir}, nil
}

// Close releases the outbox's lock.
func (o *Outbox) Close() error { return os.Remove(filepath.Join(o.dir, "lock")) }

func (o *Outbox) path(parts ...string) string {
	return filepath.Join(append([]string{o.dir}, parts...)...)
}

// head returns the chain head the next seal continues from: the newest
// of the agent's own submissions (pending, or done, which the hub took
// into the chain) and the hub's head as its latest receipt reported it (it
// is ahead when the agent lost its outbox). It is derived afresh each
// time, so no crash between two files can make it lag.
func (o *Outbox) head() (chainHead, error) {
	h, err := o.hubHead()
	if err != nil {
		return h, err
	}
	for _, list := range []func() ([]Entry, error){o.Done, o.Pending} {
		entries, err := list()
		if err != nil {
			return h, err
		}
		for _, e := range entries {
			if e.Manifest.Sequence > h.Sequence {
				h = chainHead{Sequence: e.Manifest.Sequence, Hash: e.Hash}
			}
		}
	}
	return h, nil
}

// chainBase is where re-signed pending entries continue: the newest done
// entry, or the hub's reported head when that is further on.
func (o *Outbox) chainBase() (chainHead, error) {
	h, err := o.hubHead()
	if err != nil {
		return h, err
	}
	done, err := o.Done()
	if err != nil {
		return h, err
	}
	for _, e := range done {
		if e.Manifest.Sequence > h.Sequence {
			h = chainHead{Sequence: e.Manifest.Sequence, Hash: e.Hash}
		}
	}
	return h, nil
}

func (o *Outbox) hubHead() (chainHead, error) {
	var h chainHead
	b, err := os.ReadFile(o.path("hub-head.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("outbox hub-head.json: %w", err)
	}
	return h, nil
}

// noteHubHead remembers the hub's chain head from a verified receipt if
// it is further on than the one known.
func (o *Outbox) noteHubHead(seq uint64, hash string) error {
	h, err := o.hubHead()
	if err != nil || seq <= h.Sequence {
		return err
	}
	b, _ := json.Marshal(chainHead{Sequence: seq, Hash: hash})
	return certs.WriteFileAtomic(o.path("hub-head.json"), b, 0o600)
}

// tempPayload returns a new file for a ciphertext being sealed.
func (o *Outbox) tempPayload() (*os.File, error) {
	return os.CreateTemp(o.path("pending"), ".sealing-*")
}

// commit makes a sealed submission a pending entry: the ciphertext is
// renamed into place, the manifest written, and the chain head moved.
func (o *Outbox) commit(tmpPayload string, s submission.Sealed) error {
	id := s.Manifest.Submission
	if err := os.Rename(tmpPayload, o.path("pending", id+".payload.age")); err != nil {
		return err
	}
	return certs.WriteFileAtomic(o.path("pending", id+".manifest.jws"), s.JWS, 0o600)
}

// replaceManifest puts a re-signed manifest in place of a pending
// entry's, with a fresh state so it is sent again.
func (o *Outbox) replaceManifest(e Entry, jws []byte) error {
	if err := certs.WriteFileAtomic(o.path("pending", e.ID+".manifest.jws"), jws, 0o600); err != nil {
		return err
	}
	// Answered stays: the receipt in the drop box answers the old manifest.
	return o.saveState(Entry{ID: e.ID, State: EntryState{Answered: e.State.Answered}})
}

// Pending lists complete pending entries, oldest first.
func (o *Outbox) Pending() ([]Entry, error) { return o.list("pending") }

// Done lists finished entries, oldest first.
func (o *Outbox) Done() ([]Entry, error) { return o.list("done") }

func (o *Outbox) list(sub string) ([]Entry, error) {
	names, err := filepath.Glob(o.path(sub, "*.manifest.jws"))
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, n := range names {
		id := strings.TrimSuffix(filepath.Base(n), ".manifest.jws")
		e, err := o.entry(sub, id)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	// Chain order; ids break ties (two seals in one millisecond have ids
	// in no particular order).
	sort.Slice(out, func(i, j int) bool {
		if out[i].Manifest.Sequence != out[j].Manifest.Sequence {
			return out[i].Manifest.Sequence < out[j].Manifest.Sequence
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func (o *Outbox) entry(sub, id string) (Entry, error) {
	e := Entry{ID: id, Done: sub == "done"}
	var err error
	if e.JWS, err = os.ReadFile(o.path(sub, id+".manifest.jws")); err != nil {
		return e, err
	}
	// The agent wrote this manifest itself; it reads the claims without a
	// key to check them against.
	parts := strings.Split(strings.TrimSpace(string(e.JWS)), ".")
	if len(parts) != 3 {
		return e, fmt.Errorf("outbox: %s: manifest is not a compact JWS", id)
	}
	payload, err := decodeSegment(parts[1])
	if err != nil {
		return e, fmt.Errorf("outbox: %s: %w", id, err)
	}
	if err := json.Unmarshal(payload, &e.Manifest); err != nil {
		return e, fmt.Errorf("outbox: %s: %w", id, err)
	}
	e.Hash = submission.ManifestHash(e.JWS)
	if b, err := os.ReadFile(o.path(sub, id+".state.json")); err == nil {
		_ = json.Unmarshal(b, &e.State)
	}
	return e, nil
}

func (o *Outbox) payloadPath(id string) string { return o.path("pending", id+".payload.age") }

func (o *Outbox) saveState(e Entry) error {
	b, _ := json.Marshal(e.State)
	return certs.WriteFileAtomic(o.path("pending", e.ID+".state.json"), b, 0o600)
}

// finish moves an entry to done with its receipt and drops the payload.
func (o *Outbox) finish(e Entry, receipt []byte) error {
	if err := certs.WriteFileAtomic(o.path("done", e.ID+".receipt.jws"), receipt, 0o600); err != nil {
		return err
	}
	if err := os.Rename(o.path("pending", e.ID+".manifest.jws"), o.path("done", e.ID+".manifest.jws")); err != nil {
		return err
	}
	os.Remove(o.path("pending", e.ID+".state.json"))
	return os.Remove(o.payloadPath(e.ID))
}

func (o *Outbox) receiptFor(id string) ([]byte, error) {
	return os.ReadFile(o.path("done", id+".receipt.jws"))
}

// cleanTemp removes ciphertexts of seals a crash interrupted.
func (o *Outbox) cleanTemp() {
	names, _ := filepath.Glob(o.path("pending", ".sealing-*"))
	for _, n := range names {
		os.Remove(n)
	}
	// A payload without a manifest is a seal cut before its manifest
	// was written; the chain head was not moved, so it is dropped.
	payloads, _ := filepath.Glob(o.path("pending", "*.payload.age"))
	for _, p := range payloads {
		id := strings.TrimSuffix(filepath.Base(p), ".payload.age")
		if _, err := os.Stat(o.path("pending", id+".manifest.jws")); errors.Is(err, fs.ErrNotExist) {
			os.Remove(p)
		}
	}
}

func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(s)
}
