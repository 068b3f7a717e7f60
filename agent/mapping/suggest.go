package mapping

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/submission/schema"
)

// SampleRows is how many rows Suggest reads after the header.
const SampleRows = 1000

// maxSuggestedValues bounds the values Suggest lists for one column.
const maxSuggestedValues = 60

// Suggest reads a file's header and up to SampleRows rows and writes a
// first mapping of it to the dataset as commented YAML, for the partner
// to check and edit: each column's field or identifier as the header
// suggests it, each distinct value of a coded column with the code it
// matches (or the nearest code, marked "# check"), date formats, list
// separators and the defaults every mapping of the dataset wants. A
// column it cannot place is dropped, so that nothing leaves unchecked.
func Suggest(path, dataset string, w io.Writer) error {
	format, err := (&Mapping{}).formatFor(path)
	if err != nil {
		return err
	}
	ds, err := schema.Current(dataset)
	if err != nil {
		return fmt.Errorf("dataset %q is not one of victims, proceedings, controls, aggregates", dataset)
	}
	sg := &suggester{ds: ds, file: filepath.Base(path), src: Source{Format: format}}
	var src rowSource
	switch format {
	case "xlsx":
		x, err := openXLSX(path, nil, Source{})
		if err != nil {
			return sg.openError(err)
		}
		src = x
		sg.src.Sheet = x.sheet
		sg.sheets = x.f.GetSheetList()
	default:
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		var ti textInfo
		if format == "csv" {
			var c *csvSource
			c, ti, err = openCSV(f, Source{})
			if err != nil {
				return sg.openError(err)
			}
			src = c
			sg.src.Delimiter = delimiterName(c.r.Comma)
		} else {
			var j *jsonSource
			j, ti, err = openJSON(f, Source{}, format == "jsonl")
			if err != nil {
				return sg.openError(err)
			}
			src = j
		}
		sg.src.Encoding = ti.encoding
		if ti.encoding == "utf-8" && ti.hadBOM {
			sg.src.Encoding = "utf-8-bom"
		}
	}
	defer src.close()
	if err := sg.sample(src); err != nil {
		return err
	}
	sg.place()
	return sg.write(w)
}

// suggester gathers what Suggest knows of a file.
type suggester struct {
	ds     schema.Dataset
	file   string
	src    Source
	sheets []string
	cols   []*colSample
	rows   int
}

type colSample struct {
	name     string
	values   map[string]int // distinct non-empty cells → count
	order    []string       // distinct cells in first-seen order
	filled   int
	overflow bool
	// The suggestion.
	field, id string
	split     string
	formats   []string
	array     bool   // a JSON array: a list without a separator
	note      string // a comment for the line
	check     bool   // the suggestion needs a look
}

func (sg *suggester) openError(err error) error {
	var se *stopError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: %s", sg.file, se.reason)
	}
	return err
}

func (sg *suggester) sample(src rowSource) error {
	for sg.rows < SampleRows {
		_, cells, err := src.next()
		if err == io.EOF {
			break
		}
		var re *rowError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			return sg.openError(err)
		}
		sg.rows++
		for i, name := range src.columns() {
			for len(sg.cols) <= i {
				sg.cols = append(sg.cols, &colSample{values: map[string]int{}})
			}
			sg.cols[i].name = name
			if i >= len(cells) {
				continue
			}
			if v := strings.TrimSpace(cells[i]); v != "" {
				c := sg.cols[i]
				c.filled++
				if _, ok := c.values[v]; !ok && len(c.values) >= 1000 {
					c.overflow = true
					continue
				}
				if c.values[v] == 0 {
					c.order = append(c.order, v)
				}
				c.values[v]++
			}
		}
	}
	js, _ := src.(*jsonSource)
	for i, name := range src.columns() {
		if i >= len(sg.cols) {
			sg.cols = append(sg.cols, &colSample{values: map[string]int{}})
		}
		sg.cols[i].name = name
		sg.cols[i].array = js != nil && js.arrays[i]
	}
	return nil
}

