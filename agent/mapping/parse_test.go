package mapping_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent/mapping"
)

// A mapping is checked against the schema when it is read, and every
// mistake is named in words a partner can act on.
func TestParseRefuses(t *testing.T) {
	const req = "constants: {status: actual, sex: F, age_group: adult, citizenship: CZ}\n"
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"empty", "", "the file is empty"},
		{"unknown top-level key", "dataset: victims\ncolums: {}\n", `field colums is not a known key`},
		{"unknown column key", "dataset: victims\ncolumns:\n  A: {field: status, valeus: {}}\n" + req, `field valeus is not a known key`},
		{"two documents", "dataset: victims\ncolumns: {A: {drop: true}}\n" + req + "---\ndataset: victims\n", "more than one YAML document"},
		{"no dataset", "columns: {A: {drop: true}}\n", "dataset is missing"},
		{"unknown dataset", "dataset: persons\ncolumns: {A: {drop: true}}\n", `dataset "persons" is not one of`},
		{"no columns", "dataset: victims\n" + req, "columns is empty"},
		{"two kinds", "dataset: victims\ncolumns: {A: {field: status, drop: true}}\n" + req, "say exactly one of field"},
		{"none", "dataset: victims\ncolumns: {A: {}}\n" + req, "say exactly one of field"},
		{"unknown field", "dataset: victims\ncolumns: {A: {field: statuss}}\n" + req, `"statuss" is not a field of victims/1; did you mean status?`},
		{"computed field", "dataset: victims\ncolumns: {A: {field: linkage_keys}}\n" + req, "linkage_keys is computed by the agent"},
		{"events without stage", "dataset: victims\ncolumns: {A: {field: events}}\n" + req, "name the stage, as events.recruitment"},
		{"bad stage", "dataset: victims\ncolumns: {A: {field: events.arrival}}\n" + req, `the stage "arrival" is not one of`},
		{"a field twice", "dataset: victims\ncolumns: {A: {field: sex}, B: {field: sex}}\n" + "constants: {status: actual, age_group: adult, citizenship: CZ}\n", `field sex is already filled by column "A"`},
		{"value not a code", "dataset: victims\ncolumns: {A: {field: status, values: {oběť: victum}}}\nconstants: {sex: F, age_group: adult, citizenship: CZ}\n", `values: "oběť" → "victum": not a known status`},
		{"split on one value", "dataset: victims\ncolumns: {A: {field: sex, split: \",\"}}\nconstants: {status: actual, age_group: adult, citizenship: CZ}\n", "split: sex holds one value"},
		{"formats not a date", "dataset: victims\ncolumns: {A: {field: status, formats: [d.m.yyyy]}}\nconstants: {sex: F, age_group: adult, citizenship: CZ}\n", "formats: status is not a date"},
		{"bad format", "dataset: victims\ncolumns: {A: {field: identified_on, formats: [dd.mm.yy]}}\n" + req, `formats: "dd.mm.yy" is not a date format`},
		{"also not text", "dataset: victims\ncolumns: {A: {field: status, also: sex}}\nconstants: {age_group: adult, citizenship: CZ}\n", "also: sex is not a text field"},
		{"identifier unknown", "dataset: victims\ncolumns: {A: {identifier: name}}\n" + req, `identifier "name" is not one of surname, given, full_name`},
		{"identifier with values", "dataset: victims\ncolumns: {A: {identifier: surname, values: {a: b}}}\n" + req, "an identifier column takes no values"},
		{"identifier twice", "dataset: victims\ncolumns: {A: {identifier: surname}, B: {identifier: surname}}\n" + req, `columns "A" and "B" are both identifier surname`},
		{"full name and surname", "dataset: victims\ncolumns: {A: {identifier: surname}, B: {identifier: full_name}}\n" + req, "full_name or surname and given, not both"},
		{"person in counts", "dataset: proceedings\ncolumns: {A: {identifier: surname}, Y: {field: year}, S: {field: stage}, N: {field: count}}\n", "identifier surname: only a victims mapping has persons"},
		{"required missing", "dataset: victims\ncolumns: {A: {field: status}}\n", "required field sex has no column"},
		{"constant and column", "dataset: victims\ncolumns: {A: {field: status}}\nconstants: {status: actual, sex: F, age_group: adult, citizenship: CZ}\n", `constants: status is also filled by column "A"`},
		{"constant and identifier", "dataset: victims\ncolumns: {A: {identifier: birth_date}}\n" + req, "constants: age_group is also filled by the identifier columns"},
		{"constant not a code", "dataset: victims\ncolumns: {A: {field: status}}\nconstants: {sex: X, age_group: adult, citizenship: CZ}\n", `constants: sex "X": not a known sex`},
		{"profile", "dataset: victims\nprofile: strict\ncolumns: {A: {drop: true}}\n" + req, `profile "strict" is not one of default, default_bloom`},
		{"format", "dataset: victims\nsource: {format: xls}\ncolumns: {A: {drop: true}}\n" + req, `source format "xls"`},
		{"encoding", "dataset: victims\nsource: {encoding: latin-2}\ncolumns: {A: {drop: true}}\n" + req, `source encoding "latin-2"`},
		{"delimiter", "dataset: victims\nsource: {delimiter: \":\"}\ncolumns: {A: {drop: true}}\n" + req, `source delimiter ":"`},
		{"sum victims", "dataset: victims\nsum_duplicates: true\ncolumns: {A: {drop: true}}\n" + req, "sum_duplicates is for counts"},
		{"dropped with values", "dataset: victims\ncolumns: {A: {drop: true, values: {a: b}}}\n" + req, "a dropped column takes no values"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mapping.Parse([]byte(tc.yaml), "m.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, mapping.ErrInvalidMapping) {
				t.Errorf("error does not wrap ErrInvalidMapping: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error\n%v\nwant it to contain\n%s", err, tc.want)
			}
			if strings.Contains(err.Error(), "mapping.Column") || strings.Contains(err.Error(), "map[string]") {
				t.Errorf("error names Go types: %v", err)
			}
		})
	}
}

// Every problem of a mapping is listed at once, not one per attempt.
func TestParseListsEveryMistake(t *testing.T) {
	_, err := mapping.Parse([]byte("dataset: victims\nprofile: x\ncolumns: {A: {field: foo}, B: {field: sex, values: {žena: W}}}\n"), "m.yaml")
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{`profile "x"`, `column "A"`, `column "B"`, "required field status", "required field citizenship"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestLoad(t *testing.T) {
	if _, err := mapping.Load(filepath.Join(t.TempDir(), "none.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	os.WriteFile(big, []byte("# "+strings.Repeat("x", mapping.MaxMappingSize)+"\n"), 0o644)
	if _, err := mapping.Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("large file: %v", err)
	}
	// Every shipped mapping loads, and names its profile.
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "mappings", "*.yaml"))
	if len(files) != 11 {
		t.Fatalf("%d shipped mappings, want 11 (one per synth partner)", len(files))
	}
	for _, f := range files {
		m, err := mapping.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		if m.Profile != "default" {
			t.Errorf("%s: profile %q", f, m.Profile)
		}
	}
}
