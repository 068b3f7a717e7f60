package synth_test

import (
	"fmt"
	"log"
	"os"

	"github.com/thbx/thbx/agent/synth"
)

// Generate one year of the police's and La Strada's files at Czech scale,
// with the ground truth of who is who.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "synth")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	m, err := synth.Generate(synth.Config{
		Seed:     2024,
		Years:    []int{2023},
		OutDir:   dir,
		Partners: []synth.PartnerKind{synth.Police, synth.LaStrada},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range m.Files {
		fmt.Printf("%s %s %s %q\n", f.Path, f.Format, f.Encoding, f.Delimiter)
	}
	fmt.Println(m.Truth.Records, m.Truth.Persons)
	// Output:
	// police-cz/PCR_obeti_OL_2023.csv csv windows-1250 ';'
	// ngo-lastrada/LaStrada_clients_2023.csv csv utf-8-bom ','
	// ground-truth/records.csv ground-truth/persons.csv
}
