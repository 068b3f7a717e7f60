package merge

import (
	"cmp"
	"strconv"

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

// Record is one victims/1 record as the hub holds it, with what the
// merge needs to know about where it came from.
type Record struct {
	Ref RecordRef
	// Category is the partner's source category (police, ngo,
	// victim-assistance, ...): tables are broken down by it.
	Category string
	// Period is the reporting period of the submission ("2023").
	Period string
	Victim schema.Victim
}
