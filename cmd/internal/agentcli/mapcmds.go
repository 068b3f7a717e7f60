package agentcli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/agent/synth"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/submission"
)

// The usage texts of the mapping commands.
const (
	mapUsage = `init FILE [-dataset victims] [-out mapping.yaml]

Reads FILE's header and up to 1000 rows and writes a first mapping of it:
which column is which field of the schema or which identifier, each
value of a coded column with the code it matches (or the nearest code,
marked "# check"), date formats and list separators. Edit the lines
marked "# check", then try the mapping with check and preview. A column
it cannot place is dropped, so nothing leaves that you have not mapped.
FILE is CSV (any delimiter; UTF-8, UTF-8 with BOM or Windows-1250), XLSX,
JSON (an array of objects) or JSON Lines. -out - writes to stdout.

examples:
  thbx-agent map init klienti-2025.xlsx
  thbx-agent map init -dataset proceedings statistika.csv -out statistika.yaml`

	checkUsage = `[-json] FILE.csv
   or: thbx-agent check -mapping MAPPING.yaml [-period PERIOD] [-json] FILE

Lists every problem in the file: row, column, value and reason, and for
a value that is no known term the nearest code. Without -mapping, FILE is
a CSV file in the schema's own columns. With -mapping, FILE is your own
file as the mapping describes it; check also says how many records
would be sent. Nothing is sent, and no key or linkage secret is needed.

examples:
  thbx-agent check victims-2025.csv
  thbx-agent check klienti-2025.xlsx -mapping mapping.yaml
  thbx-agent check -json klienti-2025.xlsx -mapping mapping.yaml`

	previewUsage = `-mapping MAPPING.yaml [-n 20] [-period PERIOD] [-json] [-config FILE] FILE

Shows exactly the records that would leave: mapped, with identifiers
replaced by linkage keys, birth year, age band and region. Nothing is
sealed or sent. A mapping with name or birth-date columns needs the
linkage secret: linkage_secret in the agent config, or THBX_LINKAGE_SECRET.
-n 0 shows every record; -json prints them as JSON Lines, as sealed.

examples:
  thbx-agent preview klienti-2025.xlsx -mapping mapping.yaml
  thbx-agent preview -json -n 0 klienti-2025.xlsx -mapping mapping.yaml > records.jsonl`

	synthUsage = `-out DIR [-seed N] [-scale 1] [-years 2024,2025] [-partners police-cz,vap-moi]

Writes synthetic partner files for every source category (police,
prosecution, courts, alien police, labour inspectorate, the Victim
Assistance Programme, NGOs, IOM, the intelligence service, embassies),
each in its own layout, words, format and encoding, and a ground truth of
who is who, under DIR. Scale 1 is a Czech year (300-500 person records);
100 is a hundred times that. The persons are invented. testdata/mappings
has a mapping for each partner's files.

examples:
  thbx-agent synth -out synth
  thbx-agent synth -out big -scale 100 -years 2025 -seed 7`
)

// parseArgs parses flags wherever they stand among the arguments, as in
// "check FILE -mapping m.yaml", and returns the other arguments.
func parseArgs(fs *cli.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := cli.Parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func mapCmd(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	dataset := fs.String("dataset", "victims", "the dataset the file holds: victims, proceedings, controls or aggregates")
	out := fs.String("out", "mapping.yaml", "where to write the mapping (- for stdout)")
	if len(args) == 0 || args[0] != "init" {
		if len(args) > 0 && strings.HasPrefix(args[0], "-") {
			if err := cli.Parse(fs, args); err != nil {
				return err
			}
		}
		return cli.Usagef("say map init FILE")
	}
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("name one file to map")
	}
	var buf bytes.Buffer
	if err := mapping.Suggest(pos[0], *dataset, &buf); err != nil {
		return err
	}
	checks := strings.Count(buf.String(), "# check")
	if *out == "-" {
		_, err := env.Stdout.Write(buf.Bytes())
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists: choose another -out, or remove it first", *out)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d lines to check (marked # check)\nEdit it, then try it: thbx-agent check %s -mapping %s\n", *out, checks, pos[0], *out)
	return nil
}

