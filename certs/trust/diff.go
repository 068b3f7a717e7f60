package trust

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
)

// Diff describes, line by line, what new changes against old (nil: an
// empty bundle), for an officer to review before co-signing.
func Diff(old, new *Bundle) []string {
	if old == nil {
		old = &Bundle{}
	}
	var d []string
	add := func(format string, args ...any) { d = append(d, fmt.Sprintf(format, args...)) }
	if old.Version != new.Version {
		add("version %d → %d", old.Version, new.Version)
	}
	if !old.Expires.Equal(new.Expires) {
		add("expires %s → %s", stamp(old.Expires), stamp(new.Expires))
	}
	if old.RootVersion != new.RootVersion {
		add("root version %d → %d", old.RootVersion, new.RootVersion)
	}
	d = append(d, diffPartners(old.Partners, new.Partners)...)
	d = append(d, diffHub(old.Hub, new.Hub)...)
	if old.Dropbox != new.Dropbox {
		add("drop box changed: %s → %s", dropbox(old.Dropbox), dropbox(new.Dropbox))
	}
	if old.PolicyDigest != new.PolicyDigest {
		add("policy digest changed: %s → %s", orNone(old.PolicyDigest), orNone(new.PolicyDigest))
	}
	return d
}

func diffPartners(old, new []certs.Partner) []string {
	var d []string
	add := func(format string, args ...any) { d = append(d, fmt.Sprintf(format, args...)) }
	find := func(ps []certs.Partner, id string) *certs.Partner {
		for i := range ps {
			if ps[i].ID == id {
				return &ps[i]
			}
		}
		return nil
	}
	for _, p := range old {
		if find(new, p.ID) == nil {
			add("partner removed: %s %q (%s), %d key(s)", p.ID, p.Name, p.Category, len(p.Keys))
		}
	}
	for _, p := range new {
		o := find(old, p.ID)
		if o == nil {
			add("partner added: %s %q (%s), datasets %s", p.ID, p.Name, p.Category, strings.Join(p.Datasets, ", "))
			o = &certs.Partner{}
		} else {
			if o.Name != p.Name {
				add("partner %s: name %q → %q", p.ID, o.Name, p.Name)
			}
			if o.Category != p.Category {
				add("partner %s: category %s → %s", p.ID, o.Category, p.Category)
			}
			if !slices.Equal(o.Datasets, p.Datasets) {
				add("partner %s: datasets %s → %s", p.ID, strings.Join(o.Datasets, ", "), strings.Join(p.Datasets, ", "))
			}
		}
		d = append(d, diffKeys(p.ID, o.Keys, p.Keys)...)
	}
	return d
}

func diffKeys(partner string, old, new []certs.KeyEntry) []string {
	var d []string
	add := func(format string, args ...any) { d = append(d, fmt.Sprintf(format, args...)) }
	find := func(ks []certs.KeyEntry, kid string) *certs.KeyEntry {
		for i := range ks {
			if ks[i].KeyID == kid {
				return &ks[i]
			}
		}
		return nil
	}
	for _, k := range old {
		if find(new, k.KeyID) == nil {
			add("key removed: %s of %s", k.KeyID, partner)
		}
	}
	for _, k := range new {
		o := find(old, k.KeyID)
		if o == nil {
			add("key added: %s for %s, valid %s to %s, %s", k.KeyID, partner, stamp(k.NotBefore), stamp(k.NotAfter), k.Status)
			continue
		}
		if o.Public != k.Public {
			add("key %s of %s: public key replaced", k.KeyID, partner)
		}
		if !o.NotBefore.Equal(k.NotBefore) {
			add("key %s of %s: not before %s → %s", k.KeyID, partner, stamp(o.NotBefore), stamp(k.NotBefore))
		}
		if !o.NotAfter.Equal(k.NotAfter) {
			add("key %s of %s: not after %s → %s", k.KeyID, partner, stamp(o.NotAfter), stamp(k.NotAfter))
		}
		switch {
		case o.RevokedAt == nil && k.RevokedAt != nil:
			add("key revoked: %s of %s, from %s", k.KeyID, partner, stamp(*k.RevokedAt))
		case o.RevokedAt != nil && k.RevokedAt == nil:
			add("key %s of %s: REVOCATION LIFTED (was revoked from %s)", k.KeyID, partner, stamp(*o.RevokedAt))
		case o.RevokedAt != nil && !o.RevokedAt.Equal(*k.RevokedAt):
			add("key %s of %s: revoked from %s → %s", k.KeyID, partner, stamp(*o.RevokedAt), stamp(*k.RevokedAt))
		}
		if o.Status != k.Status {
			add("key %s of %s: status %s → %s", k.KeyID, partner, o.Status, k.Status)
		}
	}
	return d
}

