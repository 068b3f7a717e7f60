package keyscli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
)

func (a *app) linkageSecret(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	out := fs.String("out", "linkage.secret", "the file to write (mode 0600)")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	s, err := anon.GenerateSecret(a.rand)
	if err != nil {
		return err
	}
	if err := s.Save(*out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "linkage secret: %s (secret, mode 0600)\nit goes to each partner inside its enrolment package (thbx-keys enrol-package); the hub must never hold it\n", *out)
	return nil
}

// partnerSecretEnv holds the partner's S3 secret key for enrol-package:
// a flag would show in process lists.
const partnerSecretEnv = "THBX_PARTNER_S3_SECRET"

func (a *app) enrolPackage(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	reqPath := fs.String("request", "", "the partner's enrolment request")
	rootPath := fs.String("root", "", "the published root")
	bundlePath := fs.String("bundle", "", "the published bundle, which lists the partner")
	secretPath := fs.String("linkage-secret", "", "the linkage secret (made by thbx-keys linkage-secret)")
	accessKey := fs.String("s3-access-key", "", "the partner's drop-box access key (its secret key comes from "+partnerSecretEnv+")")
	out := fs.String("out", "", "the package to write")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *reqPath == "" || *rootPath == "" || *bundlePath == "" || *secretPath == "" || *out == "" {
		return cli.Usagef("-request, -root, -bundle, -linkage-secret and -out are required")
	}
	secretKey := env.Getenv(partnerSecretEnv)
	switch {
	case *accessKey != "" && secretKey == "":
		return cli.Usagef("-s3-access-key needs the secret key in %s (never as a flag: flags show in process lists)", partnerSecretEnv)
	case *accessKey == "" && secretKey != "":
		return cli.Usagef("%s is set: name its access key with -s3-access-key", partnerSecretEnv)
	}
	now := a.now()
	root, rootRaw, err := loadRoot(*rootPath, now, false)
	if err != nil {
		return err
	}
	b, err := loadBundle(*bundlePath, root, *rootPath, now, false)
	if err != nil {
		return err
	}
	if b.underRoot != root.Version {
		return fmt.Errorf("%s was signed under root version %d, not the current %d: publish a bundle signed by the current officers first", *bundlePath, b.underRoot, root.Version)
	}
	raw, err := readLimited(*reqPath, trust.MaxRequestSize)
	if err != nil {
		return err
	}
	req, err := trust.ParseEnrolmentRequest(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", *reqPath, err)
	}
	secret, err := readLinkageSecret(*secretPath)
	if err != nil {
		return err
	}
	pkg, err := trust.NewPackage(*req, rootRaw, b.raw, trust.PackageSecrets{LinkageSecret: secret, S3AccessKey: *accessKey, S3SecretKey: secretKey})
	if err != nil {
		return err
	}
	data, err := pkg.Marshal()
	if err != nil {
		return err
	}
	if err := certs.WriteSecretFile(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "enrolment package for %s: %s (its secrets are encrypted to the partner's request)\n", req.Partner, *out)
	fmt.Fprintf(env.Stdout, "root fingerprint: %s\n", trust.RootFingerprint(rootRaw))
	fmt.Fprintf(env.Stdout, "read the fingerprint to %s by phone: the partner confirms it before its agent trusts the root\n", req.Partner)
	return nil
}

// readLinkageSecret reads the secret's text form, checking the file's
// mode and the form, never showing it.
func readLinkageSecret(path string) (string, error) {
	raw, err := certs.ReadSecretFile(path)
	if err != nil {
		return "", fmt.Errorf("linkage secret: %w", err)
	}
	if _, err := anon.ParseSecret(string(raw)); err != nil {
		return "", fmt.Errorf("linkage secret %s: %w (make one with thbx-keys linkage-secret)", path, err)
	}
	return strings.TrimSpace(string(raw)), nil
}

func jsonIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
