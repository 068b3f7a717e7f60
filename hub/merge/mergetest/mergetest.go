// Package mergetest makes victims/1 records with linkage keys for the
// tests and benchmarks of hub/merge, at any volume and fast: keys are
// synthesised directly from invented persons' name and birth-date ids
// rather than computed from names, so a million records take seconds.
//
// The records look like what partners send: persons reported by one
// source and often by a second or third, some again in a later period;
// names drawn from skewed tables, so that namesakes occur; and noise
// that drops or alters key variants as agent/anon's keys meet it (a
// typo in a name, a missing or partial birth date, day and month
// swapped, names in the other order, unknown sex or citizenship). The
// keys are not HMACs and the Bloom encodings are not agent/anon's
// filters, but they collide, agree and differ as those do.
package mergetest

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/submission/schema"
)

// Config says what to generate; zero values mean the defaults.
type Config struct {
	Records  int      // default 10 000
	Partners int      // default 20
	Periods  []string // default 2019 to 2023
	Seed     uint64
	// BloomShare is the share of partners that send Bloom encodings.
	BloomShare float64
	// Noise scales every noise rate; 0 means 1, -1 means none.
	Noise float64
}

// Data is what Generate makes.
type Data struct {
	Records []merge.Record
	// Person numbers each record's person, record by record.
	Person []int32
	// Persons is the number of distinct persons in Records.
	Persons int
}

// Truth names each record's person, as merge.PairQuality takes it.
func (d *Data) Truth() map[merge.RecordRef]string {
	m := make(map[merge.RecordRef]string, len(d.Records))
	for i, r := range d.Records {
		m[r.Ref] = "P" + strconv.Itoa(int(d.Person[i]))
	}
	return m
}

// Noise rates per record, at Noise 1: about what agent/synth's partners
// show.
const (
	pSurnameTypo = 0.03
	pGivenTypo   = 0.03
	pNoBirthDate = 0.06
	pYearOnly    = 0.03
	pDayMonth    = 0.03
	pNamesSwap   = 0.02
	pNoSex       = 0.03
	pNoCit       = 0.03
	pSecond      = 0.2  // a second source in a period
	pThird       = 0.25 // given a second, a third
	pAgain       = 0.1  // reported again in the next period
)

var categories = []string{"police", "ngo", "ngo", "ngo", "iom", "victim-assistance", "embassy", "labour-inspectorate"}

var citizenships = []struct {
	code string
	w    float64
}{{"CZ", 30}, {"UA", 20}, {"VN", 12}, {"RO", 8}, {"SK", 6}, {"BG", 5}, {"NG", 4}, {"PH", 4}, {"MN", 3}, {"XX", 2},
	{"DE", 1}, {"PL", 2}, {"MD", 2}, {"RU", 1}}

var regions = []string{"CZ010", "CZ020", "CZ031", "CZ032", "CZ041", "CZ042", "CZ051", "CZ052", "CZ053", "CZ063",
	"CZ064", "CZ071", "CZ072", "CZ080"}

var forms = []string{"sexual", "labour", "labour", "sexual", "begging", "criminal", "forced_marriage", "servitude"}

var statuses = []string{"possible", "possible", "actual", "not_victim"}

// person is an invented person: ids stand for names.
type person struct {
	surname, given uint32
	female         bool
	y, m, d        int
	cit            string
	region         string
	form           string
	status         string
}

