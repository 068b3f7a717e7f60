package schema

import (
	"fmt"
	"strings"
)

// markdownIntro is the part of docs/SCHEMA.md that no table says.
const markdownIntro = `# Schema v1

<!-- Generated from package submission/schema by
     go test ./submission/schema -run TestSchemaMarkdown -update
     Do not edit by hand: the test fails when this file and the code differ. -->

Partners send records of four datasets. Each record is one JSON object on
one line of a sealed submission; the manifest names its schema version
(` + "`victims/1`" + `, ...). This file lists every field, every code and the
words (aliases) that the agent's mapping accepts for each code, Czech and
English. The same tables are available to programs through
` + "`schema.Datasets`, `Dataset.Spec`, `Dataset.Columns`, `schema.CodeLists`" + `
and the JSON Schemas in [schema/](schema/) (which state each field's form
but not the rules between fields).

## What a record never holds

No record carries a direct identifier. Names, dates of birth, ID and
passport numbers, addresses, phone numbers, e-mail addresses and free-text
narratives stay with the partner. What leaves is coded attributes,
generalised quasi-identifiers (birth year, age band, NUTS 3 region) and
linkage keys and Bloom filters keyed under the partners' linkage secret,
which the hub never holds. Such records are still personal data
(pseudonymised, GDPR Art. 4(5)), so validation errors name the field and
the rule broken and never repeat a free-text or key value; codes, numbers
and dates may be repeated.

## Reading records

- Codes are written exactly as listed (case matters: ` + "`F`, `actual`, `CZ010`" + `).
  Aliases are for mapping only; records carry codes.
- Decoding is strict: unknown, repeated and mis-cased fields, values of the
  wrong JSON type and anything after the object are refused.
- An optional field left out means "not reported". In proceedings and
  aggregates an optional breakdown left out means "all values" (a total),
  never "unknown": unknown has its own code (sex ` + "`U`" + `, citizenship ` + "`XX`" + `,
  citizenship group ` + "`unknown`" + `).
- Counts are 0 or more; zero is a real value and must be written. Counts are
  raw: cells of 1-3 are suppressed when tables are published, not here.
- Ages are at identification, not at the time of the report.
- A list of codes may not name a code twice.
`

// markdownTraps is the terminology section of docs/SCHEMA.md.
const markdownTraps = `## Terminology traps

- **The source's status is kept beside the mapped one.** ` + "`status_source`" + ` holds
  the source's own word ("klientka", "identifikovaná oběť", "poškozená"),
  ` + "`status`" + ` the HTCDS code it was mapped to. The police use a broader notion
  of victim than THB (an injured party in any offence): map their terms
  with care, and never drop the source's word.
- **"Identified" and "presumed" come from different sources.** A victim of
  the Ministry of the Interior's Victim Assistance Programme has been
  identified: ` + "`actual`" + `. An NGO's client is usually presumed: ` + "`possible`" + `, also
  when the NGO says "oběť" in its own spreadsheet. Eurostat's registered
  victims are both together.
- **Begging is a form of its own in HTCDS, labour in CTDC.** Record
  ` + "`begging`" + ` when the source says begging; reports in CTDC terms fold it into
  ` + "`labour`" + `. Do not record ` + "`labour`" + ` as well unless the source does.
- **Forced criminality has no HTCDS code.** ` + "`criminal`" + ` is thbx's addition,
  matching Eurostat's "exploitation of criminal activities" (for instance
  cannabis cultivation); Eurostat counts it, with begging, organ removal
  and benefit fraud, under "other forms".
- **Directive (EU) 2024/1712** adds forced marriage, illegal adoption and
  exploitation of surrogacy: ` + "`forced_marriage`, `illegal_adoption`, `surrogacy`" + `.
- **Sexual exploitation subtypes** (` + "`sexual_exploitation`" + `) need ` + "`sexual`" + ` among
  the forms: HTCDS nests them.
- **Countries:** ` + "`XX`" + ` is unknown, stateless persons included (ISO has no
  code for them); ` + "`XK`" + ` (Kosovo) is a user-assigned code that the EU and
  Eurostat use. Eurostat writes Greece EL and the United Kingdom UK: both
  are aliases, the records carry GR and GB.
- **Czech victims abroad** are victims/1 records with ` + "`events`" + ` in the
  countries of recruitment and exploitation; embassies that give only counts
  use aggregates/1 with the ` + "`exploitation_country`" + ` dimension.
`

