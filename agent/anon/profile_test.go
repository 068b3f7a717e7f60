package anon

import (
	"errors"
	"maps"
	"slices"
	"testing"
)

// defaultDigest pins the digest of Default. If you changed the default
// profile on purpose, update it: manifests name the digest, and the hub
// tells apart records anonymised under the old and the new profile.
const defaultDigest = "sha256:683f7f9ca4051afd07dbd90fb5bf78179aa3b70f2d744d77062d7822a2a76241"

func TestDefaultProfile(t *testing.T) {
	p := Default()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := p.Digest(); got != defaultDigest {
		t.Errorf("Default().Digest() = %s, want %s", got, defaultDigest)
	}
	for _, f := range []string{"surname", "given_name", "birth_date", "address"} {
		if !slices.Contains(p.Drop, f) {
			t.Errorf("Default does not drop %s", f)
		}
	}
	// Default returns a copy: a caller changing it changes no other.
	p.Drop[0] = "changed"
	p.Generalise["x"] = "y"
	if q := Default(); q.Drop[0] == "changed" || q.Generalise["x"] != "" {
		t.Error("Default shares its slices or map")
	}
}

func TestProfileDigest(t *testing.T) {
	base := Default()
	d := base.Digest()
	// Order and duplicates of the lists mean nothing.
	same := Default()
	slices.Reverse(same.Drop)
	slices.Reverse(same.KeyVariants)
	same.Drop = append(same.Drop, same.Drop[0])
	same.Generalise = maps.Clone(same.Generalise)
	if got := same.Digest(); got != d {
		t.Errorf("reordered profile has digest %s, want %s", got, d)
	}
	// Every change of content changes the digest.
	changes := map[string]func(*Profile){
		"name":              func(p *Profile) { p.Name = "other" },
		"drop":              func(p *Profile) { p.Drop = p.Drop[1:] },
		"drop added":        func(p *Profile) { p.Drop = append(p.Drop, "nickname") },
		"variants":          func(p *Profile) { p.KeyVariants = []string{"a1"} },
		"bloom":             func(p *Profile) { p.Bloom = true },
		"generalise":        func(p *Profile) { p.Generalise["birth_date"] = GenBirthYear },
		"no generalisation": func(p *Profile) { p.Generalise = nil },
	}
	seen := map[string]string{d: "default"}
	for name, change := range changes {
		p := Default()
		change(&p)
		got := p.Digest()
		if other, ok := seen[got]; ok {
			t.Errorf("%s: digest equals that of %s", name, other)
		}
		seen[got] = name
	}
	// nil and empty are one profile.
	a, b := Profile{Name: "x"}, Profile{Name: "x", Drop: []string{}, KeyVariants: []string{}, Generalise: map[string]string{}}
	if a.Digest() != b.Digest() {
		t.Error("nil and empty lists digest differently")
	}
}

func TestProfileValidate(t *testing.T) {
	tests := map[string]func(*Profile){
		"no name":            func(p *Profile) { p.Name = " " },
		"unknown variant":    func(p *Profile) { p.KeyVariants = append(p.KeyVariants, "z9") },
		"unknown method":     func(p *Profile) { p.Generalise["address"] = "street" },
		"empty method":       func(p *Profile) { p.Generalise["address"] = "" },
		"one method unknown": func(p *Profile) { p.Generalise["birth_date"] = "birth_year+decade" },
		"generalised, kept":  func(p *Profile) { p.Generalise["phone"] = GenNUTS3; p.Drop = []string{"address", "birth_date"} },
	}
	for name, change := range tests {
		p := Default()
		change(&p)
		if err := p.Validate(); !errors.Is(err, ErrInvalidProfile) {
			t.Errorf("%s: err = %v, want ErrInvalidProfile", name, err)
		}
	}
}

func TestProfileKeys(t *testing.T) {
	s := fixedSecret(t, 1)
	person := Person{Surname: "Novák", Given: "Jan", BirthDate: Date{1990, 3, 5}, Sex: "M", Citizenship: "CZ"}
	p := Default()
	if !slices.Equal(p.Keys(s, person), Keys(s, person)) {
		t.Error("the default profile does not compute every variant")
	}
	p.KeyVariants = []string{"d1", "a1"}
	got := p.Keys(s, person)
	all := Keys(s, person)
	if len(got) != 2 || got[0] != all[0] || got[1][:2] != "d1" {
		t.Errorf("profile keys %v, want a1 and d1 of %v", got, all)
	}
}
