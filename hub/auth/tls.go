package auth

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/thbx/thbx/certs"
)

// TLSConfig names the files of the hub's TLS server. CertFile and KeyFile
// are required.
type TLSConfig struct {
	// CertFile holds the server certificate chain, PEM, leaf first.
	CertFile string
	// KeyFile holds its private key, PEM; it must be mode 0600.
	KeyFile string
	// ClientCAFile, when set, holds the CA certificates (PEM) that client
	// certificates must chain to. A client that presents a certificate
	// that does not chain to one of them is refused in the handshake.
	ClientCAFile string
	// RequireClientCert refuses, in the handshake, clients without a
	// certificate. Without it a certificate is verified if given, and
	// clients may authenticate with a bearer token instead.
	RequireClientCert bool
}

// ServerTLS returns the TLS configuration of the hub's server: TLS 1.2 at
// least (1.3 when the client offers it, as Go prefers it), forward-secret
// AEAD cipher suites only for 1.2, and client certificates verified
// against ClientCAFile when it is set.
func ServerTLS(cfg TLSConfig) (*tls.Config, error) {
	if cfg.CertFile == "" || cfg.KeyFile == "" {
		return nil, errors.New("tls: a certificate and a key file are required")
	}
	certPEM, err := os.ReadFile(cfg.CertFile)
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	keyPEM, err := certs.ReadSecretFile(cfg.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("tls: %s and %s: %w", cfg.CertFile, cfg.KeyFile, err)
	}
	c := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		// TLS 1.3 suites are not configurable and all good; these are the
		// TLS 1.2 ones with ECDHE and an AEAD.
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		},
	}
	switch {
	case cfg.ClientCAFile != "":
		// Whoever can write the CA file chooses who gets in.
		caPEM, err := certs.ReadTrustFile(cfg.ClientCAFile)
		if err != nil {
			return nil, fmt.Errorf("tls: client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, fmt.Errorf("tls: client CA: no certificate in %s", cfg.ClientCAFile)
		}
		c.ClientCAs = pool
		c.ClientAuth = tls.VerifyClientCertIfGiven
		if cfg.RequireClientCert {
			c.ClientAuth = tls.RequireAndVerifyClientCert
		}
	case cfg.RequireClientCert:
		return nil, errors.New("tls: client certificates required, but no client CA file given")
	}
	return c, nil
}
