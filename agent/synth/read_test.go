package synth

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Readers as a partner's receiver would write them, from what the
// manifest says of each file; they double as the check that every format
// reads back.

// readTable returns a file's header and rows as text. JSON objects are
// laid out by the partner's keys; a missing key or null reads as "", an
// array as its elements joined by "; ".
func readTable(t testing.TB, dir string, f File) (header []string, rows [][]string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(f.Path))
	switch f.Format {
	case CSV:
		return readCSV(t, p, f)
	case XLSX:
		return readXLSX(t, p, f)
	case JSON, JSONLines:
		return readJSON(t, p, f)
	}
	t.Fatalf("%s: unknown format %q", f.Path, f.Format)
	return nil, nil
}

func readCSV(t testing.TB, p string, f File) ([]string, [][]string) {
	t.Helper()
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	hasBOM := bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF"))
	if hasBOM != (f.Encoding == UTF8BOM) {
		t.Errorf("%s: BOM present %v, encoding %s", f.Path, hasBOM, f.Encoding)
	}
	var r io.Reader = bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF")))
	if f.Encoding == Windows1250 {
		r = transform.NewReader(r, charmap.Windows1250.NewDecoder())
	}
	cr := csv.NewReader(r)
	cr.Comma = rune(f.Delimiter)
	cr.FieldsPerRecord = 0
	all, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	if len(all) == 0 {
		t.Fatalf("%s: no header", f.Path)
	}
	return all[0], all[1:]
}

func readXLSX(t testing.TB, p string, f File) ([]string, [][]string) {
	t.Helper()
	x, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 1 || got[0] != f.Sheet {
		t.Fatalf("%s: sheets %q, want [%q]", f.Path, got, f.Sheet)
	}
	rows, err := x.GetRows(f.Sheet)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	width := len(rows[0])
	for i := range rows {
		for len(rows[i]) < width { // GetRows drops trailing empty cells
			rows[i] = append(rows[i], "")
		}
	}
	return rows[0], rows[1:]
}

func readJSON(t testing.TB, p string, f File) ([]string, [][]string) {
	t.Helper()
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var objs []map[string]any
	if f.Format == JSON {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&objs); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			d.UseNumber()
			var o map[string]any
			if err := d.Decode(&o); err != nil {
				t.Fatalf("%s: line %d: %v", f.Path, len(objs)+1, err)
			}
			objs = append(objs, o)
		}
	}
	header := specFor(f.Partner).header
	var rows [][]string
	for i, o := range objs {
		row := make([]string, len(header))
		for k := range o {
			if !slices.Contains(header, k) {
				t.Fatalf("%s: object %d has unexpected key %q", f.Path, i+1, k)
			}
		}
		for j, k := range header {
			switch v := o[k].(type) {
			case nil:
			case string:
				row[j] = v
			case json.Number:
				row[j] = v.String()
			case []any:
				parts := make([]string, len(v))
				for n, e := range v {
					parts[n] = fmt.Sprint(e)
				}
				row[j] = strings.Join(parts, "; ")
			default:
				t.Fatalf("%s: object %d key %q has type %T", f.Path, i+1, k, v)
			}
		}
		rows = append(rows, row)
	}
	return header, rows
}

// truthRecord is a line of ground-truth/records.csv.
type truthRecord struct {
	partner, file string
	row           int
	person        string
	year          int
	noise         string
}

func readRecordTruth(t testing.TB, dir string, m *Manifest) []truthRecord {
	t.Helper()
	rows := readPlainCSV(t, filepath.Join(dir, m.Truth.Records))
	if got := strings.Join(rows[0], ","); got != strings.Join(recordTruthHeader, ",") {
		t.Fatalf("records.csv header %q", got)
	}
	out := make([]truthRecord, 0, len(rows)-1)
	for _, r := range rows[1:] {
		var tr truthRecord
		tr.partner, tr.file, tr.person, tr.noise = r[0], r[1], r[3], r[5]
		if _, err := fmt.Sscan(r[2], &tr.row); err != nil {
			t.Fatalf("records.csv row %q: %v", r[2], err)
		}
		if _, err := fmt.Sscan(r[4], &tr.year); err != nil {
			t.Fatalf("records.csv year %q: %v", r[4], err)
		}
		out = append(out, tr)
	}
	return out
}

// readPersonTruth returns persons.csv by person id, each as column → value.
func readPersonTruth(t testing.TB, dir string, m *Manifest) map[string]map[string]string {
	t.Helper()
	rows := readPlainCSV(t, filepath.Join(dir, m.Truth.Persons))
	out := map[string]map[string]string{}
	for _, r := range rows[1:] {
		rec := map[string]string{}
		for i, h := range rows[0] {
			rec[h] = r[i]
		}
		if _, dup := out[rec["person_id"]]; dup {
			t.Fatalf("persons.csv: %s twice", rec["person_id"])
		}
		out[rec["person_id"]] = rec
	}
	return out
}

func readPlainCSV(t testing.TB, p string) [][]string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return rows
}
