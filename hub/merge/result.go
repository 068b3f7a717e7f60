package merge

import (
	"cmp"
	"iter"
	"math"
	"slices"
	"sort"
	"sync"
)

// Stats counts what Link did.
type Stats struct {
	Records int `json:"records"`
	Persons int `json:"persons"`
	// StrongLinks, WeakLinks and FuzzyLinks count the links that joined
	// two clusters: through a strong key, through a weak key with
	// corroboration, and through Bloom similarity alone.
	StrongLinks int `json:"strong_links"`
	WeakLinks   int `json:"weak_links"`
	FuzzyLinks  int `json:"fuzzy_links"`
	// Candidates is the number of pairs weighed.
	Candidates int `json:"candidates"`
	// Refused counts links that reached MinScore but would have put two
	// records of one submission, or two records that rule each other
	// out, in one person.
	Refused int `json:"refused"`
	// Truncated counts weak-key chains and fuzzy blocks cut at
	// MaxCandidates or MaxBlock.
	Truncated int `json:"truncated"`
	// BadBloom counts Bloom encodings that are not agent/anon's.
	BadBloom int `json:"bad_bloom"`
	// IDsKept counts persons that kept an id of Config.Previous; the
	// others got a derived one.
	IDsKept int `json:"ids_kept"`
}

// Rules of a link.
const (
	ruleStrong uint8 = iota
	ruleWeak
	ruleFuzzy
)

var ruleNames = [...]string{"strong key", "weak key", "fuzzy"}

// link is one join that built a person: a spanning tree of its records.
type link struct {
	a, b  int32 // positions
	rule  uint8
	score float32
}

// Person is one person: the records linked to one another.
type Person struct {
	// ID is the person's opaque id (see Result).
	ID string `json:"id"`
	// Records are the person's records as indices into the slice given
	// to Link, in RecordRef order.
	Records []int `json:"records"`
}

// Result is the outcome of a merge: the records, clustered into persons.
//
// Person ids are "p_" and 16 base32 characters of HMAC-SHA256 under
// Config.Salt: they reveal nothing of the keys they come from, and are
// the same in every merge of the same records with the same salt. With
// Config.Previous, a person keeps the id that most of its records had
// (ties: the smaller id), so that ids survive whatever the records
// added or removed; when two earlier persons merge, the id of the one
// with more records survives and the other is retired (Retired); when an
// earlier person splits, the part holding most of its records keeps its
// id and the others get new ones. Without Previous, or for a new person,
// the id is derived from the person's anchor: the smallest strong key
// (or, lacking one, the smallest weak key but the names alone, which
// every namesake shares; lacking those, the reference) of its earliest
// record, earliest by period and then by reference.
// Records of later periods, the usual additions, leave the anchor and so
// the id alone; a record of an earlier period, or a merge with a person
// reported earlier, moves it.
type Result struct {
	records  []Record
	order    []int32 // position → index into records
	subs     []RecordRef
	subStart []int32 // first position of each submission
	person   []int32 // position → index into persons
	persons  []Person
	links    []link // by person, then positions
	sc       *scorer
	retired  map[string]string
	stats    Stats

	censusOnce sync.Once
	cs         *census
}

// Stats returns what Link did.
func (r *Result) Stats() Stats { return r.stats }

// Records returns the records given to Link.
func (r *Result) Records() []Record { return r.records }

// Persons returns the persons, in order of id. The slice is the
// Result's own: do not modify it.
func (r *Result) Persons() []Person { return r.persons }

// Person returns the person with an id.
func (r *Result) Person(id string) (Person, bool) {
	i, ok := r.personIndex(id)
	if !ok {
		return Person{}, false
	}
	return r.persons[i], true
}

func (r *Result) personIndex(id string) (int, bool) {
	return slices.BinarySearchFunc(r.persons, id, func(p Person, id string) int { return cmp.Compare(p.ID, id) })
}

// PersonOf returns the id of the person a record belongs to.
func (r *Result) PersonOf(ref RecordRef) (string, bool) {
	p, ok := r.position(ref)
	if !ok {
		return "", false
	}
	return r.persons[r.person[p]].ID, true
}

