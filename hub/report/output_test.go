package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/merge/mergetest"
	"github.com/thbx/thbx/hub/report"
)

func TestWriteCSV(t *testing.T) {
	tab := report.Plain(merge.Table{Name: "x", Dims: []string{"period", "source"}, Rows: []merge.Row{
		{Keys: []string{"2023", `=HYPERLINK("http://evil")`}, Count: 3},
		{Keys: []string{"all", "ngo;-1+1"}, Count: 12},
	}})
	tab.Rows = append(tab.Rows, report.OutRow{Keys: []string{"2024", "police"}, Suppressed: "primary"})
	var b bytes.Buffer
	if err := report.WriteCSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	want := "\"period\",\"source\",\"count\",\"flag\"\r\n" +
		"\"2023\",\"'=HYPERLINK(\"\"http://evil\"\")\",\"3\",\"\"\r\n" +
		"\"all\",\"ngo;'-1+1\",\"12\",\"\"\r\n" +
		"\"2024\",\"police\",\"c\",\"primary\"\r\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteJSONAndXLSX(t *testing.T) {
	d := mergetest.Generate(mergetest.Config{Records: 500, Partners: 4, Seed: 3})
	res, err := merge.Link(d.Records, merge.Config{Salt: []byte("a salt of sixteen bytes or more")})
	if err != nil {
		t.Fatal(err)
	}
	tables := merge.ReportTables(res)
	out, err := report.ProtectReport(tables, 3, "publication")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteJSON(&b, out[0]); err != nil {
		t.Fatal(err)
	}
	var back report.Output
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Name != out[0].Name || len(back.Rows) != len(out[0].Rows) || back.Threshold != 3 {
		t.Errorf("JSON round trip: %v\n%s", err, b.String())
	}
	for _, r := range back.Rows {
		if (r.Count == nil) != (r.Suppressed != "") {
			t.Errorf("row %v: count %v suppressed %q", r.Keys, r.Count, r.Suppressed)
		}
	}
	b.Reset()
	if err := report.WriteXLSX(&b, out...); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != len(out) || sheets[0] != "persons_by_sex" {
		t.Fatalf("sheets %q", sheets)
	}
	for i, tab := range out {
		rows, err := f.GetRows(sheets[i])
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(tab.Rows)+1 || rows[0][len(rows[0])-2] != "count" || rows[0][len(rows[0])-1] != "flag" {
			t.Fatalf("sheet %s: %d rows, header %q", sheets[i], len(rows), rows[0])
		}
		for j, r := range tab.Rows {
			cells := rows[j+1]
			if r.Count == nil && cells[len(tab.Dims)] != report.SuppressedMark {
				t.Errorf("sheet %s row %d: suppressed count shown as %q", sheets[i], j+1, cells[len(tab.Dims)])
			}
		}
	}
}
