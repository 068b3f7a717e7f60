package anon

import "testing"

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		// Case, marks, spaces.
		{"Jana Nováková", "JANA NOVAKOVA"},
		{"  jana   NOVÁKOVÁ ", "JANA NOVAKOVA"},
		{"Jiří Dvořák", "JIRI DVORAK"},
		{"Růžena Šťastná", "RUZENA STASTNA"},
		{"Ňůďťě", "NUDTE"},
		{"Nguyễn Thị Lan", "NGUYEN THI LAN"},
		{"Đặng Văn Hùng", "DANG VAN HUNG"},
		{"Ștefan Țurcanu", "STEFAN TURCANU"}, // comma below
		{"Ştefan Ţurcanu", "STEFAN TURCANU"}, // cedilla
		{"Łukasz Wałęsa", "LUKASZ WALESA"},
		{"Jürgen Straße", "JURGEN STRASSE"},
		{"Søren Ærø", "SOREN AERO"},
		{"İsmail Yıldız", "ISMAIL YILDIZ"},
		{"ﬁlip", "FILIP"}, // compatibility ligature
		{"Ｊａｎ", "JAN"},    // full-width letters
		// Decomposed input equals precomposed input.
		{"Nova\u0301kova\u0301", "NOVAKOVA"},
		// Cyrillic.
		{"Олександр Шевченко", "OLEKSANDR SHEVCHENKO"},
		{"Юлія Ковальчук", "IULIIA KOVALCHUK"},
		{"Щербак", "SHCHERBAK"},
		{"Євген", "IEVHEN"},
		{"Ґрицько", "GRYTSKO"},
		{"Наталья", "NATALIA"},
		{"Ёлкин", "ELKYN"}, // И is Y (Ukrainian); Phonetic folds Y and I
		// Titles before and after, with and without dots and spaces.
		{"Ing. Jana Nováková, Ph.D.", "JANA NOVAKOVA"},
		{"MUDr.Petr Dvořák CSc.", "PETR DVORAK"},
		{"Mgr. et Mgr. Jan Novák", "JAN NOVAK"},
		{"prof. RNDr. Karel Havel, DrSc.", "KAREL HAVEL"},
		{"Bc. Eva Malá, DiS.", "EVA MALA"},
		{"JUDr. PhDr. Petr Král, MBA", "PETR KRAL"},
		{"doc. Ing. Jan Beneš", "JAN BENES"},
		{"Mr John Smith", "JOHN SMITH"},
		{"Mrs. Jane Smith", "JANE SMITH"},
		{"Ms Jane Smith", "JANE SMITH"},
		{"Miss Jane Smith", "JANE SMITH"},
		{"pan Jan Novák", "JAN NOVAK"},
		{"paní Jana Nováková", "JANA NOVAKOVA"},
		{"slečna Eva", "EVA"},
		{"Dr Ivan Petrov", "IVAN PETROV"},
		// Names that look like titles are kept.
		{"Pan", "PAN"},         // a Chinese surname alone
		{"Wei Pan", "WEI PAN"}, // not leading
		{"Doc Holliday", "DOC HOLLIDAY"},
		{"Doc. Holliday", "HOLLIDAY"},
		// Punctuation and apostrophes.
		{"O'Neil", "ONEIL"},
		{"D’Angelo", "DANGELO"},
		{"O´Neil", "ONEIL"}, // an acute accent typed as an apostrophe
		{"Mel'nyk", "MELNYK"},
		{"Novák-Svobodová", "NOVAK SVOBODOVA"},
		{"Novák (roz. Svobodová)", "NOVAK ROZ SVOBODOVA"},
		{"J.R.R. Tolkien", "J R R TOLKIEN"},
		{"Anna\tMarie\n", "ANNA MARIE"},
		{"Jan 2", "JAN 2"},
		// Nothing left.
		{"", ""},
		{"  ", ""},
		{"Ing.", ""},
		{"-.,;", ""},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := NormalizeName(tt.want); got != tt.want {
			t.Errorf("NormalizeName(NormalizeName(%q)) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSurnameBase(t *testing.T) {
	// Each group must share one base; the base is given.
	tests := []struct {
		base  string
		forms []string
	}{
		// -ová after a consonant.
		{"NOVAK", []string{"Novák", "Nováková", "NOVAKOVA", "novakova"}},
		{"DVORAK", []string{"Dvořák", "Dvořáková"}},
		{"ZEMAN", []string{"Zeman", "Zemanová"}},
		// -ová after a vowel stem: the masculine -A goes.
		{"SVOBOD", []string{"Svoboda", "Svobodová"}},
		{"PROCHAZK", []string{"Procházka", "Procházková"}},
		{"KUCER", []string{"Kučera", "Kučerová"}},
		// Adjectival surnames.
		{"NOVOTN", []string{"Novotný", "Novotná"}},
		{"CERN", []string{"Černý", "Černá"}},
		{"KREJC", []string{"Krejčí", "Krejčová"}},
		{"MAL", []string{"Malý", "Malá"}},
		{"NOV", []string{"Nový", "Nová"}},
		{"KOVALSK", []string{"Kovalský", "Kovalská", "Kovalski", "Kovalska", "Kovalskyi", "Kovalskij", "Kovalskaya", "Kovalskaja"}},
		{"PALACK", []string{"Palacký", "Palacká"}},
		{"CHMELNYCK", []string{"Chmelnyckyj", "Chmelnycká"}},
		// Fleeting e.
		{"HAJK", []string{"Hájek", "Hájková"}},
		{"NEMC", []string{"Němec", "Němcová"}},
		{"HAVL", []string{"Havel", "Havlová"}},
		{"SEDLACK", []string{"Sedláček", "Sedláčková"}},
		{"JELINK", []string{"Jelínek", "Jelínková"}},
		{"MARK", []string{"Marek", "Marková"}},
		// Russian and Bulgarian -ov/-ova, -ev/-eva.
		{"IVAN", []string{"Ivanov", "Ivanova"}},
		{"YVAN", []string{"Иванов", "Иванова"}}, // Phonetic makes it IVAN
		{"POP", []string{"Popov", "Popova", "Popovová"}},
		{"KOVAL", []string{"Kovalev", "Kovaleva"}},
		// Foreign surnames with a Czech -ová.
		{"KOVALENK", []string{"Kovalenko", "Kovalenková"}},
		{"NGUYEN", []string{"Nguyen", "Nguyễn", "Nguyenová"}},
		{"POPESC", []string{"Popescu", "Popescuová"}},
		// Short names are kept.
		{"LE", []string{"Lê", "Le"}},
		{"NGO", []string{"Ngô"}},
		{"BUI", []string{"Bùi"}},
		{"VU", []string{"Vũ"}},
		// Every word of a double surname.
		{"NOVAK SVOBOD", []string{"Nováková Svobodová", "Novák-Svoboda"}},
		{"", []string{"", "Ing."}},
	}
	for _, tt := range tests {
		for _, f := range tt.forms {
			if got := SurnameBase(f); got != tt.base {
				t.Errorf("SurnameBase(%q) = %q, want %q", f, got, tt.base)
			}
		}
	}
}

func TestPhonetic(t *testing.T) {
	// Each group is one name in several spellings; all must meet.
	groups := []struct {
		key   string
		names []string
	}{
		{"ALEKSANDR", []string{"Oleksandr", "Aleksandr", "Olexandr", "Alexandr", "Олександр", "Александр"}},
		{"IULIA", []string{"Yuliia", "Julija", "Yulia", "Iuliia", "Yuliya", "Julia", "Юлія", "Юлия"}},
		{"MICAILO", []string{"Mykhailo", "Michajlo", "Mychajlo", "Михайло"}},
		{"ALEKSI", []string{"Oleksii", "Oleksij", "Oleksiy", "Aleksei", "Alexey", "Alexej", "Олексій", "Алексей"}},
		{"SERGI", []string{"Serhii", "Serhij", "Serhiy", "Sergei", "Sergey", "Sergej", "Сергій"}},
		{"ANDRI", []string{"Andrii", "Andrij", "Andriy", "Andrei", "Andrey", "Andrej", "Андрій"}},
		{"EVGEN", []string{"Yevhen", "Jevhen", "Ievhen", "Evgen", "Євген"}},
		{"ALGA", []string{"Olha", "Olga", "Ольга"}},
		{"GALINA", []string{"Halyna", "Galyna", "Galina", "Галина"}},
		{"NATALIA", []string{"Nataliia", "Natalija", "Natalia", "Natalya", "Natalja", "Наталія", "Наталья"}},
		{"IRINA", []string{"Iryna", "Irina", "Ірина"}},
		{"DMITRO", []string{"Dmytro", "Dmitro", "Дмитро"}},
		{"IURI", []string{"Yurii", "Jurij", "Yuriy", "Iurii", "Юрій"}},
		{"VOLODIMIR", []string{"Volodymyr", "Wolodymyr", "Володимир"}},
		{"LIUDMILA", []string{"Liudmyla", "Ljudmyla", "Lyudmyla", "Людмила"}},
		{"ELIZAVETA", []string{"Yelyzaveta", "Jelyzaveta", "Ielyzaveta", "Elizaveta", "Єлизавета"}},
		{"KOVALENKO", []string{"Kovalenko", "Kowalenko", "Коваленко"}},
		{"SEVCENKO", []string{"Shevchenko", "Ševčenko", "Schewtschenko", "Szewczenko", "Ševčenko", "Шевченко"}},
		{"TKACENKO", []string{"Tkachenko", "Tkačenko", "Tkatschenko", "Ткаченко"}},
		{"CARCENKO", []string{"Kharchenko", "Charčenko", "Chartschenko", "Харченко"}},
		{"SERBAK", []string{"Shcherbak", "Ščerbak", "Schtscherbak", "Szczerbak", "Щербак"}},
		{"ZURAVEL", []string{"Zhuravel", "Žuravel", "Журавель"}},
		{"ZUK", []string{"Zhuk", "Žuk", "Жук"}},
		{"CIGANENKO", []string{"Tsyhanenko", "Cyhanenko", "Цыганенко"}},
		{"IAKOVENKO", []string{"Yakovenko", "Jakovenko", "Iakovenko", "Яковенко"}},
		{"MELNIK", []string{"Melnyk", "Melnik", "Mel'nyk", "Мельник"}},
		{"BOIKO", []string{"Boiko", "Bojko", "Boyko", "Бойко"}},
		// Vietnamese and Romanian: marks only.
		{"NGUEN", []string{"Nguyễn", "Nguyen", "NGUYEN"}},
		{"TILAN", []string{"Thị Lan", "Thi Lan"}},
		{"STEFAN", []string{"Ștefan", "Ştefan", "Stefan"}},
		{"TURCANU", []string{"Țurcanu", "Ţurcanu", "Turcanu"}},
		// Czech.
		{"IANA", []string{"Jana", "Yana", "Iana", "Яна"}},
		{"ANA", []string{"Anna", "Ana"}},
	}
	for _, g := range groups {
		for _, name := range g.names {
			if got := Phonetic(name); got != g.key {
				t.Errorf("Phonetic(%q) = %q, want %q", name, got, g.key)
			}
		}
	}
}

func TestPhoneticRules(t *testing.T) {
	// One rule a row, on a word built to show it alone.
	tests := []struct{ in, want string }{
		{"SHCHA", "SA"}, {"SZCZA", "SA"}, {"SCA", "SA"},
		{"TSCHA", "CA"}, {"TCHA", "CA"}, {"CZA", "CA"}, {"CSA", "CA"},
		{"SCHA", "SA"}, {"SZA", "SA"}, {"SHA", "SA"},
		{"ZHA", "ZA"}, {"ZSA", "ZA"},
		{"CHA", "CA"}, {"KHA", "CA"}, {"TSA", "CA"}, {"TZA", "CA"},
		{"HA", "GA"}, {"GA", "GA"},
		{"YA", "IA"}, {"JA", "IA"}, {"BYT", "BIT"},
		{"XA", "KSA"}, {"WA", "VA"}, {"QA", "KA"}, {"PHA", "FA"}, {"THA", "TA"}, {"GHA", "GA"},
		{"ANNA", "ANA"}, {"MASSA", "MASA"},
		{"BIE", "BE"}, {"BYE", "BE"}, {"BJE", "BE"},
		{"BEI", "BI"}, {"BEY", "BI"}, {"BEJ", "BI"},
		{"OLA", "ALA"},
		{"JAN NOVAK", "IANNOVAK"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Phonetic(tt.in); got != tt.want {
			t.Errorf("Phonetic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
