package main

import (
	"fmt"
	"io"
	"time"
)

// printTable writes the figures of every volume: the full merge, then
// the incremental one, then the growth from volume to volume.
func printTable(w io.Writer, res *Results) {
	fmt.Fprintln(w, "\nfirst merge (report.Run on an empty merge history)")
	fmt.Fprintf(w, "%9s %8s %8s %8s | %7s %7s %7s %7s %7s | %8s %5s %9s %9s %9s | %s\n",
		"records", "persons", "std", "run", "read", "decode", "link", "store", "other", "rec/s", "cpu", "rss pre", "peak rss", "live heap", "load avg before, after")
	for _, s := range res.Sizes {
		r := s.First
		p := r.Phases
		fmt.Fprintf(w, "%9d %8d %8d %8s | %7s %7s %7s %7s %7s | %8.0f %5.2f %9s %9s %9s | %s, %s\n",
			s.Records, r.Persons, r.PersonsStd, secs(r.Seconds), secs(p.Read), secs(p.Decode), secs(p.Link), secs(p.Store),
			secs(p.InForce+p.Previous), r.PerSecond, r.CPU/r.Seconds, mib(r.RSSBefore), peak(r), mib(int64(r.PeakLiveHeap)),
			r.LoadAvgBefore, r.LoadAvgAfter)
	}
	fmt.Fprintln(w, "\nsecond merge (one partner's period resubmitted; the first version's assignments read back)")
	fmt.Fprintf(w, "%9s %8s %8s | %7s %7s %7s %7s %7s | %9s %9s %9s %8s | %s\n",
		"records", "persons", "run", "read", "decode", "previous", "link", "store", "peak rss", "ids kept", "recs kept", "moved", "load avg before, after")
	for _, s := range res.Sizes {
		r := s.Again
		p := r.Phases
		fmt.Fprintf(w, "%9d %8d %8s | %7s %7s %7s %7s %7s | %9s %9d %9d %8d | %s, %s\n",
			r.Records, r.Persons, secs(r.Seconds), secs(p.Read), secs(p.Decode), secs(p.Previous), secs(p.Link), secs(p.Store),
			peak(r), r.IDsKept, s.Kept, s.Moved, r.LoadAvgBefore, r.LoadAvgAfter)
	}
	fmt.Fprintln(w, "\nload, untimed (generate, decode and store; peak RSS of the load; store size) and the whole process")
	for _, s := range res.Sizes {
		fmt.Fprintf(w, "%9d  generate %s, fill %s, peak %s, store %s; process %s, first run %.0f%% of it\n",
			s.Records, secs(s.Generate), secs(s.Fill), mib(s.LoadPeak), mib(s.StoreBytes), secs(s.Wall),
			100*s.First.Seconds/s.Wall)
	}
	if len(res.Growth) > 0 {
		fmt.Fprintln(w, "\ngrowth of the first run (linear: time ratio = records ratio)")
		for _, g := range res.Growth {
			fmt.Fprintf(w, "%17s  records ×%.1f, time ×%.2f, peak RSS ×%.2f\n", g.Name, g.RecordRatio, g.TimeRatio, g.PeakRatio)
		}
	}
}

func secs(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

// peak is a Run's peak RSS, marked when it could not be told from the
// load's.
func peak(r Run) string {
	if !r.PeakReset {
		return mib(r.PeakRSS) + "*"
	}
	return mib(r.PeakRSS)
}
