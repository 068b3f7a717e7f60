package schema

import (
	"slices"
	"strings"
)

// The code lists of schema v1. Records carry the codes; the aliases are
// the words partners use for them, for the mapping to match. Sources:
// IOM's Human Trafficking Case Data Standard (HTCDS) v2.0, Eurostat's
// THB data collection, Directive (EU) 2024/1712, CTDC's public dataset,
// ISIC Rev. 4, NUTS 2021 and the Czech Criminal Code (40/2009 Sb.).
var (
	// StatusList is the mapped trafficking status (HTCDS). Eurostat's
	// "registered victims" are possible and actual together.
	StatusList = newList("status", []Code{
		{"possible", "Possible or presumed victim: indications, not (yet) formally identified", []string{
			"presumed", "presumed victim", "possible victim", "potential victim", "suspected victim",
			"předpokládaná oběť", "předpokládaný", "pravděpodobná oběť", "potenciální oběť", "možná oběť",
			"podezření na oběť", "klient", "klientka", "client"}},
		{"actual", "Actual victim: formally identified by a competent authority", []string{
			"identified", "identified victim", "actual victim", "confirmed victim", "victim",
			"identifikovaná oběť", "identifikovaný", "identifikována", "potvrzená oběť", "oběť",
			"oběť obchodování s lidmi"}},
		{"not_victim", "Assessed and found not to be a victim of trafficking", []string{
			"not a victim", "no victim", "non victim", "není oběť", "nejedná se o oběť", "nebyla identifikována"}},
	})

	// DeciderList says who decided the status (HTCDS).
	DeciderList = newList("decided_by", []Code{
		{"police", "Police", []string{"policie", "policie čr", "pčr", "law enforcement", "nckok", "kriminální policie"}},
		{"ngo", "Non-governmental organisation (also IOM)", []string{
			"nno", "nevládní organizace", "neziskovka", "non governmental organisation",
			"non governmental organization", "iom", "mom", "la strada", "charita"}},
		{"court", "Court", []string{"soud", "judge", "soudce"}},
		{"prosecution", "Public prosecution", []string{
			"státní zastupitelství", "státní zástupce", "prosecutor", "public prosecutor", "public prosecution", "sz"}},
		{"other_gov", "Another government body (e.g. the Ministry of the Interior's Programme)", []string{
			"other government body", "government", "jiný státní orgán", "státní orgán", "ministerstvo vnitra",
			"ministry of the interior", "mv", "mv čr", "programme", "program", "program podpory"}},
	})

	// SexList follows Eurostat: female, male, unknown.
	SexList = newList("sex", []Code{
		{"F", "Female", []string{"female", "woman", "women", "girl", "žena", "ženy", "ženské", "ženský", "ž", "dívka"}},
		{"M", "Male", []string{"male", "man", "men", "boy", "muž", "muži", "mužské", "mužský", "chlapec"}},
		{"U", "Unknown", []string{"unknown", "neznámé", "neznámý", "nezjištěno", "neuvedeno"}},
	})

	// AgeGroupList follows Eurostat: under 18 or not, at identification.
	AgeGroupList = newList("age_group", []Code{
		{"child", "Child: under 18 at identification", []string{
			"minor", "children", "under 18", "0-17", "dítě", "děti", "nezletilý", "nezletilá", "nezletilí", "mladistvý", "do 18 let"}},
		{"adult", "Adult: 18 or over at identification", []string{
			"adults", "18+", "over 18", "dospělý", "dospělá", "dospělí", "zletilý", "zletilá", "18 a více", "nad 18 let"}},
		{"unknown", "Age unknown", []string{"neznámý", "neznámý věk", "věk neznámý", "nezjištěno", "neuvedeno"}},
	})

	// AgeBandList is CTDC's public-dataset banding of the age at
	// identification.
	AgeBandList = newList("age_band", []Code{
		{"0-8", "0 to 8 years", []string{"0 až 8"}},
		{"9-17", "9 to 17 years", []string{"9 až 17"}},
		{"18-20", "18 to 20 years", []string{"18 až 20"}},
		{"21-23", "21 to 23 years", []string{"21 až 23"}},
		{"24-26", "24 to 26 years", []string{"24 až 26"}},
		{"27-29", "27 to 29 years", []string{"27 až 29"}},
		{"30-38", "30 to 38 years", []string{"30 až 38"}},
		{"39-47", "39 to 47 years", []string{"39 až 47"}},
		{"48+", "48 years or older", []string{"48 and over", "48 or older", "48 a více", "48 a starší", "nad 47"}},
	})

	// ExploitationList joins HTCDS, Eurostat and Directive (EU)
	// 2024/1712 forms with forced criminality, which HTCDS lacks.
	ExploitationList = newList("exploitation", []Code{
		{"sexual", "Sexual exploitation", []string{
			"sexual exploitation", "sex", "sexuální vykořisťování", "sexuální", "sexuální zneužívání",
			"prostituce", "nucená prostituce", "prostitution", "forced prostitution",
			"commercial sexual exploitation", "komerční sexuální zneužívání"}},
		{"labour", "Forced labour or services (Eurostat: labour or services)", []string{
			"forced labour", "forced labor", "labour exploitation", "labor exploitation", "labor",
			"forced labour or services", "pracovní vykořisťování", "nucená práce", "nucené práce",
			"nucená práce nebo služby", "pracovní", "práce"}},
		{"child_labour", "Child labour", []string{"child labor", "forced child labour", "dětská práce", "nucená dětská práce"}},
		{"forced_marriage", "Forced marriage", []string{"nucený sňatek", "nucené manželství", "vynucený sňatek"}},
		{"servitude", "Servitude, slavery or practices similar to slavery", []string{
			"slavery", "domestic servitude", "otroctví", "nevolnictví", "domácí nevolnictví"}},
		{"forced_military", "Forced military service by non-state actors", []string{
			"forced military service", "child soldiers", "nucená vojenská služba", "služba v ozbrojených silách"}},
		{"organ_removal", "Removal of organs", []string{
			"removal of organs", "organ trafficking", "odběr orgánů", "odebrání orgánů", "obchod s orgány",
			"odběr tkáně buňky nebo orgánu"}},
		{"begging", "Forced begging (a form of its own in HTCDS, labour in CTDC)", []string{
			"forced begging", "žebrání", "nucené žebrání", "žebrota"}},
		{"illegal_adoption", "Illegal or forced adoption", []string{
			"forced adoption", "nezákonná adopce", "nucená adopce", "nezákonné osvojení"}},
		{"surrogacy", "Exploitation of surrogacy (Directive 2024/1712)", []string{
			"exploitation of surrogacy", "forced surrogacy", "náhradní mateřství", "vykořisťování náhradního mateřství"}},
		{"criminal", "Forced criminality: exploitation of criminal activities (no HTCDS code)", []string{
			"forced criminality", "criminal activities", "exploitation of criminal activities", "criminal exploitation",
			"nucená trestná činnost", "trestná činnost", "nucení k trestné činnosti", "páchání trestné činnosti",
			"pěstování konopí", "cannabis cultivation"}},
		{"benefit_fraud", "Benefit fraud (Eurostat: other)", []string{
			"social benefit fraud", "zneužívání sociálních dávek", "sociální dávky", "dávkový podvod"}},
		{"other", "Another form", []string{"jiné", "jiná", "ostatní", "jiná forma", "other form"}},
	})

	// SexualExploitationList is HTCDS's subtypes of sexual exploitation.
	SexualExploitationList = newList("sexual_exploitation", []Code{
		{"prostitution", "Prostitution", []string{"prostituce", "forced prostitution", "nucená prostituce", "pouliční prostituce", "street prostitution"}},
		{"pornography", "Pornography", []string{"porn", "pornografie", "výroba pornografie", "pornografické dílo"}},
		{"remote_interactive", "Remote interactive services (webcam, online)", []string{
			"remote interactive services", "webcam", "webkamera", "online sexual services",
			"vzdálené interaktivní služby", "online sexuální služby"}},
		{"private_sexual", "Private sexual services", []string{"private sexual services", "soukromé sexuální služby"}},
	})

	// LabourSectorList is the ISIC Rev. 4 sections (CZ-NACE sections
	// carry the same letters), as HTCDS uses them for labour industry.
	LabourSectorList = newList("isic_section", []Code{
		{"A", "Agriculture, forestry and fishing", []string{"agriculture", "zemědělství", "zemědělství lesnictví a rybářství", "lesnictví", "farma", "farm"}},
		{"B", "Mining and quarrying", []string{"mining", "těžba a dobývání", "těžba", "doly"}},
		{"C", "Manufacturing", []string{"zpracovatelský průmysl", "výroba", "factory", "továrna", "průmysl"}},
		{"D", "Electricity, gas, steam and air conditioning supply", []string{"energetika", "výroba a rozvod elektřiny plynu tepla a klimatizovaného vzduchu"}},
		{"E", "Water supply; sewerage, waste management and remediation", []string{
			"waste management", "zásobování vodou", "odpady", "zásobování vodou činnosti související s odpadními vodami odpady a sanacemi"}},
		{"F", "Construction", []string{"stavebnictví", "stavba", "stavby", "building"}},
		{"G", "Wholesale and retail trade; repair of motor vehicles", []string{
			"retail", "trade", "obchod", "velkoobchod a maloobchod", "maloobchod", "prodej", "velkoobchod a maloobchod opravy a údržba motorových vozidel"}},
		{"H", "Transportation and storage", []string{"transport", "logistics", "doprava", "doprava a skladování", "sklad", "skladování", "logistika"}},
		{"I", "Accommodation and food service activities", []string{
			"hospitality", "restaurant", "hotel", "ubytování stravování a pohostinství", "pohostinství", "restaurace", "gastronomie"}},
		{"J", "Information and communication", []string{"informační a komunikační činnosti", "it"}},
		{"K", "Financial and insurance activities", []string{"peněžnictví a pojišťovnictví"}},
		{"L", "Real estate activities", []string{"činnosti v oblasti nemovitostí", "reality"}},
		{"M", "Professional, scientific and technical activities", []string{"profesní vědecké a technické činnosti"}},
		{"N", "Administrative and support service activities (incl. cleaning, employment agencies)", []string{
			"cleaning", "employment agency", "administrativní a podpůrné činnosti", "úklid", "úklidové služby", "agentura práce", "personální agentura"}},
		{"O", "Public administration and defence; compulsory social security", []string{"veřejná správa a obrana povinné sociální zabezpečení", "veřejná správa"}},
		{"P", "Education", []string{"vzdělávání", "školství"}},
		{"Q", "Human health and social work activities", []string{"health care", "zdravotní a sociální péče", "zdravotnictví", "sociální péče"}},
		{"R", "Arts, entertainment and recreation", []string{"entertainment", "kulturní zábavní a rekreační činnosti", "zábava", "noční klub", "night club"}},
		{"S", "Other service activities (incl. beauty and nail salons)", []string{
			"other services", "ostatní činnosti", "nail salon", "nehtové studio", "kadeřnictví", "kosmetika", "masáže"}},
		{"T", "Activities of households as employers", []string{
			"domestic work", "household", "domácí práce", "domácnost", "činnosti domácností jako zaměstnavatelů", "au pair"}},
		{"U", "Activities of extraterritorial organizations and bodies", []string{"činnosti exteritoriálních organizací a orgánů"}},
	})

	// MeansOfControlList is HTCDS's methods of control: 16 and
	// restricts movement and uses children.
	MeansOfControlList = newList("means_of_control", []Code{
		{"physical_threats", "Threats of physical harm", []string{"threats", "vyhrožování", "výhrůžky", "pohrůžka násilím", "vyhrožování násilím"}},
		{"threat_of_law_enforcement", "Threats of law enforcement or immigration authorities", []string{
			"threats of law enforcement", "threat of deportation", "vyhrožování policií", "vyhrožování deportací", "vyhrožování úřady"}},
		{"threats_to_family", "Threats to family", []string{"vyhrožování rodině", "výhrůžky rodině"}},
		{"debt_bondage", "Debt bondage", []string{"debt", "dluhové otroctví", "dluh", "dluhy", "dluhová závislost"}},
		{"false_promises", "False promises, deception", []string{"deception", "klamání", "lest", "falešné sliby", "podvod", "nepravdivé sliby"}},
		{"physical_abuse", "Physical abuse", []string{"violence", "fyzické násilí", "fyzické týrání", "násilí", "bití"}},
		{"sexual_abuse", "Sexual abuse", []string{"sexual violence", "sexuální násilí", "sexuální zneužívání", "znásilnění"}},
		{"takes_earnings", "Takes earnings", []string{"takes wages", "odebírání výdělku", "zadržování mzdy", "nevyplácení mzdy", "odebírání mzdy"}},
		{"restricts_financial_access", "Restricts financial access", []string{"omezení přístupu k penězům", "kontrola financí"}},
		{"restricts_medical_care", "Restricts medical care", []string{"omezení lékařské péče", "odepření lékařské péče"}},
		{"withholds_necessities", "Withholds necessities (food, water, shelter, hygiene)", []string{
			"withholds food", "odpírání jídla", "odpírání základních potřeb", "omezování jídla"}},
		{"psychological_abuse", "Psychological abuse", []string{"psychological pressure", "psychické násilí", "psychický nátlak", "psychické týrání", "ponižování"}},
		{"psychoactive_substances", "Psychoactive substances", []string{"drugs", "alcohol", "drogy", "alkohol", "návykové látky"}},
		{"excessive_working_hours", "Excessive working hours", []string{"long hours", "nadměrná pracovní doba", "přesčasy", "dlouhá pracovní doba"}},
		{"withholds_documents", "Withholds documents", []string{
			"withholds passport", "confiscated documents", "zadržování dokladů", "odebrání dokladů", "odebrání pasu", "zabavení pasu"}},
		{"restricts_movement", "Restricts movement, isolates", []string{"isolation", "confinement", "omezování pohybu", "omezování osobní svobody", "izolace", "zamykání"}},
		{"uses_children", "Uses the person's children", []string{"zneužívání dětí oběti", "vyhrožování dětem"}},
		{"other", "Another means of control", []string{"jiné", "jiný", "ostatní"}},
	})

	// RecruitmentList is how the person was recruited.
	RecruitmentList = newList("recruitment", []Code{
		{"place_of_business", "At a place of business (bar, shop, agency office)", []string{"podnik", "provozovna", "kancelář agentury"}},
		{"school", "At school", []string{"educational facility", "škola", "ve škole"}},
		{"work", "At work, through a job offer", []string{"job offer", "workplace", "práce", "pracovní nabídka", "nabídka práce", "v práci", "zaměstnání"}},
		{"online_social_network", "Online social network or messaging app", []string{
			"social network", "social media", "facebook", "instagram", "whatsapp", "telegram", "tiktok", "viber",
			"sociální síť", "sociální sítě"}},
		{"online_advert", "Online advertisement", []string{"online advertisement", "internet", "inzerát na internetu", "internetový inzerát", "online inzerát"}},
		{"tv", "Television", []string{"television", "televize"}},
		{"newspaper", "Newspaper advertisement", []string{"newspapers", "noviny", "inzerát v novinách", "tisk"}},
		{"family", "Through family", []string{"familial", "rodina", "přes rodinu", "příbuzní"}},
		{"friends", "Through friends or acquaintances", []string{"friend", "acquaintance", "přátelé", "kamarád", "kamarádka", "známý", "známá", "známí", "přes známé"}},
		{"other", "Another way", []string{"jiné", "jinak", "ostatní"}},
	})

	// RelationshipList is the person's relationship to the trafficker.
	RelationshipList = newList("relationship_to_trafficker", []Code{
		{"family", "Family member or intimate partner", []string{"family member", "relative", "partner", "rodina", "rodinný příslušník", "příbuzný", "manžel", "druh"}},
		{"acquainted", "Acquainted: friend, neighbour, employer known before", []string{"acquaintance", "friend", "známý", "známá", "kamarád", "přítel", "soused"}},
		{"none", "Not known to the person before", []string{"not", "stranger", "no relationship", "cizí osoba", "neznámá osoba", "žádný", "žádný vztah"}},
	})

	// EventStageList is HTCDS's kinds of trafficking event.
	EventStageList = newList("event_stage", []Code{
		{"recruitment", "Recruitment", []string{"nábor", "zverbování", "získání"}},
		{"transit", "Transit", []string{"tranzit", "přeprava", "transport"}},
		{"exploitation", "Exploitation", []string{"vykořisťování", "zneužívání"}},
	})

	// RegionList is the NUTS 3 regions of Czechia (the 14 kraje); aliases
	// include the ISO 3166-2:CZ codes and the regional capitals.
	RegionList = newList("region", []Code{
		{"CZ010", "Hlavní město Praha (Prague)", []string{"praha", "prague", "hlavní město praha", "hl m praha", "cz-10"}},
		{"CZ020", "Středočeský kraj (Central Bohemian Region)", []string{"středočeský kraj", "středočeský", "central bohemian region", "cz-20"}},
		{"CZ031", "Jihočeský kraj (South Bohemian Region)", []string{"jihočeský kraj", "jihočeský", "south bohemian region", "české budějovice", "cz-31"}},
		{"CZ032", "Plzeňský kraj (Plzeň Region)", []string{"plzeňský kraj", "plzeňský", "plzen region", "plzeň", "pilsen", "cz-32"}},
		{"CZ041", "Karlovarský kraj (Karlovy Vary Region)", []string{"karlovarský kraj", "karlovarský", "karlovy vary region", "karlovy vary", "cz-41"}},
		{"CZ042", "Ústecký kraj (Ústí nad Labem Region)", []string{"ústecký kraj", "ústecký", "usti nad labem region", "ústí nad labem", "cz-42"}},
		{"CZ051", "Liberecký kraj (Liberec Region)", []string{"liberecký kraj", "liberecký", "liberec region", "liberec", "cz-51"}},
		{"CZ052", "Královéhradecký kraj (Hradec Králové Region)", []string{"královéhradecký kraj", "královéhradecký", "hradec kralove region", "hradec králové", "cz-52"}},
		{"CZ053", "Pardubický kraj (Pardubice Region)", []string{"pardubický kraj", "pardubický", "pardubice region", "pardubice", "cz-53"}},
		{"CZ063", "Kraj Vysočina (Vysočina Region)", []string{"kraj vysočina", "vysočina", "vysocina region", "jihlava", "cz-63"}},
		{"CZ064", "Jihomoravský kraj (South Moravian Region)", []string{"jihomoravský kraj", "jihomoravský", "south moravian region", "brno", "cz-64"}},
		{"CZ071", "Olomoucký kraj (Olomouc Region)", []string{"olomoucký kraj", "olomoucký", "olomouc region", "olomouc", "cz-71"}},
		{"CZ072", "Zlínský kraj (Zlín Region)", []string{"zlínský kraj", "zlínský", "zlin region", "zlín", "cz-72"}},
		{"CZ080", "Moravskoslezský kraj (Moravian-Silesian Region)", []string{"moravskoslezský kraj", "moravskoslezský", "moravian silesian region", "ostrava", "cz-80"}},
	})

	// AssistanceList is the help a person received.
	AssistanceList = newList("assistance", []Code{
		{"accommodation", "Accommodation, shelter", []string{"shelter", "housing", "ubytování", "azylový dům", "bydlení", "utajené ubytování"}},
		{"medical", "Medical care", []string{"medical care", "health care", "zdravotní péče", "lékařská péče", "zdravotní"}},
		{"psychological", "Psychological or psychosocial support", []string{
			"psychological support", "counselling", "psychosocial support", "psychologická pomoc", "psychologická podpora",
			"psychosociální podpora", "psychoterapie", "krizová intervence"}},
		{"legal", "Legal aid", []string{"legal aid", "legal counselling", "právní pomoc", "právní poradenství", "právní zastoupení"}},
		{"financial", "Financial support", []string{"financial support", "finanční pomoc", "finanční podpora", "peníze"}},
		{"interpretation", "Interpretation and translation", []string{"interpreting", "translation", "tlumočení", "tlumočník", "překlad"}},
		{"return", "Voluntary return, repatriation", []string{
			"voluntary return", "repatriation", "assisted return", "návrat", "dobrovolný návrat", "asistovaný návrat", "repatriace"}},
		{"other", "Other assistance", []string{"jiné", "jiná", "ostatní", "sociální poradenství", "social counselling"}},
	})
)

// Exploitation codes and the other string lists below predate the code
// lists; they are copies, kept for callers that range over codes.
var (
	Statuses     = StatusList.Values()
	Deciders     = DeciderList.Values()
	Sexes        = SexList.Values()
	AgeGroups    = AgeGroupList.Values()
	Exploitation = ExploitationList.Values()
)

// CodeLists returns every code list of schema v1, sorted by name.
func CodeLists() []*CodeList {
	all := []*CodeList{
		StatusList, DeciderList, SexList, AgeGroupList, AgeBandList, CountryList, ExploitationList,
		SexualExploitationList, LabourSectorList, MeansOfControlList, RecruitmentList, RelationshipList,
		EventStageList, RegionList, AssistanceList, ProceedingStageList, CitizenshipGroupList,
		LegalQualificationList, AuthorityList, UnitList, DimensionList,
	}
	slices.SortFunc(all, func(a, b *CodeList) int { return strings.Compare(a.Name, b.Name) })
	return all
}
