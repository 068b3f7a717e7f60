package auth_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/auth"
)

// tlsSetup is a hub TLS server's files and the certificates of its
// clients, all valid around the real time.
type tlsSetup struct {
	now                         time.Time
	serverCA, clientCA, otherCA *pki
	server                      *leaf
	byKey, bySubject, unmapped  *leaf
	foreign                     *leaf // from otherCA, mapped by key
	certFile, keyFile, caFile   string
	tokensFile, apiToken        string
}

func newTLSSetup(t *testing.T) *tlsSetup {
	t.Helper()
	now := time.Now()
	s := &tlsSetup{now: now, serverCA: newCA(t, "server CA"), clientCA: newCA(t, "client CA"), otherCA: newCA(t, "other CA")}
	from, until := now.Add(-time.Hour), now.Add(12*time.Hour)
	s.server = s.serverCA.Issue(t, "hub", true, from, until)
	s.byKey = s.clientCA.Issue(t, "export-job", false, from, until)
	s.bySubject = s.clientCA.Issue(t, "auditor-1", false, from, until)
	s.unmapped = s.clientCA.Issue(t, "stranger", false, from, until)
	s.foreign = s.otherCA.Issue(t, "export-job", false, from, until)

	dir := t.TempDir()
	s.certFile, s.keyFile, s.caFile = dir+"/hub.crt", dir+"/hub.key", dir+"/clients-ca.crt"
	for path, data := range map[string]string{s.certFile: s.server.CertPEM, s.caFile: s.clientCA.PEM} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(s.keyFile, []byte(s.server.KeyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	token, entry := testToken(t, "svc", now.Add(time.Hour), auth.ScopeExport)
	s.apiToken = token
	f := &auth.TokensFile{
		Tokens: []auth.TokenEntry{entry},
		Clients: []auth.ClientEntry{
			{Name: "export-job", SPKISHA256: s.byKey.SPKI(), Roles: []string{auth.RoleService},
				Scopes: []string{auth.ScopeExport}, Expires: now.Add(time.Hour)},
			{Name: "foreign", SPKISHA256: s.foreign.SPKI(), Roles: []string{auth.RoleService}, Expires: now.Add(time.Hour)},
			{Name: "auditor-1", Subject: s.bySubject.Cert.Subject.String(), Roles: []string{auth.RoleAuditor}, Expires: now.Add(time.Hour)},
		},
	}
	s.tokensFile = writeFile(t, "tokens.yaml", marshal(t, f), 0o600)
	return s
}

// start serves, over TLS configured by cfg, a handler that answers with
// the identity Authenticate finds or 401 and the reason.
func (s *tlsSetup) start(t *testing.T, cfg auth.TLSConfig) *httptest.Server {
	t.Helper()
	tlsCfg, err := auth.ServerTLS(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{TokensFile: s.tokensFile, Now: newClockAt(s.now).Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := a.Authenticate(r)
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			for _, sentinel := range []error{auth.ErrNoCredentials, auth.ErrInvalidToken, auth.ErrUnknownClient, auth.ErrExpired} {
				if errors.Is(err, sentinel) {
					fmt.Fprint(w, sentinel)
				}
			}
			return
		}
		fmt.Fprintf(w, "%s %s", id.Kind, id.Name)
	}))
	srv.TLS = tlsCfg
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// client returns a client trusting the server CA, presenting cert (if
// any), with modify applied to its TLS configuration.
func (s *tlsSetup) client(t *testing.T, cert *leaf, modify ...func(*tls.Config)) *http.Client {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(s.serverCA.Cert)
	cfg := &tls.Config{RootCAs: roots}
	if cert != nil {
		// Certificates would let Go's client leave out a certificate whose
		// CA the server did not ask for; an attacker sends it anyway.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert.TLS, nil }
	}
	for _, m := range modify {
		m(cfg)
	}
	tr := &http.Transport{TLSClientConfig: cfg}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// get returns the status and body, or the error of the request.
func get(c *http.Client, url string, bearer string) (int, string, *tls.ConnectionState, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", nil, err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.TLS, err
}

// expect asks url and fails unless the answer is status and body, or,
// for status 0, unless the connection fails; it returns the connection's
// TLS state when there was one.
func expect(t *testing.T, c *http.Client, url, bearer string, status int, body string) *tls.ConnectionState {
	t.Helper()
	got, gotBody, state, err := get(c, url, bearer)
	if status == 0 {
		if err == nil {
			t.Fatalf("connected: %d %s", got, gotBody)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if got != status || gotBody != body {
		t.Fatalf("%d %q, want %d %q", got, gotBody, status, body)
	}
	return state
}

func TestServerTLSRequireClientCert(t *testing.T) {
	s := newTLSSetup(t)
	srv := s.start(t, auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile, ClientCAFile: s.caFile, RequireClientCert: true})
	tests := []struct {
		name   string
		cert   *leaf
		status int // 0: the handshake fails
		body   string
	}{
		{"mapped by key", s.byKey, 200, "client_cert export-job"},
		{"mapped by subject", s.bySubject, 200, "client_cert auditor-1"},
		{"not mapped", s.unmapped, 401, auth.ErrUnknownClient.Error()},
		{"no certificate", nil, 0, ""},
		// Its key is in the tokens file, but TLS refuses it first.
		{"from another CA", s.foreign, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state := expect(t, s.client(t, tt.cert), srv.URL, "", tt.status, tt.body)
			if state != nil && state.Version != tls.VersionTLS13 {
				t.Fatalf("TLS version %x, want 1.3", state.Version)
			}
		})
	}
}

// With client certificates optional, clients may use a bearer token
// instead; a certificate given must still verify, and a bearer token
// given decides even next to a good certificate.
func TestServerTLSOptionalClientCert(t *testing.T) {
	s := newTLSSetup(t)
	srv := s.start(t, auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile, ClientCAFile: s.caFile})
	tests := []struct {
		name   string
		cert   *leaf
		bearer string
		status int
		body   string
	}{
		{"nothing", nil, "", 401, auth.ErrNoCredentials.Error()},
		{"API token", nil, s.apiToken, 200, "token svc"},
		{"certificate", s.byKey, "", 200, "client_cert export-job"},
		{"certificate and token", s.byKey, s.apiToken, 200, "token svc"},
		{"certificate and bad token", s.byKey, "thbx_" + strings.Repeat("x", 43), 401, auth.ErrInvalidToken.Error()},
		{"certificate from another CA", s.foreign, "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expect(t, s.client(t, tt.cert), srv.URL, tt.bearer, tt.status, tt.body)
		})
	}
}

