// Command merge measures hub/merge: it generates victims records with
// linkage keys from a number of partners (hub/merge/mergetest), links
// them and makes the report tables, at several volumes, each in a
// process of its own so that peak RSS is that volume's. Figures for
// issue 5, item 6: a million records from 20 partners under 30 s and
// 2 GiB on two cores.
//
// Usage:
//
//	go run ./bench/merge -n 1000000 -partners 20
//	go run ./bench/merge -sizes 10000,100000 -bloom 0.3
//
// With -n, the volumes are 10 000, 100 000 and so on up to n; -sizes
// names them. Each line gives the generation time, the Link time, the
// time of the report tables, the persons found, pair precision and
// recall against the generator's truth, and the peak RSS of the process
// (getrusage ru_maxrss) with the RSS the generated records alone held.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/merge/mergetest"
)

func main() {
	n := flag.Int("n", 1_000_000, "largest volume: 10 000, 100 000, ... up to n records")
	sizes := flag.String("sizes", "", "comma-separated volumes, instead of -n")
	partners := flag.Int("partners", 20, "partners sending records")
	bloom := flag.Float64("bloom", 0, "share of partners sending Bloom encodings (0-1)")
	seed := flag.Uint64("seed", 1, "generator seed")
	one := flag.Int("one", 0, "measure one volume in this process (used by the parent run)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: merge [-n records | -sizes a,b,c] [-partners k] [-bloom share] [-seed s]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *one > 0 {
		if err := measure(*one, *partners, *bloom, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "merge:", err)
			os.Exit(1)
		}
		return
	}
	var volumes []int
	if *sizes != "" {
		for s := range strings.SplitSeq(*sizes, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || v <= 0 {
				fmt.Fprintf(os.Stderr, "merge: bad volume %q\n", s)
				os.Exit(2)
			}
			volumes = append(volumes, v)
		}
	} else {
		for v := 10_000; v <= *n; v *= 10 {
			volumes = append(volumes, v)
		}
		if len(volumes) == 0 || volumes[len(volumes)-1] != *n {
			volumes = append(volumes, *n)
		}
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "merge:", err)
		os.Exit(1)
	}
	fmt.Printf("hub/merge benchmark: %d partners, Bloom share %.2f, GOMAXPROCS %d, %s/%s\n",
		*partners, *bloom, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("%10s %10s %9s %9s %9s %10s %9s %9s %10s %10s\n",
		"records", "persons", "generate", "link", "tables", "per 1M", "precision", "recall", "rss data", "peak rss")
	for _, v := range volumes {
		cmd := exec.Command(self, "-one", strconv.Itoa(v), "-partners", strconv.Itoa(*partners),
			"-bloom", strconv.FormatFloat(*bloom, 'f', -1, 64), "-seed", strconv.FormatUint(*seed, 10))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "merge:", err)
			os.Exit(1)
		}
	}
}

func measure(n, partners int, bloom float64, seed uint64) error {
	start := time.Now()
	d := mergetest.Generate(mergetest.Config{Records: n, Partners: partners, BloomShare: bloom, Seed: seed})
	gen := time.Since(start)
	debug.FreeOSMemory() // the generator's garbage is not the merge's
	dataRSS := currentRSS()

	start = time.Now()
	res, err := merge.Link(d.Records, merge.Config{Salt: []byte("thbx bench salt, not a secret!!!")})
	if err != nil {
		return err
	}
	link := time.Since(start)
	start = time.Now()
	tables := merge.ReportTables(res)
	tab := time.Since(start)
	cells := 0
	for _, t := range tables {
		cells += len(t.Rows)
	}
	peak := peakRSS() // before the truth map, which only the measurement needs
	p, r, _, _, _ := merge.PairQuality(res, d.Truth())
	perMillion := time.Duration(float64(link+tab) * 1e6 / float64(len(d.Records)))
	fmt.Printf("%10d %10d %9s %9s %9s %10s %9.4f %9.4f %7d MiB %7d MiB\n",
		len(d.Records), res.Stats().Persons, round(gen), round(link), round(tab), round(perMillion), p, r,
		dataRSS>>20, peak>>20)
	return nil
}

func round(d time.Duration) time.Duration {
	switch {
	case d > 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// peakRSS is the process's high-water mark of resident memory.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10 // KiB on Linux
}

// currentRSS is the resident memory now (Linux /proc; 0 elsewhere).
func currentRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
