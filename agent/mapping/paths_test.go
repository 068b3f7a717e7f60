package mapping_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/thbx/thbx/agent/mapping"
)

// Each way a mapping says what a column is, one test each.

func TestFieldKinds(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Stav: {field: status}
  Pohlaví: {field: sex}
  Věková skupina: {field: age_group}
  Občanství: {field: citizenship}
  Rok narození: {field: birth_year}
  Identifikace: {field: identified_on}
  Souhlas: {field: consent_share}
  Formy: {field: exploitation, split: "|"}
`)
	recs := runOK(t, m, "f.csv", "Stav,Pohlaví,Věková skupina,Občanství,Rok narození,Identifikace,Souhlas,Formy\n"+
		"Identifikovaná oběť,žena,dospělá,Ukrajina,1 990,5.3.2025,ano,sexuální|práce\n"+
		"klientka,M,child,VNM,2010.0,2025-07,ne,\n")
	want := []map[string]any{
		{"status": "actual", "sex": "F", "age_group": "adult", "citizenship": "UA", "birth_year": 1990.0,
			"identified_on": "2025-03-05", "consent_share": true, "exploitation": []any{"sexual", "labour"}},
		{"status": "possible", "sex": "M", "age_group": "child", "citizenship": "VN", "birth_year": 2010.0,
			"identified_on": "2025-07"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("records\n%v\nwant\n%v", recs, want)
	}
}

func TestIdentifiersBecomeKeysAndGeneralisedFields(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Příjmení: {identifier: surname}
  Jméno: {identifier: given}
  Datum narození: {identifier: birth_date, formats: [d.m.yyyy]}
  Bydliště: {identifier: address}
  Rodné číslo: {identifier: document}
  Telefon: {identifier: phone}
  E-mail: {identifier: email}
  Poznámka: {identifier: free_text}
  Datum: {field: identified_on}
  Pohlaví: {field: sex}
  Občanství: {field: citizenship}
constants: {status: actual}
`)
	content := "Příjmení,Jméno,Datum narození,Bydliště,Rodné číslo,Telefon,E-mail,Poznámka,Datum,Pohlaví,Občanství\n" +
		"Nováková,Jana,5.3.2008,\"Vinohradská 12, 120 00 Praha 2\",085305/1234,+420 601 222 333,jana@example.cz,Jana N. z Brna,1.3.2025,F,CZ\n" +
		"Nováková,Jana,5.3.2008,\"Vinohradská 12, 120 00 Praha 2\",085305/1234,+420 601 222 333,jana@example.cz,,10.3.2025,F,CZ\n"
	out := run(t, m, "f.csv", []byte(content))
	if err := out.res.Err(); err != nil {
		t.Fatal(err)
	}
	r := out.recs[0]
	// Identified 1.3.2025, born 5.3.2008: 16, a child; ten days later 17.
	if r["birth_year"] != 2008.0 || r["age_group"] != "child" || r["age_band"] != "9-17" || r["region"] != "CZ010" {
		t.Fatalf("generalised fields: %v", r)
	}
	keys, _ := r["linkage_keys"].([]any)
	var variants []string
	for _, k := range keys {
		variants = append(variants, k.(string)[:2])
	}
	if want := []string{"a1", "a2", "b1", "c1", "d1", "e1", "f1", "g1", "h1", "h2", "h3", "d2", "d3"}; !slices.Equal(variants, want) {
		t.Fatalf("key variants %v, want %v", variants, want)
	}
	if !reflect.DeepEqual(out.recs[0]["linkage_keys"], out.recs[1]["linkage_keys"]) {
		t.Fatal("the same person has other keys in another row")
	}
	for _, raw := range out.raw {
		for _, id := range []string{"Nov", "NOV", "Jana", "JANA", "2008-03", "5.3.2008", "Vinohradsk", "120 00", "085305", "601", "example", "Brn"} {
			if strings.Contains(raw, id) {
				t.Fatalf("record holds identifier %q: %s", id, raw)
			}
		}
	}
}

