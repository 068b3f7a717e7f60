package schema

const proceedingsDoc = `Criminal-justice figures: how many persons were suspected, prosecuted or
convicted in a year, broken down by whatever the source has. A record is a
count for one combination of its optional fields; an absent optional field
means all values of it (a total), not unknown. With case_level true the
record is one case and count the persons at that stage in it.`

var (
	// ProceedingStageList is the stage of criminal proceedings, as
	// Eurostat counts persons.
	ProceedingStageList = newList("proceeding_stage", []Code{
		{"suspected", "Suspected: persons the police investigate or have found suspect", []string{
			"suspect", "suspects", "podezřelý", "podezřelí", "podezřelé osoby", "prověřování", "prověřované osoby", "stíhání nezahájeno"}},
		{"prosecuted", "Prosecuted: persons charged or indicted", []string{
			"charged", "indicted", "prosecution", "stíhaný", "stíhaní", "stíhané osoby", "obviněný", "obvinění", "obviněné osoby",
			"obžalovaný", "obžalovaní", "obžalované osoby", "obžaloba", "trestní stíhání"}},
		{"convicted", "Convicted: persons finally convicted", []string{
			"sentenced", "conviction", "odsouzený", "odsouzení", "odsouzené osoby", "pravomocně odsouzený", "pravomocně odsouzené osoby"}},
	})

	// CitizenshipGroupList is Eurostat's coarse citizenship: the
	// reporting country, another EU state, outside the EU.
	CitizenshipGroupList = newList("citizenship_group", []Code{
		{"CZ", "Czech citizens (the reporting country)", []string{
			"czech", "czechia", "czech republic", "česká republika", "česko", "čeští občané", "občan čr", "reporting country"}},
		{"EU", "Citizens of another EU member state", []string{
			"other eu", "eu citizens", "jiný stát eu", "občané eu", "eu občan", "ostatní eu", "eu 27", "european union"}},
		{"non_EU", "Citizens of a country outside the EU", []string{
			"third country", "third country nationals", "třetí země", "občané třetích zemí", "mimo eu", "ne eu"}},
		{"unknown", "Citizenship unknown", []string{"neznámé", "neznámá", "nezjištěno", "neuvedeno"}},
	})

	// LegalQualificationList is the sections of the Czech Criminal Code
	// (40/2009 Sb.) under which THB cases are prosecuted, the main
	// offence first.
	LegalQualificationList = newList("legal_qualification", []Code{
		{"s168", "§ 168 Obchodování s lidmi (trafficking in human beings)", []string{
			"§168", "obchodování s lidmi", "trafficking in human beings", "human trafficking", "thb"}},
		{"s169", "§ 169 Svěření dítěte do moci jiného (entrusting a child to another's power)", []string{
			"§169", "svěření dítěte do moci jiného"}},
		{"s170", "§ 170 Zbavení osobní svobody (deprivation of personal liberty)", []string{
			"§170", "zbavení osobní svobody"}},
		{"s171", "§ 171 Omezování osobní svobody (restriction of personal liberty)", []string{
			"§171", "omezování osobní svobody"}},
		{"s172", "§ 172 Zavlečení (abduction abroad)", []string{"§172", "zavlečení", "zavlečení do ciziny"}},
		{"s175", "§ 175 Vydírání (extortion)", []string{"§175", "vydírání", "extortion", "blackmail"}},
		{"s189", "§ 189 Kuplířství (procuring)", []string{"§189", "kuplířství", "procuring", "pimping"}},
		{"s190", "§ 190 Prostituce ohrožující mravní vývoj dětí (prostitution endangering children)", []string{
			"§190", "prostituce ohrožující mravní vývoj dětí"}},
		{"s192", "§ 192 Výroba a jiné nakládání s dětskou pornografií (child pornography)", []string{
			"§192", "výroba a jiné nakládání s dětskou pornografií", "dětská pornografie", "child pornography"}},
		{"s193", "§ 193 Zneužití dítěte k výrobě pornografie (abuse of a child to produce pornography)", []string{
			"§193", "zneužití dítěte k výrobě pornografie"}},
		{"s340", "§ 340 Organizování a umožnění nedovoleného překročení státní hranice (smuggling of migrants)", []string{
			"§340", "organizování a umožnění nedovoleného překročení státní hranice", "nedovolené překročení státní hranice",
			"převaděčství", "smuggling of migrants", "migrant smuggling"}},
		{"s341", "§ 341 Napomáhání k neoprávněnému pobytu na území republiky (facilitating unauthorised residence)", []string{
			"§341", "napomáhání k neoprávněnému pobytu na území republiky", "napomáhání k neoprávněnému pobytu"}},
		{"s342", "§ 342 Neoprávněné zaměstnávání cizinců (illegal employment of foreigners)", []string{
			"§342", "neoprávněné zaměstnávání cizinců", "nelegální zaměstnávání", "illegal employment of foreigners"}},
		{"other", "Another section", []string{"jiný", "jiné", "ostatní", "jiný trestný čin", "other offence"}},
	})
)

// Proceeding is one criminal-justice count.
type Proceeding struct {
	Year               int    `json:"year"`
	Stage              string `json:"stage"`
	Sex                string `json:"sex,omitempty"`
	CitizenshipGroup   string `json:"citizenship_group,omitempty"`
	Exploitation       string `json:"exploitation,omitempty"`
	LegalQualification string `json:"legal_qualification,omitempty"`
	Count              int    `json:"count"`
	CaseLevel          bool   `json:"case_level,omitempty"`
}

var proceedingSpec = []Field{
	{"year", KindInt, true, nil, "The year the persons reached the stage, 1900-2100."},
	{"stage", KindCode, true, ProceedingStageList, "Stage of the proceedings the persons reached."},
	{"sex", KindCode, false, SexList, "Sex of the persons; absent for all."},
	{"citizenship_group", KindCode, false, CitizenshipGroupList, "Citizenship group of the persons; absent for all."},
	{"exploitation", KindCode, false, ExploitationList, "Main form of exploitation of the case; absent for all."},
	{"legal_qualification", KindCode, false, LegalQualificationList, "Main offence (Czech Criminal Code section); absent for all."},
	{"count", KindInt, true, nil, "Number of persons, 0 or more; zero is a real value and must be given."},
	{"case_level", KindBool, false, nil, "True if the record is one case rather than a yearly total."},
}

// Validate checks a proceedings record. The error joins one *FieldError
// per problem.
func (p Proceeding) Validate() error {
	var c checker
	c.year("year", p.Year)
	c.code("stage", ProceedingStageList, p.Stage, true)
	c.code("sex", SexList, p.Sex, false)
	c.code("citizenship_group", CitizenshipGroupList, p.CitizenshipGroup, false)
	c.code("exploitation", ExploitationList, p.Exploitation, false)
	c.code("legal_qualification", LegalQualificationList, p.LegalQualification, false)
	c.count("count", p.Count)
	return c.err()
}
