package merge

import (
	"cmp"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Fuzzy matching compares the Bloom encodings of records that share no
// key, within blocks: records of one birth year and sex, and for a
// record without a birth year those of its period, citizenship and sex.
// A block larger than Config.MaxBlock is split by locality-sensitive
// hashing: lshBands times, records that agree on lshBits sampled bits
// of their encodings are compared. Two encodings of one person (Dice
// 0.9, some 35 of 1024 bits different) agree on 12 sampled bits with
// probability 0.66, so 8 bands miss such a pair one time in 5000; two
// unrelated ones (Dice 0.4) agree one time in 500 per band.
const (
	lshBands = 8
	lshBits  = 12
)

// lshPositions are the sampled bit positions, band after band: fixed, so
// that a merge is reproducible.
var lshPositions = func() []int {
	r := rand.New(rand.NewPCG(0x7468_6278, 0x6d65_7267)) // "thbx", "merg"
	return r.Perm(bloomWords * 64)[:lshBands*lshBits]
}()

// blockMember is a record in a block.
type blockMember struct {
	block uint64
	pos   int32
}

// fuzzyCandidates adds the pairs of records with encodings, in one
// block, in different clusters and at least FuzzyDice alike.
func (l *linker) fuzzyCandidates(cands []uint64) []uint64 {
	if l.blooms == nil {
		return cands
	}
	var ms []blockMember
	for p := range int32(len(l.recs)) {
		if l.bloomOf[p] < 0 {
			continue
		}
		a := &l.attrs[p]
		if a.year != 0 {
			ms = append(ms, blockMember{uint64(uint16(a.year))<<2 | uint64(a.sex), p})
		}
		// The period block: bit 63 keeps it apart from year blocks.
		ms = append(ms, blockMember{1<<63 | uint64(a.period)<<24 | uint64(a.cit[0])<<16 | uint64(a.cit[1])<<8 | uint64(a.sex), p})
	}
	slices.SortFunc(ms, func(x, y blockMember) int {
		if c := cmp.Compare(x.block, y.block); c != 0 {
			return c
		}
		return cmp.Compare(x.pos, y.pos)
	})
	// Blocks are compared on every processor, against a snapshot of the
	// clusters (find compresses paths: it writes).
	type span struct{ lo, hi int }
	var blocks []span
	for i := 0; i < len(ms); {
		j := i
		for j < len(ms) && ms[j].block == ms[i].block {
			j++
		}
		if j-i > 1 {
			blocks = append(blocks, span{i, j})
		}
		i = j
	}
	roots := make([]int32, len(l.recs))
	for p := range roots {
		roots[p] = l.uf.find(int32(p))
	}
	workers := min(runtime.GOMAXPROCS(0), 1+len(blocks)/16)
	found := make([][]uint64, workers)
	truncated := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			b := blockComparer{l: l, roots: roots}
			for k := w; k < len(blocks); k += workers {
				group := b.group[:0]
				for _, m := range ms[blocks[k].lo:blocks[k].hi] {
					group = append(group, m.pos)
				}
				b.group = group
				yearless := ms[blocks[k].lo].block&(1<<63) != 0
				if !yearless || l.anyYearless(group) {
					b.compareBlock(group, yearless)
				}
			}
			found[w], truncated[w] = b.cands, b.truncated
		})
	}
	wg.Wait()
	for w := range workers {
		cands = append(cands, found[w]...)
		l.stats.Truncated += truncated[w]
	}
	return cands
}

// blockComparer compares the blocks one worker was given.
type blockComparer struct {
	l         *linker
	roots     []int32
	group     []int32
	bucket    []int32
	sigs      []signed
	cands     []uint64
	truncated int
}

// signed is a record and its signature in one band.
type signed struct {
	sig uint32
	pos int32
}

func (l *linker) anyYearless(group []int32) bool {
	for _, p := range group {
		if l.attrs[p].year == 0 {
			return true
		}
	}
	return false
}

// compareBlock adds the candidates of one block, splitting it if large.
// In a period block only pairs with a record without a birth year are
// compared: the others met in their year blocks.
func (b *blockComparer) compareBlock(group []int32, yearless bool) {
	l := b.l
	if len(group) <= l.cfg.MaxBlock {
		b.comparePairs(group, yearless)
		return
	}
	sigs := slices.Grow(b.sigs[:0], len(group))[:len(group)]
	b.sigs = sigs
	for band := range lshBands {
		bits := lshPositions[band*lshBits : (band+1)*lshBits]
		for i, p := range group {
			f := l.bloom(p)
			var sig uint32
			for _, b := range bits {
				sig = sig<<1 | uint32(f[b/64]>>(b%64)&1)
			}
			sigs[i] = signed{sig, p}
		}
		slices.SortFunc(sigs, func(x, y signed) int {
			if c := cmp.Compare(x.sig, y.sig); c != 0 {
				return c
			}
			return cmp.Compare(x.pos, y.pos)
		})
		for i := 0; i < len(sigs); {
			j := i
			bucket := b.bucket[:0]
			for ; j < len(sigs) && sigs[j].sig == sigs[i].sig; j++ {
				bucket = append(bucket, sigs[j].pos)
			}
			b.bucket = bucket
			if len(bucket) > l.cfg.MaxBlock {
				b.truncated++
				bucket = bucket[:l.cfg.MaxBlock]
			}
			if len(bucket) > 1 {
				b.comparePairs(bucket, yearless)
			}
			i = j
		}
	}
}

// comparePairs adds every pair of a small group that is alike enough.
func (b *blockComparer) comparePairs(group []int32, yearless bool) {
	l, minDice := b.l, b.l.cfg.FuzzyDice
	for i, x := range group {
		fx, rx := l.bloom(x), b.roots[x]
		for _, y := range group[i+1:] {
			if yearless && l.attrs[x].year != 0 && l.attrs[y].year != 0 {
				continue
			}
			if b.roots[y] != rx && dice(fx, l.bloom(y)) >= minDice {
				b.cands = append(b.cands, pair(x, y))
			}
		}
	}
}
