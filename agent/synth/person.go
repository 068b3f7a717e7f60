package synth

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// person is one synthetic person. It is a pure function of the seed, its
// id and the year it was first reported (makePerson), so the generator
// never holds the population in memory: it rebuilds a person for each
// record it writes.
type person struct {
	id        uint32
	firstYear int
	cult      *culture
	female    bool
	given     int
	middle    int // index into the culture's middle names, or -1
	sur       int
	birth     time.Time
	town      int // index into towns, or -1 when no Czech address is known
	street    string
	forms     []string // forms of exploitation, victims/1 codes
	status    string   // possible, actual or not_victim
	abroad    string   // ISO2 country of exploitation outside Czechia, or ""
	controls  []string // HTCDS methods of control
	recruit   string   // HTCDS method of recruitment
}

func (p *person) citizenship() string { return p.cult.citizenship }

func (p *person) sex() string {
	if p.female {
		return "F"
	}
	return "M"
}

func (p *person) surname() spelling {
	s := p.cult.surnames.names[p.sur]
	if p.female {
		return s.f
	}
	return s.m
}

// mascSurname is the masculine form, what a form without -ová shows.
func (p *person) mascSurname() spelling { return p.cult.surnames.names[p.sur].m }

func (p *person) givenName() spelling {
	if p.female {
		return p.cult.female.names[p.given]
	}
	return p.cult.male.names[p.given]
}

func (p *person) middleName() (spelling, bool) {
	if p.middle < 0 {
		return spelling{}, false
	}
	if p.female {
		return p.cult.middleFem.names[p.middle], true
	}
	return p.cult.middleMale.names[p.middle], true
}

// givenNames is the canonical given name with the middle name first, as
// Vietnamese names are written (Thị Lan).
func (p *person) givenNames() string {
	g := p.givenName().canonical()
	if m, ok := p.middleName(); ok {
		return m.canonical() + " " + g
	}
	return g
}

func (p *person) nativeNames() (sur, given string) {
	return p.surname().native, p.givenName().native
}

// ageOn is the age in whole years on day d.
func (p *person) ageOn(d time.Time) int {
	age := d.Year() - p.birth.Year()
	if d.YearDay() < p.birth.YearDay() {
		age--
	}
	return age
}

func (p *person) address() string {
	if p.town < 0 {
		return ""
	}
	t := towns[p.town]
	return fmt.Sprintf("%s, %s %s", p.street, t.postal, t.name)
}

var cultureChoice = func() []weighted[*culture] {
	out := make([]weighted[*culture], len(cultures))
	for i, c := range cultures {
		out[i] = weighted[*culture]{c.weight, c}
	}
	return out
}()

var townChoice = func() []weighted[int] {
	out := make([]weighted[int], len(towns))
	for i, t := range towns {
		out[i] = weighted[int]{t.weight, i}
	}
	return out
}()

var abroadChoice = func() []weighted[string] {
	out := make([]weighted[string], len(abroadCountries))
	for i, a := range abroadCountries {
		out[i] = weighted[string]{a.weight, a.iso2}
	}
	return out
}()

// Shares of the population (DOMAIN.md: 13 % children in the 2023 EU data).
const (
	childShare      = 0.13
	abroadShareCZ   = 0.30 // of Czech citizens, exploited abroad
	addressShare    = 0.75 // of foreigners, with a known Czech address
	secondFormShare = 0.07
)

