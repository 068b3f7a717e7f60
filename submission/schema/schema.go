package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/thbx/thbx/certs/strictjson"
)

// Dataset names a kind of record and its current schema version.
type Dataset struct {
	Name    string
	Version string   // "victims/1"
	Fields  []string // the JSON names of its fields, in record order
	Doc     string   // what one record is
	spec    []Field
	decode  func([]byte) (any, error)
}

// ErrUnknownDataset is returned for a dataset or schema version this build
// does not know.
var ErrUnknownDataset = errors.New("unknown dataset or schema version")

// registered lists the datasets in the order the documentation presents
// them: persons first, then counts.
var registered = []Dataset{
	newDataset("victims", "victims/1", victimsDoc, victimSpec, decodeAs[Victim]),
	newDataset("proceedings", "proceedings/1", proceedingsDoc, proceedingSpec, decodeAs[Proceeding]),
	newDataset("controls", "controls/1", controlsDoc, controlSpec, decodeAs[Control]),
	newDataset("aggregates", "aggregates/1", aggregatesDoc, aggregateSpec, decodeAs[Aggregate]),
}

var datasets = index(registered...)

func newDataset(name, version, doc string, spec []Field, decode func(string, []Field, []byte) (any, error)) Dataset {
	d := Dataset{Name: name, Version: version, Doc: doc, spec: spec}
	for _, f := range spec {
		d.Fields = append(d.Fields, f.Name)
	}
	d.decode = func(raw []byte) (any, error) { return decode(version, spec, raw) }
	return d
}

func index(ds ...Dataset) map[string]Dataset {
	m := make(map[string]Dataset, len(ds))
	for _, d := range ds {
		m[d.Version] = d
	}
	return m
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
	for _, d := range slices.Backward(Datasets()) {
		if d.Name == name {
			return d, nil
		}
	}
	return Dataset{}, fmt.Errorf("%w: %q", ErrUnknownDataset, name)
}

// Datasets returns every dataset version this build knows, sorted by
// version.
func Datasets() []Dataset {
	out := make([]Dataset, 0, len(datasets))
	for _, d := range datasets {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Dataset) int { return strings.Compare(a.Version, b.Version) })
	return out
}

// Fields returns the field names of a schema version, or nil.
func Fields(version string) []string {
	return slices.Clone(datasets[version].Fields)
}

// Spec describes the dataset's fields in record order: what mapping code
// reads partners' columns into.
func (d Dataset) Spec() []Field { return slices.Clone(d.spec) }

// Decode parses and validates one record, refusing unknown, repeated and
// mis-cased fields and anything after the object. A record that is not
// well-formed gives one *FieldError and a nil record; a well-formed one
// is returned with the joined *FieldErrors of its problems, if any.
// Errors name fields and rules, never a free-text or key value.
func (d Dataset) Decode(raw []byte) (any, error) { return d.decode(raw) }

// The rules a FieldError can name.
const (
	RuleRequired       = "required"        // a required field is missing or empty
	RuleCode           = "code"            // a value is not a code of the field's list
	RuleDuplicate      = "duplicate"       // a code is listed twice
	RuleRange          = "range"           // a number is out of range
	RuleFormat         = "format"          // a value does not have the field's form
	RuleLength         = "length"          // a text or list is too long
	RuleConsistency    = "consistency"     // fields contradict each other
	RuleType           = "type"            // a value has the wrong JSON type
	RuleUnknownField   = "unknown_field"   // the record has a field its dataset lacks
	RuleFieldCase      = "field_case"      // a field name is spelled in another case
	RuleDuplicateField = "duplicate_field" // a field appears twice
	RuleSyntax         = "syntax"          // the record is not one well-formed JSON object
)

// FieldError is a problem with one field's value. Value is set only for
// codes, numbers and dates: free text and keys are personal data, and
// errors reach logs and receipts.
type FieldError struct {
	Field string // the field's JSON name; empty for the record as a whole
	Value string
	Msg   string
	Rule  string // one of the Rule constants
}

func (e *FieldError) Error() string {
	switch {
	case e.Field == "":
		return e.Msg
	case e.Value == "":
		return e.Field + ": " + e.Msg
	}
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Msg)
}

