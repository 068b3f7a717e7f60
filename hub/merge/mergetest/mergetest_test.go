package mergetest_test

import (
	"reflect"
	"testing"

	"github.com/thbx/thbx/hub/merge/mergetest"
)

func TestGenerate(t *testing.T) {
	cfg := mergetest.Config{Records: 5000, Partners: 7, Seed: 3, BloomShare: 0.5}
	d := mergetest.Generate(cfg)
	if len(d.Records) != cfg.Records || len(d.Person) != cfg.Records {
		t.Fatalf("%d records, %d person numbers, want %d", len(d.Records), len(d.Person), cfg.Records)
	}
	if r := float64(len(d.Records)) / float64(d.Persons); r < 1.1 || r > 1.6 {
		t.Errorf("%.2f records a person", r)
	}
	seen := map[string]bool{}
	for _, r := range d.Records {
		if seen[r.Ref.String()] {
			t.Fatalf("%s twice", r.Ref)
		}
		seen[r.Ref.String()] = true
		v := mergetest.Victim(r)
		if err := v.Validate(); err != nil {
			t.Fatalf("%s: %v", r.Ref, err)
		}
	}
	if again := mergetest.Generate(cfg); !reflect.DeepEqual(again, d) {
		t.Error("not deterministic")
	}
}
