package anon

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// A name is every spelling one name gets in partners' files: the first
// is the one a careful source writes, the others come from other
// transliteration systems, languages or Cyrillic itself. A surname may
// also have a feminine form (fem) that the same woman is known by.
type name struct {
	spellings []string
	fem       []string // feminine spellings; nil when the name does not inflect
}

func spell(s ...string) name { return name{spellings: s} }

// cz makes a Czech surname with its -ová or adjectival feminine.
func cz(masc, fem string) name { return name{spellings: []string{masc}, fem: []string{fem}} }

type origin struct {
	cit      string
	surnames []name
	male     []name
	female   []name
}

var origins = []origin{
	{
		cit: "CZ",
		surnames: []name{
			cz("Novák", "Nováková"), cz("Svoboda", "Svobodová"), cz("Novotný", "Novotná"),
			cz("Dvořák", "Dvořáková"), cz("Černý", "Černá"), cz("Procházka", "Procházková"),
			cz("Kučera", "Kučerová"), cz("Veselý", "Veselá"), cz("Horák", "Horáková"),
			cz("Němec", "Němcová"), cz("Pokorný", "Pokorná"), cz("Marek", "Marková"),
			cz("Pospíšil", "Pospíšilová"), cz("Hájek", "Hájková"), cz("Jelínek", "Jelínková"),
			cz("Král", "Králová"), cz("Růžička", "Růžičková"), cz("Beneš", "Benešová"),
			cz("Fiala", "Fialová"), cz("Sedláček", "Sedláčková"), cz("Doležal", "Doležalová"),
			cz("Zeman", "Zemanová"), cz("Kolář", "Kolářová"), cz("Navrátil", "Navrátilová"),
			cz("Čermák", "Čermáková"), cz("Krejčí", "Krejčová"), cz("Havel", "Havlová"),
			cz("Malý", "Malá"), cz("Vaněk", "Vaňková"), cz("Šimek", "Šimková"),
		},
		male: []name{
			spell("Jan"), spell("Petr"), spell("Tomáš"), spell("Jiří"), spell("Pavel"), spell("Martin"), spell("Josef"),
			spell("Jaroslav"), spell("Miroslav"), spell("Lukáš"), spell("Ondřej"), spell("Jakub"), spell("David"),
		},
		female: []name{
			spell("Jana"), spell("Marie"), spell("Eva"), spell("Lucie"), spell("Kateřina"), spell("Tereza"),
			spell("Lenka"), spell("Veronika"), spell("Michaela"), spell("Petra"), spell("Hana"), spell("Zuzana"),
		},
	},
	{
		cit: "UA",
		surnames: []name{
			spell("Shevchenko", "Ševčenko", "Schewtschenko", "Szewczenko", "Шевченко"),
			spell("Kovalenko", "Kowalenko", "Коваленко"),
			spell("Bondarenko", "Бондаренко"),
			spell("Tkachenko", "Tkačenko", "Tkatschenko", "Ткаченко"),
			spell("Kravchenko", "Kravčenko", "Krawtschenko", "Кравченко"),
			spell("Melnyk", "Melnik", "Mel'nyk", "Мельник"),
			spell("Kovalchuk", "Kovalčuk", "Kowaltschuk", "Ковальчук"),
			spell("Boiko", "Bojko", "Boyko", "Бойко"),
			spell("Tkachuk", "Tkačuk", "Tkatschuk", "Ткачук"),
			spell("Kharchenko", "Charčenko", "Chartschenko", "Харченко"),
			spell("Marchenko", "Marčenko", "Martschenko", "Марченко"),
			spell("Savchenko", "Savčenko", "Sawtschenko", "Савченко"),
			spell("Zhuk", "Žuk", "Жук"),
			spell("Khmelnytskyi", "Chmelnyckyj", "Хмельницький"),
			spell("Zhuravel", "Žuravel", "Журавель"),
			spell("Yakovenko", "Jakovenko", "Iakovenko", "Яковенко"),
			spell("Shcherbak", "Ščerbak", "Schtscherbak", "Щербак"),
		},
		male: []name{
			spell("Oleksandr", "Olexandr", "Олександр"),
			spell("Mykhailo", "Michajlo", "Михайло"),
			spell("Serhii", "Serhij", "Serhiy", "Сергій"),
			spell("Andrii", "Andrij", "Andriy", "Андрій"),
			spell("Yevhen", "Jevhen", "Ievhen", "Євген"),
			spell("Dmytro", "Dmitro", "Дмитро"),
			spell("Yurii", "Jurij", "Yuriy", "Юрій"),
			spell("Oleksii", "Oleksij", "Oleksiy", "Олексій"),
			spell("Volodymyr", "Wolodymyr", "Володимир"),
			spell("Vasyl", "Wasyl", "Василь"),
		},
		female: []name{
			spell("Yuliia", "Julija", "Yulia", "Iuliia", "Юлія"),
			spell("Olha", "Olga", "Ольга"),
			spell("Nataliia", "Natalija", "Natalia", "Наталія"),
			spell("Iryna", "Irina", "Ірина"),
			spell("Tetiana", "Tetjana", "Tetyana", "Тетяна"),
			spell("Oksana", "Оксана"),
			spell("Kateryna", "Katerina", "Катерина"),
			spell("Viktoriia", "Viktorija", "Viktoria", "Вікторія"),
			spell("Halyna", "Galyna", "Галина"),
			spell("Liudmyla", "Ljudmyla", "Lyudmyla", "Людмила"),
		},
	},
	{
		cit: "VN",
		surnames: []name{
			spell("Nguyễn", "Nguyen"), spell("Trần", "Tran"), spell("Lê", "Le"), spell("Phạm", "Pham"),
			spell("Hoàng", "Hoang"), spell("Vũ", "Vu"), spell("Đặng", "Dang"), spell("Bùi", "Bui"),
			spell("Đỗ", "Do"), spell("Ngô", "Ngo"),
		},
		male: []name{
			spell("Văn Nam", "Van Nam"), spell("Minh Tuấn", "Minh Tuan"), spell("Văn Hùng", "Van Hung"),
			spell("Đức Anh", "Duc Anh"), spell("Quang Huy", "Quang Huy"), spell("Thanh Sơn", "Thanh Son"),
		},
		female: []name{
			spell("Thị Lan", "Thi Lan"), spell("Thị Hương", "Thi Huong"), spell("Thu Trang", "Thu Trang"),
			spell("Thị Mai", "Thi Mai"), spell("Ngọc Anh", "Ngoc Anh"), spell("Thị Hoa", "Thi Hoa"),
		},
	},
	{
		cit: "RO",
		surnames: []name{
			spell("Popescu"), spell("Ionescu"), spell("Țurcanu", "Ţurcanu", "Turcanu"), spell("Munteanu"),
			spell("Ștefănescu", "Ştefănescu", "Stefanescu"), spell("Rusu"), spell("Constantinescu"),
			spell("Dumitru"), spell("Stoica"),
		},
		male: []name{
			spell("Ștefan", "Ştefan", "Stefan"), spell("Mihai"), spell("Gheorghe"), spell("Andrei"),
			spell("Alexandru"), spell("Ionuț", "Ionuţ", "Ionut"),
		},
		female: []name{
			spell("Ioana"), spell("Andreea"), spell("Elena"), spell("Mihaela"), spell("Cristina"),
			spell("Alexandra"),
		},
	},
}

