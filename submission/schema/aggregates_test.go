package schema_test

import (
	"encoding/json"
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

func TestAggregateValidate(t *testing.T) {
	for _, tc := range []struct {
		name        string
		agg         schema.Aggregate
		field, rule string // of the one problem; empty if valid
	}{
		{"grand total", schema.Aggregate{Dimensions: schema.Dimensions{}, Count: 57}, "", ""},
		{"nil dimensions", schema.Aggregate{Count: 57}, "", ""},
		{"every dimension", schema.Aggregate{Dimensions: schema.Dimensions{
			"sex": "F", "age_group": "child", "age_band": "9-17", "citizenship": "UA", "citizenship_group": "non_EU",
			"exploitation": "sexual", "status": "possible", "region": "CZ010", "year": "2024", "exploitation_country": "DE",
		}, Count: 2}, "", ""},
		{"by stage", schema.Aggregate{Dimensions: schema.Dimensions{"stage": "convicted", "year": "2024"}, Unit: "persons", Count: 4}, "", ""},
		{"cases by stage", schema.Aggregate{Dimensions: schema.Dimensions{"stage": "suspected"}, Unit: "cases", Count: 9}, "", ""},
		{"victims by stage", schema.Aggregate{Dimensions: schema.Dimensions{"stage": "convicted"}, Count: 4}, "unit", schema.RuleConsistency},
		{"persons by status", schema.Aggregate{Dimensions: schema.Dimensions{"status": "actual"}, Unit: "persons", Count: 4}, "unit", schema.RuleConsistency},
		{"victims abroad", schema.Aggregate{Dimensions: schema.Dimensions{"citizenship": "CZ", "exploitation_country": "GB"}, Unit: "victims", Count: 3}, "", ""},
		{"unknown unit", schema.Aggregate{Count: 1, Unit: "people"}, "unit", schema.RuleCode},
		{"unknown dimension", schema.Aggregate{Dimensions: schema.Dimensions{"nationality": "UA"}, Count: 1}, "dimensions", schema.RuleUnknownField},
		{"bad sex", schema.Aggregate{Dimensions: schema.Dimensions{"sex": "female"}, Count: 1}, "dimensions", schema.RuleCode},
		{"empty value", schema.Aggregate{Dimensions: schema.Dimensions{"sex": ""}, Count: 1}, "dimensions", schema.RuleRequired},
		{"bad country", schema.Aggregate{Dimensions: schema.Dimensions{"citizenship": "UKR"}, Count: 1}, "dimensions", schema.RuleCode},
		{"citizenship unknown", schema.Aggregate{Dimensions: schema.Dimensions{"citizenship": "XX"}, Count: 1}, "", ""},
		{"two-digit year", schema.Aggregate{Dimensions: schema.Dimensions{"year": "24"}, Count: 1}, "dimensions", schema.RuleFormat},
		{"year with a plus", schema.Aggregate{Dimensions: schema.Dimensions{"year": "+202"}, Count: 1}, "dimensions", schema.RuleFormat},
		{"year 1899", schema.Aggregate{Dimensions: schema.Dimensions{"year": "1899"}, Count: 1}, "dimensions", schema.RuleFormat},
		{"bad region", schema.Aggregate{Dimensions: schema.Dimensions{"region": "Praha"}, Count: 1}, "dimensions", schema.RuleCode},
		{"negative count", schema.Aggregate{Count: -1}, "count", schema.RuleRange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.agg.Validate()
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

func TestAggregateDecode(t *testing.T) {
	d, err := schema.Current("aggregates")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := d.Decode([]byte(`{"dimensions":{"year":"2024","sex":"F"},"count":0}`))
	if err != nil {
		t.Fatal(err)
	}
	a := rec.(schema.Aggregate)
	if len(a.Dimensions) != 2 || a.Dimensions["sex"] != "F" || a.Count != 0 {
		t.Errorf("Decode = %#v", a)
	}
	b, _ := json.Marshal(a)
	if string(b) != `{"dimensions":{"sex":"F","year":"2024"},"count":0}` {
		t.Errorf("Marshal = %s", b)
	}
	if b, _ := json.Marshal(schema.Aggregate{Count: 1}); string(b) != `{"dimensions":{},"count":1}` {
		t.Errorf("Marshal of nil dimensions = %s", b)
	}
	for _, tc := range []struct{ raw, field, rule string }{
		{`{"count":1}`, "dimensions", schema.RuleRequired},
		{`{"dimensions":null,"count":1}`, "dimensions", schema.RuleType},
		{`{"dimensions":{}}`, "count", schema.RuleRequired},
		{`{"dimensions":{"sex":"F","sex":"M"},"count":1}`, "dimensions", schema.RuleDuplicateField},
		{`{"dimensions":{"year":2024},"count":1}`, "dimensions", schema.RuleType},
		{`{"dimensions":["sex"],"count":1}`, "dimensions", schema.RuleType},
		{`{"dimensions":{"sex":{"F":1}},"count":1}`, "dimensions", schema.RuleType},
		{`{"dimensions":{"Sex":"F"},"count":1}`, "dimensions", schema.RuleUnknownField},
		{`{"dimensions":{},"count":1,"note":"from the embassy in London"}`, "note", schema.RuleUnknownField},
	} {
		_, err := d.Decode([]byte(tc.raw))
		wantProblem(t, err, tc.field, tc.rule)
	}
}
