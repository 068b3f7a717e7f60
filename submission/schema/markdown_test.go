package schema_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

var update = flag.Bool("update", false, "rewrite docs/SCHEMA.md and docs/schema/*.json from the code")

// docsDir is the repository's docs/, two levels up from this package.
var docsDir = filepath.Join("..", "..", "docs")

// golden compares a generated file with its copy in docs/, or rewrites
// the copy with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./submission/schema -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the schema's code; run go test ./submission/schema -run %s -update", path, t.Name())
	}
}

// TestSchemaMarkdown keeps docs/SCHEMA.md generated from the code.
func TestSchemaMarkdown(t *testing.T) {
	md := schema.Markdown()
	golden(t, filepath.Join(docsDir, "SCHEMA.md"), md)
	// What the document must say, whatever the tables hold.
	text := string(md)
	for _, want := range []string{
		"never repeat a free-text or key value", "No record carries a direct identifier",
		"status_source", "Begging is a form of its own in HTCDS, labour in CTDC",
		"Forced criminality has no HTCDS code", `"Identified" and "presumed"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("SCHEMA.md does not say %q", want)
		}
	}
	for _, d := range schema.Datasets() {
		if !strings.Contains(text, "### "+d.Version+"\n") {
			t.Errorf("SCHEMA.md has no section for %s", d.Version)
		}
		for _, f := range d.Spec() {
			if !strings.Contains(text, "| `"+f.Name+"` | "+f.Kind.String()+" |") {
				t.Errorf("SCHEMA.md has no row for %s.%s", d.Version, f.Name)
			}
		}
	}
	for _, cl := range schema.CodeLists() {
		for _, c := range cl.Codes {
			if !strings.Contains(text, "| `"+c.Code+"` | ") {
				t.Errorf("SCHEMA.md lacks code %s of %s", c.Code, cl.Name)
			}
		}
	}
}

// TestJSONSchema keeps docs/schema/*.json, one JSON Schema per dataset,
// generated from the code, and checks that each is JSON and names every
// field and code.
func TestJSONSchema(t *testing.T) {
	dir := filepath.Join(docsDir, "schema")
	want := map[string]bool{}
	for _, d := range schema.Datasets() {
		name := strings.ReplaceAll(d.Version, "/", "-") + ".json"
		want[name] = true
		js := d.JSONSchema()
		golden(t, filepath.Join(dir, name), js)
		var s struct {
			Properties map[string]struct {
				Enum  []string `json:"enum"`
				Items struct {
					Enum []string `json:"enum"`
				} `json:"items"`
			} `json:"properties"`
			Required []string `json:"required"`
		}
		if err := json.Unmarshal(js, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range d.Spec() {
			p, ok := s.Properties[f.Name]
			if !ok {
				t.Errorf("%s lacks %s", name, f.Name)
			}
			if f.Kind == schema.KindCode && len(p.Enum) != len(f.Codes.Codes) {
				t.Errorf("%s.%s: %d codes", name, f.Name, len(p.Enum))
			}
			if f.Kind == schema.KindCodes && len(p.Items.Enum) != len(f.Codes.Codes) {
				t.Errorf("%s.%s: %d codes", name, f.Name, len(p.Items.Enum))
			}
		}
	}
	if *update {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("%s is not a dataset's schema; remove it", filepath.Join(dir, e.Name()))
		}
	}
}
