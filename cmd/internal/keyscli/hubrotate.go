package keyscli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/cmd/internal/cli"
)

func (a *app) hubRotate(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	dir := fs.String("dir", "", "the hub's key directory (made by thbx-keys init)")
	hubPath := fs.String("hub", "", "the hub info in force (default: DIR/hub.json)")
	out := fs.String("out", "", "the new hub info to write (default: DIR/hub-<time>.json)")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *dir == "" {
		return cli.Usagef("-dir is required")
	}
	files := certs.HubFilesIn(*dir)
	if *hubPath == "" {
		*hubPath = files.HubInfo
	}
	now := a.now().UTC()
	if *out == "" {
		*out = filepath.Join(*dir, "hub-"+now.Format("20060102T150405Z")+".json")
	}
	if exists(*out) {
		return fmt.Errorf("%s already exists; name another file with -out", *out)
	}
	cur, err := certs.LoadHubInfo(*hubPath)
	if err != nil {
		return err
	}
	old, err := certs.ReadSecretFile(files.Identities)
	if err != nil {
		return fmt.Errorf("hub identities: %w", err)
	}
	kept, err := certs.LoadHubIdentities(files.Identities)
	if err != nil {
		return err
	}
	std, err := certs.GenerateHubIdentity()
	if err != nil {
		return err
	}
	restricted, err := certs.GenerateHubIdentity()
	if err != nil {
		return err
	}
	next := certs.HubInfo{
		Recipients: map[string][]string{"standard": {std.Recipient()}, "restricted": {restricted.Recipient()}},
		Retired:    retire(cur),
		ReceiptKey: cur.ReceiptKey,
	}
	if err := next.Validate(); err != nil {
		return err
	}
	// The identities first: a hub info naming recipients the hub cannot
	// open must never exist, while an identity nobody encrypts to yet is
	// harmless.
	var ids bytes.Buffer
	ids.Write(old)
	if len(old) > 0 && old[len(old)-1] != '\n' {
		ids.WriteByte('\n')
	}
	stdText, _ := std.MarshalText()
	resText, _ := restricted.MarshalText()
	fmt.Fprintf(&ids, "# rotated %s; the identities above stay for older submissions.\n# standard: %s\n%s# restricted: %s\n%s",
		now.Format(time.RFC3339), std.Recipient(), stdText, restricted.Recipient(), resText)
	if err := certs.WriteFileAtomic(files.Identities, ids.Bytes(), 0o600); err != nil {
		return err
	}
	info, err := jsonIndent(next)
	if err != nil {
		return err
	}
	if err := certs.WritePublicFile(*out, info); err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "appended 2 new identities to %s (the %d older ones stay: the hub still opens what was sealed to them)\n", files.Identities, len(kept))
	fmt.Fprintf(w, "new hub info: %s (same receipt key)\n", *out)
	fmt.Fprintf(w, "  standard recipient:   fingerprint %s\n", certs.RecipientFingerprint(std.Recipient()))
	fmt.Fprintf(w, "  restricted recipient: fingerprint %s\n", certs.RecipientFingerprint(restricted.Recipient()))
	fmt.Fprintf(w, "next:\n  1. restart the hub so it loads the new identities, before the new bundle is published\n")
	fmt.Fprintf(w, "  2. thbx-keys propose -root root.json -bundle bundle.json -rotate-hub %s -key YOUR.key -out hub-rotation.proposal.json\n", *out)
	return nil
}

// retire lists, per class, what agents must stop encrypting to after the
// rotation: the retired recipients so far and the current ones.
func retire(cur certs.HubInfo) map[string][]string {
	out := map[string][]string{}
	for _, class := range []string{"standard", "restricted"} {
		for _, r := range append(slices.Clone(cur.Retired[class]), cur.Recipients[class]...) {
			if !slices.Contains(out[class], r) {
				out[class] = append(out[class], r)
			}
		}
		if len(out[class]) == 0 {
			delete(out, class)
		}
	}
	return out
}
