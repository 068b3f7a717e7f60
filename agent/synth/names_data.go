package synth

// The name lists, each from the commonest name down (see names.go for the
// shares and their sources). Lists are written one or more names to a
// line, separated by commas; a Czech or Slovak entry "m/f" gives an
// irregular feminine form.

var czSurnames = ovaPairs(`
Novák, Svoboda, Novotný, Dvořák, Černý, Procházka, Kučera, Veselý, Horák, Němec,
Marek, Pospíšil, Pokorný, Hájek, Král, Jelínek, Růžička, Beneš, Fiala, Sedláček,
Doležal, Zeman, Kolář, Navrátil, Čermák, Vaněk, Urban, Blažek, Kříž, Kovář,
Kratochvíl, Bartoš, Vlček, Polák, Musil, Kopecký, Šimek, Konečný, Horváth, Malý,
Holub, Čech, Štěpánek, Staněk, Kadlec/Kadlecová, Dostál, Soukup, Šťastný, Mareš, Moravec,
Sýkora, Tichý, Valenta, Vávra, Matoušek, Říha, Bláha, Šebesta, Ševčík, Hruška,
Mašek, Dušek, Pavlík, Janda, Hrubý, Mach, Müller, Havlíček, Brož, Bureš,
Beran, Tůma, Vacek, Skála, Lakatoš, Hrdina, Zelenka, Jaroš, Adámek, Krejčí/Krejčová,
Šindelář, Toman, Kubát, Pešek, Hanák, Holý, Slavík, Štěpán, Bednář, Charvát,
Koubek, Vondra, Baláž, Řezníček, Kazda, Matějka, Hron, Havel/Havlová, Dvořáček, Sláma,
Kos, Bárta, Klíma, Hladík, Lukeš, Mráz, Kubík, Dudek, Zelený, Kovařík,
Hudec, Šíma, Vybíral, Brabec, Strnad, Pražák, Macháček, Koudelka, Kočí/Kočová, Chalupa,
Kalina, Tesař, Šafář, Kozák, Votava, Vaníček, Trnka, Škoda, Hora, Linhart,
Kotlár, Kafka, Lorenc, Kašpar, Vítek, Rada, Burian, Šulc, Cibulka, Fišer,
Zach, Mikeš, Tvrdík, Plachý, Jirásek, Nedvěd, Žák, Vrba, Ondráček, Holeček,
Šarközi/Šarköziová, Kubala, Fojtík, Urbánek, Bílek, Hlaváček, Hlaváč, Horáček, Janeček, Jeřábek,
Klimeš, Kocourek, Krátký, Krejčík, Kunc, Lacina, Lang, Macek, Malina, Matějíček,
Oláh, Mička, Mikula, Mojžíš, Nový, Pánek, Pecha, Petřík, Polívka, Prokop, Přibyl,
Richter, Rous, Rychlý, Řehák, Řezáč, Sedlák, Skořepa, Slanina, Smetana, Sochor,
Stejskal, Svatoš, Šebek, Šilhavý, Šimůnek, Šmíd, Šmejkal, Špaček, Tomek, Trojan,
Giňa, Tuček, Uher, Valášek, Vlach, Volf, Vondráček, Vrána, Zábranský, Zahradník, Zajíc,
Zedník, Zemánek, Zima, Žižka, Bednařík, Bělohlávek, Beránek, Boháč, Brázda, Čada,
Červeňák, Čapek, David, Diviš, Drábek, Dvorský, Formánek, Fučík, Gregor, Hampl, Hanzlík,
Hašek, Havránek, Heřman, Hlavatý, Holan, Homola, Hošek, Houška, Hrabal, Hudeček,
Dužda, Chmelař, Chvátal, Jakoubek, Janák, Jech, Ježek, Jindra, Jirka, Kabát, Kaiser,
Kalous, Karásek, Kavka, Klein, Kohout, Kopal, Koukal, Kovanda, Kozel/Kozlová, Krupička,
Tancoš, Kuchař, Kulhánek, Kupka, Kysela, Láska, Ledvina, Levý, Liška, Martínek, Medek,
Mládek, Mrázek, Mucha, Nečas, Nosek, Ondra, Oliva, Pavlíček, Pech, Pelc, Peterka,
Demeter, Pilař, Pospíchal, Rak, Resl, Roubíček, Sadílek, Sedlář, Seidl, Sekera, Skalický,
Slabý, Slezák, Sojka, Souček, Stárek, Stehlík, Straka, Suchý, Svačina, Šlechta,
Rigo, Šourek, Šrámek, Štícha, Švec, Tkáč, Trávníček, Vaculík, Večeřa, Vejvoda, Vlasák,
Vodička, Vojta, Vosátka, Vrabec, Vydra, Wagner, Zbořil, Zelinka, Zikmund, Zouhar, Žáček,
Ferko, Danihel, Kandráč, Gábor, Sivák, Duda, Berger, Hofman, Kubíček, Lukáš, Paleček,
Petrák, Pytlík, Rejman, Roztočil, Sedlmajer/Sedlmajerová, Sládek, Stibor, Šafránek, Tomášek
`)

