package certs

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/thbx/thbx/certs/strictjson"
)

// Registry is the plain partner registry the hub loads: who may submit,
// with which keys, and the hub's own public keys. Security officers write
// it with thbx-keys. (A later format signs it under dual control.)
type Registry struct {
	Version  int       `json:"version"`
	Hub      HubInfo   `json:"hub"`
	Partners []Partner `json:"partners"`
}

// HubInfo is what agents need to know of the hub: whom to encrypt to and
// which key signs receipts. thbx-keys writes it as hub.json for partners.
type HubInfo struct {
	// Recipients lists age recipients per classification ("standard",
	// "restricted").
	Recipients map[string][]string `json:"recipients"`
	// Retired lists, per classification, recipients agents no longer
	// encrypt to but whose submissions the hub still opens (after a hub
	// key rotation).
	Retired    map[string][]string `json:"retired,omitempty"`
	ReceiptKey string              `json:"receipt_key"` // PEM
}

// Partner categories (DOMAIN.md "Who sends what").
var Categories = []string{"police", "prosecution", "court", "alien_police", "labour_inspectorate",
	"vap", "ngo", "io", "intelligence", "embassy", "other"}

// Partner is one organisation that submits data.
type Partner struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Category string     `json:"category"`
	Datasets []string   `json:"datasets"`
	Keys     []KeyEntry `json:"keys"`
}

// Key statuses.
const (
	KeyActive  = "active"
	KeyRevoked = "revoked"
)

