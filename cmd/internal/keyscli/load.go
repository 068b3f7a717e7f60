package keyscli

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
)

// readLimited reads at most limit bytes of path and refuses a longer file.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: more than %d bytes", path, limit)
	}
	return b, nil
}

// loadRoot reads the trusted root at path and checks it carries its own
// officers' threshold. An expired root is refused unless allowExpired: the
// officers must still be able to rotate it or renew the bundle under it.
func loadRoot(path string, now time.Time, allowExpired bool) (*trust.Root, []byte, error) {
	if path == "" {
		return nil, nil, cli.Usagef("-root is required (the published root.json)")
	}
	raw, err := certs.ReadTrustFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load root: %w", err)
	}
	s, err := trust.ParseSigned(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("load root %s: %w", path, err)
	}
	r, err := trust.VerifyRoot(s, now)
	if allowExpired && errors.Is(err, trust.ErrExpired) {
		// VerifyRoot checks the signatures before the expiry.
		r, err = trust.ProposedRoot(s)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load root %s: %w", path, err)
	}
	return r, raw, nil
}

// trustedBundle is a published bundle that verified under a root.
type trustedBundle struct {
	*trust.Bundle
	raw []byte
	// underRoot is the version of the root whose officers' signatures
	// made it valid: older than the current root after a root rotation,
	// until the officers publish a bundle under the new root.
	underRoot int
	expired   bool
}