var czMale = latAll(fields(`
Jan, Jiří, Petr, Tomáš, Martin, Pavel, Jakub, Lukáš, Michal, David,
Josef, Ondřej, Jaroslav, Miroslav, Vojtěch, Filip, Adam, Milan, Zdeněk, František,
Václav, Karel, Daniel, Roman, Radek, Marek, Vladimír, Matěj, Dominik, Stanislav,
Antonín, Libor, Aleš, Vít, Patrik, Ladislav, Robert, Marcel, Jaromír, Richard,
Vlastimil, Ivan, Kamil, Luboš, Oldřich, Rudolf, Dušan, Igor, Zbyněk, Štěpán,
Šimon, Viktor, René, Radim, Bohumil, Jindřich, Erik, Denis, Leoš, Jozef,
Ludvík, Lubomír, Přemysl, Bohuslav, Kryštof, Sebastián, Matyáš, Alois, Vladislav, Eduard
`)...)

var czFemale = latAll(fields(`
Jana, Petra, Lucie, Kateřina, Tereza, Veronika, Martina, Michaela, Lenka, Eva,
Hana, Marie, Markéta, Barbora, Kristýna, Zuzana, Monika, Andrea, Pavla, Klára,
Nikola, Denisa, Simona, Alena, Ivana, Adéla, Anna, Gabriela, Eliška, Iveta,
Věra, Dana, Jitka, Šárka, Romana, Vladimíra, Pavlína, Karolína, Natálie, Aneta,
Kamila, Radka, Renata, Miroslava, Dagmar, Helena, Ludmila, Jarmila, Zdeňka, Daniela,
Olga, Irena, Blanka, Vendula, Sabina, Dominika, Nela, Vanda, Sandra, Jaroslava,
Libuše, Magdaléna, Soňa, Silvie, Bohumila, Drahomíra, Stanislava, Kristina, Jiřina, Žaneta
`)...)

var skSurnames = ovaPairs(`
Horváth, Kováč, Varga, Tóth, Nagy, Baláž, Szabó, Molnár, Balog, Lukáč,
Novák, Kováčik, Polák, Kollár, Németh, Oravec, Gajdoš, Hudák, Farkaš, Mészáros,
Šimko, Marek, Čonka, Urban, Kuruc, Bartoš, Kráľ, Gábor, Kušnír, Lacko,
Jurčo, Krajčír, Sloboda, Novotný, Kolesár, Fedor, Mikuláš, Michalík, Ondrejka, Gažo,
Šándor, Pavlík, Hruška, Vojtek, Kubík, Rusnák, Mihálik, Majerník, Hornák, Bielik,
Slovák, Malý, Kopecký, Zeman, Sýkora, Hudec/Hudecová, Šťastný, Dudáš, Rigo, Demeter,
Oláh, Lakatoš, Kotlár, Červeňák, Pompa, Gunár, Mižigár, Kaleja, Adam, Bednár,
Blaho, Bodnár, Chovanec, Čech, Dobrovodský, Dzurilla, Fabián, Ferenc, Fiala, Gregor,
Halás, Harvan, Hlavatý, Husár, Ivan, Janík, Jánoš, Juhás, Kalina,
Kamenský, Kaššák, Klimek, Kmeť, Kočiš, Koleno, Kostka, Kozák, Kratochvíl, Krivosudský,
Kučera, Lipták, Macko, Matúš, Medveď, Mikula, Mrva, Mudrák, Olejník, Pastor,
Petrík, Pokorný, Púček, Rác, Repka, Sedlák, Slanina, Sokol, Šebo, Štefanko,
Tomko, Uhrin, Vaško, Vlček, Zelenák, Žiak
`)

