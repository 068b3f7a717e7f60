package submission

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"

	"github.com/thbx/thbx/certs/strictjson"
)

// OpenConfig bounds what Open accepts.
type OpenConfig struct {
	Identities    []age.Identity
	MaxCiphertext int64 // DefaultMaxCiphertext when 0
	MaxLine       int   // DefaultMaxLine when 0
}

// Defaults of OpenConfig.
const (
	DefaultMaxCiphertext = 4 << 30
	DefaultMaxLine       = 1 << 20
)

// Open checks a submission's ciphertext against its verified manifest while
// streaming it: it hashes and counts every byte, decrypts, checks that the
// payload header repeats the manifest's partner, submission, dataset,
// period and schema, and hands each record line to fn. Memory use does not
// grow with the payload.
//
// fn must not keep the line it is given past its return (it may be
// reused). fn sees records before the hash over the whole ciphertext is
// known, so it must only stage them (say, in a database transaction) and commit
// nothing until Open returns nil. A rejection is a *RejectError; an error
// from fn that is not one is returned unchanged.
func Open(m *Manifest, ciphertext io.Reader, cfg OpenConfig, fn func(line []byte) error) (int64, error) {
	maxCT := cfg.MaxCiphertext
	if maxCT <= 0 {
		maxCT = DefaultMaxCiphertext
	}
	maxLine := cfg.MaxLine
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	if m.Ciphertext.Size > maxCT {
		return 0, Reject(ReasonTooLarge, "manifest declares %d bytes, limit %d", m.Ciphertext.Size, maxCT)
	}
	// Read at most one byte more than declared, to notice an appended tail
	// without reading an endless one.
	lr := &io.LimitedReader{R: ciphertext, N: m.Ciphertext.Size + 1}
	h := sha256.New()
	tee := io.TeeReader(lr, h)

	n, perr := readPayload(m, tee, cfg.Identities, maxLine, fn)
	var rej *RejectError
	if perr != nil && !errors.As(perr, &rej) {
		return n, perr // the caller's own failure, not the submission's
	}
	// Hash what is left, so that damage in transit is named as such even
	// when it also broke decryption or parsing.
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return n, fmt.Errorf("read ciphertext: %w", err)
	}
	read := m.Ciphertext.Size + 1 - lr.N
	if read != m.Ciphertext.Size {
		if read > m.Ciphertext.Size {
			return n, Reject(ReasonSize, "payload is longer than the %d bytes the manifest declares", m.Ciphertext.Size)
		}
		return n, Reject(ReasonSize, "payload has %d bytes, manifest declares %d", read, m.Ciphertext.Size)
	}
	want, _ := hex.DecodeString(m.Ciphertext.SHA256)
	if subtle.ConstantTimeCompare(h.Sum(nil), want) != 1 {
		return n, Reject(ReasonHash, "payload SHA-256 differs from the manifest's")
	}
	if perr != nil {
		return n, perr
	}
	if n != m.Records {
		return n, Reject(ReasonRecordCount, "payload has %d records, manifest declares %d", n, m.Records)
	}
	return n, nil
}

func readPayload(m *Manifest, ct io.Reader, ids []age.Identity, maxLine int, fn func([]byte) error) (int64, error) {
	if len(ids) == 0 {
		return 0, Reject(ReasonDecrypt, "the hub holds no identity for this submission")
	}
	pr, err := age.Decrypt(ct, ids...)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return 0, Reject(ReasonDecrypt, "not encrypted to any of the hub's identities")
		}
		return 0, Reject(ReasonDecrypt, "age header: %v", err)
	}
	br := bufio.NewReaderSize(pr, 64<<10)
	line, err := readLine(br, maxLine)
	if err != nil {
		return 0, payloadError(err, 1)
	}
	if err := checkHeader(m, line); err != nil {
		return 0, err
	}
	var n int64
	for {
		line, err := readLine(br, maxLine)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, payloadError(err, n+2)
		}
		if err := fn(line); err != nil {
			var rej *RejectError
			if errors.As(err, &rej) {
				return n, Reject(rej.Reason, "record %d: %s", n+1, rej.Detail)
			}
			return n, err
		}
		n++
	}
}

var (
	errLineTooLong = errors.New("line too long")
	errNoNewline   = errors.New("last line has no newline")
)

// readLine returns the next line without its newline; io.EOF only at a
// clean end. A last line without a newline is refused: the sealer always
// ends lines, so its absence means a cut.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if err == nil && line == nil {
			if len(chunk) > max+1 {
				return nil, errLineTooLong
			}
			return chunk[:len(chunk)-1], nil // the common case: no copy
		}
		if len(line)+len(chunk) > max+1 {
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return nil, errNoNewline
		default:
			return nil, err
		}
	}
}

func payloadError(err error, lineNo int64) error {
	if err == io.EOF {
		return Reject(ReasonPayloadMalformed, "payload is empty")
	}
	if errors.Is(err, errLineTooLong) || errors.Is(err, errNoNewline) {
		return Reject(ReasonPayloadMalformed, "line %d: %v", lineNo, err)
	}
	// Anything else comes from age: a damaged or cut stream.
	return Reject(ReasonDecrypt, "line %d: %v", lineNo, err)
}

func checkHeader(m *Manifest, line []byte) error {
	var h PayloadHeader
	if err := strictjson.Decode(line, &h); err != nil {
		return Reject(ReasonPayloadMalformed, "header: %v", err)
	}
	if h.Format != PayloadFormat {
		return Reject(ReasonPayloadMalformed, "header format %q, want %q", h.Format, PayloadFormat)
	}
	want := PayloadHeader{Format: PayloadFormat, Partner: m.Partner, Submission: m.Submission,
		Dataset: m.Dataset, Period: m.Period, Schema: m.Schema}
	if h != want {
		return Reject(ReasonPayloadMismatch, "payload names partner %q submission %q dataset %q period %q schema %q; manifest names %q %q %q %q %q",
			h.Partner, h.Submission, h.Dataset, h.Period, h.Schema,
			m.Partner, m.Submission, m.Dataset, m.Period, m.Schema)
	}
	return nil
}
