// Package strictjson decodes JSON objects strictly, so that every reader
// of a signed document sees the same fields.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Decode decodes one JSON object into v, a pointer to a struct, more
// strictly than encoding/json, so that two implementations of a format
// read the same signed bytes the same way. At every depth, object keys
// must be field names spelled exactly (encoding/json matches them
// case-insensitively) and may not repeat (encoding/json keeps the last);
// the text must be valid UTF-8 (encoding/json replaces bad bytes) with no
// unpaired surrogate escape (\ud800 alone, which encoding/json reads as
// U+FFFD and other readers keep); objects and arrays nest at most 16
// levels deep; nothing but JSON white space may follow the object.
//
// A field whose type decodes itself (json.Unmarshaler,
// encoding.TextUnmarshaler) is left to its own method, which must be as
// strict: schema's Event calls Decode, its Dimensions refuse repeated
// keys, time.Time takes a string. A struct whose fields share a JSON name
// (which encoding/json settles by its own rules of depth and tags) has
// that name refused, as does an embedded pointer's fields.
func Decode(data []byte, v any) error {
	if !utf8.Valid(data) {
		return errors.New("not valid UTF-8")
	}
	if err := checkSurrogates(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers are checked by the decoding proper, not here
	if b := bytes.TrimLeft(data, " \t\r\n"); len(b) == 0 || b[0] != '{' {
		return errors.New("want a JSON object")
	}
	if err := checkValue(dec, reflect.TypeOf(v).Elem(), nil, 0); err != nil {
		return err
	}
	// Decoder.More would miss a stray closing brace: only the end of the
	// input may follow.
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	strict := json.NewDecoder(bytes.NewReader(data))
	strict.DisallowUnknownFields()
	return strict.Decode(v)
}

const maxDepth = 16

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// path is where a value sits, made into text only for an error: building
// it for every key would cost as much as the keys and arrays are long,
// for each of them.
type path struct {
	parent *path
	key    string
	index  int // when key is ""
}

// maxPathKey bounds how much of a key an error quotes.
const maxPathKey = 64

func (p *path) String() string {
	var parts []string
	for ; p != nil; p = p.parent {
		if p.key == "" {
			parts = append(parts, "["+strconv.Itoa(p.index)+"]")
			continue
		}
		k := p.key
		if len(k) > maxPathKey {
			k = strings.ToValidUTF8(k[:maxPathKey], "") + "…"
		}
		parts = append(parts, "."+k)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return strings.TrimPrefix(b.String(), ".")
}

// checkValue reads one value from dec and checks its objects' keys against
// t (nil: any keys, still no repeats, as in a map). depth counts the
// objects and arrays around the value.
func checkValue(dec *json.Decoder, t reflect.Type, at *path, depth int) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)) {
		var skip json.RawMessage // decoded by its own method
		return dec.Decode(&skip)
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if depth >= maxDepth {
		return errors.New("JSON nested too deeply")
	}
	switch d {
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := checkValue(dec, elem, &path{parent: at, index: i}, depth+1); err != nil {
				return err
			}
		}
	case '{':
		var fields map[string]reflect.Type
		var elem reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = fieldTypes(t)
		} else if t != nil && t.Kind() == reflect.Map {
			elem = t.Elem()
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key := tok.(string)
			here := &path{parent: at, key: key}
			if seen[key] {
				return fmt.Errorf("field %q appears twice", here)
			}
			seen[key] = true
			ft := elem
			if fields != nil {
				if ft, ok = fields[key]; !ok || ft == nil {
					return fmt.Errorf("unknown field %q", here)
				}
			}
			if err := checkValue(dec, ft, here, depth+1); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// fieldTypes maps a struct's JSON names, spelled exactly, to their types;
// embedded structs are inlined as encoding/json does. A name two fields
// share maps to nil, which checkValue refuses: encoding/json would pick
// one by rules of depth and tags this check does not follow.
func fieldTypes(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	add := func(name string, ft reflect.Type) {
		if _, dup := out[name]; dup {
			out[name] = nil
			return
		}
		out[name] = ft
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for n, ft := range fieldTypes(f.Type) {
				add(n, ft)
			}
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		add(name, f.Type)
	}
	return out
}

// checkSurrogates refuses a \u escape of a UTF-16 surrogate that is not
// half of a pair: encoding/json reads it as U+FFFD, other readers keep
// it. It reads the text as JSON's strings are written, and leaves every
// other error to the decoder.
func checkSurrogates(data []byte) error {
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '"':
			inString = !inString
		case c == '\\' && inString && i+1 < len(data):
			i++
			if data[i] != 'u' {
				continue
			}
			r, ok := hex4(data, i+1)
			if !ok {
				continue
			}
			i += 4
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return errors.New("an unpaired surrogate escape in a string")
			case r >= 0xD800 && r <= 0xDBFF:
				if i+6 >= len(data) || data[i+1] != '\\' || data[i+2] != 'u' {
					return errors.New("an unpaired surrogate escape in a string")
				}
				lo, ok := hex4(data, i+3)
				if !ok || lo < 0xDC00 || lo > 0xDFFF {
					return errors.New("an unpaired surrogate escape in a string")
				}
				i += 6
			}
		}
	}
	return nil
}

// hex4 reads the four hex digits at data[i:].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(data[i:i+4]), 16, 16)
	return rune(n), err == nil
}
