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

func roAll(names ...string) []spelling {
	out := make([]spelling, len(names))
	for i, n := range names {
		out[i] = ro(n)
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
var cultures = []*culture{czech, ukrainian, vietnamese, romanian, slovak, bulgarian, nigerian, filipino, mongolian}

var czech = &culture{
	code: "cz", citizenship: "CZ", weight: 22, femaleShare: 0.70, ova: true,
	male: latAll("Jan", "Petr", "Jiří", "Tomáš", "Lukáš", "Martin", "Josef", "Václav", "Jaroslav", "Miroslav",
		"Zdeněk", "Ondřej", "Jakub", "Vojtěch", "Radek", "Michal", "František", "Dominik"),
	female: latAll("Jana", "Marie", "Eva", "Hana", "Lenka", "Kateřina", "Lucie", "Petra", "Věra", "Alena",
		"Tereza", "Zuzana", "Markéta", "Šárka", "Veronika", "Michaela", "Nikola", "Denisa"),
	surnames: []surname{
		pair("Novák", "Nováková"), pair("Svoboda", "Svobodová"), pair("Novotný", "Novotná"),
		pair("Dvořák", "Dvořáková"), pair("Černý", "Černá"), pair("Procházka", "Procházková"),
		pair("Kučera", "Kučerová"), pair("Veselý", "Veselá"), pair("Horák", "Horáková"),
		pair("Němec", "Němcová"), pair("Pokorný", "Pokorná"), pair("Marek", "Marková"),
		pair("Pospíšil", "Pospíšilová"), pair("Hájek", "Hájková"), pair("Jelínek", "Jelínková"),
		pair("Král", "Králová"), pair("Růžička", "Růžičková"), pair("Beneš", "Benešová"),
		pair("Fiala", "Fialová"), pair("Sedláček", "Sedláčková"), pair("Doležal", "Doležalová"),
		pair("Zeman", "Zemanová"), pair("Kolář", "Kolářová"), pair("Navrátil", "Navrátilová"),
		pair("Čermák", "Čermáková"), pair("Horváth", "Horváthová"), pair("Lakatoš", "Lakatošová"),
		pair("Baláž", "Balážová"), pair("Šarközi", "Šarköziová"), pair("Kotlár", "Kotlárová"),
		pair("Dušek", "Dušková"), pair("Vondráček", "Vondráčková"), pair("Štěpánek", "Štěpánková"),
	},
}

var slovak = &culture{
	code: "sk", citizenship: "SK", weight: 7, femaleShare: 0.60, ova: true,
	male:   latAll("Ján", "Peter", "Martin", "Marek", "Jozef", "Štefan", "Ľubomír", "Miroslav", "Tibor", "Milan"),
	female: latAll("Mária", "Zuzana", "Katarína", "Lucia", "Ľubica", "Jana", "Monika", "Veronika", "Silvia"),
	surnames: []surname{
		pair("Horváth", "Horváthová"), pair("Kováč", "Kováčová"), pair("Varga", "Vargová"),
		pair("Tóth", "Tóthová"), pair("Nagy", "Nagyová"), pair("Baláž", "Balážová"),
		pair("Molnár", "Molnárová"), pair("Szabó", "Szabóová"), pair("Lukáč", "Lukáčová"),
		pair("Oravec", "Oravcová"), pair("Kollár", "Kollárová"), pair("Gažo", "Gažová"),
		pair("Šándor", "Šándorová"),
	},
}

var ukrainian = &culture{
	code: "ua", citizenship: "UA", weight: 24, femaleShare: 0.58,
	male: []spelling{
		cyr("Олександр", "Oleksandr", "Oleksandr", "Aleksandr", "Olexandr", "Oleksander"),
		cyr("Андрій", "Andrii", "Andrij", "Andriy", "Andrei", "Andrej"),
		cyr("Сергій", "Serhii", "Serhij", "Serhiy", "Sergii", "Sergej", "Sergiy"),
		cyr("Дмитро", "Dmytro", "Dmytro", "Dmitro", "Dmitrij"),
		cyr("Володимир", "Volodymyr", "Volodymyr", "Volodimir", "Vladimir"),
		cyr("Микола", "Mykola", "Mykola", "Mikola", "Nikolaj"),
		cyr("Іван", "Ivan"),
		cyr("Юрій", "Yurii", "Jurij", "Yuriy", "Iurii", "Yuri"),
		cyr("Василь", "Vasyl", "Vasyl", "Vasil", "Vasilij", "Wasyl"),
		cyr("Віталій", "Vitalii", "Vitalij", "Vitaliy", "Vitaly"),
		cyr("Богдан", "Bohdan", "Bohdan", "Bogdan"),
		cyr("Тарас", "Taras"),
	},
	female: []spelling{
		cyr("Юлія", "Yuliia", "Julija", "Yulia", "Iuliia", "Julia", "Yuliya"),
		cyr("Олена", "Olena", "Olena", "Elena", "Alena"),
		cyr("Наталія", "Nataliia", "Natalija", "Natalia", "Nataliya", "Natalya"),
		cyr("Оксана", "Oksana"),
		cyr("Тетяна", "Tetiana", "Tetjana", "Tetyana", "Tatiana", "Teťana"),
		cyr("Ірина", "Iryna", "Iryna", "Irina"),
		cyr("Світлана", "Svitlana", "Svitlana", "Svetlana"),
		cyr("Ганна", "Hanna", "Hanna", "Anna", "Ganna"),
		cyr("Марія", "Mariia", "Marija", "Maria", "Mariya"),
		cyr("Катерина", "Kateryna", "Kateryna", "Katerina", "Kateřina"),
		cyr("Людмила", "Liudmyla", "Ljudmyla", "Lyudmyla", "Ludmila", "Lyudmila"),
		cyr("Вікторія", "Viktoriia", "Viktorija", "Viktoriya", "Viktoria", "Victoria"),
		cyr("Анастасія", "Anastasiia", "Anastasija", "Anastasiya", "Anastasia"),
	},
	surnames: []surname{
		one(cyr("Коваленко", "Kovalenko")),
		one(cyr("Шевченко", "Shevchenko", "Ševčenko", "Schewtschenko", "Sevcenko", "Shevtchenko")),
		one(cyr("Бондаренко", "Bondarenko")),
		one(cyr("Ткаченко", "Tkachenko", "Tkačenko", "Tkatchenko")),
		one(cyr("Кравченко", "Kravchenko", "Kravčenko")),
		one(cyr("Олійник", "Oliinyk", "Olijnyk", "Oliynyk", "Olejnik")),
		one(cyr("Мельник", "Melnyk", "Melnyk", "Melnik", "Mel'nyk")),
		one(cyr("Шевчук", "Shevchuk", "Ševčuk", "Shevchuck")),
		one(cyr("Поліщук", "Polishchuk", "Poliščuk", "Polischuk", "Polyshchuk")),
		one(cyr("Бойко", "Boiko", "Bojko", "Boyko")),
		one(cyr("Ковальчук", "Kovalchuk", "Kovalčuk", "Koval'chuk")),
		one(cyr("Гончаренко", "Honcharenko", "Hončarenko", "Goncharenko")),
		one(cyr("Савченко", "Savchenko", "Savčenko")),
		one(cyr("Руденко", "Rudenko")),
		one(cyr("Лисенко", "Lysenko", "Lysenko", "Lisenko")),
		one(cyr("Марченко", "Marchenko", "Marčenko")),
		one(cyr("Петренко", "Petrenko")),
		one(cyr("Захарченко", "Zakharchenko", "Zacharčenko", "Zaharchenko")),
		one(cyr("Кузьменко", "Kuzmenko", "Kuzmenko", "Kuz'menko")),
		one(cyr("Гнатюк", "Hnatiuk", "Hnatjuk", "Hnatyuk", "Gnatyuk")),
		{cyr("Ковальський", "Kovalskyi", "Kovalskyj", "Kovalskiy", "Kowalski"), cyr("Ковальська", "Kovalska", "Kovalska", "Kovalskaya")},
		{cyr("Попов", "Popov"), cyr("Попова", "Popova")},
	},
}

var bulgarian = &culture{
	code: "bg", citizenship: "BG", weight: 5, femaleShare: 0.65,
	male: []spelling{
		cyr("Георги", "Georgi", "Georgi", "Gueorgui"),
		cyr("Иван", "Ivan"),
		cyr("Димитър", "Dimitar", "Dimitar", "Dimitur", "Dimităr"),
		cyr("Петър", "Petar", "Petar", "Petur"),
		cyr("Николай", "Nikolay", "Nikolaj", "Nikolai"),
		cyr("Стефан", "Stefan"),
		cyr("Христо", "Hristo", "Christo", "Khristo"),
		cyr("Асен", "Asen", "Asen", "Assen"),
	},
	female: []spelling{
		cyr("Мария", "Maria", "Marija"),
		cyr("Елена", "Elena"),
		cyr("Йорданка", "Yordanka", "Jordanka"),
		cyr("Десислава", "Desislava"),
		cyr("Цветелина", "Tsvetelina", "Cvetelina", "Tzvetelina"),
		cyr("Гергана", "Gergana"),
		cyr("Радка", "Radka"),
		cyr("Снежана", "Snezhana", "Sněžana", "Snejana", "Snezana"),
	},
	surnames: []surname{
		{cyr("Иванов", "Ivanov"), cyr("Иванова", "Ivanova")},
		{cyr("Петров", "Petrov"), cyr("Петрова", "Petrova")},
		{cyr("Георгиев", "Georgiev", "Georgijev"), cyr("Георгиева", "Georgieva", "Georgijeva")},
		{cyr("Димитров", "Dimitrov"), cyr("Димитрова", "Dimitrova")},
		{cyr("Стоянов", "Stoyanov", "Stojanov", "Stoianov"), cyr("Стоянова", "Stoyanova", "Stojanova", "Stoianova")},
		{cyr("Христов", "Hristov", "Christov", "Khristov"), cyr("Христова", "Hristova", "Christova", "Khristova")},
		{cyr("Тодоров", "Todorov"), cyr("Тодорова", "Todorova")},
		{cyr("Асенов", "Asenov", "Asenov", "Assenov"), cyr("Асенова", "Asenova", "Asenova", "Assenova")},
		{cyr("Костадинов", "Kostadinov"), cyr("Костадинова", "Kostadinova")},
		{cyr("Младенов", "Mladenov"), cyr("Младенова", "Mladenova")},
	},
}

var mongolian = &culture{
	code: "mn", citizenship: "MN", weight: 4, femaleShare: 0.60,
	male: []spelling{
		cyr("Батбаяр", "Batbayar", "Batbajar", "Batbaiar"),
		cyr("Ганбаатар", "Ganbaatar", "Ganbátar", "Ganbatar"),
		cyr("Мөнхбат", "Munkhbat", "Mönchbat", "Monkhbat", "Munchbat"),
		cyr("Болд", "Bold"),
		cyr("Тэмүүлэн", "Temuulen", "Temüülen"),
		cyr("Баярсайхан", "Bayarsaikhan", "Bajarsajchan", "Bayarsaihan"),
	},
	female: []spelling{
		cyr("Энхтуяа", "Enkhtuya", "Enchtujá", "Enkhtuyaa", "Enkhtuia"),
		cyr("Сарангэрэл", "Sarangerel"),
		cyr("Оюунчимэг", "Oyunchimeg", "Ojunčimeg", "Oyuunchimeg"),
		cyr("Туяа", "Tuya", "Tujá", "Tuyaa"),
		cyr("Нарангэрэл", "Narangerel"),
		cyr("Болормаа", "Bolormaa", "Bolormá"),
		cyr("Алтанцэцэг", "Altantsetseg", "Altancceg", "Altantsetsek"),
	},
	// Mongolians are known by a patronymic and a given name; partner
	// files put the patronymic in the surname column, or swap the two.
	surnames: []surname{
		one(cyr("Дорж", "Dorj", "Dorž", "Dorzh")),
		one(cyr("Ганболд", "Ganbold")),
		one(cyr("Энхбаяр", "Enkhbayar", "Enchbajar", "Enkhbaiar")),
		one(cyr("Бат-Эрдэнэ", "Bat-Erdene")),
		one(cyr("Цэрэн", "Tseren", "Ceren", "Tzeren")),
		one(cyr("Пүрэв", "Purev", "Pürev", "Pürew")),
		one(cyr("Гантулга", "Gantulga")),
		one(cyr("Батсүх", "Batsukh", "Batsüch", "Batsuh")),
	},
}

var vietnamese = &culture{
	code: "vn", citizenship: "VN", weight: 12, femaleShare: 0.48, familyFirst: true,
	male: vnAll("Minh", "Hùng", "Dũng", "Tuấn", "Long", "Nam", "Hải", "Quang", "Thắng", "Sơn", "Cường", "Hiếu"),
	female: vnAll("Lan", "Hương", "Thảo", "Hoa", "Linh", "Trang", "Phương", "Anh", "Hằng", "Mai", "Ngọc",
		"Huyền", "Nhung"),
	middleMale: vnAll("Văn", "Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Thanh"),
	middleFem:  vnAll("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim"),
	surnames: []surname{
		one(vn("Nguyễn")), one(vn("Nguyễn")), one(vn("Nguyễn")), one(vn("Trần")), one(vn("Trần")),
		one(vn("Lê")), one(vn("Phạm")), one(vn("Hoàng")), one(vn("Huỳnh")), one(vn("Phan")),
		one(vn("Vũ")), one(vn("Võ")), one(vn("Đặng")), one(vn("Bùi")), one(vn("Đỗ")), one(vn("Hồ")),
		one(vn("Ngô")), one(vn("Dương")),
	},
}

var romanian = &culture{
	code: "ro", citizenship: "RO", weight: 9, femaleShare: 0.60,
	male: roAll("Ștefan", "Ion", "Gheorghe", "Constantin", "Andrei", "Mihai", "Florin", "Marius", "Adrian",
		"Cătălin", "Ionuț", "Vasile", "Costel"),
	female: roAll("Maria", "Elena", "Ioana", "Andreea", "Mihaela", "Florentina", "Ștefania", "Alexandra",
		"Georgiana", "Daniela", "Nicoleta", "Lăcrămioara"),
	surnames: func() []surname {
		var out []surname
		for _, s := range roAll("Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Constantin", "Stoica",
			"Munteanu", "Ștefănescu", "Lungu", "Rădulescu", "Țurcanu", "Mureșan", "Băluță", "Căldăraru",
			"Gheorghe", "Rusu", "Ciobanu") {
			out = append(out, one(s))
		}
		return out
	}(),
}

var nigerian = &culture{
	code: "ng", citizenship: "NG", weight: 4, femaleShare: 0.88,
	male: latAll("Chukwuemeka", "Oluwaseun", "Emeka", "Tunde", "Ikechukwu", "Samuel", "Osagie", "Uyi"),
	female: latAll("Blessing", "Joy", "Precious", "Favour", "Gift", "Patience", "Mercy", "Esther", "Osas",
		"Efe", "Ivie"),
	surnames: func() []surname {
		var out []surname
		for _, s := range latAll("Okafor", "Adeyemi", "Okonkwo", "Eze", "Osagie", "Igbinedion", "Obaseki",
			"Ogbonna", "Omoregie", "Ehigiator", "Osaretin", "Idahosa", "Aigbe", "Uwadiae") {
			out = append(out, one(s))
		}
		return out
	}(),
}

var filipino = &culture{
	code: "ph", citizenship: "PH", weight: 5, femaleShare: 0.70,
	male:   latAll("Jose", "Rodel", "Ramon", "Mark Anthony", "Reynaldo", "Jun", "Arnel"),
	female: latAll("Maria Cristina", "Jocelyn", "Rowena", "Marilou", "Lorna", "Analyn", "Maricel", "Rosalie", "Jennifer"),
	surnames: []surname{
		one(lat("Santos")), one(lat("Reyes")), one(lat("Cruz")), one(lat("Bautista")),
		one(lat("Dela Cruz", "Dela Cruz", "De la Cruz", "Delacruz", "De La Cruz")),
		one(lat("Garcia")), one(lat("Mendoza")), one(lat("Villanueva")), one(lat("Aquino")),
		one(lat("Ramos")), one(lat("Dela Peña", "Dela Peña", "Dela Pena", "De la Peña")),
		one(lat("Manalo")), one(lat("Macaraeg")),
	},
}
