package submission

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
)

// PayloadHeader is the first line of a decrypted payload. It repeats what
// the manifest says of partner and submission, so that nobody can sign
// another partner's ciphertext as their own.
type PayloadHeader struct {
	Format     string `json:"format"`
	Partner    string `json:"partner"`
	Submission string `json:"submission"`
	Dataset    string `json:"dataset"`
	Period     string `json:"period"`
	Schema     string `json:"schema"`
}

// SealConfig says what is being sealed, by whom and for whom.
type SealConfig struct {
	Partner        string
	Key            certs.PartnerKey
	Recipients     []string // age recipients of the hub (age1pq1… by default)
	Dataset        string
	Period         string
	Schema         string
	Classification string // Standard when empty
	Sequence       uint64
	Previous       string // ManifestHash of the previous manifest; "" for seq 1
	Profile        *Profile
	// Withdraw seals a withdrawal (see Manifest.Withdraw): Add refuses
	// records.
	Withdraw bool

	Now  func() time.Time // time.Now when nil
	Rand io.Reader        // crypto/rand when nil; used for the submission id
}

// Sealer writes one submission's payload, record by record.
type Sealer struct {
	m       Manifest
	key     certs.PartnerKey
	hash    hash.Hash
	counter *countingWriter
	enc     io.WriteCloser
	buf     *bufio.Writer
	closed  bool
}

// Sealed is the outcome of sealing: the manifest, as claims and as the JWS
// object to upload.
type Sealed struct {
	Manifest Manifest
	JWS      []byte
}

// NewSealer starts a submission whose ciphertext goes to dst. Records are
// added with Add; Close finishes the ciphertext and signs the manifest.
func NewSealer(cfg SealConfig, dst io.Writer) (*Sealer, error) {
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	created := now().UTC().Truncate(time.Millisecond)
	id, err := NewID(created, cfg.Rand)
	if err != nil {
		return nil, err
	}
	class := cfg.Classification
	if class == "" {
		class = Standard
	}
	if len(cfg.Recipients) == 0 {
		return nil, errors.New("seal: no hub recipients configured")
	}
	var recipients []age.Recipient
	var fingerprints []string
	for _, s := range cfg.Recipients {
		r, err := certs.ParseRecipient(s)
		if err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		recipients = append(recipients, r)
		fingerprints = append(fingerprints, certs.RecipientFingerprint(s))
	}
	s := &Sealer{
		key:  cfg.Key,
		hash: sha256.New(),
		m: Manifest{
			Format: ManifestFormat, Partner: cfg.Partner, KeyID: cfg.Key.KeyID(),
			Dataset: cfg.Dataset, Period: cfg.Period, Submission: id, Created: created,
			Schema: cfg.Schema, Classification: class, Recipients: fingerprints,
			Sequence: cfg.Sequence, Previous: cfg.Previous, Profile: cfg.Profile, Withdraw: cfg.Withdraw,
		},
	}
	// Check everything but the ciphertext before writing a byte.
	probe := s.m
	probe.Ciphertext = Ciphertext{Size: 1, SHA256: strings.Repeat("0", 64)}
	if err := probe.Validate(); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	s.counter = &countingWriter{w: io.MultiWriter(dst, s.hash)}
	s.enc, err = age.Encrypt(s.counter, recipients...)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	s.buf = bufio.NewWriterSize(s.enc, 64<<10)
	hdr := PayloadHeader{Format: PayloadFormat, Partner: cfg.Partner, Submission: id,
		Dataset: cfg.Dataset, Period: cfg.Period, Schema: cfg.Schema}
	if err := s.writeLine(hdr); err != nil {
		return nil, err
	}
	return s, nil
}

// ID returns the submission id.
func (s *Sealer) ID() string { return s.m.Submission }

// Add appends one record, marshalled as one line of JSON.
func (s *Sealer) Add(record any) error {
	if s.closed {
		return errors.New("seal: add after close")
	}
	if s.m.Withdraw {
		return errors.New("seal: a withdrawal carries no records")
	}
	if err := s.writeLine(record); err != nil {
		return err
	}
	s.m.Records++
	return nil
}

// AddRaw appends one record that is already JSON on one line.
func (s *Sealer) AddRaw(line []byte) error {
	if s.closed {
		return errors.New("seal: add after close")
	}
	if s.m.Withdraw {
		return errors.New("seal: a withdrawal carries no records")
	}
	// A cheap shape check; the hub validates every record anyway.
	if len(line) < 2 || line[0] != '{' || line[len(line)-1] != '}' || bytes.ContainsAny(line, "\n\r") {
		return errors.New("seal: record is not one line holding a JSON object")
	}
	if _, err := s.buf.Write(line); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	if err := s.buf.WriteByte('\n'); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	s.m.Records++
	return nil
}

func (s *Sealer) writeLine(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	b = append(b, '\n')
	if _, err := s.buf.Write(b); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	return nil
}

// Close finishes the ciphertext and returns the signed manifest.
func (s *Sealer) Close() (Sealed, error) {
	if s.closed {
		return Sealed{}, errors.New("seal: closed twice")
	}
	s.closed = true
	if err := s.buf.Flush(); err != nil {
		return Sealed{}, fmt.Errorf("seal: %w", err)
	}
	if err := s.enc.Close(); err != nil {
		return Sealed{}, fmt.Errorf("seal: %w", err)
	}
	s.m.Ciphertext = Ciphertext{Size: s.counter.n, SHA256: hex.EncodeToString(s.hash.Sum(nil))}
	jws, err := SignManifest(&s.m, s.key)
	if err != nil {
		return Sealed{}, err
	}
	return Sealed{Manifest: s.m, JWS: jws}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
