package disclosure_test

import (
	"encoding/json"
	"fmt"
	"log"
	"slices"

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
