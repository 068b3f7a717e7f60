package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/thbx/thbx/hub/merge/mergetest"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
)

// salt is the merge salt of every run: person ids depend on it only.
var salt = []byte("thbx bench salt, not a secret!!!")

// Size is what one volume measured, in its own process.
type Size struct {
	Records     int     `json:"records"`
	Partners    int     `json:"partners"`
	Periods     int     `json:"periods"`
	Submissions int     `json:"submissions"`
	Restricted  int     `json:"restricted_submissions"`
	BloomShare  float64 `json:"bloom_share"`
	Generate    float64 `json:"generate_s"` // mergetest.Generate, untimed for the target
	Fill        float64 `json:"fill_s"`     // schema decode and store, untimed for the target
	LoadPeak    int64   `json:"load_peak_rss"`
	StoreBytes  int64   `json:"store_bytes"` // database and WAL after both runs
	Wall        float64 `json:"wall_s"`      // the whole process, load included
	First       Run     `json:"first"`
	Again       Run     `json:"again"`
	// Kept and Moved count the records outside the resubmitted
	// submission, in both scopes, whose person id the second version kept
	// or changed.
	Kept  int `json:"ids_kept_records"`
	Moved int `json:"ids_moved_records"`
}

// Run is one report.Run.
type Run struct {
	Seconds float64 `json:"s"`
	CPU     float64 `json:"cpu_s"` // user and system time of the process during Run
	Phases  Phases  `json:"phases"`
	Version int64   `json:"version"`
	// ResultDigest is the version's result digest (every record's person
	// and the tables): equal digests across builds show a change to the
	// code left the merge's outcome as it was.
	ResultDigest  string  `json:"result_digest"`
	Records       int     `json:"records"` // victims records linked, restricted scope (all)
	Standard      int     `json:"records_standard"`
	Persons       int     `json:"persons"`
	PersonsStd    int     `json:"persons_standard"`
	IDsKept       int     `json:"ids_kept"` // persons of the restricted scope keeping a previous id
	Assignments   int     `json:"assignments"`
	PerSecond     float64 `json:"records_per_s"` // records of both scopes linked per second of Run
	RSSBefore     int64   `json:"rss_before"`
	PeakRSS       int64   `json:"peak_rss"`       // VmHWM after Run, reset before it when PeakReset
	PeakReset     bool    `json:"peak_reset"`     // VmHWM was reset before Run: it is Run's own
	PeakLiveHeap  uint64  `json:"peak_live_heap"` // largest live Go heap a collection during Run left
	GCs           uint32  `json:"gcs"`            // collections during Run
	GCPause       float64 `json:"gc_pause_s"`     // their stop-the-world pauses
	LoadAvgBefore string  `json:"loadavg_before"`
	LoadAvgAfter  string  `json:"loadavg_after"`
}

// options is what the parent passes to the process of one size.
type options struct {
	records, partners, restricted int
	bloom                         float64
	seed                          uint64
	dir                           string
	keep                          bool
	cpuProfile, memProfile        string
	heapProfile                   string
}

// measure loads a store of o.records records, untimed, then times
// report.Run on it, and again after one partner resubmits one period.
func measure(ctx context.Context, o options) (*Size, error) {
	start := time.Now()
	dir, err := os.MkdirTemp(o.dir, fmt.Sprintf("bench-report-%d-", o.records))
	if err != nil {
		return nil, err
	}
	if !o.keep {
		defer os.RemoveAll(dir)
	}
	path := filepath.Join(dir, "hub.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	gen := mergetest.Config{Records: o.records, Partners: o.partners, Seed: o.seed, BloomShare: o.bloom,
		Periods: []string{"2019", "2020", "2021", "2022", "2023"}}
	l, err := fill(ctx, st, gen, o.restricted)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	s := &Size{Records: o.records, Partners: o.partners, Periods: len(gen.Periods), Submissions: l.submissions,
		Restricted: l.restricted, BloomShare: o.bloom, Generate: l.generate.Seconds(), Fill: l.fill.Seconds(), LoadPeak: status("VmHWM")}
	cfg := report.Config{Salt: salt, Categories: l.categories, Now: func() time.Time { return t0 },
		Logger: slog.New(slog.DiscardHandler)}

	if s.First, err = timeRun(ctx, st, cfg, o.cpuProfile, o.heapProfile); err != nil {
		return nil, err
	}
	if o.memProfile != "" {
		if err := writeAllocsProfile(o.memProfile); err != nil {
			return nil, err
		}
	}
	resent, err := resend(ctx, st, l)
	if err != nil {
		return nil, fmt.Errorf("resubmit: %w", err)
	}
	if s.Again, err = timeRun(ctx, st, cfg, again(o.cpuProfile), again(o.heapProfile)); err != nil {
		return nil, err
	}
	s.Wall = time.Since(start).Seconds() // before the check of ids, which only the benchmark needs
	if s.Kept, s.Moved, err = compareIDs(ctx, st, s.First.Version, s.Again.Version, l.resubmit.ID, resent); err != nil {
		return nil, err
	}
	s.StoreBytes = fileSize(path) + fileSize(path+"-wal")
	return s, nil
}

