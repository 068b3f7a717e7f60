package merge

import (
	"cmp"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/thbx/thbx/submission/schema"
)

// RecordRef names one stored record: the partner, the submission and the
// record's number in it, as hub/store keeps them.
type RecordRef struct {
	Partner    string `json:"partner"`
	Submission string `json:"submission"`
	N          int64  `json:"n"`
}

// String returns partner/submission/n.
func (r RecordRef) String() string {
	return r.Partner + "/" + r.Submission + "/" + strconv.FormatInt(r.N, 10)
}

// Compare orders references by partner, submission and number.
func (r RecordRef) Compare(o RecordRef) int {
	if c := cmp.Compare(r.Partner, o.Partner); c != 0 {
		return c
	}
	if c := cmp.Compare(r.Submission, o.Submission); c != 0 {
		return c
	}
	return cmp.Compare(r.N, o.N)
}

// Record is one victims/1 record as the merge reads it, with what the
// merge needs to know about where it came from.
type Record struct {
	Ref RecordRef
	// Category is the partner's source category (police, ngo,
	// victim-assistance, ...): tables are broken down by it.
	Category string
	// Period is the reporting period of the submission ("2023").
	Period string
	Victim Victim
}

// Victim is what the merge reads of a victims/1 record: the attributes
// that weigh on a link or appear in the tables, the linkage keys and the
// Bloom encoding. The rest of a record (events, assistance, consent, the
// source's own words) stays in the store. A million records are held at
// once, so a Victim is kept small: the keys are one string, and a caller
// holding many records does well to share equal strings, as hub/report
// does.
type Victim struct {
	Status       string
	Sex          string
	BirthYear    int
	AgeGroup     string
	AgeBand      string
	Citizenship  string
	Region       string
	IdentifiedOn string
	Exploitation []string
	Keys         Keys
	Bloom        string
}

// VictimOf returns what the merge reads of a victims/1 record.
func VictimOf(v *schema.Victim) Victim {
	return Victim{Status: v.Status, Sex: v.Sex, BirthYear: v.BirthYear, AgeGroup: v.AgeGroup, AgeBand: v.AgeBand,
		Citizenship: v.Citizenship, Region: v.Region, IdentifiedOn: v.IdentifiedOn, Exploitation: v.Exploitation,
		Keys: JoinKeys(v.LinkageKeys), Bloom: v.Bloom}
}

// Keys are a record's linkage keys in one string, separated by single
// spaces (a key is base64url, which has none): one allocation a record
// rather than one a key.
type Keys string

// JoinKeys returns keys as Keys. Empty keys are left out. Keys are
// base64url, as the victims/1 schema requires: a key holding a space
// would be read back as two (hub/report refuses such a record).
func JoinKeys(keys []string) Keys {
	n := 0
	for _, k := range keys {
		n += len(k) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, k := range keys {
		if k == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
	}
	return Keys(b.String())
}

// All yields the keys in order.
func (k Keys) All() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, key := range k.placed() {
			if !yield(key) {
				return
			}
		}
	}
}

// placed yields the keys with the offset of each in k.
func (k Keys) placed() iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		s := string(k)
		for at := 0; at < len(s); {
			n := strings.IndexByte(s[at:], ' ')
			if n < 0 {
				n = len(s) - at
			}
			if n > 0 && !yield(at, s[at:at+n]) {
				return
			}
			at += n + 1
		}
	}
}

// List returns the keys as a slice.
func (k Keys) List() []string { return slices.Collect(k.All()) }

// Contains reports whether key is one of the keys.
func (k Keys) Contains(key string) bool {
	for x := range k.All() {
		if x == key {
			return true
		}
	}
	return false
}
