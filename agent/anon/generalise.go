package anon

// ageBands are the bands of CTDC's public dataset, by lower bound.
var ageBands = []struct {
	from int
	name string
}{
	{0, "0-8"}, {9, "9-17"}, {18, "18-20"}, {21, "21-23"}, {24, "24-26"},
	{27, "27-29"}, {30, "30-38"}, {39, "39-47"}, {48, "48+"},
}

// Age groups, as Eurostat counts victims.
const (
	Child = "child" // under 18
	Adult = "adult"
)

// BandOf returns the CTDC age band of an age in completed years (0-8,
// 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+), or "" for a
// negative age. Use it when a source records the age rather than the
// birth date.
func BandOf(age int) string {
	if age < 0 {
		return ""
	}
	band := ""
	for _, b := range ageBands {
		if age >= b.from {
			band = b.name
		}
	}
	return band
}

// GroupOf returns Child for an age under 18, Adult from 18, and "" for a
// negative age.
func GroupOf(age int) string {
	switch {
	case age < 0:
		return ""
	case age < 18:
		return Child
	default:
		return Adult
	}
}

// AgeBand returns the CTDC age band of a person born on birth, at date
// at (for the schema: the date of identification). When a part of either
// date is unknown the age is known within a year; AgeBand then returns the
// band only if both possible ages fall in it, and "" otherwise, rather
// than a guess. It also returns "" when either year is unknown or the
// birth is after at.
func AgeBand(birth, at Date) string {
	lo, hi, ok := ageRange(birth, at)
	if !ok || BandOf(lo) != BandOf(hi) {
		return ""
	}
	return BandOf(lo)
}

// AgeGroup returns Child or Adult at date at (under 18 at identification
// is a child), or "" when the known parts of the dates do not decide it.
func AgeGroup(birth, at Date) string {
	lo, hi, ok := ageRange(birth, at)
	if !ok || GroupOf(lo) != GroupOf(hi) {
		return ""
	}
	return GroupOf(lo)
}

// ageRange returns the least and greatest age in completed years that a
// person born on birth can have on at.
func ageRange(birth, at Date) (lo, hi int, ok bool) {
	if !birth.Valid() || !at.Valid() || birth.Y == 0 || at.Y == 0 {
		return 0, 0, false
	}
	diff := at.Y - birth.Y
	lo, hi = diff-1, diff
	switch {
	case birth.M != 0 && at.M != 0 && birth.M != at.M:
		if at.M > birth.M {
			lo = diff
		} else {
			hi = diff - 1
		}
	case birth.Full() && at.Full():
		if at.D >= birth.D {
			lo = diff
		} else {
			hi = diff - 1
		}
	}
	if hi < 0 {
		return 0, 0, false
	}
	return max(lo, 0), hi, true
}
