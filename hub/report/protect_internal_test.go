package report

import (
	"testing"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/merge/mergetest"
	"github.com/thbx/thbx/policy/disclosure"
)

// The tables of a report, protected together, leave an attacker who holds
// every table of the report nothing to recover: the linear-programming
// attacker over all of them at once (AuditLinked, counts of one ID merged)
// pins no withheld count. Synthetic persons from several sources and
// years, at the internal and the publication threshold.
func TestReportTablesResistJointAttack(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		d := mergetest.Generate(mergetest.Config{Seed: seed, Records: 300, Partners: 4, Periods: []string{"2023", "2024"}})
		res, err := merge.Link(d.Records, merge.Config{Salt: []byte("a salt of sixteen bytes or more")})
		if err != nil {
			t.Fatal(err)
		}
		ts := merge.ReportTables(res)
		for _, k := range []int{2, 3} {
			linked, _, ps, err := protectLinked(ts, k)
			if err != nil {
				t.Fatalf("seed %d k %d: %v", seed, k, err)
			}
			recs, err := disclosure.AuditLinked(ps, linked)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs {
				t.Errorf("seed %d k %d: recovered %v", seed, k, r)
			}
			withheld := 0
			for _, p := range ps {
				for _, c := range append(p.Cells, p.Totals...) {
					if c.Suppressed() {
						withheld++
						if c.Status == disclosure.Primary && c.Max != k {
							t.Errorf("primary cell %v with max %d, want %d", c.Keys, c.Max, k)
						}
					} else if c.Count > 0 && c.Count <= k && c.Status == disclosure.Published {
						t.Errorf("%v: count %d published at k %d", c.Keys, c.Count, k)
					}
				}
			}
			if withheld == 0 {
				t.Errorf("seed %d k %d: nothing withheld; the test data are too large to test anything", seed, k)
			}
		}
	}
}
