package schema_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/thbx/thbx/submission/schema"
)

func valid() schema.Victim {
	return schema.Victim{Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "UA"}
}

func TestVictimValidate(t *testing.T) {
	key16 := strings.Repeat("k", 16)
	for _, tc := range []struct {
		name   string
		change func(*schema.Victim)
		ok     bool
	}{
		{"minimal", func(*schema.Victim) {}, true},
		{"full", func(v *schema.Victim) {
			*v = schema.Victim{StatusSource: "identifikovaná oběť", Status: "possible", DecidedBy: "ngo", Sex: "M",
				BirthYear: 2008, AgeGroup: "child", Citizenship: "XX", Exploitation: []string{"labour", "begging"},
				IdentifiedOn: "2025-05-02", LinkageKeys: []string{key16, strings.Repeat("A-_9", 32)}}
		}, true},
		{"no status", func(v *schema.Victim) { v.Status = "" }, false},
		{"unknown status", func(v *schema.Victim) { v.Status = "presumed" }, false},
		{"status in upper case", func(v *schema.Victim) { v.Status = "Actual" }, false},
		{"unknown decider", func(v *schema.Victim) { v.DecidedBy = "army" }, false},
		{"no sex", func(v *schema.Victim) { v.Sex = "" }, false},
		{"lower-case sex", func(v *schema.Victim) { v.Sex = "f" }, false},
		{"unknown sex", func(v *schema.Victim) { v.Sex = "X" }, false},
		{"no age group", func(v *schema.Victim) { v.AgeGroup = "" }, false},
		{"unknown age group", func(v *schema.Victim) { v.AgeGroup = "minor" }, false},
		{"status_source of 100 bytes", func(v *schema.Victim) { v.StatusSource = strings.Repeat("x", 100) }, true},
		{"status_source of 101 bytes", func(v *schema.Victim) { v.StatusSource = strings.Repeat("x", 101) }, false},
		// The limit counts characters: 51 two-byte letters are 102 bytes
		// but 51 characters; 101 of them are too many.
		{"status_source of 51 two-byte letters", func(v *schema.Victim) { v.StatusSource = strings.Repeat("ě", 51) }, true},
		{"status_source of 101 two-byte letters", func(v *schema.Victim) { v.StatusSource = strings.Repeat("ě", 101) }, false},
		{"birth year 1900", func(v *schema.Victim) { v.BirthYear = 1900 }, true},
		{"birth year 2100", func(v *schema.Victim) { v.BirthYear = 2100 }, true},
		{"birth year 1899", func(v *schema.Victim) { v.BirthYear = 1899 }, false},
		{"birth year 2101", func(v *schema.Victim) { v.BirthYear = 2101 }, false},
		{"negative birth year", func(v *schema.Victim) { v.BirthYear = -1 }, false},
		{"two-digit birth year", func(v *schema.Victim) { v.BirthYear = 98 }, false},
		{"no citizenship", func(v *schema.Victim) { v.Citizenship = "" }, false},
		{"lower-case citizenship", func(v *schema.Victim) { v.Citizenship = "ua" }, false},
		{"alpha-3 citizenship", func(v *schema.Victim) { v.Citizenship = "UKR" }, false},
		{"numeric citizenship", func(v *schema.Victim) { v.Citizenship = "80" }, false},
		{"unknown citizenship", func(v *schema.Victim) { v.Citizenship = "XX" }, true},
		{"citizenship with newline", func(v *schema.Victim) { v.Citizenship = "UA\n" }, false},
		{"every exploitation", func(v *schema.Victim) { v.Exploitation = slices.Clone(schema.Exploitation) }, true},
		{"unknown exploitation", func(v *schema.Victim) { v.Exploitation = []string{"sexual", "smuggling"} }, false},
		{"empty exploitation entry", func(v *schema.Victim) { v.Exploitation = []string{""} }, false},
		{"empty exploitation list", func(v *schema.Victim) { v.Exploitation = []string{} }, true},
		{"identified in a year", func(v *schema.Victim) { v.IdentifiedOn = "2025" }, true},
		{"identified in a month", func(v *schema.Victim) { v.IdentifiedOn = "2025-07" }, true},
		{"identified on a day", func(v *schema.Victim) { v.IdentifiedOn = "2025-07-31" }, true},
		{"identified in month 13", func(v *schema.Victim) { v.IdentifiedOn = "2025-13" }, false},
		{"identified on day 32", func(v *schema.Victim) { v.IdentifiedOn = "2025-01-32" }, false},
		{"identified on day 0", func(v *schema.Victim) { v.IdentifiedOn = "2025-01-00" }, false},
		{"identified in 1899", func(v *schema.Victim) { v.IdentifiedOn = "1899" }, false},
		{"identified with a time", func(v *schema.Victim) { v.IdentifiedOn = "2025-07-01T00:00:00Z" }, false},
		{"identified in day-month-year", func(v *schema.Victim) { v.IdentifiedOn = "01.07.2025" }, false},
		{"linkage key of 16", func(v *schema.Victim) { v.LinkageKeys = []string{key16} }, true},
		{"linkage key of 15", func(v *schema.Victim) { v.LinkageKeys = []string{key16[:15]} }, false},
		{"linkage key of 128", func(v *schema.Victim) { v.LinkageKeys = []string{strings.Repeat("k", 128)} }, true},
		{"linkage key of 129", func(v *schema.Victim) { v.LinkageKeys = []string{strings.Repeat("k", 129)} }, false},
		{"linkage key in standard base64", func(v *schema.Victim) { v.LinkageKeys = []string{key16 + "+/"} }, false},
		{"linkage key with padding", func(v *schema.Victim) { v.LinkageKeys = []string{key16 + "=="} }, false},
		{"linkage key with a name in it", func(v *schema.Victim) { v.LinkageKeys = []string{"Jana Novakova 1998"} }, false},
		{"64 linkage keys", func(v *schema.Victim) { v.LinkageKeys = slices.Repeat([]string{key16}, 64) }, true},
		{"65 linkage keys", func(v *schema.Victim) { v.LinkageKeys = slices.Repeat([]string{key16}, 65) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := valid()
			tc.change(&v)
			err := v.Validate()
			if tc.ok && err != nil {
				t.Errorf("Validate: %v", err)
			}
			if !tc.ok && err == nil {
				t.Errorf("Validate accepted %+v", v)
			}
		})
	}
}

