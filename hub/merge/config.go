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
	// NoDate marks a variant that keys no part of the birth date (d3:
	// the names alone). Two records that both give a birth year and
	// agree on it share a key of a variant that keys it too, and if they
	// disagree they are ruled out, so a pair is followed through such a
	// variant only when one of the two gives no birth year; each such
	// record is compared with the records of its key nearest to it in
	// time of identification, rather than in reference order. The prior
	// is further adjusted by how common the key is: a key that m records
	// share, when the records of the variant share theirs with M on
	// average, adds log2(M/m) bits, at most 4 either way (the
	// frequency-based weights of Fellegi and Sunter): a rare name joins
	// more readily than a common one.
	NoDate bool
}

// DefaultVariants returns the rules for agent/anon's variants:
//
//	a1 a2 h1 h2  strong  whole names and whole birth date (a2 with day
//	                     and month as a set, h1 with the name words in
//	                     any order, h2 both).
//	h3           +3      the name words without their vowels and the
//	                     whole birth date: another transliteration or a
//	                     mistyped vowel, or names that differ in vowels
//	                     only (Petr and Petra) born the same day.
//	d1 d2        +1      names and birth year (d1 with citizenship, d2
//	                     with the name words in any order): a birth year
//	                     alone, or a namesake born the same year; never
//	                     when both records gave a whole birth date (see
//	                     FullDate).
//	b1 c1        +2.5    surname and birth date (c1: given name, birth
//	                     date and sex): a typo in the other name, or a
//	                     namesake born the same day (twins).
//	d3           +6      the names alone, when one record gives no birth
//	                     year (see NoDate).
//	e1 f1 g1     -8      names and two of the three date parts: a typo in
//	                     the third, or a namesake born the same month or
//	                     day.
//
// The priors were chosen on agent/synth data (Czech scale over 16 seeds,
// and 100 times it over two and five years), with DefaultWeights, for
// the most recall at a pair precision of 0.99 or more at both volumes.
// d3, b1 and c1 were re-fitted when agent/synth's names became as
// diverse as the populations' (its tables once held a few hundred names
// a culture, and namesakes were several times commoner than in reality,
// which held these priors low). Measured with keys alone:
//
//	d3    b1 c1   Czech, seeds 1-8     100x, 2 years      100x, 5 years
//	-0.5  +0.5    0.9994 / 0.966*      0.9994 / 0.839     -
//	+6    +0.5    0.9970 / 0.979       0.9938 / 0.947     0.9923 / 0.948
//	+6    +1.5    0.9970 / 0.979       0.9937 / 0.950     0.9920 / 0.952
//	+6    +2.5    0.9970 / 0.981       0.9933 / 0.952     0.9918 / 0.954
//	+6    +3.5    0.9970 / 0.981       0.9932 / 0.953     -
//	+6.5  +0.5    -                    0.9922 / 0.953     0.9892 / 0.955
//
// (precision / recall; * with the earlier names.) With Bloom encodings,
// 100x over five years: 0.9924 / 0.962 at +6 and +2.5. d1, d2 and h3
// hardly matter (d1 and d2 from +1 to +5, h3 at +3 or +4: recall within
// 0.001) and stay where they were. Beyond +2.5 b1 and c1 gain little
// recall for more false links.
// Config.PriorRecords adjusts them to the size of a merge. The Bloom
// similarity weighs on b1 and c1 pairs only (see Dice). A key variant a
// rule does not name is ignored.
func DefaultVariants() map[string]VariantRule {
	return map[string]VariantRule{
		"a1": {Strong: true, FullDate: true}, "a2": {Strong: true, FullDate: true},
		"h1": {Strong: true, FullDate: true}, "h2": {Strong: true, FullDate: true},
		"h3": {Prior: 3, FullDate: true},
		"d1": {Prior: 1}, "d2": {Prior: 1},
		"b1": {Prior: 2.5, Dice: true, FullDate: true}, "c1": {Prior: 2.5, Dice: true, FullDate: true},
		"d3": {Prior: 6, NoDate: true},
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
	// Close weighs two identification dates (identified_on) at most
	// CloseDays apart, Near two at most NearDays apart, NotNear two of
	// one period that are further apart; both need a month at least.
	// Two sources that report one person in a period mostly do so within
	// weeks of each other; dates of two periods further apart than
	// NearDays weigh nothing (a person reported again a year later is as
	// far from the earlier record as a namesake is), and OtherPeriod
	// weighs two periods.
	Close, Near, NotNear float64
	CloseDays, NearDays  int
	// OtherPeriod weighs two records of different periods: a person is
	// reported again in a later period less often than by a second
	// source in the same one.
	OtherPeriod float64
	// SameRegion and OtherRegion weigh the NUTS 3 regions.
	SameRegion, OtherRegion float64
	// SharedForm weighs a form of exploitation both records report,
	// DisjointForms two non-empty lists with none in common; OtherForms
	// is added to SharedForm when the lists share a form but differ.
	// The code "other" is left out of the comparison: a source puts
	// there what its own code list lacks (forced criminality, in HTCDS).
	SharedForm, DisjointForms, OtherForms float64
	// SameStatus weighs two records that give the same status, actual or
	// not_victim (possible, the usual status of a person not yet
	// assessed, says little); OtherStatus two that give different ones.
	SameStatus, OtherStatus float64
	// SameBand weighs two records of one period in the same age band,
	// OtherBand two whose ages cannot be one person's: the band one gives
	// at its year of identification, moved to the other's, misses the
	// other's band or birth year by more than a birthday. For a record
	// without a birth date that gives an age, the band is all there is
	// of the age.
	SameBand, OtherBand float64
}

// DefaultWeights returns the weights measured with the variant priors
// (see DefaultVariants): each is about log2 of how much likelier the
// evidence is for two records of one person than for two records of
// namesakes, measured over the pairs that share a weak key, some capped
// where agent/synth's data are surer than real data would be (its
// sources never disagree on a person's region or forms). Fuzzy, which
// the measurement did not test, is set so that a pair found by Bloom
// similarity alone needs Dice 0.90 or more and most of the rest of the
// evidence agreeing at Czech scale, and at 200 000 records or more cannot
// link.
func DefaultWeights() Weights {
	return Weights{
		Fuzzy: -12.5,
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
		Close: 2, CloseDays: 30, Near: 1, NearDays: 60, NotNear: -3.5,
		OtherPeriod: -2.5,
		SameRegion:  3, OtherRegion: -5,
		SharedForm: 1.4, DisjointForms: -4, OtherForms: -2.5,
		SameStatus: 1.5, OtherStatus: -1.2,
		SameBand: 2.5, OtherBand: -4,
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
	// PriorRecords is the number of records, over five periods, at
	// which the weak variants' priors and Weights.Fuzzy hold; 0 means
	// 200 000. Namesakes grow commoner as the population grows, while a
	// person's own records do not, so the odds that a weak key joins one
	// person fall in proportion. What counts is the records of a period,
	// since records are compared mostly with those of their own period
	// and a period's volume does not change with the number of periods
	// merged: a merge of n records over k periods adds log2(PriorRecords
	// / max(5n/k, 2000)) bits to each prior, +6.6 at Czech scale, -2.3
	// at a million over five years. The floor keeps a small merge from
	// being taken for a small population. -1 turns the adjustment off.
	PriorRecords int

	// MaxCandidates bounds the records one record is compared with
	// through one weak key: the nearest ones before it in reference
	// order (for a NoDate variant, in time of identification). 0 means
	// 32. A weak key shared by hundreds of records is a
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
	Previous *Assignments
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
// minPriorRecords is the floor of the prior adjustment, priorPeriods
// the periods over which PriorRecords holds.
const (
	maxVariantLen   = 8
	maxVariants     = 64
	minPriorRecords = 2000
	priorPeriods    = 5
)
