package keyword

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// conformanceCase is one line of testdata/conformance.tsv, which restates
// the search tables of the Rust crate aho-corasick (src/tests.rs) that
// define its match kinds; see the file's header for the format.
type conformanceCase struct {
	group    string
	name     string
	patterns []string
	text     string
	want     string
}

func loadConformance(t *testing.T) []conformanceCase {
	t.Helper()
	data, err := os.ReadFile("testdata/conformance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var out []conformanceCase
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			t.Fatalf("line %d: %d fields, want 5", n+1, len(f))
		}
		c := conformanceCase{group: f[0], name: f[1], want: f[4]}
		for rest := f[2]; rest != ""; rest = strings.TrimPrefix(rest, " ") {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				t.Fatalf("line %d: patterns: %v", n+1, err)
			}
			p, _ := strconv.Unquote(q)
			c.patterns = append(c.patterns, p)
			rest = rest[len(q):]
		}
		if c.text, err = strconv.Unquote(f[3]); err != nil {
			t.Fatalf("line %d: text: %v", n+1, err)
		}
		out = append(out, c)
	}
	return out
}

// groupsOf lists the table groups that hold for each kind.
var groupsOf = map[MatchKind][]string{
	LeftmostLongest: {"shared", "nonoverlapping", "longest"},
	LeftmostFirst:   {"shared", "nonoverlapping", "first"},
	Overlapping:     {"shared", "overlapping"},
}

func casesFor(t *testing.T, kind MatchKind) []conformanceCase {
	var out []conformanceCase
	for _, c := range loadConformance(t) {
		if slices.Contains(groupsOf[kind], c.group) {
			out = append(out, c)
		}
	}
	return out
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
	out := conformanceCase{group: c.group, name: c.name + "_cjk"}
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

func runConformance(t *testing.T, kind MatchKind, opts Options, cases []conformanceCase) {
	for _, c := range cases {
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

func TestConformance(t *testing.T) {
	for _, kind := range []MatchKind{LeftmostLongest, LeftmostFirst, Overlapping} {
		t.Run(kind.String(), func(t *testing.T) {
			runConformance(t, kind, Options{}, casesFor(t, kind))
		})
	}
}

// With Fold and SkipNoise the cases made of letters only must give the same
// answers: folding and noise skipping change nothing there.
func TestConformanceFoldSkipNoise(t *testing.T) {
	opts := Options{Fold: true, SkipNoise: true}
	for _, kind := range []MatchKind{LeftmostLongest, LeftmostFirst, Overlapping} {
		t.Run(kind.String(), func(t *testing.T) {
			var letters []conformanceCase
			for _, c := range casesFor(t, kind) {
				all := strings.Join(c.patterns, "") + c.text
				if !strings.ContainsFunc(all, func(r rune) bool { return isNoiseRune(r) || r >= 'A' && r <= 'Z' }) {
					letters = append(letters, c)
				}
			}
			runConformance(t, kind, opts, letters)
		})
	}
}
