package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/thbx/thbx/agent/anon"
	"github.com/thbx/thbx/submission/schema"
)

// rowState holds one row on its way to a record; it is reused from row
// to row.
type rowState struct {
	vals    []value
	emptied []string          // by slot: a cell the mapping's values map to nothing
	failed  []bool            // by slot: a cell that did not convert (a problem already)
	rec     *record           // reused from row to row
	ids     map[string]string // identifier kind → the cell
	probs   []Problem
}

// record is a record of the dataset's type, validated: v is the
// addressable struct, ptr a pointer to it.
type record struct {
	v   reflect.Value
	ptr any
}

func newRecord(typ reflect.Type) *record {
	p := reflect.New(typ)
	return &record{v: p.Elem(), ptr: p.Interface()}
}

func (rec *record) marshal() ([]byte, error) { return json.Marshal(rec.ptr) }

func (rec *record) validate() error { return rec.ptr.(interface{ Validate() error }).Validate() }

// build maps a row's cells to a record, or to problems.
func (st *rowState) build(r *runner, row int, cells []string) (*record, []Problem) {
	c := r.c
	clear(st.vals)
	if len(st.emptied) != len(st.vals) {
		st.emptied = make([]string, len(st.vals))
	}
	clear(st.emptied)
	if len(st.failed) != len(st.vals) {
		st.failed = make([]bool, len(st.vals))
	}
	clear(st.failed)
	if st.ids == nil {
		st.ids = map[string]string{}
	}
	clear(st.ids)
	st.probs = st.probs[:0]
	add := func(p Problem) { p.Row = row; st.probs = append(st.probs, p) }
	for i, col := range r.bound {
		if i >= len(cells) {
			break
		}
		cell := strings.TrimSpace(cells[i])
		if cell == "" {
			continue
		}
		if col == nil {
			if r.src.columns()[i] == "" && !r.m.IgnoreUnmapped {
				add(Problem{Reason: fmt.Sprintf("a value in column %d, which has no name in the header: name it in the header and the mapping, or remove the value", i+1)})
			}
			continue
		}
		if col.spec.Drop {
			continue
		}
		if msg := utf8Problem(cell); msg != "" {
			add(Problem{Column: col.name, Reason: msg})
			if col.t != nil {
				st.failed[col.t.slot] = true
			}
			continue
		}
		if col.id != "" {
			if prev := st.ids[col.id]; prev != "" {
				cell = prev + " " + cell // document, phone, ...: dropped anyway
			}
			st.ids[col.id] = cell
			continue
		}
		v, p := r.convert(col, cell)
		if p != nil {
			p.Column = col.name
			switch {
			case col.t.kind == schema.KindString || p.hideValue:
				p.Value = "" // free text, or a formula: never repeated
			case p.Value == "":
				p.Value = shown(cell)
			}
			add(*p)
			st.failed[col.t.slot] = true
			continue
		}
		st.vals[col.t.slot] = v
		if !v.set {
			st.emptied[col.t.slot] = cell
		}
		if col.also != nil {
			if looksLikeFormula(cell) {
				add(Problem{Column: col.name, Reason: "looks like a spreadsheet formula, and the text is kept as " + col.also.name + "; remove it"})
				continue
			}
			st.vals[col.also.slot] = value{set: true, s: cell}
		}
	}
	for _, a := range c.consts {
		st.vals[a.t.slot] = a.v
	}
	person := st.identify(r, add)
	for _, a := range c.defaults {
		if !st.vals[a.t.slot].set {
			st.vals[a.t.slot] = a.v
		}
	}
	st.completePeriod(c)
	for _, t := range c.slots {
		switch {
		case !t.required || st.vals[t.slot].set || st.failed[t.slot]:
		case st.emptied[t.slot] != "":
			add(Problem{Column: columnOf(t), Value: shown(st.emptied[t.slot]), Reason: fmt.Sprintf("no %s: the mapping's values map this term to nothing (\"\"), and %s is required; map it to a code", t.name, t.name)})
		default:
			add(Problem{Column: columnOf(t), Reason: requiredReason(t)})
		}
	}
	if len(st.probs) > 0 {
		return nil, st.probs
	}
	rec := st.assemble(c, r.sums == nil)
	if person != nil {
		if keys := c.prof.Keys(r.opts.Secret, *person); len(keys) > 0 {
			rec.v.Field(c.fieldIdx["linkage_keys"]).Set(reflect.ValueOf(keys))
		}
		if c.prof.Bloom {
			rec.v.Field(c.fieldIdx["bloom"]).SetString(anon.Bloom(r.opts.Secret, *person))
		}
	}
	if err := rec.validate(); err != nil {
		for _, p := range fieldProblems(c, err) {
			add(p)
		}
		return nil, st.probs
	}
	return rec, nil
}

