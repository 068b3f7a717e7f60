package keyscli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
)

func (a *app) status(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	rootPath := fs.String("root", "", "the published root")
	bundlePath := fs.String("bundle", "", "the published bundle")
	within := fs.Duration("within", warnWithin, "warn of what expires within this time")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *rootPath == "" || *bundlePath == "" {
		return cli.Usagef("-root and -bundle are required")
	}
	now := a.now()
	// Expired documents are shown with a warning, not refused: status is
	// how the officers find out.
	root, _, err := loadRoot(*rootPath, now, true)
	if err != nil {
		return err
	}
	b, err := loadBundle(*bundlePath, root, *rootPath, now, true)
	if err != nil {
		return err
	}
	w := env.Stdout
	printRoot(w, root)
	printBundle(w, b.Bundle)
	if err := printKeys(w, b.Bundle, now); err != nil {
		return err
	}
	var warnings []string
	if b.underRoot < root.Version {
		warnings = append(warnings, fmt.Sprintf("the bundle was signed under root version %d, not the current %d: agents that have the new root refuse it; publish a bundle signed by the new officers",
			b.underRoot, root.Version))
	}
	warnings = append(warnings, trust.ExpiringSoon(b.Bundle, root, now, *within)...)
	for _, warn := range warnings {
		fmt.Fprintf(w, "WARNING: %s\n", warn)
	}
	if len(warnings) == 0 {
		fmt.Fprintf(w, "nothing expires within %s\n", days(*within))
	}
	return nil
}

func printRoot(w io.Writer, r *trust.Root) {
	fmt.Fprintf(w, "root version %d: %d of %d officers must sign, expires %s\n", r.Version, r.Threshold, len(r.Officers), stamp(r.Expires))
	for _, o := range r.Officers {
		fmt.Fprintf(w, "  officer %s %q, key %s\n", o.ID, o.Name, o.KeyID)
	}
}

func printBundle(w io.Writer, b *trust.Bundle) {
	fmt.Fprintf(w, "trust bundle version %d (under root version %d), expires %s\n", b.Version, b.RootVersion, stamp(b.Expires))
	d := b.Dropbox
	fmt.Fprintf(w, "  drop box: endpoint %s, bucket %s", d.Endpoint, d.Bucket)
	if d.Region != "" {
		fmt.Fprintf(w, ", region %s", d.Region)
	}
	if d.Insecure {
		fmt.Fprint(w, ", INSECURE plain HTTP")
	}
	fmt.Fprintln(w)
	for _, class := range []string{"standard", "restricted"} {
		fmt.Fprintf(w, "  hub %s recipients: %s; retired: %s\n", class, fingerprints(b.Hub.Recipients[class]), fingerprints(b.Hub.Retired[class]))
	}
	if k, err := b.Hub.ReceiptPublic(); err == nil {
		fmt.Fprintf(w, "  hub receipt key: %s\n", k.KeyID())
	}
	if b.PolicyDigest != "" {
		fmt.Fprintf(w, "  policy digest: %s\n", b.PolicyDigest)
	}
}

func printKeys(w io.Writer, b *trust.Bundle, now time.Time) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PARTNER\tCATEGORY\tDATASETS\tKEY\tSTATUS\tNOT BEFORE\tNOT AFTER")
	for _, p := range b.Partners {
		ds := strings.Join(p.Datasets, ",")
		for _, k := range p.Keys {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Category, ds, k.KeyID, keyStatus(k, now), stamp(k.NotBefore), stamp(k.NotAfter))
		}
		if len(p.Keys) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\tno key\t-\t-\n", p.ID, p.Category, ds)
		}
	}
	if len(b.Partners) == 0 {
		fmt.Fprintln(tw, "(no partners yet)")
	}
	return tw.Flush()
}

func keyStatus(k certs.KeyEntry, now time.Time) string {
	switch {
	case k.RevokedAt != nil && !now.Before(*k.RevokedAt):
		return "revoked since " + stamp(*k.RevokedAt)
	case k.RevokedAt != nil:
		return "revoked from " + stamp(*k.RevokedAt)
	case now.Before(k.NotBefore):
		return "not yet valid"
	case !k.NotAfter.IsZero() && !now.Before(k.NotAfter):
		return "expired"
	}
	return "active"
}

func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// fingerprints names recipients by fingerprint, as hub-rotate does.
func fingerprints(rs []string) string {
	if len(rs) == 0 {
		return "none"
	}
	var fps []string
	for _, r := range rs {
		fps = append(fps, certs.RecipientFingerprint(r))
	}
	return strings.Join(fps, ", ")
}
