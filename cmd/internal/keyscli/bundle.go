package keyscli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
)

func (a *app) bundleInit(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	rootPath := fs.String("root", "", "the published root")
	hubPath := fs.String("hub", "", "the hub's public information (hub.json, made by thbx-keys init)")
	var d trust.Dropbox
	fs.StringVar(&d.Endpoint, "endpoint", "", "the drop box's S3 endpoint, HOST:PORT")
	fs.StringVar(&d.Bucket, "bucket", "", "the drop box's bucket")
	fs.StringVar(&d.Region, "region", "", "the bucket's region")
	fs.BoolVar(&d.Insecure, "insecure", false, "plain HTTP to the drop box (tests on loopback only)")
	validFor := fs.Duration("valid-for", defaultBundleLife, "how long the bundle is valid")
	keyPath := fs.String("key", "", "sign the proposal at once with this officer key")
	out := fs.String("out", "", "the bundle proposal to write")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *hubPath == "" || d.Endpoint == "" || d.Bucket == "" || *out == "" {
		return cli.Usagef("-root, -hub, -endpoint, -bucket and -out are required")
	}
	if *validFor <= 0 {
		return cli.Usagef("-valid-for must be positive")
	}
	now := a.now()
	root, _, err := loadRoot(*rootPath, now, false)
	if err != nil {
		return err
	}
	hub, err := certs.LoadHubInfo(*hubPath)
	if err != nil {
		return err
	}
	b := &trust.Bundle{
		Type:        trust.BundleType,
		Expires:     now.Add(*validFor).UTC().Truncate(time.Second),
		RootVersion: root.Version,
		Dropbox:     d,
		Registry:    certs.Registry{Version: 1, Hub: hub, Partners: []certs.Partner{}},
	}
	rv := &reviewed{proposal: &proposal{path: *out, kind: trust.BundleType, bundle: b}, sets: []signerSet{setOf(root)}}
	return a.writeBundleProposal(env.Stdout, rv, *keyPath, now)
}

// writeBundleProposal signs the proposal with keyPath when given, writes
// it and shows it as review would.
func (a *app) writeBundleProposal(w io.Writer, rv *reviewed, keyPath string, now time.Time) error {
	doc, err := signProposal(rv, keyPath)
	if err != nil {
		return err
	}
	rv.doc = doc
	if err := writeDoc(rv.path, rv.doc); err != nil {
		return err
	}
	rv.printChanges(w, now)
	for _, warn := range trust.ExpiringSoon(rv.bundle, nil, now, warnWithin) {
		fmt.Fprintf(w, "WARNING: %s\n", warn)
	}
	rv.printSignatures(w)
	if keyPath == "" {
		fmt.Fprintf(w, "next: sign it (thbx-keys sign %s -key YOUR.key%s) and pass it to the other officers\n", rv.path, rv.flagsHint())
	} else {
		fmt.Fprintf(w, "next: other officers review and sign it: thbx-keys review %s%s\n", rv.path, rv.flagsHint())
	}
	return nil
}

// signProposal makes the bundle proposal, signed by the officer key at
// keyPath or, without one, unsigned.
func signProposal(rv *reviewed, keyPath string) (*trust.Signed, error) {
	if keyPath == "" {
		return unsignedBundle(rv.bundle)
	}
	key, err := loadOfficerKey(keyPath)
	if err != nil {
		return nil, err
	}
	if _, err := rv.officerOf(key.KeyID()); err != nil {
		return nil, err
	}
	return trust.ProposeSigned(rv.bundle, key)
}

// warnWithin is how far ahead status and propose warn of expiry.
const warnWithin = 30 * 24 * time.Hour

// proposeFlags are propose's change flags.
type proposeFlags struct {
	addPartner  string
	datasets    string
	keyValidFor time.Duration
	addKeys     pairFlags
	rotateKeys  pairFlags
	overlap     time.Duration
	revokeKeys  listFlags
	at          string
	revokeAt    time.Time
	rotateHub   string
	expires     string
	expiresAt   time.Time
	validFor    time.Duration
	policy      string
}

