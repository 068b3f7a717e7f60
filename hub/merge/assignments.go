package merge

import (
	"iter"
	"maps"
	"slices"
)

// Assignments are the person ids of a merge's records: what
// Config.Previous takes from the merge before. They are kept submission
// by submission, record n of a submission at n-1, so that a million take
// some 16 MB besides the ids, where a map by RecordRef takes over a
// hundred.
type Assignments struct {
	subs map[subRef][]string
	// far holds references whose number is too far past the records of
	// their submission to keep by position.
	far map[RecordRef]string
	n   int
}

type subRef struct{ partner, submission string }

// maxGap bounds the empty places Set leaves before a record number.
const maxGap = 1024

// Set records a record's person id. An empty id is no id.
func (a *Assignments) Set(ref RecordRef, id string) {
	if id == "" {
		return
	}
	if a.subs == nil {
		a.subs = map[subRef][]string{}
	}
	s := subRef{ref.Partner, ref.Submission}
	ids := a.subs[s]
	switch n := ref.N; {
	case n >= 1 && n <= int64(len(ids)):
		if ids[n-1] == "" {
			a.n++
		}
		ids[n-1] = id
	case n > int64(len(ids)) && n <= int64(len(ids))+maxGap:
		for int64(len(ids)) < n-1 {
			ids = append(ids, "")
		}
		ids = append(ids, id)
		a.n++
		a.subs[s] = ids
	default:
		if a.far == nil {
			a.far = map[RecordRef]string{}
		}
		if _, ok := a.far[ref]; !ok {
			a.n++
		}
		a.far[ref] = id
	}
}

// Get returns a record's person id.
func (a *Assignments) Get(ref RecordRef) (string, bool) {
	if a == nil {
		return "", false
	}
	ids := a.subs[subRef{ref.Partner, ref.Submission}]
	if ref.N >= 1 && ref.N <= int64(len(ids)) {
		id := ids[ref.N-1]
		return id, id != ""
	}
	id, ok := a.far[ref]
	return id, ok
}

// Len returns the number of records with an id.
func (a *Assignments) Len() int {
	if a == nil {
		return 0
	}
	return a.n
}

// All yields each record with an id and the id, in RecordRef order.
func (a *Assignments) All() iter.Seq2[RecordRef, string] {
	return func(yield func(RecordRef, string) bool) {
		if a == nil {
			return
		}
		refs := slices.SortedFunc(maps.Keys(a.far), RecordRef.Compare)
		subs := slices.SortedFunc(maps.Keys(a.subs), func(x, y subRef) int {
			return RecordRef{Partner: x.partner, Submission: x.submission}.Compare(RecordRef{Partner: y.partner, Submission: y.submission})
		})
		for _, s := range subs {
			for i, id := range a.subs[s] {
				ref := RecordRef{Partner: s.partner, Submission: s.submission, N: int64(i + 1)}
				for len(refs) > 0 && refs[0].Compare(ref) < 0 {
					if !yield(refs[0], a.far[refs[0]]) {
						return
					}
					refs = refs[1:]
				}
				if id != "" && !yield(ref, id) {
					return
				}
			}
		}
		for _, ref := range refs {
			if !yield(ref, a.far[ref]) {
				return
			}
		}
	}
}
