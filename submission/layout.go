package submission

import (
	"fmt"
	"regexp"
	"strings"
)

// The drop box's layout. Partners write under inbox/<partner>/ and read
// receipts/<partner>/ and trust/; everything else is the hub's.
const (
	InboxPrefix      = "inbox/"
	ReceiptsPrefix   = "receipts/"
	ArchivePrefix    = "archive/"
	QuarantinePrefix = "quarantine/"
	TrustPrefix      = "trust/"

	manifestSuffix   = ".manifest.jws"
	ciphertextSuffix = ".payload.age"
	receiptSuffix    = ".receipt.jws"
)

var partnerPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidPartner reports whether s can be a partner id: lower-case letters,
// digits and hyphens, starting with a letter or digit, at most 63 long. The
// narrow alphabet keeps ids safe as object-key segments.
func ValidPartner(s string) bool { return partnerPattern.MatchString(s) }

// ManifestKey is where a partner's agent puts a submission's manifest.
func ManifestKey(partner, id string) string {
	return InboxPrefix + partner + "/" + id + manifestSuffix
}

// CiphertextKey is where a partner's agent puts a submission's payload.
func CiphertextKey(partner, id string) string {
	return InboxPrefix + partner + "/" + id + ciphertextSuffix
}

// ReceiptKey is where the hub puts its receipt for a submission.
func ReceiptKey(partner, id string) string {
	return ReceiptsPrefix + partner + "/" + id + receiptSuffix
}

// ArchiveKey is where the hub keeps an accepted submission's objects;
// name is "manifest.jws" or "payload.age".
func ArchiveKey(partner, id, name string) string {
	return ArchivePrefix + partner + "/" + id + "." + name
}

// ObjectKind tells the two objects of a submission apart.
type ObjectKind int

const (
	KindManifest ObjectKind = iota + 1
	KindCiphertext
)

// InboxObject is a parsed inbox key.
type InboxObject struct {
	Partner string
	ID      string
	Kind    ObjectKind
}

// ParseInboxKey parses inbox/<partner>/<id>.manifest.jws or
// inbox/<partner>/<id>.payload.age. Anything else, including keys with
// "..", empty or extra segments, other characters or another encoding of
// the same name, is refused: ids and partner ids have a narrow ASCII
// alphabet, so no odd unicode can pass.
func ParseInboxKey(key string) (InboxObject, error) {
	rest, ok := strings.CutPrefix(key, InboxPrefix)
	if !ok {
		return InboxObject{}, fmt.Errorf("object key %q is not under %s", key, InboxPrefix)
	}
	partner, name, ok := strings.Cut(rest, "/")
	if !ok || !ValidPartner(partner) {
		return InboxObject{}, fmt.Errorf("object key %q: no valid partner segment", key)
	}
	var o InboxObject
	switch {
	case strings.HasSuffix(name, manifestSuffix):
		o = InboxObject{Partner: partner, ID: strings.TrimSuffix(name, manifestSuffix), Kind: KindManifest}
	case strings.HasSuffix(name, ciphertextSuffix):
		o = InboxObject{Partner: partner, ID: strings.TrimSuffix(name, ciphertextSuffix), Kind: KindCiphertext}
	default:
		return InboxObject{}, fmt.Errorf("object key %q: not a manifest or payload name", key)
	}
	if !ValidID(o.ID) {
		return InboxObject{}, fmt.Errorf("object key %q: %q is not a submission id", key, o.ID)
	}
	return o, nil
}
