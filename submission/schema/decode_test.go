package schema_test

import (
	"strings"
	"testing"

	"github.com/thbx/thbx/submission/schema"
)

const minimal = `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"`

// TestDecodeStructure: a record that is not a well-formed victims/1
// object gives one *FieldError naming the field and the rule.
func TestDecodeStructure(t *testing.T) {
	d, _ := schema.Lookup("victims/1")
	for _, tc := range []struct{ name, raw, field, rule string }{
		{"empty", ``, "", schema.RuleSyntax},
		{"spaces", "  \n", "", schema.RuleSyntax},
		{"null", `null`, "", schema.RuleSyntax},
		{"array", `[]`, "", schema.RuleSyntax},
		{"string", `"victim"`, "", schema.RuleSyntax},
		{"cut short", minimal, "", schema.RuleSyntax},
		{"bad JSON inside", minimal + `,"birth_year":19x8}`, "", schema.RuleSyntax},
		{"trailing object", minimal + `}{}`, "", schema.RuleSyntax},
		{"trailing word", minimal + `} x`, "", schema.RuleSyntax},
		{"unknown field", minimal + `,"name":"x"}`, "name", schema.RuleUnknownField},
		{"identifier field", minimal + `,"date_of_birth":"1998-01-01"}`, "date_of_birth", schema.RuleUnknownField},
		{"mis-cased field", `{"STATUS":"actual","sex":"F","age_group":"adult","citizenship":"UA"}`, "status", schema.RuleFieldCase},
		{"repeated field", minimal + `,"sex":"M"}`, "sex", schema.RuleDuplicateField},
		{"number as text", minimal + `,"birth_year":"1998"}`, "birth_year", schema.RuleType},
		{"fraction", minimal + `,"birth_year":1998.5}`, "birth_year", schema.RuleType},
		{"huge number", minimal + `,"birth_year":1e400}`, "birth_year", schema.RuleType},
		{"code as number", `{"status":1,"sex":"F","age_group":"adult","citizenship":"UA"}`, "status", schema.RuleType},
		{"list as text", minimal + `,"exploitation":"sexual"}`, "exploitation", schema.RuleType},
		{"list of numbers", minimal + `,"exploitation":[1]}`, "exploitation", schema.RuleType},
		{"flag as text", minimal + `,"consent_share":"ano"}`, "consent_share", schema.RuleType},
		{"event as text", minimal + `,"events":["DE"]}`, "events", schema.RuleSyntax},
		{"event with a city", minimal + `,"events":[{"stage":"exploitation","country":"DE","city":"Berlin"}]}`, "events", schema.RuleSyntax},
		{"event mis-cased", minimal + `,"events":[{"Stage":"exploitation","country":"DE"}]}`, "events", schema.RuleSyntax},
		{"not UTF-8", minimal + ",\"status_source\":\"ob\xecť\"}", "", schema.RuleSyntax},
		{"event repeated key", minimal + `,"events":[{"stage":"exploitation","country":"DE","country":"AT"}]}`, "events", schema.RuleSyntax},
		{"event null", minimal + `,"events":[null]}`, "events", schema.RuleSyntax},
		{"event country as number", minimal + `,"events":[{"stage":"exploitation","country":276}]}`, "events", schema.RuleType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := d.Decode([]byte(tc.raw))
			if rec != nil {
				t.Errorf("Decode returned a record %#v", rec)
			}
			wantProblem(t, err, tc.field, tc.rule)
		})
	}
}

// TestDecodeNamesNoValue: whatever is wrong with a record, the error does
// not repeat the personal data in it, not even in a field name that is
// not a plain identifier.
func TestDecodeNamesNoValue(t *testing.T) {
	d, _ := schema.Lookup("victims/1")
	const name = "Nováková"
	for _, raw := range []string{
		minimal + `,"status_source":"` + strings.Repeat(name, 20) + `"}`,
		minimal + `,"linkage_keys":["` + name + `"]}`,
		minimal + `,"bloom":"` + name + `"}`,
		minimal + `,"` + name + ` Jana":"1998"}`,
		minimal + `,"events":[{"stage":"exploitation","country":"DE","note":"` + name + `"}]}`,
		minimal + `,"birth_year":"` + name + `"}`,
		minimal + `,"status_source":"` + name + `"` + `,"status_source":"` + name + `"}`,
		minimal + `,"exploitation":["sexual"]}` + `{"name":"` + name + `"}`,
		minimal + `,"name":` + name + `}`,
	} {
		_, err := d.Decode([]byte(raw))
		if err == nil {
			t.Errorf("Decode accepted %s", raw)
			continue
		}
		for _, p := range problems(t, err) {
			if strings.Contains(p.Error(), "Nov") || strings.Contains(p.Field, "Nov") || strings.Contains(p.Value, "Nov") {
				t.Errorf("the error repeats personal data: %q (field %q)", p.Error(), p.Field)
			}
		}
	}
}

// TestDecodeJoinsProblems: a well-formed record with several problems
// gives all of them, with the decoded record.
func TestDecodeJoinsProblems(t *testing.T) {
	d, _ := schema.Lookup("victims/1")
	rec, err := d.Decode([]byte(`{"status":"victim","sex":"X","age_group":"adult","citizenship":"UKR","exploitation":["sexual","sexual"]}`))
	if _, ok := rec.(schema.Victim); !ok {
		t.Errorf("Decode returned %T", rec)
	}
	var got []string
	for _, p := range problems(t, err) {
		got = append(got, p.Field+"/"+p.Rule+"/"+p.Value)
	}
	want := []string{"status/code/victim", "sex/code/X", "citizenship/code/UKR", "exploitation/duplicate/sexual"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems %v, want %v", got, want)
	}
}

// BenchmarkDecodeVictim measures the hub's per-record cost at ingest
// (about a million records a year EU-wide).
func BenchmarkDecodeVictim(b *testing.B) {
	d, _ := schema.Lookup("victims/1")
	raw := []byte(`{"status_source":"klientka","status":"possible","decided_by":"ngo","sex":"F","birth_year":1999,"age_group":"adult","citizenship":"VN","exploitation":["sexual","criminal"],"identified_on":"2024-06","linkage_keys":["hmac-v1_Zm9vYmFyYmF6cXV4","hmac-v2_Zm9vYmFyYmF6cXV4"],"age_band":"24-26","means_of_control":["debt_bondage"],"events":[{"stage":"exploitation","country":"CZ"}],"region":"CZ042"}`)
	for b.Loop() {
		if _, err := d.Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}