func TestVictimCodeLists(t *testing.T) {
	for _, tc := range []struct {
		list []string
		set  func(*schema.Victim, string)
	}{
		{schema.Statuses, func(v *schema.Victim, s string) { v.Status = s }},
		{schema.Deciders, func(v *schema.Victim, s string) { v.DecidedBy = s }},
		{schema.Sexes, func(v *schema.Victim, s string) { v.Sex = s }},
		{schema.AgeGroups, func(v *schema.Victim, s string) { v.AgeGroup = s }},
		{schema.Exploitation, func(v *schema.Victim, s string) { v.Exploitation = []string{s} }},
	} {
		for _, code := range tc.list {
			v := valid()
			tc.set(&v, code)
			if err := v.Validate(); err != nil {
				t.Errorf("code %q: %v", code, err)
			}
		}
	}
}

// fieldErrors returns the fields a Validate error names, one per problem.
func fieldErrors(t *testing.T, err error) []string {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else if err != nil {
		errs = []error{err}
	}
	var fields []string
	for _, e := range errs {
		var fe *schema.FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("problem %v (%T) is not a *FieldError", e, e)
		}
		fields = append(fields, fe.Field)
	}
	return fields
}

func TestVictimValidateNamesEveryProblem(t *testing.T) {
	v := schema.Victim{Status: "x", DecidedBy: "x", Sex: "x", AgeGroup: "x", Citizenship: "x", BirthYear: 1,
		Exploitation: []string{"x"}, IdentifiedOn: "x", LinkageKeys: []string{"x"}, StatusSource: strings.Repeat("x", 101),
		AgeBand: "x", SexualExploitation: []string{"x"}, LabourSector: []string{"x"}, MeansOfControl: []string{"x"},
		Recruitment: []string{"x"}, RelationshipToTrafficker: "x", Events: []schema.Event{{Stage: "x"}}, Region: "x",
		Assistance: []string{"x"}, Bloom: "x"}
	got := fieldErrors(t, v.Validate())
	d, _ := schema.Lookup("victims/1")
	for _, f := range d.Spec() {
		// A boolean cannot hold a wrong value.
		if field := f.Name; f.Kind != schema.KindBool && !slices.Contains(got, field) {
			t.Errorf("no problem named for %s: %v", field, got)
		}
	}
	if got := fieldErrors(t, valid().Validate()); len(got) != 0 {
		t.Errorf("valid record has problems %v", got)
	}
	// A missing required field is one problem, not two.
	if got := fieldErrors(t, schema.Victim{Sex: "F", AgeGroup: "adult", Citizenship: "UA"}.Validate()); !slices.Equal(got, []string{"status"}) {
		t.Errorf("problems %v, want [status]", got)
	}
}

