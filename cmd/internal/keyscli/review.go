package keyscli

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
)

// signerSet is a group of officers of which threshold must sign.
type signerSet struct {
	version   int // of the root naming them
	officers  []trust.Officer
	threshold int
}

func setOf(r *trust.Root) signerSet {
	return signerSet{version: r.Version, officers: r.Officers, threshold: r.Threshold}
}

func (s signerSet) officer(kid string) (trust.Officer, bool) {
	for _, o := range s.officers {
		if o.KeyID == kid {
			return o, true
		}
	}
	return trust.Officer{}, false
}

// signers are the distinct officers of s with a valid signature on doc.
func (s signerSet) signers(doc *trust.Signed, typ string) []string {
	ids, err := doc.Verify(s.officers, 1, typ)
	if err != nil {
		return nil
	}
	return ids
}

// reviewed is a proposal with what it is checked against: the officers
// who must sign it and the published document it replaces (nil for a
// first root or bundle, or when none was given).
type reviewed struct {
	*proposal
	sets       []signerSet
	baseRoot   *trust.Root
	baseBundle *trust.Bundle
}

// review reads a proposal and works out who must sign it: for a bundle,
// the officers of the current root; for the first root, its own officers;
// for a root rotation, the officers of the current root AND of the new one.
func review(file, rootPath, bundlePath string, now time.Time) (*reviewed, error) {
	p, err := readProposal(file)
	if err != nil {
		return nil, err
	}
	rv := &reviewed{proposal: p}
	if p.kind == trust.RootType {
		if p.root.Version == 1 {
			rv.sets = []signerSet{setOf(p.root)}
			return rv, nil
		}
		if rootPath == "" {
			return nil, cli.Usagef("-root is required: %s proposes root version %d, to be signed by the officers of the current root and of the new one", file, p.root.Version)
		}
		cur, _, err := loadRoot(rootPath, now, true)
		if err != nil {
			return nil, err
		}
		if p.root.Version != cur.Version+1 {
			return nil, fmt.Errorf("%s proposes root version %d, but the current root (%s) is version %d: a proposal must follow the current root; make it again with thbx-keys root-propose",
				file, p.root.Version, rootPath, cur.Version)
		}
		rv.baseRoot = cur
		rv.sets = []signerSet{setOf(cur), setOf(p.root)}
		return rv, nil
	}
	root, _, err := loadRoot(rootPath, now, true)
	if err != nil {
		return nil, err
	}
	if p.bundle.RootVersion > root.Version {
		return nil, fmt.Errorf("%s names root version %d, newer than %s (version %d): fetch the new root first", file, p.bundle.RootVersion, rootPath, root.Version)
	}
	rv.sets = []signerSet{setOf(root)}
	if bundlePath != "" {
		cur, err := loadBundle(bundlePath, root, rootPath, now, true)
		if err != nil {
			return nil, err
		}
		rv.baseBundle = cur.Bundle
	}
	return rv, nil
}

// printChanges shows what the proposal is and what it changes.
func (rv *reviewed) printChanges(w io.Writer, now time.Time) {
	var lines []string
	if rv.root != nil {
		r := rv.root
		fmt.Fprintf(w, "%s: root proposal, version %d, threshold %d of %d officers, expires %s\n",
			rv.path, r.Version, r.Threshold, len(r.Officers), stamp(r.Expires))
		if rv.baseRoot != nil {
			fmt.Fprintf(w, "changes against root version %d:\n", rv.baseRoot.Version)
		} else {
			fmt.Fprintln(w, "changes (the first root):")
		}
		lines = trust.DiffRoot(rv.baseRoot, r)
	} else {
		b := rv.bundle
		fmt.Fprintf(w, "%s: trust bundle proposal, version %d, under root version %d, expires %s\n",
			rv.path, b.Version, b.RootVersion, stamp(b.Expires))
		switch {
		case rv.baseBundle != nil:
			fmt.Fprintf(w, "changes against the published bundle version %d:\n", rv.baseBundle.Version)
		case b.Version == 1:
			fmt.Fprintln(w, "changes (the first bundle):")
		default:
			fmt.Fprintln(w, "changes (no -bundle given: the whole bundle, against an empty one):")
		}
		lines = trust.Diff(rv.baseBundle, b)
	}
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", shortenRecipients(l))
	}
	if len(lines) == 0 {
		fmt.Fprintln(w, "  (no changes)")
	}
	if b, cur := rv.bundle, rv.baseBundle; b != nil && cur != nil && b.Version != cur.Version+1 {
		fmt.Fprintf(w, "WARNING: the proposal is version %d but the published bundle is version %d: it was not made from the published bundle; propose the change again from it\n",
			b.Version, cur.Version)
	}
	if exp := rv.expires(); !now.Before(exp) {
		fmt.Fprintf(w, "WARNING: the proposal expired at %s and can no longer be published; propose it again with a later expiry\n", stamp(exp))
	}
}

func (rv *reviewed) expires() time.Time {
	if rv.root != nil {
		return rv.root.Expires
	}
	return rv.bundle.Expires
}

