package anon

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// NUTS 3 codes of the Czech regions (kraje).
const (
	Praha           = "CZ010"
	Stredocesky     = "CZ020"
	Jihocesky       = "CZ031"
	Plzensky        = "CZ032"
	Karlovarsky     = "CZ041"
	Ustecky         = "CZ042"
	Liberecky       = "CZ051"
	Kralovehradecky = "CZ052"
	Pardubicky      = "CZ053"
	Vysocina        = "CZ063"
	Jihomoravsky    = "CZ064"
	Olomoucky       = "CZ071"
	Zlinsky         = "CZ072"
	Moravskoslezsky = "CZ080"
)

// places names the regions, every district town and the larger towns,
// written as people write them. Town names that are also common words
// or shared by places in two regions (Aš, Hranice, Staré Město, Ostrov,
// Chodov, which is also a quarter of Prague) are left out: a wrong region
// is worse than none.
var places = map[string][]string{
	Praha: {"Praha", "Hlavní město Praha", "Prague", "Prag", "v Praze", "CZ010"},
	Stredocesky: {"Středočeský", "Středočeský kraj", "CZ020", "Praha-východ", "Praha-západ",
		"Benešov", "Beroun", "Kladno", "Kolín", "Kutná Hora", "Mělník", "Mladá Boleslav",
		"Nymburk", "Příbram", "Rakovník", "Brandýs nad Labem", "Stará Boleslav", "Černošice",
		"Říčany", "Neratovice", "Slaný", "Kralupy nad Vltavou", "Poděbrady", "Čelákovice",
		"Vlašim", "Benátky nad Jizerou", "Sedlčany", "Hořovice", "Jesenice"},
	Jihocesky: {"Jihočeský", "Jihočeský kraj", "CZ031", "České Budějovice", "Budweis",
		"Český Krumlov", "Jindřichův Hradec", "Písek", "Prachatice", "Strakonice", "Tábor",
		"Třeboň", "Sezimovo Ústí", "Vimperk", "Dačice", "Milevsko", "Soběslav", "Blatná",
		"Týn nad Vltavou", "Kaplice"},
	Plzensky: {"Plzeňský", "Plzeňský kraj", "CZ032", "Plzeň", "Pilsen", "v Plzni", "Domažlice",
		"Klatovy", "Rokycany", "Tachov", "Sušice", "Stříbro", "Nýřany", "Přeštice",
		"Horažďovice", "Horšovský Týn"},
	Karlovarsky: {"Karlovarský", "Karlovarský kraj", "CZ041", "Karlovy Vary", "Karlsbad", "Cheb",
		"Sokolov", "Mariánské Lázně", "Františkovy Lázně", "Kraslice"},
	Ustecky: {"Ústecký", "Ústecký kraj", "CZ042", "Ústí nad Labem", "Děčín", "Chomutov",
		"Litoměřice", "Louny", "Most", "Teplice", "Litvínov", "Jirkov", "Kadaň", "Žatec",
		"Varnsdorf", "Bílina", "Roudnice nad Labem", "Rumburk", "Klášterec nad Ohří",
		"Lovosice", "Krupka"},
	Liberecky: {"Liberecký", "Liberecký kraj", "CZ051", "Liberec", "v Liberci", "Česká Lípa",
		"Jablonec nad Nisou", "Semily", "Turnov", "Nový Bor", "Frýdlant", "Tanvald",
		"Jilemnice", "Hrádek nad Nisou"},
	Kralovehradecky: {"Královéhradecký", "Královéhradecký kraj", "CZ052", "Hradec Králové",
		"Jičín", "Náchod", "Rychnov nad Kněžnou", "Trutnov", "Dvůr Králové nad Labem",
		"Jaroměř", "Nový Bydžov", "Vrchlabí", "Hořice", "Broumov", "Nová Paka",
		"Dobruška", "Kostelec nad Orlicí"},
	Pardubicky: {"Pardubický", "Pardubický kraj", "CZ053", "Pardubice", "Chrudim", "Svitavy",
		"Ústí nad Orlicí", "Česká Třebová", "Litomyšl", "Vysoké Mýto", "Polička",
		"Lanškroun", "Hlinsko", "Moravská Třebová", "Přelouč", "Choceň"},
	Vysocina: {"Vysočina", "Kraj Vysočina", "CZ063", "Jihlava", "Havlíčkův Brod", "Pelhřimov",
		"Třebíč", "Žďár nad Sázavou", "Nové Město na Moravě", "Velké Meziříčí", "Humpolec",
		"Chotěboř", "Světlá nad Sázavou", "Pacov", "Telč", "Moravské Budějovice",
		"Bystřice nad Pernštejnem", "Náměšť nad Oslavou"},
	Jihomoravsky: {"Jihomoravský", "Jihomoravský kraj", "CZ064", "Brno", "v Brně", "Brünn",
		"Brno-venkov", "Blansko", "Břeclav", "Hodonín", "Vyškov", "Znojmo", "Boskovice",
		"Kyjov", "Veselí nad Moravou", "Hustopeče", "Mikulov", "Slavkov u Brna", "Kuřim",
		"Tišnov", "Bučovice", "Ivančice", "Židlochovice", "Šlapanice", "Modřice",
		"Valtice", "Strážnice", "Moravský Krumlov", "Letovice"},
	Olomoucky: {"Olomoucký", "Olomoucký kraj", "CZ071", "Olomouc", "v Olomouci", "Jeseník",
		"Prostějov", "Přerov", "Šumperk", "Zábřeh", "Lipník nad Bečvou", "Mohelnice",
		"Uničov", "Litovel", "Šternberk", "Konice", "Kojetín"},
	Zlinsky: {"Zlínský", "Zlínský kraj", "CZ072", "Zlín", "Kroměříž", "Uherské Hradiště", "Vsetín",
		"Valašské Meziříčí", "Rožnov pod Radhoštěm", "Otrokovice", "Uherský Brod",
		"Holešov", "Bystřice pod Hostýnem", "Vizovice", "Luhačovice", "Napajedla", "Hulín",
		"Valašské Klobouky"},
	Moravskoslezsky: {"Moravskoslezský", "Moravskoslezský kraj", "CZ080", "Ostrava",
		"v Ostravě", "Bruntál", "Frýdek-Místek", "Karviná", "Nový Jičín", "Opava", "Havířov",
		"Třinec", "Orlová", "Český Těšín", "Kopřivnice", "Krnov", "Bohumín",
		"Frenštát pod Radhoštěm", "Studénka", "Bílovec", "Hlučín", "Rýmařov", "Příbor",
		"Frýdlant nad Ostravicí", "Vítkov", "Odry", "Jablunkov"},
}

