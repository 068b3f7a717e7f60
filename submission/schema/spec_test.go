package schema_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/thbx/thbx/submission/schema"
)

// TestCodeLists checks every code list: codes are unique, labelled and
// free of spaces; aliases are lower case; and no two entries of a list,
// codes or aliases, fold to the same form, so Match is never ambiguous
// and no alias repeats what matching the code already gives.
func TestCodeLists(t *testing.T) {
	lists := schema.CodeLists()
	if len(lists) != 21 {
		t.Errorf("%d code lists", len(lists))
	}
	names := map[string]bool{}
	for _, cl := range lists {
		if names[cl.Name] {
			t.Errorf("two lists are called %s", cl.Name)
		}
		names[cl.Name] = true
		if len(cl.Codes) == 0 {
			t.Errorf("%s is empty", cl.Name)
		}
		owner := map[string]string{}
		for _, c := range cl.Codes {
			if c.Code == "" || strings.ContainsAny(c.Code, " \t\n|,;") || c.Label == "" {
				t.Errorf("%s: bad code %q (label %q)", cl.Name, c.Code, c.Label)
			}
			for i, k := range append([]string{c.Code}, c.Aliases...) {
				if i > 0 && k != strings.ToLower(k) {
					t.Errorf("%s %s: alias %q is not lower case", cl.Name, c.Code, k)
				}
				f := schema.Fold(k)
				if f == "" {
					t.Errorf("%s %s: %q folds to nothing", cl.Name, c.Code, k)
				}
				if prev, ok := owner[f]; ok {
					t.Errorf("%s: %q of %s folds to %q, as an entry of %s does", cl.Name, k, c.Code, f, prev)
				}
				owner[f] = c.Code
			}
			if !cl.Has(c.Code) {
				t.Errorf("%s: Has(%q) is false", cl.Name, c.Code)
			}
		}
	}
}

func TestStringListsMatchCodeLists(t *testing.T) {
	for _, tc := range []struct {
		old  []string
		list *schema.CodeList
	}{
		{schema.Statuses, schema.StatusList},
		{schema.Deciders, schema.DeciderList},
		{schema.Sexes, schema.SexList},
		{schema.AgeGroups, schema.AgeGroupList},
		{schema.Exploitation, schema.ExploitationList},
	} {
		if !slices.Equal(tc.old, tc.list.Values()) {
			t.Errorf("%s: %v, want %v", tc.list.Name, tc.old, tc.list.Values())
		}
	}
	// Every code victims/1 accepted before the list grew still counts.
	for _, c := range []string{"sexual", "labour", "begging", "criminal", "organ_removal", "forced_marriage",
		"illegal_adoption", "surrogacy", "benefit_fraud", "servitude", "other"} {
		if !schema.ExploitationList.Has(c) {
			t.Errorf("exploitation lost %s", c)
		}
	}
}

