package keyword

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// hit is a match as the corpus states it: the pattern and the exact
// substring of the original text it must cover.
type hit struct {
	Pattern int
	Text    string
}

// TestEvasionCorpusIssue15 holds every evasion issue 15 names for this
// package (items 10, 11 and 17 and the Variants values), each checked by
// slicing the original text with the reported offsets.
func TestEvasionCorpusIssue15(t *testing.T) {
	fs := Options{Fold: true, SkipNoise: true}
	type tc struct {
		name     string
		patterns []string
		opts     Options
		text     string
		want     []hit
	}
	tests := []tc{
		// Item 10: invisible fillers. U+3164 HANGUL FILLER is the blank
		// nickname character of WeChat and QQ.
		{"hangul filler U+3164", []string{"加微信"}, fs, "快加\u3164微信", []hit{{0, "加\u3164微信"}}},
		{"halfwidth hangul filler U+FFA0", []string{"加微信"}, fs, "加\uFFA0微信", []hit{{0, "加\uFFA0微信"}}},
		{"hangul choseong filler U+115F", []string{"加微信"}, fs, "加\u115F微信", []hit{{0, "加\u115F微信"}}},
		{"hangul jungseong filler U+1160", []string{"加微信"}, fs, "加微\u1160信", []hit{{0, "加微\u1160信"}}},
		{"fillers everywhere", []string{"加微信"}, fs, "加\u3164\u3164微\uFFA0信", []hit{{0, "加\u3164\u3164微\uFFA0信"}}},
		{"fillers at the ends are not covered", []string{"加微信"}, fs, "\u3164加微信\u3164", []hit{{0, "加微信"}}},
		{"filler between styled letters", []string{"vx"}, fs, "加ｖ\u3164Ｘ", []hit{{0, "ｖ\u3164Ｘ"}}},
		{"fillers count toward max noise", []string{"加微信"}, Options{Fold: true, SkipNoise: true, MaxNoise: 2}, "加\u3164\u3164\u3164微信", nil},
		{"filler skipped without fold", []string{"加微信"}, Options{SkipNoise: true}, "加\u3164微信", []hit{{0, "加\u3164微信"}}},
		{"soft hyphen", []string{"vx"}, fs, "v\u00ADx", []hit{{0, "v\u00ADx"}}},
		{"word joiner and BOM", []string{"加微信"}, fs, "加\u2060微\uFEFF信", []hit{{0, "加\u2060微\uFEFF信"}}},
		{"mongolian vowel separator", []string{"加微信"}, fs, "加\u180E微信", []hit{{0, "加\u180E微信"}}},

		// Item 11: CJK radicals stand for their ideographs.
		{"radical supplement gate U+2ED4", []string{"澳门赌场"}, fs, "来澳⻔赌场", []hit{{0, "澳⻔赌场"}}},
		{"radical supplement yellow U+2EE9", []string{"黄色网站"}, fs, "⻩色网站", []hit{{0, "⻩色网站"}}},
		{"radical supplement long U+2ED3", []string{"长期"}, fs, "⻓期", []hit{{0, "⻓期"}}},
		{"kangxi gold U+2FA6", []string{"黄金"}, fs, "⻩⾦", []hit{{0, "⻩⾦"}}},
		{"radical to an ideograph beyond the BMP", []string{"\U00020628"}, fs, "x⺇y", []hit{{0, "⺇"}}},
		{"radical is never skipped as noise", []string{"澳赌场"}, fs, "澳⻔赌场", nil},
		{"radical is never noise without fold", []string{"澳赌场"}, Options{SkipNoise: true}, "澳⻔赌场", nil},
		{"radical without fold is itself", []string{"澳门赌场"}, Options{SkipNoise: true}, "澳⻔赌场", nil},
		{"radical as a variant value", []string{"澳门赌场"}, Options{SkipNoise: true, Variants: map[string][]string{"门": {"⻔"}}}, "澳⻔赌场", []hit{{0, "澳⻔赌场"}}},

		// Variants values may be any string.
		{"noise-only value", []string{"加微信"}, Options{Fold: true, SkipNoise: true, Variants: map[string][]string{"加": {"+"}}}, "+微信", []hit{{0, "+微信"}}},
		{"noise-only value matches contiguously", []string{"加微信"}, Options{Fold: true, SkipNoise: true, Variants: map[string][]string{"加": {"+"}}}, "+ 微信", nil},
		{"noise-only value keeps the pattern", []string{"加微信"}, Options{Fold: true, SkipNoise: true, Variants: map[string][]string{"加": {"+"}}}, "加 微 信", []hit{{0, "加 微 信"}}},
		{"dot for 点", []string{"evil点com"}, Options{Fold: true, SkipNoise: true, Variants: map[string][]string{"点": {"."}}}, "see ＥＶＩＬ.com now", []hit{{0, "ＥＶＩＬ.com"}}},
		{"empty value leaves the key out", []string{"我的微信"}, Options{Fold: true, SkipNoise: true, Variants: map[string][]string{"的": {""}}}, "加我微信", []hit{{0, "我微信"}}},

		// Item 17: a value that folds to its key.
		{"value folding to its key", []string{"abcdefghijklmnopqrstuvwxyz"}, Options{Fold: true, Variants: map[string][]string{"a": {"A"}}}, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", []hit{{0, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}}},
	}
	// Item 10: every bidi control, each alone between two characters.
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C} {
		text := "加" + string(r) + "微信"
		tests = append(tests, tc{fmt.Sprintf("bidi control %U", r), []string{"加微信"}, fs, text, []hit{{0, text}}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.patterns, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range []MatchKind{LeftmostLongest, LeftmostFirst} {
				var got []hit
				for _, mt := range m.AppendAll(nil, tt.text, kind) {
					got = append(got, hit{mt.Pattern, tt.text[mt.Start:mt.End]})
				}
				if diff := gocmp.Diff(tt.want, got); diff != "" {
					t.Errorf("%v in %q (-want +got):\n%s", kind, tt.text, diff)
				}
			}
			if m.Contains(tt.text) != (len(tt.want) > 0) {
				t.Errorf("Contains(%q) = %v", tt.text, !(len(tt.want) > 0))
			}
		})
	}
}

