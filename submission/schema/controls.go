package schema

import (
	"regexp"
	"strconv"
)

const controlsDoc = `Inspections by the alien police and the labour inspectorate: how many
controls they made, how many persons they checked and how many suspected
THB cases they found, for a year or a part of it, nationally or in one
region.`

// AuthorityList is the inspecting authorities.
var AuthorityList = newList("authority", []Code{
	{"alien_police", "Alien police (Služba cizinecké policie)", []string{
		"foreign police", "immigration police", "cizinecká policie", "služba cizinecké policie", "scp", "ocp",
		"odbor cizinecké policie"}},
	{"labour_inspectorate", "Labour inspectorate (Státní úřad inspekce práce and its regional inspectorates)", []string{
		"labor inspectorate", "labour inspection", "inspekce práce", "státní úřad inspekce práce", "súip",
		"oblastní inspektorát práce", "oip", "inspektorát práce"}},
})

// Control is one authority's inspection counts for a period.
type Control struct {
	Authority      string `json:"authority"`
	Year           int    `json:"year"`
	Period         string `json:"period,omitempty"`
	Region         string `json:"region,omitempty"`
	Controls       int    `json:"controls"`
	PersonsChecked int    `json:"persons_checked"`
	SuspectedCases int    `json:"suspected_cases"`
}

var controlSpec = []Field{
	{"authority", KindCode, true, AuthorityList, "The inspecting authority."},
	{"year", KindInt, true, nil, "The year of the controls, 1900-2100."},
	{"period", KindString, false, nil, "Part of the year, in the year given: YYYY-H1|H2, YYYY-Q1..Q4 or YYYY-MM; absent for the whole year."},
	{"region", KindCode, false, RegionList, "Czech region (NUTS 3) of the controls; absent for the whole country."},
	{"controls", KindInt, true, nil, "Controls (inspections) made, 0 or more."},
	{"persons_checked", KindInt, true, nil, "Persons checked in them, 0 or more."},
	{"suspected_cases", KindInt, true, nil, "Suspected THB cases found, 0 or more."},
}

var periodPattern = regexp.MustCompile(`^(19|20)[0-9]{2}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$`)

// Validate checks a controls record. The error joins one *FieldError per
// problem.
func (r Control) Validate() error {
	var c checker
	c.code("authority", AuthorityList, r.Authority, true)
	c.year("year", r.Year)
	switch {
	case r.Period == "":
	case !periodPattern.MatchString(r.Period):
		c.add("period", RuleFormat, truncate(r.Period, 40), "is not YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM")
	case r.Period[:4] != strconv.Itoa(r.Year):
		c.add("period", RuleConsistency, r.Period, "is not in year %d", r.Year)
	}
	c.code("region", RegionList, r.Region, false)
	c.count("controls", r.Controls)
	c.count("persons_checked", r.PersonsChecked)
	c.count("suspected_cases", r.SuspectedCases)
	return c.err()
}
