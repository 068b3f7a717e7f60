// Package agentcli is the thbx-agent command: a partner's tool to make a
// signing key, check a file, seal and send it to the hub's drop box, and
// follow the hub's receipts.
package agentcli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/submission/dropbox"
	"github.com/thbx/thbx/submission/schema"
)

const prog = "thbx-agent"

// Main runs thbx-agent with args (without the program name).
func Main(args []string, env cli.Env) int {
	return cli.Main(prog, "seal and send a partner's THB data to the Rapporteur's hub", commands(), args, env)
}

func commands() []cli.Command {
	cmds := []cli.Command{
		{Name: "keygen", Summary: "make this partner's signing key",
			Usage: `[-out partner.key]

Makes an Ed25519 signing key (mode 0600; the private key never leaves this
machine) and writes its public half next to it (partner.pub). Send the .pub
file to the Rapporteur's security officers to be registered.

example:
  thbx-agent keygen -out /etc/thbx/partner.key`},
		{Name: "enrol", Summary: "make this partner's keys and an enrolment request for the officers",
			Usage: `-id PARTNER -name NAME -category CATEGORY [-datasets victims] [-dir DIR]

Makes, in DIR (default: the current directory), the partner's signing key
(partner.key, 0600), an age identity on which the officers encrypt your
secrets (secrets.agekey, 0600), and enrolment-request.json. Send the request
file to the security officers; they answer with an enrolment package for
'thbx-agent install'. Private keys never leave DIR.

example:
  thbx-agent enrol -id ngo-lastrada -name "La Strada" -category ngo -dir /etc/thbx`},
		{Name: "install", Summary: "install the enrolment package from the officers",
			Usage: `[-dir DIR] PACKAGE.enrol

Checks the package's root and trust bundle, decrypts your secrets with the
identity 'thbx-agent enrol' made, and writes root.json, bundle.json,
linkage.secret and a ready thbx-agent.yaml into DIR. Confirm the root
fingerprint it prints with the officers by phone before you submit.

example:
  thbx-agent install -dir /etc/thbx ngo-lastrada.enrol`},
		{Name: "map", Summary: "write a first mapping of your own file to the schema",
			Usage: mapUsage},
		{Name: "check", Summary: "check a file without sending anything",
			Usage: checkUsage},
		{Name: "preview", Summary: "show exactly the records that would leave",
			Usage: previewUsage},
		{Name: "submit", Summary: "check, seal and send a file",
			Usage: `[-config FILE] -period PERIOD FILE.csv
   or: thbx-agent submit [-config FILE] -mapping MAPPING.yaml -period PERIOD FILE

Checks the file, seals it for the hub (encrypted, signed), keeps the sealed
copy in the outbox and uploads it with anything still waiting. If the file
has a problem, nothing is sealed or sent. A failed upload is retried by
running submit, send or status again: the same sealed submission is sent.
With -mapping, FILE is your own file: it is mapped and anonymised as the
mapping says (identifiers become linkage keys, under the linkage secret
the config's linkage_secret names), and the manifest names the
anonymisation profile.

examples:
  thbx-agent submit -config thbx-agent.yaml -period 2025 victims-2025.csv
  THBX_S3_SECRET_KEY=... thbx-agent submit -period 2025-H1 victims.csv
  thbx-agent submit -mapping mapping.yaml -period 2025 klienti-2025.xlsx`},
		{Name: "withdraw", Summary: "take back what you submitted for a dataset and period",
			Usage: `[-config FILE] [-dataset DATASET] -period PERIOD

Seals and sends a signed withdrawal: once the hub accepts it, its merges
and report tables leave out your data for that dataset and period (earlier
merge versions keep it, so past reports stay reproducible). Submit the
period again to put new data in its place; a new submission for a period
replaces the previous one by itself, without a withdrawal.

examples:
  thbx-agent withdraw -config thbx-agent.yaml -period 2024
  thbx-agent withdraw -dataset proceedings -period 2024-H1`},
		{Name: "send", Summary: "upload submissions still waiting in the outbox",
			Usage: `[-config FILE] [-all]

Uploads what is sealed but not yet sent. With -all, sends every submission
that has no receipt yet again, for when the hub reports a missing one.

examples:
  thbx-agent send -config thbx-agent.yaml
  thbx-agent send -config thbx-agent.yaml -all`},
		{Name: "status", Summary: "fetch receipts and show each submission's state",
			Usage: `[-config FILE] [-json]

Fetches and verifies the hub's receipts. Shows each submission as pending,
accepted, rejected (with the reason and what to do) or resending (the hub
got a damaged copy; the sealed one is sent again now).

example:
  thbx-agent status -config thbx-agent.yaml`},
		{Name: "synth", Summary: "write synthetic partner files, for trying thbx out",
			Usage: synthUsage},
	}
	runs := []func(context.Context, *cli.Command, cli.Env, []string) error{keygen, enrol, install, mapCmd, check, preview, submit, withdraw, send, status, synthCmd}
	for i := range cmds {
		run, c := runs[i], &cmds[i]
		c.Run = func(ctx context.Context, env cli.Env, args []string) error { return run(ctx, c, env, args) }
	}
	return cmds
}

