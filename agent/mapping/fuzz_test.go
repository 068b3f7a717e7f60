package mapping_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/submission/schema"
)

// FuzzParse feeds the mapping parser any bytes. Property: it never
// panics, and a mapping it accepts, written out again, is accepted and
// reads back the same.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "mappings", "*.yaml"))
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b) // every shipped mapping
	}
	f.Add([]byte(victimsBase + "columns: {A: {field: status}}\nconstants: {sex: F, age_group: adult, citizenship: CZ}\n"))
	f.Add([]byte("dataset: aggregates\ncolumns: {rok: {field: year}, n: {field: count}}\n"))
	f.Add([]byte("dataset: victims\ncolumns: {A: {field: events.exploitation, values: {ČR: CZ}}}\n")) // missing required fields
	f.Add([]byte("dataset: [victims]\n"))                                                             // wrong YAML type
	f.Add([]byte("{{{"))                                                                              // not YAML
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := mapping.Parse(data, "fuzz.yaml")
		if err != nil {
			return
		}
		out, err := yaml.Marshal(m)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		m2, err := mapping.Parse(out, "again.yaml")
		if err != nil {
			t.Fatalf("written out again, refused: %v\n%s", err, out)
		}
		out2, _ := yaml.Marshal(m2)
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the mapping:\n%s\n---\n%s", out, out2)
		}
	})
}

const fuzzMapping = `
dataset: victims
source: {format: csv, encoding: utf-8, delimiter: ","}
columns:
  surname: {identifier: surname}
  given: {identifier: given}
  dob: {identifier: birth_date}
  status: {field: status, also: status_source}
  sex: {field: sex}
  forms: {field: exploitation, split: ";"}
constants: {citizenship: UA}
defaults: {sex: U, age_group: unknown}
`

// vocabulary is every code and term of the schema's lists, in which a
// fuzzed surname may legitimately appear.
var vocabulary = func() string {
	var b strings.Builder
	for _, cl := range schema.CodeLists() {
		for _, c := range cl.Codes {
			b.WriteString(c.Code + " " + strings.Join(c.Aliases, " ") + " ")
		}
	}
	return b.String()
}()

// FuzzRunCSV maps any CSV text. Properties: no panic; every record
// passes the schema; the surname and given-name cells never appear in a
// record (outside the keys, which are base64url).
func FuzzRunCSV(f *testing.F) {
	f.Add("surname,given,dob,status,sex,forms\nNováková,Jana,5.3.1990,identifikovaná oběť,žena,sexuální;práce\n")
	f.Add("surname,given,dob,status,sex,forms\nOliinyk,Taras,1990,presumed victim,M,\n,,,,,\n")
	f.Add("surname,given,dob,status,sex,forms\n\"Ková\"\"lenko\",Olena,31.2.1990,oběť,F,žebrání\n")            // a quote in a name, a bad date
	f.Add("surname,given,dob,status,sex,forms\nVeryLongSurnameXYZ,Anna,1.1.2000,Anna VeryLongSurnameXYZ,F,\n") // the name in free text
	f.Add("\xef\xbb\xbfsurname;given\nA;B\n")
	f.Fuzz(func(t *testing.T, text string) {
		m := parse(t, fuzzMapping)
		var recs []string
		_, err := m.RunReader(strings.NewReader(text), "f.csv", mapping.Options{Secret: testSecret(t)}, func(rec []byte) error {
			if _, err := m.Schema().Decode(rec); err != nil {
				t.Fatalf("record the schema refuses: %v\n%s", err, rec)
			}
			recs = append(recs, string(rec))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\xef\xbb\xbf"))).ReadAll()
		if err != nil || len(rows) < 2 || len(recs) == 0 {
			return
		}
		var other strings.Builder // the cells that may leave
		for _, r := range rows[1:] {
			for _, c := range r[min(len(r), 3):] {
				other.WriteString(c + "\n")
			}
		}
		for _, r := range rows[1:] {
			for _, id := range r[:min(len(r), 2)] {
				id = strings.TrimSpace(id)
				if len(id) < 6 || strings.Contains(other.String(), id) || strings.Contains(vocabulary, strings.ToLower(id)) {
					continue
				}
				for _, rec := range recs {
					if strings.Contains(rec, id) {
						t.Fatalf("identifier %q left in %s", id, rec)
					}
				}
			}
		}
	})
}

// FuzzRunJSON maps any JSON text: no panic, and every record passes the
// schema.
func FuzzRunJSON(f *testing.F) {
	f.Add(`[{"status": "actual", "surname": "Nováková", "forms": ["sexual", "labour"]}]`, false)
	f.Add(`[{"status": "actual"}, 1, [], {"status": {"a": 1}}, {"status": "actual", "status": "possible"}]`, false)
	f.Add("{\"status\": \"actual\"}\n{bad\n{\"sex\": \"F\"} {}\n", true)
	f.Add(`[{"status": "actual"},,]`, false)
	f.Fuzz(func(t *testing.T, text string, lines bool) {
		m := parse(t, strings.Replace(fuzzMapping, "{format: csv, encoding: utf-8, delimiter: \",\"}", "{}", 1))
		name := "f.json"
		if lines {
			name = "f.jsonl"
		}
		_, err := m.RunReader(strings.NewReader(text), name, mapping.Options{Secret: testSecret(t)}, func(rec []byte) error {
			if _, err := m.Schema().Decode(rec); err != nil {
				t.Fatalf("record the schema refuses: %v\n%s", err, rec)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