// Generate makes the records of cfg.
func Generate(cfg Config) *Data {
	if cfg.Records <= 0 {
		cfg.Records = 10_000
	}
	if cfg.Partners <= 0 {
		cfg.Partners = 20
	}
	if cfg.Periods == nil {
		cfg.Periods = []string{"2019", "2020", "2021", "2022", "2023"}
	}
	noise := cfg.Noise
	switch {
	case noise == 0:
		noise = 1
	case noise < 0:
		noise = 0
	}
	g := &gen{cfg: cfg, noise: noise, r: rand.New(rand.NewPCG(cfg.Seed, 0x6d65726765)), d: &Data{}}
	g.surnames = newZipf(g.r, 0.9, max(200, cfg.Records/10))
	g.givens = newZipf(g.r, 1.0, max(50, cfg.Records/100))
	g.seq = make([]int64, cfg.Partners*len(cfg.Periods))
	g.names = make([][2]string, len(g.seq))
	for pt := range cfg.Partners {
		for i, per := range cfg.Periods {
			partner := fmt.Sprintf("partner-%02d", pt)
			g.names[pt*len(cfg.Periods)+i] = [2]string{partner, partner + "-" + per}
		}
	}
	g.days = map[[2]int]string{}
	g.bloom = make([]bool, cfg.Partners)
	for i := range g.bloom {
		g.bloom[i] = float64(i) < cfg.BloomShare*float64(cfg.Partners)
	}
	g.d.Records = make([]merge.Record, 0, cfg.Records+cfg.Records/10)
	g.d.Person = make([]int32, 0, cap(g.d.Records))
	for id := 0; len(g.d.Records) < cfg.Records; id++ {
		g.person(id)
	}
	// The last person's records may overshoot.
	g.d.Records, g.d.Person = g.d.Records[:cfg.Records], g.d.Person[:cfg.Records]
	g.d.Persons = int(g.d.Person[cfg.Records-1]) + 1
	return g.d
}

type gen struct {
	cfg      Config
	noise    float64
	r        *rand.Rand
	d        *Data
	surnames *zipf
	givens   *zipf
	seq      []int64     // partner × period → records so far
	names    [][2]string // partner × period → partner, submission
	days     map[[2]int]string
	bloom    []bool // partner → sends Bloom encodings
	fresh    uint32 // ids for misspelt names, which meet nothing
	buf      []byte
}

func (g *gen) person(id int) {
	r := g.r
	p := person{surname: uint32(g.surnames.draw()), given: uint32(g.givens.draw()), female: r.Float64() < 0.63,
		y: 1955 + r.IntN(56), m: 1 + r.IntN(12), d: 1 + r.IntN(28),
		region: regions[r.IntN(len(regions))], form: forms[r.IntN(len(forms))], status: statuses[r.IntN(len(statuses))]}
	p.cit = pickCitizenship(r)
	if p.female {
		p.given += 1 << 20 // women's given names are another table
	}
	pid := int32(id)
	period := r.IntN(len(g.cfg.Periods))
	for {
		partners := []int{r.IntN(g.cfg.Partners)}
		if r.Float64() < pSecond {
			partners = append(partners, r.IntN(g.cfg.Partners))
			if r.Float64() < pThird {
				partners = append(partners, r.IntN(g.cfg.Partners))
			}
		}
		slices.Sort(partners)
		partners = slices.Compact(partners)
		day := r.IntN(365)
		for _, pt := range partners {
			g.record(&p, pid, pt, period, day+r.IntN(60))
		}
		if period+1 >= len(g.cfg.Periods) || r.Float64() >= pAgain {
			break
		}
		period++
	}
}

func pickCitizenship(r *rand.Rand) string {
	total := 0.0
	for _, c := range citizenships {
		total += c.w
	}
	x := r.Float64() * total
	for _, c := range citizenships {
		if x -= c.w; x < 0 {
			return c.code
		}
	}
	return "XX"
}

