package hubcli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/server"
	"github.com/thbx/thbx/submission/schema"
)

const mergeUsage = `[-config FILE] [-list | -verify VERSION]

Makes a new merge version from the submissions in force, when they
changed since the last one: victims linked into persons across sources
and years, proceedings and controls totals, report tables. A running hub
merges after each poll by itself (unless merge.manual is set); this
command is for a stopped hub. -list shows the versions; -verify makes a
version again from the records the store keeps and checks that the result
is the same.

examples:
  thbx-hub merge -config thbx-hub.yaml
  thbx-hub merge -config thbx-hub.yaml -list
  thbx-hub merge -config thbx-hub.yaml -verify 3`

const exportUsage = `[-config FILE] [-version N] [-scope standard|restricted] [-k 3] [-format json|csv|xlsx] [-o FILE] [TABLE | -completeness | -raw -records]

Writes a merge version's report tables (all of them, or the one named),
or the completeness table, to a file or standard output. Tables are
protected for publication: counts of 1 to -k (3) are suppressed, and as
many others as it takes that none can be worked out from the totals;
-raw writes them unprotected, for use inside the Rapporteur's office
only. -raw -records writes the version's victims records with their
person ids. CSV takes one table; XLSX writes a workbook with a sheet per
table. The scope is the classification of the data included: standard
(the default) leaves out every restricted submission. Every export is
recorded in the audit log as the operator's. Reads the store directly,
so the hub must be stopped; a running hub serves the same under
/api/v1/merges, as its access policy decides.

examples:
  thbx-hub export -config thbx-hub.yaml -format xlsx -o report-2025.xlsx
  thbx-hub export -config thbx-hub.yaml -format csv overlap_by_sex
  thbx-hub export -config thbx-hub.yaml -version 2 -raw -records -o merged.json
  thbx-hub export -config thbx-hub.yaml -completeness -format csv`

func openOffline(ctx context.Context, env cli.Env, path string) (*server.Hub, error) {
	cfg, err := loadConfig(env, path)
	if err != nil {
		return nil, err
	}
	log := logger(env, false)
	server.ApplyMemoryLimit(cfg, log)
	return server.OpenOffline(ctx, cfg, log)
}

func mergeCmd(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := fs.String("config", "", "config file (default $THBX_HUB_CONFIG or ./thbx-hub.yaml)")
	list := fs.Bool("list", false, "list the merge versions")
	verify := fs.Int64("verify", 0, "make version `N` again and compare")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *list && *verify != 0 {
		return cli.Usagef("-list and -verify do not go together")
	}
	h, err := openOffline(ctx, env, *config)
	if err != nil {
		return err
	}
	defer h.Close()
	switch {
	case *list:
		ms, err := h.Store.Merges(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tCREATED\tINPUTS\tRECORDS\tPERSONS\tRESULT")
		for _, m := range ms {
			s, _ := report.ReadSummary(&m)
			all := s.Scopes[report.ScopeRestricted]
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%.12s\n", m.Version, m.Created.Format("2006-01-02 15:04"), len(m.Inputs), all.Records, all.Persons, m.ResultDigest)
		}
		return tw.Flush()
	case *verify != 0:
		if err := report.Verify(ctx, h.ReportConfig(), *verify); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "merge version %d made again: same result\n", *verify)
		return nil
	}
	m, made, err := h.Merge(ctx)
	if err != nil {
		return err
	}
	if !made {
		fmt.Fprintf(env.Stdout, "nothing changed since merge version %d\n", m.Version)
		return nil
	}
	s, _ := report.ReadSummary(m)
	all, std := s.Scopes[report.ScopeRestricted], s.Scopes[report.ScopeStandard]
	fmt.Fprintf(env.Stdout, "merge version %d: %d submissions, %d victims records, %d persons (standard scope: %d records, %d persons)\n",
		m.Version, len(m.Inputs), all.Records, all.Persons, std.Records, std.Persons)
	return nil
}

