package schema_test

import (
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

func validControl() schema.Control {
	return schema.Control{Authority: "labour_inspectorate", Year: 2024, Controls: 420, PersonsChecked: 3100, SuspectedCases: 2}
}

func TestControlValidate(t *testing.T) {
	for _, tc := range []struct {
		name        string
		change      func(*schema.Control)
		field, rule string // of the one problem; empty if valid
	}{
		{"minimal", func(*schema.Control) {}, "", ""},
		{"all zero", func(c *schema.Control) { c.Controls, c.PersonsChecked, c.SuspectedCases = 0, 0, 0 }, "", ""},
		{"alien police in a quarter and a region", func(c *schema.Control) {
			c.Authority, c.Period, c.Region = "alien_police", "2024-Q3", "CZ064"
		}, "", ""},
		{"half year", func(c *schema.Control) { c.Period = "2024-H2" }, "", ""},
		{"month", func(c *schema.Control) { c.Period = "2024-12" }, "", ""},
		{"whole year as period", func(c *schema.Control) { c.Period = "2024" }, "", ""},
		{"period in another year", func(c *schema.Control) { c.Period = "2023-Q1" }, "period", schema.RuleConsistency},
		{"quarter 5", func(c *schema.Control) { c.Period = "2024-Q5" }, "period", schema.RuleFormat},
		{"month 13", func(c *schema.Control) { c.Period = "2024-13" }, "period", schema.RuleFormat},
		{"period as a date", func(c *schema.Control) { c.Period = "2024-03-01" }, "period", schema.RuleFormat},
		{"no authority", func(c *schema.Control) { c.Authority = "" }, "authority", schema.RuleRequired},
		{"unknown authority", func(c *schema.Control) { c.Authority = "police" }, "authority", schema.RuleCode},
		{"no year", func(c *schema.Control) { c.Year = 0 }, "year", schema.RuleRequired},
		{"unknown region", func(c *schema.Control) { c.Region = "CZ0" }, "region", schema.RuleCode},
		{"negative controls", func(c *schema.Control) { c.Controls = -3 }, "controls", schema.RuleRange},
		{"negative persons", func(c *schema.Control) { c.PersonsChecked = -1 }, "persons_checked", schema.RuleRange},
		{"negative cases", func(c *schema.Control) { c.SuspectedCases = -1 }, "suspected_cases", schema.RuleRange},
		{"absurd persons", func(c *schema.Control) { c.PersonsChecked = 1 << 40 }, "persons_checked", schema.RuleRange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validControl()
			tc.change(&c)
			err := c.Validate()
			if tc.field == "" {
				if err != nil {
					t.Errorf("Validate: %v", err)
				}
				return
			}
			wantProblem(t, err, tc.field, tc.rule)
		})
	}
}

func TestControlDecode(t *testing.T) {
	d, err := schema.Lookup("controls/1")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := d.Decode([]byte(`{"authority":"alien_police","year":2025,"period":"2025-H1","controls":12,"persons_checked":0,"suspected_cases":0}`))
	want := schema.Control{Authority: "alien_police", Year: 2025, Period: "2025-H1", Controls: 12}
	if err != nil || rec != want {
		t.Fatalf("Decode = %#v, %v", rec, err)
	}
	// Every count must be written, zero included.
	_, err = d.Decode([]byte(`{"authority":"alien_police","year":2025}`))
	got := map[string]string{}
	for _, p := range problems(t, err) {
		got[p.Field] = p.Rule
	}
	want2 := map[string]string{"controls": schema.RuleRequired, "persons_checked": schema.RuleRequired, "suspected_cases": schema.RuleRequired}
	if len(got) != len(want2) {
		t.Fatalf("problems %v, want %v", got, want2)
	}
	for f, r := range want2 {
		if got[f] != r {
			t.Errorf("%s: %q, want %q", f, got[f], r)
		}
	}
}
