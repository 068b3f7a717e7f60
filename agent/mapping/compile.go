package mapping

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/submission/schema"
)

// compiled is a checked mapping, ready to map rows.
type compiled struct {
	ds       schema.Dataset
	prof     anon.Profile
	typ      reflect.Type   // the dataset's record type (schema.Victim, ...)
	fieldIdx map[string]int // JSON field name → index in typ
	cols     []*column      // in name order
	byName   map[string]*column
	byFold   map[string][]*column
	targets  map[string]*target
	slots    []*target
	consts   []assigned
	defaults []assigned
	// What the identifiers and the profile give.
	genBirthYear, genAgeBand, genAgeGroup, genRegion bool
	counts                                           []string // fields summed by sum_duplicates
}

// column is one column of the mapping.
type column struct {
	name    string
	spec    Column
	t       *target // Field
	id      string  // Identifier
	also    *target
	values  map[string]string // folded term → value
	skip    map[string]bool   // folded
	formats []string
}

// target is where a value goes: a field, a dimension of an aggregate, or
// the events of one stage.
type target struct {
	name     string // as the mapping names it
	field    string // the record's JSON field
	kind     schema.Kind
	codes    *schema.CodeList
	required bool
	dim      string // aggregates: the dimension
	stage    string // events: the stage
	slot     int
	index    int    // of field in the record's struct
	filledBy string // the column or setting that fills it, for problems
}

// value is one converted value.
type value struct {
	set  bool
	s    string
	n    int
	b    bool
	list []string
}

type assigned struct {
	t *target
	v value
}

// countFields are the counts sum_duplicates adds up, by dataset.
var countFields = map[string][]string{
	"proceedings": {"count"},
	"controls":    {"controls", "persons_checked", "suspected_cases"},
	"aggregates":  {"count"},
}

func (m *Mapping) compile() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Dataset == "" {
		return errors.New("dataset is missing: victims, proceedings, controls or aggregates")
	}
	ds, err := schema.Current(m.Dataset)
	if err != nil {
		return fmt.Errorf("dataset %q is not one of victims, proceedings, controls, aggregates", m.Dataset)
	}
	c := &compiled{ds: ds, byName: map[string]*column{}, byFold: map[string][]*column{}, targets: map[string]*target{}}
	m.c = c
	zero, _ := ds.Decode([]byte("{}"))
	c.typ = reflect.TypeOf(zero)
	c.fieldIdx = map[string]int{}
	for i := range c.typ.NumField() {
		name, _, _ := strings.Cut(c.typ.Field(i).Tag.Get("json"), ",")
		c.fieldIdx[name] = i
	}
	if m.Profile == "" {
		m.Profile = "default"
	}
	prof, ok := ProfileNamed(m.Profile)
	if !ok {
		bad("profile %q is not one of %s", m.Profile, strings.Join(Profiles(), ", "))
	}
	c.prof = prof
	m.checkSource(bad)
	if m.SumDuplicates {
		c.counts = countFields[ds.Name]
		if c.counts == nil {
			bad("sum_duplicates is for counts (proceedings, controls, aggregates), not %s", ds.Name)
		}
	}
	if len(m.Columns) == 0 {
		bad("columns is empty: name every column of the file")
	}
	for _, name := range sortedKeys(m.Columns) {
		col, err := c.column(ds, name, m.Columns[name])
		if err != nil {
			errs = append(errs, fmt.Errorf("column %q: %w", name, err))
			continue
		}
		c.cols = append(c.cols, col)
		c.byName[strings.TrimSpace(name)] = col
		f := schema.Fold(name)
		c.byFold[f] = append(c.byFold[f], col)
	}
	errs = append(errs, c.identifiers()...)
	errs = append(errs, c.settings("constants", m.Constants, &c.consts)...)
	errs = append(errs, c.settings("defaults", m.Defaults, &c.defaults)...)
	for _, a := range c.consts {
		if a.t.filledBy != "constants" {
			bad("constants: %s is also filled by %s; keep one", a.t.name, a.t.filledBy)
		}
	}
	errs = append(errs, c.required()...)
	return errors.Join(errs...)
}

