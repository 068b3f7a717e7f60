package synth

import "strings"

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
	male        nameTable[spelling]
	female      nameTable[spelling]
	middleMale  nameTable[spelling] // Vietnamese middle names (Văn, Thị …)
	middleFem   nameTable[spelling]
	surnames    nameTable[surname]
	ova         bool // women's surnames are -ová/-á forms
	familyFirst bool // the family name comes first in the full name
}

// cultures are the name origins of the synthetic population. Weights
// follow the Czech reports loosely (many UA, VN, CZ, RO, SK), giving about
// half non-EU citizens; female shares are set so that about 63 % of all
// persons are women, as in the 2023 EU figures.
//
// Each table lists real names from the commonest down with the shares
// of the published statistics named (in per cent of the population, or
// of the sex for given names), and a generated tail where the real list
// is short of the whole population (names_freq.go, names_tail.go). The
// shares quoted are rough: from the published statistics named, as
// reported, not exact. What the tables give (top share, sum of squared
// shares, effective number of names) is checked by TestNameRealism, with
// the figure matched for each culture.
var cultures = []*culture{czech, ukrainian, vietnamese, romanian, slovak, bulgarian, nigerian, filipino, mongolian}

// per scales weights so that the first is top (per cent).
func per(top float64, w []float64) []float64 {
	f := top / w[0]
	for i := range w {
		w[i] *= f
	}
	return w
}

// Czech: Novák/Nováková ≈ 0.66 % of residents (some 34,000 + 36,000 of
// 10.5 million), the 10th (Němec) ≈ 0.2 %, the 100th ≈ 0.06 % (MV ČR,
// četnost jmen a příjmení; rough): s ≈ 0.5; the ministry counts some
// 40,000 Czech surnames. That law continued to the whole population
// gives a sum of squared shares of about 1/2,500 (2,500 equally common
// surnames), which the table matches with its generated tail (5,850
// names, 4.0·10⁻⁴; the old table of 349 names: 5.0·10⁻³). Romani
// surnames (Horváth, Lakatoš, Baláž …) are placed higher than in the
// whole population, as Roma are overrepresented among Czech victims.
// Given names: the commonest (Jiří, Jan; Marie 288,950 and Jana 269,709
// women in the same statistics) ≈ 5 % of their sex each.
var czech = &culture{
	code: "cz", citizenship: "CZ", weight: 22, femaleShare: 0.70, ova: true,
	male:     table(czMale, fitTop(len(czMale), 5)),
	female:   table(czFemale, fitTop(len(czFemale), 5)),
	surnames: withTail(czSurnames, per(0.66, zipf(len(czSurnames), 0.5)), 0.5, czTail(czRoots, czSuffixes), surnameKey),
}

// Slovak: Horváth/Horváthová ≈ 0.5 % of residents, Kováč, Varga, Tóth
// next (ŠÚ SR and MV SR name statistics; rough): s ≈ 0.5, continued by a
// generated tail, as for Czech. That law continued to the whole
// population implies some 4,000 equally common surnames; the tail
// (2,300 names) is shorter, and flattened: the table gives 4.8·10⁻⁴
// (2,100). Given names: Peter, Ján, Mária ≈ 5 % of
// their sex (rough).
var slovak = &culture{
	code: "sk", citizenship: "SK", weight: 7, femaleShare: 0.60, ova: true,
	male:     table(skMale, fitTop(len(skMale), 5)),
	female:   table(skFemale, fitTop(len(skFemale), 5)),
	surnames: withTail(skSurnames, per(0.5, zipf(len(skSurnames), 0.5)), 0.5, czTail(skRoots, skSuffixes), surnameKey),
}

