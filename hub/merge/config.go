package merge

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// VariantRule says what sharing a key of one linkage-key variant is
// worth (agent/anon's Keys documents the variants).
type VariantRule struct {
	// Strong variants link two records alone: they key the whole name
	// and the whole birth date, so two different persons share one only
	// if they have the same names and were born on the same day.
	Strong bool
	// Prior is, for a weak variant, the evidence in bits (log2 of the
	// odds) that two records sharing a key of it and no strong key are
	// one person, before anything else about them is weighed. A pair
	// links when Prior plus the weights of the rest of the evidence
	// (Weights) reaches Config.MinScore.
	Prior float64
	// Dice says whether the similarity of Bloom encodings weighs on a
	// pair sharing only this variant: for a variant that leaves a name
	// out (b1, c1) it tells a typo in that name from another name; for
	// one that keys both names (d1, e1, f1, g1) it measures little but
	// the date digits, which the key already says differ.
	Dice bool
	// FullDate marks a variant that needs the whole birth date (or, for
	// e1, f1 and g1, two of its three parts, which a record has only when
	// it gave the whole date). Two records that both gave whole dates
	// and share keys of no such variant were born on dates that differ
	// in day and month both, which no typo makes: they do not link.
	FullDate bool
	// NoYear marks a variant that keys no birth year (e1: names, month
	// and day), so that records sharing it may give different birth
	// years; for any other variant different birth years rule a link
	// out.
	NoYear bool
}

// DefaultVariants returns the rules for agent/anon's variants:
//
//	a1 a2 h1  strong  whole names and whole birth date (a2 with day and
//	                  month as a set, h1 with the name words in any order).
//	b1        -0.7    surname and birth date: a given-name typo, or a
//	                  namesake born the same day (twins).
//	c1        -1.5    given name, birth date and sex: a surname typo, or
//	                  someone of the same given name born the same day.
//	d1        -5      names, birth year and citizenship: a birth year
//	                  alone, or one of the many namesakes born the same
//	                  year; never when both records gave a whole birth
//	                  date (see FullDate).
//	e1 f1 g1  -8      names and two of the three date parts: a typo in
//	                  the third, or a namesake born the same month or day.
//
// The priors were measured on agent/synth data at 100 times the Czech
// volume (200 000 records), where a name table of 30 Czech surnames
// makes namesakes far commoner than in real data; Config.PriorRecords
// adjusts them to the size of a merge. The Bloom similarity weighs on b1
// and c1 pairs only (see Dice). A key variant a rule does not name is
// ignored.
func DefaultVariants() map[string]VariantRule {
	return map[string]VariantRule{
		"a1": {Strong: true, FullDate: true}, "a2": {Strong: true, FullDate: true}, "h1": {Strong: true, FullDate: true},
		"b1": {Prior: -0.7, Dice: true, FullDate: true}, "c1": {Prior: -1.5, Dice: true, FullDate: true},
		"d1": {Prior: -5},
		"e1": {Prior: -8, NoYear: true, FullDate: true}, "f1": {Prior: -8, FullDate: true}, "g1": {Prior: -8, FullDate: true},
	}
}

// DiceWeight is the evidence of a Bloom-filter Dice similarity of at
// least Min.
type DiceWeight struct {
	Min    float64
	Weight float64
}

// Weights are the evidence, in bits, that the attributes of two records
// add to a weak key or a Bloom similarity. Positive weights speak for one
// person, negative against; an attribute either record lacks weighs
// nothing.
type Weights struct {
	// Fuzzy is the prior of a pair that shares no key and was found by
	// comparing Bloom encodings within a block.
	Fuzzy float64
	// Dice weighs the Dice similarity of the two Bloom encodings, when
	// both records have one: the first band whose Min the similarity
	// reaches applies. Bands are in decreasing order of Min.
	Dice []DiceWeight
	// NamesOnlyDice replaces Dice when either record has no birth year:
	// its encoding holds the names alone, so even one person's two
	// encodings are only some 0.75 alike, and as alike as namesakes'.
	NamesOnlyDice []DiceWeight
	// Near weighs two identification dates (identified_on) at most
	// NearDays apart, NotNear two that are further apart. Both need a
	// month at least.
	Near, NotNear float64
	NearDays      int
	// SameRegion and OtherRegion weigh the NUTS 3 regions.
	SameRegion, OtherRegion float64
	// SharedForm weighs a form of exploitation both records report,
	// DisjointForms two non-empty lists with none in common.
	SharedForm, DisjointForms float64
}

// DefaultWeights returns the weights measured with the variant priors
// (see DefaultVariants): each is log2 of how much likelier the evidence
// is for two records of one person than for two records of namesakes.
// Fuzzy, which no pair of the measurement tested, is set so that a pair
// found by Bloom similarity alone needs Dice 0.90 or more and agreeing
// dates, region and form, and at 200 000 records or more cannot link.
func DefaultWeights() Weights {
	return Weights{
		Fuzzy: -8,
		Dice: []DiceWeight{
			{Min: 0.90, Weight: 8},
			{Min: 0.85, Weight: 3.5},
			{Min: 0.80, Weight: -1.5},
			{Min: 0, Weight: -6},
		},
		NamesOnlyDice: []DiceWeight{
			{Min: 0.72, Weight: 1.5},
			{Min: 0.65, Weight: -1},
			{Min: 0, Weight: -4},
		},
		Near: 2.8, NotNear: -1.5, NearDays: 120,
		SameRegion: 3.6, OtherRegion: -4,
		SharedForm: 1.2, DisjointForms: -3,
	}
}

