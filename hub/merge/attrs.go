package merge

import (
	"encoding/base64"
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/thbx/thbx/submission/schema"
)

// attrs is what scoring weighs of a record, in a few bytes: a million
// records are compared millions of times.
type attrs struct {
	sex    uint8 // 0 unknown, 1 F, 2 M
	group  uint8 // age group: 0 unknown, 1 child, 2 adult
	band   uint8 // age band: 0 unknown, else 1 + its index in the age_band list
	at     int16 // the year of identification (or of the period), 0 unknown
	cit    [2]byte
	year   int16  // birth year, 0 unknown
	forms  uint32 // bit i: ExploitationList.Codes[i]
	status uint8  // 0 unknown, else 1 + its index in the status list
	day    int32  // identified_on in days since 1970 (mid-month for a month), noDay if unknown
	region string
	period uint32 // rank of the period among the merge's
}

const noDay = -1 << 31

// otherForm is the bit of the exploitation code "other", where sources
// put what their own code list lacks (HTCDS has no forced criminality).
var otherForm = formIndex["other"]

// statusIndex maps statuses to their code.
var statusIndex = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, c := range schema.StatusList.Codes {
		m[c.Code] = uint8(i + 1)
	}
	return m
}()

// bandAges holds the youngest and oldest age of each band, by code.
var bandAges = func() [][2]int {
	out := [][2]int{{0, 0}} // code 0: unknown
	for _, c := range schema.AgeBandList.Codes {
		lo, hi, _ := strings.Cut(c.Code, "-")
		a, _ := strconv.Atoi(strings.TrimSuffix(lo, "+"))
		b, err := strconv.Atoi(hi)
		if err != nil {
			b = 200 // 48+
		}
		out = append(out, [2]int{a, b})
	}
	return out
}()

// leadingYear reads the year a date or a period starts with (2023,
// 2023-05-01, 2023-H1), 0 if none.
func leadingYear(s string) int16 {
	if len(s) < 4 || len(s) > 4 && s[4] != '-' {
		return 0
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1000 {
		return 0
	}
	return int16(y)
}

// agesAgree reports whether what two records say of the age can be one
// person's: the band of one, at its year of identification, and the
// birth year or the band of the other. Either saying nothing agrees.
func agesAgree(x, y *attrs) bool {
	if x.at == 0 || y.at == 0 {
		return true
	}
	if x.band != 0 && y.year != 0 && !bandHolds(x.band, int(x.at)-int(y.year)) ||
		y.band != 0 && x.year != 0 && !bandHolds(y.band, int(y.at)-int(x.year)) {
		return false
	}
	if x.band != 0 && y.band != 0 {
		// x's ages moved to y's year, a birthday either way.
		xa, ya := bandAges[x.band], bandAges[y.band]
		shift := int(y.at) - int(x.at)
		return xa[0]+shift-1 <= ya[1] && ya[0] <= xa[1]+shift+1
	}
	return true
}

// bandHolds reports whether a person born diff years before the year of
// identification can be in a band then (a year younger if the birthday
// was yet to come).
func bandHolds(band uint8, diff int) bool {
	ages := bandAges[band]
	return diff-1 <= ages[1] && ages[0] <= diff
}

// bandIndex maps age bands to their code.
var bandIndex = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, c := range schema.AgeBandList.Codes {
		m[c.Code] = uint8(i + 1)
	}
	return m
}()

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
	a := attrs{sex: sexCode(v.Sex), group: groupCode(v.AgeGroup), band: bandIndex[v.AgeBand], status: statusIndex[v.Status],
		day: identifiedDay(v.IdentifiedOn), region: v.Region, period: period}
	a.at = leadingYear(v.IdentifiedOn)
	if a.at == 0 {
		a.at = leadingYear(r.Period)
	}
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

// possibleStatus is the code of "possible".
var possibleStatus = statusIndex["possible"]
