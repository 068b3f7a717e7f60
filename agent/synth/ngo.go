package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// La Strada-like NGO: an Excel sheet saved as "CSV UTF-8" (comma, BOM,
// CRLF), English headers, dates dd/mm/yyyy, "presumed victim", passport
// spellings, and case notes in free text that may name the person again.
var laStradaSpec = &partnerSpec{
	kind: LaStrada, category: CategoryNGO, dataset: Victims, bit: bitLaStrada,
	dayLo: -40, dayHi: 40,
	name: "LaStrada_clients_%d.csv",
	file: fileSpec{format: CSV, encoding: UTF8BOM, delimiter: ',', crlf: true},
	header: []string{"Case ID", "Date of first contact", "Client surname", "First name", "DOB", "Sex",
		"Nationality", "Type of exploitation", "Status", "City", "Referred by", "Notes"},
	row: laStradaRow,
}

func laStradaRow(rc *rowCtx) []any {
	r, p := rc.r, rc.p
	sur, given := rc.names(nameStyle{alt: 0.2, native: 0.03, noDiacr: 0.25, ovaDrop: 0.08, typo: 0.04,
		swap: 0.04, split: 0.08, upper: 0.05, lower: 0.02, spaces: 0.06})
	dob := rc.dob(dateStyle{layouts: []weighted[string]{{90, slashDate}, {10, czDate}}, swap: 0.04,
		missing: 0.08, yearOnly: 0.06})
	sex := either(p.female, "F", "M")
	if chance(r, 0.25) {
		sex = either(p.female, "female", "male")
	}
	sex = rc.maybe(0.03, sex)
	nat := rc.maybe(0.03, rc.nationality(p.citizenship(), []weighted[natForm]{
		{50, natENAdj}, {25, natEN}, {10, natISO2}, {10, natCZ}, {5, natCZAdj}}))
	var referred string
	switch {
	case rc.mask&bitPolice != 0 && chance(r, 0.5):
		referred = "Police"
	case rc.mask&bitEmbassy != 0:
		referred = "Czech embassy"
	default:
		referred = oneOf(r, []string{"hotline", "outreach", "self-referral", "another NGO", "labour inspectorate", "friend"})
	}
	var notes string
	if chance(r, 0.6) {
		notes = englishNote(rc)
	}
	return []any{fmt.Sprintf("LS-%d-%03d", rc.year, rc.seq), rc.date.Format(slashDate), sur, given, dob, sex,
		nat, rc.forms(englishForms, " / "), oneOf(r, laStradaStatus[p.status]), place(rc), referred, notes}
}

// place is where the partner met or placed the person: a Czech town, the
// town abroad for Czechs exploited abroad, or nothing.
func place(rc *rowCtx) string {
	switch {
	case rc.p.abroad != "" && chance(rc.r, 0.6):
		return oneOf(rc.r, abroadFor(rc.p.abroad).towns)
	case rc.p.town >= 0 && chance(rc.r, 0.8):
		return towns[rc.p.town].name
	}
	return ""
}

var englishPlaces = map[string][]string{
	"sexual":          {"in a night club", "in a massage parlour", "as an escort in private flats", "in a roadside brothel"},
	"labour":          {"in a car parts factory", "in a warehouse", "on a construction site", "in a meat processing plant", "cleaning hotel rooms", "picking strawberries on a farm", "in a nail salon", "in a car wash"},
	"begging":         {"begging in the streets"},
	"criminal":        {"in a cannabis grow house", "stealing in shops for a gang"},
	"forced_marriage": {"in a marriage arranged by relatives"},
	"servitude":       {"as a domestic worker in a private household"},
	"benefit_fraud":   {"in a benefit fraud scheme"},
}

var englishControls = []string{"passport withheld by the agency", "debt for transport and housing",
	"threats to family back home", "wages not paid for months", "movement restricted, lived at the workplace",
	"worked 14 hours a day, seven days a week"}

// englishNote is a caseworker's note. Some name the person again in
// another spelling or give a phone number: free text carries identifiers,
// which is why it must never leave the partner.
func englishNote(rc *rowCtx) string {
	r, p := rc.r, rc.p
	where := "the Czech Republic"
	if p.abroad != "" {
		where = countries[p.abroad].en
	} else if p.town >= 0 {
		where = towns[p.town].name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s was referred to us in %s. Exploited %s in %s; %s.",
		either(p.female, "She", "He"), rc.date.Format("January"), oneOf(r, englishPlaces[p.forms[0]]), where,
		oneOf(r, englishControls))
	if chance(r, 0.15) {
		if other := otherSpelling(r, p.surname()); other != "" {
			fmt.Fprintf(&b, " Also spelled %s.", other)
		}
	}
	if chance(r, 0.1) {
		fmt.Fprintf(&b, " Phone: %s.", phone(r))
	}
	if chance(r, 0.1) {
		fmt.Fprintf(&b, "\nFollow-up %s: %s.", rc.date.AddDate(0, 0, 14+r.IntN(30)).Format(slashDate),
			oneOf(r, []string{"accommodation arranged", "accompanied to the police", "return to home country discussed", "client did not come"}))
	}
	return b.String()
}

