package submission_test

import (
	"bytes"
	"fmt"
	"log"

	"filippo.io/age"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

// A partner seals two records for the hub; the hub verifies the manifest
// with the key its registry lists for the kid, then opens the payload.
func ExampleNewSealer() {
	partner, err := certs.GeneratePartnerKey(nil)
	if err != nil {
		log.Fatal(err)
	}
	hub, err := age.GenerateHybridIdentity()
	if err != nil {
		log.Fatal(err)
	}

	var payload bytes.Buffer
	s, err := submission.NewSealer(submission.SealConfig{
		Partner: "ngo-a", Key: partner, Recipients: []string{hub.Recipient().String()},
		Dataset: "victims", Period: "2025-H1", Schema: "victims/1", Sequence: 1,
	}, &payload)
	if err != nil {
		log.Fatal(err)
	}
	for _, record := range []string{
		`{"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}`,
		`{"status":"possible","sex":"M","age_group":"child","citizenship":"XX"}`,
	} {
		if err := s.AddRaw([]byte(record)); err != nil {
			log.Fatal(err)
		}
	}
	sealed, err := s.Close()
	if err != nil {
		log.Fatal(err)
	}

	// The hub's side.
	m, err := submission.VerifyManifest(sealed.JWS, partner.Public())
	if err != nil {
		log.Fatal(err)
	}
	n, err := submission.Open(m, &payload, submission.OpenConfig{Identities: []age.Identity{hub}},
		func(line []byte) error { fmt.Printf("%s\n", line); return nil })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Partner, m.Dataset, m.Period, n, "records")
	// Output:
	// {"status":"actual","sex":"F","age_group":"adult","citizenship":"UA"}
	// {"status":"possible","sex":"M","age_group":"child","citizenship":"XX"}
	// ngo-a victims 2025-H1 2 records
}
