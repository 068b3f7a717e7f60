package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// countCtx is what a count file is made from.
type countCtx struct {
	r     *rand.Rand
	year  int
	scale float64
	plan  *yearPlan
}

// share is a category of a breakdown and its share of the total.
type share struct {
	label string
	w     float64
}

// Legal qualifications (trestní zákoník, Act 40/2009) with the persons
// prosecuted for them in a Czech year, roughly.
var qualifications = []struct {
	prosecution, court string
	prosecuted         float64
}{
	{"§ 168 TZ – obchodování s lidmi", "§168", 30},
	{"§ 169 TZ – svěření dítěte do moci jiného", "§169", 2},
	{"§ 170 TZ – zbavení osobní svobody", "§170", 6},
	{"§ 189 TZ – kuplířství", "§189", 45},
}

// The prosecution's statistics: persons prosecuted and indicted, by legal
// qualification, sex and citizenship group, zeros included (XLSX).
var prosecutionSpec = &partnerSpec{
	kind: Prosecution, category: CategoryProsecution, dataset: Proceedings,
	name:   "NSZ_statistika_OL_%d.xlsx",
	file:   fileSpec{format: XLSX, sheet: "Stíhané a obžalované osoby", dateFmt: "d.m.yyyy", creator: "Nejvyšší státní zastupitelství"},
	header: []string{"Rok", "Stadium", "Právní kvalifikace", "Pohlaví", "Státní občanství", "Počet osob"},
	counts: func(cc *countCtx) [][]any {
		var rows [][]any
		for _, stage := range []share{{"stíhané osoby", 1}, {"obžalované osoby", 0.75}} {
			for _, q := range qualifications {
				for _, sex := range []share{{"muži", 0.72}, {"ženy", 0.28}} {
					for _, g := range []share{{"ČR", 0.7}, {"EU", 0.15}, {"třetí země", 0.15}} {
						n := scaled(cc.r, q.prosecuted*stage.w*sex.w*g.w, cc.scale, 0.5)
						rows = append(rows, []any{cc.year, stage.label, q.prosecution, sex.label, g.label, n})
					}
				}
			}
		}
		return rows
	},
}

// The courts' statistics: persons indicted, convicted (by sentence) and
// acquitted, by section, sex and citizenship group, zero rows left out;
// the same breakdowns as the prosecution's in other words (CSV, ';',
// Windows-1250).
var courtSpec = &partnerSpec{
	kind: Court, category: CategoryCourt, dataset: Proceedings,
	name:   "MSp_statistika_OL_%d.csv",
	file:   fileSpec{format: CSV, encoding: Windows1250, delimiter: ';', crlf: true},
	header: []string{"Rok", "Stadium", "Zákonné ustanovení", "Pohlaví", "Občanství", "Druh trestu", "Počet osob"},
	counts: func(cc *countCtx) [][]any {
		sentences := []share{{"nepodmíněný trest odnětí svobody", 0.35}, {"podmíněný trest odnětí svobody", 0.5},
			{"peněžitý trest", 0.08}, {"obecně prospěšné práce", 0.04}, {"jiný", 0.03}}
		var rows [][]any
		add := func(stage, q, sex, g, sentence string, mean float64) {
			if n := scaled(cc.r, mean, cc.scale, 0.5); n > 0 {
				rows = append(rows, []any{cc.year, stage, q, sex, g, sentence, n})
			}
		}
		for _, q := range qualifications {
			for _, sex := range []share{{"M", 0.72}, {"Ž", 0.28}} {
				for _, g := range []share{{"CZ", 0.7}, {"EU", 0.15}, {"mimo EU", 0.15}} {
					base := q.prosecuted * sex.w * g.w
					add("obžalováno", q.court, sex.label, g.label, "", base*0.7)
					for _, s := range sentences {
						add("odsouzeno", q.court, sex.label, g.label, s.label, base*0.5*s.w)
					}
					add("zproštěno", q.court, sex.label, g.label, "", base*0.08)
				}
			}
		}
		return rows
	},
}

// controlsBase is a region's alien-police controls in a Czech year.
var controlsBase = map[string]float64{
	"CZ010": 2500, "CZ020": 1200, "CZ031": 500, "CZ032": 700, "CZ041": 450, "CZ042": 650, "CZ051": 400,
	"CZ052": 450, "CZ053": 500, "CZ063": 400, "CZ064": 1100, "CZ071": 450, "CZ072": 400, "CZ080": 800,
}

