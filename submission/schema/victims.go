package schema

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strconv"

	"github.com/thbx/thbx/certs/strictjson"
)

const victimsDoc = `One person as one source reports them: the same person reported by the
police and by an NGO is two records, linked at the hub only through
linkage_keys and bloom. A record holds coded attributes and generalised
quasi-identifiers (birth year, age band, region), never a name, date of
birth, document number, address, phone number or free-text narrative.`

// Victim is one person as one source reports them. It holds no direct
// identifier (see the package documentation).
type Victim struct {
	// StatusSource is the source's own word for the person's status,
	// kept next to the mapped Status because sources disagree on terms.
	StatusSource string   `json:"status_source,omitempty"`
	Status       string   `json:"status"`
	DecidedBy    string   `json:"decided_by,omitempty"`
	Sex          string   `json:"sex"`
	BirthYear    int      `json:"birth_year,omitempty"`
	AgeGroup     string   `json:"age_group"`
	Citizenship  string   `json:"citizenship"`
	Exploitation []string `json:"exploitation,omitempty"`
	IdentifiedOn string   `json:"identified_on,omitempty"`
	LinkageKeys  []string `json:"linkage_keys,omitempty"`

	// The fields below joined victims/1 after the first ten: optional, so
	// that earlier records stay valid, and last, so that exports keep
	// their column order.

	AgeBand                  string   `json:"age_band,omitempty"`
	SexualExploitation       []string `json:"sexual_exploitation,omitempty"`
	LabourSector             []string `json:"labour_sector,omitempty"`
	MeansOfControl           []string `json:"means_of_control,omitempty"`
	Recruitment              []string `json:"recruitment,omitempty"`
	RelationshipToTrafficker string   `json:"relationship_to_trafficker,omitempty"`
	Events                   []Event  `json:"events,omitempty"`
	Region                   string   `json:"region,omitempty"`
	Assistance               []string `json:"assistance,omitempty"`
	ConsentShare             bool     `json:"consent_share,omitempty"`
	ConsentResearch          bool     `json:"consent_research,omitempty"`
	Bloom                    string   `json:"bloom,omitempty"`
}

// Event is one trafficking event (HTCDS): where and when the person was
// recruited, moved or exploited. Events abroad are how Czech victims
// exploited in another country are recorded.
type Event struct {
	Stage   string `json:"stage"`
	Country string `json:"country"`
	Date    string `json:"date,omitempty"`
}

// UnmarshalJSON reads an event as strictly as the record around it.
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	var p plain
	if err := strictjson.Decode(b, &p); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &FieldError{Field: "events", Rule: RuleType, Msg: "an event's " + te.Field + " has the wrong JSON type (want " + jsonType(te.Type.Kind().String()) + ")"}
		}
		return &FieldError{Field: "events", Rule: RuleSyntax, Msg: "an event is not a JSON object of stage, country and date (unknown, repeated or mis-cased field?)"}
	}
	*e = Event(p)
	return nil
}

const (
	maxStatusSource = 100
	maxLinkageKeys  = 64
	maxEvents       = 32
	maxBloomBytes   = 1024
)

var victimSpec = []Field{
	{"status_source", KindString, false, nil, "The source's own word for the status (\"klientka\", \"identifikovaná oběť\"), kept beside the mapped status; at most 100 characters. Free text: never repeated in errors."},
	{"status", KindCode, true, StatusList, "Trafficking status mapped to HTCDS: possible (presumed), actual (identified), not_victim."},
	{"decided_by", KindCode, false, DeciderList, "Who decided the status."},
	{"sex", KindCode, true, SexList, "Sex as Eurostat counts it."},
	{"birth_year", KindInt, false, nil, "Year of birth, 1900-2100; never the full date."},
	{"age_group", KindCode, true, AgeGroupList, "Child or adult at identification; must agree with age_band and with birth_year and identified_on."},
	{"citizenship", KindCountry, true, CountryList, "Citizenship, ISO 3166-1 alpha-2; XX if unknown or stateless."},
	{"exploitation", KindCodes, false, ExploitationList, "Forms of exploitation, several if the source reports several."},
	{"identified_on", KindDate, false, nil, "When the source identified or first assisted the person: YYYY, YYYY-MM or YYYY-MM-DD."},
	{"linkage_keys", KindKeys, false, nil, "Keyed linkage keys (HMAC-SHA256 under the partners' linkage secret, which the hub never holds), 16-128 base64url characters each, at most 64. Never repeated in errors."},
	{"age_band", KindCode, false, AgeBandList, "CTDC age band at identification."},
	{"sexual_exploitation", KindCodes, false, SexualExploitationList, "Subtypes of sexual exploitation; needs sexual in exploitation."},
	{"labour_sector", KindCodes, false, LabourSectorList, "ISIC Rev. 4 sections of the work the person was exploited in."},
	{"means_of_control", KindCodes, false, MeansOfControlList, "How the trafficker controlled the person (HTCDS)."},
	{"recruitment", KindCodes, false, RecruitmentList, "How the person was recruited."},
	{"relationship_to_trafficker", KindCode, false, RelationshipList, "The person's relationship to the trafficker."},
	{"events", KindEvents, false, EventStageList, "Trafficking events, at most 32: {\"stage\": recruitment|transit|exploitation, \"country\": ISO 3166-1 alpha-2, \"date\": YYYY[-MM[-DD]] (optional)}. Countries of recruitment and exploitation, notably of Czech victims abroad."},
	{"region", KindCode, false, RegionList, "Czech region (NUTS 3 kraj) of the person's address as the source knows it, or else where they were identified; never anything finer."},
	{"assistance", KindCodes, false, AssistanceList, "Assistance the person received from the source."},
	{"consent_share", KindBool, false, nil, "The person agreed that their data be shared with the National Rapporteur beyond statistics. Absent means no."},
	{"consent_research", KindBool, false, nil, "The person agreed to the use of their data for research. Absent means no."},
	{"bloom", KindString, false, nil, "Keyed, hardened Bloom-filter encoding of name and birth date for fuzzy linkage: unpadded base64url of 1-1024 bytes. Never repeated in errors."},
}

