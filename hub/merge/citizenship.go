package merge

// ReportingCountry is the country whose Rapporteur the hub serves: its
// citizens are the CZ group of the citizenship_group code list.
const ReportingCountry = "CZ"

// euMembers are the member states of the European Union (27 since
// 1 February 2020), by ISO 3166-1 alpha-2 code: GR for Greece, which
// Eurostat writes EL.
var euMembers = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true, "EE": true, "ES": true,
	"FI": true, "FR": true, "GR": true, "HR": true, "HU": true, "IE": true, "IT": true, "LT": true, "LU": true,
	"LV": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true,
}

// CitizenshipGroup returns the Eurostat group of a citizenship, as the
// schema's citizenship_group codes: CZ (the reporting country), EU (another
// member state), non_EU, or unknown (XX, stateless, missing). Every
// record counts in the composition of the Union at the time of the merge,
// not of its period: the United Kingdom is non_EU throughout.
func CitizenshipGroup(country string) string {
	switch {
	case country == ReportingCountry:
		return "CZ"
	case country == "" || country == "XX":
		return "unknown"
	case euMembers[country]:
		return "EU"
	}
	return "non_EU"
}
