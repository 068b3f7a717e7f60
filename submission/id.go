package submission

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
)

// crockford is the base32 alphabet of ULIDs: no I, L, O, U.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var idPattern = regexp.MustCompile(`^[0-7][0-9A-HJKMNP-TV-Z]{25}$`)

// NewID returns a new submission id: 26 characters, a 48-bit millisecond
// timestamp then 80 random bits, in Crockford base32 (the ULID layout), so
// ids sort by creation time and never repeat in practice.
func NewID(now time.Time, rnd io.Reader) (string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var b [16]byte
	ms := uint64(now.UnixMilli())
	if ms >= 1<<48 {
		return "", errors.New("new submission id: time out of range")
	}
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	if _, err := io.ReadFull(rnd, b[6:]); err != nil {
		return "", fmt.Errorf("new submission id: %w", err)
	}
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	var out [26]byte
	// 128 bits in 26 digits of 5 bits: the first digit carries 3 bits.
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:]), nil
}

// ValidID reports whether s has the form of a submission id.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// IDTime returns the creation time encoded in a valid id.
func IDTime(id string) (time.Time, error) {
	if !ValidID(id) {
		return time.Time{}, fmt.Errorf("%q is not a submission id", id)
	}
	var ms uint64
	for i := 0; i < 10; i++ {
		ms = ms<<5 | uint64(indexCrockford(id[i]))
	}
	return time.UnixMilli(int64(ms)).UTC(), nil
}

func indexCrockford(c byte) int {
	for i := 0; i < len(crockford); i++ {
		if crockford[i] == c {
			return i
		}
	}
	return 0
}
