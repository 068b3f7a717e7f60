package mapping_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/demo"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
	"github.com/thbx/thbx/submission/schema"
)

// No identifier of the input reaches a sealed payload. Every partner's
// file of a synthetic year is mapped, anonymised and sealed by the real
// agent with real keys (hub keys and partner keys made as the demo makes
// them), uploaded, decrypted with the hub's identity as the hub would,
// and searched for every surname, given name, date of birth, address,
// town, phone number, document and case number of the input: the cells of
// the identifier and dropped columns, and the ground truth's canonical
// names, dates of birth and addresses of the persons.
func TestNoIdentifierInSealedPayload(t *testing.T) {
	ctx := context.Background()
	dir, man := synthYear(t)
	boxCfg := dropbox.Config{Type: "dir", Dir: filepath.Join(t.TempDir(), "dropbox")}
	var specs []demo.PartnerSpec
	for _, f := range man.Files {
		if f.PersonLevel {
			specs = append(specs, demo.PartnerSpec{ID: string(f.Partner), Name: string(f.Partner), Category: "ngo"})
		}
	}
	w, err := demo.NewWorld(t.TempDir(), boxCfg, specs)
	if err != nil {
		t.Fatal(err)
	}
	hubIDs, err := certs.LoadHubIdentities(w.Hub.Identities)
	if err != nil {
		t.Fatal(err)
	}
	var ids []age.Identity
	for _, h := range hubIDs {
		ids = append(ids, h.Identity())
	}
	forbidden := truthIdentifiers(t, dir, man.Truth.Persons)
	def := anon.Default()
	sealed := 0
	for _, f := range man.Files {
		if !f.PersonLevel {
			continue
		}
		path := filepath.Join(dir, f.Path)
		m := shipped(t, string(f.Partner))
		cells, err := mapping.IdentifierCells(m, path)
		if err != nil {
			t.Fatal(err)
		}
		a, ob, err := w.Agent(string(f.Partner))
		if err != nil {
			t.Fatal(err)
		}
		e, res, err := a.SealMapped(ob, m, path, "2025")
		if err != nil {
			t.Fatalf("%s: %v", f.Partner, err)
		}
		if _, err := a.Upload(ctx, ob); err != nil {
			t.Fatal(err)
		}
		ob.Close()
		if p := e.Manifest.Profile; p == nil || p.Name != "default" || p.Digest != def.Digest() {
			t.Fatalf("%s: manifest profile %+v, want default %s", f.Partner, p, def.Digest())
		}
		if int(e.Manifest.Records) != res.Records || res.Records != f.Records {
			t.Fatalf("%s: %d records sealed, %d mapped, %d in the file", f.Partner, e.Manifest.Records, res.Records, f.Records)
		}
		ct, err := os.Open(filepath.Join(boxCfg.Dir, filepath.FromSlash(submission.CiphertextKey(string(f.Partner), e.ID))))
		if err != nil {
			t.Fatal(err)
		}
		var payload []string
		_, err = submission.Open(&e.Manifest, ct, submission.OpenConfig{Identities: ids}, func(line []byte) error {
			payload = append(payload, string(line))
			return nil
		})
		ct.Close()
		if err != nil {
			t.Fatalf("%s: open: %v", f.Partner, err)
		}
		if err := scanPayload(payload, append(cells, forbidden...)); err != nil {
			t.Fatalf("%s: %v", f.Partner, err)
		}
		sealed += len(payload)
	}
	if sealed < 300 {
		t.Fatalf("%d records sealed; a Czech year has 300-500", sealed)
	}
}

var (
	keyPattern = regexp.MustCompile(`^[a-h][0-9]_[A-Za-z0-9_-]{22}$`)
	// phoneIn finds phone numbers in free text.
	phoneIn = regexp.MustCompile(`\+?[0-9][0-9 ]{7,}[0-9]`)
)