var skMale = latAll(fields(`
Peter, Martin, Ján, Michal, Jozef, Tomáš, Marek, Lukáš, Milan, Juraj,
Miroslav, Pavol, Róbert, Stanislav, Vladimír, Marián, Ľubomír, Štefan, Dušan, Matej,
Jakub, Patrik, Filip, Roman, Rastislav, Igor, Richard, Radoslav, Daniel, Dávid,
Adam, Branislav, Norbert, Tibor, Ladislav, Karol, Dominik, Samuel, Erik, Anton,
Ivan, Andrej, Rudolf, Viliam, Alexander, Ondrej, Gabriel, Kamil
`)...)

var skFemale = latAll(fields(`
Mária, Zuzana, Jana, Katarína, Lucia, Martina, Monika, Veronika, Eva, Ivana,
Petra, Andrea, Michaela, Silvia, Barbora, Lenka, Simona, Kristína, Anna, Dominika,
Miroslava, Alena, Jarmila, Helena, Gabriela, Denisa, Nikola, Ľubica, Daniela, Soňa,
Viera, Tatiana, Renáta, Adriána, Marcela, Beáta, Natália, Erika, Alžbeta, Dana,
Iveta, Romana, Žaneta, Terézia, Magdaléna, Kamila, Diana, Klaudia, Nikoleta, Radka
`)...)

// uaHand are Ukrainian names with the spellings seen in real files
// written out by hand; the others are transliterated (ukSpell).
var uaHandMale = []spelling{
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
}

var uaMale = cyrList(`
Олександр, Сергій, Андрій, Володимир, Дмитро, Іван, Микола, Віталій, Юрій, Олег,
Ігор, Віктор, Михайло, Василь, Петро, Роман, Максим, Богдан, Артем, Євген,
Павло, Анатолій, Руслан, Денис, Валерій, Ярослав, Тарас, Степан, Григорій, Ростислав,
Назар, Костянтин, Вадим, Антон, Владислав, Святослав, Леонід, Борис, Геннадій, Федір,
Олексій, Станіслав, Артур, Едуард, Валентин, Остап, Орест, Любомир, Ілля, Вікентій
`, uaHandMale, ukSpell)

var uaHandFemale = []spelling{
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
}

var uaFemale = cyrList(`
Олена, Тетяна, Наталія, Ірина, Оксана, Світлана, Юлія, Людмила, Марія, Ольга,
Галина, Валентина, Надія, Катерина, Вікторія, Анастасія, Ганна, Лариса, Інна,
Алла, Марина, Яна, Діана, Дарина, Христина, Софія, Аліна, Віра, Любов,
Ніна, Тамара, Лілія, Уляна, Богдана, Соломія, Олександра, Валерія, Карина, Ангеліна,
Єлизавета, Євгенія, Мирослава, Анна, Зоряна, Таміла, Жанна, Раїса, Віолетта, Василина
`, uaHandFemale, ukSpell)

var uaHandSurnames = []surname{
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
}

var uaSurnames = cyrSurnames(`
Мельник, Шевченко, Коваленко, Бондаренко, Бойко, Ткаченко, Кравченко, Ковальчук, Коваль, Олійник,
Шевчук, Поліщук, Іваненко, Ткачук, Савченко, Бондар, Марченко, Руденко, Мороз, Лисенко,
Петренко, Клименко, Павленко, Кравчук, Кузьменко, Пономаренко, Савчук, Василенко, Левченко, Харченко,
Сидоренко, Карпенко, Гаврилюк, Швець, Мельничук, Романенко, Костенко, Литвиненко, Гончаренко, Яковенко,
Кравець, Мазур, Тимошенко, Приходько, Гуменюк, Марчук, Семенюк, Антоненко, Мартинюк, Остапенко,
Пилипенко, Панченко, Нестеренко, Кириленко, Демченко, Зінченко, Головко, Власенко, Климчук, Ковтун,
Кушнір, Гордієнко, Тарасенко, Вовк, Юрченко, Гриценко, Бабенко, Данилюк, Степаненко, Сорока,
Лях, Захарченко, Мирошниченко, Гнатюк, Дорошенко, Бабич, Сергієнко, Волошин, Борисенко, Костюк,
Мельниченко, Онищенко, Козак, Кучер, Бондарчук, Білоус, Грищенко, Тищенко, Остапчук, Микитюк,
Степанюк, Петрук, Федоренко, Савицький, Михайлюк, Мартиненко, Жук, Рибак, Гончар, Панасюк,
Яремчук, Дяченко, Ковальський, Іванов, Попов, Петров, Кузнецов, Новак, Левчук, Прокопенко,
Давиденко, Кулик, Білик, Хоменко, Назаренко, Тарасюк, Олексієнко, Стасюк, Луценко, Фесенко,
Чорний, Паламарчук, Демчук, Коломієць, Вакуленко, Ігнатенко, Корнієнко, Дубина, Лук'яненко, Шаповал,
Захарчук, Якименко, Пархоменко, Ярошенко, Мусієнко, Литвин, Гребенюк, Матвієнко, Осадчий, Яценко,
Білий, Кравчишин, Гуцуляк, Семенко, Дмитренко, Андрієнко, Кирилюк, Лавренко, Фролов, Соколов
`, uaHandSurnames, ukSpell)

