package hubcli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/hub/auth"
)

const tokenUsage = `create -name NAME -role ROLE [-scope ACTIONS] [-expires 90d] [flags]
   or: thbx-hub token list | revoke -name NAME   [-config FILE | -tokens FILE]

Service accounts and scripts reach the API with a token. create makes
one, adds its SHA-256 (never the token) with its roles, scopes and
expiry to the tokens file (auth.tokens_file in the config, or -tokens;
created 0600 if missing) and prints the token once: give it to the client.
A running hub takes the change at its next poll of the drop box. People log in through
OIDC instead (auth.oidc), with roles from the identity provider.

Roles: analyst, head_of_unit, security_officer, auditor, partner,
service. Scopes, the actions a token may ask for: read_records,
read_aggregates, export, read_submissions, read_audit. What the role may
see of the data is still the access policy's decision.

examples:
  thbx-hub token create -name stats-office -role analyst -scope read_aggregates,export -expires 90d
  thbx-hub token create -name nightly -role head_of_unit -clearance restricted -unit analysis -scope read_records -expires 30d
  thbx-hub token list
  thbx-hub token revoke -name stats-office`

func token(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := fs.String("config", "", "config file (default $THBX_HUB_CONFIG or ./thbx-hub.yaml)")
	tokens := fs.String("tokens", "", "the tokens file (default: auth.tokens_file of the config)")
	name := fs.String("name", "", "the service account's name")
	roles := fs.String("role", "", "comma-separated roles")
	scopes := fs.String("scope", "", "comma-separated actions the token may ask for")
	datasets := fs.String("datasets", "", "comma-separated datasets it is limited to (default: no limit)")
	clearance := fs.String("clearance", "", "standard or restricted")
	unit := fs.String("unit", "", "organisational unit, for the policy's units")
	partner := fs.String("partner", "", "the partner id, for role partner")
	expires := fs.String("expires", "90d", "lifetime (90d, 2w, 12h) or an RFC 3339 time; at most a year")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := cli.Parse(fs, args); err != nil {
			return err
		}
		return cli.Usagef("say token create, token list or token revoke")
	}
	verb := args[0]
	if err := cli.Parse(fs, args[1:], 0); err != nil {
		return err
	}
	path := *tokens
	if path == "" {
		cfg, err := loadConfig(env, *config)
		if err != nil {
			return err
		}
		if path = cfg.Auth.TokensFile; path == "" {
			return cli.Usagef("name the tokens file: -tokens FILE, or auth.tokens_file in the config")
		}
	}
	now := time.Now()
	switch verb {
	case "create":
		if *name == "" || *roles == "" {
			return cli.Usagef("token create needs -name and -role")
		}
		exp, err := auth.ParseExpiry(*expires, now)
		if err != nil {
			return cli.Usagef("-expires %q: %v", *expires, err)
		}
		e := auth.TokenEntry{Name: *name, Roles: split(*roles), Scopes: split(*scopes), Datasets: split(*datasets),
			Clearance: *clearance, Unit: *unit, Partner: *partner, Expires: exp}
		tok, e, err := auth.MintToken(nil, now, e)
		if err != nil {
			return err
		}
		if err := auth.AddToken(path, e); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "token:   %s\nname:    %s\nroles:   %s\nscopes:  %s\nexpires: %s\n\nAdded to %s (as its SHA-256). Give the token to the client now: it is not stored and cannot be shown again.\n",
			tok, e.Name, strings.Join(e.Roles, ","), strings.Join(e.Scopes, ","), e.Expires.Format(time.RFC3339), path)
		return nil
	case "list":
		b, err := certs.ReadSecretFile(path)
		if err != nil {
			return err
		}
		f, err := auth.ParseTokensFile(b)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLES\tSCOPES\tCLEARANCE\tUNIT\tEXPIRES\t")
		for _, e := range f.Tokens {
			state := e.Expires.Format("2006-01-02")
			if !now.Before(e.Expires) {
				state += " (expired)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", e.Name, strings.Join(e.Roles, ","), strings.Join(e.Scopes, ","),
				orDash(e.Clearance), orDash(e.Unit), state)
		}
		return tw.Flush()
	case "revoke":
		if *name == "" {
			return cli.Usagef("token revoke needs -name")
		}
		if err := auth.RemoveToken(path, *name); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "revoked %s: removed from %s; a running hub refuses it from its next poll\n", *name, path)
		return nil
	}
	return cli.Usagef("unknown token command %q: say create, list or revoke", verb)
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