// placeName is one name of places split into normalised words.
type placeName struct {
	words []string
	code  string
}

// placeNames holds every name of places, indexed by its first word.
var placeNames = func() map[string][]placeName {
	out := map[string][]placeName{}
	for code, names := range places {
		for _, n := range names {
			w := strings.Fields(addressFold(n))
			if len(w) > 1 && w[0] == "V" {
				w = w[1:] // "v Praze": the locative alone is enough
			}
			out[w[0]] = append(out[w[0]], placeName{w, code})
		}
	}
	return out
}()

// pscRanges map the first three digits of a Czech postal code (PSČ) to a
// region. Postal districts predate the regions and do not follow their
// borders, so this is approximate: right for the town a range is named
// after, sometimes wrong for a village near a border. Ranges not listed
// are unknown.
var pscRanges = []struct {
	from, to int
	code     string
}{
	{100, 199, Praha}, {250, 299, Stredocesky}, {300, 349, Plzensky},
	{350, 364, Karlovarsky}, {370, 392, Jihocesky}, {393, 396, Vysocina},
	{397, 399, Jihocesky}, {400, 441, Ustecky}, {460, 473, Liberecky},
	{500, 509, Kralovehradecky}, {510, 514, Liberecky}, {515, 519, Kralovehradecky},
	{530, 539, Pardubicky}, {540, 552, Kralovehradecky}, {560, 572, Pardubicky},
	{580, 595, Vysocina}, {600, 673, Jihomoravsky}, {674, 676, Vysocina},
	{677, 685, Jihomoravsky}, {686, 688, Zlinsky}, {689, 698, Jihomoravsky},
	{700, 749, Moravskoslezsky}, {750, 753, Olomoucky}, {754, 769, Zlinsky},
	{770, 791, Olomoucky}, {792, 795, Moravskoslezsky}, {796, 799, Olomoucky},
}

