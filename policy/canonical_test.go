package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestCanonicalGolden compares the demo policy's canonical form with
// testdata/demo.canonical.yaml (go test -update rewrites it), and checks
// that the canonical form reads back as the same rules.
func TestCanonicalGolden(t *testing.T) {
	p := demo(t)
	got := p.Canonical()
	golden := filepath.Join("testdata", "demo.canonical.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("canonical form of the demo policy differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	again, err := Parse(got)
	if err != nil {
		t.Fatalf("the canonical form is refused: %v", err)
	}
	clearLines(p)
	clearLines(again)
	if !reflect.DeepEqual(p.rules, again.rules) || p.description != again.description {
		t.Error("the canonical form reads back as other rules")
	}
	if !bytes.Equal(again.Canonical(), got) {
		t.Error("the canonical form of the canonical form differs")
	}
}

// TestDecisionLog: a decision logs as its codes, rule ids, mask and
// threshold, and nothing of the principal or the resource.
func TestDecisionLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	p := demo(t)
	log.Info("decided", "decision", p.Decide(recordsAnalyst, Export, tables))
	log.Info("decided", "decision", p.Decide(recordsAnalyst, ReadRecords, policeVictims))
	log.Info("decided", "decision", p.Decide(ngo, ReadRecords, policeVictims))
	var lines []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, m["decision"].(map[string]any))
	}
	want := []map[string]any{
		{"allowed": true, "reason": "granted", "rules": []any{"analysis-internal-tables", "analyst-aggregates"}, "threshold": 3.0, "audience": "publication"},
		{"allowed": true, "reason": "granted", "rules": []any{"analyst-records"}, "mask": []any{"birth_year", "bloom", "linkage_keys", "region", "status_source"}},
		{"allowed": false, "reason": "other_partner"},
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("logged\n%v\nwant\n%v", lines, want)
	}
	if bytes.Contains(buf.Bytes(), []byte("ngo-lastrada")) || bytes.Contains(buf.Bytes(), []byte("police-cz")) {
		t.Errorf("the log names a principal or a resource:\n%s", buf.Bytes())
	}
}

// TestDocExample: the example at the top of docs/POLICY.md is a valid
// policy that decides as the text says.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "POLICY.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := bytes.Cut(doc, []byte("```yaml\n"))
	src, _, ok2 := bytes.Cut(rest, []byte("```"))
	if !ok || !ok2 {
		t.Fatal("docs/POLICY.md has no YAML example")
	}
	p := mustParse(t, string(src))
	if d := p.Decide(recordsAnalyst, Export, ngoVictims); !d.Allowed || !slices.Equal(d.Mask, demoMask) {
		t.Errorf("the documented analyst-records grant: %+v", d)
	}
	if d := p.Decide(recordsAnalyst, ReadRecords, intelVictims); d.Reason != ReasonDeniedByRule {
		t.Errorf("the documented deny rule: %+v", d)
	}
}
