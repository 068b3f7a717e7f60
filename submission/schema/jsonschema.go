package schema

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
)

// JSONSchema returns a JSON Schema (draft 2020-12) of the dataset's
// records, so that an implementation in another language can check them.
// It states each field's type, codes and form; the rules between fields
// (ages, sexual subtypes, a period within its year, the unit of an
// aggregate) and calendar-exact dates are checked by Decode only.
func (d Dataset) JSONSchema() []byte {
	props := map[string]any{}
	var required []string
	for _, f := range d.spec {
		p := jsonProperty(f)
		p["description"] = oneLine(f.Doc)
		props[f.Name] = p
		if f.Required {
			required = append(required, f.Name)
		}
	}
	s := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  strings.ReplaceAll(d.Version, "/", "-") + ".json",
		"title":                d.Version,
		"description":          oneLine(d.Doc),
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		panic(err) // maps of strings, numbers and slices always encode
	}
	return b.Bytes()
}

// Field-specific forms that the kinds do not say.
var (
	jsonYear  = map[string]any{"type": "integer", "minimum": minYear, "maximum": maxYear}
	jsonCount = map[string]any{"type": "integer", "minimum": 0, "maximum": maxCount}
	jsonDate  = map[string]any{"type": "string", "pattern": datePattern.String()}
)

func jsonProperty(f Field) map[string]any {
	switch f.Kind {
	case KindString:
		switch f.Name {
		case "status_source":
			return map[string]any{"type": "string", "maxLength": maxStatusSource}
		case "bloom":
			return map[string]any{"type": "string", "pattern": `^[A-Za-z0-9_-]{2,1366}$`}
		case "period":
			return map[string]any{"type": "string", "pattern": periodPattern.String()}
		}
		return map[string]any{"type": "string"}
	case KindInt:
		if strings.HasSuffix(f.Name, "year") {
			return maps.Clone(jsonYear)
		}
		return maps.Clone(jsonCount)
	case KindBool:
		return map[string]any{"type": "boolean"}
	case KindDate:
		return maps.Clone(jsonDate)
	case KindCode, KindCountry:
		return enum(f.Codes)
	case KindCodes, KindCountries:
		return map[string]any{"type": "array", "items": enum(f.Codes), "uniqueItems": true}
	case KindKeys:
		return map[string]any{"type": "array", "maxItems": maxLinkageKeys,
			"items": map[string]any{"type": "string", "pattern": keyPattern.String()}}
	case KindEvents:
		return map[string]any{"type": "array", "maxItems": maxEvents, "items": map[string]any{
			"type": "object",
			"properties": map[string]any{
				"stage":   enum(EventStageList),
				"country": enum(CountryList),
				"date":    maps.Clone(jsonDate),
			},
			"required":             []string{"stage", "country"},
			"additionalProperties": false,
		}}
	case KindObject:
		dims := map[string]any{}
		for _, df := range dimensionFields {
			if df.Kind == KindInt {
				dims[df.Name] = map[string]any{"type": "string", "pattern": "^[12][0-9]{3}$"}
			} else {
				dims[df.Name] = enum(df.Codes)
			}
		}
		return map[string]any{"type": "object", "properties": dims, "additionalProperties": false}
	}
	return map[string]any{}
}

func enum(cl *CodeList) map[string]any {
	return map[string]any{"type": "string", "enum": cl.Values()}
}