func TestIdentifierVariants(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Name: {identifier: full_name}
  Year: {identifier: birth_year}
  Age: {identifier: age}
  Town: {identifier: town}
  PSČ: {identifier: postcode}
  Sex: {field: sex}
constants: {status: possible, citizenship: XX}
defaults: {age_group: unknown}
`)
	recs := runOK(t, m, "f.csv", "Name,Year,Age,Town,PSČ,Sex\n"+
		"NOVÁKOVÁ Jana,1990,,Olomouc,,F\n"+ // birth year, no date of identification: the period's year
		"Jan Novák,,16,,70200,M\n"+ // the age alone; the postal code of Ostrava
		",,,,,M\n") // nothing: the default
	if r := recs[0]; r["birth_year"] != 1990.0 || r["age_group"] != "adult" || r["region"] != "CZ071" || r["linkage_keys"] == nil {
		t.Fatalf("record 1: %v", r)
	}
	if r := recs[1]; r["birth_year"] != nil || r["age_group"] != "child" || r["age_band"] != "9-17" || r["region"] != "CZ080" {
		t.Fatalf("record 2: %v", r)
	}
	if r := recs[2]; r["age_group"] != "unknown" || r["linkage_keys"] != nil {
		t.Fatalf("record 3: %v", r)
	}
}

func TestFullNameSplitLinks(t *testing.T) {
	// A full name in one column and the same person in two columns share
	// a key (h1 keys the name words as a set).
	full := parse(t, victimsBase+`
columns:
  Jméno a příjmení: {identifier: full_name}
  DOB: {identifier: birth_date}
constants: {status: possible, sex: F, citizenship: VN}
`)
	split := parse(t, victimsBase+`
columns:
  Příjmení: {identifier: surname}
  Jméno: {identifier: given}
  DOB: {identifier: birth_date}
constants: {status: possible, sex: F, citizenship: VN}
`)
	a := runOK(t, full, "a.csv", "Jméno a příjmení,DOB\nNguyen Thi Lan,1.2.1990\nNOVÁKOVÁ Jana,3.4.1985\n")
	b := runOK(t, split, "b.csv", "Příjmení,Jméno,DOB\nNguyen,Thi Lan,1.2.1990\nNováková,Jana,3.4.1985\n")
	for i := range a {
		if shared(a[i]["linkage_keys"], b[i]["linkage_keys"]) == 0 {
			t.Errorf("record %d: no shared key", i+1)
		}
	}
	// NOVÁKOVÁ Jana: the capitals are the surname, so every variant agrees.
	if n := shared(a[1]["linkage_keys"], b[1]["linkage_keys"]); n != 13 {
		t.Errorf("NOVÁKOVÁ Jana shares %d keys, want all 13", n)
	}
}

func shared(a, b any) int {
	n := 0
	for _, x := range a.([]any) {
		if slices.Contains(b.([]any), x) {
			n++
		}
	}
	return n
}

func TestDrop(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Stav: {field: status}
  Interní číslo: {drop: true}
constants: {sex: U, citizenship: XX, age_group: unknown}
`)
	out := run(t, m, "f.csv", []byte("Stav,Interní číslo\nactual,KRPA-1234/TČ\n"))
	if strings.Contains(out.raw[0], "KRPA") {
		t.Fatalf("a dropped column left: %s", out.raw[0])
	}
}

func TestValuesOverrideTheSchemaTerms(t *testing.T) {
	with := parse(t, victimsBase+`
columns:
  Občanství:
    field: citizenship
    values: {"ČR": CZ, "neuvedeno": ""}
constants: {status: actual, sex: F, age_group: adult}
defaults: {citizenship: XX}
`)
	without := parse(t, victimsBase+`
columns:
  Občanství: {field: citizenship}
constants: {status: actual, sex: F, age_group: adult}
`)
	file := "Občanství\nČR\nčr\nNEUVEDENO\nSlovensko\n"
	var got []any
	for _, r := range runOK(t, with, "f.csv", file) {
		got = append(got, r["citizenship"])
	}
	// Terms compare folded; "" maps to nothing, and the default applies.
	if want := []any{"CZ", "CZ", "XX", "SK"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("with values: %v, want %v", got, want)
	}
	// The trap the values are for: the schema's list reads ČR as Costa Rica.
	if r := runOK(t, without, "f.csv", "Občanství\nČR\n"); r[0]["citizenship"] != "CR" {
		t.Fatalf("without values: %v", r[0])
	}
}

