package disclosure_test

import (
	"encoding/json"
	"fmt"
	"log"
	"slices"
	"strings"

	"github.com/thbx/thbx/policy/disclosure"
)

func ExampleProtect() {
	t := disclosure.Table{
		Name: "persons_by_sex",
		Dims: []string{"period", "sex"},
		Rows: []disclosure.Row{
			{Keys: []string{"2023", "female"}, Count: 14},
			{Keys: []string{"2023", "male"}, Count: 2},
			{Keys: []string{"2023", "unknown"}, Count: 5},
			{Keys: []string{"2024", "female"}, Count: 11},
			{Keys: []string{"2024", "male"}, Count: 6},
			{Keys: []string{"2024", "unknown"}, Count: 0},
			{Keys: []string{"all", "female"}, Count: 25},
			{Keys: []string{"all", "male"}, Count: 8},
			{Keys: []string{"all", "unknown"}, Count: 5},
		},
	}
	rule := disclosure.Rule{K: 3, TotalValue: map[string]string{"period": "all"}}
	p, err := disclosure.Protect(t, rule)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range slices.Concat(p.Cells, p.Totals) {
		fmt.Printf("%-5s %-8s %3s  %s\n", c.Keys[0], c.Keys[1], c, c.Status)
	}
	recovered, err := disclosure.Audit(p, t, rule)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("recovered:", recovered)
	// Output:
	// 2023  female    14  published
	// 2023  male      <4  primary
	// 2023  unknown    x  secondary
	// 2024  female    11  published
	// 2024  male       6  published
	// 2024  unknown    0  published
	// all   female    25  published
	// all   male       x  secondary
	// all   unknown    x  secondary
	// 2023  *         21  published
	// 2024  *         17  published
	// all   *         38  published
	// recovered: []
}

func ExampleCell_MarshalJSON() {
	cells := []disclosure.Cell{
		{Keys: []string{"2023", "female"}, Count: 14},
		{Keys: []string{"2023", "male"}, Status: disclosure.Primary, Max: 3},
		{Keys: []string{"2023", disclosure.Margin}, Status: disclosure.Secondary},
	}
	for _, c := range cells {
		b, err := json.Marshal(c)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(string(b))
	}
	// Output:
	// {"keys":["2023","female"],"count":14}
	// {"keys":["2023","male"],"count":null,"suppressed":"primary","max":3}
	// {"keys":["2023","*"],"count":null,"suppressed":"secondary"}
}

func ExampleProtectLinked() {
	// Persons of one period by sex, and by source category and sex. The
	// totals of overlap_by_sex over the sources are persons_by_sex.
	bySex := disclosure.Table{Name: "persons_by_sex", Dims: []string{"sex"}, Rows: []disclosure.Row{
		{Keys: []string{"female"}, Count: 11}, {Keys: []string{"male"}, Count: 10}, {Keys: []string{"unknown"}, Count: 2},
	}}
	bySource := disclosure.Table{Name: "overlap_by_sex", Dims: []string{"source", "sex"}, Rows: []disclosure.Row{
		{Keys: []string{"ngo", "female"}, Count: 4}, {Keys: []string{"ngo", "male"}, Count: 6}, {Keys: []string{"ngo", "unknown"}, Count: 2},
		{Keys: []string{"police", "female"}, Count: 7}, {Keys: []string{"police", "male"}, Count: 4}, {Keys: []string{"police", "unknown"}, Count: 0},
	}}
	// A count's ID: its sex, or "all", whatever the sources.
	id := func(sex string) string {
		if sex == disclosure.Margin {
			return "all"
		}
		return sex
	}
	report := []disclosure.Linked{
		{Table: bySex, Rule: disclosure.Rule{K: 3}, ID: func(keys []string) string { return id(keys[0]) }},
		{Table: bySource, Rule: disclosure.Rule{K: 3}, ID: func(keys []string) string {
			if keys[0] != disclosure.Margin {
				return "" // by source: overlap_by_sex's own
			}
			return id(keys[1])
		}},
	}
	ps, err := disclosure.ProtectLinked(report)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range ps {
		for _, c := range slices.Concat(p.Cells, p.Totals) {
			fmt.Printf("%-15s %-15s %3s\n", p.Name, strings.Join(c.Keys, ","), c)
		}
	}
	recovered, err := disclosure.AuditLinked(ps, report)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("recovered:", recovered)

	// Each table protected alone gives counts away.
	for i, l := range report {
		if ps[i], err = disclosure.Protect(l.Table, l.Rule); err != nil {
			log.Fatal(err)
		}
	}
	recovered, err = disclosure.AuditLinked(ps, report)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range recovered {
		fmt.Println("protected one by one:", r)
	}
	// Output:
	// persons_by_sex  female            x
	// persons_by_sex  male              x
	// persons_by_sex  unknown          <4
	// persons_by_sex  *                23
	// overlap_by_sex  ngo,female        x
	// overlap_by_sex  ngo,male          x
	// overlap_by_sex  ngo,unknown      <4
	// overlap_by_sex  police,female     7
	// overlap_by_sex  police,male       4
	// overlap_by_sex  police,unknown    0
	// overlap_by_sex  ngo,*            12
	// overlap_by_sex  police,*         11
	// overlap_by_sex  *,female          x
	// overlap_by_sex  *,male            x
	// overlap_by_sex  *,unknown        <4
	// overlap_by_sex  *,*              23
	// recovered: []
	// protected one by one: persons_by_sex: male (secondary) = 10
	// protected one by one: persons_by_sex: unknown (primary) = 2
	// protected one by one: overlap_by_sex: ngo,female (secondary) = 4
	// protected one by one: overlap_by_sex: ngo,unknown (primary) = 2
	// protected one by one: overlap_by_sex: *,female (secondary) = 11
	// protected one by one: overlap_by_sex: *,unknown (primary) = 2
}
