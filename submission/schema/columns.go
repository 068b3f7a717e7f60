package schema

// columnAliases are the column headers partners' spreadsheets use for
// each field, Czech and English, for mapping code to suggest which
// column is which field. Fields computed by the agent (linkage keys,
// Bloom filters) have none: no partner column should map to them.
var columnAliases = map[string]map[string][]string{
	"victims/1": {
		"status_source": {"status u zdroje", "původní status", "typ klienta", "source status"},
		"status":        {"status oběti", "stav", "victim status", "trafficking status"},
		"decided_by":    {"identifikoval", "kdo identifikoval", "identifikující subjekt", "identified by"},
		"sex":           {"pohlaví", "gender", "m ž", "muž žena"},
		"birth_year":    {"rok narození", "ročník", "r nar", "year of birth", "yob"},
		"age_group":     {"věková skupina", "dítě dospělý", "zletilost", "minor", "nezletilý"},
		"citizenship":   {"státní příslušnost", "občanství", "státní občanství", "nationality"},
		"exploitation": {"forma vykořisťování", "typ vykořisťování", "druh vykořisťování", "účel vykořisťování",
			"type of exploitation", "form of exploitation", "vykořisťování"},
		"identified_on": {"datum identifikace", "datum přijetí", "datum zařazení", "date of identification",
			"date identified", "identification date", "identifikováno", "zařazen do programu"},
		"age_band":            {"věkové pásmo", "věková kategorie", "age range"},
		"sexual_exploitation": {"typ sexuálního vykořisťování", "forma sexuálního vykořisťování", "sexual exploitation type"},
		"labour_sector":       {"odvětví", "sektor", "obor", "industry", "sector", "labor sector"},
		"means_of_control": {"způsob kontroly", "prostředky kontroly", "způsoby ovládání",
			"methods of control", "control methods"},
		"recruitment": {"způsob náboru", "nábor", "způsob zlákání", "recruitment method", "method of recruitment"},
		"relationship_to_trafficker": {"vztah k pachateli", "vztah k obchodníkovi",
			"relationship with trafficker"},
		"region": {"kraj", "nuts3", "kraj bydliště", "region of residence"},
		"assistance": {"poskytnutá pomoc", "pomoc", "služby", "poskytnuté služby", "services", "assistance received",
			"services provided"},
		"consent_share":    {"souhlas se sdílením", "souhlas s předáním údajů", "consent to share", "sharing consent"},
		"consent_research": {"souhlas s výzkumem", "souhlas s využitím pro výzkum", "consent to research", "research consent"},
	},
	"proceedings/1": {
		"year":                {"rok", "období"},
		"stage":               {"stadium", "stadium řízení", "fáze řízení", "proceeding stage"},
		"sex":                 {"pohlaví", "gender"},
		"citizenship_group":   {"státní příslušnost", "občanství", "skupina občanství", "nationality", "citizenship"},
		"exploitation":        {"forma vykořisťování", "typ vykořisťování", "type of exploitation", "form of exploitation"},
		"legal_qualification": {"právní kvalifikace", "paragraf", "trestný čin", "ustanovení", "offence", "section"},
		"count":               {"počet", "počet osob", "osoby", "number", "persons", "number of persons"},
		"case_level":          {"za případ", "jednotlivý případ", "per case"},
	},
	"controls/1": {
		"authority":       {"orgán", "útvar", "kontrolní orgán", "inspecting authority"},
		"year":            {"rok"},
		"period":          {"období", "čtvrtletí", "měsíc", "pololetí", "quarter", "month"},
		"region":          {"kraj", "nuts3"},
		"controls":        {"počet kontrol", "kontroly", "inspections", "number of controls"},
		"persons_checked": {"kontrolované osoby", "počet kontrolovaných osob", "prověřené osoby"},
		"suspected_cases": {"podezření na obchodování s lidmi", "podezřelé případy", "zjištěná podezření",
			"suspected thb cases"},
	},
	"aggregates/1": {
		"unit":  {"jednotka", "co se počítá", "counted"},
		"count": {"počet", "četnost", "number", "n"},
	},
}

// Columns returns a code list of the dataset's field names, with the
// column headers partners use for each as aliases, so that mapping code
// can suggest a field for a column: Columns().Match("Státní
// příslušnost") is citizenship. Aggregates' dimensions are matched
// against DimensionList instead.
func (d Dataset) Columns() *CodeList {
	aliases := columnAliases[d.Version]
	codes := make([]Code, len(d.spec))
	for i, f := range d.spec {
		codes[i] = Code{Code: f.Name, Label: f.Doc, Aliases: aliases[f.Name]}
	}
	return newList(d.Name+" columns", codes)
}