// checkPeriod is requirePeriod for commands where -period may be left
// out.
func checkPeriod(period string) error {
	if period == "" {
		return nil
	}
	return requirePeriod(period)
}

// requirePeriod refuses, as a usage error, a period the format does not
// know.
func requirePeriod(period string) error {
	if !submission.ValidPeriod(period) {
		return cli.Usagef("-period %q: want YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM", period)
	}
	return nil
}

func checkMapped(env cli.Env, file, mappingPath, period string, asJSON bool) error {
	m, err := mapping.Load(mappingPath)
	if err != nil {
		return err
	}
	res, err := m.Run(file, mapping.Options{CheckOnly: true, Period: period}, func([]byte) error { return nil })
	if err != nil {
		return err
	}
	if asJSON {
		probs := res.Problems
		if probs == nil {
			probs = []mapping.Problem{}
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(map[string]any{"rows": res.Rows, "records": res.Records, "skipped": res.Skipped, "problems": probs, "more": res.More})
	} else {
		for _, p := range res.Problems {
			fmt.Fprintln(env.Stdout, p)
		}
		if res.More > 0 {
			fmt.Fprintf(env.Stdout, "… and %d more\n", res.More)
		}
	}
	if n := len(res.Problems) + res.More; n > 0 {
		return fmt.Errorf("%s has %d problem(s); nothing would be sent.\nFix the file, or the mapping: a local term goes under the column's values (the nearest code is a suggestion to check)", file, n)
	}
	if !asJSON {
		fmt.Fprintf(env.Stdout, "%s: %d rows, %d records would be sent%s, no problems\n", file, res.Rows, res.Records, skippedNote(res))
	}
	return nil
}

func skippedNote(res *mapping.Result) string {
	if res.Skipped == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d rows left out by the mapping's skip rules)", res.Skipped)
}

// agentConfig loads the agent config named
// by -config, $THBX_AGENT_CONFIG or ./thbx-agent.yaml, if any, and applies
// the environment; setup validates it and opens agent and outbox.
func agentConfig(env cli.Env, configPath string) (*agent.Config, error) {
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
			return nil, err
		}
	}
	if err := cfg.ApplyEnv(env.Getenv); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func preview(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	mappingPath := fs.String("mapping", "", "the mapping file (required)")
	n := fs.Int("n", 20, "how many records to show (0: all)")
	period := fs.String("period", "", "reporting period, for ages where the file has no date of identification")
	asJSON := fs.Bool("json", false, "print the records as JSON Lines, exactly as sealed")
	config := configFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("name one file to preview")
	}
	if *mappingPath == "" {
		return cli.Usagef("-mapping is required: make one with 'thbx-agent map init %s'", pos[0])
	}
	if err := checkPeriod(*period); err != nil {
		return err
	}
	m, err := mapping.Load(*mappingPath)
	if err != nil {
		return err
	}
	cfg, err := agentConfig(env, *config)
	if err != nil {
		return err
	}
	secret, err := cfg.MappingSecret(m)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	prof := agent.ManifestProfile(m)
	if !*asJSON {
		fmt.Fprintf(out, "records that would leave %s (%s, anonymisation profile %s %s); nothing is sealed or sent:\n", pos[0], m.Schema().Version, prof.Name, prof.Digest)
	}
	shown := 0
	res, err := m.Run(pos[0], mapping.Options{Secret: secret, Period: *period}, func(rec []byte) error {
		if *n > 0 && shown >= *n {
			return nil
		}
		shown++
		if *asJSON {
			out.Write(rec)
			return out.WriteByte('\n')
		}
		fmt.Fprintf(out, "\nrecord %d\n", shown)
		return renderRecord(out, rec)
	})
	if err != nil {
		return err
	}
	if !*asJSON {
		more := ""
		if res.Records > shown {
			more = fmt.Sprintf(" (%d shown; -n 0 shows all)", shown)
		}
		fmt.Fprintf(out, "\n%s: %d rows, %d records%s%s\n", pos[0], res.Rows, res.Records, more, skippedNote(res))
	}
	out.Flush()
	if n := len(res.Problems) + res.More; n > 0 {
		for _, p := range res.Problems {
			fmt.Fprintln(env.Stderr, p)
		}
		return fmt.Errorf("%s has %d problem(s): submit would send nothing; run 'thbx-agent check' for the list", pos[0], n)
	}
	return nil
}