func TestSplitAndWholeCellTerms(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Forma:
    field: exploitation
    split: ", "
    values: {"otroctví, nevolnictví": servitude, "nucená kriminalita": criminal}
constants: {status: actual, sex: F, age_group: adult, citizenship: CZ}
`)
	recs := runOK(t, m, "f.csv", "Forma\n"+
		"\"sexuální vykořisťování, pracovní vykořisťování\"\n"+
		"\"otroctví, nevolnictví\"\n"+ // one term with the separator in it
		"\"nucená kriminalita, otroctví, nevolnictví, sexuální\"\n"+ // split: servitude once
		"\"pracovní, práce\"\n") // two terms, one code
	var got [][]any
	for _, r := range recs {
		got = append(got, r["exploitation"].([]any))
	}
	want := [][]any{{"sexual", "labour"}, {"servitude"}, {"criminal", "servitude", "sexual"}, {"labour"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("exploitation %v, want %v", got, want)
	}
}

func TestDateFormats(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Datum: {field: identified_on, formats: [dd/mm/yyyy, yyyy]}
constants: {status: actual, sex: F, age_group: adult, citizenship: CZ}
`)
	recs := runOK(t, m, "f.csv", "Datum\n05/03/2025\n2024\n")
	if recs[0]["identified_on"] != "2025-03-05" || recs[1]["identified_on"] != "2024" {
		t.Fatalf("dates %v %v", recs[0], recs[1])
	}
	ps := problems(t, m, "f.csv", "Datum\n5.3.2025\n")
	hasProblem(t, ps, "row 2, column 'Datum', value '5.3.2025': not a date in the formats dd/mm/yyyy, yyyy")
}

func TestAlsoKeepsTheSourceWord(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Status: {field: status, also: status_source, values: {"zařazena do programu": actual}}
constants: {sex: F, age_group: adult, citizenship: CZ}
`)
	r := runOK(t, m, "f.csv", "Status\nzařazena do programu\npresumed victim\n")
	if r[0]["status"] != "actual" || r[0]["status_source"] != "zařazena do programu" || r[1]["status_source"] != "presumed victim" {
		t.Fatalf("records %v", r)
	}
	ps := problems(t, m, "f.csv", "Status\n=cmd|' /C calc'!A0\n")
	hasProblem(t, ps, "row 2, column 'Status': looks like a spreadsheet formula; remove it")
}

func TestConstantsAndDefaults(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Pohlaví: {field: sex}
  Stav: {field: status}
constants: {decided_by: "Policie ČR", citizenship: UA}
defaults: {sex: U, age_group: unknown}
`)
	r := runOK(t, m, "f.csv", "Pohlaví,Stav\nžena,oběť\n,oběť\n")
	if r[0]["decided_by"] != "police" || r[0]["citizenship"] != "UA" || r[0]["sex"] != "F" || r[1]["sex"] != "U" || r[1]["age_group"] != "unknown" {
		t.Fatalf("records %v", r)
	}
}

