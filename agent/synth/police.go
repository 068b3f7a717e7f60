package synth

import (
	"fmt"
	"strings"
)

// The police send their victims of trafficking as a CSV export of the
// case register: semicolon-separated, Windows-1250, CRLF, Czech column
// names and terms, dates as d.m.yyyy, surnames mostly in capitals, foreign
// women's surnames now and then given -ová.
var policeSpec = &partnerSpec{
	kind: Police, category: CategoryPolice, dataset: Victims, bit: bitPolice,
	dayLo: 0, dayHi: 0,
	name: "PCR_obeti_OL_%d.csv",
	file: fileSpec{format: CSV, encoding: Windows1250, delimiter: ';', crlf: true},
	header: []string{"Č. j.", "Datum zápisu", "Útvar", "Příjmení", "Jméno", "Datum narození", "Pohlaví",
		"Státní příslušnost", "Bydliště", "Forma vykořisťování", "Status oběti"},
	row: policeRow,
}

// pcrCodes are the regional police directorates' file-number prefixes.
var pcrCodes = map[string]string{
	"CZ010": "KRPA", "CZ020": "KRPS", "CZ031": "KRPC", "CZ032": "KRPP", "CZ041": "KRPK", "CZ042": "KRPU",
	"CZ051": "KRPL", "CZ052": "KRPH", "CZ053": "KRPE", "CZ063": "KRPJ", "CZ064": "KRPB", "CZ071": "KRPM",
	"CZ072": "KRPZ", "CZ080": "KRPT",
}

func policeRow(rc *rowCtx) []any {
	r, p := rc.r, rc.p
	nuts := oneOf(r, regions).nuts3
	if p.town >= 0 {
		nuts = towns[p.town].nuts3
	}
	unit, code := regionOf(nuts).police, pcrCodes[nuts]
	if chance(r, 0.2) {
		unit, code = "NCOZ SKPV", "NCOZ"
	}
	fileNo := fmt.Sprintf("%s-%d-%d/TČ-%d-%06d", code, 1000+r.IntN(299000), 1+r.IntN(40), rc.year, 10*(1+r.IntN(9999)))
	sur, given := rc.names(nameStyle{czech: true, alt: 0.08, noDiacr: 0.08, ovaDrop: 0.05, ovaAdd: 0.12,
		typo: 0.03, swap: 0.02, split: 0.1, upper: 0.6, lower: 0.01, spaces: 0.03})
	dob := rc.dob(dateStyle{layouts: []weighted[string]{{70, czDate}, {20, czDatePadded}, {10, czDateSpaced}},
		swap: 0.03, missing: 0.04})
	sex := either(p.female, "žena", "muž")
	if chance(r, 0.1) {
		sex = either(p.female, "Ž", "M")
	}
	sex = rc.maybe(0.02, sex)
	nat := rc.maybe(0.02, rc.nationality(p.citizenship(), []weighted[natForm]{
		{45, natISO3}, {25, natCZ}, {15, natCZAdj}, {10, natISO2}, {5, natEN}}))
	var home string
	switch {
	case p.town >= 0 && chance(r, 0.6):
		home = p.address()
	case p.town >= 0:
		home = towns[p.town].name
	case chance(r, 0.3):
		home = "bez trvalého pobytu"
	}
	return []any{fileNo, rc.date.Format(czDate), unit, sur, given, dob, sex, nat, home,
		rc.forms(policeForms, ", "), oneOf(r, policeStatus[p.status])}
}

// The Victim Assistance Programme (Ministry of the Interior) keeps an
// Excel register of the persons admitted: its own Czech headers, real
// date cells, "zařazen(a) do programu".
var vapSpec = &partnerSpec{
	kind: VictimAssistance, category: CategoryVictimAssistance, dataset: Victims, bit: bitVAP,
	dayLo: 7, dayHi: 75,
	name: "Program_podpory_obeti_OL_%d.xlsx",
	file: fileSpec{format: XLSX, sheet: "Program %d", dateFmt: "d.m.yyyy", creator: "MV ČR, odbor bezpečnostní politiky"},
	header: []string{"Pořadové číslo", "Datum zařazení do Programu", "Příjmení", "Jméno", "Datum narození",
		"Pohlaví", "Státní občanství", "Forma vykořisťování", "Navrhovatel", "Stav", "Poskytnutá pomoc"},
	row: vapRow,
}

var vapHelp = []string{"ubytování", "sociální poradenství", "právní pomoc", "tlumočení", "zdravotní péče",
	"psychologická pomoc", "rekvalifikace", "dobrovolný návrat"}

func vapRow(rc *rowCtx) []any {
	r, p := rc.r, rc.p
	sur, given := rc.names(nameStyle{czech: true, alt: 0.05, noDiacr: 0.05, ovaDrop: 0.03, ovaAdd: 0.05,
		typo: 0.02, swap: 0.01, split: 0.05, upper: 0.1, spaces: 0.02})
	var dob any
	switch {
	case chance(r, 0.02):
		rc.noise |= noiseMissing
	case chance(r, 0.08): // typed as text, not as a date
		dob = rc.birthDay(0.02).Format(czDateSpaced)
	default:
		dob = rc.birthDay(0.02)
	}
	sex := either(p.female, "Ž", "M")
	nat := rc.nationality(p.citizenship(), []weighted[natForm]{{80, natCZ}, {20, natISO3}})
	var proposer string
	switch {
	case rc.mask&bitPolice != 0 || chance(r, 0.3):
		proposer = "Policie ČR"
	case rc.mask&bitLaStrada != 0:
		proposer = "La Strada Česká republika"
	case rc.mask&bitCaritas != 0:
		proposer = "Arcidiecézní charita Praha"
	case rc.mask&bitIOM != 0:
		proposer = "IOM Praha"
	default:
		proposer = "Diakonie ČCE"
	}
	state := either(p.female, "zařazena do programu", "zařazen do programu")
	switch {
	case chance(r, 0.2):
		state = "ukončena účast – integrace v ČR"
	case chance(r, 0.1):
		state = "ukončena účast – dobrovolný návrat"
	}
	var help []string
	for _, i := range r.Perm(len(vapHelp))[:1+r.IntN(4)] {
		help = append(help, vapHelp[i])
	}
	return []any{rc.seq, rc.date, sur, given, dob, sex, nat, rc.forms(vapForms, ", "), proposer, state,
		strings.Join(help, ", ")}
}
