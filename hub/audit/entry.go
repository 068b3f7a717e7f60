package audit

import (
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidEntry is returned by Append for an event that cannot be logged
// as it is. The error names the field, never its value: the value may be
// the very secret that should not have been there.
var ErrInvalidEntry = errors.New("invalid audit event")

// Decision is what the hub decided.
type Decision string

const (
	Allow Decision = "allow"
	Deny  Decision = "deny"
)

// Action says what was decided on. Any lowercase code ([a-z][a-z0-9_.-]*,
// at most 64 bytes) is accepted; these are the ones thbx uses.
type Action string

const (
	ActionAccept         Action = "accept"          // a submission was verified and stored
	ActionReject         Action = "reject"          // a submission was quarantined
	ActionDecrypt        Action = "decrypt"         // a submission's ciphertext was opened
	ActionMerge          Action = "merge"           // records were linked into persons
	ActionReadRecords    Action = "read_records"    // record-level data through the API
	ActionReadAggregates Action = "read_aggregates" // tables of counts
	ActionExport         Action = "export"          // a file for use outside the hub
	ActionReadAudit      Action = "read_audit"      // this log, through the API
	ActionKeyChange      Action = "key_change"      // a hub key was made or rotated
	ActionTrustChange    Action = "trust_change"    // a new trust bundle was taken up
	ActionPolicyChange   Action = "policy_change"   // a new access policy was taken up
	ActionLogRecovered   Action = "log_recovered"   // Open removed a torn last line
)

// Kinds of actor. As with Action, any lowercase code is accepted.
const (
	KindAnalyst = "analyst"
	KindAuditor = "auditor"
	KindOfficer = "officer"
	KindPartner = "partner"
	KindHub     = "hub" // the hub itself: ingest, merge, recovery
)

// Actor is who asked. Subject names a person, a partner or a component in
// a form safe to log: a login, a partner id, a token's fingerprint, never
// the token.
type Actor struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
}

// Resource is what was asked for: a path such as "victims/2023", or the
// structured fields, or both. All may be empty (a policy change has no
// resource).
type Resource struct {
	Path    string `json:"path,omitempty"`
	Dataset string `json:"dataset,omitempty"`
	Period  string `json:"period,omitempty"`
	Format  string `json:"format,omitempty"`
}

// IsZero reports whether no field is set.
func (r Resource) IsZero() bool { return r == Resource{} }

// Event is what a caller logs.
type Event struct {
	Actor    Actor    `json:"actor"`
	Action   Action   `json:"action"`
	Resource Resource `json:"resource,omitzero"`
	Decision Decision `json:"decision"`
	// Reason is a fixed code ("granted", "below_threshold",
	// "manifest_malformed"), never free text.
	Reason string `json:"reason"`
	// Rule names the policy rule that decided, if one did.
	Rule string `json:"rule,omitempty"`
	// Details holds at most 16 short strings: counts, ids, a submission
	// id. Never record values.
	Details map[string]string `json:"details,omitempty"`
}

// Entry is an event as logged.
type Entry struct {
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	Event
	Prev Hash `json:"prev"`
	Hash Hash `json:"hash"`
}

// Hash is the SHA-256 of an entry's canonical encoding.
type Hash [32]byte

// IsZero reports whether h is all zeros, the prev of the first entry.
func (h Hash) IsZero() bool { return h == Hash{} }

// String returns h in lowercase hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes h in lowercase hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes 64 lowercase hex digits.
func (h *Hash) UnmarshalText(b []byte) error {
	v, ok := parseHash(string(b))
	if !ok {
		return errors.New("audit: hash is not 64 lowercase hex digits")
	}
	*h = v
	return nil
}

func parseHash(s string) (Hash, bool) {
	var h Hash
	if len(s) != 2*len(h) {
		return h, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return h, false
		}
	}
	_, err := hex.Decode(h[:], []byte(s))
	return h, err == nil
}

// Field limits, in bytes. They keep every line far below maxLine.
const (
	maxCode    = 64
	maxSubject = 128
	maxText    = 256
	maxDetails = 16
)

func (ev *Event) validate() error {
	checks := []struct {
		field string
		err   error
	}{
		{"actor.kind", checkCode(ev.Actor.Kind)},
		{"actor.subject", checkText(ev.Actor.Subject, maxSubject, true)},
		{"action", checkCode(string(ev.Action))},
		{"resource.path", checkText(ev.Resource.Path, maxText, false)},
		{"resource.dataset", checkText(ev.Resource.Dataset, maxCode, false)},
		{"resource.period", checkText(ev.Resource.Period, maxCode, false)},
		{"resource.format", checkText(ev.Resource.Format, maxCode, false)},
		{"reason", checkCode(ev.Reason)},
		{"rule", checkText(ev.Rule, maxSubject, false)},
	}
	for _, c := range checks {
		if c.err != nil {
			return fmt.Errorf("%w: %s %v", ErrInvalidEntry, c.field, c.err)
		}
	}
	if ev.Decision != Allow && ev.Decision != Deny {
		return fmt.Errorf("%w: decision must be %q or %q", ErrInvalidEntry, Allow, Deny)
	}
	if len(ev.Details) > maxDetails {
		return fmt.Errorf("%w: more than %d details", ErrInvalidEntry, maxDetails)
	}
	for k, v := range ev.Details {
		if err := checkCode(k); err != nil {
			return fmt.Errorf("%w: a details key %v", ErrInvalidEntry, err)
		}
		if err := checkText(v, maxText, false); err != nil {
			return fmt.Errorf("%w: details[%s] %v", ErrInvalidEntry, k, err)
		}
	}
	return nil
}

// checkCode accepts a fixed code: [a-z][a-z0-9_.-]*, at most maxCode bytes.
func checkCode(s string) error {
	if s == "" {
		return errors.New("is empty")
	}
	if len(s) > maxCode {
		return fmt.Errorf("is longer than %d bytes", maxCode)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			continue
		}
		return errors.New("is not a lowercase code ([a-z][a-z0-9_.-]*)")
	}
	return nil
}

// checkText accepts printable UTF-8 (unicode.IsPrint: letters, marks,
// numbers, punctuation, symbols and the ASCII space) of at most max bytes.
// It keeps line breaks, escapes and invisible characters out of the log,
// and refuses anything shaped like a bearer token.
func checkText(s string, max int, required bool) error {
	if s == "" {
		if required {
			return errors.New("is empty")
		}
		return nil
	}
	if len(s) > max {
		return fmt.Errorf("is longer than %d bytes", max)
	}
	if !utf8.ValidString(s) {
		return errors.New("is not valid UTF-8")
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return errors.New("holds a character that is not printable")
		}
	}
	if looksLikeToken(s) {
		return errors.New("looks like a bearer token")
	}
	return nil
}

// tokenPrefix and tokenChars describe the bearer tokens hub/api makes
// (api.TokenPrefix and 32 random bytes in unpadded base64url).
const (
	tokenPrefix = "thbx_"
	tokenChars  = 43
)

func looksLikeToken(s string) bool {
	for {
		i := strings.Index(s, tokenPrefix)
		if i < 0 {
			return false
		}
		s = s[i+len(tokenPrefix):]
		n := 0
		for n < len(s) && isBase64URL(s[n]) {
			n++
		}
		if n >= tokenChars {
			return true
		}
	}
}

func isBase64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// clone copies the details map, so a caller that reuses its map after
// Append cannot change an entry already returned.
func (ev Event) clone() Event {
	ev.Details = maps.Clone(ev.Details)
	return ev
}
