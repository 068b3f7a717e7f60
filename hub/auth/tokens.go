package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/thbx/thbx/certs"
)

// TokenPrefix starts every API token, so that a leaked token is
// recognisable to secret scanners and Authenticate can tell it from an
// OIDC token.
const TokenPrefix = "thbx_"

// tokenLen is the length of a token NewToken makes: the prefix and 32
// bytes in unpadded base64url.
const tokenLen = len(TokenPrefix) + 43

// NewToken returns a new API token: TokenPrefix and 32 bytes read from
// random, base64url-encoded without padding. A nil random means
// crypto/rand.Reader.
func NewToken(random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	var b [32]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", fmt.Errorf("new token: %w", err)
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// HashToken returns the lowercase hex SHA-256 of a token, the form in
// which the tokens file holds it.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Tokens is a loaded tokens file: it authenticates API tokens and maps
// client certificates to identities. Make one with LoadTokens or
// NewTokens. It is safe for concurrent use; Reload replaces its content
// atomically.
type Tokens struct {
	path string
	now  func() time.Time

	reload sync.Mutex // serialises Reload
	set    atomic.Pointer[tokenSet]
}

type tokenSet struct {
	tokens  []tokenGrant
	clients []ClientEntry
}

type tokenGrant struct {
	hash  [32]byte
	entry TokenEntry
}

// LoadTokens reads the tokens file at path, which must be readable by its
// owner only (see certs.ReadSecretFile): it decides who may read what.
// now tells the time for expiry; nil means time.Now.
func LoadTokens(path string, now func() time.Time) (*Tokens, error) {
	if now == nil {
		now = time.Now
	}
	t := &Tokens{path: path, now: now}
	if err := t.Reload(); err != nil {
		return nil, err
	}
	return t, nil
}

// NewTokens serves the entries of f, already parsed; Reload then fails.
// now tells the time for expiry; nil means time.Now.
func NewTokens(f *TokensFile, now func() time.Time) (*Tokens, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	t := &Tokens{now: now}
	t.set.Store(newTokenSet(f))
	return t, nil
}

// Reload rereads the tokens file. On error the entries loaded before stay
// in force, so a bad edit does not lock every client out.
func (t *Tokens) Reload() error {
	if t.path == "" {
		return fmt.Errorf("reload tokens: not loaded from a file")
	}
	t.reload.Lock()
	defer t.reload.Unlock()
	b, err := certs.ReadSecretFile(t.path)
	if err != nil {
		return fmt.Errorf("load tokens: %w", err)
	}
	f, err := ParseTokensFile(b)
	if err != nil {
		return fmt.Errorf("load tokens %s: %w", t.path, err)
	}
	t.set.Store(newTokenSet(f))
	return nil
}

func newTokenSet(f *TokensFile) *tokenSet {
	s := &tokenSet{clients: slices.Clone(f.Clients)}
	for _, e := range f.Tokens {
		s.tokens = append(s.tokens, tokenGrant{hash: hexDecode32(e.SHA256), entry: e})
	}
	return s
}

// Lookup authenticates an API token. It compares the token's hash with
// every entry's, so the time it takes does not tell which entry, if any,
// matched; only then does it check the matching entry's expiry.
func (t *Tokens) Lookup(token string) (Identity, error) {
	set := t.set.Load()
	sum := sha256.Sum256([]byte(token))
	if set == nil {
		return Identity{}, fmt.Errorf("%w: no tokens loaded", ErrInvalidToken)
	}
	match := -1
	for i := range set.tokens {
		eq := subtle.ConstantTimeCompare(sum[:], set.tokens[i].hash[:])
		match = subtle.ConstantTimeSelect(eq, i, match)
	}
	if match < 0 {
		return Identity{}, fmt.Errorf("%w: API token %s not in the tokens file", ErrInvalidToken, fingerprint(sum))
	}
	e := set.tokens[match].entry
	if !t.now().Before(e.Expires) {
		return Identity{}, fmt.Errorf("%w: API token %s expired at %s", ErrExpired, e.Name, e.Expires.Format(time.RFC3339))
	}
	return Identity{
		Kind:        KindToken,
		Subject:     e.Name,
		Issuer:      TokensIssuer,
		Name:        e.Name,
		Fingerprint: fingerprint(sum),
		Roles:       slices.Clone(e.Roles),
		Clearance:   e.Clearance,
		Unit:        e.Unit,
		Partner:     e.Partner,
		Scopes:      slices.Clone(e.Scopes),
		Datasets:    slices.Clone(e.Datasets),
		Expires:     e.Expires,
	}, nil
}

// LookupCert maps a client certificate that TLS has already verified
// against the client CA to an identity. An entry for the certificate's
// public key wins over one for its subject. The identity expires with
// the entry or the certificate, whichever is first.
func (t *Tokens) LookupCert(cert *x509.Certificate) (Identity, error) {
	set := t.set.Load()
	if set == nil {
		return Identity{}, fmt.Errorf("%w: no tokens loaded", ErrUnknownClient)
	}
	spki := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	spkiHex := hex.EncodeToString(spki[:])
	subject := cert.Subject.String()
	i := slices.IndexFunc(set.clients, func(c ClientEntry) bool { return c.SPKISHA256 == spkiHex })
	if i < 0 {
		i = slices.IndexFunc(set.clients, func(c ClientEntry) bool { return c.Subject != "" && c.Subject == subject })
	}
	if i < 0 {
		return Identity{}, fmt.Errorf("%w: certificate %s (key %s)", ErrUnknownClient, printable(subject), fingerprint(spki))
	}
	e := set.clients[i]
	expires := e.Expires
	if cert.NotAfter.Before(expires) {
		expires = cert.NotAfter
	}
	now := t.now()
	if !now.Before(expires) {
		return Identity{}, fmt.Errorf("%w: client %s expired at %s", ErrExpired, e.Name, expires.Format(time.RFC3339))
	}
	if now.Before(cert.NotBefore) {
		return Identity{}, fmt.Errorf("%w: client %s certificate not valid before %s", ErrInvalidToken, e.Name, cert.NotBefore.Format(time.RFC3339))
	}
	return Identity{
		Kind:        KindClientCert,
		Subject:     e.Name,
		Issuer:      cert.Issuer.String(),
		Name:        e.Name,
		Fingerprint: fingerprint(spki),
		Roles:       slices.Clone(e.Roles),
		Clearance:   e.Clearance,
		Unit:        e.Unit,
		Partner:     e.Partner,
		Scopes:      slices.Clone(e.Scopes),
		Datasets:    slices.Clone(e.Datasets),
		Expires:     expires,
	}, nil
}

// printable quotes s for an error message, cut to a length a log can
// take.
func printable(s string) string {
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return fmt.Sprintf("%q", s)
}