// renderRecord writes a record's fields one a line, in record order.
func renderRecord(w io.Writer, rec []byte) error {
	dec := json.NewDecoder(bytes.NewReader(rec))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-22s %s\n", fmt.Sprint(tok)+":", renderValue(v))
	}
	return nil
}

func renderValue(v any) string {
	switch v := v.(type) {
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = renderValue(e)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprint(v)
}

func submitMapped(ctx context.Context, env cli.Env, a *agent.Agent, ob *agent.Outbox, file, mappingPath, period string) error {
	m, err := mapping.Load(mappingPath)
	if err != nil {
		return err
	}
	e, res, err := a.SealMapped(ob, m, file, period)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "mapped %s: %d rows, %d records%s\n", file, res.Rows, res.Records, skippedNote(res))
	fmt.Fprintf(env.Stdout, "sealed %s: %d records, %s %s, seq %d, profile %s\n", e.ID, e.Manifest.Records, e.Manifest.Dataset, e.Manifest.Period, e.Manifest.Sequence, e.Manifest.Profile.Name)
	return upload(ctx, env, a, ob)
}

func synthCmd(_ context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	out := fs.String("out", "", "directory to write the files to (required)")
	seed := fs.Uint64("seed", 1, "seed: the same seed writes the same files")
	scale := fs.Float64("scale", 1, "volume: 1 is a Czech year, 100 a hundred times that")
	years := fs.String("years", "", "comma-separated years (default 2019-2023)")
	partners := fs.String("partners", "", "comma-separated partners (default all: "+joinPartners()+")")
	if err := cli.Parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return cli.Usagef("-out is required")
	}
	cfg := synth.Config{Seed: *seed, Scale: *scale, OutDir: *out}
	if *years != "" {
		for y := range strings.SplitSeq(*years, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(y))
			if err != nil {
				return cli.Usagef("-years %q: want years such as 2024,2025", *years)
			}
			cfg.Years = append(cfg.Years, n)
		}
	}
	if *partners != "" {
		for p := range strings.SplitSeq(*partners, ",") {
			cfg.Partners = append(cfg.Partners, synth.PartnerKind(strings.TrimSpace(p)))
		}
	}
	man, err := synth.Generate(cfg)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "wrote %d files to %s (seed %d, scale %g):\n", len(man.Files), *out, man.Seed, man.Scale)
	for _, f := range man.Files {
		how := string(f.Format)
		if f.Encoding != "" {
			how += ", " + string(f.Encoding)
		}
		if f.Delimiter != 0 {
			how += ", delimiter " + strconv.QuoteRune(rune(f.Delimiter))
		}
		fmt.Fprintf(w, "  %-16s %d  %-11s %6d  %s (%s)\n", f.Partner, f.Year, f.Dataset, f.Records, f.Path, how)
	}
	for _, v := range man.PerYear {
		fmt.Fprintf(w, "%d: %d person records about %d persons, %d of them reported by more than one partner\n", v.Year, v.Records, v.Persons, v.MultiSource)
	}
	fmt.Fprintf(w, "all years: %d person records, %d persons (%d reported by more than one partner), %d rows of counts\n",
		man.Totals.Records, man.Totals.Persons, man.Totals.MultiSource, man.Totals.CountRows)
	fmt.Fprintf(w, "ground truth: %s, %s; manifest.json lists every file\n", man.Truth.Records, man.Truth.Persons)
	return nil
}

func joinPartners() string {
	var s []string
	for _, p := range synth.AllPartners() {
		s = append(s, string(p))
	}
	return strings.Join(s, ",")
}