func keygen(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	out := fs.String("out", "partner.key", "where to write the private key")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	pub, err := agent.Keygen(*out, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "private key: %s (keep it here; mode 0600)\npublic key:  %s (send this to the security officers)\nkey id:      %s\n",
		*out, agent.PublicKeyPath(*out), pub.KeyID())
	return nil
}

func enrol(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	id := fs.String("id", "", "partner id, as agreed with the officers")
	name := fs.String("name", "", "organisation name")
	category := fs.String("category", "", "partner category: "+strings.Join(certs.Categories, ", "))
	datasets := fs.String("datasets", "victims", "comma-separated datasets you will submit")
	dir := fs.String("dir", ".", "directory for keys and configuration")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *id == "" || *name == "" || *category == "" {
		return cli.Usagef("-id, -name and -category are required")
	}
	path, err := agent.Enrol(*dir, trust.EnrolmentRequest{Partner: *id, Name: *name, Category: *category, Datasets: strings.Split(*datasets, ",")})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "enrolment request: %s\nSend it to the security officers; install the package they send back with 'thbx-agent install -dir %s PACKAGE'.\n", path, *dir)
	return nil
}

func install(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	dir := fs.String("dir", ".", "the directory 'thbx-agent enrol' used")
	if err := cli.Parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.Usagef("name the enrolment package")
	}
	in, err := agent.Install(*dir, fs.Arg(0), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "installed for %s: trust bundle version %d, configuration %s\nroot fingerprint: %s\nConfirm this fingerprint with the security officers by phone before you submit.\n",
		in.Partner, in.BundleVersion, in.ConfigPath, in.RootFingerprint)
	return nil
}

func check(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	asJSON := fs.Bool("json", false, "print problems as JSON")
	mappingPath := fs.String("mapping", "", "the mapping of your own file to the schema (thbx-agent map init)")
	period := fs.String("period", "", "with -mapping: the reporting period, for ages where the file has no date of identification")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("name one file to check")
	}
	if err := checkPeriod(*period); err != nil {
		return err
	}
	if *mappingPath != "" {
		return checkMapped(env, pos[0], *mappingPath, *period, *asJSON)
	}
	file := pos[0]
	n, err := agent.CheckFile(file)
	pe := &agent.ProblemsError{Problems: []agent.Problem{}}
	if err != nil && !errors.As(err, &pe) {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"records": n, "problems": pe.Problems, "more": pe.More})
	} else {
		for _, p := range pe.Problems {
			fmt.Fprintln(env.Stdout, p)
		}
	}
	if err != nil {
		return fmt.Errorf("%s has %d problem(s)", file, len(pe.Problems)+pe.More)
	}
	if !*asJSON {
		fmt.Fprintf(env.Stdout, "%s: %d records, no problems\n", file, n)
	}
	return nil
}

// setup loads the config named by -config, $THBX_AGENT_CONFIG or
// ./thbx-agent.yaml, applies the environment, and opens agent and outbox.
func setup(ctx context.Context, env cli.Env, configPath string) (*agent.Agent, *agent.Outbox, error) {
	c, err := agentConfig(env, configPath)
	if err != nil {
		return nil, nil, err
	}
	cfg := *c
	if err := cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("configuration: %w", err)
	}
	box, err := dropbox.Open(cfg.Dropbox)
	if err != nil {
		return nil, nil, fmt.Errorf("configuration: %w", err)
	}
	a, err := agent.New(cfg, box)
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.SyncTrust(ctx); err != nil {
		// Keep working on the verified bundle held; say why it was not
		// refreshed (a refused newer bundle is worth an operator's look).
		fmt.Fprintf(env.Stderr, "%s: warning: trust not refreshed from the drop box: %v\n", prog, err)
	}
	ob, err := agent.OpenOutbox(cfg.Outbox)
	if err != nil {
		return nil, nil, err
	}
	if cli.IsTerminal(env.Stderr) {
		a.Progress = func(id string, sent, total int64) {
			fmt.Fprintf(env.Stderr, "\rupload %s: %3d%% of %d bytes", id, sent*100/max(total, 1), total)
			if sent == total {
				fmt.Fprintln(env.Stderr)
			}
		}
	}
	return a, ob, nil
}

