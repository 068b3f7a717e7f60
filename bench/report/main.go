// Command report measures the hub's whole merge step from the store:
// report.Run reading the victims records in force from SQLite, decoding
// them, linking them in both scopes and storing the version with every
// record's person. Figures for issue 5, item 6: a million records from 20
// partners linked and merged under 30 s and 2 GiB on two cores, with
// near-linear growth from 10 000 through 100 000.
//
// Each volume runs in a process of its own, so that its peak RSS is its
// own. That process first fills a store, untimed: hub/merge/mergetest
// records from the partners over five periods, one accepted submission
// per partner and period (a few classified restricted, the others
// standard), each record decoded by the victims/1 schema and stored as
// the intake stores it. Then it times report.Run, with the memory
// high-water mark reset just before it; then one partner sends one
// period again and it times the second, incremental report.Run, which
// reads the first version's assignments back to keep person ids.
//
// Usage:
//
//	go run ./bench/report
//	go run ./bench/report -sizes 10000,100000 -dir /var/tmp
//	go run ./bench/report -sizes 1000000 -cpuprofile cpu.pprof -json
//
// The table goes to standard output and the figures, as JSON, to
// bench/report/results-<date>.json (-out), or to standard output with
// -json (the table then goes to standard error).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

const usage = `usage: go run ./bench/report [flags]

Examples:
  go run ./bench/report                                  # 10 000, 100 000 and 1 000 000 records
  GOMEMLIMIT=1800MiB go run ./bench/report               # as a hub with memory_limit: 1800MiB
  go run ./bench/report -sizes 10000 -json               # a quick check, JSON on stdout
  go run ./bench/report -sizes 1000000 -cpuprofile cpu.pprof
  go tool pprof -top cpu.pprof

Flags:
`

