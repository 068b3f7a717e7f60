package demo

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/agent/synth"
)

// mappings are the demo partners' mapping files: copies of
// testdata/mappings/<partner>.yaml (TestDemoMappingsAreShipped keeps them
// the same).
//
//go:embed mappings/*.yaml
var mappings embed.FS

// demoSeed selects the demo's synthetic population.
const demoSeed = 1

// partnerFile is one file a partner keeps for a year.
type partnerFile struct {
	partner, path, mapping string
	year                   int
}

// partnerFiles writes the demo partners' own files for the years, as
// each keeps them (synth: CSV in Windows-1250, CSV with a BOM, XLSX),
// under dir/synth with their ground truth, and each partner's mapping
// into its directory dir/partners/<id>. It returns the files by year,
// then in partner order.
func partnerFiles(dir string, years []int) ([]partnerFile, error) {
	var kinds []synth.PartnerKind
	for _, p := range demoPartners {
		kinds = append(kinds, synth.PartnerKind(p.ID))
	}
	synthDir := filepath.Join(dir, "synth")
	man, err := synth.Generate(synth.Config{Seed: demoSeed, Scale: 1, Years: years, OutDir: synthDir, Partners: kinds})
	if err != nil {
		return nil, fmt.Errorf("synthetic files: %w", err)
	}
	var out []partnerFile
	for _, f := range man.Files {
		id := string(f.Partner)
		data, err := mappings.ReadFile("mappings/" + id + ".yaml")
		if err != nil {
			return nil, err
		}
		mpath := filepath.Join(dir, "partners", id, "mapping.yaml")
		if err := os.WriteFile(mpath, data, 0o644); err != nil {
			return nil, err
		}
		out = append(out, partnerFile{partner: id, path: filepath.Join(synthDir, filepath.FromSlash(f.Path)), mapping: mpath, year: f.Year})
	}
	slices.SortStableFunc(out, func(a, b partnerFile) int {
		return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(partnerIndex(a.partner), partnerIndex(b.partner)))
	})
	return out, nil
}

func partnerIndex(id string) int {
	return slices.IndexFunc(demoPartners, func(p PartnerSpec) bool { return p.ID == id })
}

// sealMapped maps, anonymises, seals and sends one partner's file with
// its mapping, through the partner's own agent.
func sealMapped(ctx context.Context, w *World, id, file, mpath, period string, out io.Writer) error {
	m, err := mapping.Load(mpath)
	if err != nil {
		return err
	}
	a, ob, err := w.Agent(id)
	if err != nil {
		return err
	}
	defer ob.Close()
	e, res, err := a.SealMapped(ob, m, file, period)
	if err != nil {
		return fmt.Errorf("%s: %w", id, err)
	}
	fmt.Fprintf(out, "   %-13s mapped %s with its mapping: %d rows, %d records, identifiers replaced by linkage keys\n", id, filepath.Base(file), res.Rows, res.Records)
	if _, err := a.Upload(ctx, ob); err != nil {
		return fmt.Errorf("%s: %w", id, err)
	}
	fmt.Fprintf(out, "   %-13s sealed %s: %d records, %d bytes encrypted, sent\n", id, e.ID, e.Manifest.Records, e.Manifest.Ciphertext.Size)
	return nil
}