// TestItem10InvisibleFillersAreNoise: the Hangul fillers (Lo, but
// Default_Ignorable_Code_Point in the Unicode Character Database's
// DerivedCoreProperties.txt) and the bidi and other format controls (Cf)
// are noise, raw and folded (NFKC maps U+3164 and U+FFA0 to U+1160).
func TestItem10InvisibleFillersAreNoise(t *testing.T) {
	tbl := foldTableOnce()
	for _, r := range []rune{0x3164, 0xFFA0, 0x115F, 0x1160, 0x202A, 0x202E, 0x2066, 0x2069, 0x200E, 0x200F, 0x061C, 0x00AD, 0x2060, 0xFEFF, 0x180E} {
		e := tbl.info(r)
		if e&flagNoiseR == 0 || e&flagNoiseF == 0 {
			t.Errorf("%U: noise raw %v, folded %v; want both", r, e&flagNoiseR != 0, e&flagNoiseF != 0)
		}
	}
	// The Hangul letters next to the fillers stay letters.
	for _, r := range []rune{'ㄱ', 'ᄀ', '가', 'ﾡ'} {
		if isNoiseRune(r) {
			t.Errorf("%U (%c) is noise, want a letter", r, r)
		}
	}
}

// radicalCases restate lines of EquivalentUnifiedIdeograph.txt, Unicode
// 15.1.0 (see radicals.go), from both radical blocks, with targets in and
// beyond the BMP and the ranges.
var radicalCases = []struct{ radical, ideograph rune }{
	{0x2E81, 0x5382}, {0x2E87, 0x20628}, {0x2E8C, 0x5C0F}, {0x2E8D, 0x5C0F}, {0x2E95, 0x2B739},
	{0x2E9F, 0x6BCD}, {0x2EBE, 0x8279}, {0x2EC0, 0x8279}, {0x2ED3, 0x957F}, {0x2ED4, 0x95E8},
	{0x2EE9, 0x9EC4}, {0x2EF3, 0x9F9F},
	{0x2F00, 0x4E00}, {0x2F08, 0x4EBA}, {0x2FA6, 0x91D1}, {0x2FA8, 0x9580}, {0x2FC8, 0x9EC3}, {0x2FD5, 0x9FA0},
}

