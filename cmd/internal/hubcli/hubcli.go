// Package hubcli is the thbx-hub command: the Rapporteur's hub, which
// takes in partners' sealed submissions from the drop box and serves what
// it accepted over an HTTP API.
package hubcli

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/hub/demo"
	"github.com/thbx/thbx/hub/server"
)

const prog = "thbx-hub"

// Main runs thbx-hub with args (without the program name).
func Main(args []string, env cli.Env) int {
	return cli.Main(prog, "the Rapporteur's hub for partners' sealed THB submissions", commands(), args, env)
}

func commands() []cli.Command {
	cmds := []cli.Command{
		{Name: "demo", Summary: "run the whole flow locally on embedded defaults",
			Usage: `[-dir DIR] [-listen ADDR] [-exit-after-ingest] [-v]

Makes hub keys and three demo partners (an NGO, the police, the Victim
Assistance Programme), seals and sends synthetic 2025 files through the
real agent code to a drop box in a local directory, ingests them into
SQLite, prints what each partner's receipts say, and serves the API until
interrupted. No servers to set up.

examples:
  thbx-hub demo
  thbx-hub demo -exit-after-ingest
  thbx-hub demo -dir ./demo -listen 127.0.0.1:9090`},
		{Name: "serve", Summary: "poll the drop box and serve the API",
			Usage: `[-config FILE] [-once]

Watches the drop box's inbox, verifies, opens and stores each submission,
writes a signed receipt for it, merges, and serves the API under the
access policy (policy, policy_sha256), to clients of the tokens file
(auth.tokens_file) or an OIDC issuer (auth.oidc), over TLS if tls.cert is
set, recording every decision in the audit log (audit_log). Configuration
comes from the file (-config, $THBX_HUB_CONFIG or ./thbx-hub.yaml) and
the environment (THBX_HUB_KEYS, THBX_HUB_STORE, THBX_HUB_LISTEN,
THBX_HUB_POLL_INTERVAL, THBX_HUB_TOKENS, THBX_HUB_POLICY,
THBX_HUB_POLICY_SHA256, THBX_DROPBOX, THBX_S3_...).

examples:
  thbx-hub serve -config /etc/thbx/thbx-hub.yaml
  thbx-hub serve -config thbx-hub.yaml -once    # one poll, then exit`},
		{Name: "token", Summary: "make, list and revoke API tokens of service accounts", Usage: tokenUsage},
	}
	cmds[0].Run = func(ctx context.Context, env cli.Env, args []string) error { return runDemo(ctx, &cmds[0], env, args) }
	cmds[1].Run = func(ctx context.Context, env cli.Env, args []string) error { return serve(ctx, &cmds[1], env, args) }
	cmds[2].Run = func(ctx context.Context, env cli.Env, args []string) error { return token(ctx, &cmds[2], env, args) }
	cmds = append(cmds,
		cli.Command{Name: "merge", Summary: "make, list or verify merge versions", Usage: mergeUsage},
		cli.Command{Name: "export", Summary: "write report tables or merged records to a file", Usage: exportUsage})
	cmds[3].Run = func(ctx context.Context, env cli.Env, args []string) error { return mergeCmd(ctx, &cmds[3], env, args) }
	cmds[4].Run = func(ctx context.Context, env cli.Env, args []string) error {
		return exportCmd(ctx, &cmds[4], env, args)
	}
	return cmds
}

func logger(env cli.Env, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
}

func runDemo(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	dir := fs.String("dir", "", "working directory (default: a new temporary directory)")
	listen := fs.String("listen", "127.0.0.1:8080", "API address")
	exit := fs.Bool("exit-after-ingest", false, "exit after the ingest instead of serving the API")
	verbose := fs.Bool("v", false, "log the hub's work to stderr")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	opts := demo.Options{Dir: *dir, Listen: *listen, ExitAfterIngest: *exit, Out: env.Stdout}
	if *verbose {
		opts.Logger = logger(env, false)
	}
	return demo.Run(ctx, opts)
}

func serve(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := fs.String("config", "", "config file (default $THBX_HUB_CONFIG or ./thbx-hub.yaml)")
	once := fs.Bool("once", false, "poll the drop box once and exit, without serving the API")
	verbose := fs.Bool("v", false, "debug logging")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *config)
	if err != nil {
		return err
	}
	log := logger(env, *verbose)
	server.ApplyMemoryLimit(cfg, log)
	h, err := server.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer h.Close()
	if *once {
		sum, err := h.Poll(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "accepted %d, rejected %d, quarantined %d, duplicates %d, waiting %d",
			sum.Accepted, sum.Rejected, sum.Quarantined, sum.Duplicates, sum.Waiting)
		if sum.Held > 0 {
			fmt.Fprintf(env.Stdout, ", held sealed %d (no identity of their classification)", sum.Held)
		}
		fmt.Fprintln(env.Stdout)
		return nil
	}
	return h.Serve(ctx, nil)
}

// loadConfig reads the config file (path, $THBX_HUB_CONFIG or
// ./thbx-hub.yaml, if any) and applies the environment.
func loadConfig(env cli.Env, path string) (server.Config, error) {
	if path == "" {
		path = env.Getenv("THBX_HUB_CONFIG")
	}
	if path == "" {
		if _, err := os.Stat("thbx-hub.yaml"); err == nil {
			path = "thbx-hub.yaml"
		}
	}
	var cfg server.Config
	if path != "" {
		var err error
		if cfg, err = server.LoadConfig(path); err != nil {
			return cfg, err
		}
	}
	return cfg, cfg.ApplyEnv(env.Getenv)
}
