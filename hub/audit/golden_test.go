package audit

import (
	"bytes"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenEvents make the small log in testdata/: enough to show every
// member of the format, so that another implementation can be checked
// against it.
func goldenEvents() []Event {
	return []Event{
		{Actor: Actor{Kind: KindHub, Subject: "ingest"}, Action: ActionAccept,
			Resource: Resource{Path: "submissions/ngo-lastrada/2025-03-01T08:00:00Z"}, Decision: Allow, Reason: "verified",
			Details: map[string]string{"partner": "ngo-lastrada", "records": "42"}},
		{Actor: Actor{Kind: KindHub, Subject: "ingest"}, Action: ActionReject,
			Resource: Resource{Path: "submissions/police/2025-03-01T08:10:00Z"}, Decision: Deny, Reason: "signature_invalid"},
		{Actor: Actor{Kind: KindAnalyst, Subject: "a.novák"}, Action: ActionReadRecords,
			Resource: Resource{Dataset: "victims", Period: "2023"}, Decision: Allow, Reason: "granted", Rule: "analysts-read"},
		{Actor: Actor{Kind: KindAnalyst, Subject: "a.novák"}, Action: ActionExport,
			Resource: Resource{Dataset: "victims", Period: "2023", Format: "xlsx"}, Decision: Deny, Reason: "below_threshold",
			Rule: "publication-threshold", Details: map[string]string{"cells_suppressed": "3", "threshold": "5"}},
		{Actor: Actor{Kind: KindOfficer, Subject: "officer-2"}, Action: ActionPolicyChange,
			Decision: Allow, Reason: "k_of_n_signed", Details: map[string]string{"signers": "officer-1 officer-2", "note": `"<&>" \ ok`}},
	}
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	l, err := Open(Config{Path: path, Key: testKey(1), Now: newClock().Now, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range goldenEvents() {
		if _, err := l.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	cp, err := l.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	cpText, err := cp.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"small.jsonl":      readFile(t, path),
		"small.checkpoint": cpText,
		"small.pub":        []byte(hex.EncodeToString(testPub(1)) + "\n"),
	}
	for name, got := range files {
		golden := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want := readFile(t, golden)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file (go test -run TestGolden -update to accept):\ngot:\n%s\nwant:\n%s", name, got, want)
		}
	}

	// The golden files verify on their own, as an auditor would check them.
	pubHex := bytes.TrimSpace(readFile(t, "testdata/small.pub"))
	pub, err := hex.DecodeString(string(pubHex))
	if err != nil {
		t.Fatal(err)
	}
	gcp, err := ParseCheckpoint(readFile(t, "testdata/small.checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Verify(f, pub, []Checkpoint{gcp})
	if err != nil || rep.Last != 5 || rep.Anchored != 5 {
		t.Fatalf("golden log: %+v, %v", rep, err)
	}
}
