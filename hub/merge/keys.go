package merge

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Keys are handled by a 64-bit hash: the passes over one variant each
// then touch neither the records nor the keys' bytes, except to confirm
// that two keys of one hash are the same key.

// variantOf returns the variant code of a key: what comes before "_".
func variantOf(key string) string {
	i := strings.IndexByte(key, '_')
	if i <= 0 || i > maxVariantLen {
		return ""
	}
	return key[:i]
}

// noVariant marks a key of no known variant.
const noVariant = 255

// maxKeysLen bounds a record's Keys, so that an offset into them fits
// in 16 bits.
const maxKeysLen = math.MaxUint16

// indexVariants notes the variant, hash and place of every key, once,
// on every processor.
func (l *linker) indexVariants() error {
	n := len(l.recs)
	l.keyOff = make([]int32, n+1)
	total := 0
	for p := range n {
		r := l.rec(int32(p))
		if len(r.Victim.Keys) > maxKeysLen {
			return fmt.Errorf("record %s: linkage keys of %d bytes, at most %d (victims/1 allows 64 keys of 128 characters)",
				r.Ref, len(r.Victim.Keys), maxKeysLen)
		}
		for range r.Victim.Keys.All() {
			total++
		}
		if total >= math.MaxInt32 {
			return fmt.Errorf("%w: more linkage keys than one merge handles", ErrConfig)
		}
		l.keyOff[p+1] = int32(total)
	}
	l.keyVar = make([]uint8, total)
	l.keyHash = make([]uint64, total)
	l.keyAt = make([]uint16, total)
	l.keyLen = make([]uint8, total)
	seed := maphash.MakeSeed()
	parallel(n, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			j := int(l.keyOff[p])
			for at, k := range l.rec(int32(p)).Victim.Keys.placed() {
				v := uint8(noVariant)
				if i, ok := l.sc.index[variantOf(k)]; ok {
					v = uint8(i)
				}
				l.keyVar[j] = v
				l.keyHash[j] = maphash.String(seed, k)
				l.keyAt[j] = uint16(at)
				l.keyLen[j] = uint8(min(len(k), math.MaxUint8))
				j++
			}
		}
	})
	return nil
}

// key returns key j (an index into keyVar) of the record at p.
func (l *linker) key(p, j int32) string {
	s := string(l.rec(p).Victim.Keys)[l.keyAt[j]:]
	if n := int(l.keyLen[j]); n < math.MaxUint8 {
		return s[:n]
	}
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	return s
}

// variantsAt returns the variants of which the record at p has a key.
func (l *linker) variantsAt(p int32) uint64 {
	var m uint64
	for j := l.keyOff[p]; j < l.keyOff[p+1]; j++ {
		if v := l.keyVar[j]; v < 64 {
			m |= 1 << v
		}
	}
	return m
}

// sharedAt returns the variants of which the records at p and q have the
// same key, by hash: a collision of 64-bit hashes is taken for a shared
// key, which only a veto check does.
func (l *linker) sharedAt(p, q int32) uint64 { return l.shared(p, q, false) }

// sharedExact returns the variants of which the records at p and q have
// the same key: sharedAt, each match of hashes confirmed.
func (l *linker) sharedExact(p, q int32) uint64 { return l.shared(p, q, true) }

func (l *linker) shared(p, q int32, exact bool) uint64 {
	var m uint64
	for i := l.keyOff[p]; i < l.keyOff[p+1]; i++ {
		v := l.keyVar[i]
		if v >= 64 || m&(1<<v) != 0 {
			continue
		}
		for j := l.keyOff[q]; j < l.keyOff[q+1]; j++ {
			if l.keyVar[j] == v && l.keyHash[j] == l.keyHash[i] && (!exact || l.sameKey(p, i, q, j)) {
				m |= 1 << v
				break
			}
		}
	}
	return m
}

// parallel runs fn over [0, n) in as many ranges as there are
// processors.
func parallel(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), 1+n/10_000)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { fn(w*n/workers, (w+1)*n/workers) })
	}
	wg.Wait()
}

// keysOf calls fn with the index (into keyVar) and hash of each key of
// variant vi of the record at p.
func (l *linker) keysOf(p int32, vi uint8, fn func(j int32, h uint64)) {
	for j := l.keyOff[p]; j < l.keyOff[p+1]; j++ {
		if l.keyVar[j] == vi {
			fn(j, l.keyHash[j])
		}
	}
}

// keysOfVariant counts the keys of variant vi.
func (l *linker) keysOfVariant(vi uint8) int {
	n := 0
	for _, v := range l.keyVar {
		if v == vi {
			n++
		}
	}
	return n
}

// sameKey reports whether keys i of the record at p and j of the one at q
// are the same, their hashes being equal.
func (l *linker) sameKey(p, i, q, j int32) bool {
	return l.key(p, i) == l.key(q, j)
}

// occurrence is a key of a record: its position and its key index.
type occurrence struct{ pos, key int32 }

