package agent

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
)

// Config is the agent's configuration file (YAML). Environment variables
// override it (see ApplyEnv); relative paths are relative to the file.
type Config struct {
	// Partner is this organisation's partner id, as registered.
	Partner string `yaml:"partner"`
	// Key is the private signing key made by `thbx-agent keygen`.
	Key string `yaml:"key"`
	// Hub is the hub's public information (hub.json) from the security
	// officers: the recipients to encrypt to and the receipt key.
	Hub string `yaml:"hub"`
	// Trust names the pinned root and the cached trust bundle from the
	// enrolment package; with it, hub is not needed.
	Trust TrustFiles `yaml:"trust"`
	// LinkageSecret is the file of the secret that keys linkage keys; the
	// hub never holds it.
	LinkageSecret string `yaml:"linkage_secret"`
	// Outbox holds sealed submissions until their receipts arrive.
	Outbox string `yaml:"outbox"`
	// Classification of what this partner sends: standard or restricted.
	Classification string `yaml:"classification"`
	// Dropbox is where submissions go.
	Dropbox dropbox.Config `yaml:"dropbox"`
}

// TrustFiles are the files of signed trust: the root pinned at enrolment
// and the last verified bundle (refreshed from the drop box's trust/).
type TrustFiles struct {
	Root   string `yaml:"root"`
	Bundle string `yaml:"bundle"`
}

// LoadConfig reads a YAML config file, refusing unknown keys, and a file
// holding the S3 secret that others can read.
func LoadConfig(path string) (Config, error) {
	var c Config
	err := certs.LoadConfig(path, &c, func() bool { return c.Dropbox.SecretKey != "" },
		&c.Key, &c.Hub, &c.Outbox, &c.Dropbox.Dir, &c.Dropbox.CAFile, &c.Trust.Root, &c.Trust.Bundle, &c.LinkageSecret)
	return c, err
}

// ApplyEnv overrides fields from the environment: THBX_PARTNER, THBX_KEY,
// THBX_HUB, THBX_OUTBOX, THBX_LINKAGE_SECRET (the secret's file),
// THBX_DROPBOX (s3 or dir), THBX_DROPBOX_DIR,
// THBX_S3_ENDPOINT, THBX_S3_BUCKET, THBX_S3_REGION, THBX_S3_ACCESS_KEY,
// THBX_S3_SECRET_KEY, THBX_S3_INSECURE (true/false), THBX_S3_CA_FILE.
func (c *Config) ApplyEnv(getenv func(string) string) error {
	set := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	set("THBX_PARTNER", &c.Partner)
	set("THBX_KEY", &c.Key)
	set("THBX_HUB", &c.Hub)
	set("THBX_OUTBOX", &c.Outbox)
	set("THBX_LINKAGE_SECRET", &c.LinkageSecret)
	return ApplyDropboxEnv(&c.Dropbox, getenv)
}

// ApplyDropboxEnv overrides drop-box settings from the environment.
func ApplyDropboxEnv(d *dropbox.Config, getenv func(string) string) error {
	for name, dst := range map[string]*string{
		"THBX_DROPBOX": &d.Type, "THBX_DROPBOX_DIR": &d.Dir, "THBX_S3_ENDPOINT": &d.Endpoint,
		"THBX_S3_BUCKET": &d.Bucket, "THBX_S3_REGION": &d.Region, "THBX_S3_ACCESS_KEY": &d.AccessKey,
		"THBX_S3_SECRET_KEY": &d.SecretKey, "THBX_S3_CA_FILE": &d.CAFile,
	} {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	if v := getenv("THBX_S3_INSECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("THBX_S3_INSECURE=%q: want true or false", v)
		}
		d.Insecure = b
	}
	return nil
}

// Validate says what is missing, in words an operator can act on.
func (c *Config) Validate() error {
	var errs []error
	if !submission.ValidPartner(c.Partner) {
		errs = append(errs, fmt.Errorf("partner %q: set your partner id (lower-case letters, digits, hyphens) in the config or THBX_PARTNER", c.Partner))
	}
	if c.Key == "" {
		errs = append(errs, errors.New("no signing key: set key in the config or THBX_KEY (make one with thbx-agent keygen)"))
	}
	switch {
	case c.Trust.Root != "" && c.Trust.Bundle == "":
		errs = append(errs, errors.New("trust.root is set but trust.bundle is not: name the file where the verified trust bundle is kept"))
	case c.Hub == "" && c.Trust.Root == "":
		errs = append(errs, errors.New("no hub information: install your enrolment package (thbx-agent install), or set hub to the hub.json your security officers gave you (THBX_HUB)"))
	}
	if c.Outbox == "" {
		errs = append(errs, errors.New("no outbox directory: set outbox in the config or THBX_OUTBOX"))
	}
	if c.Classification != "" && c.Classification != submission.Standard && c.Classification != submission.Restricted {
		errs = append(errs, fmt.Errorf("classification %q: want standard or restricted", c.Classification))
	}
	return errors.Join(errs...)
}
