package submission

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/strictjson"
)

// Receipt statuses. Held means the hub verified the submission and took
// it into the partner's chain but keeps it sealed: it holds no identity
// of its classification (restricted data opened only on the restricted
// side). For the agent it is final, like accepted.
const (
	Accepted = "accepted"
	Rejected = "rejected"
	Held     = "held"
)

func validStatus(s string) bool { return s == Accepted || s == Rejected || s == Held }

// Receipt is the hub's signed answer to a submission.
type Receipt struct {
	Format     string `json:"format"`
	Partner    string `json:"partner"`
	Submission string `json:"submission"`
	// Manifest is the ManifestHash of the manifest the hub saw; an agent
	// whose own manifest hashes differently knows its upload was changed.
	Manifest string `json:"manifest,omitempty"`
	Sequence uint64 `json:"seq,omitempty"`
	Status   string `json:"status"`
	Reason   Reason `json:"reason,omitempty"`
	Message  string `json:"message,omitempty"`
	// Retry tells the agent to upload the same submission again.
	Retry bool `json:"retry,omitempty"`
	// Chained is true when the hub recorded the manifest as the partner's
	// chain head: the next submission must name it as prev. When false,
	// the sequence number is still free.
	Chained bool `json:"chained"`
	// HeadSeq and HeadHash are the partner's chain head at the hub when
	// the receipt was written, so an agent whose own record of the chain
	// is lost or behind can continue from the hub's.
	HeadSeq  uint64    `json:"head_seq"`
	HeadHash string    `json:"head_hash,omitempty"`
	Records  int64     `json:"records"`
	Decided  time.Time `json:"decided"`
}

// SignReceipt signs a receipt with the hub's receipt key.
func SignReceipt(r Receipt, key certs.ReceiptKey) ([]byte, error) {
	r.Format = ReceiptFormat
	if !validStatus(r.Status) {
		return nil, fmt.Errorf("sign receipt: status %q", r.Status)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("sign receipt: %w", err)
	}
	return key.SignJWS(b, ReceiptType)
}

// VerifyReceipt checks a receipt's signature and parses it.
func VerifyReceipt(compact []byte, key certs.ReceiptPublicKey) (Receipt, error) {
	if len(compact) > MaxManifestSize {
		return Receipt{}, fmt.Errorf("verify receipt: %d bytes is too large", len(compact))
	}
	payload, err := key.VerifyJWS(bytes.TrimSpace(compact), ReceiptType)
	if err != nil {
		return Receipt{}, fmt.Errorf("verify receipt: %w", err)
	}
	var r Receipt
	if err := strictjson.Decode(payload, &r); err != nil {
		return Receipt{}, fmt.Errorf("verify receipt: %w", err)
	}
	if r.Format != ReceiptFormat || !validStatus(r.Status) ||
		!ValidPartner(r.Partner) || !ValidID(r.Submission) {
		return Receipt{}, fmt.Errorf("verify receipt: malformed receipt")
	}
	return r, nil
}