// record writes one partner's record of a person, with noise.
func (g *gen) record(p *person, pid int32, partner, period, day int) {
	r := g.r
	chance := func(q float64) bool { return r.Float64() < q*g.noise }
	sur, giv := p.surname, p.given
	surTypo, givTypo := chance(pSurnameTypo), chance(pGivenTypo)
	if surTypo {
		g.fresh++
		sur = 1<<31 | g.fresh
	}
	if givTypo {
		g.fresh++
		giv = 1<<31 | g.fresh
	}
	y, m, d := p.y, p.m, p.d
	switch {
	case chance(pNoBirthDate):
		y, m, d = 0, 0, 0
	case chance(pYearOnly):
		m, d = 0, 0
	case chance(pDayMonth) && d <= 12 && d != m:
		m, d = d, m
	}
	swapped := chance(pNamesSwap)
	sex := "F"
	if !p.female {
		sex = "M"
	}
	if chance(pNoSex) {
		sex = "U"
	}
	cit := p.cit
	if chance(pNoCit) {
		cit = "XX"
	}
	per := g.cfg.Periods[period]
	s := partner*len(g.cfg.Periods) + period
	g.seq[s]++
	ref := merge.RecordRef{Partner: g.names[s][0], Submission: g.names[s][1], N: g.seq[s]}
	v := schema.Victim{Status: p.status, Sex: sex, Citizenship: cit, BirthYear: y, AgeGroup: "adult",
		Exploitation: []string{p.form}, Region: p.region}
	if y != 0 {
		if ident, _ := strconv.Atoi(per); ident-y < 18 {
			v.AgeGroup = "child"
		}
	} else {
		v.AgeGroup = "unknown"
	}
	if r.Float64() < 0.3 {
		v.Region = ""
	}
	if v.IdentifiedOn = g.days[[2]int{period, day}]; v.IdentifiedOn == "" {
		v.IdentifiedOn = identified(per, day)
		g.days[[2]int{period, day}] = v.IdentifiedOn
	}
	v.LinkageKeys = g.keys(sur, giv, swapped, y, m, d, sex, cit)
	if g.bloom[partner] {
		v.Bloom = bloom(p.surname, p.given, surTypo, givTypo, g.fresh, swapped, y, m, d)
	}
	g.d.Records = append(g.d.Records, merge.Record{Ref: ref, Category: categories[partner%len(categories)],
		Period: per, Victim: merge.VictimOf(&v)})
	g.d.Person = append(g.d.Person, pid)
}

func identified(period string, day int) string {
	y, err := strconv.Atoi(period)
	if err != nil {
		return ""
	}
	m := 1 + min(day, 364)/31
	return fmt.Sprintf("%04d-%02d-%02d", y, min(m, 12), 1+day%28)
}

// keys makes the key variants a record has, as agent/anon's Keys would:
// each one a hash of the fields it keys, all in one string.
func (g *gen) keys(sur, giv uint32, swapped bool, y, m, d int, sex, cit string) []string {
	s, gv := sur, giv
	if swapped {
		s, gv = giv, sur
	}
	lo, hi := min(s, gv), max(s, gv) // h1: the name words in any order
	sx := uint64(0)
	switch sex {
	case "F":
		sx = 1
	case "M":
		sx = 2
	}
	ct := uint64(0)
	if cit != "XX" {
		ct = uint64(cit[0])<<8 | uint64(cit[1])
	}
	full := y != 0 && m != 0 && d != 0
	b := g.buf[:0]
	var spans [][2]int
	add := func(code string, fields ...uint64) {
		start := len(b)
		b = append(b, code...)
		b = append(b, '_')
		h1, h2 := hash(code, fields)
		var raw [16]byte
		binary.BigEndian.PutUint64(raw[:8], h1)
		binary.BigEndian.PutUint64(raw[8:], h2)
		b = base64.RawURLEncoding.AppendEncode(b, raw[:])
		spans = append(spans, [2]int{start, len(b)})
	}
	Y, M, D := uint64(y), uint64(m), uint64(d)
	if full {
		add("a1", uint64(s), uint64(gv), Y, M, D)
		if d <= 12 && d != m {
			add("a2", uint64(s), uint64(gv), Y, uint64(min(m, d)), uint64(max(m, d)))
		}
		add("b1", uint64(s), Y, M, D)
		if sx != 0 {
			add("c1", uint64(gv), Y, M, D, sx)
		}
	}
	if y != 0 && ct != 0 {
		add("d1", uint64(s), uint64(gv), Y, ct)
	}
	if full {
		add("e1", uint64(s), uint64(gv), M, D)
		add("f1", uint64(s), uint64(gv), Y, M)
		add("g1", uint64(s), uint64(gv), Y, D)
		add("h1", uint64(lo), uint64(hi), Y, M, D)
		if d <= 12 && d != m {
			add("h2", uint64(lo), uint64(hi), Y, uint64(min(m, d)), uint64(max(m, d)))
		}
		// h3 keys the names without their vowels, which ids do not
		// have: it agrees where h1 does.
		add("h3", uint64(lo), uint64(hi), Y, M, D)
	}
	if y != 0 {
		add("d2", uint64(lo), uint64(hi), Y)
	}
	add("d3", uint64(lo), uint64(hi))
	g.buf = b
	all := string(b) // one allocation for the record's keys
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = all[sp[0]:sp[1]]
	}
	return out
}

