package merge

import (
	"maps"
	"math"
	"slices"
)

// scorer weighs the evidence that two records are one person. Link uses
// it on candidate pairs, Result.Explain on the links it reports.
type scorer struct {
	cfg *Config
	// adjust is added to every weak prior: see Config.PriorRecords.
	adjust float64
	codes  []string      // variant codes, sorted
	rules  []VariantRule // by code index
	index  map[string]int
	full   uint64 // the variants that need a whole birth date
	// names holds, by variant index, how common each record's key of a
	// NoDate variant is (see undatedCandidates); nil for the others.
	names []*keyFrequency
}

// keyFrequency is how many records share each record's key of one
// variant, and the mean over records of that number.
type keyFrequency struct {
	count []int32 // by position; 0 for a record without a key
	mean  float64
}

// maxFrequencyAdjust bounds the frequency adjustment of a prior, in
// bits either way.
const maxFrequencyAdjust = 4

// frequencyAdjust returns what the key frequency adds to the prior of
// a pair sharing the variants of shared, at positions a and b: the most
// over its NoDate variants, 0 if none. A key shared by m records when
// the mean is M is log2(M/m) bits likelier to join one person than the
// variant's prior says (Fellegi and Sunter's frequency-based weights).
func (s *scorer) frequencyAdjust(shared uint64, a, b int32) float64 {
	adj, found := math.Inf(-1), false
	for i, f := range s.names {
		if f == nil || shared&(1<<i) == 0 || f.mean == 0 {
			continue
		}
		m := max(f.count[a], f.count[b], 2)
		adj = max(adj, min(max(math.Log2(f.mean/float64(m)), -maxFrequencyAdjust), maxFrequencyAdjust))
		found = true
	}
	if !found {
		return 0
	}
	return adj
}

func newScorer(cfg *Config, records, periods int) *scorer {
	s := &scorer{cfg: cfg, codes: slices.Sorted(maps.Keys(cfg.Variants)), index: map[string]int{}}
	if cfg.PriorRecords > 0 {
		n := float64(records)
		if periods > 0 {
			n = n * priorPeriods / float64(periods)
		}
		s.adjust = math.Log2(float64(cfg.PriorRecords) / max(n, minPriorRecords))
	}
	for i, c := range s.codes {
		s.rules = append(s.rules, cfg.Variants[c])
		s.index[c] = i
	}
	s.names = make([]*keyFrequency, len(s.codes))
	s.full = s.fullDates()
	return s
}

// Veto reasons: what rules a pair out, whatever else it shares.
type veto uint8

const (
	noVeto veto = iota
	vetoSex
	vetoCitizenship
	vetoBirthYear
	vetoAgeGroup
	vetoBirthDate
)

// Facts that weighed, for explanations.
const (
	factNear uint16 = 1 << iota
	factNotNear
	factSameRegion
	factOtherRegion
	factSharedForm
	factDisjointForms
	factSameBand
	factOtherBand
	factSameStatus
	factOtherStatus
	factOtherPeriod
)

var factNames = []string{"identified near in time", "identified far apart", "same region", "other region",
	"shared form of exploitation", "no form of exploitation in common", "same age band", "other age band",
	"same status", "other status", "identified in another period"}

// evidence is what two records say about being one person.
type evidence struct {
	shared uint64  // bit i: both have the same key of variant codes[i]
	dice   float64 // of the Bloom encodings; -1 when either has none
	prior  float64
	score  float64 // prior plus weights, in bits
	facts  uint16
	veto   veto
}

func (e evidence) vetoed() bool { return e.veto != noVeto }

// sharedVariants returns the variants of which two key lists share a key.
func (s *scorer) sharedVariants(ka, kb Keys) uint64 {
	var m uint64
	for k := range ka.All() {
		i, ok := s.index[variantOf(k)]
		if !ok || i >= 64 || m&(1<<i) != 0 {
			continue
		}
		if kb.Contains(k) {
			m |= 1 << i
		}
	}
	return m
}

// fullDates returns the variants whose keys need a whole birth date.
func (s *scorer) fullDates() uint64 {
	var m uint64
	for i, r := range s.rules {
		if r.FullDate {
			m |= 1 << i
		}
	}
	return m
}

// variantsOf returns the variants of which a key list has a key.
func (s *scorer) variantsOf(keys Keys) uint64 {
	var m uint64
	for k := range keys.All() {
		if i, ok := s.index[variantOf(k)]; ok && i < 64 {
			m |= 1 << i
		}
	}
	return m
}

// veto returns what rules out that two records are one person, whatever
// else they share: known sexes, citizenships or birth years that differ
// (unless a shared variant keys no year), whole birth dates that differ
// in day and month both, a child and an adult in one period.
func (s *scorer) veto(shared, hasX, hasY uint64, x, y *attrs) veto {
	noYear := false
	for i, r := range s.rules {
		if shared&(1<<i) != 0 && r.NoYear {
			noYear = true
		}
	}
	full := s.full
	switch {
	case shared != 0 && shared&full == 0 && hasX&full != 0 && hasY&full != 0:
		return vetoBirthDate
	case x.sex != 0 && y.sex != 0 && x.sex != y.sex:
		return vetoSex
	case x.cit != [2]byte{} && y.cit != [2]byte{} && x.cit != y.cit:
		return vetoCitizenship
	case x.year != 0 && y.year != 0 && x.year != y.year && !noYear:
		return vetoBirthYear
	case x.period == y.period && (x.year == 0 || y.year == 0) && x.group != 0 && y.group != 0 && x.group != y.group:
		return vetoAgeGroup
	}
	return noVeto
}

