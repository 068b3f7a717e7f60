package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"":                "",
		"actual":          "actual",
		"=1+1":            "'=1+1",
		"+1":              "'+1",
		"-1":              "'-1",
		"@SUM(A1)":        "'@SUM(A1)",
		"\t=1":            "'\t=1",
		"\r=1":            "'\r=1",
		"'=1":             "'=1", // already inert
		" =1":             " =1",
		"a=1":             "a=1",
		"=cmd|' /C calc'": "'=cmd|' /C calc'",
	} {
		if got := neutralise(in); got != want {
			t.Errorf("neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzNeutralise: no output starts a formula, and a changed cell is the
// input behind one quote.
func FuzzNeutralise(f *testing.F) {
	for _, seed := range []string{"", "x", "=", "+1", "-", "@a", "\t", "\r\n", "'"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := neutralise(in)
		if out != "" && strings.ContainsRune("=+-@\t\r", rune(out[0])) {
			t.Fatalf("neutralise(%q) = %q starts a formula", in, out)
		}
		if out != in && out != "'"+in {
			t.Fatalf("neutralise(%q) = %q changes more than the start", in, out)
		}
	})
}

func TestCellText(t *testing.T) {
	for in, want := range map[string]string{
		`null`:              "",
		`"a"`:               "a",
		`1999`:              "1999",
		`12345678901234567`: "12345678901234567", // not rounded through float64
		`true`:              "true",
		`["a","b"]`:         "a|b",
		`[]`:                "",
		`{"k":"<v>"}`:       `{"k":"<v>"}`,
	} {
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if got, err := cellText(v); err != nil || got != want {
			t.Errorf("cellText(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct{ format, accept, want string }{
		{"", "", formatJSON},
		{"", "*/*", formatJSON},
		{"", "text/csv", formatCSV},
		{"", "TEXT/CSV; charset=utf-8", formatCSV},
		{"", "text/csv;q=0", formatJSON},
		{"", "text/csv;q=bad", formatJSON},
		{"", "text/csv, application/json", formatJSON},
		{"", "application/json;q=0.2, text/csv;q=0.9", formatCSV},
		{"", "garbage;;;", formatJSON},
		{"csv", "application/json", formatCSV},
		{"json", "text/csv", formatJSON},
	} {
		got, err := negotiate(tc.format, tc.accept)
		if err != nil || got != tc.want {
			t.Errorf("negotiate(%q, %q) = %q, %v; want %q", tc.format, tc.accept, got, err, tc.want)
		}
	}
	if _, err := negotiate("CSV", ""); err == nil {
		t.Error("format CSV accepted")
	}
}