// Results is the JSON document a run writes.
type Results struct {
	Date       string `json:"date"`
	Go         string `json:"go"`
	Platform   string `json:"platform"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	// GOMEMLIMIT is the soft memory limit the runs had (the environment
	// variable, which each volume's process inherits), as a hub with
	// memory_limit set has it; empty for none.
	GOMEMLIMIT string `json:"gomemlimit,omitempty"`
	Revision   string `json:"revision,omitempty"`
	Modified   bool   `json:"modified,omitempty"`
	Sizes      []Size `json:"sizes"`
	// Growth gives, for each volume after the first, how much longer the
	// first Run took than at the volume before, and how many times more
	// records it had: equal numbers are linear growth.
	Growth []Growth `json:"growth"`
}

// Growth compares one volume with the one before.
type Growth struct {
	Name        string  `json:"sizes"`
	RecordRatio float64 `json:"records_ratio"`
	TimeRatio   float64 `json:"run_time_ratio"`
	PeakRatio   float64 `json:"peak_rss_ratio"`
}

func main() {
	o := options{}
	sizes := flag.String("sizes", "10000,100000,1000000", "comma-separated volumes of victims records")
	flag.IntVar(&o.partners, "partners", 20, "partners sending records")
	flag.IntVar(&o.restricted, "restricted", 5, "submissions classified restricted (one partner's period each)")
	flag.Float64Var(&o.bloom, "bloom", 0, "share of partners sending Bloom encodings (0-1)")
	flag.Uint64Var(&o.seed, "seed", 1, "generator seed")
	flag.StringVar(&o.dir, "dir", "", "directory for the temporary stores (default the system's temporary directory)")
	flag.BoolVar(&o.keep, "keep", false, "keep the stores")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the first `report.Run`, and of the second with -again added to the name (per volume: the volume is added when there are several)")
	flag.StringVar(&o.memProfile, "memprofile", "", "write an allocation profile after the first report.Run (named as -cpuprofile)")
	flag.StringVar(&o.heapProfile, "heapprofile", "", "write the heap profile at each report.Run's largest live heap (named as -cpuprofile)")
	asJSON := flag.Bool("json", false, "write the JSON figures to standard output instead of a file")
	out := flag.String("out", "", "JSON file (default bench/report/results-<date>.json)")
	flag.IntVar(&o.records, "one", 0, "measure one volume in this process and write its JSON (the parent's call)")
	flag.Usage = func() {
		fmt.Fprint(os.Stderr, usage)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 || o.partners <= 0 || o.restricted < 0 || o.bloom < 0 || o.bloom > 1 {
		flag.Usage()
		os.Exit(2)
	}
	if o.records > 0 {
		s, err := measure(context.Background(), o)
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(s)
		}
		if err != nil {
			fail(err)
		}
		return
	}
	volumes, err := parseSizes(*sizes)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench/report: %v\n", err)
		os.Exit(2)
	}
	table := io.Writer(os.Stdout)
	if *asJSON {
		table = os.Stderr
	}
	res, err := runAll(o, volumes, table)
	if err != nil {
		fail(err)
	}
	if err := writeResults(res, *asJSON, *out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "bench/report: %v\n", err)
	os.Exit(1)
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("bad volume %q in -sizes", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// runAll measures each volume in a child process of this program.
func runAll(o options, volumes []int, table io.Writer) (*Results, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	res := &Results{Date: time.Now().UTC().Format(time.RFC3339), Go: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		GOMEMLIMIT: os.Getenv("GOMEMLIMIT")}
	res.Revision, res.Modified = revision()
	rev := res.Revision
	if res.Modified {
		rev += " (modified)"
	}
	limit := "no memory limit"
	if res.GOMEMLIMIT != "" {
		limit = "GOMEMLIMIT=" + res.GOMEMLIMIT
	}
	fmt.Fprintf(table, "hub/report.Run from the store: %d partners, 5 periods, %d restricted submissions, Bloom share %.2f, %d CPUs, %s, %s, %s\n",
		o.partners, o.restricted, o.bloom, res.CPUs, res.Go, limit, rev)
	for _, v := range volumes {
		args := []string{"-one", strconv.Itoa(v), "-partners", strconv.Itoa(o.partners),
			"-restricted", strconv.Itoa(o.restricted), "-bloom", strconv.FormatFloat(o.bloom, 'f', -1, 64), "-seed", strconv.FormatUint(o.seed, 10), "-dir", o.dir}
		if o.keep {
			args = append(args, "-keep")
		}
		if o.cpuProfile != "" {
			args = append(args, "-cpuprofile", perVolume(o.cpuProfile, v, len(volumes)))
		}
		if o.memProfile != "" {
			args = append(args, "-memprofile", perVolume(o.memProfile, v, len(volumes)))
		}
		if o.heapProfile != "" {
			args = append(args, "-heapprofile", perVolume(o.heapProfile, v, len(volumes)))
		}
		cmd := exec.Command(self, args...)
		cmd.Stderr = os.Stderr
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("volume %d: %w", v, err)
		}
		var s Size
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("volume %d: read figures: %w", v, err)
		}
		res.Sizes = append(res.Sizes, s)
	}
	res.Growth = growth(res.Sizes)
	printTable(table, res)
	return res, nil
}

// perVolume names a profile file of one volume among several.
func perVolume(path string, v, n int) string {
	if n == 1 {
		return path
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-" + strconv.Itoa(v) + ext
}

func growth(sizes []Size) []Growth {
	var out []Growth
	for i := 1; i < len(sizes); i++ {
		a, b := sizes[i-1], sizes[i]
		out = append(out, Growth{Name: fmt.Sprintf("%d/%d", b.Records, a.Records),
			RecordRatio: float64(b.Records) / float64(a.Records), TimeRatio: b.First.Seconds / a.First.Seconds,
			PeakRatio: float64(b.First.PeakRSS) / float64(a.First.PeakRSS)})
	}
	return out
}

// revision is the commit the program was built from, where the build
// recorded it (go build does, go run does not), else what git says of
// the working tree: the hub's code changes often, and figures mean
// little without the code they measured.
func revision() (string, bool) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev string
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" {
			return rev, modified
		}
	}
	out, err := exec.Command("git", "describe", "--always", "--dirty", "--abbrev=12").Output()
	if err != nil {
		return "", false
	}
	rev, dirty := strings.CutSuffix(strings.TrimSpace(string(out)), "-dirty")
	return rev, dirty
}

func writeResults(res *Results, stdout bool, path string) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if stdout {
		_, err := os.Stdout.Write(b)
		return err
	}
	if path == "" {
		path = filepath.Join("bench", "report", "results-"+time.Now().Format("2006-01-02")+".json")
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w (run from the repository's root, or give -out)", err)
		}
		return err
	}
	fmt.Printf("figures written to %s\n", path)
	return nil
}
