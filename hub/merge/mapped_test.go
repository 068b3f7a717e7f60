package merge

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/agent/synth"
	"github.com/thbx/thbx/submission/schema"
)

// synthData is a generated data set as the hub would hold it.
type synthData struct {
	records []Record
	truth   map[RecordRef]string // record → person id of the ground truth
	noise   map[RecordRef]string // record → the generator's noise kinds
	persons int
}

// loadMapped generates partner files with cfg and maps every person-level
// file with agent/mapping and the shipped mapping of its partner
// (testdata/mappings), as the agent does. A row the mapping refuses
// makes no record and is left out of the truth.
func loadMapped(tb testing.TB, cfg synth.Config, bloom bool) *synthData {
	tb.Helper()
	if cfg.OutDir == "" {
		cfg.OutDir = tb.TempDir()
	}
	m, err := synth.Generate(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	secret, err := anon.GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		tb.Fatal(err)
	}
	d := &synthData{truth: map[RecordRef]string{}, noise: map[RecordRef]string{}, persons: m.Totals.Persons}
	byRow := map[[2]string]RecordRef{} // file, row → ref
	// Mapping is HMAC-heavy: files are mapped on every processor, and
	// their records joined in manifest order.
	var files []synth.File
	for _, f := range m.Files {
		if f.PersonLevel {
			files = append(files, f)
		}
	}
	mapped := make([][]schema.Victim, len(files))
	problems := make([]map[int]bool, len(files))
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				mapped[i], problems[i], errs[i] = mapFile(cfg.OutDir, files[i], secret, bloom)
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, f := range files {
		if errs[i] != nil {
			tb.Fatalf("%s: %v", f.Path, errs[i])
		}
		recs, bad := mapped[i], problems[i]
		sub := fmt.Sprintf("%s-%d", f.Partner, f.Year)
		// Records come in file order, one per row without problems. A
		// problem's row is the file's: the data rows of a CSV or an XLSX
		// sheet start at 2, JSON objects at 1.
		first := 2
		if f.Format == synth.JSON || f.Format == synth.JSONLines {
			first = 1
		}
		n := 0
		for row := 1; row <= f.Records; row++ {
			if bad[row+first-1] {
				continue
			}
			if n >= len(recs) {
				tb.Fatalf("%s: %d records for %d rows and %d problems", f.Path, len(recs), f.Records, len(bad))
			}
			ref := RecordRef{Partner: string(f.Partner), Submission: sub, N: int64(n + 1)}
			d.records = append(d.records, Record{Ref: ref, Category: string(f.Category), Period: strconv.Itoa(f.Year), Victim: VictimOf(&recs[n])})
			byRow[[2]string{f.Path, strconv.Itoa(row)}] = ref
			n++
		}
		if n != len(recs) {
			tb.Fatalf("%s: %d records, %d rows without problems", f.Path, len(recs), n)
		}
		if len(bad) > 0 {
			tb.Logf("%s: %d rows with problems left out", f.Path, len(bad))
		}
	}
	for _, tr := range readCSVFile(tb, filepath.Join(cfg.OutDir, m.Truth.Records))[1:] {
		// partner,file,row,person_id,year,noise
		if ref, ok := byRow[[2]string{tr[1], tr[2]}]; ok {
			d.truth[ref] = tr[3]
			d.noise[ref] = tr[5]
		}
	}
	if len(d.truth) != len(d.records) {
		tb.Fatalf("ground truth names %d records, %d were made", len(d.truth), len(d.records))
	}
	return d
}

// mapFile maps one partner file with its shipped mapping, and returns
// its records and the rows with problems.
func mapFile(dir string, f synth.File, secret *anon.Secret, bloom bool) ([]schema.Victim, map[int]bool, error) {
	path := filepath.Join("..", "..", "testdata", "mappings", string(f.Partner)+".yaml")
	yml, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if bloom {
		yml = bytes.Replace(yml, []byte("\nprofile: default\n"), []byte("\nprofile: default_bloom\n"), 1)
	}
	mp, err := mapping.Parse(yml, path)
	if err != nil {
		return nil, nil, err
	}
	var recs []schema.Victim
	res, err := mp.Run(filepath.Join(dir, filepath.FromSlash(f.Path)),
		mapping.Options{Secret: secret, Period: strconv.Itoa(f.Year)}, func(rec []byte) error {
			var v schema.Victim
			if err := json.Unmarshal(rec, &v); err != nil {
				return err
			}
			recs = append(recs, v)
			return nil
		})
	if err != nil {
		return nil, nil, err
	}
	if res.More > 0 {
		return nil, nil, fmt.Errorf("%d problems and %d more", len(res.Problems), res.More)
	}
	bad := map[int]bool{}
	for _, p := range res.Problems {
		bad[p.Row] = true
	}
	return recs, bad, nil
}

func readCSVFile(tb testing.TB, p string) [][]string {
	tb.Helper()
	f, err := os.Open(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", p, err)
	}
	return rows
}
