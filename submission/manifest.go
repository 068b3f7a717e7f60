package submission

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/strictjson"
)

// Version strings of format v1.
const (
	ManifestFormat = "thbx-manifest/1"
	ManifestType   = "thbx-manifest+jws"
	PayloadFormat  = "thbx-payload/1"
	ReceiptFormat  = "thbx-receipt/1"
	ReceiptType    = "thbx-receipt+jws"

	// MaxManifestSize bounds what a parser reads of a manifest object.
	MaxManifestSize = 64 << 10
)

// Classification of a submission's content; it decides which hub
// recipients the payload is encrypted to.
const (
	Standard   = "standard"
	Restricted = "restricted"
)

// Manifest is the signed description of a submission.
type Manifest struct {
	Format         string     `json:"format"`
	Partner        string     `json:"partner"`
	KeyID          string     `json:"kid"`
	Dataset        string     `json:"dataset"`
	Period         string     `json:"period"`
	Submission     string     `json:"submission"`
	Created        time.Time  `json:"created"`
	Schema         string     `json:"schema"`
	Classification string     `json:"classification"`
	Records        int64      `json:"records"`
	Ciphertext     Ciphertext `json:"ciphertext"`
	Recipients     []string   `json:"recipients"`
	Sequence       uint64     `json:"seq"`
	Previous       string     `json:"prev"`
	// Profile names the anonymisation profile the agent applied and its
	// digest, when the records were made from identifying source data.
	Profile *Profile `json:"profile,omitempty"`
	// Withdraw marks a withdrawal: the partner takes back what it
	// submitted for the dataset and period, and the hub's merges leave
	// it out from then on. A withdrawal carries no records.
	Withdraw bool `json:"withdraw,omitempty"`
}