// KeyEntry is one of a partner's signing keys with its validity.
type KeyEntry struct {
	KeyID     string     `json:"kid"`
	Public    string     `json:"public"` // PEM
	NotBefore time.Time  `json:"not_before"`
	NotAfter  time.Time  `json:"not_after"`
	Status    string     `json:"status"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

var partnerID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ErrUnknownKey is returned by Lookup for a key id nobody registered.
var ErrUnknownKey = errors.New("unknown key id")

// ReceiptPublic parses the hub's receipt key.
func (h HubInfo) ReceiptPublic() (ReceiptPublicKey, error) {
	var k ReceiptPublicKey
	if err := k.UnmarshalText([]byte(h.ReceiptKey)); err != nil {
		return k, fmt.Errorf("hub receipt key: %w", err)
	}
	return k, nil
}

// Validate checks the hub's public information.
func (h HubInfo) Validate() error {
	if _, err := h.ReceiptPublic(); err != nil {
		return err
	}
	if len(h.Recipients["standard"]) == 0 {
		return errors.New("hub: no standard recipients")
	}
	for _, m := range []map[string][]string{h.Recipients, h.Retired} {
		for class, rs := range m {
			if class != "standard" && class != "restricted" {
				return fmt.Errorf("hub: unknown classification %q", class)
			}
			for _, r := range rs {
				if _, err := ParseRecipient(r); err != nil {
					return fmt.Errorf("hub: %s recipient: %w", class, err)
				}
			}
		}
	}
	return nil
}

// Validate checks the registry's structure: ids, categories, that each
// kid is derived from its key and that no key is registered twice.
func (r *Registry) Validate() error {
	if r.Version < 1 {
		return errors.New("registry: version must be at least 1")
	}
	if err := r.Hub.Validate(); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	seenPartner := map[string]bool{}
	seenKey := map[string]string{}
	for _, p := range r.Partners {
		if !partnerID.MatchString(p.ID) {
			return fmt.Errorf("registry: partner id %q is not lower-case letters, digits and hyphens", p.ID)
		}
		if seenPartner[p.ID] {
			return fmt.Errorf("registry: partner %q listed twice", p.ID)
		}
		seenPartner[p.ID] = true
		if !slices.Contains(Categories, p.Category) {
			return fmt.Errorf("registry: partner %q: category %q is not one of %v", p.ID, p.Category, Categories)
		}
		for _, k := range p.Keys {
			pub, err := k.PublicKey()
			if err != nil {
				return fmt.Errorf("registry: partner %q: %w", p.ID, err)
			}
			if pub.KeyID() != k.KeyID {
				return fmt.Errorf("registry: partner %q: kid %q does not match its key (%q)", p.ID, k.KeyID, pub.KeyID())
			}
			if other, dup := seenKey[k.KeyID]; dup {
				return fmt.Errorf("registry: key %q registered for both %q and %q", k.KeyID, other, p.ID)
			}
			seenKey[k.KeyID] = p.ID
			if k.Status != KeyActive && k.Status != KeyRevoked {
				return fmt.Errorf("registry: partner %q key %q: status %q", p.ID, k.KeyID, k.Status)
			}
			if k.Status == KeyRevoked && k.RevokedAt == nil {
				return fmt.Errorf("registry: partner %q key %q: revoked without revoked_at", p.ID, k.KeyID)
			}
			if !k.NotAfter.IsZero() && !k.NotAfter.After(k.NotBefore) {
				return fmt.Errorf("registry: partner %q key %q: not_after is not after not_before", p.ID, k.KeyID)
			}
		}
	}
	return nil
}

// PublicKey parses the entry's key.
func (k KeyEntry) PublicKey() (PartnerPublicKey, error) {
	var pub PartnerPublicKey
	if err := pub.UnmarshalText([]byte(k.Public)); err != nil {
		return pub, fmt.Errorf("key %q: %w", k.KeyID, err)
	}
	return pub, nil
}

// ValidAt says why the key may not sign at t, or nil when it may.
func (k KeyEntry) ValidAt(t time.Time) error {
	switch {
	case k.RevokedAt != nil && !t.Before(*k.RevokedAt):
		return fmt.Errorf("key %s revoked at %s", k.KeyID, k.RevokedAt.Format(time.RFC3339))
	case t.Before(k.NotBefore):
		return fmt.Errorf("key %s not valid before %s", k.KeyID, k.NotBefore.Format(time.RFC3339))
	case !k.NotAfter.IsZero() && !t.Before(k.NotAfter):
		return fmt.Errorf("key %s expired at %s", k.KeyID, k.NotAfter.Format(time.RFC3339))
	}
	return nil
}

// Lookup finds the partner and entry of a key id.
func (r *Registry) Lookup(kid string) (*Partner, *KeyEntry, error) {
	for i := range r.Partners {
		p := &r.Partners[i]
		for j := range p.Keys {
			if p.Keys[j].KeyID == kid {
				return p, &p.Keys[j], nil
			}
		}
	}
	return nil, nil, ErrUnknownKey
}

// Partner finds a partner by id.
func (r *Registry) Partner(id string) (*Partner, bool) {
	for i := range r.Partners {
		if r.Partners[i].ID == id {
			return &r.Partners[i], true
		}
	}
	return nil, false
}

// ParseRegistry decodes and validates a registry, refusing unknown fields.
func ParseRegistry(b []byte) (*Registry, error) {
	var r Registry
	if err := strictjson.Decode(b, &r); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// LoadRegistry reads and validates a registry file.
func LoadRegistry(path string) (*Registry, error) {
	b, err := ReadTrustFile(path)
	if err != nil {
		return nil, fmt.Errorf("load registry: %w", err)
	}
	r, err := ParseRegistry(b)
	if err != nil {
		return nil, fmt.Errorf("load registry %s: %w", path, err)
	}
	return r, nil
}

// Save writes the registry atomically after validating it.
func (r *Registry) Save(path string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(b, '\n'), 0o644)
}

// LoadHubInfo reads the hub's public information (hub.json).
func LoadHubInfo(path string) (HubInfo, error) {
	var h HubInfo
	b, err := ReadTrustFile(path)
	if err != nil {
		return h, fmt.Errorf("load hub info: %w", err)
	}
	if err := strictjson.Decode(b, &h); err != nil {
		return h, fmt.Errorf("load hub info %s: %w", path, err)
	}
	if err := h.Validate(); err != nil {
		return h, fmt.Errorf("load hub info %s: %w", path, err)
	}
	return h, nil
}
