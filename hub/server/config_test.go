package server

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/api"
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

func hexHash(token string) string {
	sum := api.HashToken(token)
	return hex.EncodeToString(sum[:])
}

func TestValidateDefaults(t *testing.T) {
	c := Config{Keys: "keys", Store: "hub.db"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.PollInterval != "10s" || c.MaxPayloadBytes != 0 || len(c.tokens) != 0 {
		t.Fatalf("defaults %+v", c)
	}
	c = Config{Keys: "keys", Store: "hub.db", Listen: ":9000", PollInterval: "100ms"}
	if err := c.Validate(); err != nil || c.Listen != ":9000" || c.PollInterval != "100ms" {
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
		{"token not hex", func(c *Config) { c.APITokenSHA256 = []string{"thbx_secret"} }, []string{`api_token_sha256: "thbx_secret" is not 64 hex digits`}},
		{"token short", func(c *Config) { c.APITokenSHA256 = []string{strings.Repeat("a", 62)} }, []string{"is not 64 hex digits"}},
		{"token long", func(c *Config) { c.APITokenSHA256 = []string{strings.Repeat("a", 66)} }, []string{"is not 64 hex digits"}},
		{"everything", func(c *Config) { *c = Config{PollInterval: "1ms", APITokenSHA256: []string{"x"}} },
			[]string{"keys:", "store:", "poll_interval", "api_token_sha256"}},
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

func TestValidateTokenHashes(t *testing.T) {
	good := hexHash("thbx_one")
	c := Config{Keys: "keys", Store: "hub.db", APITokenSHA256: []string{good, strings.ToUpper(hexHash("thbx_two"))}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := [][32]byte{api.HashToken("thbx_one"), api.HashToken("thbx_two")}
	if !slices.Equal(c.tokens, want) {
		t.Fatalf("tokens %x, want %x", c.tokens, want)
	}
	// A bad hash is reported and the good ones still count.
	c = Config{Keys: "keys", Store: "hub.db", APITokenSHA256: []string{"nope", good}}
	if err := c.Validate(); err == nil || len(c.tokens) != 1 || c.tokens[0] != api.HashToken("thbx_one") {
		t.Fatalf("tokens %x, err %v", c.tokens, err)
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
		APITokenSHA256: []string{hexHash("thbx_file")}, Dropbox: dropbox.Config{Type: "dir", Dir: "box"}}
	c := base
	c.APITokenSHA256 = slices.Clone(base.APITokenSHA256)
	if err := c.ApplyEnv(env(nil)); err != nil || c.Keys != "k" || c.MaxPayloadBytes != 7 || len(c.tokens) != 0 || c.Dropbox != base.Dropbox {
		t.Fatalf("no variables: %+v %v", c, err)
	}

	c = base
	const token = "thbx_from-the-environment"
	err := c.ApplyEnv(env(map[string]string{
		"THBX_HUB_KEYS": "/keys", "THBX_HUB_STORE": "/hub.db", "THBX_HUB_LISTEN": "0.0.0.0:80",
		"THBX_HUB_POLL_INTERVAL": "30s", "THBX_HUB_MAX_PAYLOAD_BYTES": "1048576", "THBX_API_TOKEN": token,
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
	// The token is kept hashed only; the file's hashes stay as they are.
	if !slices.Equal(c.tokens, [][32]byte{api.HashToken(token)}) || !slices.Equal(c.APITokenSHA256, base.APITokenSHA256) {
		t.Fatalf("tokens %x, api_token_sha256 %v", c.tokens, c.APITokenSHA256)
	}
	if err := c.Validate(); err != nil || len(c.tokens) != 2 {
		t.Fatalf("after Validate: tokens %x, err %v", c.tokens, err)
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
api_token_sha256:
  - `+hexHash("thbx_x")+`
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
		c.PollInterval != "30s" || c.MaxPayloadBytes != 1<<20 || len(c.APITokenSHA256) != 1 {
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
