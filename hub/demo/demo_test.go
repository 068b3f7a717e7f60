package demo

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The demo's mappings are the ones shipped in testdata/mappings, so that
// what the demo shows is what a partner gets.
func TestDemoMappingsAreShipped(t *testing.T) {
	for _, p := range demoPartners {
		embedded, err := mappings.ReadFile("mappings/" + p.ID + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		shipped, err := os.ReadFile(filepath.Join("..", "..", "testdata", "mappings", p.ID+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(embedded, shipped) {
			t.Errorf("hub/demo/mappings/%s.yaml differs from testdata/mappings/%[1]s.yaml: copy it over", p.ID)
		}
	}
}

// The demo's policy is the one shipped in testdata/policy, which the
// README and docs/POLICY.md describe.
func TestDemoPolicyIsShipped(t *testing.T) {
	shipped, err := os.ReadFile(filepath.Join("..", "..", "testdata", "policy", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(demoPolicy, shipped) {
		t.Error("hub/demo/policy.yaml differs from testdata/policy/demo.yaml: copy it over")
	}
}

// The demo runs its partners' own files through mappings and the real
// agent, and the hub takes every record in: quickly.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := Run(context.Background(), Options{Dir: dir, ExitAfterIngest: true, Out: &out}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"mapped LaStrada_clients_2025.csv with its mapping: 129 rows, 129 records",
		"mapped PCR_obeti_OL_2025.csv with its mapping: 71 rows, 71 records",
		"mapped Program_podpory_obeti_OL_2024.xlsx with its mapping: 36 rows, 36 records",
		"4. hub ingested the drop box: 6 accepted, 0 rejected, 0 quarantined",
		"6. the hub linked the victims records across sources and years",
		"all sources, de-duplicated",
		"distinct persons by sex, 2024-2025, per source and de-duplicated:",
		"source overlap, 2024-2025 (1 = reported the person)",
		"7. the API answers under the access policy",
		"analyst-records    (analyst, restricted clearance): record-level data, 507 records of",
		"analyst-aggregates (analyst, standard clearance): aggregates only, 14 tables at the publication threshold (counts 1-3 suppressed)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// Every partner holds the same linkage secret, readable by it alone.
	var first []byte
	for _, p := range demoPartners {
		path := filepath.Join(dir, "partners", p.ID, "linkage.secret")
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", path, fi.Mode().Perm())
		}
		b, _ := os.ReadFile(path)
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Errorf("%s holds another secret", p.ID)
		}
	}
	// The hub's side holds no copy of it.
	filepath.Walk(filepath.Join(dir, "hub"), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, bytes.TrimSpace(first)) {
				t.Errorf("%s holds the linkage secret", path)
			}
		}
		return nil
	})
}