// TestCountryList: all 249 ISO 3166-1 alpha-2 codes, Kosovo and
// unknown, each a country in CLDR's region data (x/text/language), which
// is kept apart from the iso-codes data the list was built from.
func TestCountryList(t *testing.T) {
	cl := schema.CountryList
	if len(cl.Codes) != 251 {
		t.Errorf("%d countries, want 249 + XK + XX", len(cl.Codes))
	}
	for _, c := range cl.Codes {
		if c.Code == "XX" {
			continue
		}
		r, err := language.ParseRegion(c.Code)
		if err != nil || !r.IsCountry() || r.String() != c.Code {
			t.Errorf("%s (%s) is not a country code: %v", c.Code, c.Label, err)
		}
	}
	for _, code := range []string{"EU", "UK", "EL", "SU", "YU", "CS", "ZZ", "QO", "AA", "UKR", "cz", ""} {
		if cl.Has(code) {
			t.Errorf("%q is a country", code)
		}
	}
	if len(schema.RegionList.Codes) != 14 {
		t.Errorf("%d Czech regions, want 14", len(schema.RegionList.Codes))
	}
	if got := len(schema.MeansOfControlList.Codes); got != 18 {
		t.Errorf("%d means of control, want HTCDS's 16 + 2", got)
	}
	if got := len(schema.LabourSectorList.Codes); got != 21 {
		t.Errorf("%d ISIC sections, want A-U", got)
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		list       *schema.CodeList
		term, want string
	}{
		{schema.StatusList, "actual", "actual"},
		{schema.StatusList, "ACTUAL", "actual"},
		{schema.StatusList, "Identifikovaná oběť", "actual"},
		{schema.StatusList, "identifikovana obet", "actual"},
		{schema.StatusList, "  IDENTIFIKOVANÁ   OBĚŤ ", "actual"},
		{schema.StatusList, "oběť", "actual"},
		{schema.StatusList, "identified victim", "actual"},
		{schema.StatusList, "Klientka", "possible"},
		{schema.StatusList, "předpokládaná oběť", "possible"},
		{schema.StatusList, "presumed", "possible"},
		{schema.StatusList, "Potential victim", "possible"},
		{schema.StatusList, "not-victim", "not_victim"},
		{schema.StatusList, "není oběť", "not_victim"},
		{schema.SexList, "Ž", "F"},
		{schema.SexList, "žena", "F"},
		{schema.SexList, "f", "F"},
		{schema.SexList, "Female", "F"},
		{schema.SexList, "MUŽ", "M"},
		{schema.SexList, "nezjištěno", "U"},
		{schema.DeciderList, "Policie ČR", "police"},
		{schema.DeciderList, "státní zastupitelství", "prosecution"},
		{schema.AgeGroupList, "nezletilá", "child"},
		{schema.AgeGroupList, "18+", "adult"},
		{schema.AgeBandList, "18–20", "18-20"},
		{schema.AgeBandList, "48 a více", "48+"},
		{schema.ExploitationList, "Sexuální vykořisťování", "sexual"},
		{schema.ExploitationList, "prostituce", "sexual"},
		{schema.ExploitationList, "nucená práce", "labour"},
		{schema.ExploitationList, "pracovní vykořisťování", "labour"},
		{schema.ExploitationList, "Forced labour", "labour"},
		{schema.ExploitationList, "nucená trestná činnost", "criminal"},
		{schema.ExploitationList, "Forced criminality", "criminal"},
		{schema.ExploitationList, "nucené žebrání", "begging"},
		{schema.ExploitationList, "nucený sňatek", "forced_marriage"},
		{schema.ExploitationList, "náhradní mateřství", "surrogacy"},
		{schema.ExploitationList, "odběr orgánů", "organ_removal"},
		{schema.LabourSectorList, "stavebnictví", "F"},
		{schema.LabourSectorList, "f", "F"},
		{schema.LabourSectorList, "úklid", "N"},
		{schema.CountryList, "Ukrajina", "UA"},
		{schema.CountryList, "ukrajinská", "UA"},
		{schema.CountryList, "Ukraine", "UA"},
		{schema.CountryList, "ukr", "UA"},
		{schema.CountryList, "ua", "UA"},
		{schema.CountryList, "Vietnam", "VN"},
		{schema.CountryList, "Viet Nam", "VN"},
		{schema.CountryList, "vietnamská", "VN"},
		{schema.CountryList, "Moldavsko", "MD"},
		{schema.CountryList, "Moldova, Republic of", "MD"},
		{schema.CountryList, "Rumunsko", "RO"},
		{schema.CountryList, "Nigérie", "NG"},
		{schema.CountryList, "Niger", "NE"},
		{schema.CountryList, "Filipíny", "PH"},
		{schema.CountryList, "Mongolsko", "MN"},
		{schema.CountryList, "Čína", "CN"},
		{schema.CountryList, "Ruská federace", "RU"},
		{schema.CountryList, "Rusko", "RU"},
		{schema.CountryList, "Bělorusko", "BY"},
		{schema.CountryList, "Uzbekistán", "UZ"},
		{schema.CountryList, "Thajsko", "TH"},
		{schema.CountryList, "Česká republika", "CZ"},
		{schema.CountryList, "Česko", "CZ"},
		{schema.CountryList, "Slovensko", "SK"},
		{schema.CountryList, "Německo", "DE"},
		{schema.CountryList, "EL", "GR"},
		{schema.CountryList, "UK", "GB"},
		{schema.CountryList, "Velká Británie", "GB"},
		{schema.CountryList, "Kosovo", "XK"},
		{schema.CountryList, "neznámá", "XX"},
		{schema.CountryList, "bez státní příslušnosti", "XX"},
		{schema.RegionList, "Praha", "CZ010"},
		{schema.RegionList, "Moravskoslezský kraj", "CZ080"},
		{schema.RegionList, "kraj Vysočina", "CZ063"},
		{schema.RegionList, "CZ-64", "CZ064"},
		{schema.RegionList, "cz064", "CZ064"},
		{schema.LegalQualificationList, "§ 168", "s168"},
		{schema.LegalQualificationList, "§168", "s168"},
		{schema.LegalQualificationList, "obchodování s lidmi", "s168"},
		{schema.LegalQualificationList, "kuplířství", "s189"},
		{schema.LegalQualificationList, "§ 342", "s342"},
		{schema.ProceedingStageList, "odsouzené osoby", "convicted"},
		{schema.ProceedingStageList, "obžalovaní", "prosecuted"},
		{schema.CitizenshipGroupList, "třetí země", "non_EU"},
		{schema.AuthorityList, "SÚIP", "labour_inspectorate"},
		{schema.AuthorityList, "cizinecká policie", "alien_police"},
		{schema.DimensionList, "Pohlaví", "sex"},
		{schema.DimensionList, "státní příslušnost", "citizenship"},
	} {
		c, ok := tc.list.Match(tc.term)
		if !ok || c.Code != tc.want {
			t.Errorf("%s.Match(%q) = %q, %v; want %q", tc.list.Name, tc.term, c.Code, ok, tc.want)
		}
	}
	for _, tc := range []struct {
		list *schema.CodeList
		term string
	}{
		{schema.StatusList, ""},
		{schema.StatusList, "  "},
		{schema.StatusList, "-"},
		{schema.StatusList, "victimised"},
		{schema.SexList, "X"},
		{schema.CountryList, "Ukrajin"},
		{schema.CountryList, "Yugoslavia"},
		{schema.ExploitationList, "smuggling"},
	} {
		if c, ok := tc.list.Match(tc.term); ok {
			t.Errorf("%s.Match(%q) = %q", tc.list.Name, tc.term, c.Code)
		}
	}
}

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		list       *schema.CodeList
		term, want string
		dist       int
	}{
		{schema.StatusList, "actual", "actual", 0},
		{schema.StatusList, "Identifikovaná oběť", "actual", 0},
		{schema.StatusList, "acutal", "actual", 1},             // swapped letters
		{schema.StatusList, "identifikovna obet", "actual", 1}, // a letter left out
		{schema.StatusList, "klientky", "possible", 1},
		{schema.StatusList, "posible", "possible", 1},
		{schema.CountryList, "Ukrajna", "UA", 1},
		{schema.CountryList, "Vietnan", "VN", 1},
		{schema.CountryList, "Moldávie", "MD", 2}, // moldavie → moldavan
		{schema.ExploitationList, "prostituse", "sexual", 1},
		{schema.ExploitationList, "sexualni vykoristovany", "sexual", 1},
		{schema.ExploitationList, "nucena trestna cinost", "criminal", 1},
		{schema.SexList, "zena", "F", 0},
		{schema.RegionList, "Jihomoravsky", "CZ064", 0},
		{schema.RegionList, "Olomoucky kraj", "CZ071", 0},
		{schema.RegionList, "Olomouckz kraj", "CZ071", 1},
	} {
		c, d := tc.list.Nearest(tc.term)
		if c.Code != tc.want || d != tc.dist {
			t.Errorf("%s.Nearest(%q) = %q, %d; want %q, %d", tc.list.Name, tc.term, c.Code, d, tc.want, tc.dist)
		}
	}
	if c, d := (&schema.CodeList{Name: "empty"}).Nearest("x"); c.Code != "" || d != -1 {
		t.Errorf("Nearest on an empty list = %q, %d", c.Code, d)
	}
}