func exportCmd(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	config := fs.String("config", "", "config file (default $THBX_HUB_CONFIG or ./thbx-hub.yaml)")
	version := fs.Int64("version", 0, "merge version (default: the latest)")
	scope := fs.String("scope", report.ScopeStandard, "standard or restricted")
	format := fs.String("format", "json", "json, csv or xlsx")
	out := fs.String("o", "", "output file (default: standard output)")
	records := fs.Bool("records", false, "export the victims records with their person ids")
	completeness := fs.Bool("completeness", false, "export the completeness table")
	raw := fs.Bool("raw", false, "no disclosure control: exact counts, or records with -records")
	k := fs.Int("k", 3, "disclosure threshold: counts 1 to k are suppressed")
	if err := cli.Parse(fs, args, 1); err != nil {
		return err
	}
	table := fs.Arg(0)
	switch {
	case *scope != report.ScopeStandard && *scope != report.ScopeRestricted:
		return cli.Usagef("-scope %q: want standard or restricted", *scope)
	case *format != "json" && *format != "csv" && *format != "xlsx":
		return cli.Usagef("-format %q: want json, csv or xlsx", *format)
	case *records && (*completeness || table != ""):
		return cli.Usagef("-records exports records, not tables")
	case *completeness && table != "":
		return cli.Usagef("-completeness and a table name do not go together")
	case *records && !*raw:
		return cli.Usagef("-records writes record-level data: say -raw -records")
	case *k < 2 && !*raw:
		return cli.Usagef("-k %d: want 2 or more (or -raw)", *k)
	case *records && *format == "xlsx":
		return cli.Usagef("-records: want -format json or csv")
	case *format == "csv" && table == "" && !*records && !*completeness:
		return cli.Usagef("CSV holds one table: name it (thbx-hub export -format json lists them all), or use -format xlsx")
	case *format == "xlsx" && *out == "":
		return cli.Usagef("XLSX is binary: name a file with -o")
	}
	h, err := openOffline(ctx, env, *config)
	if err != nil {
		return err
	}
	defer h.Close()
	what := "tables"
	switch {
	case *records:
		what = "records"
	case *completeness:
		what = "completeness"
	case table != "":
		what = table
	}
	threshold := *k
	if *raw {
		threshold = 0
	}
	if err := h.RecordLocal(audit.ActionExport, audit.Resource{Dataset: report.Victims, Format: *format},
		map[string]string{"export": what, "scope": *scope, "version": strconv.FormatInt(*version, 10),
			"threshold": strconv.Itoa(threshold)}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if *records {
		err = exportRecords(ctx, h, *version, *scope, *format, &buf)
	} else {
		err = exportTables(ctx, h, *version, *scope, *format, table, *completeness, threshold, &buf)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = env.Stdout.Write(buf.Bytes())
		return err
	}
	// Written whole or not at all.
	if err := certs.WriteFileAtomic(*out, buf.Bytes(), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %s (%d bytes)\n", *out, buf.Len())
	return nil
}

func exportTables(ctx context.Context, h *server.Hub, version int64, scope, format, name string, completeness bool, k int, w io.Writer) error {
	var out []report.Output
	if completeness {
		t, err := h.Completeness(ctx)
		if err != nil {
			return err
		}
		out = append(out, report.Plain(t))
	} else {
		m, err := h.Store.GetMerge(ctx, version)
		if err != nil {
			return fmt.Errorf("merge version %d: %w (thbx-hub merge makes one)", version, err)
		}
		ts, err := report.ReadTables(m, scope)
		if err != nil {
			return err
		}
		audience := ""
		if k > 0 {
			audience = "publication"
		}
		// Each dataset's tables are protected together, as the API does.
		for _, rep := range report.ByDataset(ts) {
			protected, err := report.ProtectReport(rep.Tables, k, audience)
			if err != nil {
				return err
			}
			for _, o := range protected {
				if name == "" || o.Name == name {
					out = append(out, o)
				}
			}
		}
		if len(out) == 0 {
			return fmt.Errorf("merge version %d has no table %q", m.Version, name)
		}
	}
	switch format {
	case "csv":
		return report.WriteCSV(w, out[0])
	case "xlsx":
		return report.WriteXLSX(w, out...)
	}
	return report.WriteJSON(w, out...)
}

func exportRecords(ctx context.Context, h *server.Hub, version int64, scope, format string, w io.Writer) error {
	m, err := h.Store.GetMerge(ctx, version)
	if err != nil {
		return fmt.Errorf("merge version %d: %w (thbx-hub merge makes one)", version, err)
	}
	ds, _ := schema.Current(report.Victims)
	_, err = report.WriteRecords(w, format, ds, true, report.Merged(ctx, h.Store, m.Version, scope), nil)
	return err
}
