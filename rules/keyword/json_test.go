package keyword_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/qunops/qunops/rules/keyword"
	"pgregory.net/rapid"
)

// TestMatchKindText: the text form of every kind is its lowercase
// hyphenated name, both ways; other words and values are errors that name
// them.
func TestMatchKindText(t *testing.T) {
	for _, c := range []struct {
		kind keyword.MatchKind
		word string
	}{
		{keyword.LeftmostLongest, "leftmost-longest"},
		{keyword.LeftmostFirst, "leftmost-first"},
		{keyword.Overlapping, "overlapping"},
	} {
		if got := c.kind.String(); got != c.word {
			t.Errorf("String() = %q, want %q", got, c.word)
		}
		b, err := json.Marshal(c.kind)
		if err != nil || string(b) != `"`+c.word+`"` {
			t.Errorf("Marshal(%v) = %s, %v; want %q", c.kind, b, err, c.word)
		}
		var k keyword.MatchKind
		if err := json.Unmarshal(b, &k); err != nil || k != c.kind {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, k, err, c.kind)
		}
	}
	if got := keyword.MatchKind(7).String(); got != "MatchKind(7)" {
		t.Errorf("MatchKind(7).String() = %q", got)
	}
	if _, err := json.Marshal(keyword.MatchKind(7)); err == nil {
		t.Error("MatchKind(7) marshalled")
	}
	for _, word := range []string{"longest", "Leftmost-Longest", "leftmost_longest", ""} {
		var k keyword.MatchKind
		err := k.UnmarshalText([]byte(word))
		if err == nil || !strings.Contains(err.Error(), `"`+word+`" is not a match kind`) ||
			!strings.Contains(err.Error(), "leftmost-longest, leftmost-first, overlapping") {
			t.Errorf("UnmarshalText(%q): error %v, want one naming the word and the valid ones", word, err)
		}
	}
}

// TestOptionsJSON: Options round-trip through snake_case JSON with zero
// fields left out, and bad documents are rejected naming the key or word.
func TestOptionsJSON(t *testing.T) {
	o := keyword.Options{Fold: true, SkipNoise: true, MaxNoise: 4, Literal: []int{0}, WholeWord: []int{1, 2},
		Variants: map[string][]string{"微": {"薇"}}, MaxVariants: 16}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"fold":true,"skip_noise":true,"max_noise":4,"literal":[0],"whole_word":[1,2],"variants":{"微":["薇"]},"max_variants":16}`
	if string(b) != want {
		t.Errorf("Marshal = %s\nwant      %s", b, want)
	}
	var back keyword.Options
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if b, _ := json.Marshal(keyword.Options{}); string(b) != "{}" {
		t.Errorf("zero Options = %s, want {}", b)
	}

	bad := []struct{ name, in, want string }{
		{"unknown key", `{"fold":true,"noise":1}`, `unknown key "noise"`},
		{"duplicate key", `{"fold":true,"fold":false}`, `duplicate key "fold"`},
		{"wrong case", `{"SkipNoise":true}`, `unknown key "SkipNoise"`},
		{"Go field name", `{"skip_noise":true,"MaxNoise":3}`, `unknown key "MaxNoise"`},
		{"wrong type", `{"max_noise":"8"}`, "max_noise"},
		{"duplicate variant key", `{"variants":{"微":["薇"],"微":["威"]}}`, `variants: duplicate key "微"`},
		{"trailing data", `{} {}`, "after the JSON value"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			got := keyword.Options{MaxNoise: 3}
			err := got.UnmarshalJSON([]byte(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "keyword: options: ") {
				t.Fatalf("Unmarshal(%s): error %v, want one starting keyword: options: and containing %q", c.in, err, c.want)
			}
			if got.MaxNoise != 3 {
				t.Errorf("a failed Unmarshal changed the options: %+v", got)
			}
		})
	}
}

// TestOptionsValidate: Validate rejects what it can see without the
// patterns, naming the key, and Compile rejects the same.
func TestOptionsValidate(t *testing.T) {
	cases := []struct {
		name string
		o    keyword.Options
		want string
	}{
		{"negative max noise", keyword.Options{MaxNoise: -1}, "keyword: max_noise -1 must not be negative"},
		{"negative max variants", keyword.Options{MaxVariants: -2}, "keyword: max_variants -2 must not be negative"},
		{"negative literal index", keyword.Options{Literal: []int{0, -1}}, "keyword: literal[1]: pattern index -1 is negative"},
		{"negative whole-word index", keyword.Options{WholeWord: []int{-3}}, "keyword: whole_word[0]: pattern index -3 is negative"},
		{"noise-only variant key", keyword.Options{SkipNoise: true, Variants: map[string][]string{"**": {"x"}}}, `keyword: variant key "**" is empty`},
		{"invalid variant value", keyword.Options{Variants: map[string][]string{"微": {"\xff"}}}, `keyword: variant "\xff" of "微" is not valid UTF-8`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate: error %v, want %q", err, c.want)
			}
			if _, err := keyword.Compile([]string{"微信"}, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Compile: error %v, want %q", err, c.want)
			}
		})
	}
	ok := keyword.Options{Fold: true, SkipNoise: true, Literal: []int{5}, Variants: map[string][]string{"微": {"薇"}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(%+v): %v", ok, err)
	}
	// An index beyond the patterns is only known to Compile.
	if _, err := keyword.Compile([]string{"微信"}, ok); err == nil || !strings.Contains(err.Error(), "keyword: literal[0]: pattern index 5 out of range [0, 1)") {
		t.Errorf("Compile with literal index 5 of 1 pattern: %v", err)
	}
}

// TestOptionsJSONRoundTrip: any Options survive marshal, unmarshal,
// marshal with the same bytes and an equal value (nil and empty lists are
// the same Options).
func TestOptionsJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := keyword.Options{
			Fold:        rapid.Bool().Draw(t, "fold"),
			SkipNoise:   rapid.Bool().Draw(t, "skip"),
			MaxNoise:    rapid.IntRange(-2, 100).Draw(t, "maxNoise"),
			Literal:     rapid.SliceOf(rapid.IntRange(-1, 50)).Draw(t, "literal"),
			WholeWord:   rapid.SliceOf(rapid.IntRange(-1, 50)).Draw(t, "whole"),
			Variants:    rapid.MapOf(rapid.String(), rapid.SliceOf(rapid.String())).Draw(t, "variants"),
			MaxVariants: rapid.IntRange(-2, 1000).Draw(t, "maxVariants"),
		}
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		var back keyword.Options
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		again, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(b) {
			t.Fatalf("second marshal differs:\n%s\n%s", b, again)
		}
		if diff := cmp.Diff(o, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