func (m *Mapping) checkSource(bad func(string, ...any)) {
	s := &m.Source
	switch s.Format {
	case "", "csv", "xlsx", "json", "jsonl":
	default:
		bad("source format %q is not csv, xlsx, json or jsonl", s.Format)
	}
	switch s.Encoding {
	case "", "auto", "utf-8", "utf-8-bom", "windows-1250":
	default:
		bad("source encoding %q is not utf-8, utf-8-bom, windows-1250 or auto", s.Encoding)
	}
	if _, ok := delimiterOf(s.Delimiter); !ok {
		bad("source delimiter %q is not auto, \",\", \";\", \"|\" or tab", s.Delimiter)
	}
	if s.HeaderRow < 0 || s.HeaderRow > 1000 {
		bad("source header_row %d is not between 1 and 1000", s.HeaderRow)
	}
	if s.Sheet != "" && s.Format != "" && s.Format != "xlsx" {
		bad("source sheet is for xlsx files only")
	}
	if s.Format == "xlsx" && s.Delimiter != "" {
		bad("source delimiter is for csv files only")
	}
}

// delimiterOf reads a delimiter setting; 0 means detect.
func delimiterOf(s string) (rune, bool) {
	switch s {
	case "", "auto":
		return 0, true
	case ",", ";", "|":
		return rune(s[0]), true
	case "tab", "\t", `\t`:
		return '\t', true
	}
	return 0, false
}

// column checks one column of the mapping.
func (c *compiled) column(ds schema.Dataset, name string, spec Column) (*column, error) {
	col := &column{name: name, spec: spec, values: map[string]string{}, skip: map[string]bool{}}
	n := 0
	for _, set := range []bool{spec.Field != "", spec.Identifier != "", spec.Drop} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("say exactly one of field: NAME, identifier: KIND or drop: true")
	}
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("a column needs its name from the file's header")
	}
	for _, s := range spec.Skip {
		col.skip[schema.Fold(s)] = true
	}
	switch {
	case spec.Drop:
		if spec.Values != nil || spec.Split != "" || spec.Formats != nil || spec.Also != "" {
			return nil, errors.New("a dropped column takes no values, split, formats or also")
		}
		return col, nil
	case spec.Identifier != "":
		return col, c.identifierColumn(ds, col)
	}
	t, err := c.target(spec.Field)
	if err != nil {
		return nil, err
	}
	if t.filledBy != "" {
		return nil, fmt.Errorf("field %s is already filled by %s; a field takes one column", t.name, t.filledBy)
	}
	t.filledBy = fmt.Sprintf("column %q", name)
	col.t = t
	if spec.Split != "" && !listKind(t.kind) {
		return nil, fmt.Errorf("split: %s holds one value, not a list", t.name)
	}
	if spec.Formats != nil {
		if t.kind != schema.KindDate {
			return nil, fmt.Errorf("formats: %s is not a date", t.name)
		}
		if err := checkFormats(spec.Formats); err != nil {
			return nil, err
		}
		col.formats = spec.Formats
	}
	for _, term := range sortedKeys(spec.Values) {
		v := spec.Values[term]
		if v != "" {
			if _, p := convert(t, col, v, true); p != nil {
				return nil, fmt.Errorf("values: %q → %q: %s", term, v, p.Reason)
			}
		}
		f := schema.Fold(term)
		if prev, ok := col.values[f]; ok && prev != v {
			return nil, fmt.Errorf("values: %q and another term are the same once case, accents and punctuation are set aside, and map to different codes", term)
		}
		col.values[f] = v
	}
	if spec.Also != "" {
		a, err := c.target(spec.Also)
		if err != nil {
			return nil, fmt.Errorf("also: %w", err)
		}
		if a.kind != schema.KindString {
			return nil, fmt.Errorf("also: %s is not a text field (status_source is)", a.name)
		}
		if a.filledBy != "" {
			return nil, fmt.Errorf("also: %s is already filled by %s", a.name, a.filledBy)
		}
		a.filledBy = fmt.Sprintf("column %q (also)", name)
		col.also = a
	}
	return col, nil
}

