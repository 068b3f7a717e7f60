package synth

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// personID is how the ground truth names a person.
func personID(id uint32) string { return fmt.Sprintf("P%07d", id) }

// recordTruth streams ground-truth/records.csv: one line per person
// record of a partner file.
type recordTruth struct {
	f   *os.File
	bw  *bufio.Writer
	w   *csv.Writer
	rec []string
}

var recordTruthHeader = []string{"partner", "file", "row", "person_id", "year", "noise"}

func openRecordTruth(path string) (*recordTruth, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	t := &recordTruth{f: f, bw: bufio.NewWriterSize(f, 64<<10), rec: make([]string, len(recordTruthHeader))}
	t.w = csv.NewWriter(t.bw)
	if err := t.w.Write(recordTruthHeader); err != nil {
		f.Close()
		return nil, err
	}
	return t, nil
}

func (t *recordTruth) write(partner PartnerKind, file string, row int, id uint32, year int, noise noiseKind) error {
	t.rec[0], t.rec[1], t.rec[2] = string(partner), file, strconv.Itoa(row)
	t.rec[3], t.rec[4], t.rec[5] = personID(id), strconv.Itoa(year), noise.String()
	return t.w.Write(t.rec)
}

func (t *recordTruth) close() error {
	t.w.Flush()
	return errors.Join(t.w.Error(), t.bw.Flush(), t.f.Close())
}

var personTruthHeader = []string{"person_id", "first_year", "sex", "birth_date", "citizenship", "name_origin",
	"surname", "given_names", "surname_native", "given_name_native", "address", "town", "region_nuts3",
	"exploitation", "exploited_in", "status", "partners"}

// writePersonTable writes ground-truth/persons.csv: every person that
// appears in a written file, with canonical names (passport spellings,
// women's -ová forms) and true attributes.
func (g *generator) writePersonTable() error {
	f, err := os.Create(filepath.Join(g.s.outDir, filepath.FromSlash(g.m.Truth.Persons)))
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	w := csv.NewWriter(bw)
	werr := w.Write(personTruthHeader)
	for id := uint32(0); id < g.pl.total && werr == nil; id++ {
		m := g.union[id]
		if m == 0 {
			continue
		}
		g.m.Totals.Persons++
		if popcount(m) > 1 {
			g.m.Totals.MultiSource++
		}
		p := g.pl.person(id)
		nativeSur, nativeGiven := p.nativeNames()
		var town, nuts string
		if p.town >= 0 {
			town, nuts = towns[p.town].name, towns[p.town].nuts3
		}
		exploitedIn := "CZ"
		if p.abroad != "" {
			exploitedIn = p.abroad
		}
		var partners []string
		for _, s := range partnerSpecs {
			if m&s.bit != 0 {
				partners = append(partners, string(s.kind))
			}
		}
		werr = w.Write([]string{personID(id), strconv.Itoa(p.firstYear), p.sex(), p.birth.Format(isoDate),
			p.citizenship(), p.cult.code, p.surname().canonical(), p.givenNames(), nativeSur, nativeGiven,
			p.address(), town, nuts, strings.Join(p.forms, "|"), exploitedIn, p.status, strings.Join(partners, "|")})
	}
	w.Flush()
	return errors.Join(werr, w.Error(), bw.Flush(), f.Close())
}