func configFlag(fs *cli.FlagSet) *string {
	return fs.String("config", "", "config file (default $THBX_AGENT_CONFIG or ./thbx-agent.yaml)")
}

func submit(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := configFlag(fs)
	period := fs.String("period", "", "reporting period: YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM")
	mappingPath := fs.String("mapping", "", "the mapping of your own file to the schema (thbx-agent map init)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("name one file to submit")
	}
	if err := requirePeriod(*period); err != nil {
		return err
	}
	if *mappingPath != "" {
		// A broken mapping is said before the configuration is needed.
		if _, err := mapping.Load(*mappingPath); err != nil {
			return err
		}
	}
	a, ob, err := setup(ctx, env, *config)
	if err != nil {
		return err
	}
	defer ob.Close()
	if *mappingPath != "" {
		return submitMapped(ctx, env, a, ob, pos[0], *mappingPath, *period)
	}
	e, err := a.SealFile(ob, pos[0], *period)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "sealed %s: %d records, %s %s, seq %d\n", e.ID, e.Manifest.Records, e.Manifest.Dataset, e.Manifest.Period, e.Manifest.Sequence)
	return upload(ctx, env, a, ob)
}

func withdraw(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := configFlag(fs)
	dataset := fs.String("dataset", "victims", "the dataset: victims, proceedings, controls or aggregates")
	period := fs.String("period", "", "reporting period: YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if err := requirePeriod(*period); err != nil {
		return err
	}
	d, err := schema.Current(*dataset)
	if err != nil {
		return cli.Usagef("-dataset %q: want victims, proceedings, controls or aggregates", *dataset)
	}
	a, ob, err := setup(ctx, env, *config)
	if err != nil {
		return err
	}
	defer ob.Close()
	e, err := a.Withdraw(ob, d, *period)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "sealed withdrawal %s: %s %s, seq %d\n", e.ID, e.Manifest.Dataset, e.Manifest.Period, e.Manifest.Sequence)
	return upload(ctx, env, a, ob)
}

func upload(ctx context.Context, env cli.Env, a *agent.Agent, ob *agent.Outbox) error {
	sent, err := a.Upload(ctx, ob)
	for _, e := range sent {
		fmt.Fprintf(env.Stdout, "sent %s (%d bytes); run 'thbx-agent status' for the hub's receipt\n", e.ID, e.Manifest.Ciphertext.Size)
	}
	return err
}

func send(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := configFlag(fs)
	all := fs.Bool("all", false, "send again every submission that has no receipt yet")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	a, ob, err := setup(ctx, env, *config)
	if err != nil {
		return err
	}
	defer ob.Close()
	if *all {
		sent, err := a.ResendAll(ctx, ob)
		for _, e := range sent {
			fmt.Fprintf(env.Stdout, "sent %s again\n", e.ID)
		}
		return err
	}
	return upload(ctx, env, a, ob)
}

func status(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := configFlag(fs)
	asJSON := fs.Bool("json", false, "print as JSON")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	a, ob, err := setup(ctx, env, *config)
	if err != nil {
		return err
	}
	defer ob.Close()
	sts, err := a.Refresh(ctx, ob)
	if err != nil {
		return err
	}
	if err := upload(ctx, env, a, ob); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if sts == nil {
			sts = []agent.Status{}
		}
		return enc.Encode(sts)
	}
	if len(sts) == 0 {
		fmt.Fprintln(env.Stdout, "no submissions yet")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBMISSION\tDATASET\tPERIOD\tSEQ\tSTATE\tRECORDS\tREASON")
	for _, s := range sts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\n", s.ID, s.Dataset, s.Period, s.Seq, s.State, s.Records, s.Reason)
	}
	tw.Flush()
	for _, s := range sts {
		if s.Message != "" {
			fmt.Fprintf(env.Stdout, "%s: %s\n", s.ID, s.Message)
		}
	}
	return nil
}