// scanPayload returns an error if a record of the payload holds an
// identifier.
func scanPayload(payload []string, identifiers []string) error {
	// The words the records may hold: codes and terms, the schema's and
	// the shipped mappings' (the partners' status words).
	var allowed strings.Builder
	for _, cl := range schema.CodeLists() {
		for _, c := range cl.Codes {
			allowed.WriteString(" " + c.Code + " " + strings.Join(c.Aliases, " "))
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "mappings", "*.yaml"))
	for _, file := range files {
		m, err := mapping.Load(file)
		if err != nil {
			return err
		}
		for _, c := range m.Columns {
			for term := range c.Values {
				allowed.WriteString(" " + term)
			}
		}
	}
	var texts []string // the records without keys, folded
	for _, line := range payload[1:] {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			return err
		}
		for _, k := range asStrings(rec["linkage_keys"]) {
			if !keyPattern.MatchString(k) {
				return fmt.Errorf("a linkage key is not a keyed value: %q", k)
			}
		}
		delete(rec, "linkage_keys")
		delete(rec, "bloom")
		b, _ := json.Marshal(rec)
		texts = append(texts, " "+schema.Fold(string(b))+" ")
	}
	words := " " + schema.Fold(allowed.String()) + " "
	raw := strings.Join(payload, "\n")
	for _, id := range expand(identifiers) {
		f := schema.Fold(id)
		// Whole identifiers, as written, in the payload with its keys: a
		// date, an address, a phone number cannot hide in base64url.
		if len(id) >= 6 && strings.ContainsAny(id, " ./-+,") && strings.Contains(raw, id) {
			return fmt.Errorf("identifier %q in the sealed payload", id)
		}
		// Each name, as a word of a record outside its keys. Words of two
		// letters (Vietnamese Do, Le) and words that are also the schema's
		// terms (a surname Král is not a code, but Do is a Czech "to")
		// cannot be told apart from the codes and are left out.
		// Numbers alone (a house number, a year of birth given as the
		// date of birth) are checked whole above: a birth year leaves by
		// design, and a number may equal a date or count.
		if len(f) < 3 || strings.Contains(words, " "+f+" ") || strings.Trim(f, "0123456789 ") == "" {
			continue
		}
		for _, text := range texts {
			if strings.Contains(text, " "+f+" ") {
				return fmt.Errorf("identifier %q in a sealed record: %s", id, text)
			}
		}
	}
	return nil
}

// The scan finds what it looks for: a name as status_source, a date of
// birth, a phone number from a note, a key that is a name.
func TestScanPayloadFindsLeaks(t *testing.T) {
	header := `{"format":"thbx-payload/1"}`
	ids := []string{"Šťastná", "24/09/1993", "Klientka volala z +420 601 222 333 včera."}
	for _, rec := range []string{
		`{"status_source":"STASTNA","status":"actual"}`,
		`{"status_source":"born 24/09/1993","status":"actual"}`,
		`{"status_source":"+420 601 222 333","status":"actual"}`,
		`{"status":"actual","linkage_keys":["a1_Stastna"]}`,
	} {
		if err := scanPayload([]string{header, rec}, ids); err == nil {
			t.Errorf("no leak found in %s", rec)
		}
	}
	if err := scanPayload([]string{header, `{"status":"actual","birth_year":1993,"linkage_keys":["a1_V4meNrY90wVqR3Z4MRrOag"]}`}, ids); err != nil {
		t.Errorf("a clean record: %v", err)
	}
}

// expand splits identifiers into the parts that might leave alone: the
// words of a name, the phone numbers in a note.
func expand(ids []string) []string {
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		out = append(out, id)
		out = append(out, phoneIn.FindAllString(id, -1)...)
		if len(id) < 40 { // a name, not a note: its words too
			out = append(out, strings.Fields(id)...)
		}
	}
	return out
}

func asStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, e := range l {
			s, _ := e.(string)
			out = append(out, s)
		}
	}
	return out
}

// truthIdentifiers reads the persons' canonical identifiers from the
// ground truth: names (also in their own script), dates of birth and
// addresses.
func truthIdentifiers(t *testing.T, dir, persons string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, persons))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []string
	for _, r := range rows[1:] {
		for _, h := range []string{"surname", "given_names", "surname_native", "given_name_native", "birth_date", "address"} {
			if v := r[col[h]]; v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}
