package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/submission/schema"
)

func TestJoinKeys(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		err       bool
	}{
		{``, "", false},
		{`null`, "", false},
		{`[]`, "", false},
		{`["a1_xyz"]`, "a1_xyz", false},
		{`["a1_xyz","d3_abc"]`, "a1_xyz d3_abc", false},
		{`[ "a1_xyz" , "d3_abc" ]`, "a1_xyz d3_abc", false}, // the slow path
		{`["a1_x\u0079z"]`, "a1_xyz", false},                // an escape: the slow path
		{`["a1_xyz",""]`, "a1_xyz", false},
		{`["a1 xyz"]`, "", true}, // a space would split the key
		{`["a1_xyz",]`, "", true},
		{`["a1_xyz"`, "", true},
		{`[1]`, "", true},
		{`{"a":1}`, "", true},
	} {
		got, err := joinKeys(json.RawMessage(tc.raw))
		if (err != nil) != tc.err || (err == nil && string(got) != tc.want) {
			t.Errorf("%s: %q, %v; want %q, error %v", tc.raw, got, err, tc.want, tc.err)
		}
	}
}

// FuzzJoinKeys checks the fast path against encoding/json: the same
// keys, or an error from both.
func FuzzJoinKeys(f *testing.F) {
	for _, s := range []string{`["a1_xyz","d3_abc"]`, `[]`, `null`, `["a\"b"]`, `["a",,"b"]`, `[""]`, `["a1_x\u0079z"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := joinKeys(json.RawMessage(raw))
		var keys []string
		werr := json.Unmarshal([]byte(strings.TrimSpace(raw)), &keys)
		if strings.TrimSpace(raw) == "" {
			werr = nil
		}
		space := false
		for _, k := range keys {
			space = space || strings.Contains(k, " ")
		}
		if (err != nil) != (werr != nil || space) {
			t.Fatalf("%q: error %v, encoding/json %v", raw, err, werr)
		}
		if err == nil && got != merge.JoinKeys(keys) {
			t.Fatalf("%q: %q, encoding/json %q", raw, got, merge.JoinKeys(keys))
		}
	})
}

// TestDecodeVictim checks that a stored record decodes to what
// merge.VictimOf makes of the schema's record.
func TestDecodeVictim(t *testing.T) {
	v := schema.Victim{StatusSource: "obět", Status: "actual", Sex: "F", BirthYear: 1990, AgeGroup: "adult",
		AgeBand: "30-39", Citizenship: "UA", Region: "CZ010", IdentifiedOn: "2023-04", Exploitation: []string{"labour", "sexual"},
		LinkageKeys: []string{"a1_AAAAAAAAAAAAAAAAAAAAAA", "d3_BBBBBBBBBBBBBBBBBBBBBB"}, Bloom: "AAAA",
		Events: []schema.Event{{Stage: "recruitment", Country: "UA"}}, Assistance: []string{"shelter"}}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeVictim(data, newInterner())
	if err != nil {
		t.Fatal(err)
	}
	want := merge.VictimOf(&v)
	if got.Keys != want.Keys || got.Status != want.Status || got.Sex != want.Sex || got.BirthYear != want.BirthYear ||
		got.AgeGroup != want.AgeGroup || got.AgeBand != want.AgeBand || got.Citizenship != want.Citizenship ||
		got.Region != want.Region || got.IdentifiedOn != want.IdentifiedOn || got.Bloom != want.Bloom ||
		strings.Join(got.Exploitation, ",") != strings.Join(want.Exploitation, ",") {
		t.Errorf("decoded %+v, want %+v", got, want)
	}
	for _, bad := range []string{`{"status":1}`, `[]`, `{"linkage_keys":"a1_x"}`, `{`} {
		if _, err := decodeVictim([]byte(bad), newInterner()); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestInterner checks that equal strings share one copy.
func TestInterner(t *testing.T) {
	in := newInterner()
	a := in.of(strings.Clone("UA"))
	b := in.of(strings.Clone("UA"))
	if a != b || unsafe.StringData(a) != unsafe.StringData(b) || in.of("") != "" || len(in.strs) != 1 {
		t.Fatalf("interner: %q %q, %d entries", a, b, len(in.strs))
	}
	x := in.list([]string{"labour", "sexual"})
	y := in.list([]string{"labour", "sexual"})
	z := in.list([]string{"labour,sexual"}) // joins to the same text, differs
	if &x[0] != &y[0] || !slices.Equal(z, []string{"labour,sexual"}) || in.list(nil) != nil {
		t.Fatalf("lists: %q %q %q", x, y, z)
	}
	if unsafe.StringData(x[0]) != unsafe.StringData(in.of("labour")) {
		t.Error("a list's codes are not the interned strings")
	}
}
