package audit

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

func goldenLog(f *testing.F) []byte {
	b, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// FuzzParseLine: a line is accepted only in its one canonical encoding,
// so an accepted line re-encodes to exactly itself.
func FuzzParseLine(f *testing.F) {
	for _, l := range lines(goldenLog(f)) {
		f.Add(bytes.TrimSuffix(l, []byte("\n"))) // valid entries of each shape
	}
	first := bytes.TrimSuffix(lines(goldenLog(f))[0], []byte("\n"))
	f.Add(bytes.Replace(first, []byte(`"v":1`), []byte(`"v":2`), 1))               // unknown version
	f.Add(bytes.Replace(first, []byte(`"seq":1,`), []byte(`"seq":1,"seq":1,`), 1)) // duplicate member
	f.Add(bytes.Replace(first, []byte(`","`), []byte(`", "`), 1))                  // a space
	f.Add(bytes.Replace(first, []byte("ingest"), []byte(`ing\u0065st`), 1))        // another escape
	f.Add(bytes.Replace(first, []byte("T09:00:00Z"), []byte("T10:00:00+01:00"), 1))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{,"hash":"` + Hash{}.String() + `"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := parseLine(line)
		if err != nil {
			if !errors.Is(err, errNotCanonical) && !errors.Is(err, errHashMismatch) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		want := e.Hash
		again, err := encodeLine(&e)
		if err != nil {
			t.Fatalf("accepted line does not re-encode: %v", err)
		}
		if !bytes.Equal(again, append(bytes.Clone(line), '\n')) || e.Hash != want {
			t.Fatalf("accepted a non-canonical line:\n%q\nre-encodes to\n%q", line, again)
		}
	})
}

// FuzzVerify: Verify never panics, and a log it passes is a chain of
// canonical entries from seq 1, one per line.
func FuzzVerify(f *testing.F) {
	log := goldenLog(f)
	ls := lines(log)
	f.Add(log)                                     // intact
	f.Add([]byte{})                                // empty
	f.Add(log[:len(log)-5])                        // torn
	f.Add(bytes.Join([][]byte{ls[1], ls[0]}, nil)) // swapped
	f.Add(bytes.Join(ls[1:], nil))                 // first deleted
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Verify(bytes.NewReader(data), nil, nil)
		if err != nil {
			var te *TamperError
			if !errors.As(err, &te) || te.Seq != rep.Last+1 || rep.FirstBad != te.Seq {
				t.Fatalf("Verify: %v with report %+v", err, rep)
			}
			return
		}
		var prev Hash
		got := lines(data)
		if uint64(len(got)) != rep.Last {
			t.Fatalf("passed %d lines as %d entries", len(got), rep.Last)
		}
		for i, l := range got {
			e, err := parseLine(bytes.TrimSuffix(l, []byte("\n")))
			if err != nil || e.Seq != uint64(i+1) || e.Prev != prev || !bytes.HasSuffix(l, []byte("\n")) {
				t.Fatalf("passed a broken line %d: %v", i+1, err)
			}
			prev = e.Hash
		}
		if prev != rep.LastHash {
			t.Fatal("report names another last hash")
		}
	})
}

// FuzzParseCheckpoint: a checkpoint has one text form.
func FuzzParseCheckpoint(f *testing.F) {
	good, err := os.ReadFile("testdata/small.checkpoint")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)                                                 // valid
	f.Add(bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n"))) // CRLF
	f.Add(bytes.Replace(good, []byte("seq 5"), []byte("seq 05"), 1))
	f.Add(bytes.TrimSuffix(good, []byte("\n")))
	f.Add([]byte("thbx-audit-checkpoint v1\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		cp, err := ParseCheckpoint(text)
		if err != nil {
			if !errors.Is(err, ErrBadCheckpoint) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, err := cp.MarshalText()
		if err != nil || !bytes.Equal(again, text) {
			t.Fatalf("accepted %q, which re-encodes to %q (%v)", text, again, err)
		}
	})
}
