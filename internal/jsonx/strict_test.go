package jsonx

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type inner struct {
	Keywords []string `json:"keywords"`
	Wait     Duration `json:"wait,omitempty"`
}

type outer struct {
	Name    string            `json:"name"`
	Limit   int               `json:"limit,omitempty"`
	Replies []inner           `json:"replies,omitempty"`
	Names   map[string]string `json:"names,omitempty"`
	Extra   map[string]any    `json:"extra,omitempty"`
	At      time.Time         `json:"at,omitzero"`
	Skip    string            `json:"-"`
	hidden  int               // an unexported field has no key, even under its own name
}

func TestUnmarshalRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"duplicate top-level key", `{"name":"a","name":"b"}`, `duplicate key "name"`},
		{"duplicate key in a slice element", `{"replies":[{"keywords":[]},{"keywords":[],"keywords":[]}]}`, `replies[1]: duplicate key "keywords"`},
		{"duplicate map key", `{"names":{"g1":"a","g1":"b"}}`, `names: duplicate key "g1"`},
		{"duplicate key inside an any", `{"extra":{"x":{"y":1,"y":2}}}`, `extra.x: duplicate key "y"`},
		{"unknown key", `{"name":"a","nmae":"b"}`, `unknown key "nmae"`},
		{"unknown nested key", `{"replies":[{"keyword":["x"]}]}`, `replies[0]: unknown key "keyword"`},
		{"duplicate key spelled with an escape", `{"name":"a","\u006eame":"b"}`, `duplicate key "name"`},
		{"key with an invisible character", `{"name\u200b":"a"}`, `unknown key "name\u200b"`},
		{"wrong case", `{"Name":"a"}`, `unknown key "Name"`},
		{"ignored field by Go name", `{"Skip":"a"}`, `unknown key "Skip"`},
		{"unexported field", `{"hidden":1}`, `unknown key "hidden"`},
		{"trailing data", `{"name":"a"} {}`, "data after the JSON value"},
		{"truncated", `{"name":"a"`, "unexpected end of JSON"},
		{"bad duration names its key", `{"replies":[{"keywords":[],"wait":"15 minutes"}]}`, `replies[0].wait: "15 minutes" is not a duration`},
		{"duration as a number", `{"replies":[{"keywords":[],"wait":900}]}`, "replies[0].wait: want a string, not the number 900"},
		{"wrong type", `{"limit":"2"}`, `limit: want an integer, not the string "2"`},
		{"fraction for an integer", `{"limit":2.5}`, "limit: 2.5 is not an integer"},
		{"integer overflow", `{"limit":1e30}`, "limit: 1e30 is not an integer"},
		{"string for a slice", `{"replies":"x"}`, `replies: want an array, not the string "x"`},
		{"number in a string slice", `{"replies":[{"keywords":["a",1]}]}`, "replies[0].keywords[1]: want a string, not the number 1"},
		{"bad time", `{"at":"2026-03-02 08:00"}`, `at: time "2026-03-02 08:00" is not RFC 3339`},
		{"time as a number", `{"at":1772409600}`, "at: want a time"},
		{"not an object", `[1]`, "cannot use JSON array"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v outer
			err := Unmarshal([]byte(tc.in), &v)
			if err == nil {
				t.Fatalf("Unmarshal(%s) = nil error, want one containing %q", tc.in, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Unmarshal(%s) = %q, want it to contain %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestUnmarshalAccepts(t *testing.T) {
	in := `{"name":"a","limit":2,"replies":[{"keywords":["x"],"wait":"1h30m"}],"names":{"g1":"A","g2":"B"},"extra":{"x":[{"y":1},{"y":2}]}}` + "\n"
	var v outer
	if err := Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	_ = v.hidden
	if v.Name != "a" || v.Limit != 2 || len(v.Replies) != 1 || time.Duration(v.Replies[0].Wait) != 90*time.Minute || v.Names["g2"] != "B" {
		t.Errorf("decoded %+v", v)
	}
}

func TestUnmarshalNeedsPointer(t *testing.T) {
	var v outer
	if err := Unmarshal([]byte(`{}`), v); err == nil {
		t.Error("a non-pointer was accepted")
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		text string
	}{
		{15 * time.Minute, "15m"},
		{7 * 24 * time.Hour, "168h"},
		{90 * time.Minute, "1h30m"},
		{1500 * time.Millisecond, "1.5s"},
		{10 * time.Second, "10s"},
		{0, "0s"},
		{-time.Hour, "-1h"},
	}
	for _, tc := range tests {
		b, err := Duration(tc.d).MarshalText()
		if err != nil || string(b) != tc.text {
			t.Errorf("Duration(%v).MarshalText() = %q, %v; want %q", tc.d, b, err, tc.text)
		}
		var d Duration
		if err := d.UnmarshalText([]byte(tc.text)); err != nil || time.Duration(d) != tc.d {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tc.text, time.Duration(d), err, tc.d)
		}
	}
	var d Duration = 5
	if err := d.UnmarshalText([]byte("7 days")); err == nil || !strings.Contains(err.Error(), `"7 days"`) {
		t.Errorf("UnmarshalText(7 days) = %v, want an error quoting the text", err)
	}
	if d != 5 {
		t.Errorf("a failed UnmarshalText changed the value to %v", time.Duration(d))
	}
}

// even is a type that reads its own JSON: an even integer.
type even int

func (e *even) UnmarshalJSON(b []byte) error {
	var n int
	if err := Unmarshal(b, &n); err != nil {
		return err
	}
	if n%2 != 0 {
		return fmt.Errorf("%d is odd", n)
	}
	*e = even(n)
	return nil
}

type withOwn struct {
	List []even          `json:"list"`
	Map  map[string]even `json:"map"`
}

func TestUnmarshalNestedUnmarshalerErrorNamesItsKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"list":[2, 4 ,5]}`, "list[2]: 5 is odd"},
		{`{"map":{"a":2,"b":  3}}`, "map.b: 3 is odd"},
	}
	for _, tc := range tests {
		var v withOwn
		err := Unmarshal([]byte(tc.in), &v)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Unmarshal(%s) = %v, want %q", tc.in, err, tc.want)
		}
	}
	var v withOwn
	if err := Unmarshal([]byte(`{"list":[2,4],"map":{"a":6}}`), &v); err != nil || len(v.List) != 2 || v.Map["a"] != 6 {
		t.Errorf("good document: %+v, %v", v, err)
	}
}
