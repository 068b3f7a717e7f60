package synth

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func generate(t testing.TB, cfg Config) (*Manifest, string) {
	t.Helper()
	if cfg.OutDir == "" {
		cfg.OutDir = t.TempDir()
	}
	m, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m, cfg.OutDir
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	cfg := Config{Seed: 42, Years: []int{2022, 2023}}
	_, dirA := generate(t, cfg)
	_, dirB := generate(t, cfg)
	a, b := readTree(t, dirA), readTree(t, dirB)
	if len(a) != len(b) || len(a) < 20 {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}

	// Another seed, another population.
	_, dirC := generate(t, Config{Seed: 43, Years: cfg.Years})
	c := readTree(t, dirC)
	if bytes.Equal(a["ground-truth/persons.csv"], c["ground-truth/persons.csv"]) {
		t.Error("seeds 42 and 43 gave the same persons")
	}

	// Selecting partners leaves the selected partners' files unchanged.
	_, dirD := generate(t, Config{Seed: 42, Years: cfg.Years, Partners: []PartnerKind{Police, IOM, Court}})
	d := readTree(t, dirD)
	n := 0
	for name, data := range d {
		if strings.HasPrefix(name, "ground-truth/") || name == "manifest.json" {
			continue
		}
		n++
		if !bytes.Equal(data, a[name]) {
			t.Errorf("%s differs when fewer partners are selected", name)
		}
	}
	if n != 6 {
		t.Errorf("%d files for 3 partners and 2 years, want 6", n)
	}
}

// share is n/total as a fraction.
func frac(n, total int) float64 { return float64(n) / float64(total) }

func TestVolumesAtCzechScale(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 20260101} {
		m, dir := generate(t, Config{Seed: seed})
		records := readRecordTruth(t, dir, m)
		type yearStat struct {
			records int
			persons map[string]map[PartnerKind]bool
		}
		years := map[int]*yearStat{}
		overall := map[string]map[PartnerKind]bool{}
		for _, r := range records {
			y := years[r.year]
			if y == nil {
				y = &yearStat{persons: map[string]map[PartnerKind]bool{}}
				years[r.year] = y
			}
			y.records++
			if y.persons[r.person] == nil {
				y.persons[r.person] = map[PartnerKind]bool{}
			}
			y.persons[r.person][PartnerKind(r.partner)] = true
			if overall[r.person] == nil {
				overall[r.person] = map[PartnerKind]bool{}
			}
			overall[r.person][PartnerKind(r.partner)] = true
		}
		if len(years) != len(DefaultYears) {
			t.Fatalf("seed %d: %d years", seed, len(years))
		}
		for i, year := range DefaultYears {
			y := years[year]
			multi := 0
			for _, ps := range y.persons {
				if len(ps) > 1 {
					multi++
				}
			}
			share := frac(multi, len(y.persons))
			t.Logf("seed %d %d: %d records, %d persons, %.1f %% by more than one partner", seed, year, y.records, len(y.persons), 100*share)
			if y.records < 300 || y.records > 500 {
				t.Errorf("seed %d %d: %d records, want 300-500", seed, year, y.records)
			}
			if len(y.persons) < 250 || len(y.persons) > 400 {
				t.Errorf("seed %d %d: %d persons, want 250-400", seed, year, len(y.persons))
			}
			if share < 0.10 || share > 0.30 {
				t.Errorf("seed %d %d: %.2f reported by more than one partner, want 0.10-0.30", seed, year, share)
			}
			want := Volume{Year: year, Records: y.records, Persons: len(y.persons), MultiSource: multi}
			if m.PerYear[i] != want {
				t.Errorf("seed %d: manifest says %+v, files %+v", seed, m.PerYear[i], want)
			}
		}
		multi := 0
		for _, ps := range overall {
			if len(ps) > 1 {
				multi++
			}
		}
		if share := frac(multi, len(overall)); share < 0.10 || share > 0.30 {
			t.Errorf("seed %d: %.2f of all persons reported by more than one partner over the years", seed, share)
		}
		if m.Totals.Persons != len(overall) || m.Totals.MultiSource != multi || m.Totals.Records != len(records) {
			t.Errorf("seed %d: totals %+v, files %d records, %d persons, %d multi", seed, m.Totals, len(records), len(overall), multi)
		}
	}
}

// The population is shaped loosely like DOMAIN.md's figures: about 63 %
// women, 13 % children, half or more non-EU, many UA, VN, CZ, RO, SK.
func TestPopulationShape(t *testing.T) {
	m, dir := generate(t, Config{Seed: 7})
	persons := readPersonTruth(t, dir, m)
	var female, child, nonEU, abroad int
	byCitizenship := map[string]int{}
	for _, p := range persons {
		if p["sex"] == "F" {
			female++
		}
		by, err1 := strconv.Atoi(p["birth_date"][:4])
		fy, err2 := strconv.Atoi(p["first_year"])
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if fy-by < 18 {
			child++
		}
		if citizenshipGroup(p["citizenship"]) == "non-EU" {
			nonEU++
		}
		if p["exploited_in"] != "CZ" {
			abroad++
		}
		byCitizenship[p["citizenship"]]++
	}
	n := len(persons)
	checks := []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"women", frac(female, n), 0.55, 0.72},
		{"children", frac(child, n), 0.08, 0.19},
		{"non-EU citizens", frac(nonEU, n), 0.40, 0.70},
		{"exploited abroad", frac(abroad, n), 0.02, 0.15},
	}
	for _, c := range checks {
		t.Logf("%s: %.1f %%", c.what, 100*c.got)
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.2f, want %.2f-%.2f", c.what, c.got, c.lo, c.hi)
		}
	}
	top := slices.SortedFunc(maps.Keys(byCitizenship), func(a, b string) int {
		return cmp.Or(byCitizenship[b]-byCitizenship[a], strings.Compare(a, b))
	})
	if !slices.Contains(top[:5], "UA") || !slices.Contains(top[:5], "CZ") || !slices.Contains(top[:5], "VN") {
		t.Errorf("most frequent citizenships %v", top[:5])
	}
}

