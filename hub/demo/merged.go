package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/server"
)

// showMerge prints what the hub's merge made of the records: each
// source's records and persons next to the de-duplicated count, a table
// by sex, and the source overlap.
func showMerge(ctx context.Context, h *server.Hub, out io.Writer) error {
	m, err := h.Store.GetMerge(ctx, 0)
	if err != nil {
		return fmt.Errorf("no merge version: %w", err)
	}
	s, err := report.ReadSummary(m)
	if err != nil {
		return err
	}
	sc := s.Scopes[report.ScopeStandard]
	fmt.Fprintf(out, "6. the hub linked the victims records across sources and years without any identity (merge version %d, from %d submissions):\n", m.Version, len(m.Inputs))
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "   SOURCE\tRECORDS\tDISTINCT PERSONS\t")
	for _, c := range sc.BySource {
		fmt.Fprintf(tw, "   %s\t%d\t%d\t\n", c.Source, c.Records, c.Persons)
	}
	fmt.Fprintf(tw, "   all sources, de-duplicated\t%d\t%d\t\n", sc.Records, sc.Persons)
	if err := tw.Flush(); err != nil {
		return err
	}
	ts, err := report.ReadTables(m, report.ScopeStandard)
	if err != nil {
		return err
	}
	if err := bySexTable(out, ts); err != nil {
		return err
	}
	return overlapTable(out, ts)
}

// bySexTable prints distinct persons by sex, pooled over the years, per
// source and de-duplicated.
func bySexTable(out io.Writer, ts []merge.Table) error {
	reported, _ := report.FindTable(ts, "reported_by_sex")
	dedup, _ := report.FindTable(ts, "persons_by_sex")
	var sources []string
	counts := map[[2]string]int{}
	for _, r := range reported.Rows {
		if r.Keys[0] != merge.AllPeriods {
			continue
		}
		if !slices.Contains(sources, r.Keys[1]) {
			sources = append(sources, r.Keys[1])
		}
		counts[[2]string{r.Keys[1], r.Keys[2]}] = r.Count
	}
	for _, r := range dedup.Rows {
		if r.Keys[0] == merge.AllPeriods {
			counts[[2]string{"", r.Keys[1]}] = r.Count
		}
	}
	fmt.Fprintf(out, "\n   distinct persons by sex, %d-%d, per source and de-duplicated:\n", demoYears[0], demoYears[len(demoYears)-1])
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "   SEX\t%s\tDE-DUPLICATED\t\n", strings.ToUpper(strings.Join(sources, "\t")))
	for _, sex := range []string{"F", "M", "U"} {
		fmt.Fprintf(tw, "   %s\t", sex)
		for _, src := range sources {
			fmt.Fprintf(tw, "%d\t", counts[[2]string{src, sex}])
		}
		fmt.Fprintf(tw, "%d\t\n", counts[[2]string{"", sex}])
	}
	return tw.Flush()
}

// overlapTable prints how many persons each combination of sources
// reported, pooled over the years: what multiple-systems estimation
// needs.
func overlapTable(out io.Writer, ts []merge.Table) error {
	ov, _ := report.FindTable(ts, "overlap")
	fmt.Fprintf(out, "\n   source overlap, %d-%d (1 = reported the person), for multiple-systems estimation:\n", demoYears[0], demoYears[len(demoYears)-1])
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "   %s\tPERSONS\t\n", strings.ToUpper(strings.Join(ov.Dims[1:], "\t")))
	for _, r := range ov.Rows {
		if r.Keys[0] == merge.AllPeriods {
			fmt.Fprintf(tw, "   %s\t%d\t\n", strings.Join(r.Keys[1:], "\t"), r.Count)
		}
	}
	return tw.Flush()
}
