package trust

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/thbx/thbx/certs"
)

// Change is one edit of a trust bundle, made by AddPartner, AddKey,
// RotateKey, RevokeKey, RotateHub, SetReceiptKey, SetExpiry, SetDropbox,
// SetPolicyDigest or SetRootVersion and applied by Propose.
type Change struct {
	what  string
	apply func(*Bundle) error
}

// String describes the change, for logs and prompts.
func (c Change) String() string { return c.what }

// Propose applies changes to a copy of current and returns the next bundle:
// version raised by exactly one, everything the changes do not touch kept.
// current is not modified; a refused change leaves nothing behind.
func Propose(current *Bundle, changes ...Change) (*Bundle, error) {
	if current == nil {
		return nil, errors.New("propose: no current bundle")
	}
	if len(changes) == 0 {
		return nil, errors.New("propose: no change")
	}
	next, err := cloneBundle(current)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		if c.apply == nil {
			return nil, errors.New("propose: empty change")
		}
		if err := c.apply(next); err != nil {
			return nil, fmt.Errorf("propose: %s: %w", c.what, err)
		}
	}
	next.Version = current.Version + 1
	if err := next.Validate(); err != nil {
		return nil, fmt.Errorf("propose: %w", err)
	}
	return next, nil
}

// ProposeSigned signs next as a bundle proposal with the first officer
// signature; others add theirs with AddSignature(key, BundleType).
func ProposeSigned(next *Bundle, key certs.OfficerKey) (*Signed, error) {
	if err := next.Validate(); err != nil {
		return nil, err
	}
	payload, err := next.Marshal()
	if err != nil {
		return nil, err
	}
	return Sign(payload, BundleType, key)
}