// Header words that mark identifier columns, Czech and English, folded.
// The kind whose longest phrase a header holds wins: "first name" is a
// given name, "name" alone a full name.
var identifierHints = []struct {
	id    string
	words []string
}{
	{IDFullName, []string{"jmeno a prijmeni", "prijmeni a jmeno", "cele jmeno", "jmeno prijmeni", "full name", "name", "klient", "klientka", "client"}},
	{IDBirthYear, []string{"rok narozeni", "year of birth", "yob", "rocnik", "r nar"}},
	{IDBirthDate, []string{"datum narozeni", "date of birth", "birth date", "birthdate", "dob", "narozen", "narozena", "nar"}},
	{IDSurname, []string{"prijmeni", "surname", "last name", "lastname", "family name", "second name"}},
	{IDGiven, []string{"krestni jmeno", "jmeno", "first name", "firstname", "given name", "given names", "forename"}},
	{IDAge, []string{"vek", "age"}},
	{IDAddress, []string{"bydliste", "adresa", "address", "trvaly pobyt", "misto pobytu"}},
	{IDTown, []string{"mesto", "obec", "city", "town"}},
	{IDPostcode, []string{"psc", "postcode", "post code", "postal code", "zip"}},
	{IDDocument, []string{"rodne cislo", "rc", "cislo pasu", "pas", "passport", "cislo dokladu", "doklad", "document", "id number", "personal number"}},
	{IDPhone, []string{"telefon", "tel", "phone", "mobil", "mobile"}},
	{IDEmail, []string{"e mail", "email", "mail"}},
	{IDFreeText, []string{"poznamka", "poznamky", "notes", "note", "popis", "komentar", "comment", "comments", "description", "details", "pribeh", "narrative"}},
}

// caseRefs are headers of case and file numbers: references to the
// partner's own records, dropped.
var caseRefs = []string{"c j", "cislo jednaci", "spisova znacka", "case id", "case number", "id klienta", "id", "poradove cislo", "cislo", "no", "spis"}

// eventHints are headers of trafficking events' countries.
var eventHints = []struct {
	stage string
	words []string
}{
	{"exploitation", []string{"zeme vykoristovani", "stat vykoristovani", "country of exploitation", "exploited in"}},
	{"recruitment", []string{"zeme naboru", "stat naboru", "country of recruitment", "recruited in"}},
	{"transit", []string{"zeme tranzitu", "tranzitni zeme", "country of transit", "transit country"}},
}

// hasWords reports whether the folded header holds the folded phrase as
// whole words.
func hasWords(header, phrase string) bool {
	return header == phrase || strings.HasPrefix(header, phrase+" ") || strings.HasSuffix(header, " "+phrase) ||
		strings.Contains(header, " "+phrase+" ")
}

// place suggests what each column is.
func (sg *suggester) place() {
	columns := sg.ds.Columns()
	used := map[string]string{} // field or identifier → the column that has it
	for _, c := range sg.cols {
		if c.name == "" {
			continue
		}
		h := schema.Fold(splitCamel(c.name))
		sg.placeOne(c, h, columns)
		key := c.field
		if c.id != "" && !dropOnly(c.id) {
			key = "id:" + c.id
		}
		if key == "" {
			continue
		}
		if prev, ok := used[key]; ok {
			c.field, c.id, c.check = "", "", true
			c.note = fmt.Sprintf("column '%s' already has %s; map this one instead of it, or leave it dropped", prev, strings.TrimPrefix(key, "id:"))
			continue
		}
		used[key] = c.name
	}
	// A full name beside surname and given name is a third spelling:
	// keys use the two columns.
	if _, full := used["id:"+IDFullName]; full {
		if _, sur := used["id:"+IDSurname]; sur {
			for _, c := range sg.cols {
				if c.id == IDFullName {
					c.id, c.check = "", true
					c.note = "a name beside the surname and given-name columns; it never leaves"
				}
			}
		}
	}
	for _, c := range sg.cols {
		sg.refine(c)
	}
}

func (sg *suggester) placeOne(c *colSample, h string, columns *schema.CodeList) {
	victims := sg.ds.Name == "victims"
	if id := identifierHint(h, victims); id != "" {
		c.id = id
		return
	}
	if victims {
		for _, e := range eventHints {
			for _, w := range e.words {
				if hasWords(h, w) {
					c.field = "events." + e.stage
					return
				}
			}
		}
	}
	if code, ok := columns.Match(h); ok && mappable(sg.ds, code.Code) {
		c.field = code.Code
		return
	}
	if sg.ds.Name == "aggregates" {
		if code, ok := schema.DimensionList.Match(h); ok {
			c.field = code.Code
			return
		}
	}
	if slices.Contains(caseRefs, h) {
		c.note = "a reference to your own records"
		return
	}
	lists := []*schema.CodeList{columns}
	if sg.ds.Name == "aggregates" {
		lists = append(lists, schema.DimensionList)
	}
	if f, phrase := containedAlias(h, sg.ds, lists); f != "" {
		c.field, c.check = f, true
		c.note = fmt.Sprintf("the header says '%s'", phrase)
		return
	}
	if code, d := columns.Nearest(h); d >= 0 && d <= 2 && len(h) >= 5 && mappable(sg.ds, code.Code) {
		c.field, c.check = code.Code, true
		c.note = "the header is close to " + code.Code
		return
	}
	c.check = true
	c.note = "not recognised: map it (field: NAME, identifier: KIND) or leave it dropped"
}