func TestGroundTruthConsistent(t *testing.T) {
	m, dir := generate(t, Config{Seed: 5, Years: []int{2021, 2022, 2023}})
	records := readRecordTruth(t, dir, m)
	persons := readPersonTruth(t, dir, m)
	byFile := map[string][]truthRecord{}
	seen := map[string]map[PartnerKind]bool{}
	for _, r := range records {
		byFile[r.file] = append(byFile[r.file], r)
		if persons[r.person] == nil {
			t.Fatalf("%s row %d: person %s not in persons.csv", r.file, r.row, r.person)
		}
		if seen[r.person] == nil {
			seen[r.person] = map[PartnerKind]bool{}
		}
		seen[r.person][PartnerKind(r.partner)] = true
	}
	for _, f := range m.Files {
		truth := byFile[f.Path]
		if !f.PersonLevel {
			if len(truth) != 0 {
				t.Errorf("%s: count file has %d ground-truth lines", f.Path, len(truth))
			}
			continue
		}
		// Every row has exactly one person: rows 1..n, each once.
		if len(truth) != f.Records {
			t.Errorf("%s: %d records, %d ground-truth lines", f.Path, f.Records, len(truth))
		}
		for i, r := range truth {
			if r.row != i+1 || r.partner != string(f.Partner) || r.year != f.Year {
				t.Fatalf("%s: ground-truth line %d is %+v", f.Path, i+1, r)
			}
		}
		_, rows := readTable(t, dir, f)
		if len(rows) != f.Records {
			t.Errorf("%s: %d rows read, manifest says %d", f.Path, len(rows), f.Records)
		}
	}
	if len(seen) != len(persons) {
		t.Errorf("%d persons in records.csv, %d in persons.csv", len(seen), len(persons))
	}
	for id, p := range persons {
		var want []string
		for _, k := range AllPartners() {
			if seen[id][k] {
				want = append(want, string(k))
			}
		}
		if got := strings.Join(want, "|"); p["partners"] != got {
			t.Errorf("%s: partners %q, records say %q", id, p["partners"], got)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		cfg  Config
		want error
	}{
		{Config{}, ErrBadConfig},
		{Config{OutDir: dir, Partners: []PartnerKind{"police-sk"}}, ErrUnknownPartner},
		{Config{OutDir: dir, Partners: []PartnerKind{}}, ErrBadConfig},
		{Config{OutDir: dir, Scale: -1}, ErrBadConfig},
		{Config{OutDir: dir, Scale: math.NaN()}, ErrBadConfig},
		{Config{OutDir: dir, Scale: MaxScale + 1}, ErrBadConfig},
		{Config{OutDir: dir, Years: []int{}}, ErrBadConfig},
		{Config{OutDir: dir, Years: []int{1800}}, ErrBadConfig},
	} {
		if _, err := Generate(c.cfg); !errors.Is(err, c.want) {
			t.Errorf("%+v: error %v, want %v", c.cfg, err, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused configuration wrote %d entries", len(entries))
	}
}

// manifest.json is the returned manifest, and decodes back to it.
func TestManifestFile(t *testing.T) {
	m, dir := generate(t, Config{Seed: 8, Years: []int{2023}})
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got Manifest
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, m) {
		t.Errorf("manifest.json decodes to\n%+v\nGenerate returned\n%+v", got, *m)
	}
	if len(m.Files) != len(AllPartners()) {
		t.Errorf("%d files for one year, want one per partner (%d)", len(m.Files), len(AllPartners()))
	}
	for _, f := range m.Files {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
			t.Error(err)
		}
		if (f.Format == CSV) != (f.Delimiter != 0) {
			t.Errorf("%s: format %s, delimiter %q", f.Path, f.Format, f.Delimiter)
		}
	}
}

// Tiny scales and scattered years work: every year has someone, and the
// ground truth still matches the files.
func TestSmallScale(t *testing.T) {
	m, dir := generate(t, Config{Seed: 4, Years: []int{2023, 2010, 2015, 2015}, Scale: 0.01})
	if !slices.Equal(m.Years, []int{2010, 2015, 2023}) {
		t.Errorf("years %v", m.Years)
	}
	for _, v := range m.PerYear {
		if v.Persons < 1 || v.Records < v.Persons {
			t.Errorf("%+v", v)
		}
	}
	if n := len(readRecordTruth(t, dir, m)); n != m.Totals.Records {
		t.Errorf("%d ground-truth lines, %d records", n, m.Totals.Records)
	}
}
