// Package keyscli is the thbx-keys command: the security officers' tool
// for the hub's keys, the officers' root, the signed trust bundle under
// dual control (propose, review, sign, publish), enrolment packages, and
// the plain partner registry that the demo still uses.
package keyscli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/deploy/s3gw"
	"github.com/thbx/thbx/submission/dropbox"
)

const prog = "thbx-keys"

// Main runs thbx-keys with args (without the program name).
func Main(args []string, env cli.Env) int {
	return run(&app{clock: time.Now}, args, env)
}

func run(a *app, args []string, env cli.Env) int {
	return cli.Main(prog, "manage the hub's keys, the officers' root and the trust bundle", commands(a), args, env)
}

func commands(a *app) []cli.Command {
	cmds := []cli.Command{
		{Name: "init", Summary: "make the hub's keys and an empty registry",
			Usage: `-dir DIR

Makes, in DIR: hub-identities.txt (post-quantum hybrid age identities for
standard and restricted data; secret, mode 0600), receipt.key (the hub's
receipt-signing key; secret, 0600), registry.json (the partners the hub
trusts) and hub.json (public: give it to every partner).

example:
  thbx-keys init -dir /etc/thbx/hub-keys`},
		{Name: "partner-add", Summary: "register a partner and its first signing key",
			Usage: `-registry FILE -id ID -name NAME -category CAT -key PARTNER.pub [-datasets victims] [-valid-for 8760h]

Categories: ` + strings.Join(certs.Categories, ", ") + `

example:
  thbx-keys partner-add -registry registry.json -id ngo-lastrada -name "La Strada" \
      -category ngo -key lastrada.pub`},
		{Name: "key-add", Summary: "register another signing key for a partner (rotation)",
			Usage: `-registry FILE -id ID -key PARTNER.pub [-valid-for 8760h]

example:
  thbx-keys key-add -registry registry.json -id ngo-lastrada -key lastrada-2026.pub`},
		{Name: "key-revoke", Summary: "revoke a signing key",
			Usage: `-registry FILE -kid KEYID [-at RFC3339]

Submissions signed before the revocation time stand; later ones are refused.

example:
  thbx-keys key-revoke -registry registry.json -kid 3q2-7w... -at 2026-05-01T00:00:00Z`},
		{Name: "partners", Summary: "list registered partners and keys",
			Usage: `-registry FILE

example:
  thbx-keys partners -registry registry.json`},
		{Name: "bucket-policy", Summary: "print the S3 bucket policy for the registered partners",
			Usage: `-registry FILE -bucket BUCKET -hub-account ACCOUNT [-account PARTNER=ACCOUNT ...] [-apply]

Each partner may write only under inbox/<partner>/ and read only its own
receipts and trust/. S3 account names default to the partner ids; create
the accounts first. With -apply, the bucket is created if missing and the
policy set on it, with the administrator's credentials from THBX_S3_ENDPOINT,
THBX_S3_ACCESS_KEY, THBX_S3_SECRET_KEY (and THBX_S3_INSECURE=true for plain
HTTP on loopback).

examples:
  thbx-keys bucket-policy -registry registry.json -bucket thbx -hub-account thbx-hub
  THBX_S3_ENDPOINT=127.0.0.1:7070 THBX_S3_ACCESS_KEY=admin THBX_S3_SECRET_KEY=... THBX_S3_INSECURE=true \
      thbx-keys bucket-policy -registry registry.json -bucket thbx -hub-account thbx-hub -apply`},
	}
	cmds = bind(cmds, []runFunc{initHub, partnerAdd, keyAdd, keyRevoke, partners, bucketPolicy})
	return append(cmds, a.trustCommands()...)
}

func initHub(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	dir := fs.String("dir", "", "directory for the hub's keys")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *dir == "" {
		return cli.Usagef("-dir is required")
	}
	f, err := certs.InitHub(*dir, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "hub identities: %s (secret)\nreceipt key:    %s (secret)\nregistry:       %s\nhub info:       %s (give to partners)\n",
		f.Identities, f.ReceiptKey, f.Registry, f.HubInfo)
	return nil
}