// Ukrainian: the surnames are diverse: Мельник, the commonest, is borne
// by some 174,000 of 42 million (0.41 %), Шевченко, Бойко, Коваленко,
// Бондаренко close behind (press reports of a 2010s register study;
// rough), then s ≈ 0.6. The sum of squared shares of all the surnames of
// Ukraine is 2.13·10⁻⁴ (random isonymy; Gorpynchenko and Atramentova,
// "Distribution of isonymy index in the territory of Ukraine", Factors
// in experimental evolution of organisms), about 4,700 equally common
// surnames. The generated tail (some 4,000 names) is short of the
// population's, so its law is flattened to reach 100 % (names_freq.go):
// the table gives 3.4·10⁻⁴ (2,900 surnames), namesakes 1.6 times
// commoner than in reality (the old tables: 1.0·10⁻², 46 times). Given names
// are concentrated: Олександр ≈ 6 % of men, Олена, Тетяна, Наталія
// ≈ 4-5 % of women of working age (rough).
var ukrainian = &culture{
	code: "ua", citizenship: "UA", weight: 24, femaleShare: 0.58,
	male:   table(uaMale, fitTop(len(uaMale), 6)),
	female: table(uaFemale, fitTop(len(uaFemale), 5)),
	surnames: withTail(uaSurnames, headed(len(uaSurnames), 0.6,
		0.41, 0.33, 0.28, 0.26, 0.25, 0.23, 0.22, 0.21, 0.2, 0.19), 0.6, uaTail(), surnameKey),
}

// Bulgarian: Иванов/Иванова ≈ 2.5 % of the population, Георгиев,
// Димитров, Петров ≈ 1.5 % each, the 10th ≈ 0.8 % (NSI name statistics;
// rough); the patronymic surnames are concentrated: s ≈ 0.55, continued
// by a generated tail of patronymics to 100 % (some 520 names): a sum
// of squared shares of 4.0·10⁻³ (250 surnames), nearly all of it the
// published head's. Given names: Георги ≈ 5 % of men,
// Мария ≈ 4 % of women (NSI; rough).
var bulgarian = &culture{
	code: "bg", citizenship: "BG", weight: 5, femaleShare: 0.65,
	male:   table(bgMale, fitTop(len(bgMale), 5)),
	female: table(bgFemale, fitTop(len(bgFemale), 4)),
	surnames: withTail(bgSurnames, headed(len(bgSurnames), 0.55,
		2.5, 1.7, 1.6, 1.5, 1.2, 1.0, 1.0, 0.9, 0.9, 0.8), 0.55, bgTail(), surnameKey),
}

// Mongolian: given names are compounds of two words (Бат + болд) and
// very diverse; the surname column holds a patronymic, a father's given
// name, so it is as diverse. No published shares were found: the
// commonest is given 1.5 % (a guess) and s = 0.6, with generated
// compounds as the tail (some 800 a table, which renormalised make the
// commonest about 3 %).
var mongolian = &culture{
	code: "mn", citizenship: "MN", weight: 4, femaleShare: 0.60,
	male:   withTail(mnMale, per(1.5, zipf(len(mnMale), 0.6)), 0.6, mnGiven(mnMaleSecond), spellingKey),
	female: withTail(mnFemale, per(1.5, zipf(len(mnFemale), 0.6)), 0.6, mnGiven(mnFemaleSecond), spellingKey),
	// Mongolians are known by a patronymic and a given name; partner
	// files put the patronymic in the surname column, or swap the two.
	surnames: withTail(mnSurnames, per(1.5, zipf(len(mnSurnames), 0.6)), 0.6, mnPatronymics(), surnameKey),
}

