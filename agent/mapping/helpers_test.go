package mapping_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/agent/mapping"
)

func testSecret(t testing.TB) *anon.Secret {
	t.Helper()
	s, err := anon.GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parse parses a mapping that must be valid.
func parse(t testing.TB, yaml string) *mapping.Mapping {
	t.Helper()
	m, err := mapping.Parse([]byte(yaml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mapped is what a run made: the records, decoded, and the raw lines.
type mapped struct {
	res  *mapping.Result
	recs []map[string]any
	raw  []string
}

// run maps content, as the file name, with the mapping (and a secret).
func run(t testing.TB, m *mapping.Mapping, name string, content []byte) mapped {
	t.Helper()
	var out mapped
	res, err := m.RunReader(bytes.NewReader(content), name, mapping.Options{Secret: testSecret(t), Period: "2025"}, func(rec []byte) error {
		var v map[string]any
		if err := json.Unmarshal(rec, &v); err != nil {
			t.Fatalf("record is not JSON: %s", rec)
		}
		out.recs = append(out.recs, v)
		out.raw = append(out.raw, string(rec))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out.res = res
	return out
}

// runOK is run for a file that must have no problems.
func runOK(t testing.TB, m *mapping.Mapping, name, content string) []map[string]any {
	t.Helper()
	out := run(t, m, name, []byte(content))
	if err := out.res.Err(); err != nil {
		t.Fatal(err)
	}
	return out.recs
}

// problems runs a file and returns its problems as strings.
func problems(t testing.TB, m *mapping.Mapping, name, content string) []string {
	t.Helper()
	out := run(t, m, name, []byte(content))
	var ps []string
	for _, p := range out.res.Problems {
		ps = append(ps, p.String())
	}
	return ps
}

// hasProblem fails unless one problem contains want.
func hasProblem(t testing.TB, ps []string, want string) {
	t.Helper()
	for _, p := range ps {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Fatalf("no problem contains %q; problems:\n%s", want, strings.Join(ps, "\n"))
}

// shipped loads a mapping from testdata/mappings.
func shipped(t testing.TB, partner string) *mapping.Mapping {
	t.Helper()
	m, err := mapping.Load(filepath.Join("..", "..", "testdata", "mappings", partner+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// victimsHeader is a mapping prefix for tests of one column at a time:
// the required fields come from constants unless the test maps them.
const victimsBase = `
dataset: victims
source: {format: csv}
`

func decode(t testing.TB, rec []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(rec, &v); err != nil {
		t.Fatalf("record is not JSON: %s", rec)
	}
	return v
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
