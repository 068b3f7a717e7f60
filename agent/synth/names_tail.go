package synth

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// The long tail of names. Published lists give a few hundred of a
// country's commonest surnames; the thousands of rarer ones that hold
// most of the population are built here from the culture's own
// morphology: a root (a given name, a trade, an animal, a place, a
// quality) and the suffixes that make surnames of it, as Czech Hrabák,
// Hrabec and Hrabovský, or Ukrainian Гриценко, Грицюк and Грицай. The
// names are plausible rather than attested; a few may be real. They are
// shuffled by a fixed seed, so that the tail's weights, which fall with
// rank, are not tied to the root, and the tables are the same in every
// run.

// compose returns each root joined to each suffix by join (which may
// return "" to skip a pair), shuffled by a fixed seed.
func compose(roots, suffixes []string, join func(root, suffix string) string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range roots {
		for _, s := range suffixes {
			n := join(r, s)
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			out = append(out, n)
		}
	}
	rnd := rand.New(rand.NewPCG(0x7461696c, uint64(len(out))))
	rnd.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func concat(root, suffix string) string { return root + suffix }

// lastRune returns the last letter of s.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// Czech: roots of the common surname types (trades, animals, plants,
// qualities, places, given names) and the suffixes of derived surnames
// (Novák → Nováček, Hrab- → Hrabák, Hrabec, Hrabík, Hrabovský …).
var czRoots = fields(`
Bab, Bal, Bar, Bart, Bed, Bel, Ber, Bil, Blah, Bod, Boh, Bor, Brad, Bran, Brod, Bub, Buch, Bud, Bur, Bys,
Cap, Cib, Ciz, Čap, Čer, Čerm, Čes, Chal, Chlup, Chmel, Chod, Chrom, Cvik, Dal, Dan, Děd, Dol, Drab, Draž,
Dub, Duch, Dud, Dus, Dvor, Frant, Fuk, Hab, Hal, Han, Hav, Hlad, Hlav, Hol, Hon, Hor, Hos, Hrab, Hrad, Hruš,
Hub, Hud, Hus, Jak, Jan, Jar, Jel, Jir, Jur, Kab, Kal, Kam, Kap, Kar, Kaš, Kav, Klim, Kob, Koč, Kol, Kop,
Kos, Kot, Koz, Krab, Kral, Krat, Krch, Kroup, Kub, Kuch, Kul, Kun, Kur, Lab, Las, Lav, Les, Lib, Lip, Lis,
Lom, Lud, Luk, Mach, Mal, Mar, Mat, Mich, Mik, Mil, Mlyn, Mor, Mráz, Mrk, Much, Nos, Ondr, Pal, Pav,
Pek, Pes, Pet, Pich, Plach, Pleš, Pol, Pop, Proch, Pros, Pul, Rab, Rad, Rak, Rous, Ryb, Rych, Sad, Sed, Sem,
Skal, Slad, Slav, Sob, Sok, Stan, Star, Stráž, Strn, Such, Svat, Šaf, Šim, Škod, Šmíd, Šťast, Štěp, Tes,
Tich, Tom, Trn, Tup, Urb, Vac, Val, Van, Vav, Ves, Vid, Vít, Vlk, Vod, Vojt, Vol, Vos, Vrab, Vrb, Vyt, Zah,
Zak, Zel, Zim, Zub, Žab, Žid, Žil, Bart, Bened, Blaž, Bošk, Brych, Budín, Cin, Dít, Dobr, Dost, Drob, Fil,
Gab, Grus, Had, Hanz, Hej, Hlin, Hnil, Hon, Hrd, Hrub, Chud, Jank, Jedl, Jeř, Jind, Kalin, Klapk, Klíč, Kmoch,
Koud, Krejč, Kříž, Kvas, Lan, Lud, Macek, Mart, Mašt, Med, Mlád, Myš, Něm, Ondr, Pach, Pelik, Petr, Písk,
Plot, Potuč, Pruch, Rejn, Ríh, Rub, Sivk, Skop, Smrč, Sobot, Srb, Stejsk, Stroj, Stud, Šebest, Šilh, Šváb,
Tauš, Tesař, Trojan, Tvrd, Uh, Vác, Vaš, Vepř, Vlach, Vodr, Vorl, Zábr, Zdráh, Zít, Žiž
`)

var czSuffixes = fields(`ák, áček, ek, íček, ík, ka, ička, ovský, ecký, ec, a, an, ař, al, áč, ouš, ina, ánek, ula, ota, ovec, ín`)

// czTail builds Czech surnames with their -ová/-á feminines.
func czTail(roots, suffixes []string) []surname {
	return ovaPairs(strings.Join(compose(roots, suffixes, concat), ","))
}

// Slovak: roots, and the suffixes -ák, -ík, -ko, -čík, -ský …
var skRoots = fields(`
Bab, Bač, Bal, Bart, Bel, Bod, Bor, Brez, Bud, Buk, Čap, Čier, Dan, Dub, Dud, Ďur, Fab, Fer, Gaj, Gál,
Greg, Hal, Hav, Hlin, Hol, Hor, Hric, Hrub, Hud, Hus, Ivan, Jak, Jan, Jur, Kal, Kam, Kapr, Koč, Kol, Kop,
Kos, Koval, Kram, Kriv, Kub, Kuch, Kup, Kur, Lac, Lip, Lis, Luk, Mach, Mak, Mal, Mar, Mat, Med, Mich,
Mik, Mil, Mlyn, Mráz, Novot, Ondr, Pal, Pav, Pek, Peš, Pet, Pol, Pop, Rus, Sed, Slob, Sok, Stan, Star,
Šim, Štef, Tom, Uhr, Val, Vaš, Vlk, Vrab, Zel, Žil, Žuk, Blah, Chov, Dzur, Grib, Hanz, Klim, Kríž, Ľub, Sob
`)

var skSuffixes = fields(`ák, ík, ko, čík, ský, ovský, ec, iar, ár, an, uš, ovič, ka, ina, ička, čan, ček, áč, iak, ula, ovec, áň, eň, ačka`)

// Ukrainian: roots (trades, given names, animals, qualities) in
// Cyrillic, and the suffixes of the commonest surname types: -енко,
// -чук/-ук/-юк, -ський/-цький, -ич, -ак, -ко, -ець, -ишин, -ів.
var uaRoots = fields(`
Бабій, Бондар, Коваль, Ткач, Гончар, Кушнір, Пастух, Рибал, Шевч, Кравч, Ковб, Гриц, Петр, Іван, Остап,
Марч, Давид, Сидор, Павл, Гнат, Федор, Мирон, Семен, Тарас, Кузьм, Юрч, Стеф, Дмитр, Лук, Максим, Назар,
Гаврил, Харч, Бойч, Зінч, Левч, Мороз, Гуц, Собол, Вовк, Лис, Орл, Сокол, Ворон, Голуб, Горб, Дуб, Клим,
Лозин, Марк, Нестер, Панас, Прокоп, Рудн, Сав, Тимош, Хом, Шпак, Щерб, Яковл, Ярош, Чорн, Кобзар, Бут,
Гавр, Грин, Дем, Дорош, Дяч, Жук, Зах, Кир, Кост, Лесь, Литв, Мазур, Мат, Мих, Онищ, Охрім, Пил, Радч,
Руд, Сем, Симон, Степ, Тер, Тит, Фед, Фил, Харит, Христ, Цимб, Чуб, Шаповал, Шкур, Юхим, Яц, Андрущ,
Бабич, Балан, Білан, Бовк, Бур, Вакул, Васил, Велич, Верб, Гайд, Гарас, Гладк, Гуль, Дан, Дзюб, Дід,
Довж, Древ, Дуд, Євтуш, Жел, Завгород, Заїк, Зуб, Ільк, Кал, Карп, Кіт, Клен, Коз, Колес, Кондрат, Корн,
Кот, Крав, Крив, Кругл, Кул, Лавр, Лев, Лемеш, Ліс, Люб, Мак, Мал, Маслов, Мель, Мис, Моск, Нагорн,
Ніс, Овч, Опан, Осип, Пан, Пасіч, Пилип, Плах, Погорел, Поп, Прот, Рад, Ром, Руб, Сах, Сверд, Сич, Скор,
Слив, Сор, Стець, Сух, Тарн, Тимч, Ткал, Троц, Тур, Уст, Фесь, Фом, Хар, Хмель, Цап, Чаб, Черн, Чуй,
Шаб, Швец, Шуль, Щук, Юрк, Явор, Ярем
`)

var uaSuffixes = fields(`енко, чук, ук, юк, ський, цький, ич, ак, ко, ець, ишин, ів, ан, ай, ченко, ник, ун, чак, ейко, ула, ило, ас`)

// uaJoin joins a Ukrainian root and suffix: a soft sign or й before a
// suffix that starts with a vowel goes (Коваль + енко → Коваленко).
func uaJoin(root, suffix string) string {
	if strings.ContainsRune("аеєиіїоуюя", []rune(suffix)[0]) {
		root = strings.TrimRight(root, "ьй")
	}
	if suffix == "юк" && !strings.ContainsRune("лнрдт", lastRune(root)) {
		return ""
	}
	return root + suffix
}

// Romanian: roots (given names, trades, places) and the suffixes -escu,
// -eanu, -aru, -ache, -an, -ică, -uț, -oiu.
var roRoots = fields(`
Ion, Stan, Rad, Dobr, Marin, Vasil, Constantin, Dumitr, Mihail, Petr, Pavel, Nicol, Tudor, Grigor, Andrei,
Manol, Bălan, Cost, Dragom, Din, Iord, Lup, Nistor, Opr, Pătr, Sav, Șerban, Tom, Urs, Vlad, Zamfir, Anghel,
Barb, Bogd, Bucur, Chir, Ciob, Cozm, Cristea, Dan, Drag, Enach, Flor, Gavril, Gheorgh, Ili, Lazăr, Man,
Mateș, Mircea, Mocan, Moldov, Munte, Neag, Negr, Nedelc, Olt, Pop, Prah, Răduc, Roman, Rus, Sandu, Sârb,
Stoic, Stănc, Sucev, Tănas, Teodor, Toader, Ungur, Vâlc, Voic, Zăvoi, Argeș, Brăil, Buz, Călin, Cârstea,
Crâng, Deal, Făget, Gorj, Jian, Lunc, Măgur, Mănăstir, Nour, Pădur, Pietr, Râmn, Sălcu, Șoimar, Vad
`)

var roSuffixes = fields(`escu, eanu, aru, ache, an, ică, uț, oiu, ilă, ea, aș, oaie, ariu, ean, ucu, iță, aie, eci`)

// roJoin joins a Romanian root and suffix, dropping the root's final
// vowel before a suffix that starts with one (Cristea + escu →
// Cristescu).
func roJoin(root, suffix string) string {
	if strings.ContainsRune("aeiouăâî", []rune(suffix)[0]) {
		root = strings.TrimRight(root, "aeiouăâî")
	}
	if root == "" {
		return ""
	}
	return root + suffix
}

// Bulgarian: patronymic surnames from given names and nicknames, -ов
// after a hard consonant, -ев after a soft one, and a few -ски.
var bgRoots = fields(`
Ангел, Анг, Атанас, Бой, Бож, Борис, Вас, Вел, Вид, Вълк, Гав, Ган, Гер, Гроз, Дан, Дел, Дес, Дим,
Дин, Добр, Дон, Драг, Евт, Жел, Жив, Зах, Злат, Игн, Илч, Йон, Кал, Кам, Кир, Кол, Кон, Кос, Кръст, Кун,
Лал, Лоз, Люб, Мал, Ман, Мар, Мат, Мил, Мир, Мит, Мих, Мор, Нак, Нед, Ник, Нин, Ной, Пав, Пан, Пен, Пет,
Пир, Поп, Рад, Раш, Рус, Сав, Сер, Сим, Слав, Сот, Стам, Стан, Стеф, Стоян, Тан, Тах, Тен, Тод, Трен,
Цан, Чан, Чол, Шоп, Юр, Ян, Въл, Бел, Бон, Буч, Вич, Гич, Дич, Жек, Лич, Мин, Нач, Сап, Топ, Хрис
`)

var bgSuffixes = fields(`ов, чев, ков, инов, анов, ски, енов, аров`)

// bgJoin joins a Bulgarian root and suffix: -ов becomes -ев after a soft
// consonant or й (Бой + ов → Боев).
func bgJoin(root, suffix string) string {
	if len([]rune(root)) < 2 {
		return ""
	}
	if suffix == "ов" && strings.ContainsRune("йчжшщ", lastRune(root)) {
		return strings.TrimSuffix(root, "й") + "ев"
	}
	return root + suffix
}

// Mongolian given names (and so patronymics) are compounds of two
// words: Бат (firm) + Болд (steel), Мөнх (eternal) + Цэцэг (flower).
var (
	mnFirst = fields(`
Бат, Мөнх, Эрдэнэ, Ган, Болд, Алтан, Оюун, Энх, Сүх, Төмөр, Хүрэл, Нар, Сар, Отгон, Даваа, Пүрэв, Баяр,
Жаргал, Ням, Лхагва, Цогт, Чулуун, Амар, Ариун, Бүрэн, Дэлгэр, Мягмар, Очир, Түмэн, Уран, Цэнд, Шинэ,
Хос, Билэг, Буян, Гэрэл, Дорж, Наран, Одон, Соёл`)
	mnMaleSecond = fields(`баатар, болд, бат, очир, сүх, тулга, дорж, эрдэнэ, жаргал, баяр, төгс, тогтох,
хүү, зориг, сайхан, мөнх, цогт, өлзий, хуяг, бямба`)
	mnFemaleSecond = fields(`цэцэг, туяа, заяа, маа, гэрэл, сайхан, чимэг, нар, сувд, тунгалаг, оюу, дулам,
жаргал, солонго, ундрах, эрдэнэ, тэгш, хишиг, одон, нандин`)
)

func mnCompose(first, second []string) []string {
	return compose(first, second, func(a, b string) string {
		if strings.HasSuffix(strings.ToLower(a), b) {
			return ""
		}
		return a + b
	})
}

// Nigerian: Edo, Yoruba and Igbo names are sentences or compounds:
// Osa (God) + -gie, Omo (child) + -regie; Ade (crown) + -wale, Olu
// (lord) + -wafemi; Chukwu (God) + -emeka, Chi + -nedu. Surnames are
// mostly such names of a forebear.
var (
	ngFirst  = fields(`Osa, Omo, Igbin, Ehi, Uwa, Eghe, Iye, Ose, Ade, Olu, Ola, Oluwa, Ayo, Fola, Bola, Chukwu, Chi, Uche, Nna, Obi, Ike, Ifeanyi, Ebe, Ogbe, Aigbo`)
	ngSecond = fields(`gie, ruyi, regie, dion, rodion, nosa, mwen, ze, yande, retin, diamen, wale, tunde, bayo, yemi, kunle, seun, femi, dayo, sola, emeka, nedu, di, ka, oma, ebuka, nna, chukwu, kachi, muyiwa`)
)

func ngCompose() []string {
	return compose(ngFirst, ngSecond, func(a, b string) string {
		return a + b
	})
}

func uaTail() []surname {
	return cyrSurnames(strings.Join(compose(uaRoots, uaSuffixes, uaJoin), ","), nil, ukSpell)
}

func roTail() []surname {
	return latSurnames(strings.Join(compose(roRoots, roSuffixes, roJoin), ","), ro)
}

func bgTail() []surname {
	return cyrSurnames(strings.Join(compose(bgRoots, bgSuffixes, bgJoin), ","), nil, bgSpell)
}

func mnGiven(second []string) []spelling {
	return cyrList(strings.Join(mnCompose(mnFirst, second), ","), nil, mnSpell)
}

func mnPatronymics() []surname {
	return cyrSurnames(strings.Join(mnCompose(mnFirst, mnMaleSecond), ","), nil, mnSpell)
}
