package mapping_test

import (
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thbx/thbx/agent/mapping"
)

// rowsReader generates a CSV file of n rows as it is read, so that the
// test holds no file in memory or on disk.
type rowsReader struct {
	n, i int
	buf  []byte
}

var bigStatuses = []string{"identifikovaná oběť", "potenciální oběť", "presumed victim", "klientka"}
var bigCountries = []string{"Ukrajina", "CZE", "VN", "rumunská", "Slovakia"}
var bigForms = []string{"sexuální vykořisťování", "pracovní vykořisťování, nucené žebrání", "nucená trestná činnost"}

func (r *rowsReader) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) && r.i <= r.n {
		if r.i == 0 {
			r.buf = append(r.buf, "Č. j.;Datum;Pohlaví;Rok narození;Státní příslušnost;Forma;Status;Poznámka\r\n"...)
		} else {
			i := r.i
			b := append(r.buf, "KRPA-"...)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, "/TČ;"...)
			b = strconv.AppendInt(b, int64(1+i%28), 10)
			b = append(b, '.')
			b = strconv.AppendInt(b, int64(1+i%12), 10)
			b = append(b, ".2025;"...)
			b = append(b, []string{"žena", "muž", "Ž"}[i%3]...)
			b = append(b, ';')
			b = strconv.AppendInt(b, int64(1960+i%45), 10)
			b = append(b, ';')
			b = append(b, bigCountries[i%5]...)
			b = append(b, ";\""...)
			b = append(b, bigForms[i%3]...)
			b = append(b, "\";"...)
			b = append(b, bigStatuses[i%4]...)
			b = append(b, ";poznámka "...)
			b = strconv.AppendInt(b, int64(i), 10)
			r.buf = append(b, "\r\n"...)
		}
		r.i++
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[:copy(r.buf, r.buf[n:])]
	return n, nil
}

const bigMapping = `
dataset: victims
source: {format: csv, encoding: utf-8, delimiter: ";"}
columns:
  "Č. j.": {identifier: document}
  "Datum": {field: identified_on, formats: [d.m.yyyy]}
  "Pohlaví": {field: sex}
  "Rok narození": {field: birth_year}
  "Státní příslušnost": {field: citizenship}
  "Forma": {field: exploitation, split: ", "}
  "Status": {field: status, also: status_source}
  "Poznámka": {identifier: free_text}
constants: {decided_by: police, age_group: adult}
`

// A million rows stream through the mapping with memory bounded: the
// heap in use stays far below the file's size (some 80 MB of text).
func TestMillionRows(t *testing.T) {
	m, err := mapping.Parse([]byte(bigMapping), "big.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := 1_000_000
	if testing.Short() {
		n = 20_000
	}
	var peak uint64
	var ms runtime.MemStats
	records := 0
	start := time.Now()
	res, err := m.RunReader(&rowsReader{n: n}, "big.csv", mapping.Options{}, func(rec []byte) error {
		records++
		if records%100_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if res.Rows != n || res.Records != n || records != n {
		t.Fatalf("rows %d, records %d (emitted %d); want %d", res.Rows, res.Records, records, n)
	}
	t.Logf("%d rows in %v (%.0f rows/s), peak heap in use %.1f MiB", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), float64(peak)/(1<<20))
	if peak > 100<<20 {
		t.Fatalf("heap in use reached %.1f MiB; want < 100 MiB", float64(peak)/(1<<20))
	}
}

// jsonRows generates a JSON array of n objects as it is read.
type jsonRows struct {
	n, i int
	buf  []byte
}

func (r *jsonRows) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) && r.i <= r.n {
		switch {
		case r.i == 0:
			r.buf = append(r.buf, '[')
		default:
			if r.i > 1 {
				r.buf = append(r.buf, ",\n"...)
			}
			r.buf = append(r.buf, `{"Status": "`+bigStatuses[r.i%4]+`", "Pohlaví": "žena", "Formy": ["sexuální", "práce"], "Poznámka": "`...)
			r.buf = strconv.AppendInt(r.buf, int64(r.i), 10)
			r.buf = append(r.buf, `"}`...)
		}
		if r.i == r.n {
			r.buf = append(r.buf, ']')
		}
		r.i++
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[:copy(r.buf, r.buf[n:])]
	return n, nil
}

// A JSON array streams too: one object at a time.
func TestJSONArrayStreams(t *testing.T) {
	m, err := mapping.Parse([]byte(`
dataset: victims
columns:
  Status: {field: status}
  Pohlaví: {field: sex}
  Formy: {field: exploitation}
  Poznámka: {identifier: free_text}
constants: {citizenship: UA, age_group: adult}
`), "j.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const n = 200_000
	var ms runtime.MemStats
	var peak uint64
	count := 0
	res, err := m.RunReader(&jsonRows{n: n}, "big.json", mapping.Options{}, func([]byte) error {
		if count++; count%20_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil || res.Err() != nil || res.Records != n {
		t.Fatalf("%v %v %+v", err, res.Err(), res)
	}
	if peak > 64<<20 {
		t.Fatalf("heap in use reached %.1f MiB", float64(peak)/(1<<20))
	}
}

// Figures: rows a second, without and with linkage keys.
func BenchmarkRun(b *testing.B) {
	for _, tc := range []struct{ name, mapping string }{
		{"coded", bigMapping},
		{"keys", strings.NewReplacer(
			`"Č. j.": {identifier: document}`, `"Č. j.": {identifier: surname}`,
			`"Poznámka": {identifier: free_text}`, `"Poznámka": {identifier: given}`,
			`"Rok narození": {field: birth_year}`, `"Rok narození": {identifier: birth_year}`,
			`age_group: adult`, `citizenship: UA`,
			`"Státní příslušnost": {field: citizenship}`, `"Státní příslušnost": {drop: true}`,
		).Replace(bigMapping)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			m, err := mapping.Parse([]byte(tc.mapping), "b.yaml")
			if err != nil {
				b.Fatal(err)
			}
			secret := testSecret(b)
			for b.Loop() {
				res, err := m.RunReader(&rowsReader{n: 10_000}, "b.csv", mapping.Options{Secret: secret}, func([]byte) error { return nil })
				if err != nil || res.Records != 10_000 {
					b.Fatal(err, res.Err())
				}
			}
			b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
