package trust

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/strictjson"
)

// Bundle is the trust bundle: everything agents and hub trust, signed by
// the threshold of the root's officers. It replaces the plain registry,
// which it embeds (version, hub, partners).
type Bundle struct {
	Type         string    `json:"type"` // BundleType
	Expires      time.Time `json:"expires"`
	RootVersion  int       `json:"root_version"` // the root it was signed under
	Dropbox      Dropbox   `json:"dropbox"`
	PolicyDigest string    `json:"policy_digest,omitempty"`
	certs.Registry
}

// Dropbox says where agents deliver submissions.
type Dropbox struct {
	Endpoint string `json:"endpoint"` // host[:port]
	Bucket   string `json:"bucket"`
	Region   string `json:"region,omitempty"`
	Insecure bool   `json:"insecure,omitempty"` // plain HTTP, for tests only
}

var (
	bucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	digestPattern = regexp.MustCompile(`^(sha256:)?[0-9a-f]{64}$`)
)

// Validate checks the drop-box settings.
func (d Dropbox) Validate() error {
	if d.Endpoint == "" && d.Bucket == "" {
		return nil // not configured yet
	}
	if d.Endpoint == "" || strings.ContainsAny(d.Endpoint, "/ \t\r\n?#@") {
		return fmt.Errorf("drop box: endpoint %q is not host[:port]", d.Endpoint)
	}
	if !bucketPattern.MatchString(d.Bucket) {
		return fmt.Errorf("drop box: bucket %q is not a valid bucket name", d.Bucket)
	}
	return nil
}

// Validate checks the bundle's structure: the registry's rules, the
// document type, a root version, an expiry, drop box and policy digest.
// Expiry against the clock is VerifyBundle's business.
func (b *Bundle) Validate() error {
	switch {
	case b.Type != BundleType:
		return fmt.Errorf("trust bundle: type %q, want %q", b.Type, BundleType)
	case b.RootVersion < 1:
		return errors.New("trust bundle: root_version must be at least 1")
	case b.Expires.IsZero():
		return errors.New("trust bundle: no expiry")
	case b.PolicyDigest != "" && !digestPattern.MatchString(b.PolicyDigest):
		return fmt.Errorf("trust bundle: policy digest %q is not a hex SHA-256", b.PolicyDigest)
	case b.Partners == nil:
		return errors.New("trust bundle: partners must be a list (possibly empty)")
	}
	if err := b.Registry.Validate(); err != nil {
		return fmt.Errorf("trust bundle: %w", err)
	}
	if err := b.Dropbox.Validate(); err != nil {
		return fmt.Errorf("trust bundle: %w", err)
	}
	return nil
}

// Marshal encodes the bundle as the payload officers sign.
func (b *Bundle) Marshal() ([]byte, error) { return marshalPayload(b) }

func marshalPayload(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ProposedBundle decodes and validates the bundle in s WITHOUT checking any
// signature: for review and co-signing only; trust comes from VerifyBundle.
func ProposedBundle(s *Signed) (*Bundle, error) {
	payload, err := s.PayloadBytes()
	if err != nil {
		return nil, fmt.Errorf("trust bundle: payload: %w", err)
	}
	var b Bundle
	if err := strictjson.Decode(payload, &b); err != nil {
		return nil, fmt.Errorf("trust bundle: %w", err)
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return &b, nil
}

// VerifyBundle checks a published bundle against the trusted root and the
// bundle trusted so far (nil on first load) and returns the bundle to
// trust from now on. It refuses a bundle without the threshold of the
// root's officers (ErrThreshold), an expired bundle or root (ErrExpired),
// and an older version or the same version with other content
// (ErrRollback). The same version with the same content returns current.
func VerifyBundle(b []byte, root *Root, current *Bundle, now time.Time) (*Bundle, error) {
	if root == nil {
		return nil, errors.New("trust bundle: no trusted root")
	}
	if err := root.checkExpiry(now); err != nil {
		return nil, fmt.Errorf("trust bundle: %w", err)
	}
	s, err := ParseSigned(b)
	if err != nil {
		return nil, fmt.Errorf("trust bundle: %w", err)
	}
	if _, err := s.Verify(root.Officers, root.Threshold, BundleType); err != nil {
		return nil, fmt.Errorf("trust bundle: %w", err)
	}
	next, err := ProposedBundle(s)
	if err != nil {
		return nil, err
	}
	if next.RootVersion > root.Version {
		return nil, fmt.Errorf("trust bundle version %d names root version %d, newer than the trusted root %d: fetch the new root first",
			next.Version, next.RootVersion, root.Version)
	}
	if !now.Before(next.Expires) {
		return nil, fmt.Errorf("trust bundle version %d %w at %s: ask the security officers to sign and publish a new bundle (thbx-keys publish), then fetch it again",
			next.Version, ErrExpired, next.Expires.UTC().Format(time.RFC3339))
	}
	if current == nil {
		return next, nil
	}
	switch {
	case next.Version < current.Version:
		return nil, fmt.Errorf("trust bundle version %d is older than the trusted version %d: %w", next.Version, current.Version, ErrRollback)
	case next.Version == current.Version:
		a, errA := json.Marshal(current)
		c, errC := json.Marshal(next)
		if errA != nil || errC != nil || !bytes.Equal(a, c) {
			return nil, fmt.Errorf("trust bundle version %d: same version, other content than the trusted one: %w", next.Version, ErrRollback)
		}
		return current, nil
	}
	return next, nil
}

// ExpiringSoon warns of what expires within the window from now: active,
// unrevoked partner keys, the bundle and the root (either may be nil).
func ExpiringSoon(b *Bundle, r *Root, now time.Time, within time.Duration) []string {
	limit := now.Add(within)
	var out []string
	when := func(t time.Time) string {
		if !now.Before(t) {
			return "expired at " + t.UTC().Format(time.RFC3339)
		}
		return fmt.Sprintf("expires at %s (in %s)", t.UTC().Format(time.RFC3339), days(t.Sub(now)))
	}
	if r != nil && r.Expires.Before(limit) {
		out = append(out, fmt.Sprintf("root version %d %s: the officers must sign a new root", r.Version, when(r.Expires)))
	}
	if b == nil {
		return out
	}
	if b.Expires.Before(limit) {
		out = append(out, fmt.Sprintf("trust bundle version %d %s: the officers must publish a new bundle (SetExpiry)", b.Version, when(b.Expires)))
	}
	for _, p := range b.Partners {
		for _, k := range p.Keys {
			if k.Status != certs.KeyActive || k.RevokedAt != nil || k.NotAfter.IsZero() {
				continue
			}
			if now.Before(k.NotAfter) && !k.NotAfter.After(limit) && !hasSuccessor(p, k, limit) {
				out = append(out, fmt.Sprintf("key %s of partner %s %s: rotate it", k.KeyID, p.ID, when(k.NotAfter)))
			}
		}
	}
	return out
}

// hasSuccessor reports whether another usable key of p outlives limit, as
// after a rotation whose overlap is running out: nothing to warn about.
func hasSuccessor(p certs.Partner, k certs.KeyEntry, limit time.Time) bool {
	for _, o := range p.Keys {
		if o.KeyID != k.KeyID && o.Status == certs.KeyActive && o.RevokedAt == nil &&
			(o.NotAfter.IsZero() || o.NotAfter.After(limit)) {
			return true
		}
	}
	return false
}

func days(d time.Duration) string {
	if d < 24*time.Hour {
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}