// Config says how Link clusters records. The zero value of every field
// but Salt means its default.
type Config struct {
	// Salt is the hub's own secret for person ids, 16 bytes or more.
	// Person ids are HMAC-SHA256 under it, so that an id tells nothing
	// about the keys it was made from; keep it with the hub's other
	// secrets, and keep it: another salt gives every person a new id.
	Salt []byte

	// Variants are the rules for each linkage-key variant; nil means
	// DefaultVariants.
	Variants map[string]VariantRule
	// Weights weighs the evidence of weak keys and Bloom similarity; nil
	// means DefaultWeights.
	Weights *Weights
	// MinScore is the evidence, in bits, a pair without a strong key
	// needs to link; 0 means 6 (odds of 64 to 1).
	MinScore float64
	// PriorRecords is the number of records at which the weak variants'
	// priors and Weights.Fuzzy hold; 0 means 200 000. Namesakes grow
	// commoner as the population grows, while a person's own records do
	// not, so the odds that a weak key joins one person fall in
	// proportion: a merge of n records adds log2(PriorRecords / max(n,
	// 2000)) bits to each prior, +6.6 at Czech scale, -2.3 at a million.
	// The floor keeps a small merge from being taken for a small
	// population. -1 turns the adjustment off.
	PriorRecords int

	// MaxCandidates bounds the records one record is compared with
	// through one weak key: the nearest ones before it in reference
	// order. 0 means 32. A weak key shared by hundreds of records is a
	// common name and year, which says little anyway.
	MaxCandidates int
	// NoFuzzy turns off the comparison of Bloom encodings of records that
	// share no key. Encodings still weigh in on weak keys.
	NoFuzzy bool
	// FuzzyDice is the least Dice similarity at which a pair found only
	// through Bloom blocking is weighed at all; 0 means 0.7.
	FuzzyDice float64
	// MaxBlock bounds a fuzzy-matching block: a larger one is split by
	// locality-sensitive hashing of the encodings, and a part that is
	// still larger is cut to its first MaxBlock records (Stats counts
	// them). 0 means 256.
	MaxBlock int

	// Previous is the person id each record had in the previous merge
	// (Result.Assignments). A person keeps the id most of its records
	// had; see Result for merges and splits. Nil: ids are derived afresh.
	Previous map[RecordRef]string
}

// Errors.
var (
	// ErrConfig is wrapped by the errors of an invalid Config.
	ErrConfig = errors.New("invalid merge configuration")
	// ErrDuplicateRef is returned when two records have the same
	// RecordRef.
	ErrDuplicateRef = errors.New("two records with the same reference")
)

const minSaltLen = 16

// resolved returns the configuration with defaults filled in.
func (c Config) resolved() (Config, error) {
	if len(c.Salt) < minSaltLen {
		return c, fmt.Errorf("%w: salt of %d bytes, want %d or more", ErrConfig, len(c.Salt), minSaltLen)
	}
	if c.Variants == nil {
		c.Variants = DefaultVariants()
	} else {
		c.Variants = maps.Clone(c.Variants)
	}
	if len(c.Variants) > maxVariants {
		return c, fmt.Errorf("%w: %d key variants, at most %d", ErrConfig, len(c.Variants), maxVariants)
	}
	for code := range c.Variants {
		if code == "" || len(code) > maxVariantLen || strings.Contains(code, "_") {
			return c, fmt.Errorf("%w: variant code %q", ErrConfig, code)
		}
	}
	w := DefaultWeights()
	if c.Weights != nil {
		w = *c.Weights
		w.Dice = slices.Clone(w.Dice)
		w.NamesOnlyDice = slices.Clone(w.NamesOnlyDice)
	}
	for _, bands := range [][]DiceWeight{w.Dice, w.NamesOnlyDice} {
		for i := 1; i < len(bands); i++ {
			if bands[i].Min >= bands[i-1].Min {
				return c, fmt.Errorf("%w: Dice bands not in decreasing order of Min", ErrConfig)
			}
		}
	}
	c.Weights = &w
	if c.MinScore == 0 {
		c.MinScore = 6
	}
	if c.PriorRecords == 0 {
		c.PriorRecords = 200_000
	}
	if c.MaxCandidates == 0 {
		c.MaxCandidates = 32
	}
	if c.FuzzyDice == 0 {
		c.FuzzyDice = 0.7
	}
	if c.MaxBlock == 0 {
		c.MaxBlock = 256
	}
	if c.PriorRecords < -1 || c.MaxCandidates < 0 || c.MaxBlock < 2 || c.FuzzyDice < 0 || c.FuzzyDice > 1 {
		return c, fmt.Errorf("%w: PriorRecords, MaxCandidates, MaxBlock or FuzzyDice out of range", ErrConfig)
	}
	return c, nil
}

// maxVariantLen bounds a variant code: the part of a key before "_".
// maxVariants is what a bit set of variants holds.
// minPriorRecords is the floor of the prior adjustment.
const (
	maxVariantLen   = 8
	maxVariants     = 64
	minPriorRecords = 2000
)
