// Package schema defines the records a submission may carry and checks
// them. Schema version 1 holds a minimal victims dataset; every record is
// about one person as one source reports it, with no direct identifier:
// names, dates of birth and document numbers never appear here, only coded
// attributes, generalised quasi-identifiers and keyed linkage keys.
package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/thbx/thbx/certs/strictjson"
)

// Dataset names a kind of record and its current schema version.
type Dataset struct {
	Name    string
	Version string // "victims/1"
	Fields  []string
	decode  func([]byte) (any, error)
}

// ErrUnknownDataset is returned for a dataset or schema version this build
// does not know.
var ErrUnknownDataset = errors.New("unknown dataset or schema version")

var datasets = map[string]Dataset{
	"victims/1": {Name: "victims", Version: "victims/1", Fields: victimFields, decode: decodeVictim},
}

// Lookup returns the dataset for a schema version such as "victims/1".
func Lookup(version string) (Dataset, error) {
	d, ok := datasets[version]
	if !ok {
		return Dataset{}, fmt.Errorf("%w: %q", ErrUnknownDataset, version)
	}
	return d, nil
}

// Current returns the current schema version of a dataset.
func Current(name string) (Dataset, error) {
	for _, d := range datasets {
		if d.Name == name {
			return d, nil
		}
	}
	return Dataset{}, fmt.Errorf("%w: %q", ErrUnknownDataset, name)
}

// Fields returns the field names of a schema version, or nil.
func Fields(version string) []string {
	return slices.Clone(datasets[version].Fields)
}

// Decode parses and validates one record, refusing unknown, repeated and
// mis-cased fields. Errors name fields, never values.
func (d Dataset) Decode(raw []byte) (any, error) { return d.decode(raw) }

// Victim is one person as one source reports them.
type Victim struct {
	// StatusSource is the source's own word for the person's status,
	// kept next to the mapped Status because sources disagree on terms.
	StatusSource string   `json:"status_source,omitempty"`
	Status       string   `json:"status"`
	DecidedBy    string   `json:"decided_by,omitempty"`
	Sex          string   `json:"sex"`
	BirthYear    int      `json:"birth_year,omitempty"`
	AgeGroup     string   `json:"age_group"`
	Citizenship  string   `json:"citizenship"`
	Exploitation []string `json:"exploitation,omitempty"`
	IdentifiedOn string   `json:"identified_on,omitempty"`
	LinkageKeys  []string `json:"linkage_keys,omitempty"`
}

var victimFields = []string{"status_source", "status", "decided_by", "sex", "birth_year", "age_group", "citizenship", "exploitation", "identified_on", "linkage_keys"}

// Code lists of victims/1 (HTCDS trafficking status, Eurostat sex and age,
// HTCDS/Eurostat/Directive 2024/1712 forms of exploitation).
var (
	Statuses     = []string{"possible", "actual", "not_victim"}
	Deciders     = []string{"police", "ngo", "court", "prosecution", "other_gov"}
	Sexes        = []string{"F", "M", "U"}
	AgeGroups    = []string{"child", "adult", "unknown"}
	Exploitation = []string{"sexual", "labour", "begging", "criminal", "organ_removal", "forced_marriage", "illegal_adoption", "surrogacy", "benefit_fraud", "servitude", "other"}
)

var (
	countryPattern = regexp.MustCompile(`^([A-Z]{2}|XX)$`)
	datePattern    = regexp.MustCompile(`^(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`)
	keyPattern     = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)
)

func decodeVictim(raw []byte) (any, error) {
	var v Victim
	if err := strictjson.Decode(raw, &v); err != nil {
		// The decoder's message may quote a value; say only what kind
		// of problem it is, so no record content reaches a log.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, &FieldError{Field: te.Field, Msg: "has the wrong JSON type"}
		}
		return nil, errors.New("not a well-formed victims/1 JSON object (unknown, repeated or mis-cased field, or bad JSON)")
	}
	return v, v.Validate()
}

// FieldError is a problem with one field's value.
type FieldError struct {
	Field string
	Value string
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return e.Field + ": " + e.Msg
	}
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Msg)
}

// Validate checks a victim record against the code lists. The error joins
// one *FieldError per problem.
func (v Victim) Validate() error {
	var errs []error
	bad := func(field, val, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Value: val, Msg: fmt.Sprintf(format, args...)})
	}
	oneOf := func(field, val string, list []string, required bool) {
		switch {
		case val == "" && required:
			bad(field, "", "is required; one of %s", strings.Join(list, ", "))
		case val != "" && !slices.Contains(list, val):
			bad(field, val, "is not one of %s", strings.Join(list, ", "))
		}
	}
	oneOf("status", v.Status, Statuses, true)
	oneOf("decided_by", v.DecidedBy, Deciders, false)
	oneOf("sex", v.Sex, Sexes, true)
	oneOf("age_group", v.AgeGroup, AgeGroups, true)
	if utf8.RuneCountInString(v.StatusSource) > 100 {
		bad("status_source", truncate(v.StatusSource, 20), "is longer than 100 characters")
	}
	if v.BirthYear != 0 && (v.BirthYear < 1900 || v.BirthYear > 2100) {
		bad("birth_year", fmt.Sprint(v.BirthYear), "is not between 1900 and 2100")
	}
	if !countryPattern.MatchString(v.Citizenship) {
		bad("citizenship", v.Citizenship, "is not an ISO 3166-1 alpha-2 code (XX if unknown)")
	}
	for _, e := range v.Exploitation {
		oneOf("exploitation", e, Exploitation, true)
	}
	if v.IdentifiedOn != "" && !datePattern.MatchString(v.IdentifiedOn) {
		bad("identified_on", v.IdentifiedOn, "is not YYYY, YYYY-MM or YYYY-MM-DD")
	}
	if len(v.LinkageKeys) > 64 {
		bad("linkage_keys", "", "has more than 64 keys")
	}
	for _, k := range v.LinkageKeys {
		if !keyPattern.MatchString(k) {
			// Not repeated: a value that is no key is likely raw personal
			// data, and problems are shown and logged.
			bad("linkage_keys", "", "a value of %d characters is not 16-128 base64url characters", utf8.RuneCountInString(k))
		}
	}
	return errors.Join(errs...)
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
