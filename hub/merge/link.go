package merge

import (
	"cmp"
	"fmt"
	"hash"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
)

// linker holds the state of one Link call. Records are handled by
// position: their index in reference order, so that the result does not
// depend on the order they were given in.
type linker struct {
	cfg     Config
	recs    []Record
	order   []int32 // position → index in recs
	src     []int32 // position → submission id
	subs    []RecordRef
	attrs   []attrs
	period  []uint32 // position → period rank, once attrs are gone
	periods []string // sorted: attrs hold their ranks

	sc      *scorer
	keyOff  []int32  // position → first index into keyVar
	keyVar  []uint8  // the variant index of each key, noVariant if unknown
	keyHash []uint64 // each key's hash
	keyAt   []uint16 // each key's offset in its record's Keys
	keyLen  []uint8  // and its length, 255 for 255 or more

	occBuf  []occurrence // weakCandidates' buffers
	prevBuf []int32

	blooms  []uint64 // bloomWords per record that has an encoding
	bloomOf []int32  // position → index into blooms / bloomWords, or -1

	mac       hash.Hash // person ids
	macBuf    []byte
	clusterOf []int32 // position → cluster, while ids are assigned
	uf        *unionFind
	links     []link
	retired   map[string]string
	stats     Stats
}

// rec returns the record at position p.
func (l *linker) rec(p int32) *Record { return &l.recs[l.order[p]] }

// Link clusters records into persons.
//
// Two records are joined when they share a key of a strong variant
// (Config.Variants), whatever else they say. Otherwise a pair is a
// candidate when the two share a key of a weak variant, or, both having a
// Bloom encoding, fall in one block (same birth year and sex, or for a
// record without a birth year the same period, citizenship and sex) and
// are at least Config.FuzzyDice alike. A candidate is weighed: the prior
// of its strongest weak variant (or Weights.Fuzzy), plus the weights of
// the Dice similarity, the identification dates and periods, regions,
// forms of exploitation, statuses and age bands; different known sexes,
// citizenships, birth years (unless a shared variant tolerates a wrong
// year), whole birth dates that differ in day and month, or, in one
// period, age groups rule it out.
// Candidates reaching Config.MinScore are joined strongest first, unless
// the two clusters hold records of the same submission (a partner
// reports a person once in a submission), or a record of one rules out
// a record of the other: these guards stop a chain of plausible links,
// or a record that resembles two persons, from making one person of
// two.
//
// The result does not depend on the order of records: they are handled
// in RecordRef order. Link does not modify records, and the Result
// refers to them: do not modify them afterwards.
//
// Person ids: see Result.
func Link(records []Record, cfg Config) (*Result, error) {
	cfg, err := cfg.resolved()
	if err != nil {
		return nil, err
	}
	if len(records) >= math.MaxInt32 {
		return nil, fmt.Errorf("%w: %d records, more than one merge handles", ErrConfig, len(records))
	}
	l := &linker{cfg: cfg, recs: records}
	if err := l.sortRecords(); err != nil {
		return nil, err
	}
	l.prepare()
	if err := l.indexVariants(); err != nil {
		return nil, err
	}
	l.uf = newUnionFind(len(records))
	// One map, cleared between variants, holds one variant's keys at a
	// time.
	keys := make(map[uint64]occurrence, len(records))
	for i := range l.sc.codes {
		if l.sc.rules[i].Strong {
			l.linkStrong(keys, uint8(i))
		}
	}
	l.uf.trackSources(l.src)
	var cands []uint64
	for i := range l.sc.codes {
		// A variant whose best case cannot reach MinScore is not
		// followed: from some 200 000 records on, e1, f1 and g1 cannot.
		r := l.sc.rules[i]
		switch {
		case r.Strong || !l.sc.canLink(uint64(1)<<i):
		case r.NoDate:
			cands = l.undatedCandidates(cands, uint8(i))
		default:
			cands = l.weakCandidates(keys, cands, uint8(i))
		}
	}
	if !cfg.NoFuzzy && l.sc.canLink(0) {
		cands = l.fuzzyCandidates(cands)
	}
	l.linkScored(cands)
	// What only linking needed goes before the result is built: of the
	// attributes, ids need the periods.
	l.period = make([]uint32, len(l.attrs))
	for p := range l.attrs {
		l.period[p] = l.attrs[p].period
	}
	l.attrs, l.keyHash, l.keyAt, l.keyLen, l.blooms, l.bloomOf, l.occBuf, l.prevBuf = nil, nil, nil, nil, nil, nil, nil, nil
	return l.result(), nil
}