func TestUnmappedColumns(t *testing.T) {
	base := victimsBase + `
columns:
  Stav: {field: status}
constants: {sex: U, citizenship: XX, age_group: unknown}
`
	file := "Stav,Jméno klientky\nactual,Jana\n"
	ps := problems(t, parse(t, base), "f.csv", file)
	hasProblem(t, ps, "row 1, column 'Jméno klientky': the column is not in the mapping")
	out := run(t, parse(t, base+"ignore_unmapped: true\n"), "f.csv", []byte(file))
	if out.res.Err() != nil || strings.Contains(out.raw[0], "Jana") {
		t.Fatalf("ignore_unmapped: %v %v", out.res.Err(), out.raw)
	}
	// A value under a column with no name in the header is refused,
	// unless unmapped columns are dropped.
	ps = problems(t, parse(t, base), "f.csv", "Stav,\nactual,Jana\n")
	hasProblem(t, ps, "row 2: a value in column 2, which has no name in the header")
	out = run(t, parse(t, base+"ignore_unmapped: true\n"), "f.csv", []byte("Stav,\nactual,Jana\n"))
	if out.res.Err() != nil || strings.Contains(out.raw[0], "Jana") {
		t.Fatalf("ignore_unmapped, unnamed column: %v %v", out.res.Err(), out.raw)
	}
}

func TestSkipRows(t *testing.T) {
	m := parse(t, `
dataset: proceedings
columns:
  Rok: {field: year}
  Stadium: {field: stage, skip: [zproštěno], values: {obžalováno: prosecuted, odsouzeno: convicted}}
  Počet: {field: count}
`)
	out := run(t, m, "f.csv", []byte("Rok;Stadium;Počet\n2025;obžalováno;4\n2025;Zproštěno;1\n2025;odsouzeno;2\n"))
	if out.res.Err() != nil || out.res.Rows != 3 || out.res.Skipped != 1 || len(out.recs) != 2 {
		t.Fatalf("result %+v, records %v", out.res, out.recs)
	}
}

func TestSumDuplicates(t *testing.T) {
	m := parse(t, `
dataset: proceedings
columns:
  Rok: {field: year}
  Stadium: {field: stage}
  Trest: {drop: true}
  Počet: {field: count}
sum_duplicates: true
`)
	recs := runOK(t, m, "f.csv", "Rok;Stadium;Trest;Počet\n2025;odsouzení;podmíněný;3\n2025;stíhaní;;5\n2025;odsouzení;nepodmíněný;2\n")
	want := []map[string]any{
		{"year": 2025.0, "stage": "convicted", "count": 5.0},
		{"year": 2025.0, "stage": "prosecuted", "count": 5.0},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("records %v, want %v", recs, want)
	}
}

func TestEventsAndCamelCase(t *testing.T) {
	m := parse(t, `
dataset: victims
columns:
  TraffickingStatus: {field: status, values: {PossibleVictimOfTrafficking: possible}}
  TypeOfExploitation: {field: exploitation}
  MethodsOfControl: {field: means_of_control}
  CountryOfExploitation: {field: events.exploitation}
  CountryOfRecruitment: {field: events.recruitment}
constants: {sex: F, age_group: adult, citizenship: UA}
`)
	recs := runOK(t, m, "f.json", `[{"TraffickingStatus": "PossibleVictimOfTrafficking", "TypeOfExploitation": ["ForcedLabour", "SexualExploitation"],
		"MethodsOfControl": ["DebtBondage", "ThreatOfLawEnforcement"], "CountryOfExploitation": "Německo", "CountryOfRecruitment": "UA"}]`)
	r := recs[0]
	if !reflect.DeepEqual(r["exploitation"], []any{"labour", "sexual"}) || !reflect.DeepEqual(r["means_of_control"], []any{"debt_bondage", "threat_of_law_enforcement"}) {
		t.Fatalf("codes %v", r)
	}
	events := []any{map[string]any{"stage": "exploitation", "country": "DE"}, map[string]any{"stage": "recruitment", "country": "UA"}}
	if !reflect.DeepEqual(r["events"], events) {
		t.Fatalf("events %v, want %v", r["events"], events)
	}
}

