package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/submission/schema"
)

// Mapping says how one partner's file maps to a dataset of the schema.
// Obtain one from Load or Parse, which check it against the schema.
type Mapping struct {
	Dataset   string            `yaml:"dataset,omitempty"`
	Source    Source            `yaml:"source,omitempty"`
	Profile   string            `yaml:"profile,omitempty"`
	Columns   map[string]Column `yaml:"columns,omitempty"`
	Constants map[string]string `yaml:"constants,omitempty"`
	Defaults  map[string]string `yaml:"defaults,omitempty"`
	// IgnoreUnmapped drops the file's columns that Columns does not
	// name; without it they are an error.
	IgnoreUnmapped bool `yaml:"ignore_unmapped,omitempty"`
	// SumDuplicates adds up the counts of rows that make the same
	// record (proceedings, controls and aggregates only): the court's
	// convictions by sentence, say, when the schema has no sentence.
	SumDuplicates bool `yaml:"sum_duplicates,omitempty"`

	c *compiled
}

// Source describes the file.
type Source struct {
	Format    string `yaml:"format,omitempty"`    // csv, xlsx, json, jsonl; from the file name when empty
	Encoding  string `yaml:"encoding,omitempty"`  // utf-8, utf-8-bom, windows-1250, auto (the default)
	Delimiter string `yaml:"delimiter,omitempty"` // auto (the default), ",", ";", "tab" ("\t" and "|" work too)
	Sheet     string `yaml:"sheet,omitempty"`     // xlsx: the sheet; the first when empty
	HeaderRow int    `yaml:"header_row,omitempty"`
}

// Column says what one column of the file holds: a schema field, an
// identifier, or nothing to keep (Drop). Exactly one of Field, Identifier
// and Drop is set.
type Column struct {
	Field      string `yaml:"field,omitempty"`
	Identifier string `yaml:"identifier,omitempty"`
	Drop       bool   `yaml:"drop,omitempty"`
	// Values maps the partner's terms to codes (or to the literal value of
	// a field that is not coded), ahead of the schema's own terms. Terms
	// compare as schema.Fold does: case, diacritics and punctuation aside.
	// A term mapped to "" counts as empty.
	Values map[string]string `yaml:"values,omitempty"`
	// Split separates several values in one cell (", " or ";").
	Split string `yaml:"split,omitempty"`
	// Formats are the date formats of the column, as anon.ParseDate reads
	// them (d.m.yyyy, dd/mm/yyyy, yyyy-mm-dd, ...).
	Formats []string `yaml:"formats,omitempty"`
	// Also copies the cell's own text into a text field as well; "also:
	// status_source" keeps the source's word next to the mapped status.
	Also string `yaml:"also,omitempty"`
	// Skip lists values whose rows are left out: rows that are no record
	// of the dataset (acquittals in a file of convictions).
	Skip []string `yaml:"skip,omitempty"`
}

// Identifier kinds: what identifying data a column holds. None of them
// reaches a record.
const (
	IDSurname   = "surname"
	IDGiven     = "given"
	IDFullName  = "full_name"
	IDBirthDate = "birth_date"
	IDBirthYear = "birth_year"
	IDAge       = "age"
	IDAddress   = "address"
	IDTown      = "town"
	IDPostcode  = "postcode"
	IDDocument  = "document"
	IDPhone     = "phone"
	IDEmail     = "email"
	IDFreeText  = "free_text"
)

// Identifiers lists the identifier kinds a column may hold.
func Identifiers() []string {
	return []string{IDSurname, IDGiven, IDFullName, IDBirthDate, IDBirthYear, IDAge, IDAddress, IDTown,
		IDPostcode, IDDocument, IDPhone, IDEmail, IDFreeText}
}

// Identifiers that are only dropped: several columns may hold each, and a
// mapping of any dataset may name them.
func dropOnly(id string) bool {
	return id == IDDocument || id == IDPhone || id == IDEmail || id == IDFreeText
}