// Without a client CA, certificates count for nothing: a client's
// certificate is not even asked for.
func TestServerTLSWithoutClientCA(t *testing.T) {
	s := newTLSSetup(t)
	srv := s.start(t, auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile})
	status, body, _, err := get(s.client(t, s.byKey), srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	if status != 401 || body != auth.ErrNoCredentials.Error() {
		t.Fatalf("%d %q", status, body)
	}
}

func TestServerTLSVersions(t *testing.T) {
	s := newTLSSetup(t)
	srv := s.start(t, auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile})
	tls12 := func(c *tls.Config) { c.MaxVersion = tls.VersionTLS12 }
	_, _, state, err := get(s.client(t, nil, tls12), srv.URL, s.apiToken)
	if err != nil {
		t.Fatal(err)
	}
	if state.Version != tls.VersionTLS12 || !strings.Contains(tls.CipherSuiteName(state.CipherSuite), "ECDHE") {
		t.Fatalf("TLS %x with %s", state.Version, tls.CipherSuiteName(state.CipherSuite))
	}
	refused := map[string]func(*tls.Config){
		"TLS 1.1": func(c *tls.Config) { c.MinVersion, c.MaxVersion = tls.VersionTLS10, tls.VersionTLS11 },
		"CBC suite": func(c *tls.Config) {
			c.MaxVersion = tls.VersionTLS12
			c.CipherSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}
		},
	}
	for name, modify := range refused {
		if _, _, _, err := get(s.client(t, nil, modify), srv.URL, ""); err == nil {
			t.Errorf("%s: connected", name)
		}
	}
}

