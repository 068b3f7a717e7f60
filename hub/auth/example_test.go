package auth_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/thbx/thbx/hub/auth"
)

// MintToken makes the token, shown once to whoever runs the service
// account, and the entry for the tokens file, which holds only its hash.
// Production code passes nil for crypto/rand.
func ExampleMintToken() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	expires, err := auth.ParseExpiry("90d", now)
	if err != nil {
		panic(err)
	}
	token, entry, err := auth.MintToken(bytes.NewReader(make([]byte, 32)), now, auth.TokenEntry{
		Name:    "stats-office",
		Scopes:  []string{auth.ScopeReadAggregates},
		Expires: expires,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(token)
	file, err := (&auth.TokensFile{Tokens: []auth.TokenEntry{entry}}).Marshal()
	if err != nil {
		panic(err)
	}
	fmt.Print(string(file))
	// Output:
	// thbx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
	// version: 1
	// tokens:
	//   - name: stats-office
	//     sha256: a2f4df6d451b4f74f9c4d279ed61c9907e01ce505c242f5c75131492b9fd7a30
	//     roles: [service]
	//     scopes: [read_aggregates]
	//     expires: "2026-05-30T12:00:00Z"
}

// An Authenticator tells who made a request; the caller shows a refused
// client only "unauthorized" and logs the reason.
func ExampleAuthenticator_Authenticate() {
	dir, err := os.MkdirTemp("", "thbx-auth-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tokens.yaml")
	now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	token, entry, err := auth.MintToken(nil, now(), auth.TokenEntry{
		Name: "nightly-export", Scopes: []string{auth.ScopeExport}, Expires: now().Add(24 * time.Hour),
	})
	if err != nil {
		panic(err)
	}
	if err := auth.AddToken(path, entry); err != nil {
		panic(err)
	}
	a, err := auth.New(auth.Config{TokensFile: path, Now: now})
	if err != nil {
		panic(err)
	}

	r := httptest.NewRequest("GET", "/api/v1/submissions", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	id, err := a.Authenticate(r)
	fmt.Println(id.Kind, id.Name, id.Scopes, err)

	r.Header.Set("Authorization", "Bearer thbx_not-a-token-the-hub-ever-made-0123456789")
	_, err = a.Authenticate(r)
	fmt.Println(errors.Is(err, auth.ErrInvalidToken))
	// Output:
	// token nightly-export [export] <nil>
	// true
}