// hash is a 128-bit mix of a variant code and its fields (SplitMix64
// rounds): not keyed, but as collision-free as an HMAC for this use.
func hash(code string, fields []uint64) (uint64, uint64) {
	h1, h2 := uint64(0x9e3779b97f4a7c15), uint64(0xbf58476d1ce4e5b9)
	for i := 0; i < len(code); i++ {
		h1, h2 = mix(h1^uint64(code[i])), mix(h2+uint64(code[i]))
	}
	for _, f := range fields {
		h1, h2 = mix(h1^f), mix(h2+f*0x94d049bb133111eb)
	}
	return h1, mix(h2 ^ h1)
}

func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// bloom makes a 1024-bit encoding: bits drawn from each name id and the
// date, so that records alike in them are alike in bits; a typo redraws a
// fifth of a name's bits, as a changed letter changes two bigrams of ten.
func bloom(sur, giv uint32, surTypo, givTypo bool, fresh uint32, swapped bool, y, m, d int) string {
	var f [16]uint64
	set := func(seed uint64, n int, typo bool) {
		r := rand.New(rand.NewPCG(seed, 0x626c6f6f6d))
		other := rand.New(rand.NewPCG(seed, uint64(fresh)))
		for i := range n {
			b := r.IntN(1024)
			if typo && i%5 == 0 {
				b = other.IntN(1024)
			}
			f[b/64] |= 1 << (b % 64)
		}
	}
	// The fields are kept apart as agent/anon's are: swapped names set
	// other bits.
	sf, gf := uint64(0), uint64(1)
	if swapped {
		sf, gf = gf, sf
	}
	set(uint64(sur)<<2|sf, 120, surTypo)
	set(uint64(giv)<<2|gf, 90, givTypo)
	if y != 0 {
		set(uint64(y)<<32|uint64(m)<<16|uint64(d)|1<<62, 150, false)
	}
	var raw [128]byte
	for i, w := range f {
		binary.BigEndian.PutUint64(raw[8*i:], w)
	}
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// zipf draws ids 0..n-1 with probability falling as a power of the rank:
// a few names are common, most rare, as in a population.
type zipf struct {
	r   *rand.Rand
	cdf []float64
}

func newZipf(r *rand.Rand, s float64, n int) *zipf {
	z := &zipf{r: r, cdf: make([]float64, n)}
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), s)
		z.cdf[i] = total
	}
	for i := range z.cdf {
		z.cdf[i] /= total
	}
	return z
}

func (z *zipf) draw() int {
	i, _ := slices.BinarySearch(z.cdf, z.r.Float64())
	return min(i, len(z.cdf)-1)
}

// Victim returns a record as the victims/1 record a partner would have
// sent: the generator sets no field that merge.Victim leaves out.
func Victim(r merge.Record) schema.Victim {
	v := r.Victim
	return schema.Victim{Status: v.Status, Sex: v.Sex, BirthYear: v.BirthYear, AgeGroup: v.AgeGroup, AgeBand: v.AgeBand,
		Citizenship: v.Citizenship, Region: v.Region, IdentifiedOn: v.IdentifiedOn, Exploitation: v.Exploitation,
		LinkageKeys: v.Keys.List(), Bloom: v.Bloom}
}