// decodeAs decodes a record of type T strictly, then validates it.
func decodeAs[T interface{ Validate() error }](version string, spec []Field, raw []byte) (any, error) {
	var v T
	if err := strictjson.Decode(raw, &v); err != nil {
		return nil, structureError(version, spec, raw, err)
	}
	probs := unjoin(v.Validate())
	// A missing count or flag decodes as its zero value, which is valid:
	// only the JSON shows that it was not there.
	for _, f := range spec {
		if !f.Required || (f.Kind != KindInt && f.Kind != KindBool && f.Kind != KindObject) || names(probs, f.Name) {
			continue
		}
		if !present(raw, f.Name) {
			probs = append(probs, &FieldError{Field: f.Name, Rule: RuleRequired, Msg: "is required"})
		}
	}
	return v, errors.Join(probs...)
}

// present reports whether the object raw has key with a non-null value.
func present(raw []byte, key string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	v, ok := m[key]
	return ok && string(v) != "null"
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

func names(errs []error, field string) bool {
	for _, e := range errs {
		var fe *FieldError
		if errors.As(e, &fe) && fe.Field == field {
			return true
		}
	}
	return false
}

// structureError explains why strictjson refused raw without quoting it:
// its own messages may hold record content.
func structureError(version string, spec []Field, raw []byte, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field, _, _ := strings.Cut(te.Field, ".")
		if !slices.ContainsFunc(spec, func(f Field) bool { return f.Name == field }) {
			field = ""
		}
		return &FieldError{Field: field, Rule: RuleType, Msg: "has the wrong JSON type (want " + jsonType(te.Type.Kind().String()) + ")"}
	}
	return diagnose(version, spec, raw)
}

func jsonType(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "uint"):
		return "an integer"
	case goKind == "string":
		return "a string"
	case goKind == "bool":
		return "true or false"
	case goKind == "slice", goKind == "array":
		return "an array"
	}
	return "an object"
}

// safeName is what an unknown field name must look like to be repeated in
// an error: a column-like identifier, not a value put where a key goes.
var safeName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,39}$`)

// diagnose finds the first structural problem of raw.
func diagnose(version string, spec []Field, raw []byte) *FieldError {
	syntax := func(msg string) *FieldError { return &FieldError{Rule: RuleSyntax, Msg: msg} }
	if !utf8.Valid(raw) {
		return syntax("the record is not valid UTF-8 text; read the source file in its own encoding")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	switch {
	case err == io.EOF:
		return syntax("the record is empty; want one " + version + " JSON object")
	case err != nil:
		return syntax(fmt.Sprintf("the record is not well-formed JSON (at byte %d)", dec.InputOffset()))
	case tok != json.Delim('{'):
		return syntax("the record is not a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntax(fmt.Sprintf("the record is not well-formed JSON (at byte %d)", dec.InputOffset()))
		}
		key, _ := tok.(string)
		i := slices.IndexFunc(spec, func(f Field) bool { return strings.EqualFold(f.Name, key) })
		switch {
		case i >= 0 && spec[i].Name != key:
			return &FieldError{Field: spec[i].Name, Rule: RuleFieldCase, Msg: "is spelled in other letter case; field names are lower case"}
		case i < 0 && safeName.MatchString(key):
			return &FieldError{Field: key, Rule: RuleUnknownField, Msg: "is not a field of " + version}
		case i < 0:
			return &FieldError{Rule: RuleUnknownField, Msg: "the record has a field that is not one of " + version}
		case seen[key]:
			return &FieldError{Field: key, Rule: RuleDuplicateField, Msg: "appears twice"}
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return syntax(fmt.Sprintf("the record is not well-formed JSON (at byte %d)", dec.InputOffset()))
		}
	}
	if _, err := dec.Token(); err != nil {
		return syntax(fmt.Sprintf("the record is not well-formed JSON (at byte %d)", dec.InputOffset()))
	}
	if len(bytes.TrimSpace(raw[dec.InputOffset():])) != 0 {
		return syntax("the record has data after its JSON object")
	}
	return syntax("the record is not a well-formed " + version + " JSON object")
}