func makePerson(seed uint64, id uint32, firstYear int) person {
	r := newRand(seed, tagPerson, uint64(id))
	c := choose(r, cultureChoice)
	p := person{id: id, firstYear: firstYear, cult: c, middle: -1, town: -1}
	p.female = chance(r, c.femaleShare)
	if p.female {
		p.given = c.female.draw(r)
	} else {
		p.given = c.male.draw(r)
	}
	if c.middleMale.names != nil {
		if p.female {
			p.middle = c.middleFem.draw(r)
		} else {
			p.middle = c.middleMale.draw(r)
		}
	}
	p.sur = c.surnames.draw(r)

	child := chance(r, childShare)
	age := adultAge(r)
	if child {
		age = 9 + r.IntN(9)
		if chance(r, 0.15) {
			age = 3 + r.IntN(6)
		}
	}
	p.birth = time.Date(firstYear-age, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))

	if c.citizenship == "CZ" && chance(r, abroadShareCZ) {
		p.abroad = choose(r, abroadChoice)
	}
	if c.citizenship == "CZ" || chance(r, addressShare) {
		p.town = choose(r, townChoice)
		p.street = fmt.Sprintf("%s %d/%d", oneOf(r, streets), 100+r.IntN(2900), 1+r.IntN(60))
	}
	p.forms = []string{exploitationForm(r, p.female, child, c)}
	if chance(r, secondFormShare) {
		if f := exploitationForm(r, p.female, child, c); f != p.forms[0] {
			p.forms = append(p.forms, f)
		}
	}
	p.status = choose(r, []weighted[string]{{0.35, "actual"}, {0.60, "possible"}, {0.05, "not_victim"}})
	n := 1 + r.IntN(3)
	for _, i := range r.Perm(len(htcdsControls))[:n] {
		p.controls = append(p.controls, htcdsControls[i])
	}
	p.recruit = oneOf(r, htcdsRecruitment)
	return p
}

func adultAge(r *rand.Rand) int {
	switch choose(r, []weighted[int]{{35, 0}, {30, 1}, {22, 2}, {13, 3}}) {
	case 0:
		return 18 + r.IntN(8)
	case 1:
		return 26 + r.IntN(10)
	case 2:
		return 36 + r.IntN(15)
	default:
		return 51 + r.IntN(15)
	}
}

// exploitationForm draws a form of exploitation (victims/1 code): women
// mostly sexual, men mostly labour, children more often begging and
// criminal activities, with a few national patterns seen in Czech reports
// (Vietnamese men in cannabis cultivation, Nigerian women in prostitution,
// Filipino domestic workers, Romanian and Bulgarian begging).
func exploitationForm(r *rand.Rand, female, child bool, c *culture) string {
	// Weights in the order of exploitationCodes: sexual, labour, begging,
	// criminal, forced_marriage, servitude, benefit_fraud.
	var w [7]float64
	switch {
	case child && female:
		w = [7]float64{45, 10, 18, 17, 10, 0, 0}
	case child:
		w = [7]float64{12, 20, 28, 40, 0, 0, 0}
	case female:
		w = [7]float64{58, 25, 3, 3, 4, 5, 2}
	default:
		w = [7]float64{4, 70, 6, 12, 0, 4, 4}
	}
	switch c.code {
	case "vn":
		if !female {
			w[3] *= 3
		}
	case "ng":
		w[0] *= 2
	case "ph":
		w[5] *= 4
	case "ro", "bg":
		w[2] *= 2
		w[6] *= 2
	}
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, wi := range w {
		if x < wi {
			return exploitationCodes[i]
		}
		x -= wi
	}
	return exploitationCodes[1]
}

// exploitationCodes are the victims/1 forms the generator uses.
var exploitationCodes = []string{"sexual", "labour", "begging", "criminal", "forced_marriage", "servitude", "benefit_fraud"}

var htcdsControls = []string{
	"DebtBondage", "TakesEarnings", "RestrictsFinancialAccess", "Threats", "PsychologicalAbuse",
	"PhysicalAbuse", "SexualAbuse", "FalsePromises", "PsychoactiveSubstances", "RestrictsMovement",
	"ExcessiveWorkingHours", "ThreatOfLawEnforcement", "WithholdsNecessities", "WithholdsDocuments",
}

var htcdsRecruitment = []string{
	"Job offer/advertisement", "Internet (social media, online advertisement)", "Familial",
	"Intimate partner/marriage proposition", "Posing as Benefactor", "Work", "Other", "Unknown",
}