// Profile identifies an anonymisation profile.
type Profile struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// Ciphertext names the payload object by size and hash.
type Ciphertext struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var (
	periodPattern  = regexp.MustCompile(`^(19|20)[0-9]{2}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$`)
	datasetPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	schemaPattern  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}/[1-9][0-9]{0,3}$`)
	hexPattern     = regexp.MustCompile(`^[0-9a-f]+$`)
)

// ValidPeriod reports whether s is a reporting period: a year (2025), a
// half (2025-H1), a quarter (2025-Q3) or a month (2025-07).
func ValidPeriod(s string) bool { return periodPattern.MatchString(s) }

// ValidDataset reports whether s can name a dataset.
func ValidDataset(s string) bool { return datasetPattern.MatchString(s) }

// Validate checks that every field is present and well-formed. It says
// nothing about trust: that is the hub's job.
func (m *Manifest) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Format != ManifestFormat {
		bad("format %q, want %q", m.Format, ManifestFormat)
	}
	if !ValidPartner(m.Partner) {
		bad("partner %q is not a partner id", m.Partner)
	}
	if m.KeyID == "" {
		bad("kid is empty")
	}
	if !ValidDataset(m.Dataset) {
		bad("dataset %q is not a dataset name", m.Dataset)
	}
	if !ValidPeriod(m.Period) {
		bad("period %q is not YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM", m.Period)
	}
	if !ValidID(m.Submission) {
		bad("submission %q is not a submission id", m.Submission)
	} else if t, _ := IDTime(m.Submission); !m.Created.IsZero() && !t.Equal(m.Created.Truncate(time.Millisecond)) {
		bad("submission id %q does not encode the creation time %s", m.Submission, m.Created.Format(time.RFC3339Nano))
	}
	if m.Created.IsZero() {
		bad("created is missing")
	}
	if !schemaPattern.MatchString(m.Schema) {
		bad("schema %q is not name/version", m.Schema)
	}
	if m.Classification != Standard && m.Classification != Restricted {
		bad("classification %q, want %q or %q", m.Classification, Standard, Restricted)
	}
	if m.Records < 0 {
		bad("records %d is negative", m.Records)
	}
	if m.Withdraw && m.Records != 0 {
		bad("a withdrawal carries no records, this one says %d", m.Records)
	}
	if m.Ciphertext.Size <= 0 {
		bad("ciphertext size %d is not positive", m.Ciphertext.Size)
	}
	if len(m.Ciphertext.SHA256) != 64 || !hexPattern.MatchString(m.Ciphertext.SHA256) {
		bad("ciphertext sha256 is not 64 lower-case hex digits")
	}
	if len(m.Recipients) == 0 || len(m.Recipients) > 16 {
		bad("recipients: want 1 to 16 fingerprints, got %d", len(m.Recipients))
	}
	for _, r := range m.Recipients {
		if len(r) != 32 || !hexPattern.MatchString(r) {
			bad("recipient fingerprint %q is not 32 hex digits", r)
		}
	}
	if m.Sequence == 0 {
		bad("seq must start at 1")
	}
	if p := m.Profile; p != nil && (!datasetPattern.MatchString(p.Name) || len(p.Digest) < 8 || len(p.Digest) > 80) {
		bad("profile must name a profile (lower-case word) and its digest")
	}
	switch {
	case m.Sequence == 1 && m.Previous != "":
		bad("prev must be empty for seq 1")
	case m.Sequence > 1 && (len(m.Previous) != 64 || !hexPattern.MatchString(m.Previous)):
		bad("prev must be the 64-hex-digit SHA-256 of the previous manifest")
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid manifest: %w", errors.Join(errs...))
	}
	return nil
}

// SignManifest validates m and signs it with the partner's key.
func SignManifest(m *Manifest, key certs.PartnerKey) ([]byte, error) {
	if m.KeyID != key.KeyID() {
		return nil, fmt.Errorf("sign manifest: kid %q is not the signing key's %q", m.KeyID, key.KeyID())
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("sign manifest: %w", err)
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("sign manifest: %w", err)
	}
	return key.SignJWS(payload, ManifestType)
}

// ManifestKeyID reads the key id from a manifest's protected header without
// verifying anything, so the caller can look the key up. Nothing else of an
// unverified manifest may be used.
func ManifestKeyID(compact []byte) (string, error) {
	if len(compact) > MaxManifestSize {
		return "", Reject(ReasonManifestTooLarge, "%d bytes, limit %d", len(compact), MaxManifestSize)
	}
	msg, err := jws.Parse(bytes.TrimSpace(compact), jws.WithCompact())
	if err != nil {
		return "", Reject(ReasonManifestMalformed, "not a compact JWS")
	}
	sigs := msg.Signatures()
	if len(sigs) != 1 {
		return "", Reject(ReasonManifestMalformed, "want one signature, got %d", len(sigs))
	}
	kid := sigs[0].ProtectedHeaders().KeyID()
	if kid == "" {
		return "", Reject(ReasonManifestMalformed, "no kid in the protected header")
	}
	return kid, nil
}

// VerifyManifest checks the signature with the given key and then parses
// and validates the claims, refusing unknown fields.
func VerifyManifest(compact []byte, key certs.PartnerPublicKey) (*Manifest, error) {
	if len(compact) > MaxManifestSize {
		return nil, Reject(ReasonManifestTooLarge, "%d bytes, limit %d", len(compact), MaxManifestSize)
	}
	payload, err := key.VerifyJWS(bytes.TrimSpace(compact), ManifestType)
	if err != nil {
		return nil, &RejectError{Reason: ReasonSignature, Detail: err.Error(), Err: err}
	}
	m, err := parseManifest(payload)
	if err != nil {
		return nil, err
	}
	if m.KeyID != key.KeyID() {
		return nil, Reject(ReasonManifestMalformed, "claims name key %q but the header names %q", m.KeyID, key.KeyID())
	}
	return m, nil
}

func parseManifest(payload []byte) (*Manifest, error) {
	var m Manifest
	if err := strictjson.Decode(payload, &m); err != nil {
		return nil, Reject(ReasonManifestMalformed, "claims: %v", err)
	}
	if err := m.Validate(); err != nil {
		return nil, &RejectError{Reason: ReasonManifestMalformed, Detail: err.Error(), Err: err}
	}
	return &m, nil
}

// ManifestHash is the hex SHA-256 of a manifest object exactly as stored;
// the next manifest of the same partner names it as prev.
func ManifestHash(compact []byte) string {
	sum := sha256.Sum256(bytes.TrimSpace(compact))
	return hex.EncodeToString(sum[:])
}