var bgHandMale = []spelling{
	cyr("Георги", "Georgi", "Georgi", "Gueorgui"),
	cyr("Иван", "Ivan"),
	cyr("Димитър", "Dimitar", "Dimitar", "Dimitur", "Dimităr"),
	cyr("Петър", "Petar", "Petar", "Petur"),
	cyr("Николай", "Nikolay", "Nikolaj", "Nikolai"),
	cyr("Стефан", "Stefan"),
	cyr("Христо", "Hristo", "Christo", "Khristo"),
	cyr("Асен", "Asen", "Asen", "Assen"),
}

var bgMale = cyrList(`
Георги, Иван, Димитър, Николай, Петър, Христо, Стефан, Йордан, Тодор, Стоян,
Васил, Атанас, Александър, Ангел, Красимир, Борис, Пламен, Емил, Милен, Асен,
Валентин, Цветан, Любомир, Данаил, Илия, Мартин, Симеон, Кирил, Веселин, Росен,
Мехмед, Ахмед, Юсеин, Сали, Орлин, Марин
`, bgHandMale, bgSpell)

var bgHandFemale = []spelling{
	cyr("Мария", "Maria", "Marija"),
	cyr("Елена", "Elena"),
	cyr("Йорданка", "Yordanka", "Jordanka"),
	cyr("Десислава", "Desislava"),
	cyr("Цветелина", "Tsvetelina", "Cvetelina", "Tzvetelina"),
	cyr("Гергана", "Gergana"),
	cyr("Радка", "Radka"),
	cyr("Снежана", "Snezhana", "Sněžana", "Snejana", "Snezana"),
}

var bgFemale = cyrList(`
Мария, Иванка, Елена, Йорданка, Пенка, Десислава, Гергана, Цветелина, Снежана, Радка,
Петя, Николина, Виктория, Теодора, Даниела, Силвия, Мариана, Галина, Росица, Анелия,
Христина, Катя, Стефка, Вероника, Надежда, Милена, Емилия, Габриела, Симона, Ралица,
Айше, Фатме, Емине, Анна, Красимира, Таня
`, bgHandFemale, bgSpell)

var bgHandSurnames = []surname{
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
}

var bgSurnames = cyrSurnames(`
Иванов, Георгиев, Димитров, Петров, Николов, Христов, Стоянов, Тодоров, Илиев, Василев,
Атанасов, Петков, Ангелов, Колев, Йорданов, Маринов, Стефанов, Попов, Михайлов, Кръстев,
Костов, Димов, Костадинов, Павлов, Митев, Симеонов, Цветков, Александров, Марков, Спасов,
Лазаров, Добрев, Младенов, Андреев, Янев, Радев, Станев, Вълчев, Киров, Славов,
Алексиев, Желязков, Борисов, Русев, Григоров, Панайотов, Кирилов, Стойчев, Станчев, Асенов,
Вълков, Златев, Методиев, Тончев, Енчев, Белчев, Стойков, Найденов, Каменов, Минчев,
Мехмедов, Юсеинов, Хасанов, Алиев, Ахмедов, Салиев, Рашидов, Мустафов, Емилов, Сашев,
Велков, Генов, Гочев, Денев, Дончев, Жеков, Захариев, Кожухаров, Ковачев
`, bgHandSurnames, bgSpell)

