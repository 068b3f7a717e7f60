package anon

import (
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestBloomFormat(t *testing.T) {
	s := fixedSecret(t, 1)
	p := Person{Surname: "Nováková", Given: "Jana", BirthDate: Date{1990, 3, 5}}
	b := Bloom(s, p)
	if len(b) != 171 {
		t.Fatalf("encoding has %d characters, want 171", len(b))
	}
	raw, err := base64.RawURLEncoding.DecodeString(b)
	if err != nil || len(raw) != 128 {
		t.Fatalf("not 128 bytes of base64url: %v", err)
	}
	if Bloom(s, p) != b {
		t.Fatal("Bloom is not deterministic")
	}
	if Bloom(fixedSecret(t, 2), p) == b {
		t.Fatal("Bloom does not depend on the secret")
	}
	if got := Bloom(s, Person{Sex: "F", Citizenship: "CZ"}); got != "" {
		t.Fatalf("Bloom of a person without names or date = %q, want empty", got)
	}
	if d, err := Dice(b, b); err != nil || d != 1 {
		t.Fatalf("Dice(x, x) = %v, %v; want 1", d, err)
	}
}

func TestDiceRefuses(t *testing.T) {
	good := Bloom(fixedSecret(t, 1), Person{Surname: "Novák"})
	for name, bad := range map[string]string{
		"empty":     "",
		"short":     good[:170],
		"long":      good + "A",
		"alphabet":  strings.Repeat("+", 171),
		"std b64":   base64.StdEncoding.EncodeToString(make([]byte, 128)),
		"64 bytes":  base64.RawURLEncoding.EncodeToString(make([]byte, 64)),
		"256 bytes": base64.RawURLEncoding.EncodeToString(make([]byte, 256)),
	} {
		if _, err := Dice(good, bad); !errors.Is(err, ErrInvalidBloom) {
			t.Errorf("%s: err = %v, want ErrInvalidBloom", name, err)
		}
		if _, err := Dice(bad, good); !errors.Is(err, ErrInvalidBloom) {
			t.Errorf("%s (first): err = %v, want ErrInvalidBloom", name, err)
		}
	}
	zero := base64.RawURLEncoding.EncodeToString(make([]byte, 128))
	if d, err := Dice(zero, zero); err != nil || d != 0 {
		t.Errorf("Dice of empty filters = %v, %v; want 0", d, err)
	}
}

// TestBloomSimilarity measures Dice over generated persons: the same
// record (1), the record with one typo in one field, the record as
// another source writes it, and two different persons.
func TestBloomSimilarity(t *testing.T) {
	s := fixedSecret(t, 1)
	r := rand.New(rand.NewPCG(10, 2026))
	dice := func(a, b Person) float64 {
		d, err := Dice(Bloom(s, a), Bloom(s, b))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	var typos, others, variants []float64
	for range 1000 {
		p := randomPerson(r)
		rec := p.record()
		if d := dice(rec, rec); d != 1 {
			t.Fatalf("Dice of %+v with itself = %v", rec, d)
		}
		other := rec
		switch r.IntN(3) {
		case 0:
			other.Surname = typo(r, rec.Surname)
		case 1:
			other.Given = typo(r, rec.Given)
		default:
			other.BirthDate, _ = dateTypo(r, rec.BirthDate)
		}
		typos = append(typos, dice(rec, other))
		for _, v := range variations[:8] { // spellings and swapped date, not typos
			if w, ok := v.apply(r, p); ok {
				variants = append(variants, dice(rec, w))
			}
		}
		stranger := randomPerson(r).record()
		if stranger.Surname != rec.Surname || stranger.Given != rec.Given {
			others = append(others, dice(rec, stranger))
		}
	}
	q := func(xs []float64, f float64) float64 {
		slices.Sort(xs)
		return xs[int(f*float64(len(xs)-1))]
	}
	t.Logf("one typo in one field: min %.3f  p5 %.3f  median %.3f", q(typos, 0), q(typos, 0.05), q(typos, 0.5))
	t.Logf("other spelling or day/month swapped: min %.3f  p5 %.3f  median %.3f", q(variants, 0), q(variants, 0.05), q(variants, 0.5))
	t.Logf("another person: median %.3f  p95 %.3f  p99 %.3f  max %.3f", q(others, 0.5), q(others, 0.95), q(others, 0.99), q(others, 1))
	if p5 := q(typos, 0.05); p5 <= 0.8 {
		t.Errorf("5th percentile of Dice with one typo is %.3f, want above 0.8", p5)
	}
	if p95 := q(others, 0.95); p95 >= 0.6 {
		t.Errorf("95th percentile of Dice between different persons is %.3f, want below 0.6", p95)
	}
}
