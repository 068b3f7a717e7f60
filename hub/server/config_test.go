package server

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission/dropbox"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestValidateDefaults(t *testing.T) {
	c := Config{Keys: "keys", Store: "hub.db"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.PollInterval != "10s" || c.MaxPayloadBytes != 0 || c.AuditLog != "audit.jsonl" {
		t.Fatalf("defaults %+v", c)
	}
	c = Config{Keys: "keys", Store: "hub.db", Listen: "127.0.0.1:9000", PollInterval: "100ms"}
	if err := c.Validate(); err != nil || c.Listen != "127.0.0.1:9000" || c.PollInterval != "100ms" {
		t.Fatalf("explicit values: %+v %v", c, err)
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   []string
	}{
		{"no keys", func(c *Config) { c.Keys = "" }, []string{"keys: name the hub's key directory", "THBX_HUB_KEYS"}},
		{"no store", func(c *Config) { c.Store = "" }, []string{"store: name the SQLite database file", "THBX_HUB_STORE"}},
		{"poll too often", func(c *Config) { c.PollInterval = "99ms" }, []string{`poll_interval "99ms": want a duration of at least 100ms`}},
		{"poll not a duration", func(c *Config) { c.PollInterval = "10" }, []string{`poll_interval "10"`}},
		{"poll negative", func(c *Config) { c.PollInterval = "-10s" }, []string{`poll_interval "-10s"`}},
		{"policy digest not hex", func(c *Config) { c.PolicySHA256 = strings.Repeat("g", 64) }, []string{"policy_sha256: want the 64 lower-case hex digits"}},
		{"policy digest short", func(c *Config) { c.PolicySHA256 = strings.Repeat("a", 62) }, []string{"policy_sha256"}},
		{"policy without digest", func(c *Config) { c.Policy = "policy.yaml" }, []string{"policy_sha256: name the policy file's SHA-256"}},
		{"tls key without cert", func(c *Config) { c.TLS.Key = "k.pem" }, []string{"tls: give both cert and key"}},
		{"plain http off loopback", func(c *Config) { c.Listen = ":8080" }, []string{"listen :8080: serving tokens and records in plain HTTP off loopback"}},
		{"plain http on all addresses", func(c *Config) { c.Listen = "0.0.0.0:8080" }, []string{"set tls.cert and tls.key, or allow_plain_http"}},
		{"policy digest with trust", func(c *Config) {
			c.Trust.Root, c.Trust.Bundle, c.PolicySHA256 = "root.json", "bundle.json", strings.Repeat("a", 64)
		}, []string{"leave policy_sha256 out"}},
		{"tls client ca alone", func(c *Config) { c.TLS.ClientCA = "ca.pem" }, []string{"tls: give both cert and key"}},
		{"oidc without audience", func(c *Config) { c.Auth.OIDC = &OIDCConfig{Issuer: "https://id.example.org"} }, []string{"auth.oidc: name the issuer and the audience"}},
		{"everything", func(c *Config) { *c = Config{PollInterval: "1ms", PolicySHA256: "x"} },
			[]string{"keys:", "store:", "poll_interval", "policy_sha256"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Config{Keys: "keys", Store: "hub.db"}
			tt.change(&c)
			err := c.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// A policy with its digest validates; with a trust bundle the bundle's
// digest is the one checked, so none need be configured.
func TestValidatePolicy(t *testing.T) {
	c := Config{Keys: "keys", Store: "hub.db", Policy: "policy.yaml", PolicySHA256: strings.Repeat("ab", 32)}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c = Config{Keys: "keys", Store: "hub.db", Policy: "policy.yaml", Trust: agent.TrustFiles{Root: "root.json", Bundle: "bundle.json"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

// A negative max_payload_bytes in the file is as wrong as in the
// environment, where it is refused.
func TestValidateRefusesNegativeMaxPayload(t *testing.T) {
	c := Config{Keys: "keys", Store: "hub.db", MaxPayloadBytes: -1}
	if err := c.Validate(); err == nil {
		t.Fatal("Validate accepts max_payload_bytes: -1")
	}
}

func TestApplyEnv(t *testing.T) {
	base := Config{Keys: "k", Store: "s", Listen: "l", PollInterval: "1m", MaxPayloadBytes: 7,
		Auth: AuthConfig{TokensFile: "tokens.yaml"}, Dropbox: dropbox.Config{Type: "dir", Dir: "box"}}
	c := base
	if err := c.ApplyEnv(env(nil)); err != nil || c.Keys != "k" || c.MaxPayloadBytes != 7 || c.Auth.TokensFile != "tokens.yaml" || c.Dropbox != base.Dropbox {
		t.Fatalf("no variables: %+v %v", c, err)
	}

	c = base
	err := c.ApplyEnv(env(map[string]string{
		"THBX_HUB_KEYS": "/keys", "THBX_HUB_STORE": "/hub.db", "THBX_HUB_LISTEN": "0.0.0.0:80",
		"THBX_HUB_POLL_INTERVAL": "30s", "THBX_HUB_MAX_PAYLOAD_BYTES": "1048576", "THBX_HUB_TOKENS": "/etc/thbx/tokens.yaml",
		"THBX_HUB_POLICY": "/etc/thbx/policy.yaml", "THBX_HUB_POLICY_SHA256": strings.Repeat("0", 64),
		"THBX_DROPBOX": "s3", "THBX_S3_ENDPOINT": "s3.example.org", "THBX_S3_INSECURE": "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Keys != "/keys" || c.Store != "/hub.db" || c.Listen != "0.0.0.0:80" || c.PollInterval != "30s" || c.MaxPayloadBytes != 1<<20 {
		t.Fatalf("config %+v", c)
	}
	if c.Dropbox.Type != "s3" || c.Dropbox.Endpoint != "s3.example.org" || !c.Dropbox.Insecure || c.Dropbox.Dir != "box" {
		t.Fatalf("dropbox %+v", c.Dropbox)
	}
	if c.Auth.TokensFile != "/etc/thbx/tokens.yaml" || c.Policy != "/etc/thbx/policy.yaml" || c.PolicySHA256 != strings.Repeat("0", 64) {
		t.Fatalf("access settings %+v %q %q", c.Auth, c.Policy, c.PolicySHA256)
	}
	c.AllowPlainHTTP = true // 0.0.0.0, behind a TLS proxy
	if err := c.Validate(); err != nil {
		t.Fatalf("after Validate: %v", err)
	}

	for _, v := range []string{"abc", "0", "-1", "1.5", "1e6", " 10", "9223372036854775808"} {
		c := base
		err := c.ApplyEnv(env(map[string]string{"THBX_HUB_MAX_PAYLOAD_BYTES": v}))
		if err == nil || !strings.Contains(err.Error(), "THBX_HUB_MAX_PAYLOAD_BYTES=") || !strings.Contains(err.Error(), "want a positive number of bytes") {
			t.Errorf("THBX_HUB_MAX_PAYLOAD_BYTES=%q: %v", v, err)
		}
		if c.MaxPayloadBytes != 7 {
			t.Errorf("THBX_HUB_MAX_PAYLOAD_BYTES=%q changed the limit to %d", v, c.MaxPayloadBytes)
		}
	}
	c = base
	if err := c.ApplyEnv(env(map[string]string{"THBX_S3_INSECURE": "maybe"})); err == nil || !strings.Contains(err.Error(), "THBX_S3_INSECURE") {
		t.Fatalf("THBX_S3_INSECURE=maybe: %v", err)
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "etc", "thbx-hub.yaml")
	writeFile(t, path, `keys: keys
store: /var/lib/thbx/hub.db
listen: 127.0.0.1:9090
poll_interval: 30s
max_payload_bytes: 1048576
auth:
  tokens_file: tokens.yaml
policy: policy.yaml
policy_sha256: `+strings.Repeat("ab", 32)+`
dropbox:
  type: dir
  dir: ../dropbox
  ca_file: ca.pem
`, 0o644)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	etc := filepath.Join(dir, "etc")
	if c.Keys != filepath.Join(etc, "keys") || c.Store != "/var/lib/thbx/hub.db" || c.Listen != "127.0.0.1:9090" ||
		c.PollInterval != "30s" || c.MaxPayloadBytes != 1<<20 || c.Auth.TokensFile != filepath.Join(etc, "tokens.yaml") ||
		c.Policy != filepath.Join(etc, "policy.yaml") {
		t.Fatalf("config %+v", c)
	}
	if c.Dropbox.Dir != filepath.Join(dir, "dropbox") || c.Dropbox.CAFile != filepath.Join(etc, "ca.pem") {
		t.Fatalf("dropbox %+v", c.Dropbox)
	}

	writeFile(t, path, "keys: keys\nstore: hub.db\n", 0o644)
	if c, err := LoadConfig(path); err != nil || c.Store != filepath.Join(etc, "hub.db") {
		t.Fatalf("relative store: %+v %v", c, err)
	}
}

func TestLoadConfigRefusesUnknownKeys(t *testing.T) {
	for _, text := range []string{
		"keys: k\nstore: s\napi_token: thbx_plain\n",
		"keys: k\nstore: s\npoll-interval: 10s\n",
		"keys: k\ndropbox:\n  type: dir\n  directory: box\n",
	} {
		path := filepath.Join(t.TempDir(), "hub.yaml")
		writeFile(t, path, text, 0o600)
		if _, err := LoadConfig(path); err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("LoadConfig(%q) = %v, want an unknown-field error", text, err)
		}
	}
}

func TestLoadConfigSecretFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not show Windows ACLs")
	}
	const text = "keys: k\nstore: s\ndropbox:\n  type: s3\n  endpoint: s3.example.org\n  access_key: hub\n  secret_key: hub-secret\n"
	path := filepath.Join(t.TempDir(), "hub.yaml")
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		writeFile(t, path, text, mode)
		_, err := LoadConfig(path)
		if !errors.Is(err, certs.ErrInsecureKeyFile) || !strings.Contains(err.Error(), "THBX_S3_SECRET_KEY") {
			t.Errorf("mode %04o: %v, want ErrInsecureKeyFile with a hint", mode, err)
		}
	}
	writeFile(t, path, text, 0o600)
	c, err := LoadConfig(path)
	if err != nil || c.Dropbox.SecretKey != "hub-secret" {
		t.Fatalf("mode 0600: %+v %v", c.Dropbox, err)
	}
}