var mnHandMale = []spelling{
	cyr("Батбаяр", "Batbayar", "Batbajar", "Batbaiar"),
	cyr("Ганбаатар", "Ganbaatar", "Ganbátar", "Ganbatar"),
	cyr("Мөнхбат", "Munkhbat", "Mönchbat", "Monkhbat", "Munchbat"),
	cyr("Болд", "Bold"),
	cyr("Тэмүүлэн", "Temuulen", "Temüülen"),
	cyr("Баярсайхан", "Bayarsaikhan", "Bajarsajchan", "Bayarsaihan"),
}

var mnMale = cyrList(`
Батбаяр, Ганбаатар, Мөнхбат, Болд, Баярсайхан, Тэмүүлэн, Эрдэнэбат, Ганзориг, Батболд, Энхбаатар,
Баатар, Түмэнбаяр, Ганбат, Очирбат, Батжаргал, Лхагвасүрэн, Нямдорж, Отгонбаяр, Төмөрбаатар, Сүхбаатар
`, mnHandMale, mnSpell)

var mnHandFemale = []spelling{
	cyr("Энхтуяа", "Enkhtuya", "Enchtujá", "Enkhtuyaa", "Enkhtuia"),
	cyr("Сарангэрэл", "Sarangerel"),
	cyr("Оюунчимэг", "Oyunchimeg", "Ojunčimeg", "Oyuunchimeg"),
	cyr("Туяа", "Tuya", "Tujá", "Tuyaa"),
	cyr("Нарангэрэл", "Narangerel"),
	cyr("Болормаа", "Bolormaa", "Bolormá"),
	cyr("Алтанцэцэг", "Altantsetseg", "Altancceg", "Altantsetsek"),
}

var mnFemale = cyrList(`
Энхтуяа, Оюунчимэг, Сарангэрэл, Алтанцэцэг, Туяа, Болормаа, Нарангэрэл, Мөнхцэцэг, Батцэцэг, Уранчимэг,
Ариунаа, Отгонцэцэг, Солонго, Наранцэцэг, Сарнай, Одгэрэл, Цэцэгмаа, Мөнхзаяа, Ганчимэг, Хулан
`, mnHandFemale, mnSpell)

var mnHandSurnames = []surname{
	one(cyr("Дорж", "Dorj", "Dorž", "Dorzh")),
	one(cyr("Ганболд", "Ganbold")),
	one(cyr("Энхбаяр", "Enkhbayar", "Enchbajar", "Enkhbaiar")),
	one(cyr("Бат-Эрдэнэ", "Bat-Erdene")),
	one(cyr("Цэрэн", "Tseren", "Ceren", "Tzeren")),
	one(cyr("Пүрэв", "Purev", "Pürev", "Pürew")),
	one(cyr("Гантулга", "Gantulga")),
	one(cyr("Батсүх", "Batsukh", "Batsüch", "Batsuh")),
}

var mnSurnames = cyrSurnames(`
Дорж, Бат-Эрдэнэ, Ганболд, Энхбаяр, Цэрэн, Пүрэв, Батсүх, Гантулга, Батбаяр, Ганбаатар,
Болд, Батболд, Очир, Баатар, Дашдорж, Нямдорж, Лхагва, Баяр, Эрдэнэ, Жаргал,
Сүхбаатар, Отгонбаяр, Мөнх, Даваа, Ням, Төмөр, Ганзориг, Дамдин, Содном, Лувсан
`, mnHandSurnames, mnSpell)

var vnSurnames = latSurnames(`
Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng,
Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Đinh, Đào, Trịnh, Mai,
Trương, Lưu, Lâm, Tạ, Hà, Chu, Cao, Lương, Tô, Quách,
Đoàn, Vương, Phùng, Kiều, Tăng, Thái, Châu, La, Triệu, Nông,
Lại, Khúc, Từ, Âu, Thân, Doãn, Diệp, Tống, Kim, Giáp,
Hứa, Mạc, Tôn, Lã, Ông, Vi, Lục, Bạch, Khổng, Hàn
`, vn)