// TestItem11RadicalsFoldToIdeographs: under Fold each radical reads as the
// ideograph the Unicode data names, and no radical is noise.
func TestItem11RadicalsFoldToIdeographs(t *testing.T) {
	for _, c := range radicalCases {
		if got := Fold(string(c.radical)); got != string(c.ideograph) {
			t.Errorf("Fold(%U) = %q, want %U %q", c.radical, got, c.ideograph, string(c.ideograph))
		}
	}
	// Every character with the Unicode property Radical (Go's
	// unicode.Radical) folds to a unified ideograph (unicode.Ideographic),
	// but U+2E80 CJK RADICAL REPEAT, which has no equivalent.
	n := 0
	for r := rune(radicalsFirst); r <= radicalsLast; r++ {
		if isNoiseRune(r) {
			t.Errorf("%U is noise", r)
		}
		if !unicode.Is(unicode.Radical, r) || r == 0x2E80 {
			continue
		}
		n++
		if f := []rune(Fold(string(r)))[0]; !unicode.Is(unicode.Ideographic, f) {
			t.Errorf("Fold(%U) = %U, not an ideograph", r, f)
		}
	}
	if n != 114+214 { // Radicals Supplement with an equivalent, Kangxi Radicals
		t.Errorf("%d radicals checked, want 328", n)
	}
	if got := Fold("\u2E80"); got != "\u2E80" {
		t.Errorf("Fold(U+2E80) = %q, want itself", got)
	}
}

// TestItem11VariantValueMayBeAnyString: values that are empty, nothing but
// noise, or a radical were rejected; keys still may not be empty.
func TestItem11VariantValueMayBeAnyString(t *testing.T) {
	for _, v := range []map[string][]string{{"门": {"⻔"}}, {"加": {"+", "＋"}}, {"的": {""}}, {"微": {" ", "\u3164"}}} {
		o := Options{Fold: true, SkipNoise: true, Variants: v}
		if err := o.Validate(); err != nil {
			t.Errorf("Validate(%q): %v", v, err)
		}
		if _, err := Compile([]string{"加微信门的"}, o); err != nil {
			t.Errorf("Compile with %q: %v", v, err)
		}
	}
	o := Options{SkipNoise: true, Variants: map[string][]string{"\u3164": {"x"}}}
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "is empty after folding") {
		t.Errorf("Validate(filler key) = %v, want an empty-key error", err)
	}
	// A pattern whose every expansion but itself is empty keeps itself.
	m, err := Compile([]string{"的"}, Options{Variants: map[string][]string{"的": {""}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.FindAll("x的"); len(got) != 1 || got[0] != (Match{0, 1, 4}) {
		t.Errorf("FindAll = %v, want [{0 1 4}]", got)
	}
}

// TestItem17VariantsCompileIsLinear: a value equal to its key after
// folding doubled the expansion search at every occurrence (26 letters:
// 12.9 s); now each (position, output) pair is visited once. Counted in
// allocations, which do not depend on the machine.
func TestItem17VariantsCompileIsLinear(t *testing.T) {
	foldTableOnce()
	tests := []struct {
		name     string
		pattern  string
		variants map[string][]string
		entries  int    // expansions compiled
		err      string // or the error
	}{
		{"value folds to key", "abcdefghijklmnopqrstuvwxyz", map[string][]string{"a": {"A"}}, 1, ""},
		{"many values fold to key", strings.Repeat("a", 26), map[string][]string{"a": {"A", "ａ", "ⓐ", "a"}}, 1, ""},
		{"overlapping keys give one string twice", strings.Repeat("ab", 13), map[string][]string{"a": {"x"}, "ab": {"xb"}}, 0, "too many variants: more than 256"},
		{"overlapping keys, few strings", "ab" + strings.Repeat("c", 24), map[string][]string{"a": {"x"}, "ab": {"xb"}, "b": {"b"}}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Fold: true, SkipNoise: true, Variants: tt.variants}
			var m *Matcher
			var err error
			allocs := testing.AllocsPerRun(1, func() { m, err = Compile([]string{tt.pattern}, opts) })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if got := len(m.autos[0].entries); got != tt.entries {
				t.Errorf("%d expansions, want %d", got, tt.entries)
			}
			// The exponential search made one allocation per path: 2^26.
			if allocs > 20000 {
				t.Errorf("Compile made %v allocations, want at most 20000", allocs)
			}
		})
	}
}

