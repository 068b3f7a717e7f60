package mapping

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/thbx/thbx/submission/schema"
)

// idNotes say what becomes of each identifier.
var idNotes = map[string]string{
	IDSurname:   "never leaves: a part of the linkage keys",
	IDGiven:     "never leaves: a part of the linkage keys",
	IDFullName:  "never leaves: a part of the linkage keys (the words in CAPITALS, else the last word, are taken as the surname)",
	IDBirthDate: "never leaves: linkage keys, birth year, age group and age band",
	IDBirthYear: "linkage keys and birth year",
	IDAge:       "never leaves: age group and age band",
	IDAddress:   "never leaves: the region (NUTS 3)",
	IDTown:      "never leaves: the region (NUTS 3)",
	IDPostcode:  "never leaves: the region (NUTS 3)",
	IDDocument:  "never leaves",
	IDPhone:     "never leaves",
	IDEmail:     "never leaves",
	IDFreeText:  "never leaves",
}

// requiredHints suggest a constant for a required field no column has.
var requiredHints = map[string]string{
	"status":          `status: "possible"       # check: possible (presumed), actual (identified) or not_victim`,
	"authority":       `authority: "alien_police"  # check: alien_police or labour_inspectorate`,
	"year":            `year: "2025"             # check: the year the counts are for`,
	"stage":           `stage: "prosecuted"      # check: suspected, prosecuted or convicted`,
	"count":           `# check: no column holds the count; map one with field: count`,
	"controls":        `# check: no column holds the number of controls; map one with field: controls`,
	"persons_checked": `# check: no column holds the persons checked; map one with field: persons_checked`,
	"suspected_cases": `# check: no column holds the suspected cases; map one with field: suspected_cases`,
}

func (sg *suggester) write(out io.Writer) error {
	w := bufio.NewWriter(out)
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	p("# Mapping of %s to %s, suggested by 'thbx-agent map init' from its", sg.file, sg.ds.Version)
	p("# header and %d row(s).", sg.rows)
	p("#")
	p("# Check every line marked \"# check\", and the code after each value: terms")
	p("# that matched a code show what the code means. Then try the mapping:")
	p("#   thbx-agent check %s -mapping mapping.yaml", sg.file)
	p("#   thbx-agent preview %s -mapping mapping.yaml", sg.file)
	p("#")
	p("# field: NAME puts a column in a field of the schema (docs/SCHEMA.md).")
	p("# identifier: KIND marks a column that never leaves: names and the date of")
	p("# birth become linkage keys, the date of birth the birth year and age band,")
	p("# an address the region; documents, phones, e-mails and notes are dropped.")
	p("# drop: true leaves a column out. Every column of the file must be named.")
	p("dataset: %s", sg.ds.Name)
	p("source:")
	p("  format: %s", sg.src.Format)
	if sg.src.Encoding != "" {
		p("  encoding: %s", sg.src.Encoding)
	}
	if sg.src.Delimiter != "" {
		p("  delimiter: %s", q(sg.src.Delimiter))
	}
	if sg.src.Sheet != "" {
		p("  sheet: %s", q(sg.src.Sheet))
		if len(sg.sheets) > 1 {
			p("  # the workbook's sheets: %s", strings.Join(sg.sheets, ", "))
		}
	}
	if sg.ds.Name == "victims" {
		p("profile: default                  # or default_bloom, to send Bloom filters for fuzzy linkage too")
	}
	p("columns:")
	filled := map[string]bool{}
	for i, c := range sg.cols {
		if c.name == "" {
			if c.filled > 0 {
				p("  # check: column %d has values but no name in the header: name it there and here", i+1)
			}
			continue
		}
		sg.writeColumn(p, c)
		if c.field != "" {
			filled[strings.SplitN(c.field, ".", 2)[0]] = true
			if c.field == "status" {
				filled["status_source"] = true
			}
		}
	}
	sg.writeSettings(p, filled)
	return w.Flush()
}