var vnMale = latList(`
Minh, Hùng, Dũng, Tuấn, Long, Nam, Hải, Quang, Thắng, Sơn,
Cường, Hiếu, Huy, Đức, Hoàng, Thành, Trung, Tùng, Khánh, Phong,
Bình, Hưng, Toàn, Việt, Tâm, Hòa, Lâm, Thịnh, Vinh, Chiến,
Công, Tiến, Hiệp, Thanh, Anh, Kiên, Duy, Đạt, Phúc, Tài,
Hậu, Quân, Lực, Trọng, Tú, Bảo, Khoa, Thái, Hiển, Lợi
`, vn)

var vnFemale = latList(`
Anh, Linh, Hương, Trang, Lan, Hoa, Thảo, Hằng, Hà, Ngọc,
Phương, Nhung, Mai, Huyền, Thủy, Hạnh, Dung, Hiền, Oanh, Loan,
Yến, Nga, Thu, Tuyết, Vân, Liên, Quỳnh, Giang, Hồng, Trinh,
Ly, Nhàn, Bích, Hậu, Lệ, Thúy, Chi, Hải, Vy, Diệp,
Tâm, Nhi, Thương, Uyên, Ánh, Duyên, Phượng, Xuân, Yên, Tuyền
`, vn)

var roSurnames = latSurnames(`
Popa, Popescu, Pop, Radu, Ionescu, Dumitru, Stoica, Stan, Gheorghe, Matei,
Ciobanu, Rusu, Constantin, Mihai, Munteanu, Marin, Ion, Stanciu, Florea, Dinu,
Tudor, Lazăr, Ene, Georgescu, Dobre, Ilie, Nistor, Moldovan, Barbu, Sandu,
Mocanu, Cristea, Toma, Diaconu, Ungureanu, Oprea, Nagy, Vasile, Zamfir, Neagu,
Dragomir, Voicu, Nedelcu, Ursu, Enache, Constantinescu, Stoian, Manea, Anghel, Mihăilă,
Iordache, Preda, Nica, Dumitrescu, Căldăraru, Suciu, Coman, Bălan, Tănase, Păun,
Grigore, Dincă, Sima, Niculae, Vlad, Avram, Pavel, Marinescu, Gavrilă, Lungu,
Pană, Chiriac, Mitrea, Lupu, Bucur, Andrei, Iancu, Petrescu, Roman, Badea,
Tudose, Cazacu, Petre, Moraru, Cojocaru, Rotaru, Sârbu, Costea, Bogdan, Drăgan,
Surdu, Neagoe, Mihalache, Sava, Olteanu, Cozma, Filip, Chirilă, Dumitrache, Pîrvu,
Rădulescu, Ștefănescu, Vasilescu, Marcu, Bratu, Cucu, Stănescu, Paraschiv, Mureșan, Țurcanu,
Băluță, Lăutaru, Ursaru, Fieraru, Ciurar, Tănăsescu, Buzatu, Stamate, Dobrescu, Drăgulescu
`, ro)

var roMale = latList(`
Ion, Gheorghe, Constantin, Vasile, Alexandru, Andrei, Mihai, Ionuț, Florin, Marius,
Adrian, Ștefan, Daniel, Cristian, Gabriel, Nicolae, Dumitru, Cătălin, Bogdan, Costel,
Răzvan, Sorin, Dan, Ciprian, Claudiu, Vlad, Lucian, Valentin, Paul, Cosmin,
Viorel, Petru, Mircea, Liviu, Dragoș, Alin, Sebastian, Iulian, Emil, Robert
`, ro)

var roFemale = latList(`
Maria, Elena, Ioana, Andreea, Mihaela, Ana, Alexandra, Cristina, Daniela, Gabriela,
Nicoleta, Florentina, Georgiana, Ștefania, Adriana, Roxana, Ramona, Simona, Alina, Raluca,
Diana, Larisa, Denisa, Bianca, Iuliana, Camelia, Lăcrămioara, Marinela, Mariana, Loredana,
Oana, Claudia, Corina, Petronela, Valentina, Florica, Violeta, Anca, Luminița, Veronica
`, ro)