func (f *proposeFlags) register(fs *cli.FlagSet) {
	f.addKeys.what, f.rotateKeys.what = "PARTNER=NEW.pub", "PARTNER=NEW.pub"
	fs.StringVar(&f.addPartner, "add-partner", "", "enrol the partner of this enrolment request (REQUEST.json)")
	fs.StringVar(&f.datasets, "datasets", "", "with -add-partner: comma-separated datasets allowed (default: those requested)")
	fs.DurationVar(&f.keyValidFor, "key-valid-for", defaultKeyLife, "with -add-partner or -add-key: how long the new key is valid")
	fs.Var(&f.addKeys, "add-key", "add a signing key: PARTNER=NEW.pub (repeatable)")
	fs.Var(&f.rotateKeys, "rotate-key", "replace a partner's active keys by a new one: PARTNER=NEW.pub (repeatable)")
	fs.DurationVar(&f.overlap, "overlap", 7*24*time.Hour, "with -rotate-key: how long the old keys stay valid")
	fs.Var(&f.revokeKeys, "revoke-key", "revoke a key by its id or its .pub file (repeatable)")
	fs.StringVar(&f.at, "at", "", "with -revoke-key: revocation time, RFC 3339 (default now)")
	fs.StringVar(&f.rotateHub, "rotate-hub", "", "the new hub info made by thbx-keys hub-rotate")
	fs.StringVar(&f.expires, "expires", "", "the bundle's new expiry, RFC 3339")
	fs.DurationVar(&f.validFor, "valid-for", 0, "the bundle's new expiry, from now (such as 2160h)")
	fs.StringVar(&f.policy, "policy-digest", "", "the access policy's SHA-256, hex")
}

// check refuses modifiers without the change they modify.
func (f *proposeFlags) check(fs *cli.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for mod, needs := range map[string][]string{
		"datasets": {"add-partner"}, "key-valid-for": {"add-partner", "add-key"},
		"overlap": {"rotate-key"}, "at": {"revoke-key"},
	} {
		if set[mod] && !slices.ContainsFunc(needs, func(n string) bool { return set[n] }) {
			return cli.Usagef("-%s goes with -%s", mod, strings.Join(needs, " or -"))
		}
	}
	if set["expires"] && set["valid-for"] {
		return cli.Usagef("give -expires or -valid-for, not both")
	}
	if set["valid-for"] && f.validFor <= 0 {
		return cli.Usagef("-valid-for must be positive")
	}
	if f.overlap < 0 || f.keyValidFor <= 0 {
		return cli.Usagef("-overlap and -key-valid-for may not be negative")
	}
	if !slices.ContainsFunc(changeFlags, func(n string) bool { return set[n] }) {
		return cli.Usagef("name at least one change: -%s", strings.Join(changeFlags, ", -"))
	}
	var err error
	if f.at != "" {
		if f.revokeAt, err = parseTime("at", f.at); err != nil {
			return err
		}
	}
	if f.expires != "" {
		if f.expiresAt, err = parseTime("expires", f.expires); err != nil {
			return err
		}
	}
	return nil
}

// changeFlags are propose's flags that each make a change.
var changeFlags = []string{"add-partner", "add-key", "rotate-key", "revoke-key", "rotate-hub", "expires", "valid-for", "policy-digest"}

