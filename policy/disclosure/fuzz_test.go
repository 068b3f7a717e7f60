package disclosure

import (
	"strconv"
	"testing"
)

// tableOf reads a table from fuzz input: the first byte gives the
// number of dimensions (1 to 3), K (2 or 3), whether dimension 0 has a
// pooled value "all" and whether zero rows are left out; the next bytes
// the number of values of each dimension (1 to 4); then one byte per
// cell, mostly small counts and zeros. Missing bytes count zero.
func tableOf(data []byte) (Table, Rule) {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	head := next()
	n := 1 + int(head%3)
	r := Rule{K: 2 + int(head>>2&1)}
	pooled, sparse := head>>3&1 == 1, head>>4&1 == 1
	t := Table{Name: "fuzz"}
	sizes := make([]int, n)
	for d := range n {
		t.Dims = append(t.Dims, "d"+strconv.Itoa(d))
		sizes[d] = 1 + int(next()%4)
	}
	keys := make([]string, n)
	var fill func(d int)
	fill = func(d int) {
		if d == n {
			c := int(next())
			if c >= 128 {
				c = 4 + (c-128)%60
			} else {
				c %= 5
			}
			if c > 0 || !sparse {
				t.Rows = append(t.Rows, Row{Keys: append([]string(nil), keys...), Count: c})
			}
			return
		}
		for v := range sizes[d] {
			keys[d] = "v" + strconv.Itoa(v)
			fill(d + 1)
		}
	}
	fill(0)
	if pooled {
		t = withTotals(t, 0, "all")
		r.TotalValue = map[string]string{"d0": "all"}
	}
	return t, r
}

// FuzzProtect protects tables of random shapes and counts: Protect must
// succeed, mark every count as the rule says, and leave nothing that
// Audit or, for few withheld cells, the brute-force attacker can pin.
func FuzzProtect(f *testing.F) {
	f.Add([]byte{0, 2, 1, 200, 50})                                    // 1-D: one small cell among large ones
	f.Add([]byte{1, 1, 1, 1, 2, 1, 0})                                 // 2×2 of small counts
	f.Add([]byte{4, 0, 1, 1})                                          // 1-D, K = 2: two ones, a total of 2
	f.Add([]byte{9, 2, 2, 1, 200, 3, 0, 180, 150, 2, 0, 1, 160, 4, 4}) // 2-D with "all"
	f.Add([]byte{18, 1, 1, 1, 1, 0, 200, 2, 0, 3, 170, 0, 1})          // 3-D sparse
	f.Add([]byte{26, 3, 3, 3, 1, 2, 3, 4, 130, 2, 1, 0, 1})            // 3-D, "all", sparse
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, r := tableOf(data)
		if len(tab.Rows) == 0 {
			return
		}
		check(t, tab, r)
	})
}