func (sg *suggester) writeColumn(p func(string, ...any), c *colSample) {
	mark := func(note string) string {
		switch {
		case note == "":
			return ""
		case c.check:
			return "  # check: " + note
		}
		return "  # " + note
	}
	switch {
	case c.id != "":
		extra := ""
		if len(c.formats) > 0 {
			extra = ", formats: " + list(c.formats)
		}
		p("  %s: {identifier: %s%s}%s", q(c.name), c.id, extra, mark(cmp.Or(c.note, idNotes[c.id])))
		return
	case c.field == "":
		p("  %s: {drop: true}%s", q(c.name), mark(c.note))
		return
	}
	t := sg.targetOf(c)
	coded := t != nil && t.codes != nil && t.kind != schema.KindInt
	if !coded && c.split == "" && len(c.formats) == 0 && c.field != "status" {
		p("  %s: {field: %s}%s", q(c.name), c.field, mark(c.note))
		return
	}
	p("  %s:%s", q(c.name), mark(c.note))
	p("    field: %s", c.field)
	if c.field == "status" && sg.ds.Name == "victims" {
		p("    also: status_source          # keeps your own word next to the code")
	}
	if len(c.formats) > 0 {
		p("    formats: %s", list(c.formats))
	}
	if c.split != "" {
		p("    split: %s", q(c.split))
	}
	if !coded {
		return
	}
	terms := c.order
	if c.split != "" {
		terms = nil
		for _, v := range c.order {
			for _, part := range strings.Split(v, listSep) {
				for _, item := range strings.Split(part, c.split) {
					if item = strings.TrimSpace(item); item != "" && !slices.Contains(terms, item) {
						terms = append(terms, item)
					}
				}
			}
		}
	} else if listKind(t.kind) {
		terms = nil
		for _, v := range c.order {
			for _, item := range strings.Split(v, listSep) {
				if item = strings.TrimSpace(item); item != "" && !slices.Contains(terms, item) {
					terms = append(terms, item)
				}
			}
		}
	}
	if len(terms) == 0 {
		return
	}
	p("    values:")
	for i, term := range terms {
		if i == maxSuggestedValues {
			p("      # … and %d more values: add those that check reports", len(terms)-i)
			break
		}
		code, perr := lookup(t, term)
		switch {
		case perr == nil:
			label := ""
			if c, ok := t.codes.Match(code); ok {
				label = shortLabel(c.Label)
			}
			p("      %s: %s%s", q(term), q(code), comment(label))
		case perr.Nearest != "" && perr.nearestDist <= max(3, len([]rune(term))/3):
			p("      %s: %s  # check: not a known term; the nearest code is %s (%s)", q(term), q(perr.Nearest), perr.Nearest, perr.nearestLabel)
		case perr.Nearest != "":
			p("      %s: \"\"  # check: not a known term, and no code is close (the nearest is %s, %s); \"\" leaves it empty", q(term), perr.Nearest, perr.nearestLabel)
		default:
			p("      %s: \"\"  # check: not a known term", q(term))
		}
	}
	if c.overflow {
		p("      # (more than 1000 distinct values in the rows read: is this a coded column?)")
	}
}

func (sg *suggester) writeSettings(p func(string, ...any), filled map[string]bool) {
	var consts []string
	for _, f := range sg.ds.Spec() {
		if !f.Required || filled[f.Name] || f.Kind == schema.KindObject {
			continue
		}
		if sg.ds.Name == "victims" && (f.Name == "sex" || f.Name == "citizenship" || f.Name == "age_group") {
			continue // defaults below
		}
		if h, ok := requiredHints[f.Name]; ok {
			consts = append(consts, "  # "+strings.TrimPrefix(h, "# "))
		}
	}
	if sg.ds.Name == "victims" && !filled["decided_by"] {
		consts = append(consts, `  # decided_by: "ngo"            # check: who decided the status: police, ngo, court, prosecution, other_gov`)
	}
	if len(consts) > 0 {
		p("constants:                         # the same value in every record")
		for _, c := range consts {
			p("%s", c)
		}
	}
	if sg.ds.Name == "victims" {
		p("defaults:                          # where the cell is empty")
		p("  sex: \"U\"                        # unknown")
		p("  citizenship: \"XX\"               # unknown")
		p("  age_group: \"unknown\"            # no birth date or age")
	}
}

func list(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = q(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

func comment(s string) string {
	if s == "" {
		return ""
	}
	return "  # " + s
}
