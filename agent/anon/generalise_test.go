package anon

import (
	"strings"
	"testing"
)

func TestBandOf(t *testing.T) {
	want := map[int]string{
		-1: "", 0: "0-8", 8: "0-8", 9: "9-17", 17: "9-17", 18: "18-20", 20: "18-20", 21: "21-23",
		23: "21-23", 24: "24-26", 26: "24-26", 27: "27-29", 29: "27-29", 30: "30-38", 38: "30-38",
		39: "39-47", 47: "39-47", 48: "48+", 99: "48+",
	}
	for age, band := range want {
		if got := BandOf(age); got != band {
			t.Errorf("BandOf(%d) = %q, want %q", age, got, band)
		}
	}
	for age, group := range map[int]string{-1: "", 0: Child, 17: Child, 18: Adult, 80: Adult} {
		if got := GroupOf(age); got != group {
			t.Errorf("GroupOf(%d) = %q, want %q", age, got, group)
		}
	}
}

func TestAgeBandAndGroup(t *testing.T) {
	at := Date{2024, 6, 15}
	tests := []struct {
		birth, at   Date
		band, group string
	}{
		{Date{2006, 6, 15}, at, "18-20", Adult}, // 18th birthday that day
		{Date{2006, 6, 16}, at, "9-17", Child},  // a day short of 18
		{Date{2006, 7, 1}, at, "9-17", Child},   // month decides
		{Date{2006, 5, 31}, at, "18-20", Adult}, // month decides
		{Date{2006, 6, 0}, at, "", ""},          // 17 or 18
		{Date{2006, 0, 0}, at, "", ""},          // 17 or 18
		{Date{2006, 0, 0}, Date{2024, 0, 0}, "", ""},
		{Date{2000, 0, 0}, at, "", Adult},      // 23 or 24
		{Date{1990, 0, 0}, at, "30-38", Adult}, // 33 or 34
		{Date{1990, 3, 5}, Date{2024, 0, 0}, "30-38", Adult},
		{Date{2024, 1, 1}, at, "0-8", Child},
		{Date{2024, 6, 16}, at, "", ""}, // born after
		{Date{2025, 0, 0}, at, "", ""},
		{Date{}, at, "", ""},
		{Date{1990, 3, 5}, Date{}, "", ""},
		{Date{1990, 2, 30}, at, "", ""}, // invalid
		{Date{1970, 1, 1}, at, "48+", Adult},
		{Date{1976, 0, 0}, at, "", Adult}, // 47 or 48
	}
	for _, tt := range tests {
		if got := AgeBand(tt.birth, tt.at); got != tt.band {
			t.Errorf("AgeBand(%v, %v) = %q, want %q", tt.birth, tt.at, got, tt.band)
		}
		if got := AgeGroup(tt.birth, tt.at); got != tt.group {
			t.Errorf("AgeGroup(%v, %v) = %q, want %q", tt.birth, tt.at, got, tt.group)
		}
	}
}

func TestRegion(t *testing.T) {
	tests := []struct {
		address string
		want    string // "" for not found
	}{
		{"Hlavní město Praha", Praha},
		{"Vodičkova 12, 110 00 Praha 1", Praha},
		{"Karlův most 1, Praha 1", Praha}, // most is a bridge here
		{"Masarykova 5, Most", Ustecky},
		{"Praha-východ", Stredocesky},
		{"Jesenice, okres Praha-západ", Stredocesky},
		{"Středočeský kraj", Stredocesky},
		{"Stredocesky kraj", Stredocesky},
		{"Kladno", Stredocesky},
		{"nám. Přemysla Otakara II. 1, České Budějovice", Jihocesky},
		{"Jindřichův Hradec", Jihocesky},
		{"Plzeň", Plzensky},
		{"Pilsen", Plzensky},
		{"Karlovy Vary", Karlovarsky},
		{"Cheb", Karlovarsky},
		{"Ústí nad Labem", Ustecky},
		{"USTI NAD LABEM", Ustecky},
		{"Liberec", Liberecky},
		{"Frýdlant v Čechách", Liberecky},
		{"Frýdlant nad Ostravicí", Moravskoslezsky},
		{"Hradec Králové", Kralovehradecky},
		{"Jičín", Kralovehradecky},
		{"Nový Jičín", Moravskoslezsky},
		{"Pardubice", Pardubicky},
		{"Ústí nad Orlicí", Pardubicky},
		{"Kraj Vysočina", Vysocina},
		{"Jihlava", Vysocina},
		{"Žďár nad Sázavou", Vysocina},
		{"Brno", Jihomoravsky},
		{"Pražská 5, Brno", Jihomoravsky},
		{"Brno-venkov", Jihomoravsky},
		{"Olomouc", Olomoucky},
		{"Zlín", Zlinsky},
		{"Ostrava-Poruba", Moravskoslezsky},
		{"Frýdek-Místek", Moravskoslezsky},
		{"CZ080", Moravskoslezsky},
		// Postal codes, with no town the table knows.
		{"Lhota 15, 250 01", Stredocesky},
		{"Horní Dolní 3, 37001", Jihocesky},
		{"Nádražní 1, 393 01", Vysocina},
		{"Dolní 4, 674 01", Vysocina},
		{"Obec 1, 686 01", Zlinsky},
		{"Obec 1, 792 01", Moravskoslezsky},
		{"Obec 1, 460 01", Liberecky},
		{"Obec 1, 513 01", Liberecky},
		// Unknown.
		{"", ""},
		{"Berlin, Germany", ""},
		{"811 01 Bratislava", ""},
		{"Lhota 123/45", ""}, // a house number, not a postal code
		{"+420 777 123 456", ""},
		{"Hranice", ""},                           // a town in two regions
		{"Hauptstraße 5, 10115 Berlin", ""},       // a German postal code
		{"ul. Most 5, 30-001 Kraków, Poland", ""}, // most is a bridge in Polish too
		{"Polská 5, 120 00 Praha 2", Praha},       // a street, not Polska
		{"Wiener Straße 3, 1010 Wien, Österreich", ""},
		{"Na Poříčí 3, 110 00 Praha 1, Czech Republic", Praha},
	}
	for _, tt := range tests {
		got, ok := Region(tt.address)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Region(%q) = %q, %v; want %q", tt.address, got, ok, tt.want)
		}
	}
}

func TestRegionPlacesUnique(t *testing.T) {
	// One spelling must not name two regions, or Region would depend on
	// map order.
	seen := map[string]string{}
	for _, names := range placeNames {
		for _, p := range names {
			key := strings.Join(p.words, " ")
			if other, ok := seen[key]; ok && other != p.code {
				t.Errorf("%q names %s and %s", key, other, p.code)
			}
			seen[key] = p.code
		}
	}
}
