package auth

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"go.yaml.in/yaml/v3"
)

// TokensFileVersion is the only version of the tokens file format.
const TokensFileVersion = 1

// TokensFile is the tokens file: the API tokens of service accounts, held
// as hashes, and the client certificates the hub maps to identities. It
// is YAML:
//
//	version: 1
//	tokens:
//	  - name: stats-office
//	    sha256: 5b1869e78b0a908504d31dd3a054233a748f3c0746d1069581b73aaa7ac02c5d
//	    roles: [service]
//	    scopes: [read_aggregates]
//	    datasets: [victims]          # optional; no restriction when left out
//	    expires: 2026-09-30T00:00:00Z
//	    clearance: standard          # optional
//	    unit: statistics             # optional
//	clients:
//	  - name: nightly-export
//	    spki_sha256: 0c8d...e1       # or subject: "CN=export,O=Rapporteur"
//	    roles: [service]
//	    scopes: [export]
//	    expires: 2026-12-31T00:00:00Z
//
// Decoding is strict: unknown keys, unknown roles and scopes, duplicate
// names, hashes or certificates, and entries without an expiry are
// refused, so a typo is an error rather than a silently wider grant.
type TokensFile struct {
	Tokens  []TokenEntry
	Clients []ClientEntry
}

// TokenEntry grants an API token, known by its SHA-256 only.
type TokenEntry struct {
	// Name names the service account in logs; unique in the file.
	Name string
	// SHA256 is the lowercase hex SHA-256 of the whole token (see
	// HashToken).
	SHA256 string
	// Roles are known roles (see KnownRoles); at least one.
	Roles []string
	// Scopes are the actions the token allows (see KnownScopes); at least one.
	Scopes []string
	// Datasets, when not nil, restricts the token to these datasets.
	Datasets []string
	// Expires is required: every token expires.
	Expires   time.Time
	Clearance string
	Unit      string
	// Partner is required with role partner.
	Partner string
}

// ClientEntry maps a verified client certificate to an identity, by the
// SHA-256 of its public key (SPKI) or by its subject distinguished name
// (as crypto/x509's pkix.Name.String spells it). A subject mapping
// survives certificate renewal but trusts the client CA to never issue
// the same subject to someone else; a key mapping does not.
type ClientEntry struct {
	Name       string
	SPKISHA256 string // lowercase hex; exactly one of SPKISHA256 and Subject
	Subject    string
	Roles      []string
	Scopes     []string // optional for clients
	Datasets   []string
	Expires    time.Time // required; the certificate's own expiry applies as well
	Clearance  string
	Unit       string
	Partner    string
}

// The YAML form. Expiry dates are strings so that only RFC 3339 is
// accepted, not every form of YAML timestamp; all fields are plain so
// that the strict decoder sees them (yaml.v3 drops KnownFields inside
// custom unmarshalers).
type (
	tokensFileYAML struct {
		Version int               `yaml:"version"`
		Tokens  []tokenEntryYAML  `yaml:"tokens,omitempty"`
		Clients []clientEntryYAML `yaml:"clients,omitempty"`
	}
	tokenEntryYAML struct {
		Name      string   `yaml:"name"`
		SHA256    string   `yaml:"sha256"`
		Roles     []string `yaml:"roles,flow"`
		Scopes    []string `yaml:"scopes,flow"`
		Datasets  []string `yaml:"datasets,flow,omitempty"`
		Expires   string   `yaml:"expires"`
		Clearance string   `yaml:"clearance,omitempty"`
		Unit      string   `yaml:"unit,omitempty"`
		Partner   string   `yaml:"partner,omitempty"`
	}
	clientEntryYAML struct {
		Name       string   `yaml:"name"`
		SPKISHA256 string   `yaml:"spki_sha256,omitempty"`
		Subject    string   `yaml:"subject,omitempty"`
		Roles      []string `yaml:"roles,flow"`
		Scopes     []string `yaml:"scopes,flow,omitempty"`
		Datasets   []string `yaml:"datasets,flow,omitempty"`
		Expires    string   `yaml:"expires"`
		Clearance  string   `yaml:"clearance,omitempty"`
		Unit       string   `yaml:"unit,omitempty"`
		Partner    string   `yaml:"partner,omitempty"`
	}
)

