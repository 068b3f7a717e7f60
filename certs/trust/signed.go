package trust

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/strictjson"
)

// Document types, both in a document's "type" field and in each
// signature's protected "typ" header, so that a signature over a root can
// never count for a bundle or the other way round.
const (
	RootType   = "thbx-root"
	BundleType = "thbx-trust-bundle"
)

// Limits of a Signed document.
const (
	MaxSignedSize = 4 << 20
	MaxSignatures = 32
)

// Sentinel errors callers branch on.
var (
	// ErrThreshold: not enough distinct officers signed (see ThresholdError).
	ErrThreshold = errors.New("not enough officer signatures")
	// ErrExpired: a root or bundle is past its expiry (freeze protection).
	ErrExpired = errors.New("expired")
	// ErrRollback: a bundle or root older than, or conflicting with, the
	// one already trusted.
	ErrRollback = errors.New("rollback")
)

// ThresholdError says why a document lacks the signatures it needs.
type ThresholdError struct {
	Have, Need int
	// Problems names each signature that did not count, in words.
	Problems []string
}

func (e *ThresholdError) Error() string {
	s := fmt.Sprintf("%d valid officer signature(s), %d needed", e.Have, e.Need)
	if len(e.Problems) > 0 {
		s += ": " + strings.Join(e.Problems, "; ")
	}
	return s
}

// Unwrap makes errors.Is(err, ErrThreshold) hold.
func (e *ThresholdError) Unwrap() error { return ErrThreshold }

// Signed is a document in the JWS JSON general serialization with any
// number of signatures over one payload. Only protected headers exist:
// an unprotected "header" member is refused when parsing.
type Signed struct {
	Payload    string      `json:"payload"` // base64url, unpadded
	Signatures []Signature `json:"signatures"`
}

// Signature is one signature of a Signed document.
type Signature struct {
	Protected string `json:"protected"` // base64url of the header JSON
	Signature string `json:"signature"` // base64url
}

var b64 = base64.RawURLEncoding

// Sign makes a Signed document over payload with one officer signature.
func Sign(payload []byte, typ string, key certs.OfficerKey) (*Signed, error) {
	s := &Signed{Payload: b64.EncodeToString(payload)}
	if err := s.AddSignature(key, typ); err != nil {
		return nil, err
	}
	return s, nil
}

// AddSignature signs the payload with key, refusing a second signature by
// the same key.
func (s *Signed) AddSignature(key certs.OfficerKey, typ string) error {
	payload, err := decodeSegment(s.Payload)
	if err != nil {
		return fmt.Errorf("sign: payload: %w", err)
	}
	for i, sig := range s.Signatures {
		if h, _ := sig.header(); h.Kid == key.KeyID() {
			return fmt.Errorf("sign: key %s already signed this document (signature %d)", key.KeyID(), i+1)
		}
	}
	if len(s.Signatures) >= MaxSignatures {
		return fmt.Errorf("sign: already %d signatures", len(s.Signatures))
	}
	compact, err := key.SignJWS(payload, typ)
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	parts := strings.Split(string(compact), ".")
	if len(parts) != 3 || parts[1] != s.Payload {
		return errors.New("sign: the JWS library encoded the payload differently")
	}
	s.Signatures = append(s.Signatures, Signature{Protected: parts[0], Signature: parts[2]})
	return nil
}

