package schema_test

import (
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

func validProceeding() schema.Proceeding {
	return schema.Proceeding{Year: 2024, Stage: "convicted", Count: 3}
}

func TestProceedingValidate(t *testing.T) {
	for _, tc := range []struct {
		name        string
		change      func(*schema.Proceeding)
		field, rule string // of the one problem; empty if valid
	}{
		{"minimal", func(*schema.Proceeding) {}, "", ""},
		{"full", func(p *schema.Proceeding) {
			*p = schema.Proceeding{Year: 2023, Stage: "prosecuted", Sex: "M", CitizenshipGroup: "non_EU",
				Exploitation: "labour", LegalQualification: "s168", Count: 12, CaseLevel: true}
		}, "", ""},
		{"zero count", func(p *schema.Proceeding) { p.Count = 0 }, "", ""},
		{"count at the limit", func(p *schema.Proceeding) { p.Count = 10_000_000 }, "", ""},
		{"count above the limit", func(p *schema.Proceeding) { p.Count = 10_000_001 }, "count", schema.RuleRange},
		{"negative count", func(p *schema.Proceeding) { p.Count = -1 }, "count", schema.RuleRange},
		{"no year", func(p *schema.Proceeding) { p.Year = 0 }, "year", schema.RuleRequired},
		{"year 1899", func(p *schema.Proceeding) { p.Year = 1899 }, "year", schema.RuleRange},
		{"year 2101", func(p *schema.Proceeding) { p.Year = 2101 }, "year", schema.RuleRange},
		{"two-digit year", func(p *schema.Proceeding) { p.Year = 24 }, "year", schema.RuleRange},
		{"no stage", func(p *schema.Proceeding) { p.Stage = "" }, "stage", schema.RuleRequired},
		{"unknown stage", func(p *schema.Proceeding) { p.Stage = "charged" }, "stage", schema.RuleCode},
		{"stage in upper case", func(p *schema.Proceeding) { p.Stage = "Convicted" }, "stage", schema.RuleCode},
		{"suspected", func(p *schema.Proceeding) { p.Stage = "suspected" }, "", ""},
		{"unknown sex", func(p *schema.Proceeding) { p.Sex = "X" }, "sex", schema.RuleCode},
		{"citizenship group EU", func(p *schema.Proceeding) { p.CitizenshipGroup = "EU" }, "", ""},
		{"citizenship group as a country", func(p *schema.Proceeding) { p.CitizenshipGroup = "UA" }, "citizenship_group", schema.RuleCode},
		{"citizenship group lower case", func(p *schema.Proceeding) { p.CitizenshipGroup = "non_eu" }, "citizenship_group", schema.RuleCode},
		{"forced criminality", func(p *schema.Proceeding) { p.Exploitation = "criminal" }, "", ""},
		{"unknown exploitation", func(p *schema.Proceeding) { p.Exploitation = "smuggling" }, "exploitation", schema.RuleCode},
		{"every legal qualification", func(p *schema.Proceeding) { p.LegalQualification = "s342" }, "", ""},
		{"section with a paragraph sign", func(p *schema.Proceeding) { p.LegalQualification = "§168" }, "legal_qualification", schema.RuleCode},
		{"other section", func(p *schema.Proceeding) { p.LegalQualification = "other" }, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validProceeding()
			tc.change(&p)
			err := p.Validate()
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

func TestProceedingDecode(t *testing.T) {
	d, err := schema.Current("proceedings")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := d.Decode([]byte(`{"year":2024,"stage":"prosecuted","sex":"F","legal_qualification":"s189","count":0,"case_level":true}`))
	want := schema.Proceeding{Year: 2024, Stage: "prosecuted", Sex: "F", LegalQualification: "s189", Count: 0, CaseLevel: true}
	if err != nil || rec != want {
		t.Fatalf("Decode = %#v, %v", rec, err)
	}
	for _, tc := range []struct{ raw, field, rule string }{
		{`{"year":2024,"stage":"prosecuted"}`, "count", schema.RuleRequired},
		{`{"year":2024,"stage":"prosecuted","count":null}`, "count", schema.RuleRequired},
		{`{"stage":"prosecuted","count":1}`, "year", schema.RuleRequired},
		{`{"year":"2024","stage":"prosecuted","count":1}`, "year", schema.RuleType},
		{`{"year":2024,"stage":"prosecuted","count":1.5}`, "count", schema.RuleType},
		{`{"year":2024,"stage":"prosecuted","count":1,"case_level":"yes"}`, "case_level", schema.RuleType},
		{`{"year":2024,"stage":"prosecuted","count":1,"case":"3 T 10/2012"}`, "case", schema.RuleUnknownField},
		{`{"year":2024,"stage":"prosecuted","Count":1}`, "count", schema.RuleFieldCase},
	} {
		_, err := d.Decode([]byte(tc.raw))
		wantProblem(t, err, tc.field, tc.rule)
	}
}