// maxTokensFile bounds the tokens file; certs.ReadSecretFile reads at most
// as much.
const maxTokensFile = 1 << 20

// ParseTokensFile decodes and validates a tokens file.
func ParseTokensFile(b []byte) (*TokensFile, error) {
	if len(b) > maxTokensFile {
		return nil, fmt.Errorf("tokens file: larger than %d bytes", maxTokensFile)
	}
	var y tokensFileYAML
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("tokens file: empty")
		}
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("tokens file: more than one YAML document")
	}
	if y.Version != TokensFileVersion {
		return nil, fmt.Errorf("tokens file: version %d, want %d", y.Version, TokensFileVersion)
	}
	f := &TokensFile{}
	for i, e := range y.Tokens {
		t, err := e.entry()
		if err != nil {
			return nil, fmt.Errorf("tokens file: token %d (%q): %w", i+1, e.Name, err)
		}
		f.Tokens = append(f.Tokens, t)
	}
	for i, e := range y.Clients {
		c, err := e.entry()
		if err != nil {
			return nil, fmt.Errorf("tokens file: client %d (%q): %w", i+1, e.Name, err)
		}
		f.Clients = append(f.Clients, c)
	}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	return f, nil
}

// Marshal encodes f as YAML that ParseTokensFile reads back unchanged.
func (f *TokensFile) Marshal() ([]byte, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	y := tokensFileYAML{Version: TokensFileVersion}
	for _, t := range f.Tokens {
		y.Tokens = append(y.Tokens, t.yaml())
	}
	for _, c := range f.Clients {
		y.Clients = append(y.Clients, c.yaml())
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(y); err != nil {
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	return buf.Bytes(), nil
}

// Validate checks every entry and that names, token hashes, keys and
// subjects are each unique.
func (f *TokensFile) Validate() error {
	names := map[string]bool{}
	hashes := map[string]bool{}
	keys := map[string]bool{}
	subjects := map[string]bool{}
	unique := func(seen map[string]bool, what, v string) error {
		if seen[v] {
			return fmt.Errorf("%s %q listed twice", what, v)
		}
		seen[v] = true
		return nil
	}
	for _, t := range f.Tokens {
		if err := t.Validate(); err != nil {
			return fmt.Errorf("token %q: %w", t.Name, err)
		}
		if err := unique(names, "name", t.Name); err != nil {
			return err
		}
		if err := unique(hashes, "token hash", t.SHA256); err != nil {
			return err
		}
	}
	for _, c := range f.Clients {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("client %q: %w", c.Name, err)
		}
		if err := unique(names, "name", c.Name); err != nil {
			return err
		}
		if c.SPKISHA256 != "" {
			if err := unique(keys, "spki_sha256", c.SPKISHA256); err != nil {
				return err
			}
		} else if err := unique(subjects, "subject", c.Subject); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks one token entry on its own.
func (e TokenEntry) Validate() error {
	if !namePattern.MatchString(e.Name) {
		return fmt.Errorf("invalid name %q (want lowercase letters, digits, '.', '_' or '-')", e.Name)
	}
	if !isSHA256Hex(e.SHA256) {
		return errors.New("sha256 must be 64 lowercase hex digits")
	}
	if len(e.Scopes) == 0 {
		return errors.New("no scopes")
	}
	return checkEntry(e.Roles, e.Scopes, e.Datasets, e.Expires, e.Clearance, e.Unit, e.Partner)
}

// Validate checks one client entry on its own.
func (e ClientEntry) Validate() error {
	if !namePattern.MatchString(e.Name) {
		return fmt.Errorf("invalid name %q (want lowercase letters, digits, '.', '_' or '-')", e.Name)
	}
	switch {
	case e.SPKISHA256 != "" && e.Subject != "":
		return errors.New("both spki_sha256 and subject; give one")
	case e.SPKISHA256 != "":
		if !isSHA256Hex(e.SPKISHA256) {
			return errors.New("spki_sha256 must be 64 lowercase hex digits")
		}
	case e.Subject != "":
		if err := checkPrintable("subject", e.Subject, maxCertSubject); err != nil {
			return err
		}
	default:
		return errors.New("neither spki_sha256 nor subject")
	}
	return checkEntry(e.Roles, e.Scopes, e.Datasets, e.Expires, e.Clearance, e.Unit, e.Partner)
}

func checkEntry(roles, scopes, datasets []string, expires time.Time, clearance, unit, partner string) error {
	if len(roles) == 0 {
		return errors.New("no roles")
	}
	if err := checkList("role", roles, knownRole); err != nil {
		return err
	}
	if err := checkList("scope", scopes, knownScope); err != nil {
		return err
	}
	if scopes != nil && len(scopes) == 0 {
		return errors.New("empty scopes list (leave scopes out for none)")
	}
	if datasets != nil && len(datasets) == 0 {
		return errors.New("empty datasets list (leave datasets out for no restriction)")
	}
	if err := checkList("dataset", datasets, validDataset); err != nil {
		return err
	}
	if expires.IsZero() {
		return errors.New("no expiry")
	}
	if y := expires.UTC().Year(); y < 2000 || y > 9999 {
		return fmt.Errorf("expiry year %d out of range", y)
	}
	return checkGrant(roles, clearance, unit, partner)
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}

func parseExpires(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("no expiry")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expires %q is not an RFC 3339 time such as 2026-09-30T00:00:00Z", s)
	}
	return t.UTC(), nil
}

func formatExpires(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (e tokenEntryYAML) entry() (TokenEntry, error) {
	exp, err := parseExpires(e.Expires)
	if err != nil {
		return TokenEntry{}, err
	}
	return TokenEntry{Name: e.Name, SHA256: e.SHA256, Roles: e.Roles, Scopes: e.Scopes, Datasets: e.Datasets,
		Expires: exp, Clearance: e.Clearance, Unit: e.Unit, Partner: e.Partner}, nil
}

func (e TokenEntry) yaml() tokenEntryYAML {
	return tokenEntryYAML{Name: e.Name, SHA256: e.SHA256, Roles: e.Roles, Scopes: e.Scopes, Datasets: e.Datasets,
		Expires: formatExpires(e.Expires), Clearance: e.Clearance, Unit: e.Unit, Partner: e.Partner}
}

func (e clientEntryYAML) entry() (ClientEntry, error) {
	exp, err := parseExpires(e.Expires)
	if err != nil {
		return ClientEntry{}, err
	}
	return ClientEntry{Name: e.Name, SPKISHA256: e.SPKISHA256, Subject: e.Subject, Roles: e.Roles, Scopes: e.Scopes,
		Datasets: e.Datasets, Expires: exp, Clearance: e.Clearance, Unit: e.Unit, Partner: e.Partner}, nil
}

func (e ClientEntry) yaml() clientEntryYAML {
	return clientEntryYAML{Name: e.Name, SPKISHA256: e.SPKISHA256, Subject: e.Subject, Roles: e.Roles, Scopes: e.Scopes,
		Datasets: e.Datasets, Expires: formatExpires(e.Expires), Clearance: e.Clearance, Unit: e.Unit, Partner: e.Partner}
}

// hexDecode32 decodes a hash Validate has approved.
func hexDecode32(s string) [32]byte {
	var b [32]byte
	hex.Decode(b[:], []byte(s))
	return b
}
