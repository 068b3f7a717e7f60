package audit

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func sampleCheckpoint(t *testing.T) Checkpoint {
	t.Helper()
	h := hashBody([]byte("{}"))
	cp, err := signCheckpoint(testKey(1), 42, h, time.Date(2025, 3, 1, 18, 0, 0, 500, time.FixedZone("CET", 3600)))
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func TestCheckpointTextRoundTrip(t *testing.T) {
	cp := sampleCheckpoint(t)
	text, err := cp.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	wantPrefix := "thbx-audit-checkpoint v1\nseq 42\nhash " + cp.Hash.String() + "\ntime 2025-03-01T17:00:00.0000005Z\nkey "
	if !strings.HasPrefix(string(text), wantPrefix) || strings.Count(string(text), "\n") != 6 {
		t.Fatalf("text form:\n%s", text)
	}
	got, err := ParseCheckpoint(text)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyCheckpoint(testPub(1), got); err != nil {
		t.Fatal(err)
	}
	again, _ := got.MarshalText()
	if string(again) != string(text) || got.Seq != 42 || got.Hash != cp.Hash || !got.Time.Equal(cp.Time) {
		t.Fatalf("round trip changed the checkpoint:\n%s\n%s", text, again)
	}
	// In JSON it is the text form as a string.
	j, err := json.Marshal(struct{ C Checkpoint }{cp})
	if err != nil {
		t.Fatal(err)
	}
	var back struct{ C Checkpoint }
	if err := json.Unmarshal(j, &back); err != nil || back.C.Seq != 42 || VerifyCheckpoint(testPub(1), back.C) != nil {
		t.Fatalf("JSON round trip: %s, %v", j, err)
	}
}

func TestVerifyCheckpointRefuses(t *testing.T) {
	cp := sampleCheckpoint(t)
	cases := map[string]func(*Checkpoint) []byte{
		"seq":       func(c *Checkpoint) []byte { c.Seq++; return testPub(1) },
		"hash":      func(c *Checkpoint) []byte { c.Hash[0] ^= 1; return testPub(1) },
		"time":      func(c *Checkpoint) []byte { c.Time = c.Time.Add(time.Nanosecond); return testPub(1) },
		"signature": func(c *Checkpoint) []byte { c.Sig = append([]byte(nil), c.Sig...); c.Sig[3] ^= 1; return testPub(1) },
		"other key": func(c *Checkpoint) []byte { return testPub(2) },
		"key id swapped to match another key": func(c *Checkpoint) []byte {
			other, _ := signCheckpoint(testKey(2), 1, Hash{}, time.Time{}.Add(time.Hour))
			c.KeyID = other.KeyID
			return testPub(2)
		},
		"short key":           func(c *Checkpoint) []byte { return testPub(1)[:31] },
		"seq 0 with a hash":   func(c *Checkpoint) []byte { c.Seq = 0; return testPub(1) },
		"no signature":        func(c *Checkpoint) []byte { c.Sig = nil; return testPub(1) },
		"key id not base64":   func(c *Checkpoint) []byte { c.KeyID = "a b"; return testPub(1) },
		"time past year 9999": func(c *Checkpoint) []byte { c.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC); return testPub(1) },
	}
	for name, spoil := range cases {
		c := cp
		pub := spoil(&c)
		if err := VerifyCheckpoint(pub, c); !errors.Is(err, ErrBadCheckpoint) {
			t.Errorf("%s: VerifyCheckpoint gave %v", name, err)
		}
	}
}

func TestParseCheckpointStrict(t *testing.T) {
	text, err := sampleCheckpoint(t).MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	good := string(text)
	lines := strings.SplitAfter(good, "\n")
	edits := map[string]string{
		"no final newline": strings.TrimSuffix(good, "\n"),
		"CRLF":             strings.ReplaceAll(good, "\n", "\r\n"),
		"extra line":       good + "note hi\n",
		"blank line":       good + "\n",
		"other header":     strings.Replace(good, "v1", "v2", 1),
		"leading zero":     strings.Replace(good, "seq 42", "seq 042", 1),
		"plus sign":        strings.Replace(good, "seq 42", "seq +42", 1),
		"upper-case hash":  strings.Replace(good, lines[2], "hash "+strings.ToUpper(lines[2][5:]), 1),
		"time offset":      strings.Replace(good, "17:00:00.0000005Z", "18:00:00.0000005+01:00", 1),
		"time zeros":       strings.Replace(good, "0.0000005Z", "0.00000050Z", 1),
		"padded sig":       strings.TrimSuffix(good, "\n") + "==\n",
		"lines swapped":    lines[0] + lines[2] + lines[1] + lines[3] + lines[4] + lines[5],
		"two spaces":       strings.Replace(good, "seq 42", "seq  42", 1),
		"huge":             good + strings.Repeat("x", maxCheckpoint),
	}
	for name, s := range edits {
		if s == good {
			t.Fatalf("%s: the edit changed nothing", name)
		}
		if _, err := ParseCheckpoint([]byte(s)); !errors.Is(err, ErrBadCheckpoint) {
			t.Errorf("%s: ParseCheckpoint gave %v", name, err)
		}
	}
}
