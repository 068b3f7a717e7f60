package synth

// Bits of the person-level partners in a year's source mask.
const (
	bitPolice uint16 = 1 << iota
	bitVAP
	bitLaStrada
	bitCaritas
	bitIOM
	bitEmbassy
)

// partnerSpec is one partner: its file layout and how it fills a row.
type partnerSpec struct {
	kind     PartnerKind
	category Category
	dataset  Dataset
	bit      uint16 // person-level partners only
	// dayLo, dayHi bound the partner's registration day around the day
	// common to all partners reporting a person that year.
	dayLo, dayHi int
	name         string // file name; %d is the year
	file         fileSpec
	header       []string
	row          func(rc *rowCtx) []any     // person-level partners
	counts       func(cc *countCtx) [][]any // count files
}

func (s *partnerSpec) personLevel() bool { return s.row != nil }

// partnerSpecs are all partners, in the order files are written.
var partnerSpecs = []*partnerSpec{
	policeSpec, prosecutionSpec, courtSpec, alienPoliceSpec, labourInspectorateSpec,
	vapSpec, laStradaSpec, caritasSpec, iomSpec, intelligenceSpec, embassySpec,
}

func specFor(k PartnerKind) *partnerSpec {
	for _, s := range partnerSpecs {
		if s.kind == k {
			return s
		}
	}
	return nil
}

// Dates as partners write them (Go layouts).
const (
	czDate       = "2.1.2006"   // 3.7.1995
	czDatePadded = "02.01.2006" // 03.07.1995
	czDateSpaced = "2. 1. 2006" // 3. 7. 1995, the Czech standard
	slashDate    = "02/01/2006" // 03/07/1995
	isoDate      = "2006-01-02"
)

// Status terms. A Programme victim is "identified", an NGO client usually
// "presumed"; the police use a broader notion of victim (DOMAIN.md).
var (
	policeStatus = map[string][]string{
		"actual":     {"identifikovaná oběť"},
		"possible":   {"potenciální oběť", "podezření na oběť obchodování s lidmi", "poškozená osoba"},
		"not_victim": {"nepotvrzeno"},
	}
	laStradaStatus = map[string][]string{
		"actual":     {"identified victim", "presumed victim"},
		"possible":   {"presumed victim"},
		"not_victim": {"not a victim"},
	}
	caritasStatus = map[string][]string{
		"actual":     {"identifikovaná oběť"},
		"possible":   {"potenciální oběť", "presumed victim"},
		"not_victim": {"nejedná se o oběť"},
	}
	iomStatus = map[string]string{
		"actual":     "ActualVictimOfTrafficking",
		"possible":   "PossibleVictimOfTrafficking",
		"not_victim": "NotAVictimOfTrafficking",
	}
)

// Forms of exploitation in each partner's words, by victims/1 code.
var (
	policeForms = map[string]string{
		"sexual": "sexuální vykořisťování", "labour": "pracovní vykořisťování", "begging": "nucené žebrání",
		"criminal": "nucená trestná činnost", "forced_marriage": "nucený sňatek",
		"servitude": "otroctví, nevolnictví", "benefit_fraud": "zneužívání sociálních dávek",
	}
	vapForms = map[string]string{
		"sexual": "sexuální", "labour": "pracovní", "begging": "žebrání", "criminal": "nucená kriminalita",
		"forced_marriage": "nucený sňatek", "servitude": "nevolnictví", "benefit_fraud": "dávková kriminalita",
	}
	englishForms = map[string]string{
		"sexual": "sexual exploitation", "labour": "labour exploitation", "begging": "forced begging",
		"criminal": "forced criminality", "forced_marriage": "forced marriage",
		"servitude": "domestic servitude", "benefit_fraud": "benefit fraud",
	}
	caritasForms = map[string]string{
		"sexual": "sexuální vykořisťování", "labour": "pracovní vykořisťování", "begging": "žebrání",
		"criminal": "nucená kriminalita", "forced_marriage": "nucený sňatek", "servitude": "domácí otroctví",
		"benefit_fraud": "zneužití dávek",
	}
	// HTCDS has no code for forced criminality (DOMAIN.md): IOM files it
	// under Other, with details.
	iomForms = map[string]string{
		"sexual": "SexualExploitation", "labour": "ForcedLabour", "begging": "ForcedBegging",
		"criminal": "Other", "forced_marriage": "ForcedMarriage", "servitude": "Servitude",
		"benefit_fraud": "Other",
	}
)

// either returns yes if b, else no (a woman's or a man's word).
func either(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
