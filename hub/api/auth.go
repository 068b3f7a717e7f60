package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// TokenPrefix starts every token NewToken makes, so that a leaked token
// is recognisable to secret scanners.
const TokenPrefix = "thbx_"

// HashToken returns the SHA-256 of a bearer token, the form in which
// Config.TokenHashes holds accepted tokens.
func HashToken(token string) [32]byte {
	return sha256.Sum256([]byte(token))
}

// NewToken returns a new bearer token: TokenPrefix and 32 bytes read from
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

// clientKey is where requireToken leaves the client's fingerprint for
// the request log.
const clientKey = "thbx.client"

var (
	errNoToken  = errors.New("no bearer token")
	errBadToken = errors.New("bearer token not accepted")
)

// requireToken lets a request for a path under /api/ through only with
// an accepted bearer token. Both the request path and the matched route
// are checked, so that no spelling of a path reaches an /api/ route
// unauthenticated.
func (h *handlers) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !underAPI(c.Request().URL.Path) && !underAPI(c.Path()) {
			return next(c)
		}
		token, ok := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
		if !ok {
			return &clientError{status: http.StatusUnauthorized, cause: errNoToken}
		}
		sum := HashToken(token)
		if !h.accepted(sum) {
			return &clientError{status: http.StatusUnauthorized, cause: errBadToken}
		}
		c.Set(clientKey, fingerprint(sum))
		return next(c)
	}
}

func underAPI(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/")
}

// accepted compares sum with every accepted hash, so the time taken does
// not tell which, if any, matched.
func (h *handlers) accepted(sum [32]byte) bool {
	match := 0
	for i := range h.cfg.TokenHashes {
		match |= subtle.ConstantTimeCompare(sum[:], h.cfg.TokenHashes[i][:])
	}
	return match == 1
}

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// header; the scheme is case-insensitive (RFC 9110, section 11.1).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// fingerprint names a client in the log without revealing its token: a
// prefix of a hash of 256 random bits cannot be reversed.
func fingerprint(sum [32]byte) string {
	return hex.EncodeToString(sum[:6])
}
