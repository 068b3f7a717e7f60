// Package agentcli is the thbx-agent command: a partner's tool to make a
// signing key, check a file, seal and send it to the hub's drop box, and
// follow the hub's receipts.
package agentcli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
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
		{Name: "check", Summary: "check a file without sending anything",
			Usage: `[-json] FILE.csv

Lists every problem in the file: row, column, value and reason.

example:
  thbx-agent check victims-2025.csv`},
		{Name: "submit", Summary: "check, seal and send a file",
			Usage: `[-config FILE] -period PERIOD FILE.csv

Checks the file, seals it for the hub (encrypted, signed), keeps the sealed
copy in the outbox and uploads it with anything still waiting. If the file
has a problem, nothing is sealed or sent. A failed upload is retried by
running submit, send or status again: the same sealed submission is sent.

examples:
  thbx-agent submit -config thbx-agent.yaml -period 2025 victims-2025.csv
  THBX_S3_SECRET_KEY=... thbx-agent submit -period 2025-H1 victims.csv`},
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
	}
	cmds[0].Run = func(ctx context.Context, env cli.Env, args []string) error { return keygen(&cmds[0], env, args) }
	cmds[1].Run = func(ctx context.Context, env cli.Env, args []string) error { return check(&cmds[1], env, args) }
	cmds[2].Run = func(ctx context.Context, env cli.Env, args []string) error { return submit(ctx, &cmds[2], env, args) }
	cmds[3].Run = func(ctx context.Context, env cli.Env, args []string) error { return send(ctx, &cmds[3], env, args) }
	cmds[4].Run = func(ctx context.Context, env cli.Env, args []string) error { return status(ctx, &cmds[4], env, args) }
	return cmds
}

func keygen(c *cli.Command, env cli.Env, args []string) error {
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

func check(c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	asJSON := fs.Bool("json", false, "print problems as JSON")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.Usagef("name one file to check")
	}
	n, err := agent.CheckFile(fs.Arg(0))
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
		return fmt.Errorf("%s has %d problem(s)", fs.Arg(0), len(pe.Problems)+pe.More)
	}
	if !*asJSON {
		fmt.Fprintf(env.Stdout, "%s: %d records, no problems\n", fs.Arg(0), n)
	}
	return nil
}

// setup loads the config named by -config, $THBX_AGENT_CONFIG or
// ./thbx-agent.yaml, applies the environment, and opens agent and outbox.
func setup(env cli.Env, configPath string) (*agent.Agent, *agent.Outbox, error) {
	var cfg agent.Config
	path := configPath
	if path == "" {
		path = env.Getenv("THBX_AGENT_CONFIG")
	}
	if path == "" {
		if _, err := os.Stat("thbx-agent.yaml"); err == nil {
			path = "thbx-agent.yaml"
		}
	}
	if path != "" {
		var err error
		if cfg, err = agent.LoadConfig(path); err != nil {
			return nil, nil, err
		}
	}
	if err := cfg.ApplyEnv(env.Getenv); err != nil {
		return nil, nil, err
	}
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
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.Usagef("name one file to submit")
	}
	if !submission.ValidPeriod(*period) {
		return cli.Usagef("-period %q: want YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM", *period)
	}
	a, ob, err := setup(env, *config)
	if err != nil {
		return err
	}
	defer ob.Close()
	e, err := a.SealFile(ob, fs.Arg(0), *period)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "sealed %s: %d records, %s %s, seq %d\n", e.ID, e.Manifest.Records, e.Manifest.Dataset, e.Manifest.Period, e.Manifest.Sequence)
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
	a, ob, err := setup(env, *config)
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
	a, ob, err := setup(env, *config)
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