var ngSurnames = latSurnames(`
Osagie, Igbinedion, Omoregie, Obaseki, Idahosa, Ehigiator, Osaretin, Aigbe, Uwadiae, Osayande,
Osazuwa, Iyamu, Ogbeide, Edosa, Ighodaro, Ekhator, Erhabor, Agbonlahor, Eghosa, Obasuyi,
Osemwegie, Ogiemwonyi, Uwaifo, Izevbigie, Eboigbe, Imasuen, Iyoha, Oviawe, Asemota, Egharevba,
Omorodion, Aghedo, Okafor, Adeyemi, Okonkwo, Eze, Ogbonna, Okoro, Okeke, Nwachukwu,
Adebayo, Ogunleye, Bello, Ibrahim, Musa, Olawale, Ojo, Akande, Nwosu, Chukwu,
Obi, Uche, Ogbu, Okoye, Onyekachi, Eke, Ugwu, Anyanwu, Babatunde, Afolabi
`, lat1)

var ngMale = latList(`
Osagie, Emeka, Samuel, Uyi, Godwin, Friday, Sunday, Lucky, Kingsley, Collins,
Emmanuel, Daniel, Prince, Peter, Chukwuemeka, Oluwaseun, Tunde, Ikechukwu, Ifeanyi, Chinedu,
Obinna, Efosa, Osamudiamen, Nosa, Eghosa, Osaze
`, lat1)

var ngFemale = latList(`
Blessing, Joy, Precious, Favour, Gift, Patience, Mercy, Esther, Faith, Glory,
Osas, Efe, Ivie, Peace, Happiness, Princess, Success, Victoria, Grace, Rita,
Juliet, Jennifer, Sandra, Vivian, Loveth, Osarugue, Ese, Eki, Omosede, Itohan,
Osayi, Evelyn, Comfort, Osaro, Goodness, Stella, Queen, Miracle, Chioma, Ngozi
`, lat1)

var phSurnames = []surname{
	one(lat("Santos")), one(lat("Reyes")), one(lat("Cruz")), one(lat("Bautista")),
	one(lat("Dela Cruz", "Dela Cruz", "De la Cruz", "Delacruz", "De La Cruz")),
	one(lat("Garcia")), one(lat("Mendoza")), one(lat("Ocampo")), one(lat("Castillo")), one(lat("Flores")),
	one(lat("Villanueva")), one(lat("Ramos")), one(lat("Aquino")), one(lat("Gonzales")), one(lat("Rivera")),
	one(lat("Torres")), one(lat("Lopez")), one(lat("Fernandez")), one(lat("Perez")),
	one(lat("De Leon", "De Leon", "Deleon", "De León")), one(lat("Pascual")), one(lat("Domingo")),
	one(lat("Santiago")), one(lat("Mercado")), one(lat("Aguilar")), one(lat("Navarro")), one(lat("Salazar")),
	one(lat("Soriano")), one(lat("Valdez")), one(lat("Castro")),
	one(lat("Del Rosario", "Del Rosario", "Delrosario", "Del-Rosario")), one(lat("Gomez")), one(lat("Marquez")),
	one(lat("Morales")), one(lat("Dizon")), one(lat("Tolentino")), one(lat("Francisco")), one(lat("Mariano")),
	one(lat("Hernandez")), one(lat("Rodriguez")), one(lat("Diaz")), one(lat("Sison")), one(lat("Lim")),
	one(lat("Tan")), one(lat("Manalo")), one(lat("Dela Peña", "Dela Peña", "Dela Pena", "De la Peña")),
	one(lat("Panganiban")), one(lat("Magbanua")), one(lat("Dimaculangan")), one(lat("Manalastas")),
	one(lat("Cabrera")), one(lat("Salvador")), one(lat("Samson")), one(lat("Rosales")), one(lat("Lacson")),
	one(lat("Macaraeg")),
}

var phMale = latList(`
Jose, Juan, Mark Anthony, Reynaldo, Rodel, Ramon, Romeo, Edgardo, Rolando, Ricardo,
Ernesto, Danilo, Jerome, John Paul, Christopher, Ronald, Joel, Jayson, Rommel, Noel,
Eduardo, Jun, Arnel
`, lat1)

var phFemale = latList(`
Maria Cristina, Jocelyn, Rowena, Marilou, Lorna, Analyn, Maricel, Rosalie, Jennifer, Maricar,
Marites, Lovely, Mary Grace, Rosemarie, Maria Theresa, Glenda, Cherry, Liza, Evelyn, Lourdes,
Arlene, Jenny, Rhea, Michelle, Rachelle, Kristine, Angelica, Joy
`, lat1)
