package trust

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/strictjson"
)

// Size limits of enrolment files.
const (
	MaxRequestSize = 64 << 10
	MaxPackageSize = 16 << 20
	maxSecretsSize = 64 << 10
)

// EnrolmentRequest is what a partner's agent writes for the officers: who
// the partner is, its public signing key and a recipient to receive its
// secrets. It is not signed: officers confirm the kid with the partner out
// of band before adding it.
type EnrolmentRequest struct {
	Partner          string    `json:"partner"`
	Name             string    `json:"name"`
	Category         string    `json:"category"`
	Datasets         []string  `json:"datasets"`
	SigningKey       string    `json:"signing_key"` // PEM partner public key
	KeyID            string    `json:"kid"`
	SecretsRecipient string    `json:"secrets_recipient"` // age recipient
	Created          time.Time `json:"created"`
}

// PublicKey parses the request's signing key.
func (r EnrolmentRequest) PublicKey() (certs.PartnerPublicKey, error) {
	var k certs.PartnerPublicKey
	if err := k.UnmarshalText([]byte(r.SigningKey)); err != nil {
		return k, fmt.Errorf("enrolment request: signing key: %w", err)
	}
	return k, nil
}

// Validate checks the request: partner id, name, category, datasets, that
// the kid is the key's and that the recipient parses.
func (r EnrolmentRequest) Validate() error {
	switch {
	case !idPattern.MatchString(r.Partner):
		return fmt.Errorf("enrolment request: partner id %q is not lower-case letters, digits and hyphens", r.Partner)
	case r.Name == "":
		return errors.New("enrolment request: no name")
	case !slices.Contains(certs.Categories, r.Category):
		return fmt.Errorf("enrolment request: category %q is not one of %v", r.Category, certs.Categories)
	case r.Created.IsZero():
		return errors.New("enrolment request: no creation time")
	}
	if err := checkDatasets(r.Datasets); err != nil {
		return fmt.Errorf("enrolment request: %w", err)
	}
	pub, err := r.PublicKey()
	if err != nil {
		return err
	}
	if pub.KeyID() != r.KeyID {
		return fmt.Errorf("enrolment request: kid %q does not match the signing key (%q)", r.KeyID, pub.KeyID())
	}
	if _, err := certs.ParseRecipient(r.SecretsRecipient); err != nil {
		return fmt.Errorf("enrolment request: secrets recipient: %w", err)
	}
	return nil
}

// Marshal encodes the request as indented JSON.
func (r EnrolmentRequest) Marshal() ([]byte, error) { return marshalPayload(r) }

