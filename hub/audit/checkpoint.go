package audit

import (
	"cmp"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
)

// ErrBadCheckpoint is returned for a checkpoint that is malformed or whose
// signature does not verify under the key given.
var ErrBadCheckpoint = errors.New("bad audit checkpoint")

// Checkpoint is the hub's signed statement that entry Seq of its log has
// hash Hash. An auditor keeps checkpoints where the hub cannot write and
// hands them to Verify. Its text form (MarshalText) is the format in the
// package documentation.
type Checkpoint struct {
	Seq   uint64
	Hash  Hash
	Time  time.Time // when the hub signed it
	KeyID string    // certs.KeyID of the signing key
	Sig   []byte    // Ed25519 over the text form's first five lines
}

const (
	checkpointHeader = "thbx-audit-checkpoint v1"
	maxCheckpoint    = 512 // bytes of text; a real one takes about 260
)

// signCheckpoint signs seq and h as of t.
func signCheckpoint(key ed25519.PrivateKey, seq uint64, h Hash, t time.Time) (Checkpoint, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Checkpoint{}, ErrNoKey
	}
	c := Checkpoint{Seq: seq, Hash: h, Time: t.UTC(), KeyID: certs.KeyID(key.Public().(ed25519.PublicKey))}
	msg, err := c.signedText()
	if err != nil {
		return Checkpoint{}, err
	}
	c.Sig = ed25519.Sign(key, msg)
	return c, nil
}

// signedText is the part of the text form the signature covers.
func (c Checkpoint) signedText() ([]byte, error) {
	if !timeInRange(c.Time) {
		return nil, fmt.Errorf("%w: time is outside the years 1 to 9999", ErrBadCheckpoint)
	}
	if !validKeyID(c.KeyID) {
		return nil, fmt.Errorf("%w: key id is not base64url", ErrBadCheckpoint)
	}
	return fmt.Appendf(nil, "%s\nseq %d\nhash %s\ntime %s\nkey %s\n",
		checkpointHeader, c.Seq, c.Hash, c.Time.UTC().Format(time.RFC3339Nano), c.KeyID), nil
}

func validKeyID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isBase64URL(s[i]) {
			return false
		}
	}
	return true
}

// VerifyCheckpoint checks that c was signed by pub. It does not say
// whether any log matches c: that is Verify's job.
func VerifyCheckpoint(pub ed25519.PublicKey, c Checkpoint) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: not an Ed25519 public key", ErrBadCheckpoint)
	}
	if want := certs.KeyID(pub); c.KeyID != want {
		return fmt.Errorf("%w: signed by key %s, not by %s", ErrBadCheckpoint, c.KeyID, want)
	}
	if c.Seq == 0 && !c.Hash.IsZero() {
		return fmt.Errorf("%w: seq 0 with a hash", ErrBadCheckpoint)
	}
	msg, err := c.signedText()
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, msg, c.Sig) {
		return fmt.Errorf("%w: signature does not verify", ErrBadCheckpoint)
	}
	return nil
}

// MarshalText returns the six-line text form.
func (c Checkpoint) MarshalText() ([]byte, error) {
	if len(c.Sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: not signed", ErrBadCheckpoint)
	}
	b, err := c.signedText()
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(b, "sig %s\n", base64.RawURLEncoding.EncodeToString(c.Sig)), nil
}

// UnmarshalText parses the text form, as ParseCheckpoint does.
func (c *Checkpoint) UnmarshalText(b []byte) error {
	v, err := ParseCheckpoint(b)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseCheckpoint parses the text form strictly: exactly the six lines,
// each in its one canonical spelling, so that a checkpoint has one text.
// It does not verify the signature.
func ParseCheckpoint(b []byte) (Checkpoint, error) {
	bad := func(what string) (Checkpoint, error) {
		return Checkpoint{}, fmt.Errorf("%w: %s", ErrBadCheckpoint, what)
	}
	s := string(b)
	if len(s) > maxCheckpoint || !strings.HasSuffix(s, "\n") {
		return bad("not a checkpoint (too long, or no final newline)")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) != 6 || lines[0] != checkpointHeader {
		return bad("not a checkpoint (want six lines, the first " + strconv.Quote(checkpointHeader) + ")")
	}
	var vals [5]string
	for i, name := range []string{"seq", "hash", "time", "key", "sig"} {
		v, ok := strings.CutPrefix(lines[i+1], name+" ")
		if !ok {
			return bad(fmt.Sprintf("line %d is not %q", i+2, name))
		}
		vals[i] = v
	}
	var c Checkpoint
	var err error
	if c.Seq, err = strconv.ParseUint(vals[0], 10, 64); err != nil || strconv.FormatUint(c.Seq, 10) != vals[0] {
		return bad("seq is not a decimal number")
	}
	var ok bool
	if c.Hash, ok = parseHash(vals[1]); !ok {
		return bad("hash is not 64 lowercase hex digits")
	}
	if c.Time, err = time.Parse(time.RFC3339Nano, vals[2]); err != nil || !timeInRange(c.Time) ||
		c.Time.UTC().Format(time.RFC3339Nano) != vals[2] {
		return bad("time is not RFC 3339 in UTC")
	}
	c.Time = c.Time.UTC()
	if c.KeyID = vals[3]; !validKeyID(c.KeyID) {
		return bad("key is not a key id")
	}
	if c.Sig, err = base64.RawURLEncoding.Strict().DecodeString(vals[4]); err != nil ||
		len(c.Sig) != ed25519.SignatureSize || base64.RawURLEncoding.EncodeToString(c.Sig) != vals[4] {
		return bad("sig is not an unpadded base64url Ed25519 signature")
	}
	return c, nil
}

// sortCheckpoints verifies every checkpoint and returns them by seq, one
// per seq. Two that name different hashes for one seq are a fork: the
// signing key vouched for two histories.
func sortCheckpoints(pub ed25519.PublicKey, cps []Checkpoint) ([]Checkpoint, error) {
	out := make([]Checkpoint, 0, len(cps))
	for i, c := range cps {
		if err := VerifyCheckpoint(pub, c); err != nil {
			return nil, fmt.Errorf("checkpoint %d of %d (seq %d): %w", i+1, len(cps), c.Seq, err)
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Checkpoint) int { return cmp.Compare(a.Seq, b.Seq) })
	w := 0
	for _, c := range out {
		if w > 0 && out[w-1].Seq == c.Seq {
			if out[w-1].Hash != c.Hash {
				return nil, &TamperError{Seq: c.Seq, Problem: ProblemFork}
			}
			continue
		}
		out[w] = c
		w++
	}
	return out[:w], nil
}
