package keyscli

import (
	"context"
	"io"
	"time"

	"github.com/thbx/thbx/cmd/internal/cli"
)

// app carries what the trust commands take from the world, so that tests
// can fix the clock and the randomness.
type app struct {
	clock func() time.Time
	rand  io.Reader // nil: crypto/rand
}

// now is the time in whole seconds, UTC: the documents name times to the
// second.
func (a *app) now() time.Time { return a.clock().UTC().Truncate(time.Second) }

type runFunc func(context.Context, *cli.Command, cli.Env, []string) error

// bind attaches each command's run function.
func bind(cmds []cli.Command, runs []runFunc) []cli.Command {
	for i := range cmds {
		run, c := runs[i], &cmds[i]
		c.Run = func(ctx context.Context, env cli.Env, args []string) error { return run(ctx, c, env, args) }
	}
	return cmds
}

// trustCommands are the officers' commands for the root and the signed
// trust bundle, under dual control.
func (a *app) trustCommands() []cli.Command {
	cmds := []cli.Command{
		{Name: "officer-keygen", Summary: "make a security officer's signing key",
			Usage: `[-out officer.key]

Each officer runs this on their own machine. It writes the private key
(mode 0600; it never leaves that machine and is never overwritten) and the
public key next to it (.pub), which goes to whoever assembles the root, and
prints the key id.

example:
  thbx-keys officer-keygen -out alice.key`},
		{Name: "root-init", Summary: "propose the first root: the officers and the threshold",
			Usage: `-officer ID=FILE.pub ... [-name ID=NAME ...] [-threshold 2] [-valid-for 17520h] -out FILE

The root names the security officers and how many of them (the threshold)
must sign every root and bundle. The proposal is unsigned: each officer
then reviews and signs it, and it is published once the threshold has
signed. At least 2 signatures are always needed, so no officer changes
trust alone.

example:
  thbx-keys root-init -officer alice=alice.pub -officer bob=bob.pub -officer carol=carol.pub \
      -name alice="Alice Novak" -out root.proposal.json
  thbx-keys sign root.proposal.json -key alice.key      # alice, then bob on his machine
  thbx-keys publish root.proposal.json -out root.json`},
		{Name: "root-propose", Summary: "propose a new root: change officers, threshold or expiry",
			Usage: `-root root.json [-officer ID=FILE.pub ...] [-name ID=NAME ...] [-threshold N] [-valid-for 17520h] -out FILE

The new root has the next version. -officer flags, when given, are the
complete new list of officers (an officer kept keeps their key unless a new
.pub is named). The new root is valid only when signed by the threshold of
the CURRENT officers and by the threshold of the NEW ones.

example:
  thbx-keys root-propose -root root.json -officer alice=alice.pub -officer bob=bob.pub \
      -officer dave=dave.pub -out root-2.proposal.json
  thbx-keys sign root-2.proposal.json -key alice.key -root root.json
  thbx-keys publish root-2.proposal.json -root root.json -out root.json   # keeps root-1.json`},
		{Name: "bundle-init", Summary: "propose the first trust bundle from the hub's public keys",
			Usage: `-root root.json -hub hub.json -endpoint HOST:PORT -bucket BUCKET [-region R] [-insecure] [-valid-for 2160h] [-key officer.key] -out FILE

The first bundle (version 1) names the hub's recipients and receipt key
(from the hub.json made by thbx-keys init) and the drop box, and no
partners yet. With -key, the officer signs it at once.

example:
  thbx-keys bundle-init -root root.json -hub hubkeys/hub.json -endpoint s3.example.org:443 \
      -bucket thbx -key alice.key -out bundle.proposal.json
  thbx-keys sign bundle.proposal.json -key bob.key -root root.json
  thbx-keys publish bundle.proposal.json -root root.json -out bundle.json`},
		{Name: "propose", Summary: "propose a change of the published trust bundle",
			Usage: `-root root.json -bundle bundle.json -out FILE [-key officer.key] CHANGES...

Changes (any number, applied in this order):
  -add-partner REQUEST.json [-datasets victims,...] [-key-valid-for 8760h]
  -add-key PARTNER=NEW.pub [-key-valid-for 8760h]      (repeatable)
  -rotate-key PARTNER=NEW.pub [-overlap 168h]          (repeatable)
  -revoke-key KID|FILE.pub [-at RFC3339]               (repeatable)
  -rotate-hub NEW-HUB.json                             (made by thbx-keys hub-rotate)
  -expires RFC3339 | -valid-for DURATION               (the bundle's new expiry)
  -policy-digest HEX                                   (SHA-256 of the access policy)

The published bundle is verified under the root first. The proposal is the
next version; it prints what changes, and with -key it carries your
signature. Other officers review and sign it; publish it once enough have.

examples:
  thbx-keys propose -root root.json -bundle bundle.json -add-partner lastrada.request.json \
      -key alice.key -out lastrada.proposal.json
  thbx-keys propose -root root.json -bundle bundle.json -rotate-key ngo-lastrada=lastrada-2026.pub \
      -overlap 168h -key alice.key -out rotate.proposal.json
  thbx-keys propose -root root.json -bundle bundle.json -revoke-key 3q2-7wAbCdEfGhIj \
      -at 2026-05-01T00:00:00Z -key alice.key -out revoke.proposal.json
  thbx-keys propose -root root.json -bundle bundle.json -valid-for 2160h -key alice.key -out renew.proposal.json`},
		{Name: "review", Summary: "show what a proposal changes and who has signed it",
			Usage: `FILE [-root root.json] [-bundle bundle.json]

Shows a root or bundle proposal's changes against the published root or
bundle, which officers have signed, and how many more signatures are
needed. -root is needed for everything but the first root.

example:
  thbx-keys review revoke.proposal.json -root root.json -bundle bundle.json`},
		{Name: "sign", Summary: "co-sign a proposal after reviewing it",
			Usage: `FILE -key officer.key [-root root.json] [-bundle bundle.json]

Shows the changes again and adds your signature to FILE in place. A key
that is not an officer of the root, or an officer who has signed already,
is refused. A root rotation may be signed by officers of the current root
and of the new one.

example:
  thbx-keys sign revoke.proposal.json -key bob.key -root root.json -bundle bundle.json`},
		{Name: "publish", Summary: "check a fully signed proposal and publish it",
			Usage: `FILE -out FILE [-root root.json] [-current bundle.json] [-upload]

A bundle must carry the signatures of the threshold of the root's officers,
be unexpired and newer than the published one (-current, or the existing
-out file). A root must carry its own threshold and, after the first, that
of the current root (-root); the previous root is kept as root-<v>.json
next to -out. Nothing that does not verify is written.

With -upload it also goes into the drop box: trust/bundle.json, or
trust/root.json and trust/root-<v>.json, with the credentials from
THBX_S3_ENDPOINT, THBX_S3_BUCKET, THBX_S3_ACCESS_KEY, THBX_S3_SECRET_KEY
(THBX_S3_INSECURE=true for plain HTTP on loopback), or THBX_DROPBOX=dir with
THBX_DROPBOX_DIR. For a bundle, the drop box it names is the default.

examples:
  thbx-keys publish root.proposal.json -out root.json
  thbx-keys publish revoke.proposal.json -root root.json -out bundle.json -upload`},
		{Name: "status", Summary: "check the root and bundle; warn of what expires soon",
			Usage: `-root root.json -bundle bundle.json [-within 720h]

Verifies both, lists the officers, the partners and their keys, and prints
a WARNING line for each key, the bundle and the root expiring within the
window (30 days by default). Warnings do not change the exit status.

example:
  thbx-keys status -root root.json -bundle bundle.json`},
		{Name: "hub-rotate", Summary: "make new hub identities (the old ones are kept)",
			Usage: `-dir HUBKEYS [-hub hub.json] [-out FILE]

Appends new post-quantum hybrid identities for standard and restricted data
to HUBKEYS/hub-identities.txt (the old ones stay, so the hub still opens
older submissions) and writes a new hub info file with the new recipients
and the same receipt key (HUBKEYS/hub-<time>.json unless -out). Restart the
hub so it loads the new identities, then propose the change.

example:
  thbx-keys hub-rotate -dir hubkeys -out hub-2026.json
  thbx-keys propose -root root.json -bundle bundle.json -rotate-hub hub-2026.json \
      -key alice.key -out hub-rotation.proposal.json`},
		{Name: "linkage-secret", Summary: "make the partners' shared linkage secret",
			Usage: `[-out linkage.secret]

32 random bytes (mode 0600, never overwritten). It goes to each partner in
its enrolment package; the hub must never hold it.

example:
  thbx-keys linkage-secret -out linkage.secret`},
		{Name: "enrol-package", Summary: "make a newly enrolled partner's package",
			Usage: `-request REQUEST.json -root root.json -bundle bundle.json -linkage-secret FILE [-s3-access-key KEY] -out FILE

For a partner whose request is in the published bundle: the root, the
bundle, and the partner's secrets (the linkage secret and, if given, its
drop-box credentials) encrypted to the partner. The S3 secret key is read
from THBX_PARTNER_S3_SECRET, never from a flag. Read the printed root
fingerprint to the partner by phone: they confirm it before trusting it.

example:
  THBX_PARTNER_S3_SECRET=... thbx-keys enrol-package -request lastrada.request.json \
      -root root.json -bundle bundle.json -linkage-secret linkage.secret \
      -s3-access-key acct-ngo-lastrada -out ngo-lastrada.enrol`},
	}
	return bind(cmds, []runFunc{a.officerKeygen, a.rootInit, a.rootPropose, a.bundleInit, a.propose,
		a.review, a.sign, a.publish, a.status, a.hubRotate, a.linkageSecret, a.enrolPackage})
}
