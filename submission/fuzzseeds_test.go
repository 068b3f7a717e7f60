package submission_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var writeSeeds = flag.Bool("write-seeds", false, "write the fuzz targets' named seeds to testdata/fuzz/FuzzX/ and testdata/fuzz/README.md")

// seed is one named, commented input of a fuzz target. The seeds are added
// with f.Add and, with -write-seeds, checked in under testdata/fuzz in Go's
// corpus format, whose files cannot hold comments; testdata/fuzz/README.md
// carries the comments instead.
type seed struct {
	name, comment string
	value         any // []byte or string
}

func addSeeds(f *testing.F, seeds []seed) {
	f.Helper()
	for _, s := range seeds {
		f.Add(s.value)
	}
	if *writeSeeds {
		writeSeedFiles(f, f.Name(), seeds)
	}
}

func writeSeedFiles(f *testing.F, target string, seeds []seed) {
	f.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	var readme strings.Builder
	fmt.Fprintf(&readme, "## %s\n\n", target)
	for _, s := range seeds {
		var body string
		switch v := s.value.(type) {
		case []byte:
			body = fmt.Sprintf("[]byte(%q)", v)
		case string:
			body = fmt.Sprintf("string(%q)", v)
		default:
			f.Fatalf("seed %s: type %T", s.name, v)
		}
		if err := os.WriteFile(filepath.Join(dir, "seed-"+s.name), []byte("go test fuzz v1\n"+body+"\n"), 0o644); err != nil {
			f.Fatal(err)
		}
		fmt.Fprintf(&readme, "- `seed-%s`: %s\n", s.name, s.comment)
	}
	readme.WriteString("\n")
	if err := os.WriteFile(filepath.Join("testdata", "fuzz", target+".md"), []byte(readme.String()), 0o644); err != nil {
		f.Fatal(err)
	}
}
