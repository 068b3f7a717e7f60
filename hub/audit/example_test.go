package audit_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/thbx/thbx/hub/audit"
)

func Example() {
	dir, err := os.MkdirTemp("", "audit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "audit.jsonl")

	// The hub's own key signs checkpoints; a fixed clock keeps the output stable.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	l, err := audit.Open(audit.Config{Path: path, Key: key, Now: func() time.Time { return clock }})
	if err != nil {
		log.Fatal(err)
	}

	// Every decision of the access policy is logged before it takes effect.
	decisions := []struct {
		decision audit.Decision
		reason   string
	}{{audit.Allow, "granted"}, {audit.Deny, "below_threshold"}}
	for _, d := range decisions {
		e, err := l.Append(audit.Event{
			Actor:    audit.Actor{Kind: audit.KindAnalyst, Subject: "a.novak"},
			Action:   audit.ActionExport,
			Resource: audit.Resource{Dataset: "victims", Period: "2023", Format: "csv"},
			Decision: d.decision,
			Reason:   d.reason,
			Rule:     "publication-threshold",
		})
		if err != nil {
			log.Fatal(err) // not logged: do not export
		}
		fmt.Println(e.Seq, e.Action, e.Decision, e.Reason)
	}

	// An auditor keeps the checkpoint elsewhere...
	cp, err := l.Checkpoint()
	if err != nil {
		log.Fatal(err)
	}
	l.Close()
	text, _ := cp.MarshalText()
	kept, err := audit.ParseCheckpoint(text)
	if err != nil {
		log.Fatal(err)
	}

	// ...and later checks the log against it.
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rep, err := audit.Verify(f, key.Public().(ed25519.PublicKey), []audit.Checkpoint{kept})
	fmt.Printf("verified %d entries, %d after the newest checkpoint, error %v\n", rep.Last, rep.Unanchored(), err)
	// Output:
	// 1 export allow granted
	// 2 export deny below_threshold
	// verified 2 entries, 0 after the newest checkpoint, error <nil>
}

func ExampleLog_List() {
	dir, err := os.MkdirTemp("", "audit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	l, err := audit.Open(audit.Config{Path: filepath.Join(dir, "audit.jsonl")})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	for _, who := range []string{"a.novak", "b.horak", "a.novak", "a.novak"} {
		_, err := l.Append(audit.Event{
			Actor:  audit.Actor{Kind: audit.KindAnalyst, Subject: who},
			Action: audit.ActionReadAggregates, Decision: audit.Allow, Reason: "granted",
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	// Two at a time, following the cursor, as the API's pages do.
	page := audit.Page{Limit: 2}
	for {
		res, err := l.List(audit.Filter{Subject: "a.novak"}, page)
		if err != nil {
			log.Fatal(err)
		}
		for _, e := range res.Entries {
			fmt.Println(e.Seq, e.Actor.Subject)
		}
		if res.Next == "" {
			break
		}
		page.Cursor = res.Next
	}
	// Output:
	// 1 a.novak
	// 3 a.novak
	// 4 a.novak
}
