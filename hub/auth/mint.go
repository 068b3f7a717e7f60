package auth

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/thbx/thbx/certs"
)

// MaxTokenLifetime bounds how far ahead MintToken lets a token expire, so
// that a forgotten token stops working on its own.
const MaxTokenLifetime = 366 * 24 * time.Hour

// MintToken makes a new API token for the grant e and returns the token,
// to be shown once to whoever runs the service account, and the entry for
// the tokens file, which holds only its hash. With no roles, e gets
// RoleService. e.Expires must lie after now and within MaxTokenLifetime
// of it. A nil random means crypto/rand.Reader.
func MintToken(random io.Reader, now time.Time, e TokenEntry) (string, TokenEntry, error) {
	if len(e.Roles) == 0 {
		e.Roles = []string{RoleService}
	}
	if !e.Expires.After(now) {
		return "", TokenEntry{}, fmt.Errorf("mint token: expiry %s is not in the future", e.Expires.Format(time.RFC3339))
	}
	if e.Expires.Sub(now) > MaxTokenLifetime {
		return "", TokenEntry{}, fmt.Errorf("mint token: expiry %s is more than %d days away", e.Expires.Format(time.RFC3339), MaxTokenLifetime/(24*time.Hour))
	}
	e.Expires = e.Expires.UTC().Truncate(time.Second)
	token, err := NewToken(random)
	if err != nil {
		return "", TokenEntry{}, fmt.Errorf("mint token: %w", err)
	}
	e.SHA256 = HashToken(token)
	if err := e.Validate(); err != nil {
		return "", TokenEntry{}, fmt.Errorf("mint token: %w", err)
	}
	return token, e, nil
}

// ParseExpiry reads when a token should expire, for a command line: a
// lifetime from now in days, weeks or hours ("90d", "2w", "12h"), or an
// RFC 3339 time ("2026-09-30T00:00:00Z").
func ParseExpiry(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if len(s) < 2 {
		return time.Time{}, fmt.Errorf("expiry %q: want a lifetime such as 90d, 2w or 12h, or an RFC 3339 time", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 100000 {
		return time.Time{}, fmt.Errorf("expiry %q: want a lifetime such as 90d, 2w or 12h, or an RFC 3339 time", s)
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 'h':
		unit = time.Hour
	case 'd':
		unit = 24 * time.Hour
	case 'w':
		unit = 7 * 24 * time.Hour
	default:
		return time.Time{}, fmt.Errorf("expiry %q: the unit must be h, d or w", s)
	}
	return now.Add(time.Duration(n) * unit), nil
}

// AddToken adds e to the tokens file at path, creating the file (mode
// 0600) if it does not exist. The comments and layout of the rest of the
// file are kept. The file is replaced atomically; it is not locked, so
// two concurrent edits may lose one of them.
func AddToken(path string, e TokenEntry) error {
	return editTokensFile(path, true, func(f *TokensFile, doc *yaml.Node) error {
		f.Tokens = append(f.Tokens, e)
		if err := f.Validate(); err != nil {
			return err
		}
		var n yaml.Node
		if err := n.Encode(e.yaml()); err != nil {
			return err
		}
		seq := tokensSequence(doc, true)
		seq.Content = append(seq.Content, &n)
		return nil
	})
}

// RemoveToken removes the token entry called name from the tokens file at
// path, revoking the token at the hub's next Reload.
func RemoveToken(path, name string) error {
	return editTokensFile(path, false, func(f *TokensFile, doc *yaml.Node) error {
		i := slices.IndexFunc(f.Tokens, func(t TokenEntry) bool { return t.Name == name })
		if i < 0 {
			return fmt.Errorf("no token called %q", name)
		}
		f.Tokens = slices.Delete(f.Tokens, i, i+1)
		seq := tokensSequence(doc, false)
		// ParseTokensFile decoded the sequence in order, so entry i is
		// node i.
		seq.Content = slices.Delete(seq.Content, i, i+1)
		return nil
	})
}

// editTokensFile applies edit to both the parsed file and its YAML tree,
// writes the tree back and checks that it parses to what edit made.
func editTokensFile(path string, create bool, edit func(*TokensFile, *yaml.Node) error) error {
	b, err := certs.ReadSecretFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && create:
		b = []byte(newTokensFileHeader)
	case err != nil:
		return fmt.Errorf("edit tokens file: %w", err)
	}
	f, err := ParseTokensFile(b)
	if err != nil {
		return fmt.Errorf("edit %s: %w", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("edit %s: %w", path, err)
	}
	if err := edit(f, &doc); err != nil {
		return fmt.Errorf("edit %s: %w", path, err)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("edit %s: %w", path, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("edit %s: %w", path, err)
	}
	out := buf.Bytes()
	check, err := ParseTokensFile(out)
	if err != nil {
		return fmt.Errorf("edit %s: the edited file does not parse: %w", path, err)
	}
	if !sameTokensFile(check, f) {
		return fmt.Errorf("edit %s: the edited file does not say what was meant; edit it by hand", path)
	}
	if err := certs.WriteFileAtomic(path, out, 0o600); err != nil {
		return fmt.Errorf("edit tokens file: %w", err)
	}
	return nil
}

const newTokensFileHeader = `# thbx-hub tokens file: API tokens (by their SHA-256 only) and client
# certificates, with what each may do. Keep it mode 0600.
version: 1
`

// tokensSequence finds the sequence under the top-level "tokens" key,
// adding an empty one if add is set and there is none.
func tokensSequence(doc *yaml.Node, add bool) *yaml.Node {
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "tokens" {
			seq := root.Content[i+1]
			if seq.Kind != yaml.SequenceNode {
				// "tokens:" with nothing after it is null.
				*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			}
			return seq
		}
	}
	if !add {
		return &yaml.Node{Kind: yaml.SequenceNode}
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	root.Content = append(root.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "tokens"}, seq)
	return seq
}

// sameTokensFile compares two files through their canonical encoding.
func sameTokensFile(a, b *TokensFile) bool {
	x, errA := a.Marshal()
	y, errB := b.Marshal()
	return errA == nil && errB == nil && bytes.Equal(x, y)
}