// weigh returns the evidence for two records, given the variants they
// share and each has, their attributes and decoded Bloom encodings (nil
// for none).
func (s *scorer) weigh(shared, hasX, hasY uint64, x, y *attrs, bx, by []uint64, freq float64) evidence {
	w := s.cfg.Weights
	e := evidence{shared: shared, dice: -1, prior: math.Inf(-1)}
	useDice := shared == 0
	for i, r := range s.rules {
		if shared&(1<<i) == 0 {
			continue
		}
		switch {
		case r.NoDate:
			e.prior = max(e.prior, r.Prior+freq)
		case !r.Strong:
			e.prior = max(e.prior, r.Prior)
		}
		useDice = useDice || r.Dice
	}
	if shared == 0 {
		e.prior = w.Fuzzy
	}
	e.prior += s.adjust
	e.veto = s.veto(shared, hasX, hasY, x, y)
	e.score = e.prior
	if bx != nil && by != nil {
		e.dice = dice(bx, by)
	}
	if e.dice >= 0 && useDice {
		bands := w.Dice
		if x.year == 0 || y.year == 0 {
			bands = w.NamesOnlyDice
		}
		for _, band := range bands {
			if e.dice >= band.Min {
				e.score += band.Weight
				break
			}
		}
	}
	if x.day != noDay && y.day != noDay {
		d := x.day - y.day
		if d < 0 {
			d = -d
		}
		switch {
		case d <= int32(w.CloseDays):
			e.score += w.Close
			e.facts |= factNear
		case d <= int32(w.NearDays):
			e.score += w.Near
			e.facts |= factNear
		case x.period == y.period:
			e.score += w.NotNear
			e.facts |= factNotNear
		}
	}
	if x.region != "" && y.region != "" {
		if x.region == y.region {
			e.score += w.SameRegion
			e.facts |= factSameRegion
		} else {
			e.score += w.OtherRegion
			e.facts |= factOtherRegion
		}
	}
	if fx, fy := x.forms&^otherForm, y.forms&^otherForm; fx != 0 && fy != 0 {
		switch {
		case fx == fy:
			e.score += w.SharedForm
			e.facts |= factSharedForm
		case fx&fy != 0:
			e.score += w.SharedForm + w.OtherForms
			e.facts |= factSharedForm
		default:
			e.score += w.DisjointForms
			e.facts |= factDisjointForms
		}
	}
	if x.status != 0 && y.status != 0 {
		switch {
		case x.status != y.status:
			e.score += w.OtherStatus
			e.facts |= factOtherStatus
		case x.status != possibleStatus:
			e.score += w.SameStatus
			e.facts |= factSameStatus
		}
	}
	if x.period != y.period {
		e.score += w.OtherPeriod
		e.facts |= factOtherPeriod
	}
	switch {
	case !agesAgree(x, y):
		e.score += w.OtherBand
		e.facts |= factOtherBand
	case x.band != 0 && x.band == y.band && x.period == y.period:
		e.score += w.SameBand
		e.facts |= factSameBand
	}
	return e
}

// canLink reports whether a pair sharing the variants of shared (none:
// a fuzzy pair) could reach MinScore in the best case, every attribute
// agreeing.
func (s *scorer) canLink(shared uint64) bool {
	w := s.cfg.Weights
	prior, useDice := w.Fuzzy, shared == 0
	if shared != 0 {
		prior = math.Inf(-1)
		for i, r := range s.rules {
			if shared&(1<<i) != 0 {
				p := r.Prior
				if r.NoDate {
					p += maxFrequencyAdjust
				}
				prior = max(prior, p)
				useDice = useDice || r.Dice
			}
		}
	}
	best := prior + s.adjust + max(w.Close, w.Near, w.NotNear, 0) + max(w.SameRegion, w.OtherRegion, 0) +
		max(w.SharedForm, w.SharedForm+w.OtherForms, w.DisjointForms, 0) + max(w.SameBand, w.OtherBand, 0) +
		max(w.SameStatus, w.OtherStatus, 0) + max(w.OtherPeriod, 0)
	if useDice {
		d := math.Inf(-1)
		for _, b := range append(slices.Clone(w.Dice), w.NamesOnlyDice...) {
			d = max(d, b.Weight)
		}
		if !math.IsInf(d, -1) {
			best += max(d, 0)
		}
	}
	return best >= s.cfg.MinScore
}

// conflict reports whether a record of the cluster of root a rules out
// one of root b's (veto): a weak link between them would make one person
// of two that cannot be one, through a third that resembles both. Large
// clusters are checked on their first maxConflictChecks members each.
func (l *linker) conflict(a, b int32) bool {
	na := 0
	for x := a; na < maxConflictChecks; na++ {
		nb := 0
		for y := b; nb < maxConflictChecks; nb++ {
			if l.sc.veto(l.sharedAt(x, y), l.variantsAt(x), l.variantsAt(y), &l.attrs[x], &l.attrs[y]) != noVeto {
				return true
			}
			if y = l.uf.next[y]; y == b {
				break
			}
		}
		if x = l.uf.next[x]; x == a {
			break
		}
	}
	return false
}

// maxConflictChecks bounds the members of each cluster conflict checks.
const maxConflictChecks = 64

// evaluate weighs the candidate pair at positions a and b.
func (l *linker) evaluate(a, b int32) evidence {
	shared := l.sharedExact(a, b)
	return l.sc.weigh(shared, l.variantsAt(a), l.variantsAt(b),
		&l.attrs[a], &l.attrs[b], l.bloom(a), l.bloom(b), l.sc.frequencyAdjust(shared, a, b))
}
