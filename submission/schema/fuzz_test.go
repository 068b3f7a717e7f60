package schema_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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
	{"case-folded", "field names in another case, which encoding/json would match and the schema refuses", `{"STATUS":"actual","Sex":"F","age_Group":"adult","citizenship":"UA"}`},
	{"duplicate", "a field given twice, which the schema refuses (encoding/json keeps the last)", `{"status":"possible","status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}`},
	{"escapes", "escaped and invalid UTF-8 in status_source", "{\"status_source\":\"\\u003c\\u0026\\ud800\xff\",\"status\":\"actual\",\"sex\":\"F\",\"age_group\":\"adult\",\"citizenship\":\"UA\"}"},
	{"unknown-field", "a name field, which the schema refuses", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","name":"Jana"}`},
	{"trailing", "a second object after the record", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}{}`},
	{"null", "JSON null", `null`},
	{"big-number", "a birth year that does not fit an int", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","birth_year":1e400}`},
}

// More victims/1 seeds, for the fields added after the first ten.
var victimSeedsV1b = []seed{
	{"all-fields", "every field, the new ones included", `{"status_source":"klientka","status":"possible","decided_by":"ngo","sex":"F","birth_year":1999,"age_group":"adult","citizenship":"VN","exploitation":["sexual","criminal"],"identified_on":"2024-06","linkage_keys":["hmac-v1_Zm9vYmFyYmF6cXV4"],"age_band":"24-26","sexual_exploitation":["prostitution"],"labour_sector":["A"],"means_of_control":["debt_bondage","withholds_documents"],"recruitment":["online_social_network"],"relationship_to_trafficker":"acquainted","events":[{"stage":"recruitment","country":"VN","date":"2023"},{"stage":"exploitation","country":"CZ"}],"region":"CZ042","assistance":["accommodation","legal"],"consent_share":true,"consent_research":false,"bloom":"AAECAwQFBgcICQoLDA0ODw"}`},
	{"abroad", "a Czech victim exploited abroad", `{"status":"actual","sex":"M","age_group":"adult","citizenship":"CZ","exploitation":["labour"],"events":[{"stage":"exploitation","country":"GB","date":"2024-02-29"}]}`},
	{"event-extra", "an event with a field the schema lacks", `{"status":"actual","sex":"M","age_group":"adult","citizenship":"CZ","events":[{"stage":"exploitation","country":"GB","city":"Leeds"}]}`},
	{"ages-disagree", "a child band with an adult age group", `{"status":"actual","sex":"F","age_group":"adult","age_band":"9-17","citizenship":"RO"}`},
	{"bloom-bits", "a Bloom filter with stray trailing bits", `{"status":"actual","sex":"F","age_group":"adult","citizenship":"RO","bloom":"AB"}`},
}

var proceedingSeeds = []seed{
	{"minimal", "the required fields only", `{"year":2024,"stage":"convicted","count":3}`},
	{"full", "every field", `{"year":2023,"stage":"prosecuted","sex":"M","citizenship_group":"non_EU","exploitation":"labour","legal_qualification":"s168","count":12,"case_level":true}`},
	{"zero", "a zero count, which must be written", `{"year":2024,"stage":"suspected","count":0}`},
	{"no-count", "the count left out", `{"year":2024,"stage":"suspected"}`},
	{"null-count", "the count null", `{"year":2024,"stage":"suspected","count":null}`},
	{"float", "a count with a fraction", `{"year":2024,"stage":"suspected","count":1.5}`},
	{"case-number", "a case number, which the schema refuses", `{"year":2024,"stage":"suspected","count":1,"case":"3 T 10/2012"}`},
}

var controlSeeds = []seed{
	{"minimal", "the required fields only", `{"authority":"labour_inspectorate","year":2024,"controls":420,"persons_checked":3100,"suspected_cases":2}`},
	{"full", "a quarter in one region", `{"authority":"alien_police","year":2024,"period":"2024-Q3","region":"CZ064","controls":12,"persons_checked":0,"suspected_cases":0}`},
	{"period-year", "a period in another year", `{"authority":"alien_police","year":2024,"period":"2023-H1","controls":1,"persons_checked":1,"suspected_cases":0}`},
	{"missing", "the counts left out", `{"authority":"alien_police","year":2024}`},
}

var aggregateSeeds = []seed{
	{"total", "a grand total", `{"dimensions":{},"count":57}`},
	{"abroad", "Czech victims in one country, as an embassy reports them", `{"dimensions":{"citizenship":"CZ","exploitation_country":"GB","year":"2024"},"unit":"victims","count":3}`},
	{"stage", "persons by stage", `{"dimensions":{"stage":"convicted","sex":"M"},"unit":"persons","count":4}`},
	{"duplicate-dimension", "a dimension given twice", `{"dimensions":{"sex":"F","sex":"M"},"count":1}`},
	{"number-value", "a year as a number", `{"dimensions":{"year":2024},"count":1}`},
	{"null", "null dimensions", `{"dimensions":null,"count":1}`},
	{"escapes", "escaped keys and values", "{\"dimensions\":{\"s\\u0065x\":\"\\u0046\"},\"count\":1}"},
}

// FuzzVictimDecode checks that a record Decode accepts survives
// marshalling (see fuzzRoundTrip).
func FuzzVictimDecode(f *testing.F) {
	fuzzRoundTrip[schema.Victim](f, "victims/1", append(slices.Clone(victimSeeds), victimSeedsV1b...))
}

func FuzzProceedingDecode(f *testing.F) {
	fuzzRoundTrip[schema.Proceeding](f, "proceedings/1", proceedingSeeds)
}

func FuzzControlDecode(f *testing.F) {
	fuzzRoundTrip[schema.Control](f, "controls/1", controlSeeds)
}

func FuzzAggregateDecode(f *testing.F) {
	fuzzRoundTrip[schema.Aggregate](f, "aggregates/1", aggregateSeeds)
}

// fuzzRoundTrip checks that Decode reports every problem as a
// *FieldError with a rule, and that a record it accepts survives
// marshalling: decode, marshal, decode gives a valid record again that
// marshals to the same bytes and decodes to the same value. (Empty and
// absent lists differ before the first marshal and not after it.)
func fuzzRoundTrip[T any](f *testing.F, version string, seeds []seed) {
	for _, s := range seeds {
		f.Add([]byte(s.value))
	}
	if *writeSeeds {
		writeSeedFiles(f, seeds)
	}
	d, err := schema.Lookup(version)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		rec, err := d.Decode(raw)
		if err != nil {
			for _, p := range problems(t, err) {
				if p.Rule == "" {
					t.Fatalf("problem %v has no rule", p)
				}
			}
			return
		}
		v1, ok := rec.(T)
		if !ok {
			t.Fatalf("Decode returned a %T", rec)
		}
		b1, err := json.Marshal(v1)
		if err != nil {
			t.Fatal(err)
		}
		rec2, err := d.Decode(b1)
		if err != nil {
			t.Fatalf("the marshalled record %s does not decode: %v", b1, err)
		}
		b2, _ := json.Marshal(rec2)
		if !bytes.Equal(b1, b2) {
			t.Fatalf("marshal is not stable:\n%s\n%s", b1, b2)
		}
		rec3, err := d.Decode(b2)
		if err != nil || !reflect.DeepEqual(rec2, rec3) {
			t.Fatalf("round trip changed the record:\n%#v\n%#v (%v)", rec2, rec3, err)
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
