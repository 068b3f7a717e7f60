package schema_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

var writeSeeds = flag.Bool("write-seeds", false, "write the fuzz seeds to testdata/fuzz/FuzzX/ and testdata/fuzz/FuzzX.md")

type seed struct{ name, comment, value string }

// victimSeeds are the commented seeds of FuzzVictimDecode. Go's corpus
// files cannot hold comments, so -write-seeds writes them to
// testdata/fuzz/FuzzVictimDecode.md beside the corpus.
var victimSeeds = []seed{
	{"minimal", "the required fields only", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}`},
	{"full", "every field, Czech text in status_source", `{"status_source":"identifikovaná oběť","status":"actual","decided_by":"police","sex":"F","birth_year":1998,"age_group":"adult","citizenship":"UA","exploitation":["sexual","labour"],"identified_on":"2025-03-14","linkage_keys":["hmac-v1_Zm9vYmFyYmF6cXV4"]}`},
	{"empty-lists", "empty exploitation and linkage lists, which marshal away (omitempty)", `{"status":"possible","sex":"M","age_group":"child","citizenship":"XX","exploitation":[],"linkage_keys":[]}`},
	{"case-folded", "field names in another case, which encoding/json matches", `{"STATUS":"actual","Sex":"F","age_Group":"adult","citizenship":"UA"}`},
	{"duplicate", "a field given twice: the last one wins", `{"status":"possible","status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}`},
	{"escapes", "escaped and invalid UTF-8 in status_source", "{\"status_source\":\"\\u003c\\u0026\\ud800\xff\",\"status\":\"actual\",\"sex\":\"F\",\"age_group\":\"adult\",\"citizenship\":\"UA\"}"},
	{"unknown-field", "a name field, which the schema refuses", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","name":"Jana"}`},
	{"trailing", "a second object after the record", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}{}`},
	{"null", "JSON null", `null`},
	{"big-number", "a birth year that does not fit an int", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","birth_year":1e400}`},
}

// normalize makes empty lists nil: omitempty drops them, so a round trip
// cannot keep the difference, and no reader of a record should see one.
func normalize(v schema.Victim) schema.Victim {
	if len(v.Exploitation) == 0 {
		v.Exploitation = nil
	}
	if len(v.LinkageKeys) == 0 {
		v.LinkageKeys = nil
	}
	return v
}

// FuzzVictimDecode checks that a record Decode accepts survives
// marshalling: decode, marshal, decode gives the same record, which is
// valid again and marshals to the same bytes.
func FuzzVictimDecode(f *testing.F) {
	for _, s := range victimSeeds {
		f.Add([]byte(s.value))
	}
	if *writeSeeds {
		writeSeedFiles(f, victimSeeds)
	}
	d, err := schema.Lookup("victims/1")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		v1, err := d.Decode(raw)
		if err != nil {
			return
		}
		victim, ok := v1.(schema.Victim)
		if !ok {
			t.Fatalf("Decode returned a %T", v1)
		}
		b1, err := json.Marshal(victim)
		if err != nil {
			t.Fatal(err)
		}
		v2, err := d.Decode(b1)
		if err != nil {
			t.Fatalf("the marshalled record %s does not decode: %v", b1, err)
		}
		if !reflect.DeepEqual(normalize(victim), normalize(v2.(schema.Victim))) {
			t.Fatalf("round trip changed the record:\n%#v\n%#v", victim, v2)
		}
		b2, _ := json.Marshal(v2)
		if !bytes.Equal(b1, b2) {
			t.Fatalf("marshal is not stable:\n%s\n%s", b1, b2)
		}
	})
}

func writeSeedFiles(f *testing.F, seeds []seed) {
	dir := filepath.Join("testdata", "fuzz", f.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	var md strings.Builder
	fmt.Fprintf(&md, "## %s\n\nSeeds in Go's corpus format; written by `go test -run '^Fuzz' -write-seeds` from the table in fuzz_test.go.\n\n", f.Name())
	for _, s := range seeds {
		if err := os.WriteFile(filepath.Join(dir, "seed-"+s.name), fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", s.value), 0o644); err != nil {
			f.Fatal(err)
		}
		fmt.Fprintf(&md, "- `seed-%s`: %s\n", s.name, s.comment)
	}
	if err := os.WriteFile(filepath.Join("testdata", "fuzz", f.Name()+".md"), []byte(md.String()), 0o644); err != nil {
		f.Fatal(err)
	}
}
