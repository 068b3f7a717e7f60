package agent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"go.yaml.in/yaml/v3"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
)

// Files an enrolment makes in the partner's directory.
const (
	KeyFile           = "partner.key"
	SecretsIdentity   = "secrets.agekey"
	RequestFile       = "enrolment-request.json"
	RootFile          = "root.json"
	BundleFile        = "bundle.json"
	LinkageSecretFile = "linkage.secret"
	ConfigFile        = "thbx-agent.yaml"
)

// Enrol makes, in dir, the partner's signing key, an age identity on which
// the officers encrypt the partner's secrets, and the enrolment request to
// send them. Private keys never leave dir.
func Enrol(dir string, req trust.EnrolmentRequest) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	for _, name := range []string{KeyFile, SecretsIdentity, RequestFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return "", fmt.Errorf("%s already exists in %s: this directory is enrolled already", name, dir)
		}
	}
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return "", err
	}
	pub, err := Keygen(filepath.Join(dir, KeyFile), nil)
	if err != nil {
		return "", err
	}
	if err := certs.WriteSecretFile(filepath.Join(dir, SecretsIdentity), []byte(id.String()+"\n")); err != nil {
		return "", err
	}
	pem, _ := pub.MarshalText()
	req.SigningKey, req.KeyID = string(pem), pub.KeyID()
	req.SecretsRecipient = id.Recipient().String()
	req.Created = time.Now().UTC().Truncate(time.Second)
	if err := req.Validate(); err != nil {
		return "", err
	}
	b, err := req.Marshal()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, RequestFile)
	return path, certs.WritePublicFile(path, append(b, '\n'))
}

// Installed is what Install set up.
type Installed struct {
	Partner         string
	RootFingerprint string
	BundleVersion   int
	ConfigPath      string
}

// Install opens an enrolment package with the identity Enrol made in dir,
// checks the root and the bundle in it, and writes the pinned root, the
// bundle, the linkage secret and a ready thbx-agent.yaml into dir. The
// fingerprint it returns must be confirmed with the officers out of band:
// it is what every later bundle is checked against.
func Install(dir, pkgPath string, now time.Time) (Installed, error) {
	var out Installed
	idText, err := certs.ReadSecretFile(filepath.Join(dir, SecretsIdentity))
	if err != nil {
		return out, fmt.Errorf("install: %w (run thbx-agent enrol in this directory first)", err)
	}
	id, err := age.ParseHybridIdentity(strings.TrimSpace(string(idText)))
	if err != nil {
		return out, fmt.Errorf("install: %s: %w", SecretsIdentity, err)
	}
	raw, err := os.ReadFile(pkgPath)
	if err != nil {
		return out, err
	}
	_, bundle, secrets, err := trust.OpenPackage(raw, id, now)
	if err != nil {
		return out, fmt.Errorf("install: %w", err)
	}
	var pkg trust.EnrolmentPackage
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return out, err
	}
	key, err := certs.LoadPartnerKey(filepath.Join(dir, KeyFile))
	if err != nil {
		return out, err
	}
	if p, k, err := bundle.Lookup(key.KeyID()); err != nil || p.ID != pkg.Partner || k.Status != certs.KeyActive {
		return out, fmt.Errorf("install: the package's bundle does not list this directory's key %s as an active key of %s", key.KeyID(), pkg.Partner)
	}
	for name, data := range map[string][]byte{RootFile: pkg.Root, BundleFile: pkg.Bundle} {
		if err := certs.WriteFileAtomic(filepath.Join(dir, name), data, 0o644); err != nil {
			return out, err
		}
	}
	if err := writeSecretReplacing(filepath.Join(dir, LinkageSecretFile), []byte(secrets.LinkageSecret+"\n")); err != nil {
		return out, err
	}
	cfg := installedConfig{Partner: pkg.Partner, Key: KeyFile, Outbox: "outbox",
		Trust: TrustFiles{Root: RootFile, Bundle: BundleFile}, LinkageSecret: LinkageSecretFile,
		Dropbox: installedDropbox{Type: "s3", Endpoint: bundle.Dropbox.Endpoint, Bucket: bundle.Dropbox.Bucket,
			Region: bundle.Dropbox.Region, Insecure: bundle.Dropbox.Insecure,
			AccessKey: secrets.S3AccessKey, SecretKey: secrets.S3SecretKey}}
	var buf bytes.Buffer
	buf.WriteString("# Written by thbx-agent install. Holds the drop-box secret: keep it mode 0600.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(cfg); err != nil {
		return out, err
	}
	out.ConfigPath = filepath.Join(dir, ConfigFile)
	if err := writeSecretReplacing(out.ConfigPath, buf.Bytes()); err != nil {
		return out, err
	}
	out.Partner, out.RootFingerprint, out.BundleVersion = pkg.Partner, trust.RootFingerprint(pkg.Root), bundle.Version
	return out, nil
}

// installedConfig is Config as Install writes it (only what it sets).
type installedConfig struct {
	Partner       string           `yaml:"partner"`
	Key           string           `yaml:"key"`
	Trust         TrustFiles       `yaml:"trust"`
	Outbox        string           `yaml:"outbox"`
	LinkageSecret string           `yaml:"linkage_secret"`
	Dropbox       installedDropbox `yaml:"dropbox"`
}

type installedDropbox struct {
	Type      string `yaml:"type"`
	Endpoint  string `yaml:"endpoint"`
	Bucket    string `yaml:"bucket"`
	Region    string `yaml:"region,omitempty"`
	Insecure  bool   `yaml:"insecure,omitempty"`
	AccessKey string `yaml:"access_key,omitempty"`
	SecretKey string `yaml:"secret_key,omitempty"`
}

// writeSecretReplacing writes a secret file (0600), replacing an older
// one atomically: a package installed again brings the same secrets.
func writeSecretReplacing(path string, data []byte) error {
	return certs.WriteFileAtomic(path, data, 0o600)
}
