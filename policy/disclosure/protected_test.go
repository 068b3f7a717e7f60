package disclosure

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCellJSON(t *testing.T) {
	for _, tc := range []struct {
		cell Cell
		want string
	}{
		{Cell{Keys: []string{"2023", "F"}, Count: 12}, `{"keys":["2023","F"],"count":12}`},
		{Cell{Keys: []string{"2023", "U"}}, `{"keys":["2023","U"],"count":0}`},
		{Cell{Keys: []string{"2023", "M"}, Status: Primary, Max: 3}, `{"keys":["2023","M"],"count":null,"suppressed":"primary","max":3}`},
		{Cell{Keys: []string{"*", "M"}, Status: Secondary}, `{"keys":["*","M"],"count":null,"suppressed":"secondary"}`},
	} {
		b, err := json.Marshal(tc.cell)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("%v: %s, want %s", tc.cell, b, tc.want)
		}
		var back Cell
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, tc.cell) {
			t.Errorf("%s reads back as %#v, %v", b, back, err)
		}
	}
	// A withheld count never leaks through JSON, whatever Count holds.
	b, _ := json.Marshal(Cell{Keys: []string{"x"}, Count: 2, Status: Primary, Max: 3})
	if string(b) != `{"keys":["x"],"count":null,"suppressed":"primary","max":3}` {
		t.Errorf("withheld cell with a count: %s", b)
	}
	for _, bad := range []string{
		`{"keys":["x"]}`,
		`{"keys":["x"],"count":null}`,
		`{"keys":["x"],"count":1,"suppressed":"primary"}`,
		`{"keys":["x"],"count":null,"suppressed":"published"}`,
		`{"keys":["x"],"count":null,"suppressed":"tertiary"}`,
		`[]`,
	} {
		var c Cell
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestProtectedJSON(t *testing.T) {
	tab, r := reportTable(2)
	p, err := Protect(tab, r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Protected
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Error("Protected changes through JSON")
	}
	if rec, err := Audit(back, tab, r); err != nil || len(rec) > 0 {
		t.Errorf("Audit of the JSON: %v, %v", rec, err)
	}
}

func TestCellString(t *testing.T) {
	for _, tc := range []struct {
		cell Cell
		want string
	}{
		{Cell{Count: 12}, "12"},
		{Cell{}, "0"},
		{Cell{Status: Primary, Max: 3}, "<4"},
		{Cell{Status: Primary, Max: 2}, "<3"},
		{Cell{Status: Primary}, "x"},
		{Cell{Status: Secondary, Count: 40}, "x"},
	} {
		if got := tc.cell.String(); got != tc.want {
			t.Errorf("%#v shows %q, want %q", tc.cell, got, tc.want)
		}
	}
}

func TestStatusText(t *testing.T) {
	for _, s := range []Status{Published, Primary, Secondary} {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Status
		if err := back.UnmarshalText(b); err != nil || back != s || string(b) != s.String() {
			t.Errorf("%v: %s, %v, %v", s, b, back, err)
		}
	}
	if _, err := Status(9).MarshalText(); err == nil {
		t.Error("status 9 marshals")
	}
	if Status(9).String() != "Status(9)" {
		t.Errorf("status 9 is %q", Status(9))
	}
}
