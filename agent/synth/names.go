package synth

// Name tables. A name element is kept in all the spellings partner files
// use for it, so that the same person can be written differently by the
// police (Czech transcription), an NGO (passport spelling) and IOM (the
// person's own script), as happens in the real files.

// spelling is one name element. latin[0] is the canonical spelling (the
// passport's; with diacritics where the language has them), latin[1] the
// Czech transcription (the same as latin[0] when there is none), the rest
// other transliterations met in practice. native is the name in its own
// script when that is not Latin.
type spelling struct {
	native string
	latin  []string
}

// canonical returns the passport spelling.
func (s spelling) canonical() string { return s.latin[0] }

// czech returns the Czech transcription.
func (s spelling) czech() string {
	if len(s.latin) > 1 {
		return s.latin[1]
	}
	return s.latin[0]
}

// alternatives returns the spellings other than the passport and Czech ones.
func (s spelling) alternatives() []string {
	if len(s.latin) > 2 {
		return s.latin[2:]
	}
	return nil
}

// lat is a name written only in Latin script.
func lat(forms ...string) spelling { return spelling{latin: forms} }

// cyr is a name in Cyrillic with its transliterations: passport, Czech,
// then others.
func cyr(native string, forms ...string) spelling {
	if len(forms) == 1 {
		forms = append(forms, forms[0])
	}
	return spelling{native: native, latin: forms}
}

// vn is a Vietnamese name element: Czech offices write it without
// diacritics.
func vn(s string) spelling { return spelling{latin: []string{s, stripDiacritics(s)}} }

// ro is a Romanian name element: ș and ț (comma below) are also written
// with a cedilla (ş, ţ) and, often, without any diacritics.
func ro(s string) spelling {
	forms := []string{s, cedilla(s)}
	if plain := stripDiacritics(s); plain != s {
		forms = append(forms, plain)
	}
	return spelling{latin: forms}
}

func latAll(names ...string) []spelling {
	out := make([]spelling, len(names))
	for i, n := range names {
		out[i] = lat(n)
	}
	return out
}

func vnAll(names ...string) []spelling {
	out := make([]spelling, len(names))
	for i, n := range names {
		out[i] = vn(n)
	}
	return out
}

// surname is a family name in its masculine and feminine forms (the same
// spelling where the language does not inflect it).
type surname struct{ m, f spelling }

// pair is a Czech or Slovak surname with its -ová/-á feminine form.
func pair(m, f string) surname { return surname{lat(m), lat(f)} }

// one is a surname that is the same for women and men.
func one(s spelling) surname { return surname{s, s} }

// culture is a naming tradition with the citizenship that goes with it.
type culture struct {
	code        string // name origin, as in the person table
	citizenship string // ISO 3166-1 alpha-2
	weight      float64
	femaleShare float64
	male        []spelling
	female      []spelling
	middleMale  []spelling // Vietnamese middle names (Văn, Thị …)
	middleFem   []spelling
	surnames    []surname
	ova         bool // women's surnames are -ová/-á forms
	familyFirst bool // the family name comes first in the full name
}

// cultures are the name origins of the synthetic population. Weights
// follow the Czech reports loosely (many UA, VN, CZ, RO, SK), giving about
// half non-EU citizens; female shares are set so that about 63 % of all
// persons are women, as in the 2023 EU figures.
//
// Each table lists real names from the commonest down, and is drawn with
// Zipf-like weights (names_freq.go). The shares quoted are rough, from
// memory of the published statistics named, and serve only to set the
// slope: they are not exact figures.
var cultures = []*culture{czech, ukrainian, vietnamese, romanian, slovak, bulgarian, nigerian, filipino, mongolian}

// Czech: Novák/Nováková ≈ 0.66 % of residents, the 10th (Němec) ≈ 0.2 %,
// the 100th ≈ 0.06 % (MV ČR, četnost jmen a příjmení; rough): s ≈ 0.5.
// Romani surnames (Horváth, Lakatoš, Baláž …) are placed higher than in
// the whole population, as Roma are overrepresented among Czech victims.
// Given names: the commonest of working age (Jan, Jiří, Petr; Jana,
// Petra, Lucie) ≈ 4-5 % of their sex each (ČSÚ, rough): s ≈ 0.7.
var czech = &culture{
	code: "cz", citizenship: "CZ", weight: 22, femaleShare: 0.70, ova: true,
	male:     expand(czMale, zipf(len(czMale), 0.7)),
	female:   expand(czFemale, zipf(len(czFemale), 0.7)),
	surnames: expand(czSurnames, zipf(len(czSurnames), 0.5)),
}

// Slovak: Horváth/Horváthová ≈ 0.5 % of residents, Kováč, Varga, Tóth
// next (ŠÚ SR and MV SR name statistics; rough): s ≈ 0.5.
var slovak = &culture{
	code: "sk", citizenship: "SK", weight: 7, femaleShare: 0.60, ova: true,
	male:     expand(skMale, zipf(len(skMale), 0.7)),
	female:   expand(skFemale, zipf(len(skFemale), 0.7)),
	surnames: expand(skSurnames, zipf(len(skSurnames), 0.5)),
}