// TestValidateDoesNotEchoLinkageKeys: a value that fails the linkage-key
// pattern is most likely not a keyed hash but what it should have been
// made from (a name, a date of birth, a document number). Error messages
// go to the CLI, logs and receipts, so they must not repeat it.
func TestValidateDoesNotEchoLinkageKeys(t *testing.T) {
	v := valid()
	v.LinkageKeys = []string{"Jana Novakova 1998-03-14"}
	err := v.Validate()
	if err == nil {
		t.Fatal("accepted a name as a linkage key")
	}
	if strings.Contains(err.Error(), "Novakova") {
		t.Fatalf("the error repeats the rejected linkage key: %v", err)
	}
}

// TestValidateMessagesAreUTF8: the shortened status_source in a FieldError
// must not cut a character in half.
func TestValidateMessagesAreUTF8(t *testing.T) {
	v := valid()
	v.StatusSource = strings.Repeat("x", 19) + strings.Repeat("ě", 90)
	err := v.Validate()
	if err == nil {
		t.Fatal("accepted 109 characters of status_source")
	}
	if !utf8.ValidString(err.Error()) {
		t.Errorf("error message is not valid UTF-8: %q", err.Error())
	}
	var fe *schema.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("%v is not a *FieldError", err)
	}
	if !utf8.ValidString(fe.Value) {
		t.Errorf("FieldError.Value is not valid UTF-8: %q", fe.Value)
	}
}

func TestDecode(t *testing.T) {
	d, err := schema.Lookup("victims/1")
	if err != nil {
		t.Fatal(err)
	}
	good := `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","exploitation":["sexual"]}`
	v, err := d.Decode([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := schema.Victim{Status: "actual", Sex: "F", AgeGroup: "adult", Citizenship: "UA", Exploitation: []string{"sexual"}}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("Decode = %#v, want %#v", v, want)
	}
	for _, bad := range []string{
		``,
		`null`,
		`[]`,
		`"victim"`,
		`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","name":"Jana"}`,
		`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","date_of_birth":"1998-01-01"}`,
		good + `{}`,
		good + ` x`,
		`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","birth_year":"1998"}`,
		`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","birth_year":1998.5}`,
		`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","exploitation":"sexual"}`,
		`{"status":"actual","sex":"F","age_group":"adult"}`,
		`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"`,
	} {
		if _, err := d.Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s) accepted", bad)
		}
	}
}

func TestLookup(t *testing.T) {
	d, err := schema.Lookup("victims/1")
	if err != nil || d.Name != "victims" || d.Version != "victims/1" {
		t.Fatalf("Lookup(victims/1) = %+v, %v", d, err)
	}
	for _, v := range []string{"victims/2", "victims", "", "Victims/1", "suspects/1", "victims/1 "} {
		if _, err := schema.Lookup(v); !errors.Is(err, schema.ErrUnknownDataset) {
			t.Errorf("Lookup(%q): %v", v, err)
		}
	}
	c, err := schema.Current("victims")
	if err != nil || c.Version != "victims/1" {
		t.Errorf("Current(victims) = %+v, %v", c, err)
	}
	if _, err := schema.Current("suspects"); !errors.Is(err, schema.ErrUnknownDataset) {
		t.Errorf("Current(suspects): %v", err)
	}
}

func TestFields(t *testing.T) {
	// The field list is the set of JSON names of Victim, in order, so a
	// column mapping built from it covers every field.
	var want []string
	typ := reflect.TypeFor[schema.Victim]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		want = append(want, name)
	}
	got := schema.Fields("victims/1")
	if !slices.Equal(got, want) {
		t.Errorf("Fields = %v, want %v", got, want)
	}
	got[0] = "changed"
	if schema.Fields("victims/1")[0] == "changed" {
		t.Error("Fields returns the package's own slice")
	}
	if schema.Fields("nope") != nil {
		t.Error("Fields of an unknown version is not nil")
	}
}

func TestVictimJSONOmitsEmpty(t *testing.T) {
	b, err := json.Marshal(valid())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}`; got != want {
		t.Errorf("%s, want %s", got, want)
	}
}