// nestedPatterns is issue 15's memory case: a, aa, ..., a^950 nested in one
// pattern of 450,000 runes, 0.9 M runes in all. Flattened output lists
// held 950 entries for each of 450,000 states (1.7 GB).
func nestedPatterns() []string {
	var ps []string
	for i := 1; i <= 950; i++ {
		ps = append(ps, strings.Repeat("a", i))
	}
	return append(ps, strings.Repeat("a", 450000))
}

// TestItem17NestedPatternsLinear: Compile keeps memory linear in the
// patterns (outputs shared through dictionary suffix links), and FindAll
// on a 2,000-character message (1.5 s before) keeps only what it returns.
func TestItem17NestedPatternsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles 0.9 M runes of patterns")
	}
	patterns := nestedPatterns()
	foldTableOnce()
	noiseBase(true)
	foldInverse()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m, err := Compile(patterns, Options{Fold: true, SkipNoise: true})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	a := m.autos[0]
	if len(a.own) != len(patterns) {
		t.Errorf("%d output entries stored, want one per pattern (%d)", len(a.own), len(patterns))
	}
	if size := m.size(); size > 50<<20 {
		t.Errorf("matcher holds %d MB, want at most 50", size>>20)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 100<<20 {
		t.Errorf("Compile allocated %d MB, want at most 100", alloc>>20)
	}

	text := strings.Repeat("a", 2000)
	want := naiveLeftmost(patterns, text, true)
	if got := m.FindAll(text); !slices.Equal(got, want) {
		t.Fatalf("FindAll = %v, want %v", got, want)
	}
	if got := m.FindAllFirst(text); !slices.Equal(got, naiveLeftmost(patterns, text, false)) {
		t.Fatalf("FindAllFirst = %v", got)
	}
	// 1.4 M overlapping matches (35 MB) used to be collected, each found
	// by walking back over up to 950 runes, before three were kept; now
	// the scan keeps at most one candidate per position.
	runtime.ReadMemStats(&before)
	m.FindAll(text)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("FindAll allocated %d KB, want at most 1 MB", alloc>>10)
	}
	if got, want := len(m.FindOverlapping(text)), len(naiveAll(patterns[:950], text)); got != want {
		t.Errorf("%d overlapping matches, want %d", got, want)
	}
}

// greedy selects leftmost-longest or leftmost-first matches from all
// overlapping ones: the definition, kept apart from the streaming scan.
func greedy(all []Match, patternLen func(Match) int, longest bool) []Match {
	all = slices.Clone(all)
	slices.SortFunc(all, func(x, y Match) int {
		if c := cmp.Compare(x.Start, y.Start); c != 0 {
			return c
		}
		if longest {
			return cmp.Or(cmp.Compare(y.End, x.End), cmp.Compare(x.Pattern, y.Pattern))
		}
		return cmp.Or(cmp.Compare(x.Pattern, y.Pattern), cmp.Compare(x.End, y.End))
	})
	var out []Match
	end := 0
	for _, m := range all {
		if m.Start >= end {
			out = append(out, m)
			end = m.End
		}
	}
	return out
}

