package synth

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Config says what to generate. The zero value of every field but OutDir
// means the default.
type Config struct {
	// Seed selects the population and every choice made; the same Config
	// writes the same bytes.
	Seed uint64
	// Years to generate, one file per partner and year; nil means
	// DefaultYears.
	Years []int
	// Scale multiplies the volumes: 1 (or 0) is Czech scale, 300-500
	// person records a year; 100 is 30-50 thousand.
	Scale float64
	// OutDir is where files are written, created if missing. Existing
	// files of the same names are replaced.
	OutDir string
	// Partners to write files for; nil means all. The population and who
	// reports whom do not depend on it: leaving a partner out only leaves
	// its files out.
	Partners []PartnerKind
}

// DefaultYears are generated when Config.Years is nil.
var DefaultYears = []int{2019, 2020, 2021, 2022, 2023}

// MaxScale bounds Config.Scale: 10 000 is some 4 million records a year,
// beyond the EU-wide volume of about 1 million.
const MaxScale = 10000

// PartnerKind identifies a partner; it is also the directory its files
// are written to.
type PartnerKind string

// Partners.
const (
	Police             PartnerKind = "police-cz"
	Prosecution        PartnerKind = "prosecution-cz"
	Court              PartnerKind = "court-cz"
	AlienPolice        PartnerKind = "alien-police-cz"
	LabourInspectorate PartnerKind = "labour-insp-cz"
	VictimAssistance   PartnerKind = "vap-moi"
	LaStrada           PartnerKind = "ngo-lastrada"
	Caritas            PartnerKind = "ngo-caritas"
	IOM                PartnerKind = "iom-cz"
	Intelligence       PartnerKind = "intel-bis"
	Embassy            PartnerKind = "embassy-mzv"
)

// Category is a kind of source, as DOMAIN.md lists them.
type Category string

// Source categories.
const (
	CategoryPolice             Category = "police"
	CategoryProsecution        Category = "prosecution"
	CategoryCourt              Category = "court"
	CategoryAlienPolice        Category = "alien-police"
	CategoryLabourInspectorate Category = "labour-inspectorate"
	CategoryVictimAssistance   Category = "victim-assistance"
	CategoryNGO                Category = "ngo"
	CategoryIOM                Category = "iom"
	CategoryIntelligence       Category = "intelligence"
	CategoryEmbassy            Category = "embassy"
)

// Dataset is what a file's records describe, after the common schema's
// datasets.
type Dataset string

// Datasets.
const (
	Victims     Dataset = "victims"     // one record per person
	Proceedings Dataset = "proceedings" // counts of prosecuted and convicted persons
	Controls    Dataset = "controls"    // counts of inspections and what they found
	Aggregates  Dataset = "aggregates"  // other counts
)

// AllPartners returns every partner, in the order files are written.
func AllPartners() []PartnerKind {
	out := make([]PartnerKind, len(partnerSpecs))
	for i, s := range partnerSpecs {
		out[i] = s.kind
	}
	return out
}

// Errors.
var (
	ErrUnknownPartner = errors.New("unknown partner")
	ErrBadConfig      = errors.New("bad configuration")
)

// settings is a Config with defaults filled in and checked.
type settings struct {
	seed     uint64
	years    []int
	scale    float64
	outDir   string
	partners []*partnerSpec
	selected uint16 // bits of the selected person-level partners
}

func (c Config) settings() (settings, error) {
	s := settings{seed: c.Seed, scale: c.Scale, outDir: c.OutDir}
	if s.outDir == "" {
		return s, fmt.Errorf("%w: no output directory", ErrBadConfig)
	}
	if s.scale == 0 {
		s.scale = 1
	}
	if math.IsNaN(s.scale) || s.scale < 0 || s.scale > MaxScale {
		return s, fmt.Errorf("%w: scale %v is not between 0 and %d", ErrBadConfig, c.Scale, MaxScale)
	}
	s.years = slices.Clone(c.Years)
	if s.years == nil {
		s.years = slices.Clone(DefaultYears)
	}
	slices.Sort(s.years)
	s.years = slices.Compact(s.years)
	if len(s.years) == 0 {
		return s, fmt.Errorf("%w: no years", ErrBadConfig)
	}
	if s.years[0] < 1990 || s.years[len(s.years)-1] > 2100 {
		return s, fmt.Errorf("%w: years must be between 1990 and 2100", ErrBadConfig)
	}
	if len(s.years) > 60 {
		return s, fmt.Errorf("%w: %d years is more than 60", ErrBadConfig, len(s.years))
	}
	want := c.Partners
	if want == nil {
		want = AllPartners()
	}
	for _, spec := range partnerSpecs {
		if slices.Contains(want, spec.kind) {
			s.partners = append(s.partners, spec)
			s.selected |= spec.bit
		}
	}
	for _, k := range want {
		if specFor(k) == nil {
			return s, fmt.Errorf("%w %q (known: %v)", ErrUnknownPartner, k, AllPartners())
		}
	}
	if len(s.partners) == 0 {
		return s, fmt.Errorf("%w: no partners", ErrBadConfig)
	}
	return s, nil
}