func TestServerTLSRefusesBadFiles(t *testing.T) {
	skipOnWindows(t)
	s := newTLSSetup(t)
	other := s.serverCA.Issue(t, "hub", true, s.now.Add(-time.Hour), s.now.Add(time.Hour))
	dir := t.TempDir()
	write := func(name, data string, mode os.FileMode) string {
		path := dir + "/" + name
		if err := os.WriteFile(path, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	readableKey := write("readable.key", s.server.KeyPEM, 0o644)
	otherKey := write("other.key", other.KeyPEM, 0o600)
	emptyCA := write("empty-ca.crt", "not a certificate\n", 0o644)
	writableCA := write("writable-ca.crt", s.clientCA.PEM, 0o666)
	tests := []struct {
		name string
		cfg  auth.TLSConfig
		want error
	}{
		{"no files", auth.TLSConfig{}, nil},
		{"key readable by others", auth.TLSConfig{CertFile: s.certFile, KeyFile: readableKey}, certs.ErrInsecureKeyFile},
		{"key of another certificate", auth.TLSConfig{CertFile: s.certFile, KeyFile: otherKey}, nil},
		{"missing certificate", auth.TLSConfig{CertFile: dir + "/missing.crt", KeyFile: s.keyFile}, os.ErrNotExist},
		{"required without a CA", auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile, RequireClientCert: true}, nil},
		{"CA file without certificates", auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile, ClientCAFile: emptyCA}, nil},
		{"CA file writable by others", auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile, ClientCAFile: writableCA}, certs.ErrWritableByOthers},
	}
	for _, tt := range tests {
		_, err := auth.ServerTLS(tt.cfg)
		if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
	}
	cfg, err := auth.ServerTLS(auth.TLSConfig{CertFile: s.certFile, KeyFile: s.keyFile, ClientCAFile: s.caFile, RequireClientCert: true})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinVersion != tls.VersionTLS12 || cfg.ClientAuth != tls.RequireAndVerifyClientCert || cfg.ClientCAs == nil {
		t.Fatalf("config %+v", cfg)
	}
}

// LookupCert refuses a mapping past its expiry or the certificate's, and
// a certificate not yet valid; the identity expires with the earlier.
func TestLookupCertExpiry(t *testing.T) {
	ca := newCA(t, "client CA")
	cert := ca.Issue(t, "job", false, t0.Add(-time.Hour), t0.Add(time.Hour))
	clk := newClock()
	tokens, err := auth.NewTokens(&auth.TokensFile{Clients: []auth.ClientEntry{
		{Name: "job", SPKISHA256: cert.SPKI(), Roles: []string{auth.RoleService}, Expires: t0.Add(2 * time.Hour)},
	}}, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	id, err := tokens.LookupCert(cert.Cert)
	if err != nil {
		t.Fatal(err)
	}
	if !id.Expires.Equal(cert.Cert.NotAfter) || id.Kind != auth.KindClientCert || id.Issuer != ca.Cert.Subject.String() {
		t.Fatalf("identity %+v", id)
	}
	clk.Advance(time.Hour)
	_, err = tokens.LookupCert(cert.Cert)
	wantErr(t, err, auth.ErrExpired)

	early := newClockAt(t0.Add(-2 * time.Hour))
	tokens, _ = auth.NewTokens(&auth.TokensFile{Clients: []auth.ClientEntry{
		{Name: "job", SPKISHA256: cert.SPKI(), Roles: []string{auth.RoleService}, Expires: t0.Add(2 * time.Hour)},
	}}, early.Now)
	_, err = tokens.LookupCert(cert.Cert)
	wantErr(t, err, auth.ErrInvalidToken)
}