// TestCodeListLiteral: a CodeList built outside the package, without an
// index, matches the same way.
func TestCodeListLiteral(t *testing.T) {
	cl := &schema.CodeList{Name: "colour", Codes: []schema.Code{
		{Code: "red", Label: "Red", Aliases: []string{"červená", "rudá"}},
		{Code: "blue", Label: "Blue", Aliases: []string{"modrá"}},
	}}
	if c, ok := cl.Match("CERVENA"); !ok || c.Code != "red" {
		t.Errorf("Match = %q, %v", c.Code, ok)
	}
	if _, ok := cl.Match("zelená"); ok {
		t.Error("matched a colour that is not there")
	}
	if !cl.Has("blue") || cl.Has("Blue") || cl.Has("modrá") {
		t.Error("Has is not exact")
	}
	if c, d := cl.Nearest("modra "); c.Code != "blue" || d != 0 {
		t.Errorf("Nearest = %q, %d", c.Code, d)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Identifikovaná oběť":  "identifikovana obet",
		"  ŽLUŤOUČKÝ  kůň ":    "zlutoucky kun",
		"not_victim":           "not victim",
		"18–20":                "18 20",
		"48+":                  "48+",
		"§ 168 odst. 1":        "168 odst 1",
		"Côte d'Ivoire":        "cote d ivoire",
		"Łódź":                 "lodz",
		"Đà Nẵng":              "da nang",
		"STRAẞE":               "strasse",
		"":                     "",
		"---":                  "",
		"Nguyễn Thị Thu Hương": "nguyen thi thu huong",
	} {
		if got := schema.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSpec checks each dataset's machine-readable description against
// its record type: the same fields in the same order, a code list for
// every code kind, and a required field for every field that must be
// given.
func TestSpec(t *testing.T) {
	types := map[string]reflect.Type{
		"victims/1":     reflect.TypeFor[schema.Victim](),
		"proceedings/1": reflect.TypeFor[schema.Proceeding](),
		"controls/1":    reflect.TypeFor[schema.Control](),
		"aggregates/1":  reflect.TypeFor[schema.Aggregate](),
	}
	ds := schema.Datasets()
	var versions []string
	for _, d := range ds {
		versions = append(versions, d.Version)
	}
	if want := []string{"aggregates/1", "controls/1", "proceedings/1", "victims/1"}; !slices.Equal(versions, want) {
		t.Fatalf("Datasets = %v, want %v", versions, want)
	}
	for _, d := range ds {
		typ := types[d.Version]
		spec := d.Spec()
		if len(spec) != typ.NumField() {
			t.Fatalf("%s: %d fields in the spec, %d in %s", d.Version, len(spec), typ.NumField(), typ)
		}
		for i, f := range spec {
			name, opts, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if f.Name != name || f.Name != d.Fields[i] || f.Name != schema.Fields(d.Version)[i] {
				t.Errorf("%s field %d: spec %s, struct %s, Fields %s", d.Version, i, f.Name, name, d.Fields[i])
			}
			if f.Kind.String() == "invalid" || f.Doc == "" {
				t.Errorf("%s.%s: kind %v, doc %q", d.Version, f.Name, f.Kind, f.Doc)
			}
			needsCodes := slices.Contains([]schema.Kind{schema.KindCode, schema.KindCodes, schema.KindCountry,
				schema.KindCountries, schema.KindEvents, schema.KindObject}, f.Kind)
			if needsCodes != (f.Codes != nil) {
				t.Errorf("%s.%s: kind %v with code list %v", d.Version, f.Name, f.Kind, f.Codes)
			}
			// A required field is always written; an optional one is
			// left out when empty.
			if f.Required == (opts == "omitempty") {
				t.Errorf("%s.%s: required %v but json options %q", d.Version, f.Name, f.Required, opts)
			}
		}
		if c, err := schema.Current(d.Name); err != nil || c.Version != d.Version {
			t.Errorf("Current(%s) = %v, %v", d.Name, c.Version, err)
		}
		spec[0].Name = "changed"
		if d.Spec()[0].Name == "changed" {
			t.Errorf("%s: Spec returns the package's own slice", d.Version)
		}
	}
	dims := schema.DimensionFields()
	if len(dims) != len(schema.DimensionList.Codes) {
		t.Fatalf("%d dimension fields, %d dimensions", len(dims), len(schema.DimensionList.Codes))
	}
	for i, f := range dims {
		if f.Name != schema.DimensionList.Codes[i].Code || (f.Codes == nil) != (f.Kind == schema.KindInt) {
			t.Errorf("dimension %d: %+v", i, f)
		}
		if g, ok := schema.Dimension(f.Name); !ok || g.Name != f.Name {
			t.Errorf("Dimension(%s) = %+v, %v", f.Name, g, ok)
		}
	}
	if _, ok := schema.Dimension("name"); ok {
		t.Error("Dimension(name) exists")
	}
}

// TestColumns: each dataset's column list names every field, matches
// partners' headers and is never ambiguous.
func TestColumns(t *testing.T) {
	for _, d := range schema.Datasets() {
		cols := d.Columns()
		if !slices.Equal(cols.Values(), d.Fields) {
			t.Errorf("%s: columns %v, fields %v", d.Version, cols.Values(), d.Fields)
		}
		owner := map[string]string{}
		for _, c := range cols.Codes {
			for _, k := range append([]string{c.Code}, c.Aliases...) {
				f := schema.Fold(k)
				if prev, ok := owner[f]; ok || f == "" {
					t.Errorf("%s: header %q of %s folds to %q, as one of %s does", d.Version, k, c.Code, f, prev)
				}
				owner[f] = c.Code
			}
		}
	}
	for _, tc := range []struct{ version, header, want string }{
		{"victims/1", "Státní příslušnost", "citizenship"},
		{"victims/1", "POHLAVÍ", "sex"},
		{"victims/1", "Rok narození", "birth_year"},
		{"victims/1", "birth_year", "birth_year"},
		{"victims/1", "Forma vykořisťování", "exploitation"},
		{"victims/1", "Datum identifikace", "identified_on"},
		{"victims/1", "Kraj", "region"},
		{"proceedings/1", "Právní kvalifikace", "legal_qualification"},
		{"proceedings/1", "Počet osob", "count"},
		{"controls/1", "Počet kontrol", "controls"},
	} {
		d, _ := schema.Lookup(tc.version)
		if c, ok := d.Columns().Match(tc.header); !ok || c.Code != tc.want {
			t.Errorf("%s: header %q = %q, %v; want %s", tc.version, tc.header, c.Code, ok, tc.want)
		}
	}
	d, _ := schema.Lookup("victims/1")
	for _, h := range []string{"jméno", "příjmení", "datum narození", "rodné číslo", "adresa"} {
		if c, ok := d.Columns().Match(h); ok {
			t.Errorf("identifier column %q maps to %s", h, c.Code)
		}
	}
}
