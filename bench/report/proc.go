package main

import (
	"bytes"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// status reads a size field of /proc/self/status (VmRSS, VmHWM) in
// bytes; 0 where there is no /proc.
func status(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeak sets the process's VmHWM back to its resident memory now
// (Linux 4.0 and later), so that the next peak is the next step's own.
func resetPeak() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// loadAvg is the first three fields of /proc/loadavg: the machine is
// shared, and a figure means little without the load beside it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// cpuTime is the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchLiveHeap samples the live heap that each collection leaves,
// every 50 ms, until the function it returns is called; that returns the
// largest sample. With heapProfile set, it also keeps the heap profile of
// the largest sample (once it is 5% above the last one kept) and writes
// it there at the end: what the peak was made of.
func watchLiveHeap(heapProfile string) func() (uint64, error) {
	stop, done := make(chan struct{}), make(chan uint64)
	var prof bytes.Buffer
	go func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var peak, kept uint64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			v := s[0].Value.Uint64()
			peak = max(peak, v)
			if heapProfile != "" && v > kept+kept/20 {
				prof.Reset()
				if pprof.Lookup("heap").WriteTo(&prof, 0) == nil {
					kept = v
				}
			}
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() (uint64, error) {
		close(stop)
		peak := <-done
		if heapProfile == "" {
			return peak, nil
		}
		return peak, os.WriteFile(heapProfile, prof.Bytes(), 0o644)
	}
}
