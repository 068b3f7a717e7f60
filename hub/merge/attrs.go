package merge

import (
	"encoding/base64"
	"encoding/binary"
	"math/bits"
	"time"

	"github.com/thbx/thbx/submission/schema"
)

// attrs is what scoring weighs of a record, in a few bytes: a million
// records are compared millions of times.
type attrs struct {
	sex    uint8 // 0 unknown, 1 F, 2 M
	group  uint8 // age group: 0 unknown, 1 child, 2 adult
	cit    [2]byte
	year   int16  // birth year, 0 unknown
	forms  uint32 // bit i: ExploitationList.Codes[i]
	day    int32  // identified_on in days since 1970 (mid-month for a month), noDay if unknown
	region string
	period uint32 // rank of the period among the merge's
}

const noDay = -1 << 31

func sexCode(s string) uint8 {
	switch s {
	case "F":
		return 1
	case "M":
		return 2
	}
	return 0
}

func groupCode(s string) uint8 {
	switch s {
	case "child":
		return 1
	case "adult":
		return 2
	}
	return 0
}

// formIndex maps exploitation codes to their bit.
var formIndex = func() map[string]uint32 {
	m := map[string]uint32{}
	for i, c := range schema.ExploitationList.Codes {
		m[c.Code] = 1 << (i % 32)
	}
	return m
}()

func attrsOf(r *Record, period uint32) attrs {
	v := &r.Victim
	a := attrs{sex: sexCode(v.Sex), group: groupCode(v.AgeGroup), day: identifiedDay(v.IdentifiedOn),
		region: v.Region, period: period}
	if len(v.Citizenship) == 2 && v.Citizenship != "XX" {
		a.cit = [2]byte{v.Citizenship[0], v.Citizenship[1]}
	}
	if v.BirthYear > 0 && v.BirthYear < 1<<15 {
		a.year = int16(v.BirthYear)
	}
	for _, f := range v.Exploitation {
		a.forms |= formIndex[f]
	}
	return a
}

// identifiedDay reads identified_on, YYYY-MM-DD or YYYY-MM; a month
// counts as its 15th day. A year alone is too coarse to weigh.
func identifiedDay(s string) int32 {
	var layout string
	switch len(s) {
	case len("2006-01-02"):
		layout = time.DateOnly
	case len("2006-01"):
		layout, s = time.DateOnly, s+"-15"
	default:
		return noDay
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return noDay
	}
	return int32(t.Unix() / 86400)
}

// bloomWords is a decoded Bloom encoding: agent/anon's 1024 bits.
const bloomWords = 16

// decodeBloom decodes an encoding into dst, reporting whether it is one
// of agent/anon's: unpadded base64url of 128 bytes.
func decodeBloom(dst []uint64, s string) bool {
	var raw [bloomWords * 8]byte
	if base64.RawURLEncoding.EncodedLen(len(raw)) != len(s) {
		return false
	}
	if n, err := base64.RawURLEncoding.Decode(raw[:], []byte(s)); err != nil || n != len(raw) {
		return false
	}
	var ones int
	for i := range bloomWords {
		dst[i] = binary.BigEndian.Uint64(raw[8*i:])
		ones += bits.OnesCount64(dst[i])
	}
	return ones > 0
}

// dice is the Dice coefficient of two decoded encodings, as anon.Dice.
func dice(a, b []uint64) float64 {
	var both, na, nb int
	for i := range bloomWords {
		both += bits.OnesCount64(a[i] & b[i])
		na += bits.OnesCount64(a[i])
		nb += bits.OnesCount64(b[i])
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(both) / float64(na+nb)
}
