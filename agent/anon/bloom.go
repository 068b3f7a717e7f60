package anon

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
	"math/bits"
)

// The Bloom-filter encoding follows the cryptographic long-term key (CLK)
// of Schnell, Bachteler and Reiher (2011) as clkhash implements it:
// bigrams of each field, k positions per bigram by double hashing with two
// keyed hashes per field, keys derived with HKDF.
const (
	bloomBits   = 1024 // of the encoding that leaves
	bloomBuild  = 2 * bloomBits
	bloomBytes  = bloomBits / 8
	bloomK      = 20 // positions per bigram
	bloomPad    = "_"
	bloomFields = 3
)

// bloomFieldNames name the fields in key derivation; their order is the
// order of Secret.bloomKeys.
var bloomFieldNames = [bloomFields]string{"surname", "given", "birth-date"}

// ErrInvalidBloom is returned by Dice for a text that is not a Bloom
// encoding made by this package.
var ErrInvalidBloom = errors.New("not a thbx Bloom-filter encoding")

// Bloom returns the Bloom-filter encoding of a person's surname, given
// name and birth date for fuzzy matching at the hub: base64url of 1024
// bits (171 characters). It returns "" when the person has none of the
// three. Compare two encodings with Dice.
//
// The fields are those the key variants use (Phonetic of SurnameBase of
// the surname, Phonetic of the given name, and the known parts of the
// birth date as digits, yyyymmdd), each cut into bigrams with "_" padding
// at both ends (NOVAK → _N NO OV VA AK K_). Each bigram sets k = 20 bits,
// at positions h1 + i·h2 (i = 0..19) where h1 and h2 are HMAC-SHA256 of the
// bigram under two keys derived for that field from the linkage secret:
// the same bigram in the surname and in the given name sets different
// bits, and without the secret nobody can tell which bits a bigram sets.
//
// Hardening: the filter is built at 2048 bits and XOR-folded to 1024
// (Schnell, Borgs and Encheva 2016), so that every bit that leaves is the
// XOR of two positions. Frequency and pattern-mining attacks (Kroll and
// Steinmetzer 2015; Christen, Ranbaduge, Vatsalan and Schnell 2018) work
// by tying a frequent bit pattern to a frequent bigram; folding makes
// each bit depend on two unrelated bigram sets and breaks the pattern.
// Balancing was not chosen because it doubles the length (the encoding
// must fit a 1 KiB field with room to spare), salting with a record
// attribute because a salt taken from, say, the birth year stops two
// records from matching exactly when that attribute has the error the
// Bloom filter is there to tolerate. Folding costs some accuracy; over
// generated persons (TestBloomSimilarity) Dice of a record with itself is
// 1, with one typo in one field 0.92 at the median and above 0.85 for 95
// %, and between two different persons 0.38 at the median and below 0.47
// for 95 %.
func Bloom(s *Secret, p Person) string {
	np := normalisePerson(p)
	values := [bloomFields]string{np.s, np.g, np.date.digits()}
	var filter [bloomBuild / 64]uint64
	empty := true
	for f, v := range values {
		if v == "" {
			continue
		}
		empty = false
		h1 := hmac.New(sha256.New, s.bloomKeys[f][0])
		h2 := hmac.New(sha256.New, s.bloomKeys[f][1])
		padded := bloomPad + v + bloomPad
		for i := 0; i+1 < len(padded); i++ {
			setBigram(&filter, h1, h2, padded[i:i+2])
		}
	}
	if empty {
		return ""
	}
	var out [bloomBytes]byte
	half := len(filter) / 2
	for i := range half {
		binary.BigEndian.PutUint64(out[8*i:], filter[i]^filter[half+i])
	}
	return base64.RawURLEncoding.EncodeToString(out[:])
}

// setBigram sets the k positions of one bigram. The bigram is bytes of
// normalised text, so a multi-byte letter of another script is split
// across bigrams; that only costs that script some fuzziness.
func setBigram(filter *[bloomBuild / 64]uint64, h1, h2 hash.Hash, bigram string) {
	a := keyedUint64(h1, bigram) % bloomBuild
	// An odd step visits k distinct positions of the power-of-two filter.
	b := (keyedUint64(h2, bigram) | 1) % bloomBuild
	for i := range uint64(bloomK) {
		pos := (a + i*b) % bloomBuild
		filter[pos/64] |= 1 << (pos % 64)
	}
}

func keyedUint64(h hash.Hash, s string) uint64 {
	h.Reset()
	h.Write([]byte(s))
	var buf [sha256.Size]byte
	return binary.BigEndian.Uint64(h.Sum(buf[:0]))
}

// Dice returns the Dice coefficient of two Bloom encodings,
// 2·|A∧B| / (|A|+|B|): 1 for identical filters, near the share of bits set
// for unrelated ones. Two empty filters have similarity 0, since nothing
// is known to agree.
func Dice(a, b string) (float64, error) {
	fa, err := decodeBloom(a)
	if err != nil {
		return 0, err
	}
	fb, err := decodeBloom(b)
	if err != nil {
		return 0, err
	}
	var both, na, nb int
	for i := 0; i < bloomBytes; i += 8 {
		x := binary.BigEndian.Uint64(fa[i:])
		y := binary.BigEndian.Uint64(fb[i:])
		both += bits.OnesCount64(x & y)
		na += bits.OnesCount64(x)
		nb += bits.OnesCount64(y)
	}
	if na+nb == 0 {
		return 0, nil
	}
	return 2 * float64(both) / float64(na+nb), nil
}

func decodeBloom(s string) ([]byte, error) {
	if len(s) != base64.RawURLEncoding.EncodedLen(bloomBytes) {
		return nil, ErrInvalidBloom
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != bloomBytes {
		return nil, ErrInvalidBloom
	}
	return b, nil
}
