package schema_test

import (
	"fmt"

	"github.com/thbx/thbx/submission/schema"
)

// A partner's spreadsheet says "Identifikovaná oběť", "klientka" and
// "nucená práce"; the mapping finds the codes, whatever the case and
// diacritics.
func ExampleCodeList_Match() {
	for _, term := range []string{"Identifikovaná oběť", "KLIENTKA", "not a victim"} {
		c, _ := schema.StatusList.Match(term)
		fmt.Println(term, "→", c.Code)
	}
	c, _ := schema.ExploitationList.Match("nucena prace")
	fmt.Println("nucena prace →", c.Code)
	c, _ = schema.CountryList.Match("Ukrajina")
	fmt.Println("Ukrajina →", c.Code)
	// Output:
	// Identifikovaná oběť → actual
	// KLIENTKA → possible
	// not a victim → not_victim
	// nucena prace → labour
	// Ukrajina → UA
}

// A value that matches nothing gets a suggestion.
func ExampleCodeList_Nearest() {
	c, dist := schema.CountryList.Nearest("Vietnan")
	fmt.Printf("did you mean %s (%s)? distance %d\n", c.Code, c.Label, dist)
	// Output: did you mean VN (Vietnam)? distance 1
}

// Decode checks a record strictly and names every problem by field and
// rule.
func ExampleDataset_Decode() {
	d, _ := schema.Lookup("victims/1")
	_, err := d.Decode([]byte(`{"status":"victim","sex":"F","age_group":"adult","citizenship":"UA","status_source":"oběť"}`))
	fmt.Println(err)
	_, err = d.Decode([]byte(`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA","name":"Jana"}`))
	fmt.Println(err)
	// Output:
	// status "victim": is not one of possible, actual, not_victim
	// name: is not a field of victims/1
}

// Spec tells mapping code what each field holds.
func ExampleDataset_Spec() {
	d, _ := schema.Current("controls")
	for _, f := range d.Spec() {
		if f.Codes != nil {
			fmt.Println(f.Name, f.Kind, f.Required, f.Codes.Name)
		} else {
			fmt.Println(f.Name, f.Kind, f.Required)
		}
	}
	// Output:
	// authority code true authority
	// year int true
	// period string false
	// region code false region
	// controls int true
	// persons_checked int true
	// suspected_cases int true
}
