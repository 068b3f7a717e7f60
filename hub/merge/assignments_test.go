package merge_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/thbx/thbx/hub/merge"
)

func TestAssignments(t *testing.T) {
	ref := func(p, s string, n int64) merge.RecordRef { return merge.RecordRef{Partner: p, Submission: s, N: n} }
	want := map[merge.RecordRef]string{
		ref("ngo", "s1", 1):         "p_a",
		ref("ngo", "s1", 2):         "p_b",
		ref("ngo", "s1", 7):         "p_c", // a gap before it
		ref("ngo", "s1", 1_000_000): "p_d", // too far to keep by position
		ref("ngo", "s1", 0):         "p_e", // not a record number the store gives
		ref("ngo", "s0", 3):         "p_f", // an earlier submission, added later
		ref("police", "s1", 1):      "p_a", // one person, two sources
		ref("ngo", "s10", 1):        "p_g", // orders after s1
	}
	var a merge.Assignments
	for r, id := range want {
		a.Set(r, id)
	}
	a.Set(ref("ngo", "s1", 2), "p_b") // again: no second count
	a.Set(ref("ngo", "s1", 3), "")    // no id
	if a.Len() != len(want) {
		t.Errorf("Len %d, want %d", a.Len(), len(want))
	}
	for r, id := range want {
		if got, ok := a.Get(r); !ok || got != id {
			t.Errorf("Get(%s) = %q, %v; want %q", r, got, ok, id)
		}
	}
	for _, r := range []merge.RecordRef{ref("ngo", "s1", 3), ref("ngo", "s1", 8), ref("ngo", "s2", 1), ref("iom", "s1", 1)} {
		if got, ok := a.Get(r); ok {
			t.Errorf("Get(%s) = %q, want none", r, got)
		}
	}
	var order []merge.RecordRef
	for r, id := range a.All() {
		if want[r] != id {
			t.Errorf("All: %s %q, want %q", r, id, want[r])
		}
		order = append(order, r)
	}
	if wantOrder := slices.SortedFunc(maps.Keys(want), merge.RecordRef.Compare); !slices.Equal(order, wantOrder) {
		t.Errorf("All in order %v, want %v", order, wantOrder)
	}
	// Overwriting keeps one count.
	a.Set(ref("ngo", "s1", 1), "p_z")
	if got, _ := a.Get(ref("ngo", "s1", 1)); got != "p_z" || a.Len() != len(want) {
		t.Errorf("after overwriting: %q, Len %d", got, a.Len())
	}
	var none *merge.Assignments
	if _, ok := none.Get(ref("ngo", "s1", 1)); ok || none.Len() != 0 {
		t.Error("a nil Assignments holds something")
	}
	for range none.All() {
		t.Error("a nil Assignments yields something")
	}
}
