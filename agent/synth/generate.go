package synth

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"
)

// Generate writes every selected partner's files for every year, the
// ground truth and manifest.json into cfg.OutDir, and returns the
// manifest.
//
// Files go to OutDir/<partner id>/<the partner's own file name>, the
// ground truth to OutDir/ground-truth/. Memory stays bounded whatever the
// scale: rows are written as they are made, and only two bytes per person
// (the partners that reported them) are kept across years.
func Generate(cfg Config) (*Manifest, error) {
	s, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	pl, err := newPlanner(s)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(s.outDir, "ground-truth"), 0o755); err != nil {
		return nil, err
	}
	g := &generator{s: s, pl: pl, union: make([]uint16, pl.total)}
	g.m = &Manifest{Seed: s.seed, Years: s.years, Scale: s.scale, Truth: Truth{
		Records: "ground-truth/records.csv", Persons: "ground-truth/persons.csv"}}
	if g.truth, err = openRecordTruth(filepath.Join(s.outDir, filepath.FromSlash(g.m.Truth.Records))); err != nil {
		return nil, err
	}
	err = g.writeYears()
	if cerr := g.truth.close(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", g.m.Truth.Records, cerr)
	}
	if err != nil {
		return nil, err
	}
	if err := g.writePersonTable(); err != nil {
		return nil, fmt.Errorf("write %s: %w", g.m.Truth.Persons, err)
	}
	b, err := json.MarshalIndent(g.m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(s.outDir, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	return g.m, nil
}

type generator struct {
	s     settings
	pl    *planner
	m     *Manifest
	truth *recordTruth
	union []uint16 // by person id: the selected partners that reported them in any year
}

func (g *generator) writeYears() error {
	for i := range g.s.years {
		yp := g.pl.plan(i)
		c := Volume{Year: yp.year}
		for _, e := range yp.entries {
			if m := e.mask & g.s.selected; m != 0 {
				c.Persons++
				if popcount(m) > 1 {
					c.MultiSource++
				}
				g.union[e.id] |= m
			}
		}
		for _, spec := range g.s.partners {
			var f File
			var err error
			if spec.personLevel() {
				f, err = g.writePersonFile(spec, &yp)
				c.Records += f.Records
			} else {
				f, err = g.writeCountFile(spec, &yp)
				g.m.Totals.CountRows += f.Records
			}
			if err != nil {
				return fmt.Errorf("write %s: %w", f.Path, err)
			}
			g.m.Files = append(g.m.Files, f)
		}
		g.m.PerYear = append(g.m.PerYear, c)
		g.m.Totals.Records += c.Records
	}
	return nil
}

func (g *generator) fileFor(spec *partnerSpec, year int) File {
	f := File{
		Partner: spec.kind, Category: spec.category, Dataset: spec.dataset, Year: year,
		Path:   path.Join(string(spec.kind), fmt.Sprintf(spec.name, year)),
		Format: spec.file.format, Encoding: spec.file.encoding, Delimiter: Delimiter(spec.file.delimiter),
		PersonLevel: spec.personLevel(),
	}
	if f.Format == XLSX {
		f.Sheet = spec.file.sheet
		if slices.Contains([]byte(f.Sheet), '%') {
			f.Sheet = fmt.Sprintf(f.Sheet, year)
		}
	}
	return f
}

func (g *generator) open(spec *partnerSpec, f File) (sink, error) {
	p := filepath.Join(g.s.outDir, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return openSink(p, spec.file, spec.header, f.Year)
}

// writePersonFile writes one partner's person records for a year, in the
// order the partner registered them.
func (g *generator) writePersonFile(spec *partnerSpec, yp *yearPlan) (File, error) {
	f := g.fileFor(spec, yp.year)
	type ref struct {
		id        uint32
		mask, day uint16
	}
	var refs []ref
	for _, e := range yp.entries {
		if e.mask&spec.bit != 0 {
			refs = append(refs, ref{e.id, e.mask, reportDay(g.s.seed, yp.year, e.id, spec)})
		}
	}
	slices.SortFunc(refs, func(a, b ref) int {
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.id, b.id))
	})
	jan1 := time.Date(yp.year, time.January, 1, 0, 0, 0, 0, time.UTC)
	out, err := g.open(spec, f)
	if err != nil {
		return f, err
	}
	for k, ref := range refs {
		p := g.pl.person(ref.id)
		rc := rowCtx{
			r: newRand(g.s.seed, tagRow, uint64(yp.year), uint64(ref.id), uint64(spec.bit)),
			p: &p, year: yp.year, date: jan1.AddDate(0, 0, int(ref.day)), seq: k + 1, mask: ref.mask,
		}
		vals := spec.row(&rc)
		if spec.file.encoding == Windows1250 {
			fitRow(&rc, vals)
		}
		if err := out.writeRow(vals); err != nil {
			return f, errors.Join(err, out.close())
		}
		f.Records++
		if err := g.truth.write(spec.kind, f.Path, f.Records, p.id, yp.year, rc.noise); err != nil {
			return f, errors.Join(err, out.close())
		}
	}
	return f, out.close()
}

func (g *generator) writeCountFile(spec *partnerSpec, yp *yearPlan) (File, error) {
	f := g.fileFor(spec, yp.year)
	var kind uint64
	for i, s := range partnerSpecs {
		if s == spec {
			kind = uint64(i)
		}
	}
	cc := &countCtx{r: newRand(g.s.seed, tagCounts, uint64(yp.year), kind), year: yp.year, scale: g.s.scale, plan: yp}
	out, err := g.open(spec, f)
	if err != nil {
		return f, err
	}
	for _, row := range spec.counts(cc) {
		if err := out.writeRow(row); err != nil {
			return f, errors.Join(err, out.close())
		}
		f.Records++
	}
	return f, out.close()
}

// fitRow rewrites a row's text for Windows-1250 before it is written, so
// that the ground truth records what the code page took away.
func fitRow(rc *rowCtx, vals []any) {
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue
		}
		if f := fitWindows1250(s); f != s {
			vals[i] = f
			if f == cedilla(s) {
				rc.noise |= noiseCedilla
			} else {
				rc.noise |= noiseNoDiacritics
			}
		}
	}
}