// ParseEnrolmentRequest decodes a request strictly and validates it.
func ParseEnrolmentRequest(b []byte) (*EnrolmentRequest, error) {
	if len(b) > MaxRequestSize {
		return nil, fmt.Errorf("enrolment request: %d bytes, more than %d", len(b), MaxRequestSize)
	}
	var r EnrolmentRequest
	if err := strictjson.Decode(b, &r); err != nil {
		return nil, fmt.Errorf("enrolment request: %w", err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// EnrolmentPackage is what the officers hand a newly enrolled partner.
type EnrolmentPackage struct {
	Partner string `json:"partner"`
	Root    []byte `json:"root"`    // the root, Signed JSON
	Bundle  []byte `json:"bundle"`  // the current bundle, Signed JSON
	Secrets []byte `json:"secrets"` // age-encrypted PackageSecrets
}

// PackageSecrets are the partner's secrets; they travel encrypted.
type PackageSecrets struct {
	LinkageSecret string `json:"linkage_secret"`
	S3AccessKey   string `json:"s3_access_key,omitempty"`
	S3SecretKey   string `json:"s3_secret_key,omitempty"`
}

func (s PackageSecrets) validate() error {
	if s.LinkageSecret == "" {
		return errors.New("no linkage secret")
	}
	if (s.S3AccessKey == "") != (s.S3SecretKey == "") {
		return errors.New("an S3 access key without its secret key, or the reverse")
	}
	return nil
}

// NewPackage builds the package for req: root and bundle as published
// (the bundle must list the partner with the request's key), and secrets
// encrypted to the request's recipient.
func NewPackage(req EnrolmentRequest, root, bundle []byte, secrets PackageSecrets) (*EnrolmentPackage, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := secrets.validate(); err != nil {
		return nil, fmt.Errorf("enrolment package: %w", err)
	}
	rs, err := ParseSigned(root)
	if err != nil {
		return nil, fmt.Errorf("enrolment package: root: %w", err)
	}
	if _, err := ProposedRoot(rs); err != nil {
		return nil, fmt.Errorf("enrolment package: %w", err)
	}
	bs, err := ParseSigned(bundle)
	if err != nil {
		return nil, fmt.Errorf("enrolment package: bundle: %w", err)
	}
	b, err := ProposedBundle(bs)
	if err != nil {
		return nil, fmt.Errorf("enrolment package: %w", err)
	}
	if p, _, err := b.Lookup(req.KeyID); err != nil || p.ID != req.Partner {
		return nil, fmt.Errorf("enrolment package: the bundle does not list key %s for partner %s; publish the AddPartner change first", req.KeyID, req.Partner)
	}
	recipient, err := certs.ParseRecipient(req.SecretsRecipient)
	if err != nil {
		return nil, fmt.Errorf("enrolment package: %w", err)
	}
	plain, err := json.Marshal(secrets)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, recipient)
	if err != nil {
		return nil, fmt.Errorf("enrolment package: encrypt: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, fmt.Errorf("enrolment package: encrypt: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("enrolment package: encrypt: %w", err)
	}
	return &EnrolmentPackage{Partner: req.Partner, Root: root, Bundle: bundle, Secrets: buf.Bytes()}, nil
}

// Marshal encodes the package as indented JSON.
func (p *EnrolmentPackage) Marshal() ([]byte, error) { return marshalPayload(p) }

// OpenPackage checks a package and opens its secrets: the root must carry
// its own officers' threshold, the bundle must verify under it, the
// package's partner must be in the bundle, and only then are the secrets
// decrypted with identity. Confirm RootFingerprint(root) out of band
// before pinning the root.
func OpenPackage(b []byte, identity age.Identity, now time.Time) (*Root, *Bundle, PackageSecrets, error) {
	var none PackageSecrets
	if len(b) > MaxPackageSize {
		return nil, nil, none, fmt.Errorf("enrolment package: %d bytes, more than %d", len(b), MaxPackageSize)
	}
	var p EnrolmentPackage
	if err := strictjson.Decode(b, &p); err != nil {
		return nil, nil, none, fmt.Errorf("enrolment package: %w", err)
	}
	rs, err := ParseSigned(p.Root)
	if err != nil {
		return nil, nil, none, fmt.Errorf("enrolment package: root: %w", err)
	}
	root, err := VerifyRoot(rs, now)
	if err != nil {
		return nil, nil, none, fmt.Errorf("enrolment package: %w", err)
	}
	bundle, err := VerifyBundle(p.Bundle, root, nil, now)
	if err != nil {
		return nil, nil, none, fmt.Errorf("enrolment package: %w", err)
	}
	if _, ok := bundle.Partner(p.Partner); !ok {
		return nil, nil, none, fmt.Errorf("enrolment package: partner %q is not in the trust bundle", p.Partner)
	}
	r, err := age.Decrypt(bytes.NewReader(p.Secrets), identity)
	if err != nil {
		return nil, nil, none, fmt.Errorf("enrolment package: decrypt the secrets: %w", err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxSecretsSize+1))
	if err != nil {
		return nil, nil, none, fmt.Errorf("enrolment package: decrypt the secrets: %w", err)
	}
	if len(plain) > maxSecretsSize {
		return nil, nil, none, errors.New("enrolment package: secrets too large")
	}
	var secrets PackageSecrets
	if err := strictjson.Decode(plain, &secrets); err != nil {
		return nil, nil, none, errors.New("enrolment package: secrets are not in the expected form")
	}
	if err := secrets.validate(); err != nil {
		return nil, nil, none, fmt.Errorf("enrolment package: %w", err)
	}
	return root, bundle, secrets, nil
}

// RootFingerprint is the hex SHA-256 of a root's payload, for officers and
// partners to compare out of band before pinning it; "" if rootJSON is not
// a Signed document.
func RootFingerprint(rootJSON []byte) string {
	s, err := ParseSigned(rootJSON)
	if err != nil {
		return ""
	}
	payload, err := s.PayloadBytes()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(payload)
	return hex.EncodeToString(sum[:])
}