func loadRegistry(path string) (*certs.Registry, error) {
	if path == "" {
		return nil, cli.Usagef("-registry is required")
	}
	return certs.LoadRegistry(path)
}

func loadPublicKey(path string) (certs.PartnerPublicKey, error) {
	var pub certs.PartnerPublicKey
	b, err := os.ReadFile(path)
	if err != nil {
		return pub, err
	}
	if err := pub.UnmarshalText(b); err != nil {
		return pub, fmt.Errorf("%s: %w (want the .pub file made by thbx-agent keygen)", path, err)
	}
	return pub, nil
}

func partnerAdd(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	regPath := fs.String("registry", "", "registry file")
	id := fs.String("id", "", "partner id: lower-case letters, digits, hyphens")
	name := fs.String("name", "", "organisation name")
	category := fs.String("category", "", "partner category")
	datasets := fs.String("datasets", "victims", "comma-separated datasets the partner may submit")
	keyPath := fs.String("key", "", "the partner's public key (.pub)")
	validFor := fs.Duration("valid-for", 365*24*time.Hour, "how long the key is valid")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *id == "" || *name == "" || *category == "" || *keyPath == "" {
		return cli.Usagef("-id, -name, -category and -key are required")
	}
	p := certs.Partner{ID: *id, Name: *name, Category: *category, Datasets: strings.Split(*datasets, ",")}
	return registerKey(env, *regPath, *id, *keyPath, *validFor, &p)
}

func keyAdd(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	regPath := fs.String("registry", "", "registry file")
	id := fs.String("id", "", "partner id")
	keyPath := fs.String("key", "", "the partner's new public key (.pub)")
	validFor := fs.Duration("valid-for", 365*24*time.Hour, "how long the key is valid")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *id == "" || *keyPath == "" {
		return cli.Usagef("-id and -key are required")
	}
	return registerKey(env, *regPath, *id, *keyPath, *validFor, nil)
}

// registerKey adds a partner's key valid from now for validFor, first
// registering the partner when newPartner is set, and saves the registry.
func registerKey(env cli.Env, regPath, id, keyPath string, validFor time.Duration, newPartner *certs.Partner) error {
	reg, err := loadRegistry(regPath)
	if err != nil {
		return err
	}
	pub, err := loadPublicKey(keyPath)
	if err != nil {
		return err
	}
	if newPartner != nil {
		if err := reg.AddPartner(*newPartner); err != nil {
			return err
		}
	}
	// Whole seconds: the hub compares not-before with S3's Last-Modified,
	// which has no fractions, so a key registered at 12:00:00.6 would
	// refuse a submission uploaded in that same second.
	now := time.Now().UTC().Truncate(time.Second)
	if err := reg.AddKey(id, pub, now, now.Add(validFor)); err != nil {
		return err
	}
	if err := reg.Save(regPath); err != nil {
		return err
	}
	what := "added key " + pub.KeyID() + " for " + id
	if newPartner != nil {
		what = "registered " + id + " with key " + pub.KeyID()
	}
	fmt.Fprintf(env.Stdout, "%s, valid until %s (registry version %d)\n", what, now.Add(validFor).Format(time.RFC3339), reg.Version)
	return nil
}

func keyRevoke(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	regPath := fs.String("registry", "", "registry file")
	kid := fs.String("kid", "", "key id to revoke")
	at := fs.String("at", "", "revocation time, RFC 3339 (default now)")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *kid == "" {
		return cli.Usagef("-kid is required")
	}
	when := time.Now().UTC()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return cli.Usagef("-at %q: want RFC 3339, such as 2026-05-01T00:00:00Z", *at)
		}
		when = t
	}
	reg, err := loadRegistry(*regPath)
	if err != nil {
		return err
	}
	if err := reg.RevokeKey(*kid, when); err != nil {
		return err
	}
	if err := reg.Save(*regPath); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "revoked %s from %s (registry version %d); a running hub applies it at its next poll\n", *kid, when.Format(time.RFC3339), reg.Version)
	return nil
}

