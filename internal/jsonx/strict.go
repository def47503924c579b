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
	c := checker{dec: dec}
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
	tok, err := c.dec.Token()
	if err != nil {
		return c.errorf("%v", syntaxMsg(err))
	}
	if t != nil && !top && implementsUnmarshal(t) {
		if s, ok := tok.(string); ok && reflect.PointerTo(t).Implements(textUnmarshalerType) &&
			!reflect.PointerTo(t).Implements(unmarshalerType) {
			u := reflect.New(t).Interface().(interface{ UnmarshalText([]byte) error })
			if err := u.UnmarshalText([]byte(s)); err != nil {
				return c.errorf("%v", err)
			}
		}
		t = nil
	}
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
		_, err := c.dec.Token()
		return err
	}
	return nil
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
	_, err := c.dec.Token()
	return err
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