// keyed reports whether an identifier feeds linkage keys, which need the
// linkage secret.
func keyed(id string) bool {
	return id == IDSurname || id == IDGiven || id == IDFullName || id == IDBirthDate || id == IDBirthYear
}

// Errors.
var (
	// ErrInvalidMapping is wrapped by every error about a mapping file.
	ErrInvalidMapping = errors.New("invalid mapping")
	// ErrNoSecret is returned when a mapping with name or birth-date
	// columns is run to make records without the linkage secret.
	ErrNoSecret = errors.New("the mapping has name or birth-date columns, and linkage keys need the partners' linkage secret")
)

// MaxMappingSize bounds a mapping file.
const MaxMappingSize = 1 << 20

// Load reads and checks a mapping file.
func Load(path string) (*Mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxMappingSize+1))
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	return Parse(data, filepath.Base(path))
}

// Parse reads and checks a mapping; name says which file it came from,
// in errors.
func Parse(data []byte, name string) (*Mapping, error) {
	if name == "" {
		name = "mapping"
	}
	if len(data) > MaxMappingSize {
		return nil, fmt.Errorf("%w %s: larger than %d bytes", ErrInvalidMapping, name, MaxMappingSize)
	}
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("%w %s: the file is empty; it needs at least dataset and columns", ErrInvalidMapping, name)
		}
		return nil, fmt.Errorf("%w %s: %s", ErrInvalidMapping, name, yamlMessage(err))
	}
	var extra any
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, fmt.Errorf("%w %s: more than one YAML document", ErrInvalidMapping, name)
	}
	if err := m.compile(); err != nil {
		return nil, fmt.Errorf("%w %s:\n%w", ErrInvalidMapping, name, err)
	}
	return &m, nil
}

// yamlMessage words a YAML error for a partner: "field foo not found in
// type mapping.Column" names Go types they never see.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	for _, t := range []string{"mapping.Mapping", "mapping.Source", "mapping.Column", "map[string]mapping.Column", "map[string]string"} {
		msg = strings.ReplaceAll(msg, " in type "+t, "")
	}
	msg = strings.ReplaceAll(msg, "not found", "is not a known key (check its spelling and indentation)")
	return msg
}

// NeedsSecret reports whether the mapping has columns that feed linkage
// keys, so that making records needs the linkage secret.
func (m *Mapping) NeedsSecret() bool {
	for _, c := range m.c.cols {
		if c.id != "" && keyed(c.id) {
			return true
		}
	}
	return false
}

// Schema returns the dataset the mapping makes records of.
func (m *Mapping) Schema() schema.Dataset { return m.c.ds }

// AnonProfile returns the anonymisation profile the mapping names.
func (m *Mapping) AnonProfile() anon.Profile { return m.c.prof }

// Profiles lists the anonymisation profiles a mapping may name.
func Profiles() []string { return []string{"default", "default_bloom"} }

// ProfileNamed returns a named anonymisation profile: default
// (anon.Default: keys, no Bloom filter) or default_bloom (the same and
// the Bloom encoding of names and birth date).
func ProfileNamed(name string) (anon.Profile, bool) {
	switch name {
	case "default":
		return anon.Default(), true
	case "default_bloom":
		p := anon.Default()
		p.Name, p.Bloom = "thbx-default-bloom-1", true
		return p, true
	}
	return anon.Profile{}, false
}

// formatFor returns the source format: the mapping's, or else the one
// the file name says.
func (m *Mapping) formatFor(name string) (string, error) {
	if m.Source.Format != "" {
		return m.Source.Format, nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".tsv", ".tab":
		return "csv", nil
	case ".xlsx", ".xlsm":
		return "xlsx", nil
	case ".json":
		return "json", nil
	case ".jsonl", ".ndjson":
		return "jsonl", nil
	}
	return "", fmt.Errorf("cannot tell the format of %s from its name: set source format (csv, xlsx, json or jsonl) in the mapping", filepath.Base(name))
}

// sortedKeys returns a map's keys in order, for errors in a stable order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
