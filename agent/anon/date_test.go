package anon

import (
	"errors"
	"testing"
)

func TestParseDateDefaults(t *testing.T) {
	tests := []struct {
		in   string
		want Date
	}{
		{"1990-03-05", Date{1990, 3, 5}},
		{"1990-3-5", Date{1990, 3, 5}},
		{"5.3.1990", Date{1990, 3, 5}},
		{"05.03.1990", Date{1990, 3, 5}},
		{"5. 3. 1990", Date{1990, 3, 5}}, // as Czech is typed
		{" 5 . 3 . 1990 ", Date{1990, 3, 5}},
		{"05/03/1990", Date{1990, 3, 5}}, // ambiguous: day first
		{"5/3/1990", Date{1990, 3, 5}},
		{"12/25/1990", Date{1990, 12, 25}}, // only month first is possible
		{"19900305", Date{1990, 3, 5}},
		{"1990-03", Date{1990, 3, 0}},
		{"3/1990", Date{1990, 3, 0}},
		{"1990", Date{1990, 0, 0}},
		{"29.2.2000", Date{2000, 2, 29}},
		{"1990-03-05T00:00:00Z", Date{1990, 3, 5}},
		{"1990-03-05T12:30:00+01:00", Date{1990, 3, 5}},
		{"5.3.1990 0:00:00", Date{1990, 3, 5}}, // a spreadsheet's date-time
		{"5.3.1990 00:00", Date{1990, 3, 5}},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, nil)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDateInvalid(t *testing.T) {
	for _, in := range []string{
		"", " ", "abc", "1990-13-05", "1990-02-30", "29.2.1900", "31.4.1990", "0.3.1990",
		"5.0.1990", "00/00/0000", "0000", "5.3.90", "90", "1990-03-05-01", "1990--03-05",
		"13/13/1990", "32/01/1990", "5.3.1990x", "1990-3-5 extra", "+1990", "-1990",
		"1990-03-05T", "99999", "1990 03 05",
	} {
		if d, err := ParseDate(in, nil); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrInvalidDate", in, d, err)
		}
	}
}

func TestParseDateFormats(t *testing.T) {
	tests := []struct {
		in      string
		formats []string
		want    Date
		ok      bool
	}{
		// A partner that writes month first says so, and is read so.
		{"05/03/1990", []string{"mm/dd/yyyy"}, Date{1990, 5, 3}, true},
		{"05/03/1990", []string{"dd/mm/yyyy"}, Date{1990, 3, 5}, true},
		// The first format that reads the date wins.
		{"05/03/1990", []string{"mm/dd/yyyy", "dd/mm/yyyy"}, Date{1990, 5, 3}, true},
		{"25/03/1990", []string{"mm/dd/yyyy", "dd/mm/yyyy"}, Date{1990, 3, 25}, true},
		{"1990.03.05", []string{"yyyy.mm.dd"}, Date{1990, 3, 5}, true},
		{"05031990", []string{"ddmmyyyy"}, Date{1990, 3, 5}, true},
		{"5031990", []string{"ddmmyyyy"}, Date{}, false}, // adjacent fields take their width
		{"05-03-1990", []string{"dd-mm-yyyy"}, Date{1990, 3, 5}, true},
		{"1990 03 05", []string{"yyyy mm dd"}, Date{1990, 3, 5}, true},
		{"1990   03 05", []string{"yyyy mm dd"}, Date{1990, 3, 5}, true},
		{"05.03.1990", []string{"yyyy-mm-dd"}, Date{}, false},
		// A format without a year, or with a day but no month, is no date.
		{"05.03", []string{"dd.mm"}, Date{}, false},
		{"05 1990", []string{"dd yyyy"}, Date{}, false},
		{"1990", []string{"yy"}, Date{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, tt.formats)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDate(%q, %q) = %v, %v; want %v, ok %v", tt.in, tt.formats, got, err, tt.want, tt.ok)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		d           Date
		valid, full bool
		str         string
	}{
		{Date{}, true, false, ""},
		{Date{1990, 3, 5}, true, true, "1990-03-05"},
		{Date{1990, 3, 0}, true, false, "1990-03"},
		{Date{1990, 0, 0}, true, false, "1990"},
		{Date{1990, 0, 5}, false, false, "1990"},
		{Date{0, 3, 5}, false, false, ""},
		{Date{1990, 2, 29}, false, true, "1990-02-29"},
		{Date{2000, 2, 29}, true, true, "2000-02-29"},
		{Date{1990, 13, 1}, false, true, "1990-13-01"},
		{Date{999, 1, 1}, false, true, "0999-01-01"},
	}
	for _, tt := range tests {
		if tt.d.Valid() != tt.valid || tt.d.Full() != tt.full || (tt.d.Valid() && tt.d.String() != tt.str) {
			t.Errorf("%#v: Valid %v Full %v String %q; want %v %v %q",
				tt.d, tt.d.Valid(), tt.d.Full(), tt.d.String(), tt.valid, tt.full, tt.str)
		}
	}
}