// Ukrainian: the surnames are diverse: Мельник, the commonest, ≈ 0.2 % of
// the population, Шевченко, Коваленко, Бондаренко close behind, the
// 100th ≈ 0.04 % (Ukrainian surname frequency lists from the 2000s
// voter and phone registers; rough): a flat head, then s ≈ 0.6. Given
// names are concentrated: Олександр ≈ 6 % of men, Олена, Тетяна, Наталія
// ≈ 4-5 % of women of working age (rough): s ≈ 0.8.
var ukrainian = &culture{
	code: "ua", citizenship: "UA", weight: 24, femaleShare: 0.58,
	male:   expand(uaMale, zipf(len(uaMale), 0.8)),
	female: expand(uaFemale, zipf(len(uaFemale), 0.8)),
	surnames: expand(uaSurnames, headed(len(uaSurnames), 0.6,
		0.21, 0.20, 0.19, 0.18, 0.17, 0.17, 0.16, 0.15, 0.15, 0.14)),
}

// Bulgarian: Иванов/Иванова ≈ 2.5 % of the population, Георгиев,
// Димитров, Петров ≈ 1.5 % each, the 10th ≈ 0.8 % (NSI name statistics;
// rough); the patronymic surnames are concentrated: s ≈ 0.55.
var bulgarian = &culture{
	code: "bg", citizenship: "BG", weight: 5, femaleShare: 0.65,
	male:   expand(bgMale, zipf(len(bgMale), 0.8)),
	female: expand(bgFemale, zipf(len(bgFemale), 0.8)),
	surnames: expand(bgSurnames, headed(len(bgSurnames), 0.55,
		2.5, 1.7, 1.6, 1.5, 1.2, 1.0, 1.0, 0.9, 0.9, 0.8)),
}

// Mongolian: the surname column holds a patronymic, a father's given
// name, so it is as diverse as given names (no published shares found;
// s = 0.6 as a guess).
var mongolian = &culture{
	code: "mn", citizenship: "MN", weight: 4, femaleShare: 0.60,
	male:   expand(mnMale, zipf(len(mnMale), 0.6)),
	female: expand(mnFemale, zipf(len(mnFemale), 0.6)),
	// Mongolians are known by a patronymic and a given name; partner
	// files put the patronymic in the surname column, or swap the two.
	surnames: expand(mnSurnames, zipf(len(mnSurnames), 0.6)),
}

// Vietnamese: family names are few and concentrated: Nguyễn ≈ 38 %, Trần
// ≈ 11 %, Lê ≈ 9.5 %, Phạm ≈ 7 %, Hoàng/Huỳnh ≈ 5 %, Phan ≈ 4.5 %, Vũ/Võ
// ≈ 4 %, Đặng, Bùi ≈ 2 %, Đỗ, Hồ, Ngô ≈ 1.3 %, Dương ≈ 1 %, Lý ≈ 0.5 %
// (the figures usually quoted from Vietnamese population studies, e.g.
// in Wikipedia's "Vietnamese name"; rough); Vietnamese in Czechia come
// mostly from the north, so Hoàng and Vũ are given more than Huỳnh and
// Võ. The rest follow at s ≈ 1. Middle names: most women born before
// 2000 have Thị, most men Văn. Given names are diverse: s ≈ 0.6.
var vietnamese = &culture{
	code: "vn", citizenship: "VN", weight: 12, femaleShare: 0.48, familyFirst: true,
	male:   expand(vnMale, zipf(len(vnMale), 0.6)),
	female: expand(vnFemale, zipf(len(vnFemale), 0.6)),
	middleMale: expand(vnAll("Văn", "Đức", "Hữu", "Minh", "Quang", "Thanh", "Đình", "Công", "Xuân", "Ngọc"),
		[]float64{55, 7, 6, 5, 5, 5, 5, 4, 4, 4}),
	middleFem: expand(vnAll("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Thúy", "Bích", "Phương", "Minh"),
		[]float64{60, 7, 6, 6, 5, 4, 4, 3, 3, 2}),
	surnames: expand(vnSurnames, headed(len(vnSurnames), 1.0,
		38, 11, 9.5, 7, 3.2, 1.8, 4.5, 2.4, 1.5, 2.1, 2.0, 1.4, 1.3, 1.3, 1.0, 0.5)),
}

// Romanian: Popa, Popescu and Pop ≈ 0.9 % of the population each, Radu
// ≈ 0.6 %, Ionescu, Dumitru ≈ 0.5 % (Romanian population register
// statistics as published in the press; rough): s ≈ 0.6. Romani
// occupational surnames (Căldăraru, Lăutaru …) are included.
var romanian = &culture{
	code: "ro", citizenship: "RO", weight: 9, femaleShare: 0.60,
	male:     expand(roMale, zipf(len(roMale), 0.7)),
	female:   expand(roFemale, zipf(len(roFemale), 0.7)),
	surnames: expand(roSurnames, headed(len(roSurnames), 0.6, 0.9, 0.9, 0.9, 0.6, 0.5, 0.5)),
}

// Nigerian: most victims in Europe come from Edo State, so Edo (Bini)
// surnames lead; no usable shares were found: s = 0.4 as a guess, the
// names being many.
var nigerian = &culture{
	code: "ng", citizenship: "NG", weight: 4, femaleShare: 0.88,
	male:     expand(ngMale, zipf(len(ngMale), 0.6)),
	female:   expand(ngFemale, zipf(len(ngFemale), 0.6)),
	surnames: expand(ngSurnames, zipf(len(ngSurnames), 0.4)),
}

// Filipino: Santos, Reyes, Cruz, Bautista ≈ 0.6-0.8 % of the population
// each, Dela Cruz, Garcia, Mendoza close (PSA civil register counts as
// reported; rough): s ≈ 0.5.
var filipino = &culture{
	code: "ph", citizenship: "PH", weight: 5, femaleShare: 0.70,
	male:     expand(phMale, zipf(len(phMale), 0.6)),
	female:   expand(phFemale, zipf(len(phFemale), 0.6)),
	surnames: expand(phSurnames, zipf(len(phSurnames), 0.5)),
}
