package demo

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
)

// writeVictimsCSV writes n synthetic victims records in the schema's own
// column names, drawn from a seeded generator so every run is the same.
// The proportions follow DOMAIN.md's Czech figures loosely: mostly women,
// a tenth children, many Ukrainian, Vietnamese and Czech citizens.
func writeVictimsCSV(path string, n int, seed uint64, decidedBy string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, 2025))
	w := csv.NewWriter(f)
	w.Write([]string{"status_source", "status", "decided_by", "sex", "birth_year", "age_group", "citizenship", "exploitation", "identified_on"})
	countries := []string{"CZ", "CZ", "UA", "UA", "UA", "VN", "VN", "RO", "SK", "BG", "NG", "PH", "XX"}
	forms := []string{"sexual", "sexual", "labour", "labour", "labour", "begging", "criminal", "forced_marriage"}
	for i := 0; i < n; i++ {
		sex := "F"
		if x := r.IntN(100); x >= 63 && x < 98 {
			sex = "M"
		} else if x >= 98 {
			sex = "U"
		}
		year := 1965 + r.IntN(45)
		group := "adult"
		if 2025-year < 18 {
			group = "child"
		}
		status, source := "possible", "presumed victim"
		if decidedBy != "ngo" || r.IntN(4) == 0 {
			status, source = "actual", "identified victim"
		}
		form := forms[r.IntN(len(forms))]
		if second := forms[r.IntN(len(forms))]; r.IntN(6) == 0 && second != form {
			form += "|" + second
		}
		w.Write([]string{source, status, decidedBy, sex, strconv.Itoa(year), group,
			countries[r.IntN(len(countries))], form, fmt.Sprintf("2025-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