// position finds a record's position by binary search.
func (r *Result) position(ref RecordRef) (int32, bool) {
	s, ok := slices.BinarySearchFunc(r.subs, ref, func(sub, ref RecordRef) int {
		if c := cmp.Compare(sub.Partner, ref.Partner); c != 0 {
			return c
		}
		return cmp.Compare(sub.Submission, ref.Submission)
	})
	if !ok {
		return 0, false
	}
	lo, hi := int(r.subStart[s]), len(r.order)
	if s+1 < len(r.subStart) {
		hi = int(r.subStart[s+1])
	}
	i := lo + sort.Search(hi-lo, func(i int) bool { return r.records[r.order[lo+i]].Ref.N >= ref.N })
	if i < hi && r.records[r.order[i]].Ref.N == ref.N {
		return int32(i), true
	}
	return 0, false
}

// Assignments returns each record's person id: what Config.Previous
// takes in the next merge.
func (r *Result) Assignments() *Assignments {
	a := &Assignments{}
	for i, id := range r.InOrder() {
		a.Set(r.records[i].Ref, id)
	}
	return a
}

// InOrder yields each record's index into the records given to Link and
// its person's id, in RecordRef order: Assignments without a map.
func (r *Result) InOrder() iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for p, i := range r.order {
			if !yield(int(i), r.persons[r.person[p]].ID) {
				return
			}
		}
	}
}

// Retired maps the ids of Config.Previous that no person carries any
// more, because their person merged with another, to the id of the
// person they are now part of. Ids of persons whose records all went
// away are not in it.
func (r *Result) Retired() map[string]string { return r.retired }

// LinkReason explains one link that joined two records of a person.
type LinkReason struct {
	A RecordRef `json:"a"`
	B RecordRef `json:"b"`
	// Rule is "strong key", "weak key" or "fuzzy" (Bloom similarity
	// alone).
	Rule string `json:"rule"`
	// Variants are the key variants of which A and B have the same key.
	Variants []string `json:"variants,omitempty"`
	// Dice is the similarity of their Bloom encodings, 0 when either has
	// none.
	Dice float64 `json:"dice,omitempty"`
	// Score is the evidence in bits a weak or fuzzy link had; MinScore
	// was its bar. 0 for a strong link, which needs none.
	Score float64 `json:"score,omitempty"`
	// Evidence names the attributes that weighed.
	Evidence []string `json:"evidence,omitempty"`
}

// Explain returns the links that joined a person's records: one fewer
// than its records, each naming the shared key variants, the Dice
// similarity and what else weighed. Nil for an unknown id or a person of
// one record.
func (r *Result) Explain(id string) []LinkReason {
	pi, ok := r.personIndex(id)
	if !ok {
		return nil
	}
	lo, _ := slices.BinarySearchFunc(r.links, int32(pi), func(l link, pi int32) int { return cmp.Compare(r.person[l.a], pi) })
	var out []LinkReason
	for _, l := range r.links[lo:] {
		if r.person[l.a] != int32(pi) {
			break
		}
		out = append(out, r.reason(l))
	}
	return out
}

func (r *Result) reason(l link) LinkReason {
	x, y := &r.records[r.order[l.a]], &r.records[r.order[l.b]]
	shared := r.sc.sharedVariants(x.Victim.Keys, y.Victim.Keys)
	var py uint32 // only whether the periods are equal counts
	if y.Period != x.Period {
		py = 1
	}
	ax, ay := attrsOf(x, 0), attrsOf(y, py)
	var bx, by []uint64
	if x.Victim.Bloom != "" && y.Victim.Bloom != "" {
		bx, by = make([]uint64, bloomWords), make([]uint64, bloomWords)
		if !decodeBloom(bx, x.Victim.Bloom) || !decodeBloom(by, y.Victim.Bloom) {
			bx, by = nil, nil
		}
	}
	e := r.sc.weigh(shared, r.sc.variantsOf(x.Victim.Keys), r.sc.variantsOf(y.Victim.Keys), &ax, &ay, bx, by,
		r.sc.frequencyAdjust(shared, l.a, l.b))
	lr := LinkReason{A: x.Ref, B: y.Ref, Rule: ruleNames[l.rule]}
	for i, c := range r.sc.codes {
		if shared&(1<<i) != 0 {
			lr.Variants = append(lr.Variants, c)
		}
	}
	if e.dice >= 0 {
		lr.Dice = math.Round(e.dice*1e4) / 1e4
	}
	if l.rule != ruleStrong {
		lr.Score = math.Round(float64(l.score)*100) / 100
		for i, name := range factNames {
			if e.facts&(1<<i) != 0 {
				lr.Evidence = append(lr.Evidence, name)
			}
		}
	}
	return lr
}
