package disclosure

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Status says whether a count is published, and if not, why.
type Status uint8

const (
	// Published counts are shown.
	Published Status = iota
	// Primary counts are withheld because they are between 1 and K.
	Primary
	// Secondary counts are withheld so that no withheld count can be
	// worked out from the others. Most are above K, but a total of 1 to
	// K is marked secondary where saying it is at most K would give its
	// cells away, so the mark does not say that the count is above K.
	Secondary
)

var statusNames = [...]string{Published: "published", Primary: "primary", Secondary: "secondary"}

// String returns the name of a Status, as in JSON.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText encodes a Status as its name.
func (s Status) MarshalText() ([]byte, error) {
	if int(s) >= len(statusNames) {
		return nil, fmt.Errorf("disclosure: unknown status %d", s)
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText decodes a Status from its name.
func (s *Status) UnmarshalText(b []byte) error {
	i := slices.Index(statusNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("disclosure: unknown status %q", b)
	}
	*s = Status(i)
	return nil
}

// Protected is a table ready to publish: its rows and margins, each with
// its count or marked as withheld.
type Protected struct {
	Name string   `json:"name"`
	Dims []string `json:"dims"`
	// K is the Rule's K: primary counts are between 1 and K.
	K int `json:"k"`
	// Cells are the table's rows, in the order of Table.Rows, the rows
	// of Rule.TotalValue values included.
	Cells []Cell `json:"cells"`
	// Totals are the published margins (all, or those of Rule.Margins):
	// the sums over each set of dimensions, keyed Margin, that sum at
	// least one row, ordered by the values' first appearance in the rows,
	// with Margin after them.
	Totals []Cell `json:"totals"`
}

// Cell is one count of a Protected table, a row or a total.
type Cell struct {
	Keys []string
	// Count is the count when Status is Published, and 0 otherwise.
	Count  int
	Status Status
	// Max is, for a primary cell, the Rule's K: the count is 1 to Max.
	// It is 0 for the others.
	Max int
}

// Find returns the cell or total of the keys, with Margin for a
// dimension summed over. It searches all cells, in linear time.
func (p *Protected) Find(keys ...string) (Cell, bool) {
	for _, cells := range [][]Cell{p.Cells, p.Totals} {
		for _, c := range cells {
			if slices.Equal(c.Keys, keys) {
				return c, true
			}
		}
	}
	return Cell{}, false
}

// Suppressed reports whether the cell's count is withheld.
func (c Cell) Suppressed() bool { return c.Status != Published }

// String returns what a table shows for the cell: its count, "<4" for a
// primary cell of K = 3 (the count is below 4, and not zero), "x" for a
// secondary cell.
func (c Cell) String() string {
	switch {
	case c.Status == Published:
		return strconv.Itoa(c.Count)
	case c.Status == Primary && c.Max > 0:
		return "<" + strconv.Itoa(c.Max+1)
	default:
		return "x"
	}
}

// cellJSON is a Cell in JSON: a withheld count is null, never 0.
type cellJSON struct {
	Keys       []string `json:"keys"`
	Count      *int     `json:"count"`
	Suppressed *Status  `json:"suppressed,omitempty"`
	Max        int      `json:"max,omitempty"`
}

// MarshalJSON writes {"keys": [...], "count": 12} for a published cell,
// and {"keys": [...], "count": null, "suppressed": "primary", "max": 3}
// or {..., "suppressed": "secondary"} for a withheld one.
func (c Cell) MarshalJSON() ([]byte, error) {
	j := cellJSON{Keys: c.Keys}
	if j.Keys == nil {
		j.Keys = []string{}
	}
	if c.Status == Published {
		j.Count = &c.Count
	} else {
		j.Suppressed = &c.Status
		if c.Status == Primary {
			j.Max = c.Max
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Cell) UnmarshalJSON(b []byte) error {
	var j cellJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	switch {
	case j.Suppressed == nil && j.Count == nil:
		return fmt.Errorf("disclosure: cell %q has neither a count nor a suppression", j.Keys)
	case j.Suppressed != nil && j.Count != nil:
		return fmt.Errorf("disclosure: suppressed cell %q has a count", j.Keys)
	case j.Suppressed != nil && *j.Suppressed == Published:
		return fmt.Errorf("disclosure: cell %q is suppressed as published", j.Keys)
	}
	*c = Cell{Keys: j.Keys}
	if j.Count != nil {
		c.Count = *j.Count
	} else {
		c.Status = *j.Suppressed
		if c.Status == Primary {
			c.Max = j.Max
		}
	}
	return nil
}