// abroad are words that place an address outside Czechia: neighbouring
// and frequent countries, in Czech, English and their own languages, and
// their largest cities. German and Austrian postal codes look like Czech
// ones, and "most" is a bridge in Polish and Slovak as in Czech. Polska
// is not among them: Polská is a street in Prague.
var abroad = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(addressFold(`
		Germany Deutschland Německo Nemecko Austria Österreich Rakousko Slovakia
		Slovensko Poland Polsko Hungary Magyarország Maďarsko Ukraine Україна
		Ukrajina Ukraina Romania România Rumunsko Moldova Moldavsko Vietnam Việt
		Russia Россия Rusko Belarus Bělorusko Bulgaria Bulharsko France Francie
		Italy Italia Itálie Spain España Španělsko Netherlands Nederland Nizozemsko
		Belgium Belgie Belgique Switzerland Schweiz Švýcarsko Britain England
		Anglie Ireland Irsko USA Berlin München Munich Dresden Nürnberg Wien
		Vienna Vídeň Linz Bratislava Košice Warszawa Kraków Wrocław Katowice Kyiv
		Kiev Київ Lviv Львів Budapest București Bucharest Chișinău Hanoi Moskva`)) {
		m[w] = true
	}
	return m
}()

// psc finds a Czech postal code, "110 00" or "11000", not part of a
// longer number or of a house number such as 123/45.
var psc = regexp.MustCompile(`(?:^|[^0-9/])([1-7][0-9]{2}) ?([0-9]{2})(?:$|[^0-9/])`)

// Region returns the NUTS 3 code of the Czech region an address lies in,
// found from a region's name, a district or larger town, or failing those
// the postal code (approximate; see pscRanges). An address that names a
// foreign country or one of their large cities is abroad. When several names occur
// the last one wins, since Czech addresses end with the town (Karlův most
// 1, Praha 1 is in Prague). ok is false for an address Region cannot
// place, including every address abroad.
func Region(address string) (nuts3 string, ok bool) {
	if len(address) > 1024 {
		address = address[:1024]
	}
	words := strings.Fields(addressFold(address))
	if slices.ContainsFunc(words, func(w string) bool { return abroad[w] }) {
		return "", false
	}
	if code, ok := regionByName(words); ok {
		return code, true
	}
	for _, m := range psc.FindAllStringSubmatch(address, -1) {
		n, _ := strconv.Atoi(m[1])
		for _, r := range pscRanges {
			if n >= r.from && n <= r.to {
				return r.code, true
			}
		}
	}
	return "", false
}

// regionByName finds the place name that ends last in words, the longest
// of those ending there; two different regions tied are no answer.
func regionByName(words []string) (string, bool) {
	bestEnd, bestLen, code, tied := -1, 0, "", false
	for i, w := range words {
		for _, p := range placeNames[w] {
			if i+len(p.words) > len(words) || !equalWords(words[i:i+len(p.words)], p.words) {
				continue
			}
			end := i + len(p.words)
			switch {
			case end > bestEnd || (end == bestEnd && len(p.words) > bestLen):
				bestEnd, bestLen, code, tied = end, len(p.words), p.code, false
			case end == bestEnd && len(p.words) == bestLen && p.code != code:
				tied = true
			}
		}
	}
	return code, code != "" && !tied
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// addressFold upper-cases, removes diacritics and turns every other
// character into a space; unlike NormalizeName it keeps every word.
func addressFold(s string) string {
	return strings.ReplaceAll(foldLetters(s), ".", " ")
}
