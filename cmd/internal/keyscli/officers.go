package keyscli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
)

const (
	defaultRootLife   = 2 * 365 * 24 * time.Hour
	defaultBundleLife = 90 * 24 * time.Hour
	defaultKeyLife    = 365 * 24 * time.Hour
)

func (a *app) officerKeygen(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	out := fs.String("out", "officer.key", "private key file; the public key goes next to it as .pub")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if !strings.HasSuffix(*out, ".key") {
		return cli.Usagef("-out %q: name the private key file NAME.key (the public key becomes NAME.pub)", *out)
	}
	pubPath := strings.TrimSuffix(*out, ".key") + ".pub"
	// Check both names first, so a refusal leaves no half-made pair.
	for _, p := range []string{*out, pubPath} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s already exists; move it away first if you mean to replace the key", p)
		}
	}
	k, err := certs.GenerateOfficerKey(a.rand)
	if err != nil {
		return err
	}
	priv, err := k.MarshalText()
	if err != nil {
		return err
	}
	pub, err := k.Public().MarshalText()
	if err != nil {
		return err
	}
	if err := certs.WriteSecretFile(*out, priv); err != nil {
		return err
	}
	if err := certs.WritePublicFile(pubPath, pub); err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintf(env.Stdout, "officer key: %s (keep it on this machine; mode 0600)\npublic key:  %s (send it to whoever assembles the root)\nkey id:      %s\n",
		*out, pubPath, k.KeyID())
	return nil
}

// officerFlags are the flags naming officers, shared by root-init and
// root-propose.
type officerFlags struct {
	keys  pairFlags // ID=FILE.pub
	names pairFlags // ID=NAME
}

func (o *officerFlags) register(fs *cli.FlagSet) {
	o.keys.what, o.names.what = "ID=FILE.pub", "ID=NAME"
	fs.Var(&o.keys, "officer", "an officer as ID=FILE.pub (repeatable, one per officer)")
	fs.Var(&o.names, "name", "an officer's full name as ID=NAME (repeatable; default: the id)")
}

// officers builds the officer list from the flags; keep supplies the
// officers of the current root, whose names are kept.
func (o *officerFlags) officers(keep []trust.Officer) ([]trust.Officer, error) {
	names := map[string]string{}
	for _, k := range keep {
		names[k.ID] = k.Name
	}
	for _, n := range o.names.pairs {
		names[n.key] = n.value
	}
	var out []trust.Officer
	for _, p := range o.keys.pairs {
		pub, err := loadOfficerPublic(p.value)
		if err != nil {
			return nil, err
		}
		name := names[p.key]
		if name == "" {
			name = p.key
		}
		off, err := trust.NewOfficer(p.key, name, pub)
		if err != nil {
			return nil, err
		}
		out = append(out, off)
	}
	for _, n := range o.names.pairs {
		if !hasOfficer(out, n.key) {
			return nil, cli.Usagef("-name %s=...: no officer %s among the -officer flags", n.key, n.key)
		}
	}
	return out, nil
}

func hasOfficer(list []trust.Officer, id string) bool {
	for _, o := range list {
		if o.ID == id {
			return true
		}
	}
	return false
}

// checkThreshold refuses a threshold that lets one officer act alone.
func checkThreshold(threshold, officers int) error {
	if threshold < 2 {
		return cli.Usagef("-threshold %d would let one officer change trust alone; dual control needs at least 2", threshold)
	}
	if threshold > officers {
		return cli.Usagef("-threshold %d, but only %d officer(s) named: name more with -officer ID=FILE.pub", threshold, officers)
	}
	return nil
}

func (a *app) rootInit(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	var of officerFlags
	of.register(fs)
	threshold := fs.Int("threshold", trust.DefaultThreshold, "how many officers must sign every root and bundle")
	validFor := fs.Duration("valid-for", defaultRootLife, "how long the root is valid")
	out := fs.String("out", "", "the root proposal to write")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" || len(of.keys.pairs) == 0 {
		return cli.Usagef("-officer and -out are required")
	}
	if err := checkThreshold(*threshold, len(of.keys.pairs)); err != nil {
		return err
	}
	if *validFor <= 0 {
		return cli.Usagef("-valid-for must be positive")
	}
	officers, err := of.officers(nil)
	if err != nil {
		return err
	}
	r := trust.Root{Version: 1, Threshold: *threshold, Officers: officers, Expires: a.now().Add(*validFor).Truncate(time.Second)}
	return writeRootProposal(env.Stdout, *out, nil, r)
}

func (a *app) rootPropose(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	rootPath := fs.String("root", "", "the current published root")
	var of officerFlags
	of.register(fs)
	threshold := fs.Int("threshold", 0, "how many officers must sign (default: as now)")
	validFor := fs.Duration("valid-for", defaultRootLife, "how long the new root is valid")
	out := fs.String("out", "", "the root proposal to write")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return cli.Usagef("-out is required")
	}
	if *validFor <= 0 {
		return cli.Usagef("-valid-for must be positive")
	}
	cur, _, err := loadRoot(*rootPath, a.now(), true)
	if err != nil {
		return err
	}
	next := trust.Root{Version: cur.Version + 1, Threshold: cur.Threshold, Officers: cur.Officers,
		Expires: a.now().Add(*validFor).Truncate(time.Second)}
	if len(of.keys.pairs) > 0 {
		if next.Officers, err = of.officers(cur.Officers); err != nil {
			return err
		}
	} else if len(of.names.pairs) > 0 {
		return cli.Usagef("-name needs the complete list of -officer flags")
	}
	if *threshold != 0 {
		next.Threshold = *threshold
	}
	if err := checkThreshold(next.Threshold, len(next.Officers)); err != nil {
		return err
	}
	return writeRootProposal(env.Stdout, *out, cur, next)
}

func writeRootProposal(w io.Writer, out string, cur *trust.Root, r trust.Root) error {
	doc, err := trust.NewRootProposal(r)
	if err != nil {
		return err
	}
	if err := writeDoc(out, doc); err != nil {
		return err
	}
	fmt.Fprintf(w, "root proposal version %d: %s (unsigned)\n", r.Version, out)
	for _, l := range trust.DiffRoot(cur, &r) {
		fmt.Fprintf(w, "  %s\n", l)
	}
	if cur == nil {
		fmt.Fprintf(w, "needs the signatures of %d of its %d officers: each runs thbx-keys sign %s -key THEIR.key\n", r.Threshold, len(r.Officers), out)
		return nil
	}
	fmt.Fprintf(w, "needs the signatures of %d of the %d officers of root version %d AND of %d of the %d officers of root version %d:\n  each runs thbx-keys sign %s -key THEIR.key -root ROOT.json\n",
		cur.Threshold, len(cur.Officers), cur.Version, r.Threshold, len(r.Officers), r.Version, out)
	return nil
}
