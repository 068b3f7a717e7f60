package synth

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// namesOf extracts surname and given names from a person-level record as
// the partner laid it out; for a full name in one column, both orders are
// returned.
func namesOf(partner PartnerKind, header, row []string) (candidates [][2]string) {
	col := func(name string) string { return row[slices.Index(header, name)] }
	switch partner {
	case Police, VictimAssistance:
		return [][2]string{{col("Příjmení"), col("Jméno")}}
	case LaStrada:
		return [][2]string{{col("Client surname"), col("First name")}}
	case IOM:
		return [][2]string{{col("SecondName"), col("FirstName")}}
	case Embassy:
		return [][2]string{{col("prijmeni"), col("jmeno")}}
	case Caritas:
		full := col("Jméno a příjmení")
		var out [][2]string
		for i := range len(full) {
			if full[i] == ' ' {
				out = append(out, [2]string{full[i+1:], full[:i]}, [2]string{full[:i], full[i+1:]})
			}
		}
		return out
	}
	return nil
}

// dobOf returns the date of birth column's text.
func dobOf(partner PartnerKind, header, row []string) string {
	for _, name := range []string{"Datum narození", "DOB", "Datum narození / DOB", "Birthdate", "datum_narozeni"} {
		if i := slices.Index(header, name); i >= 0 {
			return row[i]
		}
	}
	return ""
}

// Every file reads back with the encoding, delimiter, sheet or JSON shape
// the manifest gives, has the partner's own header, and each record
// agrees with the ground truth: a record without noise carries the
// person's canonical name and date of birth.
func TestFormatsReadBack(t *testing.T) {
	m, dir := generate(t, Config{Seed: 11, Years: []int{2022, 2023}})
	persons := readPersonTruth(t, dir, m)
	truth := map[string][]truthRecord{}
	for _, r := range readRecordTruth(t, dir, m) {
		truth[r.file] = append(truth[r.file], r)
	}
	formats := map[string]bool{}
	clean := map[PartnerKind]int{}
	for _, f := range m.Files {
		formats[string(f.Format)+"/"+string(f.Encoding)+"/"+string(rune(f.Delimiter))] = true
		header, rows := readTable(t, dir, f)
		spec := specFor(f.Partner)
		if !slices.Equal(header, spec.header) {
			t.Errorf("%s: header %q, want %q", f.Path, header, spec.header)
		}
		if len(rows) != f.Records || f.Records == 0 {
			t.Errorf("%s: %d rows, manifest %d", f.Path, len(rows), f.Records)
		}
		for i, row := range rows {
			if len(row) != len(header) {
				t.Fatalf("%s row %d: %d fields, header %d", f.Path, i+1, len(row), len(header))
			}
		}
		if !f.PersonLevel {
			continue
		}
		for i, row := range rows {
			tr := truth[f.Path][i]
			if tr.noise != "" {
				continue
			}
			p := persons[tr.person]
			want := [2]string{p["surname"], p["given_names"]}
			if !slices.Contains(namesOf(f.Partner, header, row), want) {
				t.Errorf("%s row %d: no noise recorded, but names %q are not %s's %q", f.Path, i+1, namesOf(f.Partner, header, row), tr.person, want)
			}
			if !sameDate(dobOf(f.Partner, header, row), p["birth_date"]) {
				t.Errorf("%s row %d: no noise recorded, but date of birth %q is not %s's %s", f.Path, i+1, dobOf(f.Partner, header, row), tr.person, p["birth_date"])
			}
			clean[f.Partner]++
		}
	}
	for _, want := range []string{"csv/windows-1250/;", "csv/utf-8-bom/,", "csv/utf-8/\t", "xlsx//\x00", "json/utf-8/\x00", "jsonl/utf-8/\x00"} {
		if !formats[want] {
			t.Errorf("no file is %q; have %v", want, formats)
		}
	}
	for _, k := range []PartnerKind{Police, VictimAssistance, LaStrada, Caritas, IOM, Embassy} {
		if clean[k] == 0 {
			t.Errorf("%s: no noise-free record to check", k)
		}
	}
}

// sameDate reports whether a partner's date text is the ISO date iso, in
// any layout the partners use.
func sameDate(text, iso string) bool {
	want, err := time.Parse(isoDate, iso)
	if err != nil {
		return false
	}
	for _, layout := range []string{czDate, czDatePadded, czDateSpaced, slashDate, isoDate, "1/2/06", "01-02-06"} {
		if d, err := time.Parse(layout, strings.TrimSpace(text)); err == nil && d.Equal(want) {
			return true
		}
	}
	return false
}

// The police's Windows-1250 file holds Czech letters, and what the code
// page cannot hold is written as a Czech office would.
func TestWindows1250(t *testing.T) {
	for in, want := range map[string]string{
		"Nováková":   "Nováková",
		"Ștefănescu": "Ştefănescu",
		"Nguyễn Thị": "Nguyen Thi",
		"Đặng":       "Đang", // Đ is in the code page (Croatian)
		"Шевченко":   "????????",
	} {
		if got := fitWindows1250(in); got != want {
			t.Errorf("fitWindows1250(%q) = %q, want %q", in, got, want)
		}
	}
}
