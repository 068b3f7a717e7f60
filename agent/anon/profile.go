package anon

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Profile declares how a partner's records are anonymised: which
// identifier fields are dropped, which key variants are computed, whether
// a Bloom encoding leaves, and how quasi-identifiers are generalised. The
// manifest of a submission names the profile and its Digest, so the hub
// knows what it received and a change of profile is visible.
type Profile struct {
	Name string `json:"name"`
	// Drop lists identifier fields that never leave.
	Drop []string `json:"drop"`
	// KeyVariants lists the linkage key variants computed (see Keys).
	KeyVariants []string `json:"key_variants"`
	// Bloom adds the Bloom-filter encoding of names and birth date.
	Bloom bool `json:"bloom"`
	// Generalise maps a dropped field to what leaves in its place: one
	// or more of the methods birth_year, age_band, age_group (from a birth
	// date) and nuts3 (from an address), joined by "+".
	Generalise map[string]string `json:"generalise"`
}

// Generalisation methods a Profile may name.
const (
	GenBirthYear = "birth_year"
	GenAgeBand   = "age_band"
	GenAgeGroup  = "age_group"
	GenNUTS3     = "nuts3"
)

// ErrInvalidProfile is wrapped by Profile.Validate's errors.
var ErrInvalidProfile = errors.New("invalid anonymisation profile")

// Default returns the default profile: every direct identifier dropped,
// every key variant, birth date generalised to birth year, age band and
// age group, address to NUTS 3 region, and no Bloom encoding. The Bloom
// encoding tells the hub more than keys do (how similar two names are,
// not only whether they agree), so a partner turns it on deliberately.
func Default() Profile {
	return Profile{
		Name: "thbx-default-1",
		Drop: []string{
			"surname", "given_name", "birth_date", "personal_id", "passport_number",
			"address", "phone", "email", "free_text",
		},
		KeyVariants: KeyVariants(),
		Bloom:       false,
		Generalise: map[string]string{
			"birth_date": GenBirthYear + "+" + GenAgeBand + "+" + GenAgeGroup,
			"address":    GenNUTS3,
		},
	}
}

// Validate reports the first problem of a profile: no name, an unknown
// key variant or generalisation method, or a generalised field that is
// not also dropped (its identifying value would leave beside the
// generalised one).
func (p *Profile) Validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return fmt.Errorf("%w: no name", ErrInvalidProfile)
	}
	for _, v := range p.KeyVariants {
		if !knownVariant(v) {
			return fmt.Errorf("%w: unknown key variant %q (known: %s)", ErrInvalidProfile, v, strings.Join(KeyVariants(), ", "))
		}
	}
	for field, methods := range p.Generalise {
		if !slices.Contains(p.Drop, field) {
			return fmt.Errorf("%w: %s is generalised but not dropped", ErrInvalidProfile, field)
		}
		for m := range strings.SplitSeq(methods, "+") {
			switch m {
			case GenBirthYear, GenAgeBand, GenAgeGroup, GenNUTS3:
			default:
				return fmt.Errorf("%w: unknown generalisation %q for %s", ErrInvalidProfile, m, field)
			}
		}
	}
	return nil
}

// Digest returns "sha256:" and the hex SHA-256 of the profile's canonical
// JSON: a version tag, the lists sorted and without duplicates (their
// order means nothing), the map's keys sorted, no white space. Two
// profiles that anonymise alike have one digest.
func (p *Profile) Digest() string {
	canon := struct {
		Version     string            `json:"version"`
		Name        string            `json:"name"`
		Drop        []string          `json:"drop"`
		KeyVariants []string          `json:"key_variants"`
		Bloom       bool              `json:"bloom"`
		Generalise  map[string]string `json:"generalise"`
	}{
		Version:     "thbx-anon-profile/1",
		Name:        p.Name,
		Drop:        sortedSet(p.Drop),
		KeyVariants: sortedSet(p.KeyVariants),
		Bloom:       p.Bloom,
		Generalise:  p.Generalise,
	}
	if canon.Generalise == nil {
		canon.Generalise = map[string]string{}
	}
	data, err := json.Marshal(canon)
	if err != nil {
		panic("anon: marshal profile: " + err.Error()) // strings, a bool and a map of strings
	}
	h := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(h[:])
}

func sortedSet(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// Keys returns the linkage keys of the variants the profile names, in the
// order Keys gives them.
func (p *Profile) Keys(s *Secret, person Person) []string {
	return keys(s, person, func(code string) bool { return slices.Contains(p.KeyVariants, code) })
}
