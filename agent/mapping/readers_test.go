package mapping_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/thbx/thbx/agent/mapping"
)

// readerMapping maps the small files of these tests; source settings
// are added per test.
func readerMapping(t *testing.T, source string) *mapping.Mapping {
	t.Helper()
	return parse(t, `
dataset: victims
source: `+source+`
columns:
  Příjmení: {identifier: surname}
  Státní příslušnost: {field: citizenship}
  Forma: {field: exploitation, split: ", "}
  Datum: {field: identified_on, formats: [d.m.yyyy]}
constants: {status: actual, sex: F, age_group: adult}
`)
}

const readerWant = "UA|sexual,labour|2025-03-05;CZ|begging|2025-12-01"

// summary writes records as citizenship|exploitation|identified_on.
func summary(recs []map[string]any) string {
	var parts []string
	for _, r := range recs {
		var forms []string
		for _, f := range r["exploitation"].([]any) {
			forms = append(forms, f.(string))
		}
		parts = append(parts, r["citizenship"].(string)+"|"+strings.Join(forms, ",")+"|"+r["identified_on"].(string))
	}
	return strings.Join(parts, ";")
}

func csvText(delim string) string {
	rows := [][]string{{"Příjmení", "Státní příslušnost", "Forma", "Datum"},
		{"Šťastná", "Ukrajina", "sexuální, pracovní", "5.3.2025"},
		{"Dvořák", "česká", "žebrání", "1.12.2025"}}
	var b strings.Builder
	for _, r := range rows {
		for i, f := range r {
			if i > 0 {
				b.WriteString(delim)
			}
			if strings.Contains(f, delim) || strings.Contains(f, ",") {
				f = `"` + f + `"`
			}
			b.WriteString(f)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

func TestCSVDelimiters(t *testing.T) {
	for _, d := range []string{",", ";", "\t", "|"} {
		if got := summary(runOK(t, readerMapping(t, "{format: csv}"), "f.csv", csvText(d))); got != readerWant {
			t.Errorf("delimiter %q detected: %s", d, got)
		}
		name := map[string]string{",": `","`, ";": `";"`, "\t": "tab", "|": `"|"`}[d]
		if got := summary(runOK(t, readerMapping(t, "{format: csv, delimiter: "+name+"}"), "f.csv", csvText(d))); got != readerWant {
			t.Errorf("delimiter %q declared: %s", d, got)
		}
	}
}

func TestCSVHeaderRow(t *testing.T) {
	file := "Přehled obětí 2025;;;\r\n;;;\r\n" + csvText(";")
	if got := summary(runOK(t, readerMapping(t, "{format: csv, header_row: 3}"), "f.csv", file)); got != readerWant {
		t.Fatalf("header on row 3: %s", got)
	}
	out := run(t, readerMapping(t, "{format: csv, header_row: 3}"), "f.csv", []byte(file+"Nová;Ukrajina;;1.1.2025x\r\n"))
	hasProblem(t, []string{out.res.Problems[0].String()}, "row 6, column 'Datum', value '1.1.2025x': not a date")
}

func win1250(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1250.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodings(t *testing.T) {
	text := csvText(";")
	files := map[string][]byte{
		"utf-8":        []byte(text),
		"utf-8-bom":    append([]byte("\xef\xbb\xbf"), text...),
		"windows-1250": win1250(t, text),
	}
	for enc, data := range files {
		for _, declared := range []string{"auto", enc} {
			out := run(t, readerMapping(t, "{format: csv, encoding: "+declared+"}"), "f.csv", data)
			if err := out.res.Err(); err != nil {
				t.Fatalf("%s declared %s: %v", enc, declared, err)
			}
			if got := summary(out.recs); got != readerWant {
				t.Errorf("%s declared %s: %s", enc, declared, got)
			}
		}
	}
}

func TestWrongEncodingDeclared(t *testing.T) {
	text := csvText(";")
	// UTF-8 read as Windows-1250: the header's names are garbled, and the
	// problem says why.
	ps := problems(t, readerMapping(t, "{format: csv, encoding: windows-1250}"), "f.csv", text)
	hasProblem(t, ps, "row 1, column 'Příjmení': named in the mapping but not in the file's header; the file looks like UTF-8 but is read as Windows-1250: set source encoding: utf-8 (or auto)")
	// Windows-1250 read as UTF-8.
	out := run(t, readerMapping(t, "{format: csv, encoding: utf-8}"), "f.csv", win1250(t, text))
	var got []string
	for _, p := range out.res.Problems {
		got = append(got, p.String())
	}
	hasProblem(t, got, "if the names look garbled, the file may be in Windows-1250: set source encoding: windows-1250")
	// A header in plain ASCII, the values in Windows-1250: each value says.
	m := parse(t, "dataset: victims\nsource: {encoding: utf-8}\ncolumns: {Status: {field: status}, Surname: {identifier: surname}}\nconstants: {sex: F, age_group: adult, citizenship: CZ}\n")
	out = run(t, m, "f.csv", win1250(t, "Status,Surname\nidentifikovaná oběť,Šťastná\n"))
	got = nil
	for _, p := range out.res.Problems {
		got = append(got, p.String())
	}
	want := []string{
		"row 2, column 'Status': not UTF-8 text: the file is in another encoding; set source encoding: windows-1250 (or auto) in the mapping",
		"row 2, column 'Surname': not UTF-8 text: the file is in another encoding; set source encoding: windows-1250 (or auto) in the mapping",
	}
	if !reflect.DeepEqual(got, want) || len(out.recs) != 0 {
		t.Fatalf("problems\n%s\nrecords %d", strings.Join(got, "\n"), len(out.recs))
	}
}

func TestCSVBrokenQuotes(t *testing.T) {
	file := csvText(",") + "Nová,\"Ukrajina,sexuální,1.1.2025\r\nStará,Ukrajina,sexuální,1.1.2025\r\n"
	out := run(t, readerMapping(t, "{format: csv}"), "f.csv", []byte(file))
	if len(out.res.Problems) != 1 {
		t.Fatalf("problems %v", out.res.Problems)
	}
	p := out.res.Problems[0]
	if p.Row != 4 || !strings.Contains(p.Reason, `a quote (") is missing or out of place`) || !strings.Contains(p.Reason, "the rest of the file cannot be read reliably") {
		t.Fatalf("problem %v", p)
	}
	if out.res.Err() == nil {
		t.Fatal("no error: the file would be sent")
	}
	out = run(t, readerMapping(t, "{format: csv}"), "f.csv", []byte(csvText(",")+"Nová,Ukr\"ajina,sexuální,1.1.2025\r\n"))
	hasProblem(t, []string{out.res.Problems[0].String()}, `row 4: a quote (") inside a value that does not start with one (at character 10)`)
}

func TestCSVFieldCount(t *testing.T) {
	out := run(t, readerMapping(t, "{format: csv}"), "f.csv", []byte(csvText(",")+"Nová,Ukrajina,sexuální\r\n,,,\r\n\r\n"))
	if len(out.res.Problems) != 1 || out.res.Problems[0].Row != 4 || !strings.Contains(out.res.Problems[0].Reason, "has 3 fields, the header 4") {
		t.Fatalf("problems %v", out.res.Problems)
	}
	if len(out.recs) != 2 || out.res.Rows != 3 {
		t.Fatalf("records %d, rows %d: blank rows count for nothing", len(out.recs), out.res.Rows)
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"f.csv", ""}, {"f.csv", "\xef\xbb\xbf \r\n"}, {"f.json", ""}, {"f.jsonl", "\n\n"},
	} {
		out := run(t, readerMapping(t, "{}"), tc.name, []byte(tc.content))
		if len(out.res.Problems) != 1 || out.res.Problems[0].String() != "the file is empty" {
			t.Errorf("%s %q: problems %v", tc.name, tc.content, out.res.Problems)
		}
	}
	// A header alone is a file with no records, not an error.
	out := run(t, readerMapping(t, "{}"), "f.csv", []byte("Příjmení,Státní příslušnost,Forma,Datum\n"))
	if out.res.Err() != nil || out.res.Records != 0 {
		t.Fatalf("header only: %+v", out.res)
	}
	// An empty JSON array likewise.
	out = run(t, readerMapping(t, "{}"), "f.json", []byte("[]"))
	if out.res.Err() != nil || out.res.Records != 0 {
		t.Fatalf("[]: %+v", out.res)
	}
	// A workbook with an empty sheet.
	f := excelize.NewFile()
	var b bytes.Buffer
	f.Write(&b)
	out = run(t, readerMapping(t, "{}"), "f.xlsx", b.Bytes())
	if len(out.res.Problems) != 1 || out.res.Problems[0].String() != "the file is empty" {
		t.Fatalf("empty workbook: %v", out.res.Problems)
	}
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Poznámky")
	f.NewSheet("Oběti 2025")
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("d.m.yyyy")})
	rows := [][]any{
		{"Přehled obětí"}, // a title above the header
		{"Příjmení", "Státní příslušnost", "Forma", "Datum"},
		{"Šťastná", "Ukrajina", "sexuální, pracovní", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)},
		{"Dvořák", "česká", "žebrání", "1. 12. 2025"}, // a date typed as text
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Oběti 2025", cell, &r)
	}
	f.SetCellStyle("Oběti 2025", "D3", "D3", dateStyle)
	path := filepath.Join(t.TempDir(), "f.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	m := readerMapping(t, `{format: xlsx, sheet: "Oběti 2025", header_row: 2}`)
	var recs []map[string]any
	res, err := m.Run(path, mapping.Options{Secret: testSecret(t)}, func(rec []byte) error {
		recs = append(recs, decode(t, rec))
		return nil
	})
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	if got := summary(recs); got != readerWant {
		t.Fatalf("records %s", got)
	}
	// A sheet the workbook lacks: the problem names the sheets it has.
	ps := problems(t, readerMapping(t, `{format: xlsx, sheet: Program}`), "f.xlsx", read(t, path))
	hasProblem(t, ps, `the workbook has no sheet "Program"; its sheets: Poznámky, Oběti 2025`)
	// Not a workbook at all.
	ps = problems(t, readerMapping(t, `{format: xlsx}`), "f.xlsx", "Příjmení,Datum\n")
	hasProblem(t, ps, "not a readable XLSX workbook")
}

func TestJSONArray(t *testing.T) {
	m := readerMapping(t, "{format: json}")
	file := `[
	 {"Příjmení": "Šťastná", "Státní příslušnost": "UA", "Forma": ["sexuální", "pracovní"], "Datum": "5.3.2025"},
	 {"Příjmení": null, "Státní příslušnost": "česká", "Forma": "žebrání", "Datum": "1.12.2025"}
	]`
	if got := summary(runOK(t, m, "f.json", file)); got != readerWant {
		t.Fatalf("records %s", got)
	}
	for _, tc := range []struct{ file, want string }{
		{`{"a": 1}`, "the file is not a JSON array of objects"},
		{`[{"Příjmení": {"x": 1}, "Státní příslušnost": "UA", "Forma": "žebrání", "Datum": "1.1.2025"}]`, "row 1, column 'Příjmení': holds a JSON object"},
		{`[{"Státní příslušnost": "UA", "Státní příslušnost": "CZ", "Forma": "žebrání", "Datum": "1.1.2025"}]`, "row 1, column 'Státní příslušnost': the object names this key twice"},
		{`[1, {"Státní příslušnost": "UA", "Forma": "žebrání", "Datum": "1.1.2025"}]`, "row 1: is not a JSON object"},
		{`[{"Státní příslušnost": "UA"},, ]`, "row 2: not well-formed JSON"},
		{`[{"Státní příslušnost": "UA", "Forma": "žebrání", "Datum": "1.1.2025"}] []`, "there is more after the JSON array's closing ]"},
		{`[{"Přezdívka": "Lenka", "Státní příslušnost": "UA", "Forma": "žebrání", "Datum": "1.1.2025"}]`, "row 1, column 'Přezdívka': the column is not in the mapping"},
	} {
		hasProblem(t, problems(t, m, "f.json", tc.file), tc.want)
	}
}

func TestJSONLines(t *testing.T) {
	m := readerMapping(t, "{format: jsonl}")
	file := `{"Příjmení": "Šťastná", "Státní příslušnost": "UA", "Forma": "sexuální, pracovní", "Datum": "5.3.2025"}` + "\n\n" +
		`{"Státní příslušnost": "česká", "Forma": ["žebrání"], "Datum": "1.12.2025"}` + "\n"
	if got := summary(runOK(t, m, "f.jsonl", file)); got != readerWant {
		t.Fatalf("records %s", got)
	}
	out := run(t, m, "f.jsonl", []byte(file+"{\"Forma\": \n"+`{"Státní příslušnost": "UA", "Forma": "žebrání", "Datum": "1.1.2025"} {}`+"\n"+
		`{"Státní příslušnost": "UA", "Forma": "žebrání", "Datum": "2.1.2025"}`))
	var got []string
	for _, p := range out.res.Problems {
		got = append(got, p.String())
	}
	// A bad line is a problem of its own; the lines after it are read.
	if want := []string{"row 4: not a well-formed JSON object", "row 5: more than one JSON object on the line"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("problems %q, want %q", got, want)
	}
	if len(out.recs) != 3 {
		t.Fatalf("%d records, want 3", len(out.recs))
	}
}

func TestFormatFromName(t *testing.T) {
	m := parse(t, "dataset: victims\ncolumns: {A: {field: status}}\nconstants: {sex: F, age_group: adult, citizenship: CZ}\n")
	for name, content := range map[string]string{"a.csv": "A\nactual\n", "a.TXT": "A\nactual\n", "a.json": `[{"A": "actual"}]`, "a.ndjson": `{"A": "actual"}`} {
		if r := runOK(t, m, name, content); len(r) != 1 {
			t.Errorf("%s: %d records", name, len(r))
		}
	}
	if _, err := m.RunReader(strings.NewReader(""), "a.dat", mapping.Options{}, nil); err == nil || !strings.Contains(err.Error(), "set source format") {
		t.Fatalf("unknown extension: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHeaderNamesAColumnTwice(t *testing.T) {
	m := readerMapping(t, "{format: csv}")
	hasProblem(t, problems(t, m, "f.csv", "Příjmení,Státní příslušnost,Forma,Datum,Forma\n"), "row 1, column 'Forma': the header names this column twice")
	hasProblem(t, problems(t, m, "f.csv", "Příjmení,Státní příslušnost,Forma,Datum,FORMA\n"), "row 1, column 'FORMA': the header has another column for the mapping's 'Forma'")
}