func TestAggregatesAndControls(t *testing.T) {
	agg := parse(t, `
dataset: aggregates
columns:
  rok: {field: year}
  forma: {field: exploitation}
  skupina: {field: dimensions.citizenship_group, values: {"občané ČR": CZ}}
  odhad: {field: count}
constants: {unit: victims}
`)
	r := runOK(t, agg, "f.csv", "rok,forma,skupina,odhad\n2025,žebrání,občané ČR,12\n")
	want := map[string]any{"dimensions": map[string]any{"year": "2025", "exploitation": "begging", "citizenship_group": "CZ"}, "unit": "victims", "count": 12.0}
	if !reflect.DeepEqual(r[0], want) {
		t.Fatalf("aggregate %v, want %v", r[0], want)
	}
	ctl := parse(t, `
dataset: controls
columns:
  Rok: {field: year}
  Čtvrtletí: {field: period, values: {"1. čtvrtletí": Q1}}
  Kontroly: {field: controls}
  Osoby: {field: persons_checked}
  Podezření: {field: suspected_cases}
constants: {authority: SÚIP}
`)
	r = runOK(t, ctl, "f.csv", "Rok,Čtvrtletí,Kontroly,Osoby,Podezření\n2025,1. čtvrtletí,10,30,1\n")
	if r[0]["period"] != "2025-Q1" || r[0]["authority"] != "labour_inspectorate" {
		t.Fatalf("control %v", r[0])
	}
}

func TestProblemWording(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Status oběti: {field: status}
  Příjmení: {identifier: surname}
  Datum narození: {identifier: birth_date, formats: [d.m.yyyy]}
constants: {sex: F, citizenship: CZ}
defaults: {age_group: unknown}
`)
	out := run(t, m, "f.csv", []byte("Status oběti,Příjmení,Datum narození\nidentifkovaná oběť,Nováková,31.2.1990\n"))
	var got []string
	for _, p := range out.res.Problems {
		got = append(got, p.String())
	}
	want := []string{
		"row 2, column 'Status oběti', value 'identifkovaná oběť': not a known status; nearest: actual (Actual victim)",
		"row 2, column 'Datum narození': not a date in the formats d.m.yyyy; list the column's formats under formats",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := out.res.Problems[0]; p.Row != 2 || p.Column != "Status oběti" || p.Value != "identifkovaná oběť" || p.Nearest != "actual" {
		t.Fatalf("problem fields %+v", p)
	}
	if len(out.recs) != 0 {
		t.Fatal("a row with problems made a record")
	}
	var pe *mapping.ProblemsError
	if err := out.res.Err(); err == nil || !strings.HasPrefix(err.Error(), "the file has 2 problem(s); nothing was sealed or sent") {
		t.Fatalf("Err() = %v", err)
	} else if !errorsAs(err, &pe) {
		t.Fatal("Err() is not a *ProblemsError")
	}
}

func errorsAs(err error, target **mapping.ProblemsError) bool {
	pe, ok := err.(*mapping.ProblemsError)
	*target = pe
	return ok
}

func TestRequiredValueMissing(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Status: {field: status, values: {neznámý: ""}}
  DOB: {identifier: birth_date}
constants: {sex: F, citizenship: CZ}
`)
	ps := problems(t, m, "f.csv", "Status,DOB\n,1.1.1990\nneznámý,1.1.1990\nactual,\n")
	hasProblem(t, ps, "row 2, column 'Status': no status: the cell is empty, and status is required")
	hasProblem(t, ps, "row 3, column 'Status', value 'neznámý': no status: the mapping's values map this term to nothing")
	hasProblem(t, ps, "row 4: no age_group: it comes from the birth date or age, which the row lacks; set a default for age_group (unknown)")
}