// identifierHint returns the identifier whose longest hint the folded
// header holds, or "". Only drop-only identifiers count outside victims.
func identifierHint(h string, victims bool) string {
	best, bestLen := "", 0
	for _, hint := range identifierHints {
		if !victims && !dropOnly(hint.id) {
			continue
		}
		for _, w := range hint.words {
			if len(w) > bestLen && hasWords(h, w) {
				best, bestLen = hint.id, len(w)
			}
		}
	}
	return best
}

// fieldHints are headers the schema's column aliases lack, for fields of
// victims/1.
var fieldHints = map[string][]string{
	"identified_on": {"datum zapisu", "date of first contact", "first contact", "registration date", "datum registrace",
		"datum oznameni", "zahajeni sluzby", "datum zarazeni", "datum prijeti", "datum identifikace", "prvni kontakt"},
	"decided_by": {"identified by", "identifikoval", "identifikujici subjekt"},
}

// containedAlias finds the field with the longest alias (or code) that
// the header holds as whole words.
func containedAlias(h string, ds schema.Dataset, lists []*schema.CodeList) (field, phrase string) {
	try := func(code, alias string) {
		a := schema.Fold(alias)
		if len(a) >= 4 && len(a) > len(phrase) && hasWords(h, a) && (mappable(ds, code) || ds.Name == "aggregates") {
			field, phrase = code, a
		}
	}
	for _, cl := range lists {
		for _, c := range cl.Codes {
			if c.Code == "dimensions" {
				continue
			}
			try(c.Code, c.Code)
			for _, a := range c.Aliases {
				try(c.Code, a)
			}
		}
	}
	if ds.Name == "victims" {
		for f, hints := range fieldHints {
			for _, a := range hints {
				try(f, a)
			}
		}
	}
	return field, phrase
}

func mappable(ds schema.Dataset, field string) bool {
	for _, f := range ds.Spec() {
		if f.Name == field {
			return f.Kind != schema.KindKeys && f.Kind != schema.KindObject && f.Kind != schema.KindEvents && f.Name != "bloom"
		}
	}
	return false
}

// refine adds date formats and a list separator.
func (sg *suggester) refine(c *colSample) {
	t := sg.targetOf(c)
	switch {
	case c.id == IDBirthDate || (t != nil && t.kind == schema.KindDate):
		c.formats = dateFormats(c.order)
	case t != nil && listKind(t.kind) && !c.array:
		c.split = separator(c.order)
	}
}

func (sg *suggester) targetOf(c *colSample) *target {
	if c.field == "" {
		return nil
	}
	m := &Mapping{Dataset: sg.ds.Name}
	cc := &compiled{ds: sg.ds, targets: map[string]*target{}}
	m.c = cc
	t, err := cc.newTarget(c.field)
	if err != nil {
		return nil
	}
	return t
}

// dateFormats finds the formats the values are written in, in the order
// of the candidates.
func dateFormats(values []string) []string {
	candidates := []string{"d.m.yyyy", "dd/mm/yyyy", "yyyy-mm-dd", "mm/dd/yyyy", "yyyymmdd", "yyyy"}
	var out []string
	for _, v := range values {
		for _, f := range candidates {
			if _, err := anon.ParseDate(v, []string{f}); err == nil {
				if !slices.Contains(out, f) {
					out = append(out, f)
				}
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Compare(slices.Index(candidates, a), slices.Index(candidates, b))
	})
	return out
}

// separator is the list separator the values use most.
func separator(values []string) string {
	best, n := "", 0
	for _, sep := range []string{", ", "; ", " / ", "|", ";"} {
		k := 0
		for _, v := range values {
			if strings.Contains(v, sep) {
				k++
			}
		}
		if k > n {
			best, n = sep, k
		}
	}
	return best
}

func delimiterName(r rune) string {
	if r == '\t' {
		return "tab"
	}
	return string(r)
}

// q quotes a YAML scalar (a JSON string is a YAML double-quoted one).
func q(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
