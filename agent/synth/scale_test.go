package synth

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// At 100 times the Czech volume a year holds 30-50 thousand records, and
// generating it streams: the heap stays far below what holding the
// records would take.
func TestScale100Streams(t *testing.T) {
	const limit = 200 << 20
	runtime.GC()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	m, dir := generate(t, Config{Seed: 9, Years: []int{2023}, Scale: 100})
	close(done)
	wg.Wait()
	y := m.PerYear[0]
	t.Logf("scale 100, one year: %d records, %d persons, %.1f %% by more than one partner, %d count rows; %v, peak heap in use %d MiB",
		y.Records, y.Persons, 100*frac(y.MultiSource, y.Persons), m.Totals.CountRows, time.Since(start).Round(time.Millisecond), peak>>20)
	if peak > limit {
		t.Errorf("peak heap in use %d MiB, want < %d MiB", peak>>20, limit>>20)
	}
	if y.Records < 30000 || y.Records > 50000 {
		t.Errorf("%d records, want 30-50 thousand", y.Records)
	}
	if y.Persons < 25000 || y.Persons > 40000 {
		t.Errorf("%d persons, want 25-40 thousand", y.Persons)
	}
	if s := frac(y.MultiSource, y.Persons); s < 0.10 || s > 0.30 {
		t.Errorf("%.2f reported by more than one partner", s)
	}
	// The ground truth has a line for every record the files hold.
	f, err := os.Open(filepath.Join(dir, m.Truth.Records))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	lines := -1
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		lines++
	}
	if lines != y.Records {
		t.Errorf("records.csv has %d lines, the files %d records", lines, y.Records)
	}
}