// Marshal encodes the document as indented JSON.
func (s *Signed) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseSigned decodes a Signed document strictly: known members only, each
// once, canonical unpadded base64url, at most MaxSignedSize bytes and
// MaxSignatures signatures. It checks no signature.
func ParseSigned(b []byte) (*Signed, error) {
	if len(b) > MaxSignedSize {
		return nil, fmt.Errorf("signed document: %d bytes, more than %d", len(b), MaxSignedSize)
	}
	var s Signed
	if err := strictjson.Decode(b, &s); err != nil {
		return nil, fmt.Errorf("signed document: %w", err)
	}
	if s.Payload == "" {
		return nil, errors.New("signed document: no payload")
	}
	if _, err := decodeSegment(s.Payload); err != nil {
		return nil, fmt.Errorf("signed document: payload: %w", err)
	}
	if len(s.Signatures) > MaxSignatures {
		return nil, fmt.Errorf("signed document: %d signatures, at most %d", len(s.Signatures), MaxSignatures)
	}
	for i, sig := range s.Signatures {
		for _, seg := range []string{sig.Protected, sig.Signature} {
			if seg == "" {
				return nil, fmt.Errorf("signed document: signature %d: empty protected header or signature (alg none?)", i+1)
			}
			if _, err := decodeSegment(seg); err != nil {
				return nil, fmt.Errorf("signed document: signature %d: not canonical base64url", i+1)
			}
		}
	}
	return &s, nil
}

// decodeSegment decodes unpadded base64url, refusing any encoding but the
// canonical one, so one document has exactly one byte form.
func decodeSegment(s string) ([]byte, error) {
	b, err := b64.Strict().DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil, errors.New("not canonical unpadded base64url")
	}
	return b, nil
}

// PayloadBytes returns the decoded payload. Nothing in it is trusted until
// Verify (or VerifyRoot, VerifyBundle) has passed.
func (s *Signed) PayloadBytes() ([]byte, error) { return decodeSegment(s.Payload) }

type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

func (sig Signature) header() (header, error) {
	var h header
	b, err := decodeSegment(sig.Protected)
	if err == nil {
		err = json.Unmarshal(b, &h)
	}
	return h, err
}

// KeyIDs lists the key ids the signatures claim, unverified: for showing
// who has signed a proposal so far.
func (s *Signed) KeyIDs() []string {
	var out []string
	for _, sig := range s.Signatures {
		h, _ := sig.header()
		out = append(out, h.Kid)
	}
	return out
}

// Verify counts the distinct officers with a valid signature of type typ
// and returns their ids, or a *ThresholdError naming every signature that
// did not count when fewer than threshold did. As in TUF, signatures that
// do not count are ignored once the threshold is met (a rotated root
// carries signatures of officers of the other root).
func (s *Signed) Verify(officers []Officer, threshold int, typ string) ([]string, error) {
	if threshold < 1 {
		return nil, fmt.Errorf("verify: threshold %d; at least one signature is always needed", threshold)
	}
	signers, problems := s.check(officers, typ)
	if len(signers) < threshold {
		if len(s.Signatures) == 0 {
			problems = append(problems, "the document has no signatures")
		}
		return nil, &ThresholdError{Have: len(signers), Need: threshold, Problems: problems}
	}
	return signers, nil
}

func (s *Signed) check(officers []Officer, typ string) (signers, problems []string) {
	counted := map[string]bool{}
	for i, sig := range s.Signatures {
		n := i + 1
		h, err := sig.header()
		if err != nil {
			problems = append(problems, fmt.Sprintf("signature %d has an unreadable protected header", n))
			continue
		}
		o, ok := findOfficer(officers, h.Kid)
		if !ok {
			problems = append(problems, fmt.Sprintf("signature %d is by kid %q, not an officer of this root", n, h.Kid))
			continue
		}
		pub, err := o.PublicKey()
		if err != nil {
			problems = append(problems, fmt.Sprintf("signature %d: officer %s: %v", n, o.ID, err))
			continue
		}
		compact := sig.Protected + "." + s.Payload + "." + sig.Signature
		if _, err := pub.VerifyJWS([]byte(compact), typ); err != nil {
			problems = append(problems, fmt.Sprintf("signature %d (officer %s) does not verify: %v", n, o.ID, err))
			continue
		}
		if counted[o.ID] {
			problems = append(problems, fmt.Sprintf("officer %s signed twice (counted once)", o.ID))
			continue
		}
		counted[o.ID] = true
		signers = append(signers, o.ID)
	}
	return signers, problems
}

func findOfficer(officers []Officer, kid string) (Officer, bool) {
	for _, o := range officers {
		if o.KeyID == kid && kid != "" {
			return o, true
		}
	}
	return Officer{}, false
}
