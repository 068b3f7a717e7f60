package api

import (
	"testing"
)

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