// linkStrong joins every two records sharing a key of a strong variant.
// One variant at a time keeps a single variant's keys in memory. Two
// different keys of one hash (one chance in 10^7 among a billion keys)
// leave the second unlinked rather than join the wrong records.
func (l *linker) linkStrong(first map[uint64]occurrence, vi uint8) {
	clear(first)
	for p := range int32(len(l.recs)) {
		l.keysOf(p, vi, func(j int32, h uint64) {
			f, ok := first[h]
			if !ok {
				first[h] = occurrence{p, j}
				return
			}
			if f.pos == p || !l.sameKey(f.pos, f.key, p, j) {
				return
			}
			a, b := l.uf.find(f.pos), l.uf.find(p)
			if a != b {
				l.uf.union(a, b)
				l.links = append(l.links, link{a: f.pos, b: p, rule: ruleStrong})
				l.stats.StrongLinks++
			}
		})
	}
}

// weakCandidates adds the pairs sharing a key of one weak variant, each
// record paired with at most MaxCandidates earlier records of the key.
func (l *linker) weakCandidates(last map[uint64]occurrence, cands []uint64, vi uint8) []uint64 {
	clear(last)
	// The buffers are the linker's, reused from variant to variant.
	n := l.keysOfVariant(vi)
	occ := slices.Grow(l.occBuf[:0], n)   // the variant's keys, in position order
	prev := slices.Grow(l.prevBuf[:0], n) // for each, the one before with the same key, or -1
	defer func() { l.occBuf, l.prevBuf = occ, prev }()
	for p := range int32(len(l.recs)) {
		l.keysOf(p, vi, func(j int32, h uint64) {
			// last maps a hash to its latest occurrence: position and
			// index into occ.
			head, ok := last[h]
			before := int32(-1)
			if ok {
				if head.pos == p || !l.sameKey(head.pos, occ[head.key].key, p, j) {
					return // the key twice in one record, or a hash collision
				}
				before = head.key
			}
			last[h] = occurrence{p, int32(len(occ))}
			occ = append(occ, occurrence{p, j})
			prev = append(prev, before)
			rp := l.uf.find(p)
			o, n := before, 0
			for ; o >= 0 && n < l.cfg.MaxCandidates; o, n = prev[o], n+1 {
				if q := occ[o].pos; l.uf.find(q) != rp {
					cands = append(cands, pair(q, p))
				}
			}
			if o >= 0 {
				l.stats.Truncated++
			}
		})
	}
	return cands
}

// undatedCandidates adds the pairs sharing a key of a NoDate variant of
// which one record gives no birth year: each such record with the
// MaxCandidates records of its key nearest to it in time of
// identification (half before, half after).
func (l *linker) undatedCandidates(cands []uint64, vi uint8) []uint64 {
	type occ struct {
		h   uint64
		t   int64 // period, then day of identification
		pos int32
		key int32
	}
	occs := make([]occ, 0, l.keysOfVariant(vi))
	for p := range int32(len(l.recs)) {
		l.keysOf(p, vi, func(j int32, h uint64) {
			a := &l.attrs[p]
			occs = append(occs, occ{h, int64(a.period)<<32 | int64(uint32(a.day)^1<<31), p, j})
		})
	}
	slices.SortFunc(occs, func(x, y occ) int {
		if c := cmp.Compare(x.h, y.h); c != 0 {
			return c
		}
		if c := cmp.Compare(x.t, y.t); c != 0 {
			return c
		}
		return cmp.Compare(x.pos, y.pos)
	})
	side := max(1, l.cfg.MaxCandidates/2)
	freq := &keyFrequency{count: make([]int32, len(l.recs))}
	var sum2 float64
	for lo := 0; lo < len(occs); {
		hi := lo + 1
		for hi < len(occs) && occs[hi].h == occs[lo].h {
			hi++
		}
		for i := lo; i < hi; i++ {
			freq.count[occs[i].pos] = int32(hi - lo)
		}
		sum2 += float64(hi-lo) * float64(hi-lo)
		for i := lo; i < hi; i++ {
			p := occs[i].pos
			if l.attrs[p].year != 0 {
				continue
			}
			rp := l.uf.find(p)
			from, to := max(lo, i-side), min(hi, i+side+1)
			if from > lo || to < hi {
				l.stats.Truncated++
			}
			for j := from; j < to; j++ {
				q := occs[j].pos
				if j == i || q == p || (l.attrs[q].year == 0 && j < i) {
					continue // a pair of two undated records is added once, from the later
				}
				if l.uf.find(q) != rp && !l.ruledOut(p, q) && l.sameKey(p, occs[i].key, q, occs[j].key) {
					cands = append(cands, pair(p, q))
				}
			}
		}
		lo = hi
	}
	if len(occs) > 0 {
		freq.mean = sum2 / float64(len(occs))
	}
	l.sc.names[vi] = freq
	return cands
}

// ruledOut reports whether the attributes of the records at p and q
// alone rule them out (a veto that needs no keys): most of the records
// one name key joins are of another sex, citizenship or age group, and
// are not worth weighing.
func (l *linker) ruledOut(p, q int32) bool {
	x, y := &l.attrs[p], &l.attrs[q]
	return x.sex != 0 && y.sex != 0 && x.sex != y.sex ||
		x.cit != [2]byte{} && y.cit != [2]byte{} && x.cit != y.cit ||
		x.year != 0 && y.year != 0 && x.year != y.year ||
		x.period == y.period && x.group != 0 && y.group != 0 && x.group != y.group
}