func cloneBundle(b *Bundle) (*Bundle, error) {
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	var c Bundle
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// AddPartner enrols the partner of req with its signing key, valid from
// now for validFor (no end when zero). datasets are the datasets the
// officers allow; nil means those requested.
func AddPartner(req EnrolmentRequest, datasets []string, validFor time.Duration, now time.Time) Change {
	if datasets == nil {
		datasets = req.Datasets
	}
	return Change{
		what: fmt.Sprintf("add partner %s with key %s", req.Partner, req.KeyID),
		apply: func(b *Bundle) error {
			if err := req.Validate(); err != nil {
				return err
			}
			pub, _ := req.PublicKey()
			if err := checkDatasets(datasets); err != nil {
				return err
			}
			p := certs.Partner{ID: req.Partner, Name: req.Name, Category: req.Category, Datasets: slices.Clone(datasets)}
			if err := b.Registry.AddPartner(p); err != nil {
				return err
			}
			return b.Registry.AddKey(req.Partner, pub, now, endOf(now, validFor))
		},
	}
}

func endOf(now time.Time, validFor time.Duration) time.Time {
	if validFor <= 0 {
		return time.Time{}
	}
	return now.Add(validFor)
}

var datasetPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

func checkDatasets(ds []string) error {
	if len(ds) == 0 {
		return errors.New("name at least one dataset")
	}
	for i, d := range ds {
		if !datasetPattern.MatchString(d) {
			return fmt.Errorf("dataset %q is not a plain name", d)
		}
		if slices.Contains(ds[:i], d) {
			return fmt.Errorf("dataset %q listed twice", d)
		}
	}
	return nil
}

// AddKey registers another signing key for a partner, valid from notBefore
// to notAfter (no end when zero).
func AddKey(partner string, pub certs.PartnerPublicKey, notBefore, notAfter time.Time) Change {
	return Change{
		what: fmt.Sprintf("add key %s for %s", pub.KeyID(), partner),
		apply: func(b *Bundle) error {
			return b.Registry.AddKey(partner, pub, notBefore, notAfter)
		},
	}
}

// RotateKey adds newPub for a partner from now and ends its other active
// keys at now+overlap (unless they end earlier), so that submissions
// signed with the old key during the overlap still count. The new key is
// valid as long as the newest old key was (no end if it had none).
func RotateKey(partner string, newPub certs.PartnerPublicKey, overlap time.Duration, now time.Time) Change {
	return Change{
		what: fmt.Sprintf("rotate the key of %s to %s (overlap %s)", partner, newPub.KeyID(), overlap),
		apply: func(b *Bundle) error {
			p, ok := b.Partner(partner)
			if !ok {
				return fmt.Errorf("%w: %q", certs.ErrNoPartner, partner)
			}
			if overlap < 0 {
				return errors.New("negative overlap")
			}
			end, life := now.Add(overlap).UTC(), time.Duration(0)
			var old int
			for i := range p.Keys {
				k := &p.Keys[i]
				if k.Status != certs.KeyActive || k.RevokedAt != nil || (!k.NotAfter.IsZero() && !k.NotAfter.After(now)) {
					continue
				}
				old++
				if !k.NotAfter.IsZero() && k.NotAfter.Sub(k.NotBefore) > life {
					life = k.NotAfter.Sub(k.NotBefore)
				}
				if k.NotAfter.IsZero() || k.NotAfter.After(end) {
					k.NotAfter = end
				}
			}
			if old == 0 {
				return fmt.Errorf("partner %s has no active key to rotate; use AddKey", partner)
			}
			return b.Registry.AddKey(partner, newPub, now, endOf(now, life))
		},
	}
}

// RevokeKey revokes a key from at on: what it signed before stands, what
// it signs after is refused.
func RevokeKey(kid string, at time.Time) Change {
	return Change{
		what:  fmt.Sprintf("revoke key %s from %s", kid, stamp(at)),
		apply: func(b *Bundle) error { return b.Registry.RevokeKey(kid, at) },
	}
}

// RotateHub makes newRecipients the hub's recipients for class ("standard"
// or "restricted"). The current ones move to the retired list: agents stop
// encrypting to them, the hub still opens what was sealed to them.
func RotateHub(class string, newRecipients []string) Change {
	return Change{
		what: fmt.Sprintf("rotate the hub's %s recipients", class),
		apply: func(b *Bundle) error {
			if class != "standard" && class != "restricted" {
				return fmt.Errorf("classification %q is not standard or restricted", class)
			}
			if len(newRecipients) == 0 {
				return errors.New("no new recipients")
			}
			for _, r := range newRecipients {
				if _, err := certs.ParseRecipient(r); err != nil {
					return err
				}
			}
			h := &b.Hub
			if h.Recipients == nil {
				h.Recipients = map[string][]string{}
			}
			for _, r := range h.Recipients[class] {
				if !slices.Contains(newRecipients, r) && !slices.Contains(h.Retired[class], r) {
					if h.Retired == nil {
						h.Retired = map[string][]string{}
					}
					h.Retired[class] = append(h.Retired[class], r)
				}
			}
			h.Recipients[class] = slices.Clone(newRecipients)
			return nil
		},
	}
}

// SetReceiptKey replaces the hub's receipt-signing public key (PEM).
func SetReceiptKey(pem string) Change {
	return Change{
		what: "set the hub's receipt key",
		apply: func(b *Bundle) error {
			var k certs.ReceiptPublicKey
			if err := k.UnmarshalText([]byte(pem)); err != nil {
				return fmt.Errorf("receipt key: %w", err)
			}
			b.Hub.ReceiptKey = pem
			return nil
		},
	}
}

// SetExpiry sets when the bundle expires.
func SetExpiry(t time.Time) Change {
	return Change{
		what:  "set expiry to " + stamp(t),
		apply: func(b *Bundle) error { b.Expires = t.UTC(); return nil },
	}
}

// SetDropbox replaces the drop-box settings.
func SetDropbox(d Dropbox) Change {
	return Change{
		what:  fmt.Sprintf("set the drop box to %s/%s", d.Endpoint, d.Bucket),
		apply: func(b *Bundle) error { b.Dropbox = d; return d.Validate() },
	}
}

// SetPolicyDigest names the access policy in force by its SHA-256.
func SetPolicyDigest(d string) Change {
	return Change{
		what:  "set the policy digest to " + d,
		apply: func(b *Bundle) error { b.PolicyDigest = d; return nil },
	}
}

// SetRootVersion records the root the bundle is signed under, after a
// root rotation.
func SetRootVersion(v int) Change {
	return Change{
		what: fmt.Sprintf("set the root version to %d", v),
		apply: func(b *Bundle) error {
			if v < b.RootVersion {
				return fmt.Errorf("root version %d is lower than %d", v, b.RootVersion)
			}
			b.RootVersion = v
			return nil
		},
	}
}
