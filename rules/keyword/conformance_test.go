package keyword

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The conformance cases below restate, in this package's own notation, the
// search tables of the Rust crate aho-corasick (src/tests.rs: the BASICS,
// NON_OVERLAPPING, LEFTMOST, LEFTMOST_FIRST, LEFTMOST_LONGEST, OVERLAPPING
// and REGRESSION groups), which define its three match kinds. Cases with an
// empty pattern are left out: Compile rejects empty patterns. A want string
// lists matches as "pattern:start-end", separated by spaces.
type conformanceCase struct {
	name     string
	patterns []string
	text     string
	want     string
}

// sharedCases hold for every match kind, overlapping included.
var sharedCases = []conformanceCase{
	{"basic001", []string{"a"}, "", ""},
	{"basic010", []string{"a"}, "a", "0:0-1"},
	{"basic020", []string{"a"}, "aa", "0:0-1 0:1-2"},
	{"basic030", []string{"a"}, "aaa", "0:0-1 0:1-2 0:2-3"},
	{"basic040", []string{"a"}, "aba", "0:0-1 0:2-3"},
	{"basic050", []string{"a"}, "bba", "0:2-3"},
	{"basic060", []string{"a"}, "bbb", ""},
	{"basic070", []string{"a"}, "bababbbba", "0:1-2 0:3-4 0:8-9"},
	{"basic100", []string{"aa"}, "", ""},
	{"basic110", []string{"aa"}, "aa", "0:0-2"},
	{"basic120", []string{"aa"}, "aabbaa", "0:0-2 0:4-6"},
	{"basic130", []string{"aa"}, "abbab", ""},
	{"basic140", []string{"aa"}, "abbabaa", "0:5-7"},
	{"basic200", []string{"abc"}, "abc", "0:0-3"},
	{"basic210", []string{"abc"}, "zazabzabcz", "0:6-9"},
	{"basic220", []string{"abc"}, "zazabczabcz", "0:3-6 0:7-10"},
	{"basic300", []string{"a", "b"}, "", ""},
	{"basic310", []string{"a", "b"}, "z", ""},
	{"basic320", []string{"a", "b"}, "b", "1:0-1"},
	{"basic330", []string{"a", "b"}, "a", "0:0-1"},
	{"basic340", []string{"a", "b"}, "abba", "0:0-1 1:1-2 1:2-3 0:3-4"},
	{"basic350", []string{"b", "a"}, "abba", "1:0-1 0:1-2 0:2-3 1:3-4"},
	{"basic360", []string{"abc", "bc"}, "xbc", "1:1-3"},
	{"basic400", []string{"foo", "bar"}, "", ""},
	{"basic410", []string{"foo", "bar"}, "foobar", "0:0-3 1:3-6"},
	{"basic420", []string{"foo", "bar"}, "barfoo", "1:0-3 0:3-6"},
	{"basic430", []string{"foo", "bar"}, "foofoo", "0:0-3 0:3-6"},
	{"basic440", []string{"foo", "bar"}, "barbar", "1:0-3 1:3-6"},
	{"basic450", []string{"foo", "bar"}, "bafofoo", "0:4-7"},
	{"basic460", []string{"bar", "foo"}, "bafofoo", "1:4-7"},
	{"basic470", []string{"foo", "bar"}, "fobabar", "1:4-7"},
	{"basic480", []string{"bar", "foo"}, "fobabar", "0:4-7"},
	{"basic700", []string{"yabcdef", "abcdezghi"}, "yabcdefghi", "0:0-7"},
	{"basic710", []string{"yabcdef", "abcdezghi"}, "yabcdezghi", "1:1-10"},
	{"basic720", []string{"yabcdef", "bcdeyabc", "abcdezghi"}, "yabcdezghi", "2:1-10"},
	{"regression010", []string{"inf", "ind"}, "infind", "0:0-3 1:3-6"},
	{"regression020", []string{"ind", "inf"}, "infind", "1:0-3 0:3-6"},
	{"regression030", []string{"libcore/", "libstd/"}, "libcore/char/methods.rs", "0:0-8"},
	{"regression040", []string{"libstd/", "libcore/"}, "libcore/char/methods.rs", "1:0-8"},
	{"regression050", []string{"\x00\x00\x01", "\x00\x00\x00"}, "\x00\x00\x00", "1:0-3"},
	{"regression060", []string{"\x00\x00\x00", "\x00\x00\x01"}, "\x00\x00\x00", "0:0-3"},
}