// Validate checks a victim record against the code lists and the rules of
// victims/1. The error joins one *FieldError per problem.
func (v Victim) Validate() error {
	var c checker
	c.text("status_source", v.StatusSource, maxStatusSource)
	c.code("status", StatusList, v.Status, true)
	c.code("decided_by", DeciderList, v.DecidedBy, false)
	c.code("sex", SexList, v.Sex, true)
	if v.BirthYear != 0 && (v.BirthYear < minYear || v.BirthYear > maxYear) {
		c.add("birth_year", RuleRange, strconv.Itoa(v.BirthYear), "is not between %d and %d", minYear, maxYear)
	}
	c.code("age_group", AgeGroupList, v.AgeGroup, true)
	c.country("citizenship", v.Citizenship, true)
	c.codes("exploitation", ExploitationList, v.Exploitation)
	c.date("identified_on", v.IdentifiedOn)
	if len(v.LinkageKeys) > maxLinkageKeys {
		c.add("linkage_keys", RuleLength, "", "has more than %d keys", maxLinkageKeys)
	}
	for _, k := range v.LinkageKeys {
		if !keyPattern.MatchString(k) {
			// Not repeated: a value that is no key is likely raw personal
			// data, and problems are shown and logged.
			c.add("linkage_keys", RuleFormat, "", "a value of %d characters is not 16-128 base64url characters", len([]rune(k)))
		}
	}
	c.code("age_band", AgeBandList, v.AgeBand, false)
	c.codes("sexual_exploitation", SexualExploitationList, v.SexualExploitation)
	if len(v.SexualExploitation) > 0 && !slices.Contains(v.Exploitation, "sexual") {
		c.add("sexual_exploitation", RuleConsistency, "", "needs sexual among exploitation")
	}
	c.codes("labour_sector", LabourSectorList, v.LabourSector)
	c.codes("means_of_control", MeansOfControlList, v.MeansOfControl)
	c.codes("recruitment", RecruitmentList, v.Recruitment)
	c.code("relationship_to_trafficker", RelationshipList, v.RelationshipToTrafficker, false)
	c.events(v.Events)
	c.code("region", RegionList, v.Region, false)
	c.codes("assistance", AssistanceList, v.Assistance)
	if v.Bloom != "" && !validBloom(v.Bloom) {
		c.add("bloom", RuleFormat, "", "is not unpadded base64url of 1 to %d bytes", maxBloomBytes)
	}
	if len(c.errs) == 0 {
		c.ages(v)
	}
	return c.err()
}

func (c *checker) events(events []Event) {
	if len(events) > maxEvents {
		c.add("events", RuleLength, "", "has more than %d events", maxEvents)
	}
	for i, e := range events {
		var sub checker
		sub.code("stage", EventStageList, e.Stage, true)
		sub.country("country", e.Country, true)
		sub.date("date", e.Date)
		for _, err := range sub.errs {
			fe := err.(*FieldError)
			c.add("events", fe.Rule, fe.Value, "event %d: %s %s", i+1, fe.Field, fe.Msg)
		}
	}
}

func validBloom(s string) bool {
	if len(s) > base64.RawURLEncoding.EncodedLen(maxBloomBytes) {
		return false
	}
	// Strict: one encoding per filter, so a record survives a round trip
	// byte for byte.
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil && len(b) > 0
}

// ageBands holds the youngest and oldest age of each age band.
var ageBands = map[string][2]int{
	"0-8": {0, 8}, "9-17": {9, 17}, "18-20": {18, 20}, "21-23": {21, 23}, "24-26": {24, 26},
	"27-29": {27, 29}, "30-38": {30, 38}, "39-47": {39, 47}, "48+": {48, 1 << 10},
}

// ages checks that age_group, age_band, birth_year and identified_on
// tell one story. Ages are not quoted: with the birth year they would
// narrow down the person.
func (c *checker) ages(v Victim) {
	band, hasBand := ageBands[v.AgeBand]
	switch {
	case hasBand && v.AgeGroup == "unknown":
		c.add("age_group", RuleConsistency, v.AgeGroup, "contradicts age_band %s, which is known", v.AgeBand)
	case hasBand && v.AgeGroup == "child" && band[0] >= 18, hasBand && v.AgeGroup == "adult" && band[1] < 18:
		c.add("age_group", RuleConsistency, v.AgeGroup, "contradicts age_band %s", v.AgeBand)
	}
	if v.BirthYear == 0 || v.IdentifiedOn == "" {
		return
	}
	year, _ := strconv.Atoi(v.IdentifiedOn[:4])
	if v.BirthYear > year {
		c.add("birth_year", RuleConsistency, "", "is after identified_on")
		return
	}
	// Born in year B, the person was B-Y-1 or B-Y years old in year Y.
	young, old := max(year-v.BirthYear-1, 0), year-v.BirthYear
	switch {
	case v.AgeGroup == "child" && young >= 18, v.AgeGroup == "adult" && old < 18:
		c.add("age_group", RuleConsistency, v.AgeGroup, "contradicts birth_year and identified_on")
	}
	if hasBand && (old < band[0] || young > band[1]) {
		c.add("age_band", RuleConsistency, v.AgeBand, "contradicts birth_year and identified_on")
	}
}
