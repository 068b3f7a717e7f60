package auth

import (
	"errors"
	"io"
	"net/http"
)

// limitedClient returns a copy of c (or of a default client) whose
// responses are cut off after maxIssuerResponse bytes, so that an issuer
// cannot exhaust the hub's memory: go-oidc reads whole bodies.
func limitedClient(c *http.Client) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	} else {
		cp.Timeout = defaultHTTPTimeout
	}
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = limitTransport{base: base, limit: maxIssuerResponse}
	return &cp
}

type limitTransport struct {
	base  http.RoundTripper
	limit int64
}

func (t limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.limit}
	return resp, nil
}

// limitedBody fails a read past its limit instead of ending quietly, so
// a cut-off document is an error rather than truncated JSON that might
// still parse.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

var errResponseTooLarge = errors.New("response from the issuer too large")

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errResponseTooLarge
	}
	// Asking for one byte more than is left tells a body of exactly the
	// limit from a larger one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	if int64(n) > b.left {
		b.left = -1
		return 0, errResponseTooLarge
	}
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
