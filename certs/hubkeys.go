package certs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// HubFiles names the files of a hub's key directory.
type HubFiles struct {
	Dir        string
	Identities string // age identities, 0600
	ReceiptKey string // receipt signing key, 0600
	Registry   string // partner registry, for the hub
	HubInfo    string // hub.json, public, for partners
	MergeSalt  string // the secret of person ids, 0600
	AuditKey   string // signs the audit log's checkpoints, 0600
}

// HubFilesIn returns the standard file names in dir.
func HubFilesIn(dir string) HubFiles {
	return HubFiles{
		Dir:        dir,
		Identities: filepath.Join(dir, "hub-identities.txt"),
		ReceiptKey: filepath.Join(dir, "receipt.key"),
		Registry:   filepath.Join(dir, "registry.json"),
		HubInfo:    filepath.Join(dir, "hub.json"),
		MergeSalt:  filepath.Join(dir, "merge-salt.key"),
		AuditKey:   filepath.Join(dir, "audit.key"),
	}
}

// InitHub makes the hub's keys in dir: a post-quantum hybrid age identity
// for standard data, another for restricted data, a receipt key, the
// merge salt and the audit key; it writes an empty registry and hub.json. It refuses to
// overwrite.
func InitHub(dir string, rand io.Reader) (HubFiles, error) {
	f := HubFilesIn(dir)
	for _, p := range []string{f.Identities, f.ReceiptKey, f.Registry, f.HubInfo, f.MergeSalt, f.AuditKey} {
		if _, err := os.Stat(p); err == nil {
			return f, fmt.Errorf("%s already exists; the hub's keys are made once", p)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return f, err
	}
	std, err := GenerateHubIdentity()
	if err != nil {
		return f, err
	}
	restricted, err := GenerateHubIdentity()
	if err != nil {
		return f, err
	}
	rk, err := GenerateReceiptKey(rand)
	if err != nil {
		return f, err
	}
	stdText, _ := std.MarshalText()
	resText, _ := restricted.MarshalText()
	ids := fmt.Sprintf("# thbx hub identities, made %s. Keep secret.\n# standard: %s\n%s# restricted: %s\n%s",
		time.Now().UTC().Format(time.RFC3339), std.Recipient(), stdText, restricted.Recipient(), resText)
	if err := WriteSecretFile(f.Identities, []byte(ids)); err != nil {
		return f, err
	}
	rkText, _ := rk.MarshalText()
	if err := WriteSecretFile(f.ReceiptKey, rkText); err != nil {
		return f, err
	}
	pubText, _ := rk.Public().MarshalText()
	info := HubInfo{
		Recipients: map[string][]string{"standard": {std.Recipient()}, "restricted": {restricted.Recipient()}},
		ReceiptKey: string(pubText),
	}
	b, _ := json.MarshalIndent(info, "", "  ")
	if err := WritePublicFile(f.HubInfo, append(b, '\n')); err != nil {
		return f, err
	}
	if _, _, err := LoadMergeSalt(f.MergeSalt, true, rand); err != nil {
		return f, err
	}
	if _, _, err := LoadAuditKey(f.AuditKey, true, rand); err != nil {
		return f, err
	}
	reg := &Registry{Version: 1, Hub: info, Partners: []Partner{}}
	return f, reg.Save(f.Registry)
}

// AddPartner registers a new partner.
func (r *Registry) AddPartner(p Partner) error {
	if _, ok := r.Partner(p.ID); ok {
		return fmt.Errorf("partner %q is already registered", p.ID)
	}
	if len(p.Datasets) == 0 {
		return fmt.Errorf("partner %q: name at least one dataset it may submit", p.ID)
	}
	if p.Keys == nil {
		p.Keys = []KeyEntry{}
	}
	return r.edit(func(c *Registry) error {
		c.Partners = append(c.Partners, p)
		return nil
	})
}

// edit applies change to a copy of the registry and keeps the copy, with
// its version raised, only if it is valid: a refused edit leaves no trace.
func (r *Registry) edit(change func(*Registry) error) error {
	c := r.clone()
	if err := change(c); err != nil {
		return err
	}
	c.Version++
	if err := c.Validate(); err != nil {
		return err
	}
	*r = *c
	return nil
}

func (r *Registry) clone() *Registry {
	c := *r
	c.Partners = make([]Partner, len(r.Partners))
	for i, p := range r.Partners {
		p.Datasets = slices.Clone(p.Datasets)
		p.Keys = slices.Clone(p.Keys)
		c.Partners[i] = p
	}
	return &c
}

// AddKey registers a signing key for a partner, valid from notBefore to
// notAfter (no end when zero).
func (r *Registry) AddKey(partnerID string, pub PartnerPublicKey, notBefore, notAfter time.Time) error {
	if _, _, err := r.Lookup(pub.KeyID()); err == nil {
		return fmt.Errorf("key %s is already registered", pub.KeyID())
	}
	text, err := pub.MarshalText()
	if err != nil {
		return err
	}
	return r.edit(func(c *Registry) error {
		p, ok := c.Partner(partnerID)
		if !ok {
			return fmt.Errorf("%w: %q", ErrNoPartner, partnerID)
		}
		p.Keys = append(p.Keys, KeyEntry{KeyID: pub.KeyID(), Public: string(text),
			NotBefore: notBefore.UTC(), NotAfter: notAfter.UTC(), Status: KeyActive})
		return nil
	})
}

// RevokeKey marks a key revoked from at on: what it signed before stands,
// what it signs after is refused.
func (r *Registry) RevokeKey(kid string, at time.Time) error {
	return r.edit(func(c *Registry) error {
		_, k, err := c.Lookup(kid)
		if err != nil {
			return fmt.Errorf("revoke %s: %w", kid, err)
		}
		if k.Status == KeyRevoked {
			return fmt.Errorf("key %s was already revoked at %s", kid, k.RevokedAt.Format(time.RFC3339))
		}
		at = at.UTC()
		k.Status, k.RevokedAt = KeyRevoked, &at
		return nil
	})
}

// ErrNoPartner is returned for a partner id that is not registered.
var ErrNoPartner = errors.New("partner is not registered")

// AllowDataset adds a dataset to a partner's allowed list.
func (r *Registry) AllowDataset(partnerID, dataset string) error {
	p, ok := r.Partner(partnerID)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoPartner, partnerID)
	}
	if slices.Contains(p.Datasets, dataset) {
		return nil
	}
	return r.edit(func(c *Registry) error {
		p, _ := c.Partner(partnerID)
		p.Datasets = append(p.Datasets, dataset)
		return nil
	})
}
