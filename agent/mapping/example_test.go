package mapping_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/agent/mapping"
)

// A police export in its own words: the mapping names every column, the
// surname and date of birth become linkage keys and a birth year, the
// address a region, and the police's own word is kept next to the code.
func ExampleMapping_RunReader() {
	m, err := mapping.Parse([]byte(`
dataset: victims
source: {format: csv, delimiter: ";"}
profile: default
columns:
  "Č. j.": {drop: true}
  "Příjmení": {identifier: surname}
  "Jméno": {identifier: given}
  "Datum narození": {identifier: birth_date, formats: [d.m.yyyy]}
  "Bydliště": {identifier: address}
  "Pohlaví": {field: sex}
  "Státní příslušnost": {field: citizenship, values: {"ČR": CZ}}
  "Status oběti":
    field: status
    also: status_source
    values: {"poškozená osoba": possible}
constants: {decided_by: police}
defaults: {age_group: unknown}
`), "police.yaml")
	if err != nil {
		log.Fatal(err)
	}
	file := "Č. j.;Příjmení;Jméno;Datum narození;Bydliště;Pohlaví;Státní příslušnost;Status oběti\n" +
		"KRPA-1/TČ-2025;NOVÁKOVÁ;Jana;5.3.1990;Vinohradská 12, Praha 2;žena;ČR;poškozená osoba\n" +
		"KRPB-2/TČ-2025;Oliinyk;Taras;;;muž;Ukrajina;oběť?\n" +
		"KRPB-3/TČ-2025;Nguyen;Lan;1.1.2001;Brno;F;VNM;identifkovaná oběť\n"
	// The partners' shared secret; the hub never holds it.
	secret, _ := anon.GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{42}, 32)))
	res, err := m.RunReader(strings.NewReader(file), "obeti.csv", mapping.Options{Secret: secret, Period: "2025"}, func(rec []byte) error {
		fmt.Printf("%.150s…\n", rec)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// {"status_source":"poškozená osoba","status":"possible","decided_by":"police","sex":"F","birth_year":1990,"age_group":"adult","citizenship":"CZ","linka…
	// {"status_source":"oběť?","status":"actual","decided_by":"police","sex":"M","age_group":"unknown","citizenship":"UA","linkage_keys":["d3_0nnr4IPd2pXUZn…
	// row 4, column 'Status oběti', value 'identifkovaná oběť': not a known status; nearest: actual (Actual victim)
}
