package mapping_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/thbx/thbx/agent/mapping"
	"github.com/thbx/thbx/agent/synth"
)

// suggest runs Suggest on a synthetic partner's file.
func suggest(t *testing.T, partner synth.PartnerKind) (string, synth.File) {
	t.Helper()
	dir, man := synthYear(t)
	for _, f := range man.Files {
		if f.Partner == partner {
			var b bytes.Buffer
			if err := mapping.Suggest(filepath.Join(dir, f.Path), string(f.Dataset), &b); err != nil {
				t.Fatal(err)
			}
			return b.String(), f
		}
	}
	t.Fatalf("no file of %s", partner)
	return "", synth.File{}
}

// A suggested mapping is YAML the strict parser reads; what it cannot
// decide (a constant for a required field no column holds) it leaves for
// the partner, and loading says so.
func TestSuggestEveryPartner(t *testing.T) {
	undecided := map[synth.PartnerKind][]string{
		synth.Embassy:            {"required field status has no column"},
		synth.AlienPolice:        {"required field authority has no column"},
		synth.LabourInspectorate: {"required field authority has no column", "required field persons_checked has no column"},
		synth.Intelligence:       {"required field count has no column"},
	}
	for _, p := range synth.AllPartners() {
		text, _ := suggest(t, p)
		var raw map[string]any
		if err := yaml.Unmarshal([]byte(text), &raw); err != nil {
			t.Fatalf("%s: not YAML: %v\n%s", p, err, text)
		}
		_, err := mapping.Parse([]byte(text), "suggested.yaml")
		switch want := undecided[p]; {
		case want == nil && err != nil:
			t.Errorf("%s: %v\n%s", p, err, text)
		case want != nil && err == nil:
			t.Errorf("%s: loads, but should ask for %v", p, want)
		case want != nil:
			for _, w := range want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: %v; want %q", p, err, w)
				}
			}
		}
	}
}

// Identifier columns are suggested as identifiers (or dropped), never as
// fields: nothing that names a person is put where it would leave.
func TestSuggestIdentifiers(t *testing.T) {
	identifiers := map[synth.PartnerKind]map[string]string{
		synth.Police:           {"Příjmení": "identifier: surname", "Jméno": "identifier: given", "Datum narození": "identifier: birth_date", "Bydliště": "identifier: address", "Č. j.": "drop: true"},
		synth.LaStrada:         {"Client surname": "identifier: surname", "First name": "identifier: given", "DOB": "identifier: birth_date", "City": "identifier: town", "Notes": "identifier: free_text", "Case ID": "drop: true"},
		synth.Caritas:          {"Jméno a příjmení": "identifier: full_name", "Datum narození / DOB": "identifier: birth_date", "Město / City": "identifier: town", "Poznámka": "identifier: free_text"},
		synth.VictimAssistance: {"Příjmení": "identifier: surname", "Jméno": "identifier: given", "Datum narození": "identifier: birth_date"},
		synth.IOM:              {"FirstName": "identifier: given", "SecondName": "identifier: surname", "NameInOriginalScript": "drop: true", "Birthdate": "identifier: birth_date", "AgeWhenTrafficked": "identifier: age", "OtherExploitationDetails": "identifier: free_text"},
		synth.Embassy:          {"prijmeni": "identifier: surname", "jmeno": "identifier: given", "datum_narozeni": "identifier: birth_date", "popis": "identifier: free_text", "posledni_bydliste_v_CR": "identifier: address"},
	}
	for p, cols := range identifiers {
		text, _ := suggest(t, p)
		for col, want := range cols {
			line := columnLine(text, col)
			if !strings.Contains(line, "{"+want) {
				t.Errorf("%s: column %q suggested as %q, want %s", p, col, line, want)
			}
		}
	}
}

func columnLine(text, col string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, `  "`+col+`":`) {
			return l
		}
	}
	return ""
}

// Coded columns list their values with the code each matches, with the
// code's meaning, so that a wrong match (ČR read as Costa Rica) shows.
func TestSuggestValues(t *testing.T) {
	text, _ := suggest(t, synth.Police)
	for _, want := range []string{
		"  encoding: windows-1250\n  delimiter: \";\"\n",
		"  \"Datum zápisu\":  # check: the header says 'datum zapisu'\n    field: identified_on\n    formats: [\"d.m.yyyy\"]\n",
		"  \"Status oběti\":\n    field: status\n    also: status_source",
		`      "identifikovaná oběť": "actual"  # Actual victim`,
		`      "poškozená osoba": ""  # check: not a known term, and no code is close`,
		"    field: exploitation\n    split: \", \"\n",
		`      "CZE": "CZ"  # Czechia`,
		`  # decided_by: "ngo"`,
		`  age_group: "unknown"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("police suggestion lacks %q", want)
		}
	}
	text, _ = suggest(t, synth.Embassy)
	if !strings.Contains(text, `      "ČR": "CR"  # Costa Rica`) {
		t.Error("embassy suggestion hides that ČR matches Costa Rica")
	}
	text, _ = suggest(t, synth.IOM)
	for _, want := range []string{
		`      "ForcedLabour": "labour"  # Forced labour or services`,
		`      "ThreatOfLawEnforcement": "threat_of_law_enforcement"`,
		"  \"MethodOfRecruitment\":\n    field: recruitment\n    values:\n", // a JSON array: no split
	} {
		if !strings.Contains(text, want) {
			t.Errorf("IOM suggestion lacks %q", want)
		}
	}
	text, _ = suggest(t, synth.Prosecution)
	if !strings.Contains(text, `  sheet: "Stíhané a obžalované osoby"`) || !strings.Contains(text, `"§ 168 TZ – obchodování s lidmi": "s168"  # check: not a known term; the nearest code is s168`) {
		t.Errorf("prosecution suggestion:\n%s", text)
	}
}

// A suggested mapping that loads maps its file: check then lists only
// what the partner still has to decide.
func TestSuggestedMappingRuns(t *testing.T) {
	text, f := suggest(t, synth.LaStrada)
	m, err := mapping.Parse([]byte(text), "suggested.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := synthYear(t)
	res, err := m.Run(filepath.Join(dir, f.Path), mapping.Options{CheckOnly: true}, func([]byte) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	// "Date of first contact" is suggested as identified_on, "Referred
	// by" dropped: La Strada's file maps as suggested.
	if res.Err() != nil || res.Records != f.Records {
		t.Fatalf("%d records of %d: %v", res.Records, f.Records, res.Err())
	}
}

func TestSuggestErrors(t *testing.T) {
	if err := mapping.Suggest("x.dat", "victims", &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "cannot tell the format") {
		t.Errorf("unknown format: %v", err)
	}
	if err := mapping.Suggest("x.csv", "persons", &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), `dataset "persons"`) {
		t.Errorf("unknown dataset: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "e.csv")
	writeFile(t, empty, "")
	if err := mapping.Suggest(empty, "victims", &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "e.csv: the file is empty") {
		t.Errorf("empty file: %v", err)
	}
}