// changes turns the flags into bundle changes, in the documented order.
func (f *proposeFlags) changes(w io.Writer, cur *trust.Bundle, now time.Time) ([]trust.Change, error) {
	var cs []trust.Change
	if f.addPartner != "" {
		b, err := readLimited(f.addPartner, trust.MaxRequestSize)
		if err != nil {
			return nil, err
		}
		req, err := trust.ParseEnrolmentRequest(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.addPartner, err)
		}
		var datasets []string
		if f.datasets != "" {
			datasets = strings.Split(f.datasets, ",")
		}
		cs = append(cs, trust.AddPartner(*req, datasets, f.keyValidFor, now))
		fmt.Fprintf(w, "confirm with %s (%s) by phone that its key id is %s before anyone signs\n", req.Partner, req.Name, req.KeyID)
	}
	for _, p := range f.addKeys.pairs {
		pub, err := loadPublicKey(p.value)
		if err != nil {
			return nil, err
		}
		cs = append(cs, trust.AddKey(p.key, pub, now, now.Add(f.keyValidFor)))
	}
	for _, p := range f.rotateKeys.pairs {
		pub, err := loadPublicKey(p.value)
		if err != nil {
			return nil, err
		}
		cs = append(cs, trust.RotateKey(p.key, pub, f.overlap, now))
	}
	at := now
	if f.at != "" {
		at = f.revokeAt
	}
	for _, kid := range f.revokeKeys {
		// A partner's .pub file names its key as well as its id does.
		if strings.HasSuffix(kid, ".pub") {
			pub, err := loadPublicKey(kid)
			if err != nil {
				return nil, err
			}
			kid = pub.KeyID()
		}
		cs = append(cs, trust.RevokeKey(kid, at))
	}
	if f.rotateHub != "" {
		hc, err := hubChanges(cur.Hub, f.rotateHub)
		if err != nil {
			return nil, err
		}
		cs = append(cs, hc...)
	}
	switch {
	case f.expires != "":
		cs = append(cs, trust.SetExpiry(f.expiresAt))
	case f.validFor > 0:
		cs = append(cs, trust.SetExpiry(now.Add(f.validFor).Truncate(time.Second)))
	}
	if f.policy != "" {
		cs = append(cs, trust.SetPolicyDigest(f.policy))
	}
	return cs, nil
}

// hubChanges rotates each class whose recipients the new hub info
// changes, and the receipt key if it changed.
func hubChanges(cur certs.HubInfo, path string) ([]trust.Change, error) {
	next, err := certs.LoadHubInfo(path)
	if err != nil {
		return nil, err
	}
	var cs []trust.Change
	for _, class := range []string{"standard", "restricted"} {
		rs := next.Recipients[class]
		if len(rs) > 0 && !slices.Equal(rs, cur.Recipients[class]) {
			cs = append(cs, trust.RotateHub(class, rs))
		}
	}
	oldKey, errOld := cur.ReceiptPublic()
	newKey, err := next.ReceiptPublic()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if errOld != nil || !oldKey.Equal(newKey) {
		cs = append(cs, trust.SetReceiptKey(next.ReceiptKey))
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("%s names the same recipients and receipt key as the published bundle: nothing to rotate (make new identities with thbx-keys hub-rotate)", path)
	}
	return cs, nil
}

func (a *app) propose(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	rootPath := fs.String("root", "", "the published root")
	bundlePath := fs.String("bundle", "", "the published bundle to change")
	keyPath := fs.String("key", "", "sign the proposal at once with this officer key")
	out := fs.String("out", "", "the proposal to write")
	var f proposeFlags
	f.register(fs)
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := f.check(fs); err != nil {
		return err
	}
	if *rootPath == "" || *bundlePath == "" || *out == "" {
		return cli.Usagef("-root, -bundle and -out are required")
	}
	now := a.now()
	root, _, err := loadRoot(*rootPath, now, false)
	if err != nil {
		return err
	}
	cur, err := loadBundle(*bundlePath, root, *rootPath, now, true)
	if err != nil {
		return err
	}
	if cur.expired && f.expires == "" && f.validFor == 0 {
		return fmt.Errorf("the published bundle version %d expired at %s: renew it with -valid-for 2160h (alongside any other change)", cur.Version, stamp(cur.Expires))
	}
	cs, err := f.changes(env.Stdout, cur.Bundle, now)
	if err != nil {
		return err
	}
	if cur.RootVersion < root.Version {
		cs = append(cs, trust.SetRootVersion(root.Version))
	}
	next, err := trust.Propose(cur.Bundle, cs...)
	if err != nil {
		return err
	}
	if !now.Before(next.Expires) {
		return fmt.Errorf("the proposed bundle would expire at %s, which is past: give a later expiry, such as -valid-for 2160h", stamp(next.Expires))
	}
	rv := &reviewed{proposal: &proposal{path: *out, kind: trust.BundleType, bundle: next}, sets: []signerSet{setOf(root)}, baseBundle: cur.Bundle}
	return a.writeBundleProposal(env.Stdout, rv, *keyPath, now)
}
