package merge_test

import (
	"slices"
	"testing"

	"github.com/thbx/thbx/hub/merge"
)

func TestKeys(t *testing.T) {
	k := merge.JoinKeys([]string{"a1_abc", "", "d3_xyz", "h1_abc"})
	if k != "a1_abc d3_xyz h1_abc" {
		t.Fatalf("JoinKeys: %q", k)
	}
	if got := k.List(); !slices.Equal(got, []string{"a1_abc", "d3_xyz", "h1_abc"}) {
		t.Errorf("List: %q", got)
	}
	for key, want := range map[string]bool{"a1_abc": true, "h1_abc": true, "abc": false, "a1_ab": false, "d3_xyz h1_abc": false, "": false} {
		if k.Contains(key) != want {
			t.Errorf("Contains(%q) = %v", key, !want)
		}
	}
	// Keys made otherwise (two spaces, a space at an end) hold no empty key.
	if got := merge.Keys(" a1_abc  d3_xyz ").List(); !slices.Equal(got, []string{"a1_abc", "d3_xyz"}) {
		t.Errorf("List of loosely spaced keys: %q", got)
	}
	if merge.JoinKeys(nil) != "" || merge.Keys("").List() != nil {
		t.Error("no keys")
	}
	for range merge.Keys("a b c").All() {
		break // stopping early must not panic
	}
}
