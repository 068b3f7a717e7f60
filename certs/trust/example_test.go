package trust_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
)

// Three officers make a 2-of-3 root; two of them agree on a new partner
// key; the hub verifies the result against the pinned root.
func ExampleVerifyBundle() {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	keys := map[string]certs.OfficerKey{}
	r := trust.Root{Version: 1, Threshold: 2, Expires: now.AddDate(5, 0, 0)}
	for _, id := range []string{"alice", "bob", "carol"} {
		keys[id], _ = certs.GenerateOfficerKey(nil) // each on their own machine
		o, _ := trust.NewOfficer(id, id, keys[id].Public())
		r.Officers = append(r.Officers, o)
	}
	rootDoc, _ := trust.NewRootProposal(r)
	rootDoc.AddSignature(keys["alice"], trust.RootType)
	rootDoc.AddSignature(keys["carol"], trust.RootType)
	root, err := trust.VerifyRoot(rootDoc, now)
	if err != nil {
		panic(err)
	}

	// The current bundle, as published earlier by alice and bob.
	first, _ := trust.ProposeSigned(bundle(exampleTB{}), keys["alice"])
	first.AddSignature(keys["bob"], trust.BundleType)
	doc, _ := first.Marshal()
	current, err := trust.VerifyBundle(doc, root, nil, now)
	if err != nil {
		panic(err)
	}

	// alice proposes a new key for ngo-a and signs: one signature is not enough.
	newKey, _ := certs.GeneratePartnerKey(nil)
	next, err := trust.Propose(current, trust.AddKey("ngo-a", newKey.Public(), now, now.AddDate(1, 0, 0)))
	if err != nil {
		panic(err)
	}
	proposal, _ := trust.ProposeSigned(next, keys["alice"])
	doc, _ = proposal.Marshal()
	_, err = trust.VerifyBundle(doc, root, current, now)
	fmt.Println("alice alone:", err)

	// bob reviews the diff and co-signs; now the bundle verifies.
	fmt.Println("bob reviews:", trust.Diff(current, next)[0])
	proposal.AddSignature(keys["bob"], trust.BundleType)
	doc, _ = proposal.Marshal()
	trusted, err := trust.VerifyBundle(doc, root, current, now)
	fmt.Println("alice and bob:", trusted.Version, err)
	// Output:
	// alice alone: trust bundle: 1 valid officer signature(s), 2 needed
	// bob reviews: version 3 → 4
	// alice and bob: 4 <nil>
}

// exampleTB lets the test fixtures, which never fail, run in an example.
type exampleTB struct{ testing.TB }

func (exampleTB) Helper() {}
