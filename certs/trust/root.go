package trust

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/strictjson"
)

// Root names the security officers and how many of them must sign.
type Root struct {
	Type      string    `json:"type"` // RootType
	Version   int       `json:"version"`
	Expires   time.Time `json:"expires"`
	Threshold int       `json:"threshold"`
	Officers  []Officer `json:"officers"`
}

// Officer is one security officer and the public half of the key they
// made on their own machine.
type Officer struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	KeyID  string `json:"kid"`
	Public string `json:"public"` // PEM officer public key
}

// DefaultThreshold and DefaultOfficers: two of three officers must agree.
const (
	DefaultThreshold = 2
	DefaultOfficers  = 3
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// NewOfficer describes an officer by id, name and public key.
func NewOfficer(id, name string, pub certs.OfficerPublicKey) (Officer, error) {
	text, err := pub.MarshalText()
	if err != nil {
		return Officer{}, err
	}
	o := Officer{ID: id, Name: name, KeyID: pub.KeyID(), Public: string(text)}
	return o, o.validate()
}

// PublicKey parses the officer's key.
func (o Officer) PublicKey() (certs.OfficerPublicKey, error) {
	var k certs.OfficerPublicKey
	if err := k.UnmarshalText([]byte(o.Public)); err != nil {
		return k, fmt.Errorf("officer %s: %w", o.ID, err)
	}
	return k, nil
}

func (o Officer) validate() error {
	if !idPattern.MatchString(o.ID) {
		return fmt.Errorf("officer id %q is not lower-case letters, digits and hyphens", o.ID)
	}
	pub, err := o.PublicKey()
	if err != nil {
		return err
	}
	if pub.KeyID() != o.KeyID {
		return fmt.Errorf("officer %s: kid %q does not match its key (%q)", o.ID, o.KeyID, pub.KeyID())
	}
	return nil
}

// Validate checks the root's structure: type, version, expiry, a threshold
// from 1 to the number of officers, unique officer ids and keys, and kids
// derived from the keys.
func (r *Root) Validate() error {
	switch {
	case r.Type != RootType:
		return fmt.Errorf("root: type %q, want %q", r.Type, RootType)
	case r.Version < 1:
		return errors.New("root: version must be at least 1")
	case r.Expires.IsZero():
		return errors.New("root: no expiry")
	case len(r.Officers) == 0:
		return errors.New("root: no officers")
	case r.Threshold < 1 || r.Threshold > len(r.Officers):
		return fmt.Errorf("root: threshold %d of %d officers; it must be from 1 to %d", r.Threshold, len(r.Officers), len(r.Officers))
	}
	ids, kids := map[string]bool{}, map[string]string{}
	for _, o := range r.Officers {
		if err := o.validate(); err != nil {
			return fmt.Errorf("root: %w", err)
		}
		if ids[o.ID] {
			return fmt.Errorf("root: officer %s listed twice", o.ID)
		}
		if other, dup := kids[o.KeyID]; dup {
			return fmt.Errorf("root: officers %s and %s share key %s", other, o.ID, o.KeyID)
		}
		ids[o.ID], kids[o.KeyID] = true, o.ID
	}
	return nil
}

// NewRootProposal validates r (filling in its type) and returns it as an
// unsigned document for the officers to sign with AddSignature(key,
// RootType).
func NewRootProposal(r Root) (*Signed, error) {
	if r.Type == "" {
		r.Type = RootType
	}
	r.Expires = r.Expires.UTC()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	payload, err := marshalPayload(r)
	if err != nil {
		return nil, err
	}
	return &Signed{Payload: b64.EncodeToString(payload), Signatures: []Signature{}}, nil
}

// ProposedRoot decodes and validates the root in s WITHOUT checking any
// signature: for review and co-signing only.
func ProposedRoot(s *Signed) (*Root, error) {
	payload, err := s.PayloadBytes()
	if err != nil {
		return nil, fmt.Errorf("root: payload: %w", err)
	}
	var r Root
	if err := strictjson.Decode(payload, &r); err != nil {
		return nil, fmt.Errorf("root: %w", err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// VerifyRoot checks a first (pinned) root: signed by its own threshold of
// its own officers and not expired. A self-signed root proves only that
// its officers agree; pin it after confirming its RootFingerprint out of
// band.
func VerifyRoot(s *Signed, now time.Time) (*Root, error) {
	r, err := ProposedRoot(s)
	if err != nil {
		return nil, err
	}
	if _, err := s.Verify(r.Officers, r.Threshold, RootType); err != nil {
		return nil, fmt.Errorf("root version %d: %w", r.Version, err)
	}
	if err := r.checkExpiry(now); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Root) checkExpiry(now time.Time) error {
	if !now.Before(r.Expires) {
		return fmt.Errorf("root version %d %w at %s: the officers must sign and publish a new root",
			r.Version, ErrExpired, r.Expires.UTC().Format(time.RFC3339))
	}
	return nil
}

// VerifyRootUpdate checks the root that follows current: its version is
// exactly one higher, it is signed by the threshold of the OLD officers
// and by the threshold of the NEW officers, and it has not expired.
func VerifyRootUpdate(current *Root, s *Signed, now time.Time) (*Root, error) {
	next, err := verifyRootUpdate(current, s)
	if err != nil {
		return nil, err
	}
	if err := next.checkExpiry(now); err != nil {
		return nil, err
	}
	return next, nil
}

func verifyRootUpdate(current *Root, s *Signed) (*Root, error) {
	next, err := ProposedRoot(s)
	if err != nil {
		return nil, err
	}
	switch {
	case next.Version <= current.Version:
		return nil, fmt.Errorf("root version %d is not newer than the trusted version %d: %w", next.Version, current.Version, ErrRollback)
	case next.Version != current.Version+1:
		return nil, fmt.Errorf("root version %d skips versions after %d: apply each root in turn", next.Version, current.Version)
	}
	_, errOld := s.Verify(current.Officers, current.Threshold, RootType)
	_, errNew := s.Verify(next.Officers, next.Threshold, RootType)
	switch {
	case errOld != nil && errNew == nil:
		return nil, fmt.Errorf("root version %d is signed by the new officers only; %d of the %d officers of root version %d must also sign: %w",
			next.Version, current.Threshold, len(current.Officers), current.Version, errOld)
	case errOld == nil && errNew != nil:
		return nil, fmt.Errorf("root version %d is signed by the old officers only; %d of its own %d officers must also sign: %w",
			next.Version, next.Threshold, len(next.Officers), errNew)
	case errOld != nil:
		return nil, fmt.Errorf("root version %d: neither the old officers (%v) nor the new ones (%v) signed enough: %w",
			next.Version, errOld, errNew, ErrThreshold)
	}
	return next, nil
}

// UpdateRootChain follows successive root updates from pinned. Entries at
// or below the trusted version are skipped; each other one must be the
// next version, signed by the old and the new officers. As in TUF only the
// final root must be unexpired: a device offline for long can still catch
// up.
func UpdateRootChain(pinned *Root, chain [][]byte, now time.Time) (*Root, error) {
	cur := pinned
	for i, b := range chain {
		s, err := ParseSigned(b)
		if err != nil {
			return nil, fmt.Errorf("root chain entry %d: %w", i+1, err)
		}
		if r, err := ProposedRoot(s); err == nil && r.Version <= cur.Version {
			continue
		}
		next, err := verifyRootUpdate(cur, s)
		if err != nil {
			return nil, fmt.Errorf("root chain entry %d: %w", i+1, err)
		}
		cur = next
	}
	if err := cur.checkExpiry(now); err != nil {
		return nil, err
	}
	return cur, nil
}