// sortRecords puts records in reference order and refuses duplicates.
func (l *linker) sortRecords() error {
	type sub struct{ partner, submission string }
	ids := map[sub]int32{}
	for i := range l.recs {
		ref := &l.recs[i].Ref
		k := sub{ref.Partner, ref.Submission}
		if _, ok := ids[k]; !ok {
			ids[k] = int32(len(l.subs))
			l.subs = append(l.subs, RecordRef{Partner: ref.Partner, Submission: ref.Submission})
		}
	}
	// Renumber submissions in their own order.
	rank := make([]int32, len(l.subs))
	byRef := make([]int32, len(l.subs))
	for i := range byRef {
		byRef[i] = int32(i)
	}
	slices.SortFunc(byRef, func(a, b int32) int { return l.subs[a].Compare(l.subs[b]) })
	sorted := make([]RecordRef, len(l.subs))
	for r, i := range byRef {
		rank[i] = int32(r)
		sorted[r] = l.subs[i]
	}
	l.subs = sorted
	srcOf := make([]int32, len(l.recs))
	for i := range l.recs {
		ref := &l.recs[i].Ref
		srcOf[i] = rank[ids[sub{ref.Partner, ref.Submission}]]
	}
	l.order = make([]int32, len(l.recs))
	for i := range l.order {
		l.order[i] = int32(i)
	}
	slices.SortFunc(l.order, func(a, b int32) int {
		if c := cmp.Compare(srcOf[a], srcOf[b]); c != 0 {
			return c
		}
		return cmp.Compare(l.recs[a].Ref.N, l.recs[b].Ref.N)
	})
	l.src = make([]int32, len(l.recs))
	for p, i := range l.order {
		l.src[p] = srcOf[i]
		if p > 0 && l.src[p] == l.src[p-1] && l.recs[i].Ref.N == l.recs[l.order[p-1]].Ref.N {
			return fmt.Errorf("%w: %s", ErrDuplicateRef, l.recs[i].Ref)
		}
	}
	return nil
}

// prepare computes each record's attributes and decodes the Bloom
// encodings.
func (l *linker) prepare() {
	n := len(l.recs)
	// Periods by rank, so that comparing two is comparing numbers.
	ranks := map[string]uint32{}
	withBloom := 0
	for i := range l.recs {
		ranks[l.recs[i].Period] = 0
		if l.recs[i].Victim.Bloom != "" {
			withBloom++
		}
	}
	l.periods = slices.Sorted(maps.Keys(ranks))
	l.sc = newScorer(&l.cfg, n, len(l.periods))
	for i, p := range l.periods {
		ranks[p] = uint32(i)
	}
	l.attrs = make([]attrs, n)
	parallel(n, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			r := l.rec(int32(p))
			l.attrs[p] = attrsOf(r, ranks[r.Period])
		}
	})
	l.bloomOf = make([]int32, n)
	for p := range l.bloomOf {
		l.bloomOf[p] = -1
	}
	if withBloom == 0 {
		return
	}
	l.blooms = make([]uint64, 0, withBloom*bloomWords)
	var buf [bloomWords]uint64
	for p := range n {
		s := l.rec(int32(p)).Victim.Bloom
		if s == "" {
			continue
		}
		if !decodeBloom(buf[:], s) {
			l.stats.BadBloom++
			continue
		}
		l.bloomOf[p] = int32(len(l.blooms) / bloomWords)
		l.blooms = append(l.blooms, buf[:]...)
	}
}

func (l *linker) bloom(p int32) []uint64 {
	i := l.bloomOf[p]
	if i < 0 {
		return nil
	}
	return l.blooms[int(i)*bloomWords : int(i+1)*bloomWords]
}

func pair(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

func unpair(c uint64) (a, b int32) { return int32(c >> 32), int32(uint32(c)) }

// scored is a candidate pair that reached MinScore.
type scored struct {
	pair  uint64
	score float32
}

// linkScored weighs the candidates and joins those that reach MinScore,
// strongest first, unless the guard refuses.
func (l *linker) linkScored(cands []uint64) {
	slices.Sort(cands)
	cands = slices.Compact(cands)
	l.stats.Candidates = len(cands)
	accepted := l.weigh(cands)
	slices.SortFunc(accepted, func(x, y scored) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(x.pair, y.pair)
	})
	for _, s := range accepted {
		a, b := unpair(s.pair)
		ra, rb := l.uf.find(a), l.uf.find(b)
		if ra == rb {
			continue
		}
		if l.uf.clash(ra, rb, l.src) || l.conflict(ra, rb) {
			l.stats.Refused++
			continue
		}
		l.uf.unionTracked(ra, rb, l.src)
		rule := ruleWeak
		if l.sharedExact(a, b) == 0 {
			rule = ruleFuzzy
			l.stats.FuzzyLinks++
		} else {
			l.stats.WeakLinks++
		}
		l.links = append(l.links, link{a: a, b: b, rule: rule, score: s.score})
	}
}

// weigh scores candidates on every processor and returns those that
// reach MinScore, in no particular order.
func (l *linker) weigh(cands []uint64) []scored {
	workers := min(runtime.GOMAXPROCS(0), 1+len(cands)/4096)
	parts := make([][]scored, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := w*len(cands)/workers, (w+1)*len(cands)/workers
			var out []scored
			for _, c := range cands[lo:hi] {
				a, b := unpair(c)
				if e := l.evaluate(a, b); !e.vetoed() && e.score >= l.cfg.MinScore {
					out = append(out, scored{c, float32(e.score)})
				}
			}
			parts[w] = out
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}