func diffHub(old, new certs.HubInfo) []string {
	var d []string
	for _, class := range classes(old, new) {
		for _, r := range new.Recipients[class] {
			if !slices.Contains(old.Recipients[class], r) {
				d = append(d, fmt.Sprintf("hub %s recipient added: %s", class, r))
			}
		}
		for _, r := range old.Recipients[class] {
			switch {
			case slices.Contains(new.Recipients[class], r):
			case slices.Contains(new.Retired[class], r):
				d = append(d, fmt.Sprintf("hub %s recipient retired (agents stop encrypting to it, the hub still opens it): %s", class, r))
			default:
				d = append(d, fmt.Sprintf("hub %s recipient removed: %s", class, r))
			}
		}
		for _, r := range new.Retired[class] {
			if !slices.Contains(old.Retired[class], r) && !slices.Contains(old.Recipients[class], r) {
				d = append(d, fmt.Sprintf("hub %s retired recipient added: %s", class, r))
			}
		}
		for _, r := range old.Retired[class] {
			if !slices.Contains(new.Retired[class], r) && !slices.Contains(new.Recipients[class], r) {
				d = append(d, fmt.Sprintf("hub %s retired recipient dropped: %s", class, r))
			}
		}
	}
	if old.ReceiptKey != new.ReceiptKey {
		d = append(d, fmt.Sprintf("hub receipt key changed: %s → %s", receiptKID(old.ReceiptKey), receiptKID(new.ReceiptKey)))
	}
	return d
}

func classes(hs ...certs.HubInfo) []string {
	var out []string
	for _, h := range hs {
		for _, m := range []map[string][]string{h.Recipients, h.Retired} {
			for c := range m {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func receiptKID(pem string) string {
	if pem == "" {
		return "(none)"
	}
	var k certs.ReceiptPublicKey
	if err := k.UnmarshalText([]byte(pem)); err != nil {
		return "(unreadable)"
	}
	return k.KeyID()
}

// DiffRoot describes what new changes against old (nil: no root yet).
func DiffRoot(old, new *Root) []string {
	if old == nil {
		old = &Root{}
	}
	var d []string
	add := func(format string, args ...any) { d = append(d, fmt.Sprintf(format, args...)) }
	if old.Version != new.Version {
		add("root version %d → %d", old.Version, new.Version)
	}
	if !old.Expires.Equal(new.Expires) {
		add("expires %s → %s", stamp(old.Expires), stamp(new.Expires))
	}
	if old.Threshold != new.Threshold || len(old.Officers) != len(new.Officers) {
		add("threshold %d of %d → %d of %d", old.Threshold, len(old.Officers), new.Threshold, len(new.Officers))
	}
	find := func(os []Officer, id string) *Officer {
		for i := range os {
			if os[i].ID == id {
				return &os[i]
			}
		}
		return nil
	}
	for _, o := range old.Officers {
		if find(new.Officers, o.ID) == nil {
			add("officer removed: %s %q, key %s", o.ID, o.Name, o.KeyID)
		}
	}
	for _, o := range new.Officers {
		p := find(old.Officers, o.ID)
		switch {
		case p == nil:
			add("officer added: %s %q, key %s", o.ID, o.Name, o.KeyID)
		case p.KeyID != o.KeyID || p.Public != o.Public:
			add("officer %s: key %s → %s", o.ID, p.KeyID, o.KeyID)
		}
		if p != nil && p.Name != o.Name {
			add("officer %s: name %q → %q", o.ID, p.Name, o.Name)
		}
	}
	return d
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format(time.RFC3339)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func dropbox(d Dropbox) string {
	if d == (Dropbox{}) {
		return "(none)"
	}
	s := fmt.Sprintf("endpoint %s, bucket %s", d.Endpoint, d.Bucket)
	if d.Region != "" {
		s += ", region " + d.Region
	}
	if d.Insecure {
		s += ", INSECURE plain HTTP"
	}
	return s
}