// nonOverlappingCases hold for both leftmost kinds.
var nonOverlappingCases = []conformanceCase{
	{"nover010", []string{"abcd", "bcd", "cd"}, "abcd", "0:0-4"},
	{"nover020", []string{"bcd", "cd", "abcd"}, "abcd", "2:0-4"},
	{"nover030", []string{"abc", "bc"}, "zazabcz", "0:3-6"},
	{"nover100", []string{"ab", "ba"}, "abababa", "0:0-2 0:2-4 0:4-6"},
	{"nover200", []string{"foo", "foo"}, "foobarfoo", "0:0-3 0:6-9"},
	{"leftmost000", []string{"ab", "ab"}, "abcd", "0:0-2"},
	{"leftmost030", []string{"a", "ab"}, "aa", "0:0-1 0:1-2"},
	{"leftmost031", []string{"ab", "a"}, "aa", "1:0-1 1:1-2"},
	{"leftmost032", []string{"ab", "a"}, "xayabbbz", "1:1-2 0:3-5"},
	{"leftmost300", []string{"abcd", "bce", "b"}, "abce", "1:1-4"},
	{"leftmost310", []string{"abcd", "ce", "bc"}, "abce", "2:1-3"},
	{"leftmost320", []string{"abcd", "bce", "ce", "b"}, "abce", "1:1-4"},
	{"leftmost330", []string{"abcd", "bce", "cz", "bc"}, "abcz", "3:1-3"},
	{"leftmost340", []string{"bce", "cz", "bc"}, "bcz", "2:0-2"},
	{"leftmost350", []string{"abc", "bd", "ab"}, "abd", "2:0-2"},
	{"leftmost360", []string{"abcdefghi", "hz", "abcdefgh"}, "abcdefghz", "2:0-8"},
	{"leftmost370", []string{"abcdefghi", "cde", "hz", "abcdefgh"}, "abcdefghz", "3:0-8"},
	{"leftmost380", []string{"abcdefghi", "hz", "abcdefgh", "a"}, "abcdefghz", "2:0-8"},
	{"leftmost390", []string{"b", "abcdefghi", "hz", "abcdefgh"}, "abcdefghz", "3:0-8"},
	{"leftmost400", []string{"h", "abcdefghi", "hz", "abcdefgh"}, "abcdefghz", "3:0-8"},
	{"leftmost410", []string{"z", "abcdefghi", "hz", "abcdefgh"}, "abcdefghz", "3:0-8 0:8-9"},
}

var leftmostLongestCases = []conformanceCase{
	{"leftlong000", []string{"ab", "abcd"}, "abcd", "1:0-4"},
	{"leftlong010", []string{"abcd", "bcd", "cd", "b"}, "abcd", "0:0-4"},
	{"leftlong040", []string{"a", "ab"}, "a", "0:0-1"},
	{"leftlong050", []string{"a", "ab"}, "ab", "1:0-2"},
	{"leftlong060", []string{"ab", "a"}, "a", "1:0-1"},
	{"leftlong070", []string{"ab", "a"}, "ab", "0:0-2"},
	{"leftlong100", []string{"abcdefg", "bcde", "bcdef"}, "abcdef", "2:1-6"},
	{"leftlong110", []string{"abcdefg", "bcdef", "bcde"}, "abcdef", "1:1-6"},
	{"leftlong300", []string{"abcd", "b", "bce"}, "abce", "2:1-4"},
	{"leftlong310", []string{"a", "abcdefghi", "hz", "abcdefgh"}, "abcdefghz", "3:0-8"},
	{"leftlong320", []string{"a", "abab"}, "abab", "1:0-4"},
	{"leftlong330", []string{"abcd", "b", "ce"}, "abce", "1:1-2 2:2-4"},
	{"leftlong340", []string{"a", "ab"}, "xayabbbz", "0:1-2 1:3-5"},
}

