package mapping_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/agent/synth"
)

// generated is one synthetic Czech year, made once for the tests that
// read it.
var generated struct {
	dir string
	man *synth.Manifest
}

func synthYear(t *testing.T) (string, *synth.Manifest) {
	t.Helper()
	if generated.man == nil {
		dir, err := os.MkdirTemp("", "thbx-mapping-synth-")
		if err != nil {
			t.Fatal(err)
		}
		man, err := synth.Generate(synth.Config{Seed: 1, Scale: 1, Years: []int{2025}, OutDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		generated.dir, generated.man = dir, man
	}
	return generated.dir, generated.man
}

func TestMain(m *testing.M) {
	code := m.Run()
	if generated.dir != "" {
		os.RemoveAll(generated.dir)
	}
	os.Exit(code)
}

// Every partner's file of a synthetic Czech year maps with the mapping
// shipped for it, with no problem at all: the partners' own words, date
// formats, encodings and layouts are all covered, and the ground truth's
// noise (typos in names, missing values, swapped day and month, dropped
// diacritics) makes no record invalid, since missing sex, citizenship and
// age map to the schema's own "unknown" codes.
func TestShippedMappingsMapSynthYear(t *testing.T) {
	dir, man := synthYear(t)
	// The rows a shipped mapping leaves out on purpose, by partner: the
	// prosecution's indicted persons (they were prosecuted first) and the
	// court's acquittals (no stage of proceedings/1); the court's and the
	// labour inspectorate's rows are also added up (sum_duplicates).
	skipped := map[synth.PartnerKind]int{}
	records := map[synth.PartnerKind]int{}
	for _, f := range man.Files {
		m := shipped(t, string(f.Partner))
		if m.Dataset != string(f.Dataset) {
			t.Errorf("%s: mapping for %s, file of %s", f.Partner, m.Dataset, f.Dataset)
		}
		var lines [][]byte
		res, err := m.Run(filepath.Join(dir, f.Path), mapping.Options{Secret: testSecret(t), Period: "2025"}, func(rec []byte) error {
			if _, err := m.Schema().Decode(rec); err != nil {
				t.Errorf("%s: a record the schema refuses: %v", f.Partner, err)
			}
			lines = append(lines, slices.Clone(rec))
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		for _, p := range res.Problems {
			t.Errorf("%s: %s", f.Partner, p)
		}
		if res.Rows != f.Records {
			t.Errorf("%s: %d rows read, the file has %d", f.Partner, res.Rows, f.Records)
		}
		skipped[f.Partner], records[f.Partner] = res.Skipped, res.Records
		if f.PersonLevel && (res.Records != f.Records || res.Skipped != 0) {
			t.Errorf("%s: %d records of %d rows", f.Partner, res.Records, f.Records)
		}
		t.Logf("%-16s %4d rows → %4d records (%d skipped)", f.Partner, res.Rows, res.Records, res.Skipped)
	}
	if skipped[synth.Prosecution] != records[synth.Prosecution] {
		t.Errorf("prosecution: %d indicted rows skipped, %d prosecuted kept; the file has one of each", skipped[synth.Prosecution], records[synth.Prosecution])
	}
	if records[synth.LabourInspectorate] != 4 {
		t.Errorf("labour inspectorate: %d records, want one per quarter", records[synth.LabourInspectorate])
	}
	if skipped[synth.Court] == 0 {
		t.Error("court: no acquittals left out")
	}
}

// The records of one person from different partners share a linkage key,
// over the ground truth: the mappings feed the keys the same identifiers
// however each partner writes them.
func TestShippedMappingsLink(t *testing.T) {
	dir, man := synthYear(t)
	keys := map[string][]string{} // partner/row → keys
	for _, f := range man.Files {
		if !f.PersonLevel {
			continue
		}
		row := 0
		_, err := shipped(t, string(f.Partner)).Run(filepath.Join(dir, f.Path), mapping.Options{Secret: testSecret(t)}, func(rec []byte) error {
			row++
			var v struct {
				Keys []string `json:"linkage_keys"`
			}
			json.Unmarshal(rec, &v)
			keys[string(f.Partner)+"/"+strconv.Itoa(row)] = v.Keys
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	tf, err := os.Open(filepath.Join(dir, man.Truth.Records))
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	truth, err := csv.NewReader(tf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byPerson := map[string][]string{}
	for _, r := range truth[1:] { // partner,file,row,person_id,year,noise
		byPerson[r[3]] = append(byPerson[r[3]], r[0]+"/"+r[2])
	}
	pairs, linked, keyless := 0, 0, 0
	for _, recs := range byPerson {
		for i := range recs {
			for j := i + 1; j < len(recs); j++ {
				if len(keys[recs[i]]) == 0 || len(keys[recs[j]]) == 0 {
					keyless++ // no name or birth date in one of them: nothing to link on
					continue
				}
				pairs++
				for _, k := range keys[recs[i]] {
					if slices.Contains(keys[recs[j]], k) {
						linked++
						break
					}
				}
			}
		}
	}
	t.Logf("%d of %d pairs of one person's records with keys share one (%d pairs where one record has none)", linked, pairs, keyless)
	if pairs < 20 || float64(linked) < 0.9*float64(pairs) {
		t.Fatalf("%d of %d pairs linked; want at least 90 %%", linked, pairs)
	}
}
