package merge_test

import (
	"testing"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/merge/mergetest"
)

func benchmarkLink(b *testing.B, n int) {
	d := mergetest.Generate(mergetest.Config{Records: n, Partners: 20, Seed: 1})
	cfg := merge.Config{Salt: []byte("thbx benchmark salt, 32 bytes..!")}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := merge.Link(d.Records, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
}

// BenchmarkLink links 10 000 and 100 000 records of 20 partners; go run
// ./bench/merge measures a million, and peak RSS.
func BenchmarkLink(b *testing.B) {
	b.Run("10k", func(b *testing.B) { benchmarkLink(b, 10_000) })
	b.Run("100k", func(b *testing.B) { benchmarkLink(b, 100_000) })
}

// BenchmarkReportTables makes every report table of 100 000 linked
// records, from a fresh Result each time (a Result keeps what its tables
// share).
func BenchmarkReportTables(b *testing.B) {
	d := mergetest.Generate(mergetest.Config{Records: 100_000, Partners: 20, Seed: 1})
	cfg := merge.Config{Salt: []byte("thbx benchmark salt, 32 bytes..!")}
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		res, err := merge.Link(d.Records, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		merge.ReportTables(res)
	}
}
