package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Unmarshal decodes the single JSON value in data into v, which must be a
// non-nil pointer, more strictly than encoding/json does:
//
//   - an object key that occurs twice in one object is an error (encoding/json
//     keeps the last one, so a second "blacklist" key would silently drop the
//     first);
//   - an object decoded into a struct may use only the struct's JSON keys,
//     spelled exactly (encoding/json also accepts "WARN_LIMIT" for
//     "warn_limit");
//   - anything after the value other than white space is an error.
//
// Every error names the offending key by its path, as in
// `duplicate key "blacklist"` or `replies[1]: unknown key "keyword"`. Values
// whose type implements json.Unmarshaler or encoding.TextUnmarshaler check
// their own contents; their keys are checked for duplicates only.
//
// On error, v may have been partly written; callers decode into a fresh value
// and assign it to their receiver only on success.
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("jsonx: Unmarshal needs a non-nil pointer, not %T", v)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	c := checker{data: data, dec: dec}
	if err := c.value(rv.Type().Elem(), true); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return cleanErr(err)
	}
	return nil
}

// checker walks the token stream of one value next to the Go type it is
// decoded into.
type checker struct {
	data []byte
	dec  *json.Decoder
	path []string
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
)

// value checks the next value of the stream against t; t nil means any
// value (only duplicate keys are checked). top is true for the outermost
// value, whose own Unmarshaler is the caller. A string decoded by a
// TextUnmarshaler is tried here, so that its error names the key.
func (c *checker) value(t reflect.Type, top bool) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	start := c.dec.InputOffset()
	tok, err := c.dec.Token()
	if err != nil {
		return c.errorf("%v", syntaxMsg(err))
	}
	if t != nil && !top {
		if err := c.scalar(t, tok); err != nil {
			return err
		}
		if t != timeType && reflect.PointerTo(t).Implements(unmarshalerType) {
			// The type reads its own JSON: check its keys for duplicates,
			// then let it decode, so that its error names the key.
			if err := c.walk(tok, nil); err != nil {
				return err
			}
			raw := bytes.TrimLeft(c.data[start:c.dec.InputOffset()], " \t\r\n:,")
			u := reflect.New(t).Interface().(json.Unmarshaler)
			if err := u.UnmarshalJSON(raw); err != nil {
				return c.errorf("%v", err)
			}
			return nil
		}
		if implementsUnmarshal(t) {
			t = nil
		}
	}
	return c.walk(tok, t)
}

// walk checks the rest of a value whose first token is tok.
func (c *checker) walk(tok json.Token, t reflect.Type) error {
	switch tok {
	case json.Delim('{'):
		return c.object(t)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; c.dec.More(); i++ {
			c.push("[" + strconv.Itoa(i) + "]")
			if err := c.value(elem, false); err != nil {
				return err
			}
			c.pop()
		}
		return c.end()
	}
	return nil
}

// end reads the closing delimiter of an object or array.
func (c *checker) end() error {
	if _, err := c.dec.Token(); err != nil {
		return c.errorf("%v", syntaxMsg(err))
	}
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

// scalar checks a scalar token against the type it decodes into, so that a
// wrong type is reported with the key's full path (encoding/json's own error
// drops array indices and names Go types). null is accepted everywhere, as
// encoding/json accepts it.
func (c *checker) scalar(t reflect.Type, tok json.Token) error {
	if tok == nil {
		return nil
	}
	if _, delim := tok.(json.Delim); delim {
		return nil
	}
	s, isString := tok.(string)
	switch {
	case t == timeType:
		if !isString {
			return c.errorf("want a time like \"2026-03-02T08:00:00+08:00\", not %s", tokenWord(tok))
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return c.errorf("time %q is not RFC 3339 like \"2026-03-02T08:00:00+08:00\"", s)
		}
		return nil
	case implementsUnmarshal(t):
		pt := reflect.PointerTo(t)
		if pt.Implements(unmarshalerType) || !pt.Implements(textUnmarshalerType) {
			return nil // the type reads its own JSON
		}
		if !isString {
			return c.errorf("want a string, not %s", tokenWord(tok))
		}
		u := reflect.New(t).Interface().(interface{ UnmarshalText([]byte) error })
		if err := u.UnmarshalText([]byte(s)); err != nil {
			return c.errorf("%v", err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		if !isString {
			return c.errorf("want a string, not %s", tokenWord(tok))
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return c.errorf("want true or false, not %s", tokenWord(tok))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return c.errorf("want an integer, not %s", tokenWord(tok))
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			return c.errorf("%s is not an integer of %d bits", n, t.Bits())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := tok.(json.Number)
		if !ok {
			return c.errorf("want a non-negative integer, not %s", tokenWord(tok))
		}
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); err != nil {
			return c.errorf("%s is not a non-negative integer of %d bits", n, t.Bits())
		}
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return c.errorf("want a number, not %s", tokenWord(tok))
		}
		if _, err := strconv.ParseFloat(string(n), t.Bits()); err != nil {
			return c.errorf("%s is out of range", n)
		}
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return c.errorf("want %s, not %s", compositeWord(t), tokenWord(tok))
	}
	return nil
}

// tokenWord names a scalar token for an error: the string quoted, a number
// or literal as written.
func tokenWord(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return "the number " + string(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(tok)
}

func compositeWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

func implementsUnmarshal(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType)
}

// object checks the members of an object whose '{' was just read.
func (c *checker) object(t reflect.Type) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = structFields(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := make(map[string]bool)
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return c.errorf("%v", syntaxMsg(err))
		}
		key, _ := tok.(string)
		if seen[key] {
			return c.errorf("duplicate key %q", key)
		}
		seen[key] = true
		next := elem
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				return c.errorf("unknown key %q", key)
			}
			next = ft
		}
		c.push(key)
		if err := c.value(next, false); err != nil {
			return err
		}
		c.pop()
	}
	return c.end()
}

func (c *checker) push(s string) { c.path = append(c.path, s) }
func (c *checker) pop()          { c.path = c.path[:len(c.path)-1] }

func (c *checker) errorf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if p := c.where(); p != "" {
		return errors.New(p + ": " + msg)
	}
	return errors.New(msg)
}

// where writes the path as a.b[2].c.
func (c *checker) where() string {
	var b strings.Builder
	for _, s := range c.path {
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// structFields returns the exact JSON keys of struct type t with the types
// their values decode into, following encoding/json's rules for tags,
// unexported fields and embedded structs (without its tie-breaking between
// equal keys at one depth, which no qunops type relies on).
func structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := make(map[string]reflect.Type)
	addFields(m, t, 0)
	fieldCache.Store(t, m)
	return m
}

func addFields(m map[string]reflect.Type, t reflect.Type, depth int) {
	if depth > 8 {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(m, ft, depth+1)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := m[name]; !dup {
			m[name] = f.Type
		}
	}
}

// syntaxMsg shortens encoding/json's token errors.
func syntaxMsg(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of JSON"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// cleanErr rewrites encoding/json's type errors to name the key path.
func cleanErr(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Errorf("%s: cannot use JSON %s as %s", te.Field, te.Value, te.Type)
		}
		return fmt.Errorf("cannot use JSON %s as %s", te.Value, te.Type)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}