// otherSpelling is a spelling of a name other than the passport's, or ""
// if it has none.
func otherSpelling(r *rand.Rand, s spelling) string {
	var opts []string
	for _, o := range append([]string{s.czech(), s.native}, s.alternatives()...) {
		if o != "" && o != s.canonical() {
			opts = append(opts, o)
		}
	}
	if len(opts) == 0 {
		return ""
	}
	return oneOf(r, opts)
}

func phone(r *rand.Rand) string {
	return fmt.Sprintf("+420 %d%02d %03d %03d", 6+r.IntN(2), r.IntN(100), r.IntN(1000), r.IntN(1000))
}

// Caritas-like NGO: a tab-separated text export (UTF-8, no BOM, LF) with
// mixed Czech and English headers, the whole name in one column, dates in
// three formats.
var caritasSpec = &partnerSpec{
	kind: Caritas, category: CategoryNGO, dataset: Victims, bit: bitCaritas,
	dayLo: -40, dayHi: 40,
	name: "Charita_klienti_OL_%d.txt",
	file: fileSpec{format: CSV, encoding: UTF8, delimiter: '\t'},
	header: []string{"ID klienta", "Jméno a příjmení", "Datum narození / DOB", "Pohlaví", "Nationality",
		"Forma vykořisťování", "Status", "Město / City", "Zahájení služby", "Poznámka"},
	row: caritasRow,
}

func caritasRow(rc *rowCtx) []any {
	r, p := rc.r, rc.p
	name := rc.fullName(nameStyle{czech: chance(r, 0.5), alt: 0.15, native: 0.04, noDiacr: 0.2, ovaDrop: 0.06,
		typo: 0.04, swap: 0.03, split: 0.05, upper: 0.1, lower: 0.03, spaces: 0.08})
	dob := rc.dob(dateStyle{layouts: []weighted[string]{{50, czDateSpaced}, {30, czDatePadded}, {20, isoDate}},
		swap: 0.03, missing: 0.1, yearOnly: 0.05})
	sex := choose(r, []weighted[string]{{60, either(p.female, "žena", "muž")}, {30, either(p.female, "F", "M")},
		{10, either(p.female, "Ž", "M")}})
	sex = rc.maybe(0.04, sex)
	nat := rc.nationality(p.citizenship(), []weighted[natForm]{{35, natCZAdj}, {30, natCZ}, {20, natEN}, {15, natISO2}})
	forms := rc.forms(caritasForms, ", ")
	if chance(r, 0.2) {
		forms = rc.forms(englishForms, ", ")
	}
	var note string
	if chance(r, 0.5) {
		note = czechNote(rc)
	}
	return []any{fmt.Sprintf("CH-%02d/%03d", rc.year%100, rc.seq), name, dob, sex, nat, forms,
		oneOf(r, caritasStatus[p.status]), place(rc), rc.date.Format(czDate), note}
}

var czechPlaces = map[string][]string{
	"sexual":          {"v nočním klubu", "v masážním salonu", "v bytě (eskort)", "v nevěstinci u silnice"},
	"labour":          {"ve skladu", "v masokombinátu", "na stavbě", "na farmě (sběr jahod)", "v nehtovém studiu", "v autoservisu", "při úklidu hotelu"},
	"begging":         {"na ulici (žebrání)"},
	"criminal":        {"v pěstírně konopí", "při krádežích v obchodech"},
	"forced_marriage": {"v manželství domluveném příbuznými"},
	"servitude":       {"v domácnosti"},
	"benefit_fraud":   {"při podvodech se sociálními dávkami"},
}

var czechControls = []string{"zadržený pas", "dluh za dopravu a ubytování", "výhrůžky rodině", "nevyplacená mzda",
	"omezování pohybu", "práce 14 hodin denně"}

func czechNote(rc *rowCtx) string {
	r, p := rc.r, rc.p
	s := fmt.Sprintf("%s %s %s; %s.", either(p.female, "Klientka", "Klient"), either(p.female, "pracovala", "pracoval"),
		oneOf(r, czechPlaces[p.forms[0]]), oneOf(r, czechControls))
	if chance(r, 0.1) {
		s += " Tel. " + phone(r)
	}
	return s
}