// Vietnamese: family names are few and concentrated, in reality too:
// Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, Phạm ≈ 7 %, Hoàng/Huỳnh ≈ 5 %,
// Phan ≈ 4.5 %, Vũ/Võ ≈ 4 %, Đặng, Bùi ≈ 2 %, Đỗ, Hồ, Ngô ≈ 1.3 %,
// Dương ≈ 1 %, Lý ≈ 0.5 % (the figures usually quoted from Vietnamese
// population studies, e.g. in Wikipedia's "Vietnamese name"; rough):
// the listed names hold 99 % of the population, so no tail is added and
// the sum of squared shares is about 0.18. Vietnamese in Czechia come
// mostly from the north, so Hoàng and Vũ are given more than Huỳnh and
// Võ. The rest follow at s ≈ 1. Middle names: most women born before
// 2000 have Thị, most men Văn. Given names are diverse (no published
// shares found): s ≈ 0.6 over the fifty listed, which makes them, if
// anything, more concentrated than in reality.
var vietnamese = &culture{
	code: "vn", citizenship: "VN", weight: 12, femaleShare: 0.48, familyFirst: true,
	male:   table(vnMale, zipf(len(vnMale), 0.6)),
	female: table(vnFemale, zipf(len(vnFemale), 0.6)),
	middleMale: table(vnAll("Văn", "Đức", "Hữu", "Minh", "Quang", "Thanh", "Đình", "Công", "Xuân", "Ngọc"),
		[]float64{55, 7, 6, 5, 5, 5, 5, 4, 4, 4}),
	middleFem: table(vnAll("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Thúy", "Bích", "Phương", "Minh"),
		[]float64{60, 7, 6, 6, 5, 4, 4, 3, 3, 2}),
	surnames: table(vnSurnames, headed(len(vnSurnames), 1.0,
		38, 11, 9.5, 7, 3.2, 1.8, 4.5, 2.4, 1.5, 2.1, 2.0, 1.4, 1.3, 1.3, 1.0, 0.5)),
}

// Romanian: Popa, Popescu and Pop ≈ 0.9 % of the population each, Radu
// ≈ 0.6 %, Ionescu, Dumitru ≈ 0.5 % (Romanian population register
// statistics as published in the press; rough): s ≈ 0.6, continued by a
// generated tail (-escu, -eanu, -aru …). Romani occupational surnames
// (Căldăraru, Lăutaru …) are included. That law continued to the whole
// population implies some 2,200 equally common surnames; the tail (1,700
// names) is shorter, and flattened: the table gives 1.0·10⁻³ (960). Given names: Maria ≈ 7 % of
// women, Ion, Gheorghe ≈ 5 % of men (same sources; rough).
var romanian = &culture{
	code: "ro", citizenship: "RO", weight: 9, femaleShare: 0.60,
	male:     table(roMale, fitTop(len(roMale), 5)),
	female:   table(roFemale, fitTop(len(roFemale), 7)),
	surnames: withTail(roSurnames, headed(len(roSurnames), 0.6, 0.9, 0.9, 0.9, 0.6, 0.5, 0.5), 0.6, roTail(), surnameKey),
}

// Nigerian: most victims in Europe come from Edo State, so Edo (Bini)
// surnames lead; no usable shares were found: the commonest is given
// 1 % (a guess), s = 0.6, and generated Edo, Yoruba and Igbo compounds
// are the tail (some 740; 1.3 % after renormalising). Given names: the listed ones, s = 0.6 (a guess).
var nigerian = &culture{
	code: "ng", citizenship: "NG", weight: 4, femaleShare: 0.88,
	male:     table(ngMale, zipf(len(ngMale), 0.6)),
	female:   table(ngFemale, zipf(len(ngFemale), 0.6)),
	surnames: withTail(ngSurnames, per(1, zipf(len(ngSurnames), 0.6)), 0.6, latSurnames(strings.Join(ngCompose(), ","), lat1), surnameKey),
}

// Filipino: Santos, Reyes, Cruz, Bautista ≈ 0.6-0.8 % of the population
// each, Dela Cruz, Garcia, Mendoza close (PSA civil register counts as
// reported; rough): s ≈ 0.5. Filipino surnames are very diverse (the
// 1849 Clavería catalogue assigned tens of thousands), but no tail is
// generated: the fifty-six listed are renormalised, so namesakes are
// commoner than in reality (a conservative choice for linkage).
var filipino = &culture{
	code: "ph", citizenship: "PH", weight: 5, femaleShare: 0.70,
	male:     table(phMale, zipf(len(phMale), 0.6)),
	female:   table(phFemale, zipf(len(phFemale), 0.6)),
	surnames: table(phSurnames, zipf(len(phSurnames), 0.5)),
}
