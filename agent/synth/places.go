package synth

// country is a citizenship or a country of exploitation with the ways
// partner files write it.
type country struct {
	iso2, iso3 string
	cz, czAdj  string // Ukrajina, ukrajinská (státní příslušnost is feminine)
	en, enAdj  string // Ukraine, Ukrainian
	eu         bool
}

var countries = map[string]country{
	"CZ": {"CZ", "CZE", "Česká republika", "česká", "Czech Republic", "Czech", true},
	"SK": {"SK", "SVK", "Slovensko", "slovenská", "Slovakia", "Slovak", true},
	"UA": {"UA", "UKR", "Ukrajina", "ukrajinská", "Ukraine", "Ukrainian", false},
	"VN": {"VN", "VNM", "Vietnam", "vietnamská", "Viet Nam", "Vietnamese", false},
	"RO": {"RO", "ROU", "Rumunsko", "rumunská", "Romania", "Romanian", true},
	"BG": {"BG", "BGR", "Bulharsko", "bulharská", "Bulgaria", "Bulgarian", true},
	"NG": {"NG", "NGA", "Nigérie", "nigerijská", "Nigeria", "Nigerian", false},
	"PH": {"PH", "PHL", "Filipíny", "filipínská", "Philippines", "Filipino", false},
	"MN": {"MN", "MNG", "Mongolsko", "mongolská", "Mongolia", "Mongolian", false},
	"DE": {"DE", "DEU", "Německo", "německá", "Germany", "German", true},
	"GB": {"GB", "GBR", "Velká Británie", "britská", "United Kingdom", "British", false},
	"AT": {"AT", "AUT", "Rakousko", "rakouská", "Austria", "Austrian", true},
	"NL": {"NL", "NLD", "Nizozemsko", "nizozemská", "Netherlands", "Dutch", true},
	"BE": {"BE", "BEL", "Belgie", "belgická", "Belgium", "Belgian", true},
	"CH": {"CH", "CHE", "Švýcarsko", "švýcarská", "Switzerland", "Swiss", false},
	"IE": {"IE", "IRL", "Irsko", "irská", "Ireland", "Irish", true},
	"NO": {"NO", "NOR", "Norsko", "norská", "Norway", "Norwegian", false},
	"FR": {"FR", "FRA", "Francie", "francouzská", "France", "French", true},
}

// citizenshipGroup is the coarse group counts are published by.
func citizenshipGroup(iso2 string) string {
	switch {
	case iso2 == "CZ":
		return "CZ"
	case countries[iso2].eu:
		return "EU"
	default:
		return "non-EU"
	}
}

// abroad is a country where Czech citizens were exploited, with the Czech
// embassy there and towns named in consular reports.
type abroad struct {
	iso2    string
	weight  float64
	embassy string
	towns   []string
}

var abroadCountries = []abroad{
	{"DE", 30, "Velvyslanectví ČR v Berlíně", []string{"Mnichov", "Berlín", "Norimberk", "Drážďany", "Řezno"}},
	{"GB", 25, "Velvyslanectví ČR v Londýně", []string{"Londýn", "Birmingham", "Leicester", "Peterborough", "Sheffield"}},
	{"AT", 10, "Velvyslanectví ČR ve Vídni", []string{"Vídeň", "Linec", "Salcburk"}},
	{"NL", 10, "Velvyslanectví ČR v Haagu", []string{"Amsterdam", "Rotterdam", "Venlo"}},
	{"BE", 5, "Velvyslanectví ČR v Bruselu", []string{"Brusel", "Antverpy"}},
	{"CH", 5, "Velvyslanectví ČR v Bernu", []string{"Curych", "Ženeva"}},
	{"IE", 5, "Velvyslanectví ČR v Dublinu", []string{"Dublin", "Cork"}},
	{"NO", 5, "Velvyslanectví ČR v Oslu", []string{"Oslo", "Bergen"}},
	{"FR", 5, "Velvyslanectví ČR v Paříži", []string{"Paříž", "Lyon"}},
}

func abroadFor(iso2 string) abroad {
	for _, a := range abroadCountries {
		if a.iso2 == iso2 {
			return a
		}
	}
	return abroad{}
}

// region is a Czech kraj (NUTS 3).
type region struct {
	nuts3  string
	name   string
	police string // the regional police directorate
	oip    int    // index into labourInspectorates
}

