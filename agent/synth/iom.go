package synth

import (
	"fmt"
	"slices"
)

// IOM exports its cases as a JSON array with HTCDS-like field names and
// picklist values (PossibleVictimOfTrafficking, ForcedLabour, DebtBondage),
// passport spellings, the name in the person's own script where it has
// one, and ISO dates.
var iomSpec = &partnerSpec{
	kind: IOM, category: CategoryIOM, dataset: Victims, bit: bitIOM,
	dayLo: -20, dayHi: 60,
	name: "IOM_Prague_HTCDS_export_%d.json",
	file: fileSpec{format: JSON, encoding: UTF8},
	header: []string{"CaseNumber", "RegistrationDate", "FirstName", "SecondName", "NameInOriginalScript",
		"Birthdate", "AgeWhenTrafficked", "Gender", "Citizenship", "TraffickingStatus", "IdentifiedBy",
		"TypeOfExploitation", "OtherExploitationDetails", "MethodsOfControl", "MethodOfRecruitment",
		"CountryOfExploitation", "AssistanceProvided", "CaseStatus"},
	row: iomRow,
}

var iomAssistance = []string{"Shelter", "Medical", "Legal", "Counselling", "ReturnAssistance", "Reintegration"}

func iomRow(rc *rowCtx) []any {
	r, p := rc.r, rc.p
	sur, given := rc.names(nameStyle{alt: 0.1, noDiacr: 0.1, typo: 0.02, swap: 0.02, split: 0.03, spaces: 0.01})
	var native any
	if ns, ng := p.nativeNames(); ns != "" && chance(r, 0.7) {
		native = ng + " " + ns
	}
	var birth, age any
	if chance(r, 0.12) {
		rc.noise |= noiseMissing
		age = p.ageOn(rc.date)
	} else {
		birth = rc.birthDay(0.02).Format(isoDate)
		if chance(r, 0.5) {
			age = p.ageOn(rc.date)
		}
	}
	gender := either(p.female, "Female", "Male")
	if chance(r, 0.02) {
		gender = "Unknown"
		rc.noise |= noiseMissing
	}
	identified := "NGO"
	switch {
	case rc.mask&bitPolice != 0:
		identified = "LawEnforcement"
	case chance(r, 0.4):
		identified = "IOM"
	}
	var types []string
	var details any
	for _, f := range p.forms {
		if t := iomForms[f]; !slices.Contains(types, t) {
			types = append(types, t)
		}
		switch f {
		case "criminal":
			details = oneOf(r, []string{"forced criminality (cannabis cultivation)", "forced criminality (shoplifting)", "forced criminality"})
		case "benefit_fraud":
			details = "benefit fraud"
		}
	}
	var help []string
	for _, i := range r.Perm(len(iomAssistance))[:1+r.IntN(3)] {
		help = append(help, iomAssistance[i])
	}
	slices.Sort(help)
	exploitedIn := "CZ"
	if p.abroad != "" {
		exploitedIn = p.abroad
	}
	return []any{fmt.Sprintf("CZ-%d-%04d", rc.year, rc.seq), rc.date, given, sur, native, birth, age, gender,
		rc.nationality(p.citizenship(), []weighted[natForm]{{85, natISO2}, {10, natISO3}, {5, natEN}}),
		iomStatus[p.status], identified, types, details, p.controls, []string{p.recruit}, exploitedIn, help,
		oneOf(r, []string{"Active", "FollowUp", "Closed", "ClosedReferred"})}
}

// Embassies report the few Czech citizens exploited abroad who turned to
// them, as JSON Lines from the consular case system: Czech keys without
// diacritics, keys left out when unknown, a free-text description.
var embassySpec = &partnerSpec{
	kind: Embassy, category: CategoryEmbassy, dataset: Victims, bit: bitEmbassy,
	dayLo: -15, dayHi: 0,
	name: "MZV_konzularni_pripady_OL_%d.jsonl",
	file: fileSpec{format: JSONLines, encoding: UTF8},
	header: []string{"zastupitelsky_urad", "datum_oznameni", "prijmeni", "jmeno", "datum_narozeni",
		"statni_obcanstvi", "zeme_vykoristovani", "misto", "posledni_bydliste_v_CR", "popis", "predano"},
	row: embassyRow,
}

func embassyRow(rc *rowCtx) []any {
	r, p := rc.r, rc.p
	a := abroadFor(p.abroad)
	if a.iso2 == "" {
		a = abroadCountries[0]
	}
	sur, given := rc.names(nameStyle{czech: true, noDiacr: 0.15, ovaDrop: 0.05, typo: 0.03, upper: 0.2, spaces: 0.02})
	var dob any = absent
	if v := rc.dob(dateStyle{layouts: []weighted[string]{{70, czDate}, {30, czDatePadded}}, swap: 0.03, missing: 0.2}); v != "" {
		dob = v
	}
	cit := "ČR"
	if chance(r, 0.6) {
		cit = rc.nationality(p.citizenship(), []weighted[natForm]{{40, natCZ}, {30, natISO3}, {30, natCZAdj}})
	}
	town := oneOf(r, a.towns)
	var home any = absent
	if p.town >= 0 && chance(r, 0.7) {
		home = towns[p.town].name
	}
	var handed any = absent
	switch {
	case rc.mask&bitLaStrada != 0:
		handed = "La Strada ČR"
	case rc.mask&bitPolice != 0:
		handed = "Policie ČR (NCOZ)"
	case rc.mask&bitIOM != 0:
		handed = "IOM"
	}
	desc := fmt.Sprintf("%s ČR %s ZÚ dne %s. Uvádí, že %s %s (%s); %s.",
		either(p.female, "Občanka", "Občan"), either(p.female, "kontaktovala", "kontaktoval"), rc.date.Format(czDate),
		either(p.female, "pracovala", "pracoval"), oneOf(r, czechPlaces[p.forms[0]]), town, oneOf(r, czechControls))
	if chance(r, 0.2) {
		desc += " Kontakt na rodinu: " + phone(r) + "."
	}
	return []any{a.embassy, rc.date.Format(czDate), sur, given, dob, cit, countries[a.iso2].cz, town, home, desc, handed}
}