// Long and nested patterns (beyond shortWalk, so that overlapping starts are
// found after the scan), some whole-word, with noise between letters: every
// kind equals the brute-force reference.
func TestPropertyLongPatternsEqualNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		letters := []string{"a", "b", "A", "ａ"}
		unit := rapid.SampledFrom([]string{"a", "b", "ab", "aaaa", "abab", "bbbb"})
		word := rapid.Custom(func(t *rapid.T) string {
			return strings.Join(rapid.SliceOfN(unit, 1, 12).Draw(t, "w"), "")
		})
		patterns := rapid.SliceOfN(word, 1, 6).Draw(t, "patterns")
		whole := rapid.SliceOfNDistinct(rapid.IntRange(0, len(patterns)-1), 0, len(patterns), rapid.ID).Draw(t, "whole")
		maxNoise := rapid.IntRange(1, 3).Draw(t, "maxNoise")
		var b strings.Builder
		for n := rapid.IntRange(0, 80).Draw(t, "n"); n > 0; n-- {
			b.WriteString(rapid.SampledFrom(append(letters, " ", "x", "\u3164", "\xff")).Draw(t, "sym"))
		}
		text := b.String()
		opts := Options{Fold: true, SkipNoise: true, MaxNoise: maxNoise, WholeWord: whole}
		m, err := Compile(patterns, opts)
		if err != nil {
			t.Fatal(err)
		}
		isWhole := make([]bool, len(patterns))
		for _, i := range whole {
			isWhole[i] = true
		}
		a := m.autos[0]
		all := slices.DeleteFunc(naiveSkipping(patterns, text, maxNoise), func(mt Match) bool {
			return isWhole[mt.Pattern] && !a.outside(text, mt.Start, mt.End)
		})
		if len(all) == 0 {
			all = nil
		}
		if diff := gocmp.Diff(all, m.FindOverlapping(text)); diff != "" {
			t.Fatalf("overlapping %q whole %v in %q (-want +got):\n%s", patterns, whole, text, diff)
		}
		plen := func(mt Match) int { return mt.End - mt.Start }
		if diff := gocmp.Diff(greedy(all, plen, true), m.FindAll(text)); diff != "" {
			t.Fatalf("leftmost-longest %q whole %v in %q (-want +got):\n%s", patterns, whole, text, diff)
		}
		if diff := gocmp.Diff(greedy(all, plen, false), m.FindAllFirst(text)); diff != "" {
			t.Fatalf("leftmost-first %q whole %v in %q (-want +got):\n%s", patterns, whole, text, diff)
		}
		if m.Contains(text) != (len(all) > 0) {
			t.Fatalf("Contains = %v, want %v", !(len(all) > 0), len(all) > 0)
		}
	})
}

// The reverse scan, which takes over leftmost searches whose forward scan
// drops too many outputs, equals the brute-force reference on its own.
func TestPropertyReverseLeftmostEqualsNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		unit := rapid.SampledFrom([]string{"a", "b", "ab", "aaa", "广", "告"})
		word := rapid.Custom(func(t *rapid.T) string {
			return strings.Join(rapid.SliceOfN(unit, 1, 8).Draw(t, "w"), "")
		})
		patterns := rapid.SliceOfN(word, 1, 6).Draw(t, "patterns")
		whole := rapid.SliceOfNDistinct(rapid.IntRange(0, len(patterns)-1), 0, len(patterns), rapid.ID).Draw(t, "whole")
		var b strings.Builder
		for n := rapid.IntRange(0, 60).Draw(t, "n"); n > 0; n-- {
			b.WriteString(rapid.SampledFrom([]string{"a", "A", "b", "广", "告", " ", "*", "x", "\xff"}).Draw(t, "sym"))
		}
		text := b.String()
		m, err := Compile(patterns, Options{Fold: true, SkipNoise: true, MaxNoise: 2, WholeWord: whole})
		if err != nil {
			t.Fatal(err)
		}
		a := m.autos[0]
		all := m.FindOverlapping(text) // checked against naiveSkipping above
		plen := func(mt Match) int { return mt.End - mt.Start }
		for _, first := range []bool{false, true} {
			got := a.reverse().appendLeftmostReverse(nil, text, first)
			if diff := gocmp.Diff(greedy(all, plen, !first), got); diff != "" {
				t.Fatalf("reverse first=%v %q whole %v in %q (-want +got):\n%s", first, patterns, whole, text, diff)
			}
		}
	})
}

// The reverse automaton is built lazily inside an immutable, shared
// Matcher: concurrent leftmost searches that all need it build it once and
// agree (run with -race).
func TestItem17ReverseBuildIsConcurrencySafe(t *testing.T) {
	var patterns []string
	for i := 1; i <= 40; i++ {
		patterns = append(patterns, strings.Repeat("a", i))
	}
	patterns = append(patterns, strings.Repeat("a", 5000))
	m, err := Compile(patterns, Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("a", 1000)
	want := naiveLeftmost(patterns, text, true)
	done := make(chan []Match)
	for range 4 {
		go func() { done <- m.FindAll(text) }()
	}
	for range 4 {
		if got := <-done; !slices.Equal(got, want) {
			t.Errorf("FindAll = %v, want %v", got, want)
		}
	}
	if m.autos[0].rev == nil {
		t.Error("the forward scan finished alone; the test no longer reaches the reverse automaton")
	}
}
