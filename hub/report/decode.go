package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/thbx/thbx/hub/merge"
)

// victimFields is what a merge decodes of a stored victims/1 record:
// merge.Victim's fields. The intake stored the record after the schema
// checked it, so it is decoded here without the schema's strictness;
// fields the merge does not read (events, assistance, the source's own
// words) are skipped by encoding/json.
type victimFields struct {
	Status       string          `json:"status"`
	Sex          string          `json:"sex"`
	BirthYear    int             `json:"birth_year"`
	AgeGroup     string          `json:"age_group"`
	AgeBand      string          `json:"age_band"`
	Citizenship  string          `json:"citizenship"`
	Region       string          `json:"region"`
	IdentifiedOn string          `json:"identified_on"`
	Exploitation []string        `json:"exploitation"`
	LinkageKeys  json.RawMessage `json:"linkage_keys"`
	Bloom        string          `json:"bloom"`
}

// interner shares equal strings and code lists: a merge holds a million
// records whose codes (sex, status, citizenship, dates, forms of
// exploitation) take a few hundred values.
type interner struct {
	strs  map[string]string
	lists map[string][]string
}

func newInterner() *interner {
	return &interner{strs: map[string]string{}, lists: map[string][]string{}}
}

// of returns the interned copy of s.
func (t *interner) of(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := t.strs[s]; ok {
		return v
	}
	t.strs[s] = s
	return s
}

// list returns a list equal to l, shared by every record that has it:
// nobody may modify it (merge.Link leaves records as they are).
func (t *interner) list(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	key := l[0]
	if len(l) > 1 {
		key = strings.Join(l, ",")
	}
	if v, ok := t.lists[key]; ok && slices.Equal(v, l) {
		return v
	}
	for i, c := range l {
		l[i] = t.of(c)
	}
	t.lists[key] = l
	return l
}

// decodeVictim decodes a stored victims/1 record into what the merge
// reads, its codes shared through t.
func decodeVictim(data []byte, t *interner) (merge.Victim, error) {
	var f victimFields
	if err := json.Unmarshal(data, &f); err != nil {
		return merge.Victim{}, err
	}
	keys, err := joinKeys(f.LinkageKeys)
	if err != nil {
		return merge.Victim{}, fmt.Errorf("linkage_keys: %w", err)
	}
	v := merge.Victim{Status: t.of(f.Status), Sex: t.of(f.Sex), BirthYear: f.BirthYear, AgeGroup: t.of(f.AgeGroup),
		AgeBand: t.of(f.AgeBand), Citizenship: t.of(f.Citizenship), Region: t.of(f.Region),
		IdentifiedOn: t.of(f.IdentifiedOn), Exploitation: t.list(f.Exploitation), Keys: keys, Bloom: f.Bloom}
	return v, nil
}

// joinKeys turns a JSON array of keys into merge.Keys in one allocation:
// a key is base64url, so the array's text is the keys between quotes and
// commas. An array written otherwise (other characters, escapes, spaces)
// is decoded in full.
func joinKeys(raw json.RawMessage) (merge.Keys, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if len(raw) >= 2 && raw[0] == '[' && raw[len(raw)-1] == ']' && plainKeys(raw) {
		inner := raw[1 : len(raw)-1]
		// n keys take 2n quotes and n-1 commas, and give n-1 spaces.
		var out strings.Builder
		out.Grow(max(len(inner)-bytes.Count(inner, []byte{'"'}), 0))
		ok := true
		for len(inner) > 0 && ok {
			var key []byte
			if inner[0] != '"' {
				ok = false
				break
			}
			end := bytes.IndexByte(inner[1:], '"')
			if end < 0 {
				ok = false
				break
			}
			key, inner = inner[1:1+end], inner[2+end:]
			if len(inner) > 0 {
				if inner[0] != ',' || len(inner) == 1 {
					ok = false
					break
				}
				inner = inner[1:]
			}
			if len(key) > 0 {
				if out.Len() > 0 {
					out.WriteByte(' ')
				}
				out.Write(key)
			}
		}
		if ok {
			return merge.Keys(out.String()), nil
		}
	}
	var keys []string
	if err := json.Unmarshal(raw, &keys); err != nil {
		return "", err
	}
	for _, k := range keys {
		if strings.Contains(k, " ") {
			// merge.Keys would read it as two keys.
			return "", fmt.Errorf("a key holds a space")
		}
	}
	return merge.JoinKeys(keys), nil
}

// plainKeys reports whether an array's text holds base64url characters,
// quotes and commas only.
func plainKeys(raw []byte) bool {
	for _, c := range raw[1 : len(raw)-1] {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '"', c == ',':
		default:
			return false
		}
	}
	return true
}
