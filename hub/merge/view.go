package merge

import (
	"cmp"
	"slices"

	"github.com/thbx/thbx/submission/schema"
)

// A person's records may disagree: one source knows the sex, another
// does not; an NGO calls a client a possible victim whom the police
// identified. The tables count each person once, with these rules over
// the records in scope (a period's, or all of them), "earliest" meaning
// by period, then identification date, then reference:
//
//	sex                the known value (F, M) most records give; a tie
//	                   goes to the earliest record's; none known: U.
//	age_group          the earliest known (child, adult): Eurostat counts
//	                   the age at identification.
//	citizenship_group  the group of the citizenship most records give
//	                   (XX aside), ties to the earliest record's.
//	exploitation       the main form: the one most records report, ties in
//	                   code-list order (sexual, labour, ...); none:
//	                   unknown. A person counts under one form, so that a
//	                   table adds up to its persons.
//	status             the strongest: actual over possible over
//	                   not_victim: once a competent authority identified
//	                   a person, an NGO's "presumed" does not undo it.
//
// The tables by source apply the same rules to each source category's
// records alone.

// Unknown is the table value of a dimension no record knows (sex has its
// own code, U).
const Unknown = "unknown"

// Person dimensions, in PersonDims order, and their values in report
// order: a view holds indices into these.
const (
	dSex = iota
	dAge
	dCit
	dForm
	dStatus
	nDims
)

var (
	sexValues    = []string{"F", "M", "U"}
	ageValues    = []string{"child", "adult", Unknown}
	citValues    = []string{"CZ", "EU", "non_EU", Unknown}
	formValues   = append(schema.ExploitationList.Values(), Unknown)
	statusValues = []string{"actual", "possible", "not_victim", Unknown}
	allValues    = [nDims][]string{sexValues, ageValues, citValues, formValues, statusValues}
)

// view is what the tables say of a person: for each dimension, the index
// of its value.
type view [nDims]uint8

// resolver applies the rules without allocating, records after records.
type resolver struct {
	forms []int // by ExploitationList index
}

// resolve returns the view of records, which are earliest first.
func (rs *resolver) resolve(recs []*Record) view {
	var v view
	// Sex: F or M by count, ties to the earliest.
	var f, m int
	first := uint8(2)
	for _, r := range recs {
		switch r.Victim.Sex {
		case "F":
			f++
		case "M":
			m++
		default:
			continue
		}
		if first == 2 {
			first = index(r.Victim.Sex == "F")
		}
	}
	switch {
	case f > m:
		v[dSex] = 0
	case m > f:
		v[dSex] = 1
	default:
		v[dSex] = first
	}
	// Age group: the earliest known.
	v[dAge] = 2
	for _, r := range recs {
		if g := r.Victim.AgeGroup; g == "child" || g == "adult" {
			v[dAge] = index(g == "child")
			break
		}
	}
	// Citizenship: the most frequent known, ties to the earliest; a few
	// records each, so counted pairwise.
	best, bestN := "", 0
	for i, r := range recs {
		c := r.Victim.Citizenship
		if c == "" || c == "XX" {
			continue
		}
		n := 0
		for _, o := range recs[i:] {
			if o.Victim.Citizenship == c {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	v[dCit] = uint8(slices.Index(citValues, CitizenshipGroup(best)))
	// Main form and strongest status.
	if rs.forms == nil {
		rs.forms = make([]int, len(schema.ExploitationList.Codes))
	}
	clear(rs.forms)
	status := 3
	for _, r := range recs {
		for i, code := range r.Victim.Exploitation {
			if j, ok := formRank[code]; ok && !slices.Contains(r.Victim.Exploitation[:i], code) {
				rs.forms[j]++
			}
		}
		if s, ok := statusOrder[r.Victim.Status]; ok && s < status {
			status = s
		}
	}
	v[dStatus] = uint8(status)
	v[dForm] = uint8(len(formValues) - 1)
	most := 0
	for j, n := range rs.forms {
		if n > most {
			most, v[dForm] = n, uint8(j)
		}
	}
	return v
}

// index is 0 for the first of two values, 1 for the second.
func index(first bool) uint8 {
	if first {
		return 0
	}
	return 1
}

// statusOrder ranks statuses, strongest first, as statusValues does.
var statusOrder = map[string]int{"actual": 0, "possible": 1, "not_victim": 2}

// formRank maps exploitation codes to their code-list index.
var formRank = func() map[string]int {
	m := map[string]int{}
	for i, c := range schema.ExploitationList.Codes {
		m[c.Code] = i
	}
	return m
}()

// earliestFirst sorts a person's records by period, identification date
// (unknown last) and reference.
func earliestFirst(recs []*Record) {
	slices.SortStableFunc(recs, func(a, b *Record) int {
		if c := cmp.Compare(a.Period, b.Period); c != 0 {
			return c
		}
		ia, ib := a.Victim.IdentifiedOn, b.Victim.IdentifiedOn
		switch {
		case ia == ib:
		case ia == "":
			return 1
		case ib == "":
			return -1
		default:
			return cmp.Compare(ia, ib)
		}
		return a.Ref.Compare(b.Ref)
	})
}
