package bench

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/thbx/thbx/submission/schema"
)

// Records makes victims/1 records that look like a partner's export: the
// code lists with skewed frequencies, optional fields often left out, and
// one to three keyed linkage keys, which are random and so do not
// compress. The same seed gives the same records.
type Records struct {
	rnd *rand.Rand
	buf []byte
}

// NewRecords returns a generator seeded with seed.
func NewRecords(seed uint64) *Records {
	return &Records{rnd: rand.New(rand.NewPCG(seed, 0x7468627862656e63))}
}

// choice is one value of a code list with its relative frequency.
type choice struct {
	value  string
	weight int
}

func pick(rnd *rand.Rand, list []choice) string {
	total := 0
	for _, c := range list {
		total += c.weight
	}
	n := rnd.IntN(total)
	for _, c := range list {
		if n < c.weight {
			return c.value
		}
		n -= c.weight
	}
	return list[len(list)-1].value
}

var (
	// The source's own wording, next to the status it maps to.
	statusSources = map[string][]string{
		"possible":   {"presumed victim", "possible victim", "suspected victim of trafficking", "referred by NGO, not yet assessed"},
		"actual":     {"identified victim", "victim (criminal proceedings)", "confirmed by court decision", "recognised victim, residence permit granted"},
		"not_victim": {"not a victim after assessment", "case closed, no indicators"},
	}
	statuses     = []choice{{"possible", 55}, {"actual", 40}, {"not_victim", 5}}
	sexes        = []choice{{"F", 68}, {"M", 30}, {"U", 2}}
	citizenships = []choice{{"CZ", 30}, {"UA", 14}, {"RO", 9}, {"SK", 8}, {"VN", 7}, {"BG", 6}, {"NG", 5},
		{"PH", 4}, {"MN", 3}, {"CN", 3}, {"TH", 2}, {"MD", 2}, {"BY", 2}, {"RU", 1}, {"UZ", 1}, {"XX", 3}}
	exploitation = []choice{{"sexual", 45}, {"labour", 35}, {"begging", 4}, {"criminal", 6}, {"forced_marriage", 3},
		{"servitude", 2}, {"benefit_fraud", 2}, {"organ_removal", 1}, {"illegal_adoption", 1}, {"surrogacy", 1}, {"other", 2}}
)

// Next returns the next record.
func (r *Records) Next() schema.Victim {
	rnd := r.rnd
	v := schema.Victim{Status: pick(rnd, statuses), Sex: pick(rnd, sexes), Citizenship: pick(rnd, citizenships)}
	if rnd.IntN(10) < 8 {
		src := statusSources[v.Status]
		v.StatusSource = src[rnd.IntN(len(src))]
	}
	if rnd.IntN(10) < 7 {
		v.DecidedBy = schema.Deciders[rnd.IntN(len(schema.Deciders))]
	}
	year := 2019 + rnd.IntN(7)
	v.AgeGroup = "unknown"
	if rnd.IntN(10) < 9 {
		v.BirthYear = year - 8 - rnd.IntN(55)
		v.AgeGroup = "adult"
		if year-v.BirthYear < 18 {
			v.AgeGroup = "child"
		}
	}
	v.Exploitation = []string{pick(rnd, exploitation)}
	if e := pick(rnd, exploitation); rnd.IntN(4) == 0 && e != v.Exploitation[0] {
		v.Exploitation = append(v.Exploitation, e)
	}
	switch rnd.IntN(10) {
	case 0:
		v.IdentifiedOn = fmt.Sprintf("%d", year)
	case 1, 2:
		v.IdentifiedOn = fmt.Sprintf("%d-%02d", year, 1+rnd.IntN(12))
	default:
		v.IdentifiedOn = fmt.Sprintf("%d-%02d-%02d", year, 1+rnd.IntN(12), 1+rnd.IntN(28))
	}
	for range 1 + rnd.IntN(3) {
		var key [32]byte // an HMAC-SHA256 output in real life
		for i := 0; i < len(key); i += 8 {
			binary.LittleEndian.PutUint64(key[i:], rnd.Uint64())
		}
		v.LinkageKeys = append(v.LinkageKeys, base64.RawURLEncoding.EncodeToString(key[:]))
	}
	return v
}

// NextLine returns the next record as one line of JSON without its
// newline. The slice is reused by the next call.
func (r *Records) NextLine() []byte {
	b, err := json.Marshal(r.Next())
	if err != nil {
		panic(err) // a Victim always marshals
	}
	r.buf = append(r.buf[:0], b...)
	return r.buf
}

// WritePayload writes records, a line each, until the next line would
// take the output past size bytes. It returns the bytes and records
// written.
func WritePayload(w io.Writer, seed uint64, size int64) (n, records int64, err error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	g := NewRecords(seed)
	for {
		line := g.NextLine()
		if n+int64(len(line))+1 > size {
			break
		}
		bw.Write(line)
		bw.WriteByte('\n')
		n += int64(len(line)) + 1
		records++
	}
	return n, records, bw.Flush()
}
