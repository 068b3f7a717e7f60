package submission

import "fmt"

// Reason is a stable, machine-readable code for why the hub rejected a
// submission. Receipts carry it with a sentence a partner can act on.
type Reason string

const (
	ReasonObjectName        Reason = "object_name_invalid"
	ReasonManifestTooLarge  Reason = "manifest_too_large"
	ReasonManifestMalformed Reason = "manifest_malformed"
	ReasonUnknownKey        Reason = "key_unknown"
	ReasonKeyPartner        Reason = "key_partner_mismatch"
	ReasonPrefix            Reason = "prefix_mismatch"
	ReasonKeyRevoked        Reason = "key_revoked"
	ReasonKeyExpired        Reason = "key_expired"
	ReasonKeyNotYetValid    Reason = "key_not_yet_valid"
	ReasonSignature         Reason = "signature_invalid"
	ReasonCreatedInFuture   Reason = "created_in_future"
	ReasonDataset           Reason = "dataset_not_allowed"
	ReasonIDReused          Reason = "submission_id_reused"
	ReasonReplay            Reason = "sequence_replayed"
	ReasonPrevious          Reason = "previous_hash_mismatch"
	ReasonRecipients        Reason = "not_encrypted_to_hub"
	ReasonCiphertextMissing Reason = "ciphertext_missing"
	ReasonTooLarge          Reason = "ciphertext_too_large"
	ReasonSize              Reason = "ciphertext_size_mismatch"
	ReasonHash              Reason = "ciphertext_hash_mismatch"
	ReasonDecrypt           Reason = "decrypt_failed"
	ReasonPayloadMismatch   Reason = "payload_manifest_mismatch"
	ReasonPayloadMalformed  Reason = "payload_malformed"
	ReasonRecordInvalid     Reason = "record_invalid"
	ReasonRecordCount       Reason = "record_count_mismatch"
	// ReasonAwaitingRestricted is not a refusal: the reason of a held
	// receipt (see Held).
	ReasonAwaitingRestricted Reason = "awaiting_restricted_processing"
)

var reasonHints = map[Reason]string{
	ReasonAwaitingRestricted: "nothing to do: the hub keeps the submission sealed until its restricted processing opens it",
	ReasonObjectName:         "object names must be inbox/<partner>/<submission-id>.manifest.jws or .payload.age; use thbx-agent to upload",
	ReasonManifestTooLarge:   "the manifest is larger than the hub accepts; it was not written by thbx-agent",
	ReasonManifestMalformed:  "the manifest is not a valid thbx manifest; re-seal with thbx-agent",
	ReasonUnknownKey:         "the signing key is not registered for any partner; ask the security officers to register your public key",
	ReasonKeyPartner:         "the signing key belongs to another partner; sign with your own key",
	ReasonPrefix:             "the manifest was found under another partner's inbox; upload under your own inbox",
	ReasonKeyRevoked:         "the signing key was revoked before this submission; make a new key and have it registered",
	ReasonKeyExpired:         "the signing key had expired when this submission was made; rotate your key",
	ReasonKeyNotYetValid:     "the signing key was not yet valid when this submission was made; check the clock or wait",
	ReasonSignature:          "the manifest signature does not verify; the manifest was changed after signing or signed with another key",
	ReasonCreatedInFuture:    "the manifest's creation time is in the future; check the clock of the agent's machine",
	ReasonDataset:            "your partner registration does not include this dataset; ask the security officers",
	ReasonIDReused:           "another manifest with this submission id was already processed; seal a new submission",
	ReasonReplay:             "this sequence number was already used; an old submission was replayed or the agent's state was reset",
	ReasonPrevious:           "the previous-manifest hash does not match the hub's record of your last submission",
	ReasonRecipients:         "the payload was not encrypted to the hub's current recipients; update the hub's recipients in the agent's configuration",
	ReasonCiphertextMissing:  "the payload object is missing; thbx-agent will upload it again",
	ReasonTooLarge:           "the payload is larger than the hub's limit; split the data into smaller submissions",
	ReasonSize:               "the payload's size differs from the manifest's; it was truncated or extended in transit; thbx-agent will upload it again",
	ReasonHash:               "the payload's SHA-256 differs from the manifest's; it was changed or swapped in transit; thbx-agent will upload it again",
	ReasonDecrypt:            "the payload cannot be decrypted with the hub's identities",
	ReasonPayloadMismatch:    "the encrypted payload names another partner or submission than its manifest",
	ReasonPayloadMalformed:   "the decrypted payload is not valid thbx payload JSON lines",
	ReasonRecordInvalid:      "a record does not match the schema; run thbx-agent check on the file",
	ReasonRecordCount:        "the number of records differs from the manifest's count",
}

// Hint returns a sentence that tells a partner what to do.
func (r Reason) Hint() string { return reasonHints[r] }

// Retryable reports whether the agent should upload the same submission
// again: the manifest was authentic but the payload object was lost or
// damaged on the way, so the partner's own sealed copy is still good.
func (r Reason) Retryable() bool {
	switch r {
	case ReasonCiphertextMissing, ReasonSize, ReasonHash:
		return true
	}
	return false
}

// RejectError is a rejection with its reason and a detail for the log and
// the receipt. Callers branch with errors.As.
type RejectError struct {
	Reason Reason
	Detail string
	Err    error
}

func (e *RejectError) Error() string {
	if e.Detail == "" {
		return string(e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Reason, e.Detail)
}

func (e *RejectError) Unwrap() error { return e.Err }

// Reject builds a RejectError with a formatted detail.
func Reject(r Reason, format string, args ...any) *RejectError {
	return &RejectError{Reason: r, Detail: fmt.Sprintf(format, args...)}
}
