package merge

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"slices"
	"strconv"
)

// idEncoding writes person ids in lower-case base32: no characters a
// spreadsheet or a URL treats specially.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// idBytes of the HMAC make an id: 80 bits, no collision among billions.
const idBytes = 10

// result builds the Result: persons in order of id, links by person.
func (l *linker) result() *Result {
	n := len(l.recs)
	cluster := make([]int32, n) // position → cluster, numbered by first position
	number := make([]int32, n)
	for i := range number {
		number[i] = -1
	}
	nc := int32(0)
	for p := range int32(n) {
		root := l.uf.find(p)
		if number[root] < 0 {
			number[root] = nc
			nc++
		}
		cluster[p] = number[root]
	}
	l.uf = nil // clusters are numbered: the union-find is done
	start := make([]int32, nc+1)
	for _, c := range cluster {
		start[c+1]++
	}
	for c := range nc {
		start[c+1] += start[c]
	}
	members := make([]int32, n) // positions, by cluster, in position order
	fill := slices.Clone(start[:nc])
	for p, c := range cluster {
		members[fill[c]] = int32(p)
		fill[c]++
	}
	l.clusterOf = cluster
	ids := l.assignIDs(start, members)

	// Persons in order of id.
	byID := make([]int32, nc)
	for c := range byID {
		byID[c] = int32(c)
	}
	// Ids are random: their first bytes nearly always decide.
	prefix := make([]uint64, nc)
	for c, id := range ids {
		var b [8]byte
		copy(b[:], id)
		prefix[c] = binary.BigEndian.Uint64(b[:])
	}
	slices.SortFunc(byID, func(a, b int32) int {
		if c := cmp.Compare(prefix[a], prefix[b]); c != 0 {
			return c
		}
		return cmp.Compare(ids[a], ids[b])
	})
	rank := make([]int32, nc)
	indices := make([]int, n)
	persons := make([]Person, nc)
	for r, c := range byID {
		rank[c] = int32(r)
		recs := indices[start[c]:start[c+1]:start[c+1]]
		for i, p := range members[start[c]:start[c+1]] {
			recs[i] = int(l.order[p])
		}
		persons[r] = Person{ID: ids[c], Records: recs}
	}
	person := make([]int32, n)
	for p, c := range cluster {
		person[p] = rank[c]
	}
	for i := range l.links {
		if l.links[i].a > l.links[i].b {
			l.links[i].a, l.links[i].b = l.links[i].b, l.links[i].a
		}
	}
	slices.SortFunc(l.links, func(x, y link) int {
		if c := cmp.Compare(person[x.a], person[y.a]); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	subStart := make([]int32, len(l.subs))
	for p := n - 1; p >= 0; p-- {
		subStart[l.src[p]] = int32(p)
	}
	l.stats.Records, l.stats.Persons = n, int(nc)
	return &Result{
		records: l.recs, order: l.order, subs: l.subs, subStart: subStart,
		person: person, persons: persons, links: l.links, sc: l.sc, retired: l.retired, stats: l.stats,
	}
}

// assignIDs gives each cluster its id: a previous one where Config.Previous
// allows, else one derived from its anchor.
func (l *linker) assignIDs(start, members []int32) []string {
	nc := len(start) - 1
	ids := make([]string, nc)
	var prev *previousIDs // never handed out anew
	var retired []retiredID
	if l.cfg.Previous != nil {
		prev = numberPrevious(l.cfg.Previous)
		retired = l.keepPrevious(ids, start, members, prev)
	}
	// Derived ids, in order of each cluster's earliest record (by period,
	// then position), so that two clusters with one anchor are told apart
	// the same way every time.
	todo := make([]uint64, 0, nc) // period, position of the earliest record
	for c := range int32(nc) {
		if ids[c] != "" {
			continue
		}
		first := members[start[c]]
		for _, p := range members[start[c]+1 : start[c+1]] {
			if l.period[p] < l.period[first] {
				first = p
			}
		}
		todo = append(todo, uint64(l.period[first])<<32|uint64(first))
	}
	slices.Sort(todo)
	// Only an anchor that is a weak key can be two clusters' (a strong key
	// joins every record that has it; a reference is one record's).
	weakAnchors := map[string]int{}
	for _, t := range todo {
		first := int32(uint32(t))
		kind, anchor := l.anchor(first)
		n := 0
		if kind == anchorWeak {
			n = weakAnchors[anchor]
			weakAnchors[anchor]++
		}
		id := l.deriveID(kind, anchor, n)
		for prev.has(id) {
			n++
			id = l.deriveID(kind, anchor, n)
		}
		ids[l.clusterOf[first]] = id
	}
	if l.cfg.Previous != nil {
		l.retired = make(map[string]string, len(retired))
		for _, r := range retired {
			l.retired[r.id] = ids[r.c]
		}
	}
	return ids
}

// Kinds of anchor.
const (
	anchorStrong = "key:"
	anchorWeak   = "weak:"
	anchorRef    = "ref:"
)

// anchor is what a new person's id is derived from: the smallest key of
// a strong variant of its earliest record, else its smallest key of a
// known variant other than a NoDate one (which every namesake shares),
// else its reference.
func (l *linker) anchor(p int32) (kind, anchor string) {
	var strong, weak string
	j := l.keyOff[p]
	for k := range l.rec(p).Victim.Keys.All() {
		i := l.keyVar[j]
		j++
		switch {
		case i == noVariant:
		case l.sc.rules[i].Strong && (strong == "" || k < strong):
			strong = k
		case !l.sc.rules[i].Strong && !l.sc.rules[i].NoDate && (weak == "" || k < weak):
			weak = k
		}
	}
	switch {
	case strong != "":
		return anchorStrong, strong
	case weak != "":
		return anchorWeak, weak
	}
	return anchorRef, l.rec(p).Ref.String()
}

// deriveID is HMAC-SHA256 under the salt of the anchor and, for the
// n-th cluster of one anchor, n.
func (l *linker) deriveID(kind, anchor string, n int) string {
	if l.mac == nil {
		l.mac = hmac.New(sha256.New, l.cfg.Salt)
	}
	l.mac.Reset()
	b := append(l.macBuf[:0], "thbx-person-id/1\x00"...)
	b = append(b, kind...)
	b = append(b, anchor...)
	if n > 0 {
		b = append(b, 0)
		b = strconv.AppendInt(b, int64(n), 10)
	}
	l.macBuf = b
	l.mac.Write(b)
	var sum [sha256.Size]byte
	var out [2 + 16]byte
	copy(out[:], "p_")
	idEncoding.Encode(out[2:], l.mac.Sum(sum[:0])[:idBytes])
	return string(out[:])
}

// previousIDs numbers the distinct ids of Config.Previous, so that
// keepPrevious counts and marks them in slices rather than in maps keyed
// by the ids (a million records hold some 800 000).
type previousIDs struct {
	index map[string]int32
	ids   []string
}

func numberPrevious(a *Assignments) *previousIDs {
	p := &previousIDs{index: make(map[string]int32, a.Len())}
	for _, id := range a.All() {
		if _, ok := p.index[id]; !ok {
			p.index[id] = int32(len(p.ids))
			p.ids = append(p.ids, id)
		}
	}
	return p
}

// has reports whether id is an id of Config.Previous.
func (p *previousIDs) has(id string) bool {
	if p == nil {
		return false
	}
	_, ok := p.index[id]
	return ok
}

// keepPrevious gives clusters the ids their records had: the pairs
// (cluster, previous id) are taken by the number of the cluster's
// records that had the id, most first, each cluster and each id once.
// An id no cluster took, whose records are still here, is retired in
// favour of the person that holds most of them.
func (l *linker) keepPrevious(ids []string, start, members []int32, prev *previousIDs) []retiredID {
	type vote struct{ c, id, count int32 }
	var votes []vote
	var had []int32 // the previous ids of one cluster's records
	for c := range int32(len(ids)) {
		had = had[:0]
		for _, p := range members[start[c]:start[c+1]] {
			if id, ok := l.cfg.Previous.Get(l.rec(p).Ref); ok {
				had = append(had, prev.index[id])
			}
		}
		slices.Sort(had)
		for i := 0; i < len(had); {
			j := i + 1
			for j < len(had) && had[j] == had[i] {
				j++
			}
			votes = append(votes, vote{c, had[i], int32(j - i)})
			i = j
		}
	}
	slices.SortFunc(votes, func(x, y vote) int {
		if c := cmp.Compare(y.count, x.count); c != 0 {
			return c
		}
		if c := cmp.Compare(prev.ids[x.id], prev.ids[y.id]); c != 0 {
			return c
		}
		return cmp.Compare(x.c, y.c)
	})
	took := make([]bool, len(prev.ids))
	winner := make([]int32, len(prev.ids)) // id → the cluster holding most of its records
	for i := range winner {
		winner[i] = -1
	}
	for _, v := range votes {
		if winner[v.id] < 0 {
			winner[v.id] = v.c
		}
		if ids[v.c] == "" && !took[v.id] {
			ids[v.c] = prev.ids[v.id]
			took[v.id] = true
			l.stats.IDsKept++
		}
	}
	var retired []retiredID
	for id, c := range winner {
		if c >= 0 && !took[id] {
			retired = append(retired, retiredID{prev.ids[id], c})
		}
	}
	return retired
}

// retiredID is a previous id no person kept, and the cluster holding
// most of its records.
type retiredID struct {
	id string
	c  int32
}