var leftmostFirstCases = []conformanceCase{
	{"leftfirst000", []string{"ab", "abcd"}, "abcd", "0:0-2"},
	{"leftfirst020", []string{"abcd", "ab"}, "abcd", "0:0-4"},
	{"leftfirst030", []string{"ab", "ab"}, "abcd", "0:0-2"},
	{"leftfirst040", []string{"a", "ab"}, "xayabbbz", "0:1-2 0:3-4"},
	{"leftfirst100", []string{"abcdefg", "bcde", "bcdef"}, "abcdef", "1:1-5"},
	{"leftfirst110", []string{"abcdefg", "bcdef", "bcde"}, "abcdef", "1:1-6"},
	{"leftfirst300", []string{"abcd", "b", "bce"}, "abce", "1:1-2"},
	{"leftfirst310", []string{"abcd", "b", "bce", "ce"}, "abce", "1:1-2 3:2-4"},
	{"leftfirst320", []string{"a", "abcdefghi", "hz", "abcdefgh"}, "abcdefghz", "0:0-1 2:7-9"},
	{"leftfirst330", []string{"a", "abab"}, "abab", "0:0-1 0:2-3"},
}

var overlappingCases = []conformanceCase{
	{"over000", []string{"abcd", "bcd", "cd", "b"}, "abcd", "3:1-2 0:0-4 1:1-4 2:2-4"},
	{"over010", []string{"bcd", "cd", "b", "abcd"}, "abcd", "2:1-2 3:0-4 0:1-4 1:2-4"},
	{"over020", []string{"abcd", "bcd", "cd"}, "abcd", "0:0-4 1:1-4 2:2-4"},
	{"over030", []string{"bcd", "abcd", "cd"}, "abcd", "1:0-4 0:1-4 2:2-4"},
	{"over040", []string{"bcd", "cd", "abcd"}, "abcd", "2:0-4 0:1-4 1:2-4"},
	{"over050", []string{"abc", "bc"}, "zazabcz", "0:3-6 1:4-6"},
	{"over100", []string{"ab", "ba"}, "abababa", "0:0-2 1:1-3 0:2-4 1:3-5 0:4-6 1:5-7"},
	{"over200", []string{"foo", "foo"}, "foobarfoo", "0:0-3 1:0-3 0:6-9 1:6-9"},
	{"over360", []string{"foo", "foofoo"}, "foofoo", "0:0-3 1:0-6 0:3-6"},
}

// cjkCases are the crate's shapes again with Chinese keywords, whose runes
// are three bytes long.
var cjkCases = []struct {
	kind Kind
	conformanceCase
}{
	{LeftmostLongest, conformanceCase{"cjk_longest_prefix", []string{"广告", "广告位"}, "招租广告位", "1:6-15"}},
	{LeftmostFirst, conformanceCase{"cjk_first_prefix", []string{"广告", "广告位"}, "招租广告位", "0:6-12"}},
	{Overlapping, conformanceCase{"cjk_overlapping_prefix", []string{"广告", "广告位"}, "招租广告位", "0:6-12 1:6-15"}},
	{LeftmostLongest, conformanceCase{"cjk_longest_drug", []string{"毒品", "毒品销售"}, "禁止毒品销售", "1:6-18"}},
	{LeftmostFirst, conformanceCase{"cjk_first_drug", []string{"毒品", "毒品销售"}, "禁止毒品销售", "0:6-12"}},
	{LeftmostFirst, conformanceCase{"cjk_first_drug_order", []string{"毒品销售", "毒品"}, "禁止毒品销售", "0:6-18"}},
	{Overlapping, conformanceCase{"cjk_overlapping_suffix", []string{"毒品销售", "销售"}, "毒品销售", "0:0-12 1:6-12"}},
	{LeftmostLongest, conformanceCase{"cjk_longest_nonoverlap", []string{"广告", "告位"}, "广告位广告", "0:0-6 0:9-15"}},
}

func parseWant(t *testing.T, s string) []Match {
	t.Helper()
	var out []Match
	for _, f := range strings.Fields(s) {
		p, rest, ok1 := strings.Cut(f, ":")
		a, b, ok2 := strings.Cut(rest, "-")
		pi, e1 := strconv.Atoi(p)
		ai, e2 := strconv.Atoi(a)
		bi, e3 := strconv.Atoi(b)
		if !ok1 || !ok2 || e1 != nil || e2 != nil || e3 != nil {
			t.Fatalf("bad want %q", f)
		}
		out = append(out, Match{Pattern: pi, Start: ai, End: bi})
	}
	return out
}

