package schema

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

const aggregatesDoc = `Counts for sources that give only counts (intelligence services,
embassies, open sources): one count per combination of dimensions. A
dimension left out means all its values (a total), not unknown; give
unknown values as the code for unknown (sex U, citizenship XX, ...). Counts
are raw: suppression of small cells happens when tables are published,
not here.`

var (
	// DimensionList is the dimensions an aggregate can be broken down by.
	DimensionList = newList("dimension", []Code{
		{"sex", "Sex (sex list)", []string{"pohlaví", "gender"}},
		{"age_group", "Child or adult (age_group list)", []string{"věková skupina", "dítě dospělý"}},
		{"age_band", "CTDC age band (age_band list)", []string{"věkové pásmo", "věková kategorie", "věk"}},
		{"citizenship", "Citizenship, ISO 3166-1 alpha-2 (country list)", []string{"nationality", "státní příslušnost", "občanství", "národnost"}},
		{"citizenship_group", "CZ, other EU, non-EU (citizenship_group list)", []string{"skupina státní příslušnosti", "skupina občanství"}},
		{"exploitation", "Form of exploitation (exploitation list)", []string{"form of exploitation", "forma vykořisťování", "typ vykořisťování", "účel"}},
		{"status", "Trafficking status (status list)", []string{"victim status", "status oběti", "stav"}},
		{"region", "Czech region, NUTS 3 (region list)", []string{"kraj", "nuts3", "nuts 3"}},
		{"year", "Year, four digits as a string (\"2024\")", []string{"rok", "období"}},
		{"stage", "Stage of criminal proceedings (proceeding_stage list); needs unit persons or cases", []string{"proceeding stage", "stadium řízení", "fáze řízení"}},
		{"exploitation_country", "Country of exploitation, ISO 3166-1 alpha-2 (country list): Czech victims abroad", []string{
			"country of exploitation", "země vykořisťování", "stát vykořisťování", "místo vykořisťování"}},
	})

	// UnitList says what an aggregate counts.
	UnitList = newList("unit", []Code{
		{"victims", "Victims, possible or actual (the default)", []string{"oběti", "victim", "oběť", "osoby oběti"}},
		{"persons", "Persons in criminal proceedings (suspected, prosecuted, convicted)", []string{"osoby", "person", "pachatelé", "offenders"}},
		{"cases", "Cases or investigations", []string{"případy", "case", "věci", "trestné činy", "skutky", "incidents"}},
	})
)

// dimensionFields describes each dimension's values, in DimensionList
// order.
var dimensionFields = []Field{
	{"sex", KindCode, false, SexList, ""},
	{"age_group", KindCode, false, AgeGroupList, ""},
	{"age_band", KindCode, false, AgeBandList, ""},
	{"citizenship", KindCountry, false, CountryList, ""},
	{"citizenship_group", KindCode, false, CitizenshipGroupList, ""},
	{"exploitation", KindCode, false, ExploitationList, ""},
	{"status", KindCode, false, StatusList, ""},
	{"region", KindCode, false, RegionList, ""},
	{"year", KindInt, false, nil, ""},
	{"stage", KindCode, false, ProceedingStageList, ""},
	{"exploitation_country", KindCountry, false, CountryList, ""},
}

// DimensionFields describes the dimensions of aggregates/1: each one's
// name, kind and code list. A year's value is its four digits as a
// string.
func DimensionFields() []Field {
	out := slices.Clone(dimensionFields)
	for i := range out {
		out[i].Doc = DimensionList.Codes[i].Label
	}
	return out
}

// Dimension returns the description of one dimension.
func Dimension(name string) (Field, bool) {
	i := slices.IndexFunc(dimensionFields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return DimensionFields()[i], true
}

// Dimensions maps dimension names to the code of each.
type Dimensions map[string]string

// MarshalJSON writes no dimensions as {}: a record always has the field.
func (d Dimensions) MarshalJSON() ([]byte, error) {
	if d == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]string(d))
}

// UnmarshalJSON reads an object of strings, refusing a repeated key,
// which encoding/json would silently let the last one win.
func (d *Dimensions) UnmarshalJSON(b []byte) error {
	bad := &FieldError{Field: "dimensions", Rule: RuleType, Msg: "is not a JSON object of dimension names and string codes"}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return bad
	}
	m := Dimensions{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad
		}
		key, _ := tok.(string)
		val, err := dec.Token()
		s, ok := val.(string)
		if err != nil || !ok {
			return bad
		}
		if _, dup := m[key]; dup {
			return &FieldError{Field: "dimensions", Rule: RuleDuplicateField, Msg: "names a dimension twice"}
		}
		m[key] = s
	}
	*d = m
	return nil
}

// Aggregate is one count over a combination of dimensions.
type Aggregate struct {
	Dimensions Dimensions `json:"dimensions"`
	Unit       string     `json:"unit,omitempty"`
	Count      int        `json:"count"`
}

var aggregateSpec = []Field{
	{"dimensions", KindObject, true, DimensionList, "The combination counted: {dimension: code}, each dimension at most once; {} for a grand total."},
	{"unit", KindCode, false, UnitList, "What is counted; absent means victims."},
	{"count", KindInt, true, nil, "The count, 0 or more; zero is a real value and must be given."},
}

// Validate checks an aggregates record. The error joins one *FieldError
// per problem.
func (a Aggregate) Validate() error {
	var c checker
	keys := make([]string, 0, len(a.Dimensions))
	for k := range a.Dimensions {
		keys = append(keys, k)
	}
	slices.Sort(keys) // problems in a stable order
	for _, k := range keys {
		c.dimension(k, a.Dimensions[k])
	}
	c.code("unit", UnitList, a.Unit, false)
	_, byStage := a.Dimensions["stage"]
	_, byStatus := a.Dimensions["status"]
	switch {
	case byStage && (a.Unit == "" || a.Unit == "victims"):
		c.add("unit", RuleConsistency, a.Unit, "must be persons or cases for counts by stage")
	case byStatus && a.Unit != "" && a.Unit != "victims":
		c.add("unit", RuleConsistency, a.Unit, "must be victims (or absent) for counts by status")
	}
	c.count("count", a.Count)
	return c.err()
}

// dimension checks one dimension and its value.
func (c *checker) dimension(name, val string) {
	f, ok := Dimension(name)
	if !ok {
		shown := ""
		if safeName.MatchString(name) {
			shown = name
		}
		c.add("dimensions", RuleUnknownField, shown, "names no dimension; dimensions are %s", strings.Join(DimensionList.Values(), ", "))
		return
	}
	var sub checker
	switch f.Kind {
	case KindInt:
		if !yearValue(val) {
			sub.add(name, RuleFormat, truncate(val, 40), "is not a year between %d and %d, as four digits", minYear, maxYear)
		}
	case KindCountry:
		sub.country(name, val, true)
	default:
		sub.code(name, f.Codes, val, true)
	}
	for _, err := range sub.errs {
		fe := err.(*FieldError)
		c.add("dimensions", fe.Rule, fe.Value, "%s %s", name, fe.Msg)
	}
}

// yearValue checks a year given as text.
func yearValue(s string) bool {
	y, err := strconv.Atoi(s)
	return err == nil && len(s) == 4 && y >= minYear && y <= maxYear
}