// loadBundle reads the published bundle at path and verifies it under
// root. An expired bundle is accepted when allowExpired (to renew it, to
// check a rollback against it); its signatures must verify all the same.
// A bundle signed under an older root is verified against the root-<v>.json
// that publish keeps next to rootPath.
func loadBundle(path string, root *trust.Root, rootPath string, now time.Time, allowExpired bool) (*trustedBundle, error) {
	if path == "" {
		return nil, cli.Usagef("-bundle is required (the published bundle.json)")
	}
	raw, err := certs.ReadTrustFile(path)
	if err != nil {
		return nil, fmt.Errorf("load bundle: %w", err)
	}
	tb, err := verifyPublished(raw, root, now, allowExpired)
	if errors.Is(err, trust.ErrThreshold) {
		if older, ok := olderRoot(raw, root, rootPath, now); ok {
			tb, err = verifyPublished(raw, older, now, allowExpired)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load bundle %s: %w", path, err)
	}
	return tb, nil
}

func verifyPublished(raw []byte, root *trust.Root, now time.Time, allowExpired bool) (*trustedBundle, error) {
	b, err := trust.VerifyBundle(raw, root, nil, now)
	expired := false
	if allowExpired && errors.Is(err, trust.ErrExpired) {
		// Verify the signatures at a moment both root and bundle were
		// valid: only the expiry is forgiven.
		s, perr := trust.ParseSigned(raw)
		if perr != nil {
			return nil, perr
		}
		p, perr := trust.ProposedBundle(s)
		if perr != nil {
			return nil, perr
		}
		at := p.Expires
		if root.Expires.Before(at) {
			at = root.Expires
		}
		b, err = trust.VerifyBundle(raw, root, nil, at.Add(-time.Second))
		expired = true
	}
	if err != nil {
		return nil, err
	}
	return &trustedBundle{Bundle: b, raw: raw, underRoot: root.Version, expired: expired}, nil
}

// olderRoot finds the root a bundle names when it is older than the
// current one, as kept by publish: root-<v>.json next to rootPath, signed
// by its own officers.
func olderRoot(raw []byte, root *trust.Root, rootPath string, now time.Time) (*trust.Root, bool) {
	s, err := trust.ParseSigned(raw)
	if err != nil {
		return nil, false
	}
	p, err := trust.ProposedBundle(s)
	if err != nil || p.RootVersion >= root.Version {
		return nil, false
	}
	old, _, err := loadRoot(previousRootPath(rootPath, p.RootVersion), now, true)
	if err != nil || old.Version != p.RootVersion {
		return nil, false
	}
	return old, true
}

// previousRootPath is where publish keeps root version v: root-<v>.json
// next to the current root.
func previousRootPath(rootPath string, v int) string {
	return filepath.Join(filepath.Dir(rootPath), fmt.Sprintf("root-%d.json", v))
}

// proposal is a root or bundle proposal read for review, signing or
// publishing. Nothing in it is trusted.
type proposal struct {
	path   string
	doc    *trust.Signed
	kind   string // trust.RootType or trust.BundleType
	root   *trust.Root
	bundle *trust.Bundle
}

func readProposal(path string) (*proposal, error) {
	raw, err := readLimited(path, trust.MaxSignedSize)
	if err != nil {
		return nil, err
	}
	s, err := trust.ParseSigned(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	payload, err := s.PayloadBytes()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		return nil, fmt.Errorf("%s: payload is not a JSON object: %w", path, err)
	}
	p := &proposal{path: path, doc: s, kind: head.Type}
	switch head.Type {
	case trust.RootType:
		p.root, err = trust.ProposedRoot(s)
	case trust.BundleType:
		p.bundle, err = trust.ProposedBundle(s)
	default:
		return nil, fmt.Errorf("%s is a document of type %q, not a root or trust bundle proposal", path, head.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// loadOfficerKey reads an officer's private key.
func loadOfficerKey(path string) (certs.OfficerKey, error) {
	k, err := certs.LoadOfficerKey(path)
	if err != nil {
		return k, fmt.Errorf("%w (want the .key file made by thbx-keys officer-keygen)", err)
	}
	return k, nil
}

// loadOfficerPublic reads an officer's .pub file.
func loadOfficerPublic(path string) (certs.OfficerPublicKey, error) {
	var pub certs.OfficerPublicKey
	b, err := readLimited(path, 64<<10)
	if err != nil {
		return pub, err
	}
	if err := pub.UnmarshalText(b); err != nil {
		return pub, fmt.Errorf("%s: %w (want the .pub file made by thbx-keys officer-keygen)", path, err)
	}
	return pub, nil
}

// writeDoc writes a new proposal, refusing to replace a file: a proposal
// may already carry other officers' signatures.
func writeDoc(path string, s *trust.Signed) error {
	b, err := s.Marshal()
	if err != nil {
		return err
	}
	return certs.WritePublicFile(path, b)
}

// unsignedBundle is a bundle proposal nobody has signed yet.
func unsignedBundle(b *trust.Bundle) (*trust.Signed, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	payload, err := b.Marshal()
	if err != nil {
		return nil, err
	}
	// Unpadded base64url, as a JWS library encodes it: AddSignature
	// checks that the two agree.
	return &trust.Signed{Payload: base64.RawURLEncoding.EncodeToString(payload), Signatures: []trust.Signature{}}, nil
}

// parseTime reads an RFC 3339 flag value.
func parseTime(flag, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, cli.Usagef("-%s %q: want RFC 3339, such as 2026-05-01T00:00:00Z", flag, v)
	}
	return t.UTC(), nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format(time.RFC3339)
}

// pair is one ID=VALUE flag value.
type pair struct{ key, value string }

// pairFlags collects repeated ID=VALUE flags in order.
type pairFlags struct {
	what  string // "ID=FILE.pub", for the error
	pairs []pair
}

func (p *pairFlags) String() string { return "" }

func (p *pairFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" || v == "" {
		return fmt.Errorf("want %s, got %q", p.what, s)
	}
	p.pairs = append(p.pairs, pair{k, v})
	return nil
}

// listFlags collects a repeated flag's values in order.
type listFlags []string

func (l *listFlags) String() string { return strings.Join(*l, ",") }

func (l *listFlags) Set(s string) error {
	if s == "" {
		return errors.New("empty value")
	}
	*l = append(*l, s)
	return nil
}

// parseWithFile parses flags around one positional FILE argument, which
// may come before, between or after the flags.
func parseWithFile(fs *cli.FlagSet, args []string) (string, error) {
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := cli.Parse(fs, args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if file == "" && len(rest) > 0 {
		file, rest = rest[0], rest[1:]
		if err := cli.Parse(fs, rest, 0); err != nil {
			return "", err
		}
	} else if len(rest) > 0 {
		return "", cli.Usagef("unexpected argument %q", rest[0])
	}
	if file == "" {
		return "", cli.Usagef("name the proposal FILE")
	}
	return file, nil
}