// printSignatures shows who has signed and how many signatures are still
// needed; it reports whether every threshold is met.
func (rv *reviewed) printSignatures(w io.Writer) bool {
	var names []string
	var problems []string
	for i, kid := range rv.doc.KeyIDs() {
		name, counts := "", false
		for _, set := range rv.sets {
			if o, ok := set.officer(kid); ok {
				name = o.ID
				one := &trust.Signed{Payload: rv.doc.Payload, Signatures: rv.doc.Signatures[i : i+1]}
				if _, err := one.Verify(set.officers, 1, rv.kind); err == nil {
					counts = true
				}
			}
		}
		switch {
		case name == "":
			problems = append(problems, fmt.Sprintf("signature %d is by key %s, not an officer of root version %s", i+1, kid, rv.versions()))
		case !counts:
			problems = append(problems, fmt.Sprintf("signature %d, by officer %s, does not verify (was the file changed after signing?)", i+1, name))
		case !slices.Contains(names, name):
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		names = []string{"nobody yet"}
	}
	fmt.Fprintf(w, "signed by: %s\n", strings.Join(names, ", "))
	complete := true
	for _, set := range rv.sets {
		got := set.signers(rv.doc, rv.kind)
		fmt.Fprintf(w, "officers of root version %d: %d of %d signature(s)", set.version, len(got), set.threshold)
		if len(got) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(got, ", "))
		}
		if len(got) >= set.threshold {
			fmt.Fprintln(w, ": enough")
			continue
		}
		complete = false
		var others []string
		for _, o := range set.officers {
			if !slices.Contains(got, o.ID) {
				others = append(others, o.ID)
			}
		}
		fmt.Fprintf(w, "; %d more needed, from: %s\n", set.threshold-len(got), strings.Join(others, ", "))
	}
	for _, p := range problems {
		fmt.Fprintf(w, "WARNING: %s\n", p)
	}
	return complete
}

func (rv *reviewed) versions() string {
	var vs []string
	for _, s := range rv.sets {
		vs = append(vs, fmt.Sprint(s.version))
	}
	return strings.Join(vs, " or ")
}

func (a *app) review(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	rootPath := fs.String("root", "", "the current published root (root.json); not needed for the first root")
	bundlePath := fs.String("bundle", "", "the current published bundle, to show the changes against it")
	file, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	now := a.now()
	rv, err := review(file, *rootPath, *bundlePath, now)
	if err != nil {
		return err
	}
	rv.printChanges(env.Stdout, now)
	if rv.printSignatures(env.Stdout) {
		fmt.Fprintf(env.Stdout, "ready to publish: %s\n", rv.publishHint())
	} else {
		fmt.Fprintf(env.Stdout, "to co-sign after checking every change: thbx-keys sign %s -key YOUR.key%s\n", file, rv.flagsHint())
	}
	return nil
}

func (rv *reviewed) flagsHint() string {
	var s string
	if len(rv.sets) > 1 || rv.bundle != nil {
		s += " -root root.json"
	}
	if rv.baseBundle != nil {
		s += " -bundle bundle.json"
	}
	return s
}

func (rv *reviewed) publishHint() string {
	if rv.root != nil {
		root := ""
		if rv.root.Version > 1 {
			root = " -root root.json"
		}
		return fmt.Sprintf("thbx-keys publish %s%s -out root.json", rv.path, root)
	}
	return fmt.Sprintf("thbx-keys publish %s -root root.json -out bundle.json", rv.path)
}

func (a *app) sign(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	keyPath := fs.String("key", "", "your officer key (.key)")
	rootPath := fs.String("root", "", "the current published root (root.json); not needed for the first root")
	bundlePath := fs.String("bundle", "", "the current published bundle, to show the changes against it")
	file, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if *keyPath == "" {
		return cli.Usagef("-key is required")
	}
	now := a.now()
	rv, err := review(file, *rootPath, *bundlePath, now)
	if err != nil {
		return err
	}
	key, err := loadOfficerKey(*keyPath)
	if err != nil {
		return err
	}
	id, err := rv.officerOf(key.KeyID())
	if err != nil {
		return err
	}
	if slices.Contains(rv.doc.KeyIDs(), key.KeyID()) {
		return fmt.Errorf("officer %s (key %s) has already signed %s; the other signatures must come from other officers", id, key.KeyID(), file)
	}
	rv.printChanges(env.Stdout, now)
	if err := rv.doc.AddSignature(key, rv.kind); err != nil {
		return err
	}
	if err := rewrite(file, rv.doc); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "signed %s as officer %s (key %s)\n", file, id, key.KeyID())
	if rv.printSignatures(env.Stdout) {
		fmt.Fprintf(env.Stdout, "ready to publish: %s\n", rv.publishHint())
	} else {
		fmt.Fprintf(env.Stdout, "next: another officer reviews and signs: thbx-keys review %s%s\n", file, rv.flagsHint())
	}
	return nil
}

// officerOf names the officer of kid among those who must sign, or says
// whose key it should have been.
func (rv *reviewed) officerOf(kid string) (string, error) {
	var ids []string
	for _, set := range rv.sets {
		if o, ok := set.officer(kid); ok {
			return o.ID, nil
		}
		for _, o := range set.officers {
			if !slices.Contains(ids, o.ID) {
				ids = append(ids, o.ID)
			}
		}
	}
	return "", fmt.Errorf("key %s is not an officer of root version %s (officers: %s); sign with your own officer key",
		kid, rv.versions(), strings.Join(ids, ", "))
}

// rewrite replaces a proposal in place, atomically, keeping its mode.
func rewrite(path string, s *trust.Signed) error {
	b, err := s.Marshal()
	if err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if info, err := os.Stat(path); err == nil {
		mode = info.Mode().Perm()
	}
	return certs.WriteFileAtomic(path, b, mode)
}

// longRecipient is a post-quantum recipient, some two thousand characters.
var longRecipient = regexp.MustCompile(`age1pq1[0-9a-z]{60,}`)

// shortenRecipients names post-quantum recipients by their fingerprint, as
// hub-rotate prints them, so that a change fits on a screen.
func shortenRecipients(line string) string {
	return longRecipient.ReplaceAllStringFunc(line, func(r string) string {
		return r[:16] + "… (fingerprint " + certs.RecipientFingerprint(r) + ")"
	})
}