// synthPerson is a generated person: the truth from which records of
// several sources are written.
type synthPerson struct {
	origin  *origin
	surname name
	given   name
	female  bool
	birth   Date
}

func randomPerson(r *rand.Rand) synthPerson {
	o := &origins[r.IntN(len(origins))]
	p := synthPerson{origin: o, female: r.IntN(2) == 0}
	p.surname = o.surnames[r.IntN(len(o.surnames))]
	if p.female {
		p.given = o.female[r.IntN(len(o.female))]
	} else {
		p.given = o.male[r.IntN(len(o.male))]
	}
	p.birth = randomDate(r, 1960, 2010)
	return p
}

func randomDate(r *rand.Rand, from, to int) Date {
	y := from + r.IntN(to-from+1)
	m := 1 + r.IntN(12)
	return Date{y, m, 1 + r.IntN(daysIn(y, m))}
}

// record writes the person as a careful source would: first spellings,
// the feminine surname for a Czech woman.
func (p synthPerson) record() Person {
	sex := "M"
	if p.female {
		sex = "F"
	}
	return Person{
		Surname:     p.surnameSpellings()[0],
		Given:       p.given.spellings[0],
		BirthDate:   p.birth,
		Sex:         sex,
		Citizenship: p.origin.cit,
	}
}

func (p synthPerson) surnameSpellings() []string {
	if p.female && p.surname.fem != nil {
		return p.surname.fem
	}
	return p.surname.spellings
}

// stripMarks removes diacritics but keeps case, as a source typing
// without a Czech keyboard does.
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// typo makes one random edit to s: substitute, delete, insert or
// transpose one character (letters only are inserted or substituted).
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 2 {
		return s + "x"
	}
	i := r.IntN(len(rs))
	letter := rune('a' + r.IntN(26))
	switch r.IntN(4) {
	case 0:
		if rs[i] == letter || unicode.ToLower(rs[i]) == letter {
			letter = 'q'
		}
		rs[i] = letter
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	case 2:
		rs = append(rs[:i], append([]rune{letter}, rs[i:]...)...)
	default:
		if i == len(rs)-1 {
			i--
		}
		rs[i], rs[i+1] = rs[i+1], rs[i]
	}
	return string(rs)
}

// dateTypo changes one digit of one part of a full date and returns a
// valid date that differs, and which part it changed.
func dateTypo(r *rand.Rand, d Date) (Date, string) {
	for {
		t := d
		part := []string{"year", "month", "day"}[r.IntN(3)]
		switch part {
		case "year":
			digit := []int{1, 10}[r.IntN(2)] // a mistyped last or tens digit
			t.Y = t.Y - (t.Y/digit%10)*digit + r.IntN(10)*digit
		case "month":
			t.M = changeDigit(r, t.M)
		case "day":
			t.D = changeDigit(r, t.D)
		}
		if t != d && t.Valid() && t.Full() {
			return t, part
		}
	}
}

func changeDigit(r *rand.Rand, v int) int {
	if r.IntN(2) == 0 {
		return v/10*10 + r.IntN(10)
	}
	return r.IntN(4)*10 + v%10
}