func (c *compiled) identifierColumn(ds schema.Dataset, col *column) error {
	id := col.spec.Identifier
	if !slices.Contains(Identifiers(), id) {
		return fmt.Errorf("identifier %q is not one of %s", id, strings.Join(Identifiers(), ", "))
	}
	if ds.Name != "victims" && !dropOnly(id) {
		return fmt.Errorf("identifier %s: only a victims mapping has persons; use drop: true", id)
	}
	if col.spec.Values != nil || col.spec.Split != "" || col.spec.Also != "" {
		return errors.New("an identifier column takes no values, split or also (its value never leaves)")
	}
	if col.spec.Formats != nil {
		if id != IDBirthDate {
			return fmt.Errorf("formats: identifier %s is not a date", id)
		}
		if err := checkFormats(col.spec.Formats); err != nil {
			return err
		}
		col.formats = col.spec.Formats
	}
	col.id = id
	return nil
}

func checkFormats(formats []string) error {
	for _, f := range formats {
		if !strings.Contains(f, "yyyy") || strings.Trim(f, "ymd.-/ ") != "" {
			return fmt.Errorf("formats: %q is not a date format such as d.m.yyyy, dd/mm/yyyy or yyyy-mm-dd", f)
		}
	}
	return nil
}

// identifiers checks that each identifier of a person is given once and
// works out what they add to the record.
func (c *compiled) identifiers() []error {
	var errs []error
	seen := map[string]string{}
	for _, col := range c.cols {
		if col.id == "" || dropOnly(col.id) {
			continue
		}
		if prev, ok := seen[col.id]; ok {
			errs = append(errs, fmt.Errorf("columns %q and %q are both identifier %s; keep one, drop the other", prev, col.name, col.id))
		}
		seen[col.id] = col.name
	}
	if _, ok := seen[IDFullName]; ok {
		if _, s := seen[IDSurname]; s {
			errs = append(errs, errors.New("a mapping has full_name or surname and given, not both"))
		}
	}
	gen := c.prof.Generalise[IDBirthDate]
	_, bd := seen[IDBirthDate]
	_, by := seen[IDBirthYear]
	_, age := seen[IDAge]
	methods := strings.Split(gen, "+")
	c.genBirthYear = (bd || by) && slices.Contains(methods, anon.GenBirthYear)
	c.genAgeBand = (bd || by || age) && slices.Contains(methods, anon.GenAgeBand)
	c.genAgeGroup = (bd || by || age) && slices.Contains(methods, anon.GenAgeGroup)
	_, addr := seen[IDAddress]
	_, town := seen[IDTown]
	_, psc := seen[IDPostcode]
	c.genRegion = (addr || town || psc) && c.prof.Generalise[IDAddress] == anon.GenNUTS3
	for _, g := range []struct {
		on    bool
		field string
	}{{c.genBirthYear, "birth_year"}, {c.genAgeBand, "age_band"}, {c.genAgeGroup, "age_group"}, {c.genRegion, "region"}} {
		if !g.on {
			continue
		}
		t, err := c.target(g.field)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if t.filledBy == "" {
			t.filledBy = "the identifier columns"
		}
	}
	return errs
}