// columnOf names where a target's value came from, for a problem.
func columnOf(t *target) string {
	if name, ok := strings.CutPrefix(t.filledBy, "column "); ok {
		name, _ = strings.CutSuffix(name, " (also)")
		if s, err := strconv.Unquote(name); err == nil {
			return s
		}
	}
	return ""
}

func requiredReason(t *target) string {
	switch {
	case columnOf(t) != "":
		return fmt.Sprintf("no %s: the cell is empty, and %s is required; fill it in, or set a default for %s in the mapping", t.name, t.name, t.name)
	case t.filledBy == "the identifier columns":
		return fmt.Sprintf("no %s: it comes from the birth date or age, which the row lacks; set a default for %s (unknown) in the mapping", t.name, t.name)
	}
	return fmt.Sprintf("no %s, which is required", t.name)
}

// fieldProblems turns the schema's validation errors into problems,
// naming the column a field came from.
func fieldProblems(c *compiled, err error) []Problem {
	var out []Problem
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var fe *schema.FieldError
		if !errors.As(e, &fe) {
			out = append(out, Problem{Reason: e.Error()})
			continue
		}
		p := Problem{Value: fe.Value, Reason: fe.Field + " " + fe.Msg}
		for _, t := range c.slots {
			if t.field == fe.Field {
				if col := columnOf(t); col != "" {
					p.Column = col
					break
				}
			}
		}
		if fe.Field == "" {
			p.Reason = fe.Msg
		}
		out = append(out, p)
	}
	return out
}

// identify reads the row's identifier columns: it fills the fields they
// generalise to and returns the person to key, or nil when the row has
// no name or birth date (or the run makes no keys).
func (st *rowState) identify(r *runner, add func(Problem)) *anon.Person {
	c := r.c
	if len(st.ids) == 0 {
		return nil
	}
	var birth anon.Date
	if s := st.ids[IDBirthDate]; s != "" {
		var formats []string
		for _, col := range c.cols {
			if col.id == IDBirthDate {
				formats = col.formats
			}
		}
		d, err := anon.ParseDate(s, formats)
		if err != nil {
			add(Problem{Column: idColumn(c, IDBirthDate), Reason: "not a date in the formats " + strings.Join(orDefault(formats), ", ") + "; list the column's formats under formats"})
		}
		birth = d
	}
	if s := st.ids[IDBirthYear]; s != "" && birth.Y == 0 {
		y, ok := parseInt(s)
		if !ok || y < 1000 || y > 9999 {
			add(Problem{Column: idColumn(c, IDBirthYear), Reason: "not a year"})
		} else {
			birth = anon.Date{Y: y}
		}
	}
	age := -1
	if s := st.ids[IDAge]; s != "" {
		n, ok := parseInt(s)
		if !ok || n < 0 || n > 130 {
			add(Problem{Column: idColumn(c, IDAge), Reason: "not an age in whole years"})
		} else {
			age = n
		}
	}
	st.generalise(r, birth, age)
	if c.genRegion {
		st.region(c)
	}
	surname, given := st.ids[IDSurname], st.ids[IDGiven]
	if full := st.ids[IDFullName]; full != "" {
		surname, given = splitFullName(full)
	}
	if r.opts.CheckOnly || r.opts.Secret == nil || (surname == "" && given == "" && birth.IsZero()) {
		return nil
	}
	return &anon.Person{Surname: surname, Given: given, BirthDate: birth,
		Sex: st.code(c, "sex"), Citizenship: st.code(c, "citizenship")}
}

// generalise fills birth year, age band and age group, where the
// profile says so and no column gave them.
func (st *rowState) generalise(r *runner, birth anon.Date, age int) {
	c := r.c
	if birth.Y == 0 && age < 0 {
		return
	}
	at := r.at
	if t := c.targets["identified_on"]; t != nil && st.vals[t.slot].set {
		at = isoDate(st.vals[t.slot].s)
	}
	set := func(on bool, field string, v value) {
		if t := c.targets[field]; on && t != nil && !st.vals[t.slot].set && v.set {
			st.vals[t.slot] = v
		}
	}
	str := func(s string) value { return value{set: s != "", s: s} }
	set(c.genBirthYear, "birth_year", value{set: birth.Y != 0, n: birth.Y})
	if birth.Y != 0 && at.Y != 0 {
		set(c.genAgeBand, "age_band", str(anon.AgeBand(birth, at)))
		set(c.genAgeGroup, "age_group", str(anon.AgeGroup(birth, at)))
	} else if age >= 0 {
		set(c.genAgeBand, "age_band", str(anon.BandOf(age)))
		set(c.genAgeGroup, "age_group", str(anon.GroupOf(age)))
	}
}

// isoDate reads a date the record holds (YYYY, YYYY-MM or YYYY-MM-DD, as
// convert wrote it).
func isoDate(s string) anon.Date {
	var d anon.Date
	for i, part := range strings.SplitN(s, "-", 3) {
		n, err := strconv.Atoi(part)
		if err != nil {
			return anon.Date{}
		}
		switch i {
		case 0:
			d.Y = n
		case 1:
			d.M = n
		default:
			d.D = n
		}
	}
	return d
}

