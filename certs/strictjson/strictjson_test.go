package strictjson

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

type inner struct {
	X int    `json:"x"`
	Y string `json:"y,omitempty"`
}

type doc struct {
	A     string            `json:"a"`
	B     int               `json:"b,omitempty"`
	In    *inner            `json:"in,omitempty"`
	List  []inner           `json:"list,omitempty"`
	Map   map[string]inner  `json:"map,omitempty"`
	Self  selfDecoding      `json:"self,omitempty"`
	When  time.Time         `json:"when,omitzero"`
	Names map[string]string `json:"names,omitempty"`
}

// selfDecoding decodes itself: Decode leaves it to its method.
type selfDecoding struct{ raw string }

func (s *selfDecoding) UnmarshalJSON(b []byte) error { s.raw = string(b); return nil }

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"a":"x","b":1}`, true},
		{` {"a":"x"} `, true},
		{"{\"a\":\"x\"}\n", true},
		{`{"a":"x","a":"y"}`, false},
		{`{"A":"x"}`, false},
		{`{"a":"x","c":1}`, false},
		{`{"a":"x"} x`, false},
		{`{"a":"x"}{}`, false},
		{`{"a":"x"}}`, false},          // a stray brace
		{`{"a":"x"}]`, false},          // or bracket
		{"{\"a\":\"x\"}\u00a0", false}, // white space is JSON's only
		{`["a"]`, false},
		{`null`, false},
		{`{"a":1}`, false},
		{`{"a":"x"`, false},
		{``, false},
		// At every depth.
		{`{"in":{"x":1}}`, true},
		{`{"in":{"x":1,"x":2}}`, false},
		{`{"in":{"X":1}}`, false},
		{`{"in":{"x":1,"z":1}}`, false},
		{`{"list":[{"x":1},{"x":2,"x":3}]}`, false},
		{`{"list":[{"x":1},{"X":2}]}`, false},
		{`{"map":{"k":{"x":1},"k":{"x":2}}}`, false},
		{`{"map":{"k":{"x":1,"q":2}}}`, false},
		{`{"names":{"a":"1","b":"2"}}`, true},
		{`{"names":{"a":"1","a":"2"}}`, false},
		// A type that decodes itself is left to its method.
		{`{"self":{"anything":1,"anything":2}}`, true},
		{`{"when":"2026-11-27T03:00:00Z"}`, true},
		{`{"when":"yesterday"}`, false},
		// Text and numbers.
		{"{\"a\":\"\xff\"}", false},
		{`{"a":"\ud83d\ude00"}`, true},   // a pair
		{`{"a":"\ud83d"}`, false},        // a high surrogate alone
		{`{"a":"\ude00"}`, false},        // a low one
		{`{"a":"\ud83dx\ude00"}`, false}, // apart
		{`{"a":"\\ud83d"}`, true},        // a backslash, then text
		{`{"a":"\u00e9"}`, true},
		{`{"b":1e999}`, false}, // refused by the decoding proper, as out of range
		{`{"in":` + strings.Repeat(`{"x":1,"y":"`, 1) + `"}}`, true},
	} {
		var d doc
		if err := Decode([]byte(tc.in), &d); (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestDecodeDepth(t *testing.T) {
	nest := func(n int) string { return `{"names":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}` }
	var m struct {
		Names any `json:"names"`
	}
	if err := Decode([]byte(nest(15)), &m); err != nil {
		t.Errorf("15 deep: %v", err)
	}
	if err := Decode([]byte(nest(17)), &m); err == nil || !strings.Contains(err.Error(), "deeply") {
		t.Errorf("17 deep: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"a":"x","b":1}`))
	f.Add([]byte(`{"a":"x","a":"y"}`))
	f.Add([]byte(`{"in":{"x":1},"list":[{"x":2}],"map":{"k":{"x":3}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d doc
		if Decode(b, &d) != nil {
			return
		}
		// What Decode accepts, plain encoding/json reads the same way:
		// there is one reading of an accepted document.
		var lax doc
		if err := json.Unmarshal(b, &lax); err != nil {
			t.Fatalf("accepted, but encoding/json: %v", err)
		}
		if !reflect.DeepEqual(d, lax) {
			t.Fatalf("read as %+v, by encoding/json as %+v", d, lax)
		}
	})
}

// A struct whose fields share a JSON name has the name refused:
// encoding/json would pick one of them by its own rules.
func TestDecodeSharedName(t *testing.T) {
	type point struct{ X int }
	type inner struct {
		P map[string]int `json:"p"`
	}
	type outer struct {
		P point `json:"p"`
		inner
		Q string `json:"q"`
	}
	var o outer
	if err := Decode([]byte(`{"p":{"X":1}}`), &o); err == nil {
		t.Error("a name two fields share was taken")
	}
	if err := Decode([]byte(`{"q":"x"}`), &o); err != nil {
		t.Errorf("the other fields: %v", err)
	}
}

// An error quotes a long key shortened.
func TestDecodeLongKey(t *testing.T) {
	var d doc
	err := Decode([]byte(`{"`+strings.Repeat("k", 10_000)+`":1}`), &d)
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error of %d bytes: %.100v", len(err.Error()), err)
	}
}

// The check costs memory in proportion to the document, however its keys
// and arrays are arranged: a long key above a long array once cost their
// product (a minute of CPU for one line of a megabyte).
func TestDecodeLinearCost(t *testing.T) {
	const size = 256 << 10
	line := []byte(`{"in":[{"` + strings.Repeat("k", size/2) + `":[` + strings.Repeat("0,", size/4) + `0]}]}`)
	var d doc
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if Decode(line, &d) == nil {
		t.Fatal("accepted")
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64*uint64(len(line)) {
		t.Errorf("checking %d bytes allocated %d", len(line), alloc)
	}
}
