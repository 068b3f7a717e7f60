package agent

import (
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission/dropbox"
)

func TestLoadConfigResolvesRelativePaths(t *testing.T) {
	dir := t.TempDir()
	hub := filepath.Join(dir, "elsewhere", "hub.json")
	path := filepath.Join(dir, "conf", "thbx-agent.yaml")
	writeFile(t, path, `partner: ngo-a
key: keys/partner.key
hub: `+hub+`
outbox: outbox
classification: restricted
dropbox:
  type: dir
  dir: ../dropbox
  ca_file: ca.pem
`, 0o644)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "conf")
	want := Config{
		Partner: "ngo-a", Key: filepath.Join(conf, "keys", "partner.key"), Hub: hub,
		Outbox: filepath.Join(conf, "outbox"), Classification: "restricted",
		Dropbox: dropbox.Config{Type: "dir", Dir: filepath.Join(dir, "dropbox"), CAFile: filepath.Join(conf, "ca.pem")},
	}
	if c != want {
		t.Fatalf("config\n got %+v\nwant %+v", c, want)
	}
}

func TestLoadConfigRefusesUnknownKeys(t *testing.T) {
	for name, text := range map[string]string{
		"top level":   "partner: ngo-a\npartnr: ngo-b\n",
		"in dropbox":  "partner: ngo-a\ndropbox:\n  type: s3\n  bucket_name: x\n",
		"wrong case":  "Partner: ngo-a\n",
		"not a field": "partner: ngo-a\nsecret_key: x\n", // belongs under dropbox
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.yaml")
			writeFile(t, path, text, 0o600)
			_, err := LoadConfig(path)
			if err == nil || !strings.Contains(err.Error(), "not found") || !strings.Contains(err.Error(), path) {
				t.Fatalf("LoadConfig(%q) = %v, want an unknown-field error naming the file", text, err)
			}
		})
	}
}

func TestLoadConfigSecretKeyNeedsPrivateFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not show Windows ACLs")
	}
	const text = "partner: ngo-a\ndropbox:\n  type: s3\n  endpoint: s3.example.org\n  access_key: ak\n  secret_key: sk\n"
	path := filepath.Join(t.TempDir(), "thbx-agent.yaml")

	writeFile(t, path, text, 0o644)
	_, err := LoadConfig(path)
	if !errors.Is(err, certs.ErrInsecureKeyFile) {
		t.Fatalf("0644 file with secret_key: %v, want ErrInsecureKeyFile", err)
	}
	for _, hint := range []string{"chmod 600", "THBX_S3_SECRET_KEY"} {
		if !strings.Contains(err.Error(), hint) {
			t.Errorf("error %q lacks the hint %q", err, hint)
		}
	}

	writeFile(t, path, text, 0o600)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("0600 file with secret_key: %v", err)
	}
	if c.Dropbox.SecretKey != "sk" || c.Dropbox.AccessKey != "ak" {
		t.Fatalf("dropbox %+v", c.Dropbox)
	}

	// Without a secret, anyone may read the file.
	writeFile(t, path, "partner: ngo-a\ndropbox:\n  type: dir\n  dir: box\n", 0o644)
	if _, err := LoadConfig(path); err != nil {
		t.Fatalf("0644 file without secret: %v", err)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "none.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err %v, want ErrNotExist", err)
	}
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestApplyEnv(t *testing.T) {
	base := Config{Partner: "ngo-a", Key: "a.key", Hub: "hub.json", Outbox: "ob",
		Dropbox: dropbox.Config{Type: "dir", Dir: "box", Insecure: true}}

	c := base
	if err := c.ApplyEnv(env(nil)); err != nil || c != base {
		t.Fatalf("no variables: %+v %v", c, err)
	}

	c = base
	err := c.ApplyEnv(env(map[string]string{
		"THBX_PARTNER": "ngo-b", "THBX_KEY": "/k/b.key", "THBX_HUB": "/h/hub.json", "THBX_OUTBOX": "/o",
		"THBX_DROPBOX": "s3", "THBX_DROPBOX_DIR": "/d", "THBX_S3_ENDPOINT": "s3.example.org:9000",
		"THBX_S3_BUCKET": "b", "THBX_S3_REGION": "eu-central-1", "THBX_S3_ACCESS_KEY": "ak",
		"THBX_S3_SECRET_KEY": "sk", "THBX_S3_INSECURE": "false", "THBX_S3_CA_FILE": "/ca.pem",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Partner: "ngo-b", Key: "/k/b.key", Hub: "/h/hub.json", Outbox: "/o",
		Dropbox: dropbox.Config{Type: "s3", Dir: "/d", Endpoint: "s3.example.org:9000", Bucket: "b",
			Region: "eu-central-1", AccessKey: "ak", SecretKey: "sk", Insecure: false, CAFile: "/ca.pem"}}
	if c != want {
		t.Fatalf("config\n got %+v\nwant %+v", c, want)
	}

	for _, v := range []string{"true", "1", "TRUE", "t"} {
		c = Config{}
		if err := c.ApplyEnv(env(map[string]string{"THBX_S3_INSECURE": v})); err != nil || !c.Dropbox.Insecure {
			t.Errorf("THBX_S3_INSECURE=%s: insecure %v, err %v", v, c.Dropbox.Insecure, err)
		}
	}
	for _, v := range []string{"yes", "on", "2", " true"} {
		c = Config{}
		err := c.ApplyEnv(env(map[string]string{"THBX_S3_INSECURE": v}))
		if err == nil || !strings.Contains(err.Error(), "THBX_S3_INSECURE=") || !strings.Contains(err.Error(), "want true or false") {
			t.Errorf("THBX_S3_INSECURE=%q: %v, want a parse error", v, err)
		}
	}
}

func TestValidate(t *testing.T) {
	good := Config{Partner: "ngo-a", Key: "a.key", Hub: "hub.json", Outbox: "ob"}
	for _, class := range []string{"", "standard", "restricted"} {
		c := good
		c.Classification = class
		if err := c.Validate(); err != nil {
			t.Errorf("classification %q: %v", class, err)
		}
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   []string
	}{
		{"no partner", func(c *Config) { c.Partner = "" }, []string{`partner "": set your partner id`, "THBX_PARTNER"}},
		{"bad partner", func(c *Config) { c.Partner = "NGO_A" }, []string{`partner "NGO_A"`, "lower-case letters, digits, hyphens"}},
		{"no key", func(c *Config) { c.Key = "" }, []string{"no signing key", "THBX_KEY", "thbx-agent keygen"}},
		{"no hub", func(c *Config) { c.Hub = "" }, []string{"no hub information", "hub.json", "THBX_HUB"}},
		{"no outbox", func(c *Config) { c.Outbox = "" }, []string{"no outbox directory", "THBX_OUTBOX"}},
		{"bad classification", func(c *Config) { c.Classification = "secret" }, []string{`classification "secret": want standard or restricted`}},
		{"everything missing", func(c *Config) { *c = Config{} }, []string{"partner", "no signing key", "no hub information", "no outbox directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
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