var regions = []region{
	{"CZ010", "Hlavní město Praha", "KŘP hl. m. Prahy", 0},
	{"CZ020", "Středočeský kraj", "KŘP Středočeského kraje", 1},
	{"CZ031", "Jihočeský kraj", "KŘP Jihočeského kraje", 2},
	{"CZ032", "Plzeňský kraj", "KŘP Plzeňského kraje", 3},
	{"CZ041", "Karlovarský kraj", "KŘP Karlovarského kraje", 3},
	{"CZ042", "Ústecký kraj", "KŘP Ústeckého kraje", 4},
	{"CZ051", "Liberecký kraj", "KŘP Libereckého kraje", 4},
	{"CZ052", "Královéhradecký kraj", "KŘP Královéhradeckého kraje", 5},
	{"CZ053", "Pardubický kraj", "KŘP Pardubického kraje", 5},
	{"CZ063", "Kraj Vysočina", "KŘP kraje Vysočina", 2},
	{"CZ064", "Jihomoravský kraj", "KŘP Jihomoravského kraje", 6},
	{"CZ071", "Olomoucký kraj", "KŘP Olomouckého kraje", 7},
	{"CZ072", "Zlínský kraj", "KŘP Zlínského kraje", 6},
	{"CZ080", "Moravskoslezský kraj", "KŘP Moravskoslezského kraje", 7},
}

func regionOf(nuts3 string) region {
	for _, r := range regions {
		if r.nuts3 == nuts3 {
			return r
		}
	}
	return region{}
}

var labourInspectorates = []string{
	"OIP pro hlavní město Prahu",
	"OIP pro Středočeský kraj",
	"OIP pro Jihočeský kraj a Vysočinu",
	"OIP pro Plzeňský a Karlovarský kraj",
	"OIP pro Ústecký a Liberecký kraj",
	"OIP pro Královéhradecký a Pardubický kraj",
	"OIP pro Jihomoravský a Zlínský kraj",
	"OIP pro Moravskoslezský a Olomoucký kraj",
}

// town is a Czech town where persons live or were found.
type town struct {
	name   string
	nuts3  string
	postal string
	weight float64
}

var towns = []town{
	{"Praha", "CZ010", "110 00", 30}, {"Brno", "CZ064", "602 00", 10}, {"Ostrava", "CZ080", "702 00", 7},
	{"Plzeň", "CZ032", "301 00", 5}, {"Liberec", "CZ051", "460 01", 3}, {"Olomouc", "CZ071", "779 00", 3},
	{"Ústí nad Labem", "CZ042", "400 01", 4}, {"České Budějovice", "CZ031", "370 01", 3},
	{"Hradec Králové", "CZ052", "500 02", 3}, {"Pardubice", "CZ053", "530 02", 3}, {"Zlín", "CZ072", "760 01", 2},
	{"Jihlava", "CZ063", "586 01", 2}, {"Karlovy Vary", "CZ041", "360 01", 2}, {"Most", "CZ042", "434 01", 3},
	{"Teplice", "CZ042", "415 01", 2}, {"Kladno", "CZ020", "272 01", 2}, {"Mladá Boleslav", "CZ020", "293 01", 3},
	{"Cheb", "CZ041", "350 02", 3}, {"Chomutov", "CZ042", "430 01", 2}, {"Děčín", "CZ042", "405 02", 1},
	{"Opava", "CZ080", "746 01", 1}, {"Frýdek-Místek", "CZ080", "738 01", 1}, {"Havířov", "CZ080", "736 01", 1},
	{"Karviná", "CZ080", "733 01", 2}, {"Pelhřimov", "CZ063", "393 01", 1}, {"Kolín", "CZ020", "280 02", 1},
	{"Mělník", "CZ020", "276 01", 1}, {"Znojmo", "CZ064", "669 02", 1}, {"Břeclav", "CZ064", "690 02", 1},
	{"Tachov", "CZ032", "347 01", 1}, {"Domažlice", "CZ032", "344 01", 1}, {"Český Krumlov", "CZ031", "381 01", 1},
}

var streets = []string{
	"Hlavní", "Nádražní", "Školní", "Husova", "Palackého", "Komenského", "Masarykova", "Jiráskova",
	"Žižkova", "Sokolovská", "Vinohradská", "Revoluční", "Tyršova", "Smetanova", "Nerudova", "Lidická",
	"Svatopluka Čecha", "Družstevní", "Zahradní", "U Nádraží",
}
