package schema_test

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

// problems returns the *FieldErrors an error joins.
func problems(t *testing.T, err error) []*schema.FieldError {
	t.Helper()
	var out []*schema.FieldError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *schema.FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("problem %v (%T) is not a *FieldError", e, e)
		}
		out = append(out, fe)
	}
	if err != nil {
		walk(err)
	}
	return out
}

// wantProblem checks that err holds exactly one problem, of field and rule.
func wantProblem(t *testing.T, err error, field, rule string) {
	t.Helper()
	ps := problems(t, err)
	if len(ps) != 1 || ps[0].Field != field || ps[0].Rule != rule {
		var got []string
		for _, p := range ps {
			got = append(got, p.Field+"/"+p.Rule+": "+p.Error())
		}
		t.Errorf("problems %q, want one %s/%s", got, field, rule)
	}
}

// TestVictimNewFields covers the fields victims/1 gained after its first
// ten: each code list, the events, the consent flags, the Bloom filter and
// the rules between fields.
func TestVictimNewFields(t *testing.T) {
	bloom := base64.RawURLEncoding.EncodeToString(make([]byte, 128))
	for _, tc := range []struct {
		name        string
		change      func(*schema.Victim)
		field, rule string // of the one problem; empty if valid
	}{
		{"full", func(v *schema.Victim) {
			*v = schema.Victim{Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "CZ", BirthYear: 1999,
				IdentifiedOn: "2024-06", AgeBand: "24-26", Exploitation: []string{"sexual", "criminal"},
				SexualExploitation: []string{"prostitution", "remote_interactive"}, LabourSector: []string{"I", "S"},
				MeansOfControl: []string{"debt_bondage", "restricts_movement", "uses_children"},
				Recruitment:    []string{"online_social_network", "friends"}, RelationshipToTrafficker: "acquainted",
				Events: []schema.Event{{Stage: "recruitment", Country: "CZ", Date: "2023"}, {Stage: "exploitation", Country: "DE", Date: "2023-11-30"}, {Stage: "transit", Country: "AT"}},
				Region: "CZ080", Assistance: []string{"accommodation", "return"}, ConsentShare: true, ConsentResearch: true, Bloom: bloom}
		}, "", ""},
		{"every age band", func(v *schema.Victim) { v.AgeBand = "48+" }, "", ""},
		{"unknown age band", func(v *schema.Victim) { v.AgeBand = "18-25" }, "age_band", schema.RuleCode},
		{"child band, adult group", func(v *schema.Victim) { v.AgeBand = "9-17" }, "age_group", schema.RuleConsistency},
		{"adult band, child group", func(v *schema.Victim) { v.AgeGroup, v.AgeBand = "child", "18-20" }, "age_group", schema.RuleConsistency},
		{"band known, group unknown", func(v *schema.Victim) { v.AgeGroup, v.AgeBand = "unknown", "30-38" }, "age_group", schema.RuleConsistency},
		{"born after identification", func(v *schema.Victim) { v.BirthYear, v.IdentifiedOn = 2026, "2025-01" }, "birth_year", schema.RuleConsistency},
		{"17 or 18: child", func(v *schema.Victim) { v.AgeGroup, v.BirthYear, v.IdentifiedOn = "child", 2007, "2025" }, "", ""},
		{"17 or 18: adult", func(v *schema.Victim) { v.BirthYear, v.IdentifiedOn = 2007, "2025" }, "", ""},
		{"surely 18: not a child", func(v *schema.Victim) { v.AgeGroup, v.BirthYear, v.IdentifiedOn = "child", 2006, "2025" }, "age_group", schema.RuleConsistency},
		{"surely 17: not an adult", func(v *schema.Victim) { v.BirthYear, v.IdentifiedOn = 2008, "2025" }, "age_group", schema.RuleConsistency},
		{"band at its edge", func(v *schema.Victim) { v.AgeBand, v.BirthYear, v.IdentifiedOn = "21-23", 2001, "2025-12-31" }, "", ""},
		{"band off by two", func(v *schema.Victim) { v.AgeBand, v.BirthYear, v.IdentifiedOn = "21-23", 1999, "2025" }, "age_band", schema.RuleConsistency},
		{"birth year without identification", func(v *schema.Victim) { v.BirthYear, v.AgeBand = 1950, "21-23" }, "", ""},
		{"subtype without sexual", func(v *schema.Victim) {
			v.Exploitation, v.SexualExploitation = []string{"labour"}, []string{"pornography"}
		}, "sexual_exploitation", schema.RuleConsistency},
		{"unknown subtype", func(v *schema.Victim) {
			v.Exploitation, v.SexualExploitation = []string{"sexual"}, []string{"escort"}
		}, "sexual_exploitation", schema.RuleCode},
		{"exploitation twice", func(v *schema.Victim) { v.Exploitation = []string{"labour", "begging", "labour"} }, "exploitation", schema.RuleDuplicate},
		{"new exploitation codes", func(v *schema.Victim) { v.Exploitation = []string{"child_labour", "forced_military"} }, "", ""},
		{"every ISIC section", func(v *schema.Victim) { v.LabourSector = strings.Split("ABCDEFGHIJKLMNOPQRSTU", "") }, "", ""},
		{"ISIC section V", func(v *schema.Victim) { v.LabourSector = []string{"V"} }, "labour_sector", schema.RuleCode},
		{"ISIC division", func(v *schema.Victim) { v.LabourSector = []string{"A01"} }, "labour_sector", schema.RuleCode},
		{"lower-case section", func(v *schema.Victim) { v.LabourSector = []string{"a"} }, "labour_sector", schema.RuleCode},
		{"every means of control", func(v *schema.Victim) { v.MeansOfControl = schema.MeansOfControlList.Values() }, "", ""},
		{"unknown means", func(v *schema.Victim) { v.MeansOfControl = []string{"threats"} }, "means_of_control", schema.RuleCode},
		{"every recruitment", func(v *schema.Victim) { v.Recruitment = schema.RecruitmentList.Values() }, "", ""},
		{"recruitment twice", func(v *schema.Victim) { v.Recruitment = []string{"tv", "tv"} }, "recruitment", schema.RuleDuplicate},
		{"relationship", func(v *schema.Victim) { v.RelationshipToTrafficker = "none" }, "", ""},
		{"unknown relationship", func(v *schema.Victim) { v.RelationshipToTrafficker = "partner" }, "relationship_to_trafficker", schema.RuleCode},
		{"event without country", func(v *schema.Victim) { v.Events = []schema.Event{{Stage: "exploitation"}} }, "events", schema.RuleRequired},
		{"event without stage", func(v *schema.Victim) { v.Events = []schema.Event{{Country: "DE"}} }, "events", schema.RuleRequired},
		{"event in XX", func(v *schema.Victim) { v.Events = []schema.Event{{Stage: "transit", Country: "XX"}} }, "", ""},
		{"event in alpha-3", func(v *schema.Victim) { v.Events = []schema.Event{{Stage: "transit", Country: "DEU"}} }, "events", schema.RuleCode},
		{"event on 30 February", func(v *schema.Victim) {
			v.Events = []schema.Event{{Stage: "exploitation", Country: "DE", Date: "2024-02-30"}}
		}, "events", schema.RuleFormat},
		{"event on 29 February of a leap year", func(v *schema.Victim) {
			v.Events = []schema.Event{{Stage: "exploitation", Country: "DE", Date: "2024-02-29"}}
		}, "", ""},
		{"32 events", func(v *schema.Victim) {
			v.Events = slices.Repeat([]schema.Event{{Stage: "transit", Country: "PL"}}, 32)
		}, "", ""},
		{"33 events", func(v *schema.Victim) {
			v.Events = slices.Repeat([]schema.Event{{Stage: "transit", Country: "PL"}}, 33)
		}, "events", schema.RuleLength},
		{"every region", func(v *schema.Victim) { v.Region = "CZ063" }, "", ""},
		{"old NUTS code", func(v *schema.Victim) { v.Region = "CZ061" }, "region", schema.RuleCode},
		{"NUTS 2", func(v *schema.Victim) { v.Region = "CZ01" }, "region", schema.RuleCode},
		{"assistance", func(v *schema.Victim) { v.Assistance = schema.AssistanceList.Values() }, "", ""},
		{"unknown assistance", func(v *schema.Victim) { v.Assistance = []string{"food"} }, "assistance", schema.RuleCode},
		{"bloom of 1 KiB", func(v *schema.Victim) { v.Bloom = base64.RawURLEncoding.EncodeToString(make([]byte, 1024)) }, "", ""},
		{"bloom of 1 KiB + 1", func(v *schema.Victim) { v.Bloom = base64.RawURLEncoding.EncodeToString(make([]byte, 1025)) }, "bloom", schema.RuleFormat},
		{"bloom padded", func(v *schema.Victim) { v.Bloom = base64.URLEncoding.EncodeToString(make([]byte, 127)) }, "bloom", schema.RuleFormat},
		{"bloom in standard base64", func(v *schema.Victim) { v.Bloom = "++//" }, "bloom", schema.RuleFormat},
		{"bloom with stray bits", func(v *schema.Victim) { v.Bloom = "AB" }, "bloom", schema.RuleFormat},
		{"bloom of one byte", func(v *schema.Victim) { v.Bloom = "AA" }, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := valid()
			tc.change(&v)
			err := v.Validate()
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

// TestVictimErrorsHideValues: errors repeat codes, numbers and dates,
// which a partner needs to see, but never free text, keys or filters.
func TestVictimErrorsHideValues(t *testing.T) {
	const secret = "Nováková"
	v := valid()
	v.StatusSource = strings.Repeat(secret, 20)
	v.LinkageKeys = []string{secret}
	v.Bloom = secret
	v.Status = "victim"
	for _, p := range problems(t, v.Validate()) {
		if strings.Contains(p.Error(), "Nov") || strings.Contains(p.Value, "Nov") {
			t.Errorf("%s repeats the value: %v", p.Field, p)
		}
		if p.Field == "status" && p.Value != "victim" {
			t.Errorf("the status error does not name the code: %v", p)
		}
	}
}
