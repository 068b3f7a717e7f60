package strictjson

import "testing"

type doc struct {
	A string `json:"a"`
	B int    `json:"b,omitempty"`
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"a":"x","b":1}`, true},
		{` {"a":"x"} `, true},
		{`{"a":"x","a":"y"}`, false},
		{`{"A":"x"}`, false},
		{`{"a":"x","c":1}`, false},
		{`{"a":"x"} x`, false},
		{`{"a":"x"}{}`, false},
		{`["a"]`, false},
		{`{"a":1}`, false},
		{`{"a":"x"`, false},
		{``, false},
	} {
		var d doc
		if err := Decode([]byte(tc.in), &d); (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"a":"x","b":1}`))
	f.Add([]byte(`{"a":"x","a":"y"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d doc
		_ = Decode(b, &d) // must not panic
	})
}
