package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind says how an identity was authenticated.
type Kind string

// The kinds of identity.
const (
	KindOIDC       Kind = "oidc"        // a bearer token signed by the OIDC issuer
	KindToken      Kind = "token"       // an API token listed in the tokens file
	KindClientCert Kind = "client_cert" // a verified TLS client certificate mapped in the tokens file
)

// Roles the hub knows. An OIDC token's other roles are ignored; the
// tokens file may list only these.
const (
	RoleAnalyst         = "analyst"
	RoleHeadOfUnit      = "head_of_unit"
	RoleSecurityOfficer = "security_officer"
	RoleAuditor         = "auditor"
	RolePartner         = "partner"
	RoleService         = "service"
)

var knownRoles = []string{RoleAnalyst, RoleHeadOfUnit, RoleSecurityOfficer, RoleAuditor, RolePartner, RoleService}

// KnownRoles lists every role the hub knows.
func KnownRoles() []string { return slices.Clone(knownRoles) }

// Scopes of API tokens and client certificates: the actions a service
// account may take. OIDC identities carry none; the policy decides what
// their roles allow.
const (
	ScopeReadRecords     = "read_records"
	ScopeReadAggregates  = "read_aggregates"
	ScopeExport          = "export"
	ScopeReadSubmissions = "read_submissions"
	ScopeReadAudit       = "read_audit"
)

var knownScopes = []string{ScopeReadRecords, ScopeReadAggregates, ScopeExport, ScopeReadSubmissions, ScopeReadAudit}

// KnownScopes lists every scope the tokens file may grant.
func KnownScopes() []string { return slices.Clone(knownScopes) }

// Identity is who made a request, as far as authentication can tell. The
// access policy decides what it may do.
type Identity struct {
	Kind Kind
	// Subject identifies the principal within its issuer: the OIDC "sub"
	// claim, or the name of the tokens-file entry that matched.
	Subject string
	// Issuer is the OIDC issuer URL, TokensIssuer for API tokens, or the
	// distinguished name of the CA that issued a client certificate.
	Issuer string
	// Name labels the identity in logs: the OIDC subject or the name of
	// the tokens-file entry. It never contains a secret.
	Name string
	// Fingerprint is 12 hex digits that tell identities apart in logs
	// without revealing anything: a prefix of the SHA-256 of the token,
	// of the certificate's public key, or of issuer and subject.
	Fingerprint string
	// Roles are known roles only (see KnownRoles), never empty.
	Roles []string
	// Clearance, Unit and Partner are empty when not granted. Partner is
	// set whenever Roles holds RolePartner.
	Clearance string
	Unit      string
	Partner   string
	// Scopes are the actions a service account may take (see KnownScopes);
	// nil for OIDC identities.
	Scopes []string
	// Datasets, when not nil, restricts the identity to these datasets.
	Datasets []string
	// Expires is when the credential stops being accepted.
	Expires time.Time
}

// TokensIssuer is the Issuer of identities authenticated by API token.
const TokensIssuer = "thbx:tokens"

// HasRole reports whether the identity holds role.
func (id Identity) HasRole(role string) bool { return slices.Contains(id.Roles, role) }

// HasScope reports whether the identity was granted scope.
func (id Identity) HasScope(scope string) bool { return slices.Contains(id.Scopes, scope) }

// LogValue names the identity in a log record by kind, name and
// fingerprint, so that logging an Identity never logs more.
func (id Identity) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", string(id.Kind)),
		slog.String("name", id.Name),
		slog.String("fp", id.Fingerprint),
	)
}

var _ slog.LogValuer = Identity{}

// fingerprint is the first 6 bytes of a SHA-256, in hex: enough to tell
// credentials apart in a log, too short to be worth anything to a reader.
func fingerprint(sum [32]byte) string { return hex.EncodeToString(sum[:6]) }

// subjectFingerprint fingerprints an identity that has no secret of its
// own in the hub's hands, such as an OIDC subject.
func subjectFingerprint(kind Kind, issuer, subject string) string {
	return fingerprint(sha256.Sum256([]byte(string(kind) + "\x00" + issuer + "\x00" + subject)))
}

var (
	// namePattern is the name of a tokens-file entry.
	namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
	// labelPattern is a clearance or unit.
	labelPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	// partnerPattern is a partner id, as in the partner registry.
	partnerPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	// datasetPattern is a dataset name, as in submission manifests.
	datasetPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
)

// maxSubject bounds an OIDC subject (OIDC Core allows 255 ASCII
// characters), maxCertSubject a certificate subject in the tokens file.
const (
	maxSubject     = 255
	maxCertSubject = 1024
)

// checkPrintable accepts a value that can be logged as it is: valid
// UTF-8, printable, without control or format characters that could
// forge a log line.
func checkPrintable(what, s string, limit int) error {
	if s == "" {
		return fmt.Errorf("empty %s", what)
	}
	if len(s) > limit {
		return fmt.Errorf("%s longer than %d bytes", what, limit)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not UTF-8", what)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%s has unprintable character %U", what, r)
		}
	}
	return nil
}

// checkList checks that list holds only values known says are allowed,
// each once.
func checkList(what string, list []string, known func(string) bool) error {
	for i, v := range list {
		if !known(v) {
			return fmt.Errorf("unknown %s %q", what, v)
		}
		if slices.Contains(list[:i], v) {
			return fmt.Errorf("%s %q listed twice", what, v)
		}
	}
	return nil
}

func knownRole(r string) bool  { return slices.Contains(knownRoles, r) }
func knownScope(s string) bool { return slices.Contains(knownScopes, s) }
func validDataset(d string) bool {
	return datasetPattern.MatchString(d)
}

// checkGrant checks what every kind of identity may be granted besides
// its roles.
func checkGrant(roles []string, clearance, unit, partner string) error {
	if clearance != "" && !labelPattern.MatchString(clearance) {
		return fmt.Errorf("invalid clearance %q", clearance)
	}
	if unit != "" && !labelPattern.MatchString(unit) {
		return fmt.Errorf("invalid unit %q", unit)
	}
	if partner != "" && !partnerPattern.MatchString(partner) {
		return fmt.Errorf("invalid partner %q", partner)
	}
	if slices.Contains(roles, RolePartner) && partner == "" {
		return fmt.Errorf("role %s without a partner", RolePartner)
	}
	return nil
}
