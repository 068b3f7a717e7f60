package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/thbx/thbx/hub/auth"
	"github.com/thbx/thbx/hub/auth/authtest"
	"github.com/thbx/thbx/hub/server"
	"github.com/thbx/thbx/policy"
)

// TestServeTLS serves the API as the config says, over TLS with client
// certificates required: an officer's certificate named in the tokens
// file reads the submissions, a certificate of the same CA not named
// there is refused with 401, and a client without a certificate, or
// speaking plain HTTP, gets no answer.
func TestServeTLS(t *testing.T) {
	x := newHubWorld(t)
	dir := t.TempDir()
	now := time.Now()
	serverCA, clientCA := authtest.NewCA(t, "hub CA"), authtest.NewCA(t, "clients CA")
	hubCert := serverCA.Issue(t, "hub", true, now.Add(-time.Hour), now.Add(time.Hour))
	officer := clientCA.Issue(t, "officer-laptop", false, now.Add(-time.Hour), now.Add(time.Hour))
	stranger := clientCA.Issue(t, "stranger", false, now.Add(-time.Hour), now.Add(time.Hour))
	write := func(name, data string, mode os.FileMode) string {
		path := filepath.Join(dir, name)
		must(t, os.WriteFile(path, []byte(data), mode))
		return path
	}
	x.cfg.TLS = server.TLSConfig{Cert: write("hub.crt", hubCert.CertPEM, 0o644), Key: write("hub.key", hubCert.KeyPEM, 0o600),
		ClientCA: write("clients-ca.crt", clientCA.PEM, 0o644), RequireClientCert: true}
	pol := []byte("version: thbx-policy/1\nrules:\n  - {id: officers, effect: allow, roles: [security_officer], actions: [read_submissions]}\n")
	x.cfg.Policy = write("policy.yaml", string(pol), 0o644)
	x.cfg.PolicySHA256 = policy.Digest(pol)
	tokens := &auth.TokensFile{Clients: []auth.ClientEntry{{Name: "officer-laptop", SPKISHA256: officer.SPKI(),
		Roles: []string{auth.RoleSecurityOfficer}, Expires: now.Add(time.Hour)}}}
	b, err := tokens.Marshal()
	must(t, err)
	x.cfg.Auth.TokensFile = write("tokens.yaml", string(b), 0o600)
	h := x.open()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	base := "https://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(x.ctx)
	errc := make(chan error, 1)
	go func() { errc <- h.Serve(ctx, ln) }()
	defer func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Serve did not return")
		}
	}()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM([]byte(serverCA.PEM))
	client := func(cert *authtest.Leaf) *http.Client {
		cfg := &tls.Config{RootCAs: roots}
		if cert != nil {
			cfg.Certificates = []tls.Certificate{cert.TLS}
		}
		return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
	}
	status := func(c *http.Client, url string) (int, error) {
		resp, err := c.Get(url)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	// The listener is up before Serve: wait for the first answer.
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, err := status(client(officer), base+"/api/v1/submissions")
		if err == nil {
			if code != http.StatusOK {
				t.Fatalf("officer's certificate: %d, want 200", code)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no TLS answer: %v\n%s", err, x.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, err := status(client(stranger), base+"/api/v1/submissions"); err != nil || code != http.StatusUnauthorized {
		t.Errorf("a certificate not in the tokens file: %d, %v; want 401", code, err)
	}
	if code, err := status(client(nil), base+"/healthz"); err == nil {
		t.Errorf("no client certificate: answered %d", code)
	}
	if code, err := status(&http.Client{Timeout: 5 * time.Second}, "http://"+ln.Addr().String()+"/healthz"); err == nil && code < 400 {
		t.Errorf("plain HTTP: answered %d", code)
	}
}