func TestSecretNeeded(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Příjmení: {identifier: surname}
constants: {status: actual, sex: F, age_group: adult, citizenship: CZ}
`)
	if !m.NeedsSecret() {
		t.Fatal("NeedsSecret false for a surname column")
	}
	_, err := m.RunReader(strings.NewReader("Příjmení\nNovák\n"), "f.csv", mapping.Options{}, func([]byte) error { return nil })
	if err != mapping.ErrNoSecret {
		t.Fatalf("without a secret: %v", err)
	}
	// check needs no secret, and makes no keys.
	res, err := m.RunReader(strings.NewReader("Příjmení\nNovák\n"), "f.csv", mapping.Options{CheckOnly: true}, func(rec []byte) error {
		if strings.Contains(string(rec), "linkage_keys") {
			t.Fatalf("CheckOnly made keys: %s", rec)
		}
		return nil
	})
	if err != nil || res.Records != 1 {
		t.Fatalf("CheckOnly: %v %+v", err, res)
	}
	if parse(t, victimsBase+"columns: {Poznámka: {identifier: free_text}}\nconstants: {status: actual, sex: F, age_group: adult, citizenship: CZ}\n").NeedsSecret() {
		t.Fatal("a free-text column needs no secret")
	}
}

func TestBloomProfile(t *testing.T) {
	m := parse(t, victimsBase+`
profile: default_bloom
columns:
  Příjmení: {identifier: surname}
  Jméno: {identifier: given}
constants: {status: actual, sex: F, age_group: adult, citizenship: CZ}
`)
	r := runOK(t, m, "f.csv", "Příjmení,Jméno\nNováková,Jana\n")
	if b, _ := r[0]["bloom"].(string); len(b) != 171 {
		t.Fatalf("bloom %q", b)
	}
	p := m.AnonProfile()
	d := parse(t, victimsBase+"columns: {Stav: {field: status}}\nconstants: {sex: F, age_group: adult, citizenship: CZ}\n").AnonProfile()
	if !p.Bloom || p.Digest() == d.Digest() {
		t.Fatal("default_bloom is not a profile of its own")
	}
}

func TestMissingRequiredColumn(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Status: {field: status}
  Pohlaví: {field: sex}
constants: {citizenship: CZ, age_group: adult}
`)
	out := run(t, m, "f.csv", []byte("Pohlaví\nžena\nmuž\n"))
	if len(out.res.Problems) != 1 || out.res.Problems[0].String() != "row 1, column 'Status': named in the mapping but not in the file's header" {
		t.Fatalf("problems %v", out.res.Problems)
	}
	if out.res.Rows != 0 || len(out.recs) != 0 {
		t.Fatal("rows were read under a header the mapping does not fit")
	}
	// A near miss in the header is pointed at.
	ps := problems(t, m, "f.csv", "Statut,Pohlaví\nactual,žena\n")
	hasProblem(t, ps, "row 1, column 'Status': named in the mapping but not in the file's header (the header has 'Statut')")
}

func TestFormulaInFreeText(t *testing.T) {
	m := parse(t, victimsBase+`
columns:
  Status: {field: status}
  Vlastní označení: {field: status_source}
constants: {sex: F, citizenship: CZ, age_group: adult}
`)
	for _, formula := range []string{"=HYPERLINK(\"http://x\";\"klik\")", "+1+2", "-2+3", "@SUM(A1)"} {
		out := run(t, m, "f.csv", []byte("Status,Vlastní označení\nactual,\""+strings.ReplaceAll(formula, `"`, `""`)+"\"\n"))
		if len(out.recs) != 0 || len(out.res.Problems) != 1 {
			t.Fatalf("%q: records %v, problems %v", formula, out.raw, out.res.Problems)
		}
		// Free text is never repeated in a problem.
		if p := out.res.Problems[0]; p.String() != "row 2, column 'Vlastní označení': looks like a spreadsheet formula; remove it" {
			t.Fatalf("%q: %s", formula, p)
		}
	}
	// A number with a sign is no formula.
	m = parse(t, victimsBase+"columns: {Status: {field: status}, Rok: {field: birth_year}}\nconstants: {sex: F, citizenship: CZ, age_group: adult}\n")
	if r := runOK(t, m, "f.csv", "Status,Rok\nactual,+1990\n"); r[0]["birth_year"] != 1990.0 {
		t.Fatalf("record %v", r[0])
	}
}