func partners(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	regPath := fs.String("registry", "", "registry file")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	reg, err := loadRegistry(*regPath)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "registry version %d\n", reg.Version)
	fmt.Fprintln(tw, "PARTNER\tCATEGORY\tDATASETS\tKEY\tSTATUS\tNOT AFTER")
	for _, p := range reg.Partners {
		for _, k := range p.Keys {
			status := k.Status
			if k.RevokedAt != nil {
				status += " " + k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Category, strings.Join(p.Datasets, ","), k.KeyID, status, k.NotAfter.Format("2006-01-02"))
		}
		if len(p.Keys) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\tno key\t-\n", p.ID, p.Category, strings.Join(p.Datasets, ","))
		}
	}
	return tw.Flush()
}

type accountFlags map[string]string

func (a accountFlags) String() string { return "" }
func (a accountFlags) Set(s string) error {
	p, acc, ok := strings.Cut(s, "=")
	if !ok || p == "" || acc == "" {
		return fmt.Errorf("want PARTNER=ACCOUNT, got %q", s)
	}
	a[p] = acc
	return nil
}

func bucketPolicy(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	regPath := fs.String("registry", "", "registry file")
	bucket := fs.String("bucket", "", "bucket name")
	hub := fs.String("hub-account", "", "the hub's S3 account")
	accounts := accountFlags{}
	fs.Var(accounts, "account", "PARTNER=ACCOUNT when a partner's S3 account name differs from its id (repeatable)")
	apply := fs.Bool("apply", false, "create the bucket if missing and set the policy on it")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *bucket == "" || *hub == "" {
		return cli.Usagef("-bucket and -hub-account are required")
	}
	reg, err := loadRegistry(*regPath)
	if err != nil {
		return err
	}
	var grants []s3gw.Grant
	for _, p := range reg.Partners {
		acc := p.ID
		if a, ok := accounts[p.ID]; ok {
			acc = a
		}
		grants = append(grants, s3gw.Grant{Account: acc, Partner: p.ID})
	}
	pol, err := s3gw.PartnerPolicy(*bucket, *hub, grants)
	if err != nil {
		return err
	}
	if !*apply {
		fmt.Fprintln(env.Stdout, pol)
		return nil
	}
	var box dropbox.Config
	if err := agent.ApplyDropboxEnv(&box, env.Getenv); err != nil {
		return err
	}
	if box.Endpoint == "" || box.AccessKey == "" || box.SecretKey == "" {
		return errors.New("-apply needs THBX_S3_ENDPOINT, THBX_S3_ACCESS_KEY and THBX_S3_SECRET_KEY (the administrator's)")
	}
	// The drop box's own checks (plain HTTP on loopback only) apply here too.
	box.Bucket = *bucket
	if _, err := dropbox.NewS3(box); err != nil {
		return err
	}
	if box.CAFile != "" {
		return errors.New("-apply does not read THBX_S3_CA_FILE; apply the printed policy with your S3 tooling instead")
	}
	region := box.Region
	if region == "" {
		region = "us-east-1"
	}
	client, err := minio.New(box.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(box.AccessKey, box.SecretKey, ""),
		Secure: !box.Insecure, Region: region, BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return err
	}
	exists, err := client.BucketExists(ctx, *bucket)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", *bucket, err)
	}
	if !exists {
		if err := client.MakeBucket(ctx, *bucket, minio.MakeBucketOptions{Region: region}); err != nil {
			return fmt.Errorf("create bucket %s: %w", *bucket, err)
		}
		fmt.Fprintf(env.Stdout, "created bucket %s\n", *bucket)
	}
	if err := client.SetBucketPolicy(ctx, *bucket, pol); err != nil {
		return fmt.Errorf("set policy on %s: %w (are the accounts created?)", *bucket, err)
	}
	fmt.Fprintf(env.Stdout, "policy set on %s: %d partner(s), hub account %s\n", *bucket, len(grants), *hub)
	return nil
}