// settings checks constants or defaults.
func (c *compiled) settings(what string, m map[string]string, out *[]assigned) []error {
	var errs []error
	for _, name := range sortedKeys(m) {
		t, err := c.target(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
			continue
		}
		v, p := convert(t, nil, m[name], false)
		if p != nil {
			errs = append(errs, fmt.Errorf("%s: %s %q: %s", what, name, m[name], p.Reason))
			continue
		}
		if !v.set {
			errs = append(errs, fmt.Errorf("%s: %s is empty", what, name))
			continue
		}
		if what == "constants" && t.filledBy == "" {
			t.filledBy = "constants"
		}
		*out = append(*out, assigned{t, v})
	}
	return errs
}

// required checks that every required field has a source.
func (c *compiled) required() []error {
	var errs []error
	for _, f := range c.ds.Spec() {
		if !f.Required || f.Kind == schema.KindObject {
			continue
		}
		t := c.targets[f.Name]
		if t != nil && t.filledBy != "" {
			continue
		}
		if slices.ContainsFunc(c.defaults, func(a assigned) bool { return a.t.name == f.Name }) {
			continue
		}
		errs = append(errs, fmt.Errorf("required field %s has no column: map a column to it (field: %s), or set it under constants or defaults", f.Name, f.Name))
	}
	return errs
}

// target resolves a field name as a mapping writes it.
func (c *compiled) target(name string) (*target, error) {
	if t, ok := c.targets[name]; ok {
		return t, nil
	}
	t, err := c.newTarget(name)
	if err != nil {
		return nil, err
	}
	t.slot = len(c.slots)
	t.index = c.fieldIdx[t.field]
	c.slots = append(c.slots, t)
	c.targets[name] = t
	return t, nil
}

func (c *compiled) newTarget(name string) (*target, error) {
	spec := c.ds.Spec()
	if stage, ok := strings.CutPrefix(name, "events."); ok && c.ds.Name == "victims" {
		if !schema.EventStageList.Has(stage) {
			return nil, fmt.Errorf("%s: the stage %q is not one of %s", name, stage, strings.Join(schema.EventStageList.Values(), ", "))
		}
		return &target{name: name, field: "events", kind: schema.KindEvents, codes: schema.CountryList, stage: stage}, nil
	}
	if c.ds.Name == "aggregates" {
		dim := strings.TrimPrefix(name, "dimensions.")
		if f, ok := schema.Dimension(dim); ok {
			return &target{name: dim, field: "dimensions", kind: f.Kind, codes: f.Codes, dim: dim}, nil
		}
	}
	i := slices.IndexFunc(spec, func(f schema.Field) bool { return f.Name == name })
	if i < 0 {
		return nil, fmt.Errorf("%q is not a field of %s%s", name, c.ds.Version, fieldHint(c.ds, name))
	}
	f := spec[i]
	switch {
	case f.Kind == schema.KindKeys || f.Name == "bloom":
		return nil, fmt.Errorf("%s is computed by the agent from identifier columns; map names and birth dates as identifiers", f.Name)
	case f.Kind == schema.KindEvents:
		return nil, fmt.Errorf("events: name the stage, as events.recruitment, events.transit or events.exploitation; the column gives the country")
	case f.Kind == schema.KindObject:
		return nil, fmt.Errorf("dimensions: name the dimension itself (%s)", strings.Join(schema.DimensionList.Values(), ", "))
	}
	codes := f.Codes
	if f.Kind == schema.KindCountry || f.Kind == schema.KindCountries {
		codes = schema.CountryList
	}
	return &target{name: name, field: f.Name, kind: f.Kind, codes: codes, required: f.Required}, nil
}

// fieldHint suggests the field a wrong name may have meant.
func fieldHint(ds schema.Dataset, name string) string {
	if code, d := ds.Columns().Nearest(name); d >= 0 && d <= 3 {
		return "; did you mean " + code.Code + "?"
	}
	return "; fields: " + strings.Join(ds.Fields, ", ")
}

func listKind(k schema.Kind) bool {
	return k == schema.KindCodes || k == schema.KindCountries || k == schema.KindEvents
}
