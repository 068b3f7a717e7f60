package anon_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/thbx/thbx/agent/anon"
)

// A fixed secret makes the output a test vector; a partner generates its
// secret once with anon.GenerateSecret(nil) and shares it with the other
// partners, never with the hub.
func exampleSecret() *anon.Secret {
	s, err := anon.GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{42}, 32)))
	if err != nil {
		log.Fatal(err)
	}
	return s
}

func ExampleKeys() {
	s := exampleSecret()
	police := anon.Person{Surname: "Ševčenková", Given: "Юлія", BirthDate: anon.Date{Y: 1990, M: 3, D: 5}, Sex: "F", Citizenship: "UA"}
	ngo := anon.Person{Surname: "Shevchenko", Given: "Yuliia", BirthDate: anon.Date{Y: 1990, M: 5, D: 3}, Sex: "F", Citizenship: "UA"}
	a, b := anon.Keys(s, police), anon.Keys(s, ngo)
	for _, k := range a {
		fmt.Println(k)
	}
	for _, k := range a {
		for _, l := range b {
			if k == l {
				fmt.Println("shared:", k[:2])
			}
		}
	}
	// Output:
	// a1_V4meNrY90wVqR3Z4MRrOag
	// a2_Veq7yocXfiBAcnhxGKFYvQ
	// b1_MP2kBVcKtydoRZ_8X2MfRQ
	// c1_Efe74bT3dE7FITIieTOHJg
	// d1_e59LLpep2GVCSU6zg8tH8A
	// e1_Zm7x_Ec3a2VAJz2jJS0Qxg
	// f1_0jppOHGeABWSU7xyOf8zTA
	// g1_ZXXY7E1IOdErAIV2CeKivQ
	// h1_KvutXy4Q3dOMcbFwu8amDw
	// h2_-MoNfQ5M36hZmoWn8FXWPQ
	// h3_aDgFZaxWG85_JqpJnupMCw
	// d2_vfJs2WCmVQ5FXKAQQ9f2mw
	// d3_j7dnvfHlausqTAkj4RGtbQ
	// shared: a2
	// shared: d1
	// shared: d2
	// shared: d3
}

func ExampleNormalizeName() {
	fmt.Println(anon.NormalizeName("Ing. Jana Nováková, Ph.D."))
	fmt.Println(anon.NormalizeName("Олександр"))
	fmt.Println(anon.NormalizeName("Nguyễn Thị Lan"))
	// Output:
	// JANA NOVAKOVA
	// OLEKSANDR
	// NGUYEN THI LAN
}

func ExampleSurnameBase() {
	for _, s := range []string{"Novák", "Nováková", "Svoboda", "Svobodová", "Novotná", "Hájková"} {
		fmt.Println(s, anon.SurnameBase(s))
	}
	// Output:
	// Novák NOVAK
	// Nováková NOVAK
	// Svoboda SVOBOD
	// Svobodová SVOBOD
	// Novotná NOVOTN
	// Hájková HAJK
}

func ExamplePhonetic() {
	for _, s := range []string{"Shevchenko", "Ševčenko", "Schewtschenko", "Oleksandr", "Aleksandr", "Julija", "Yuliia"} {
		fmt.Println(s, anon.Phonetic(s))
	}
	// Output:
	// Shevchenko SEVCENKO
	// Ševčenko SEVCENKO
	// Schewtschenko SEVCENKO
	// Oleksandr ALEKSANDR
	// Aleksandr ALEKSANDR
	// Julija IULIA
	// Yuliia IULIA
}

func ExampleParseDate() {
	for _, s := range []string{"5. 3. 1990", "1990-03-05", "12/25/1990", "1990"} {
		d, err := anon.ParseDate(s, nil)
		fmt.Println(d, err)
	}
	_, err := anon.ParseDate("31.4.1990", nil)
	fmt.Println(err)
	// Output:
	// 1990-03-05 <nil>
	// 1990-03-05 <nil>
	// 1990-12-25 <nil>
	// 1990 <nil>
	// not a date in any of the expected formats
}

func ExampleAgeBand() {
	identified := anon.Date{Y: 2024, M: 6, D: 15}
	fmt.Println(anon.AgeBand(anon.Date{Y: 2006, M: 6, D: 16}, identified), anon.AgeGroup(anon.Date{Y: 2006, M: 6, D: 16}, identified))
	fmt.Println(anon.AgeBand(anon.Date{Y: 1990}, identified), anon.AgeGroup(anon.Date{Y: 1990}, identified))
	// Output:
	// 9-17 child
	// 30-38 adult
}

func ExampleRegion() {
	for _, a := range []string{"Vodičkova 12, 110 00 Praha 1", "Masarykova 5, Most", "Lhota 15, 250 01", "Hauptstraße 5, 10115 Berlin"} {
		fmt.Println(anon.Region(a))
	}
	// Output:
	// CZ010 true
	// CZ042 true
	// CZ020 true
	//  false
}

func ExampleDice() {
	s := exampleSecret()
	a := anon.Bloom(s, anon.Person{Surname: "Nováková", Given: "Jana", BirthDate: anon.Date{Y: 1990, M: 3, D: 5}})
	b := anon.Bloom(s, anon.Person{Surname: "Novákova", Given: "Jama", BirthDate: anon.Date{Y: 1990, M: 3, D: 5}})
	c := anon.Bloom(s, anon.Person{Surname: "Dvořák", Given: "Petr", BirthDate: anon.Date{Y: 1985, M: 11, D: 20}})
	same, _ := anon.Dice(a, a)
	typo, _ := anon.Dice(a, b)
	other, _ := anon.Dice(a, c)
	fmt.Printf("%d characters; same %.2f, typo %.2f, other %.2f\n", len(a), same, typo, other)
	// Output:
	// 171 characters; same 1.00, typo 0.90, other 0.38
}

func ExampleProfile_Digest() {
	p := anon.Default()
	fmt.Println(p.Name, p.Digest())
	// Output:
	// thbx-default-1 sha256:683f7f9ca4051afd07dbd90fb5bf78179aa3b70f2d744d77062d7822a2a76241
}
