package merge_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/submission/schema"
)

// Link the records three partners sent about two persons, explain how
// one of them was found in two sources, and count them once each.
func ExampleLink() {
	// At the partners: linkage keys under the secret they share.
	secret, err := anon.ParseSecret("thbx-linkage-secret-1:" + strings.Repeat("A", 43))
	if err != nil {
		log.Fatal(err)
	}
	victim := func(p anon.Person, status string) merge.Victim {
		return merge.VictimOf(&schema.Victim{Status: status, Sex: p.Sex, BirthYear: p.BirthDate.Y, AgeGroup: "adult",
			Citizenship: p.Citizenship, Exploitation: []string{"labour"}, LinkageKeys: anon.Keys(secret, p)})
	}
	olena := anon.Person{Surname: "Kovalenko", Given: "Olena", BirthDate: anon.Date{Y: 1991, M: 4, D: 9}, Sex: "F", Citizenship: "UA"}
	asCzechPolice := olena
	asCzechPolice.Surname = "KOVALENKOVÁ" // the -ová form a Czech register adds
	ivan := anon.Person{Surname: "Petrenko", Given: "Ivan", BirthDate: anon.Date{Y: 1979, M: 12, D: 30}, Sex: "M", Citizenship: "UA"}

	// At the hub: the records as stored, without a name or a birth date.
	records := []merge.Record{
		{Ref: merge.RecordRef{Partner: "police-cz", Submission: "s-2023", N: 1}, Category: "police", Period: "2023",
			Victim: victim(asCzechPolice, "actual")},
		{Ref: merge.RecordRef{Partner: "ngo-lastrada", Submission: "s-2023", N: 1}, Category: "ngo", Period: "2023",
			Victim: victim(olena, "possible")},
		{Ref: merge.RecordRef{Partner: "ngo-lastrada", Submission: "s-2023", N: 2}, Category: "ngo", Period: "2023",
			Victim: victim(ivan, "possible")},
	}
	res, err := merge.Link(records, merge.Config{Salt: []byte("the hub's own salt, 16+ bytes")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(records), "records,", len(res.Persons()), "persons")
	id, _ := res.PersonOf(records[0].Ref)
	for _, why := range res.Explain(id) {
		fmt.Println(why.A, "and", why.B, "by", why.Rule, why.Variants)
	}
	t, err := merge.PersonsBy(res, merge.DimStatus)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Dims)
	for _, row := range t.Rows[4:] { // pooled over all periods
		fmt.Println(row.Keys, row.Count)
	}
	// Output:
	// 3 records, 2 persons
	// ngo-lastrada/s-2023/1 and police-cz/s-2023/1 by strong key [a1 a2 b1 c1 d1 d2 d3 e1 f1 g1 h3]
	// [period status]
	// [all actual] 1
	// [all possible] 1
	// [all not_victim] 0
	// [all unknown] 0
}