// region fills the region from the address, else the town, else the
// postal code, unless a column gave it.
func (st *rowState) region(c *compiled) {
	t := c.targets["region"]
	if t == nil || st.vals[t.slot].set {
		return
	}
	for _, id := range []string{IDAddress, IDTown, IDPostcode} {
		if s := st.ids[id]; s != "" {
			if nuts, ok := anon.Region(s); ok {
				st.vals[t.slot] = value{set: true, s: nuts}
				return
			}
		}
	}
}

func idColumn(c *compiled, id string) string {
	for _, col := range c.cols {
		if col.id == id {
			return col.name
		}
	}
	return ""
}

func (st *rowState) code(c *compiled, field string) string {
	if t := c.targets[field]; t != nil && st.vals[t.slot].set {
		return st.vals[t.slot].s
	}
	return ""
}

var shortPeriod = regexp.MustCompile(`^(Q[1-4]|H[12]|0[1-9]|1[0-2])$`)

// completePeriod writes a part of the year (Q1, H2, 07) with the
// record's year, as controls/1 wants it (2025-Q1).
func (st *rowState) completePeriod(c *compiled) {
	p, y := c.targets["period"], c.targets["year"]
	if c.ds.Name != "controls" || p == nil || y == nil || !st.vals[p.slot].set || !st.vals[y.slot].set {
		return
	}
	if s := st.vals[p.slot].s; shortPeriod.MatchString(s) {
		st.vals[p.slot].s = fmt.Sprintf("%04d-%s", st.vals[y.slot].n, s)
	}
}

// assemble sets the record's fields from the values, in the row state's
// own record when reuse says the record is not kept past the row.
func (st *rowState) assemble(c *compiled, reuse bool) *record {
	var rec *record
	if reuse && st.rec != nil {
		rec = st.rec
		rec.v.SetZero()
	} else {
		rec = newRecord(c.typ)
		if reuse {
			st.rec = rec
		}
	}
	rv := rec.v
	for _, t := range c.slots {
		v := st.vals[t.slot]
		if !v.set {
			continue
		}
		f := rv.Field(t.index)
		switch {
		case t.dim != "":
			if f.IsNil() {
				f.Set(reflect.MakeMap(f.Type()))
			}
			f.SetMapIndex(reflect.ValueOf(t.dim), reflect.ValueOf(v.s))
		case t.kind == schema.KindEvents:
			for _, country := range v.list {
				f.Set(reflect.Append(f, reflect.ValueOf(schema.Event{Stage: t.stage, Country: country})))
			}
		case t.kind == schema.KindCodes || t.kind == schema.KindCountries:
			f.Set(reflect.ValueOf(append([]string(nil), v.list...)))
		case t.kind == schema.KindInt:
			f.SetInt(int64(v.n))
		case t.kind == schema.KindBool:
			f.SetBool(v.b)
		default:
			f.SetString(v.s)
		}
	}
	return rec
}

// splitFullName splits a name written in one cell into surname and given
// names: the words in capitals are the surname (NOVÁKOVÁ Jana), else the
// last word is. A wrong split still links: the h1 key variant keys the
// name words of both fields as one set.
func splitFullName(full string) (surname, given string) {
	words := strings.Fields(full)
	if len(words) < 2 {
		return full, ""
	}
	var upper, other []string
	for _, w := range words {
		if utf8.RuneCountInString(w) > 1 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			upper = append(upper, w)
		} else {
			other = append(other, w)
		}
	}
	if len(upper) > 0 && len(other) > 0 {
		return strings.Join(upper, " "), strings.Join(other, " ")
	}
	return words[len(words)-1], strings.Join(words[:len(words)-1], " ")
}

// cached is a conversion remembered for a column.
type cached struct {
	v value
	p *Problem
}

// maxCached bounds the conversions remembered per column: coded columns
// repeat a few terms, and a column of many distinct values gains
// nothing.
const maxCached = 4096

// convert converts a cell, remembering the outcome for the column: a
// coded column's terms repeat row after row.
func (r *runner) convert(col *column, cell string) (value, *Problem) {
	if r.cache == nil {
		r.cache = map[*column]map[string]cached{}
	}
	m := r.cache[col]
	if c, ok := m[cell]; ok {
		if c.p != nil {
			p := *c.p
			return c.v, &p
		}
		return c.v, nil
	}
	v, p := convert(col.t, col, cell, false)
	if m == nil {
		m = map[string]cached{}
		r.cache[col] = m
	}
	if len(m) < maxCached {
		var pc *Problem
		if p != nil {
			c := *p
			pc = &c
		}
		m[cell] = cached{v, pc}
	}
	return v, p
}