// toCJK rewrites an ASCII case with one Chinese character per letter, so
// that each of the crate's shapes is tested again with three-byte runes.
func toCJK(c conformanceCase) (conformanceCase, bool) {
	const alphabet = "广告位毒品销售加微信群主红包扫码转账代理兼职刷单返利私聊" // 30 runes
	table := []rune(alphabet)
	conv := func(s string) (string, bool) {
		var b strings.Builder
		for _, r := range s {
			if r < 'a' || r > 'z' {
				return "", false
			}
			b.WriteRune(table[r-'a'])
		}
		return b.String(), true
	}
	out := conformanceCase{name: c.name + "_cjk"}
	for _, p := range c.patterns {
		q, ok := conv(p)
		if !ok {
			return out, false
		}
		out.patterns = append(out.patterns, q)
	}
	var ok bool
	if out.text, ok = conv(c.text); !ok {
		return out, false
	}
	var want []string
	for _, f := range strings.Fields(c.want) {
		var p, a, b int
		fmt.Sscanf(f, "%d:%d-%d", &p, &a, &b)
		want = append(want, fmt.Sprintf("%d:%d-%d", p, 3*a, 3*b))
	}
	out.want = strings.Join(want, " ")
	return out, true
}

func runConformance(t *testing.T, kind Kind, opts Options, cases ...[]conformanceCase) {
	for _, group := range cases {
		for _, c := range group {
			variants := []conformanceCase{c}
			if cj, ok := toCJK(c); ok {
				variants = append(variants, cj)
			}
			for _, c := range variants {
				t.Run(c.name, func(t *testing.T) {
					m, err := Compile(c.patterns, opts)
					if err != nil {
						t.Fatal(err)
					}
					want := parseWant(t, c.want)
					got := m.AppendAll(nil, c.text, kind)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%v %q in %q (-want +got):\n%s", kind, c.patterns, c.text, diff)
					}
					if m.Contains(c.text) != (len(want) > 0) {
						t.Errorf("Contains(%q) = %v, want %v", c.text, !(len(want) > 0), len(want) > 0)
					}
				})
			}
		}
	}
}

func TestConformanceLeftmostLongest(t *testing.T) {
	runConformance(t, LeftmostLongest, Options{}, sharedCases, nonOverlappingCases, leftmostLongestCases)
}

func TestConformanceLeftmostFirst(t *testing.T) {
	runConformance(t, LeftmostFirst, Options{}, sharedCases, nonOverlappingCases, leftmostFirstCases)
}

func TestConformanceOverlapping(t *testing.T) {
	runConformance(t, Overlapping, Options{}, sharedCases, overlappingCases)
}

// With Fold and SkipNoise the crate's shapes made of letters only must give
// the same answers: folding and noise skipping change nothing there.
func TestConformanceFoldSkipNoise(t *testing.T) {
	opts := Options{Fold: true, SkipNoise: true}
	letters := func(groups ...[]conformanceCase) []conformanceCase {
		var out []conformanceCase
		for _, g := range groups {
			for _, c := range g {
				if strings.Trim(strings.Join(c.patterns, "")+c.text, "abcdefghijklmnopqrstuvwxyz") == "" {
					out = append(out, c)
				}
			}
		}
		return out
	}
	t.Run("longest", func(t *testing.T) {
		runConformance(t, LeftmostLongest, opts, letters(sharedCases, nonOverlappingCases, leftmostLongestCases))
	})
	t.Run("first", func(t *testing.T) {
		runConformance(t, LeftmostFirst, opts, letters(sharedCases, nonOverlappingCases, leftmostFirstCases))
	})
	t.Run("overlapping", func(t *testing.T) {
		runConformance(t, Overlapping, opts, letters(sharedCases, overlappingCases))
	})
}

func TestConformanceCJK(t *testing.T) {
	for _, c := range cjkCases {
		t.Run(c.name, func(t *testing.T) {
			for _, opts := range []Options{{}, {Fold: true, SkipNoise: true}} {
				m, err := Compile(c.patterns, opts)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(parseWant(t, c.want), m.AppendAll(nil, c.text, c.kind)); diff != "" {
					t.Errorf("%+v %v (-want +got):\n%s", opts, c.kind, diff)
				}
			}
		})
	}
}
