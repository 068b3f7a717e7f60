package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/thbx/thbx/hub/server"
	"github.com/thbx/thbx/submission/dropbox"
)

// Options configure the demo; the zero value runs it in a new temporary
// directory and serves the API on 127.0.0.1:8080 until interrupted.
type Options struct {
	Dir             string // a new temporary directory when empty
	Listen          string // 127.0.0.1:8080 when empty; ":0" style picks a port
	ExitAfterIngest bool
	Out             io.Writer    // os.Stdout when nil
	Logger          *slog.Logger // discards when nil
}

// The demo's partners: an NGO, the police and the Victim Assistance
// Programme, each with its own file layout (synth) and mapping.
var demoPartners = []PartnerSpec{
	{ID: "ngo-lastrada", Name: "La Strada (demo)", Category: "ngo"},
	{ID: "police-cz", Name: "Police of the Czech Republic (demo)", Category: "police"},
	{ID: "vap-moi", Name: "Victim Assistance Programme (demo)", Category: "vap"},
}

// demoYears are the years the demo's partners report: two, so that the
// merge links persons across years as well as sources.
var demoYears = []int{2024, 2025}

// demoYear is the year the API examples ask for.
const demoYear = 2025

// Run runs the demo.
func Run(ctx context.Context, opts Options) error {
	out := opts.Out
	if out == nil {
		out = os.Stdout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	dir := opts.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "thbx-demo-"); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "thbx demo in %s\n\n", dir)
	box := dropbox.Config{Type: "dir", Dir: filepath.Join(dir, "dropbox")}
	specs := demoPartners
	w, err := NewWorld(dir, box, specs)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "1. hub keys made (post-quantum hybrid age identities, receipt key) in %s\n", w.Hub.Dir)
	fmt.Fprintf(out, "2. %d partners registered, each with its own signing key\n", len(specs))

	fmt.Fprintf(out, "   and share one linkage secret, which the hub never holds\n")
	files, err := partnerFiles(dir, demoYears)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "3. partners map their own files of %d and %d (synthetic persons), anonymise, seal and send them:\n", demoYears[0], demoYears[1])
	for _, f := range files {
		if err := sealMapped(ctx, w, f.partner, f.path, f.mapping, fmt.Sprint(f.year), out); err != nil {
			return err
		}
	}

	cfg := server.Config{Keys: w.Hub.Dir, Store: filepath.Join(dir, "hub", "hub.db"), Listen: opts.Listen, Dropbox: box}
	ps := personas()
	if err := setUpAccess(dir, &cfg, ps); err != nil {
		return err
	}
	h, err := server.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer h.Close()
	s, err := h.Poll(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "4. hub ingested the drop box: %d accepted, %d rejected, %d quarantined\n", s.Accepted, s.Rejected, s.Quarantined)
	if err := receipts(ctx, w, h, out); err != nil {
		return err
	}
	if err := showMerge(ctx, h, out); err != nil {
		return err
	}
	if err := showAccess(h, ps, out); err != nil {
		return err
	}
	if opts.ExitAfterIngest {
		return nil
	}
	ln, err := net.Listen("tcp", h.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with -listen)", h.Config.Listen, err)
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "\n8. the API serves at %s until you press Ctrl-C; every request is decided by the policy\n", base)
	fmt.Fprintf(out, "   and recorded in the audit log (%s). Try, as each persona:\n", h.Config.AuditLog)
	for _, p := range ps {
		fmt.Fprintf(out, "  export %s=%s\n", envName(p.name), p.token)
	}
	fmt.Fprintf(out, "  curl -H \"Authorization: Bearer $%s\" %s/api/v1/merges/latest/victims\n", envName(ps[0].name), base)
	fmt.Fprintf(out, "  curl -H \"Authorization: Bearer $%s\" %s/api/v1/merges/latest/victims\n", envName(ps[1].name), base)
	fmt.Fprintf(out, "  curl -H \"Authorization: Bearer $%s\" '%s/api/v1/merges/latest/tables/overlap_by_sex?format=csv'\n", envName(ps[1].name), base)
	fmt.Fprintf(out, "  curl -H \"Authorization: Bearer $%s\" -o report.xlsx '%s/api/v1/merges/latest/tables?format=xlsx'\n", envName(ps[0].name), base)
	fmt.Fprintf(out, "  curl -H \"Authorization: Bearer $%s\" %s/api/v1/submissions\n", envName(ps[2].name), base)
	fmt.Fprintf(out, "  curl -H \"Authorization: Bearer $%s\" %s/api/v1/audit\n", envName(ps[3].name), base)
	return h.Serve(ctx, ln)
}

// envName is a persona's shell variable: THBX_ANALYST_RECORDS.
func envName(persona string) string {
	return "THBX_" + strings.ToUpper(strings.ReplaceAll(persona, "-", "_"))
}

func receipts(ctx context.Context, w *World, h *server.Hub, out io.Writer) error {
	counts, err := h.Store.CountRecords(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "5. per partner, as the partners' agents see the hub's signed receipts:")
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "   PARTNER\tRECEIVED\tACCEPTED\tREJECTED\tRECORDS STORED")
	for _, p := range demoPartners {
		a, ob, err := w.Agent(p.ID)
		if err != nil {
			return err
		}
		sts, err := a.Refresh(ctx, ob)
		ob.Close()
		if err != nil {
			return err
		}
		var acc, rej int
		for _, s := range sts {
			switch s.State {
			case "accepted":
				acc++
			case "rejected":
				rej++
			}
		}
		fmt.Fprintf(tw, "   %s\t%d\t%d\t%d\t%d\n", p.ID, len(sts), acc, rej, counts[p.ID])
	}
	return tw.Flush()
}