// Markdown renders docs/SCHEMA.md from the datasets and code lists.
func Markdown() []byte {
	var b strings.Builder
	b.WriteString(markdownIntro)
	b.WriteString("\n")
	b.WriteString(markdownTraps)
	b.WriteString("\n## Datasets\n")
	for _, d := range registered {
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n", d.Version, oneLine(d.Doc))
		b.WriteString("| field | kind | required | codes | meaning and rules |\n| --- | --- | --- | --- | --- |\n")
		for _, f := range d.Spec() {
			req := "no"
			if f.Required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", f.Name, f.Kind, req, listLink(f.Codes), cell(f.Doc))
		}
		b.WriteString("\nColumn headers the mapping recognises for each field (besides the field's own name):\n\n| field | column headers |\n| --- | --- |\n")
		for _, c := range d.Columns().Codes {
			if len(c.Aliases) > 0 {
				fmt.Fprintf(&b, "| `%s` | %s |\n", c.Code, cell(strings.Join(c.Aliases, ", ")))
			}
		}
		if d.Name == "aggregates" {
			b.WriteString("\nDimensions and their values:\n\n| dimension | kind | codes | meaning |\n| --- | --- | --- | --- |\n")
			for _, f := range DimensionFields() {
				fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, f.Kind, listLink(f.Codes), cell(f.Doc))
			}
		}
	}
	b.WriteString("\n## Kinds\n\n| kind | JSON |\n| --- | --- |\n")
	for k := KindString; k <= KindObject; k++ {
		fmt.Fprintf(&b, "| %s | %s |\n", k, kindJSON[k])
	}
	b.WriteString("\n## Validation rules\n\nEvery problem is reported as a `FieldError` with the field, the rule and a message.\n\n| rule | meaning |\n| --- | --- |\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| `%s` | %s |\n", r[0], r[1])
	}
	b.WriteString("\n## Code lists\n\nMatching ignores case, diacritics, punctuation and repeated spaces: \"Identifikovaná oběť\", \"identifikovana obet\" and \"IDENTIFIKOVANÁ  OBĚŤ\" are the same word.\n")
	for _, cl := range CodeLists() {
		fmt.Fprintf(&b, "\n### %s\n\n%d codes.\n\n| code | label | aliases |\n| --- | --- | --- |\n", cl.Name, len(cl.Codes))
		for _, c := range cl.Codes {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Code, cell(c.Label), cell(strings.Join(c.Aliases, ", ")))
		}
	}
	return []byte(b.String())
}

var kindJSON = map[Kind]string{
	KindString:    "string",
	KindInt:       "integer",
	KindBool:      "`true` or `false`",
	KindDate:      "string `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date",
	KindCode:      "string, one code of the field's list",
	KindCodes:     "array of codes of the field's list, none twice",
	KindCountry:   "string, ISO 3166-1 alpha-2 code of the country list",
	KindCountries: "array of country codes",
	KindEvents:    "array of objects `{\"stage\", \"country\", \"date\"}`",
	KindKeys:      "array of base64url strings (16-128 characters)",
	KindObject:    "object; its keys come from the field's list",
}

var rules = [][2]string{
	{RuleRequired, "a required field is missing, null or empty"},
	{RuleCode, "a value is not a code of the field's list (the value is named)"},
	{RuleDuplicate, "a list names a code twice"},
	{RuleRange, "a number is out of range"},
	{RuleFormat, "a value does not have the field's form (free text and keys are not repeated)"},
	{RuleLength, "a text or list is too long"},
	{RuleConsistency, "two fields contradict each other"},
	{RuleType, "a value has the wrong JSON type"},
	{RuleUnknownField, "the record has a field its dataset lacks"},
	{RuleFieldCase, "a field name is spelled in another letter case"},
	{RuleDuplicateField, "a field appears twice"},
	{RuleSyntax, "the record is not one well-formed JSON object"},
}

func listLink(cl *CodeList) string {
	if cl == nil {
		return ""
	}
	return "[" + cl.Name + "](#" + cl.Name + ")"
}

// cell makes s safe inside a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