// timeRun times one report.Run, with the process's memory high-water
// mark reset before it so that the load does not count.
func timeRun(ctx context.Context, st *store.Store, cfg report.Config, cpuProfile, heapProfile string) (Run, error) {
	ts := &timedStore{st: st}
	cfg.Store = ts
	runtime.GC()
	debug.FreeOSMemory()
	var r Run
	r.RSSBefore = status("VmRSS")
	r.PeakReset = resetPeak() == nil
	r.LoadAvgBefore = loadAvg()
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return r, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return r, err
		}
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	heap := watchLiveHeap(heapProfile)
	cpu0 := cpuTime()
	start := time.Now()
	m, made, err := report.Run(ctx, cfg)
	elapsed := time.Since(start)
	r.CPU = (cpuTime() - cpu0).Seconds()
	var herr error
	r.PeakLiveHeap, herr = heap()
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return r, fmt.Errorf("report.Run: %w", err)
	}
	if herr != nil {
		return r, herr
	}
	if !made {
		return r, fmt.Errorf("report.Run made no new version (latest %d)", m.Version)
	}
	r.PeakRSS = status("VmHWM")
	r.LoadAvgAfter = loadAvg()
	runtime.ReadMemStats(&ms1)
	r.GCs = ms1.NumGC - ms0.NumGC
	r.GCPause = time.Duration(ms1.PauseTotalNs - ms0.PauseTotalNs).Seconds()
	r.Seconds, r.Phases, r.Version, r.Assignments = elapsed.Seconds(), ts.phases(elapsed), m.Version, ts.assignments
	r.ResultDigest = m.ResultDigest
	sum, err := report.ReadSummary(m)
	if err != nil {
		return r, err
	}
	all, std := sum.Scopes[report.ScopeRestricted], sum.Scopes[report.ScopeStandard]
	r.Records, r.Standard, r.Persons, r.PersonsStd = all.Records, std.Records, all.Persons, std.Persons
	r.IDsKept = all.Link.IDsKept
	r.PerSecond = float64(all.Records+std.Records) / elapsed.Seconds()
	return r, nil
}

// compareIDs counts the records outside the resubmitted submissions whose
// person id version b kept from version a, and those it changed.
func compareIDs(ctx context.Context, st *store.Store, a, b int64, old, resent string) (kept, moved int, err error) {
	for _, scope := range report.Scopes {
		before := map[string]string{}
		err := st.Assignments(ctx, a, scope, func(x store.Assignment) error {
			if x.Submission != old {
				before[fmt.Sprintf("%s/%s/%d", x.Partner, x.Submission, x.N)] = x.Person
			}
			return nil
		})
		if err != nil {
			return 0, 0, err
		}
		err = st.Assignments(ctx, b, scope, func(x store.Assignment) error {
			if x.Submission == resent {
				return nil
			}
			if before[fmt.Sprintf("%s/%s/%d", x.Partner, x.Submission, x.N)] == x.Person {
				kept++
			} else {
				moved++
			}
			return nil
		})
		if err != nil {
			return 0, 0, err
		}
	}
	return kept, moved, nil
}

// again names the profile of the second run after the first's.
func again(path string) string {
	if path == "" {
		return ""
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-again" + ext
}

func writeAllocsProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