// The alien police: residence and employment controls per region (kraj,
// NUTS 3) and year, tab-separated UTF-8.
var alienPoliceSpec = &partnerSpec{
	kind: AlienPolice, category: CategoryAlienPolice, dataset: Controls,
	name: "SCP_kontroly_pobytu_%d.csv",
	file: fileSpec{format: CSV, encoding: UTF8, delimiter: '\t'},
	header: []string{"Rok", "Kraj", "NUTS3", "Počet kontrol", "Kontrolováno osob",
		"Zjištěno nelegálně zaměstnaných", "Podezření na obchodování s lidmi"},
	counts: func(cc *countCtx) [][]any {
		var rows [][]any
		for _, reg := range regions {
			controls := scaled(cc.r, controlsBase[reg.nuts3], cc.scale, 0.25)
			checked := roundInt(float64(controls) * between(cc.r, 3, 6))
			illegal := roundInt(float64(checked) * between(cc.r, 0.02, 0.06))
			suspected := roundInt(float64(illegal) * between(cc.r, 0, 0.03))
			rows = append(rows, []any{cc.year, reg.name, reg.nuts3, controls, checked, illegal, suspected})
		}
		return rows
	},
}

// The labour inspectorate (SÚIP): controls of illegal employment per
// regional inspectorate and quarter (XLSX).
var labourInspectorateSpec = &partnerSpec{
	kind: LabourInspectorate, category: CategoryLabourInspectorate, dataset: Controls,
	name: "SUIP_nelegalni_zamestnavani_%d.xlsx",
	file: fileSpec{format: XLSX, sheet: "Kontroly %d", dateFmt: "d.m.yyyy", creator: "Státní úřad inspekce práce"},
	header: []string{"Rok", "Čtvrtletí", "Oblastní inspektorát práce", "Počet kontrol",
		"Zjištěno nelegálně zaměstnaných osob", "z toho cizinci", "Podněty Policii ČR – podezření na obchodování s lidmi"},
	counts: func(cc *countCtx) [][]any {
		var rows [][]any
		for q := 1; q <= 4; q++ {
			for i, oip := range labourInspectorates {
				base := 180.0
				if i == 0 {
					base = 350
				}
				controls := scaled(cc.r, base, cc.scale, 0.3)
				illegal := roundInt(float64(controls) * between(cc.r, 0.3, 0.9))
				foreign := roundInt(float64(illegal) * between(cc.r, 0.6, 0.95))
				tips := roundInt(float64(illegal) * between(cc.r, 0, 0.02))
				rows = append(rows, []any{cc.year, fmt.Sprintf("%d. čtvrtletí", q), oip, controls, illegal, foreign, tips})
			}
		}
		return rows
	},
}

// The intelligence service gives estimates of the latent situation only:
// ranges of hidden victims by form and citizenship group, a few times
// the registered numbers (JSON Lines).
var intelligenceSpec = &partnerSpec{
	kind: Intelligence, category: CategoryIntelligence, dataset: Aggregates,
	name:   "BIS_odhad_latentni_OL_%d.jsonl",
	file:   fileSpec{format: JSONLines, encoding: UTF8},
	header: []string{"rok", "ukazatel", "forma", "skupina_obcanstvi", "odhad_min", "odhad_max", "spolehlivost"},
	counts: func(cc *countCtx) [][]any {
		forms := []struct {
			label string
			codes []string
		}{
			{"sexuální vykořisťování", []string{"sexual"}},
			{"pracovní vykořisťování", []string{"labour", "servitude"}},
			{"nucená trestná činnost", []string{"criminal", "benefit_fraud"}},
			{"žebrání", []string{"begging"}},
			{"ostatní", []string{"forced_marriage"}},
		}
		groups := []share{{"CZ", 0}, {"EU", 0}, {"non-EU", 0}}
		labels := map[string]string{"CZ": "občané ČR", "EU": "občané EU", "non-EU": "občané třetích zemí"}
		var rows [][]any
		for _, f := range forms {
			for _, g := range groups {
				registered := 0
				for _, c := range f.codes {
					registered += cc.plan.counts[[2]string{c, g.label}]
				}
				if registered == 0 {
					continue
				}
				lo := roundInt(float64(registered) * between(cc.r, 2, 3.5))
				hi := roundInt(float64(registered) * between(cc.r, 5, 8))
				rows = append(rows, []any{cc.year, "odhad latentních obětí", f.label, labels[g.label], lo, hi,
					oneOf(cc.r, []string{"nízká", "střední", "vysoká"})})
			}
		}
		return rows
	},
}

func roundInt(v float64) int { return int(math.Round(v)) }
