package synth

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"
	"time"
)

// Volumes at Scale 1, tuned to DOMAIN.md's Czech year: 300-500 person
// records about 250-400 distinct persons, 10-30 % of them reported by
// more than one partner.
const (
	personsMin    = 280.0 // distinct persons a year
	personsMax    = 360.0
	reReportShare = 0.10 // of a year's persons, first reported in one of the two years before
	extraSourceP  = 0.19 // chance a person has a second partner that year
	thirdSourceP  = 0.25 // chance, given a second, of a third
)

// cohort is the persons first reported in a year: ids first … first+n-1.
type cohort struct {
	year    int
	first   uint32
	n       uint32
	reports int // persons of earlier cohorts reported again this year
}

// planner decides who is reported in which year by which partners. It
// holds only the cohort boundaries; a year's list of reported persons is
// built when that year is written.
type planner struct {
	seed    uint64
	cohorts []cohort
	total   uint32
}

func newPlanner(s settings) (*planner, error) {
	pl := &planner{seed: s.seed}
	var next uint64
	for i, y := range s.years {
		r := newRand(s.seed, tagCohort, uint64(y))
		size := max(1, int(math.Round(between(r, personsMin, personsMax)*s.scale)))
		re := 0
		if i > 0 {
			re = min(int(math.Round(float64(size)*reReportShare)), pl.poolSize(i))
		}
		n := uint64(size - re)
		if next+n > math.MaxUint32 {
			return nil, fmt.Errorf("%w: too many persons (scale × years)", ErrBadConfig)
		}
		pl.cohorts = append(pl.cohorts, cohort{year: y, first: uint32(next), n: uint32(n), reports: re})
		next += n
	}
	pl.total = uint32(next)
	return pl, nil
}

// poolSize is the number of persons year i may report again: those first
// reported in the two years before.
func (pl *planner) poolSize(i int) int {
	n := 0
	for j := max(0, i-2); j < i; j++ {
		n += int(pl.cohorts[j].n)
	}
	return n
}

// firstYear is the year a person was first reported.
func (pl *planner) firstYear(id uint32) int {
	i := sort.Search(len(pl.cohorts), func(i int) bool {
		c := pl.cohorts[i]
		return uint64(c.first)+uint64(c.n) > uint64(id)
	})
	return pl.cohorts[i].year
}

func (pl *planner) person(id uint32) person {
	return makePerson(pl.seed, id, pl.firstYear(id))
}

// entry is a person reported in a year and the partners reporting them.
type entry struct {
	id   uint32
	mask uint16
}

// yearPlan is one year: who is reported by whom, and the registered
// persons by form of exploitation and citizenship group (from which the
// intelligence service's estimates are made).
type yearPlan struct {
	year    int
	entries []entry
	counts  map[[2]string]int // {form, group} → persons
}

func (pl *planner) plan(i int) yearPlan {
	c := pl.cohorts[i]
	yp := yearPlan{year: c.year, entries: make([]entry, 0, int(c.n)+c.reports), counts: map[[2]string]int{}}
	for id := c.first; id < c.first+c.n; id++ {
		yp.entries = append(yp.entries, entry{id: id})
	}
	if c.reports > 0 {
		r := newRand(pl.seed, tagActive, uint64(c.year))
		lo := pl.cohorts[max(0, i-2)].first
		size := pl.poolSize(i)
		seen := make(map[uint32]bool, c.reports)
		for len(seen) < c.reports {
			id := lo + uint32(r.IntN(size))
			if !seen[id] {
				seen[id] = true
				yp.entries = append(yp.entries, entry{id: id})
			}
		}
	}
	for k := range yp.entries {
		e := &yp.entries[k]
		p := pl.person(e.id)
		e.mask = chooseSources(newRand(pl.seed, tagSources, uint64(c.year), uint64(e.id)), &p)
		for _, f := range p.forms {
			yp.counts[[2]string{f, citizenshipGroup(p.citizenship())}]++
		}
	}
	return yp
}

// chooseSources picks the partners that report a person in a year: one
// chosen by who typically meets such a person, sometimes one or two more.
func chooseSources(r *rand.Rand, p *person) uint16 {
	mask := choose(r, primaryWeights(p))
	if chance(r, extraSourceP) {
		mask |= otherSource(r, p, mask)
		if chance(r, thirdSourceP) {
			mask |= otherSource(r, p, mask)
		}
	}
	return mask
}

func primaryWeights(p *person) []weighted[uint16] {
	var w []weighted[uint16]
	if p.abroad != "" {
		w = []weighted[uint16]{{35, bitEmbassy}, {30, bitLaStrada}, {20, bitPolice}, {10, bitIOM}, {5, bitCaritas}}
	} else {
		w = []weighted[uint16]{{40, bitLaStrada}, {28, bitCaritas}, {12, bitPolice}, {12, bitIOM}, {3, bitVAP}}
	}
	for i := range w {
		switch {
		case p.status == "actual" && w[i].v == bitPolice:
			w[i].w *= 2
		case p.status == "actual" && w[i].v == bitVAP:
			w[i].w *= 3
		case p.status == "not_victim" && w[i].v == bitPolice:
			w[i].w *= 0.5
		case p.status == "not_victim" && w[i].v == bitVAP:
			w[i].w = 0
		}
	}
	return w
}

// otherSource picks a partner not yet in mask: police and the Programme
// most often (an NGO's client goes to the police, the police refer to the
// Programme).
func otherSource(r *rand.Rand, p *person, mask uint16) uint16 {
	all := []weighted[uint16]{{26, bitPolice}, {13, bitVAP}, {24, bitLaStrada}, {17, bitCaritas}, {12, bitIOM}, {8, bitEmbassy}}
	var w []weighted[uint16]
	for _, o := range all {
		if mask&o.v != 0 || (o.v == bitEmbassy && p.abroad == "") || (o.v == bitVAP && p.status == "not_victim") {
			continue
		}
		w = append(w, o)
	}
	if len(w) == 0 {
		return 0
	}
	return choose(r, w)
}

// reportDay is the day of the year (0 = 1 January) a partner registered
// a person: near a day common to all partners reporting the person that
// year (the police first, the Programme weeks later).
func reportDay(seed uint64, year int, id uint32, spec *partnerSpec) uint16 {
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	days := int(start.AddDate(1, 0, 0).Sub(start).Hours() / 24)
	base := newRand(seed, tagDay, uint64(year), uint64(id)).IntN(days)
	r := newRand(seed, tagDay, uint64(year), uint64(id), uint64(spec.bit))
	d := base + spec.dayLo + r.IntN(spec.dayHi-spec.dayLo+1)
	// Reflect at the year's ends rather than clip, so days do not pile up
	// on 1 January and 31 December.
	if d < 0 {
		d = -d
	}
	if d >= days {
		d = 2*(days-1) - d
	}
	return uint16(d)
}

func popcount(m uint16) int { return bits.OnesCount16(m) }
