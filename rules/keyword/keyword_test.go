package keyword

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEvasionF6F38: the ad phrases (seed F6) and banned words (seed F38) a
// bot must catch, written the ways people dodge plain matchers.
func TestEvasionF6F38(t *testing.T) {
	fs := Options{Fold: true, SkipNoise: true}
	tests := []struct {
		name     string
		patterns []string
		opts     Options
		text     string
		want     []Match
		reason   string
	}{
		{"spaces", []string{"加微信"}, fs, "快加 微 信吧", []Match{{0, 3, 14}}, "spaces between characters are skipped and covered"},
		{"asterisks", []string{"加微信"}, fs, "加*微*信", []Match{{0, 0, 11}}, ""},
		{"zero width space", []string{"加微信"}, fs, "加\u200b微信", []Match{{0, 0, 12}}, ""},
		{"emoji with modifier", []string{"加微信"}, fs, "加👍🏻微🔥信", []Match{{0, 0, 21}}, ""},
		{"noise at the ends is not covered", []string{"加微信"}, fs, " *加微信* ", []Match{{0, 2, 11}}, "a match never starts or ends with noise"},
		{"fullwidth", []string{"vx"}, fs, "加ＶＸ", []Match{{0, 3, 9}}, ""},
		{"circled", []string{"vx"}, fs, "ⓥⓧ", []Match{{0, 0, 6}}, ""},
		{"math bold", []string{"vx"}, fs, "𝐯 𝐱", []Match{{0, 0, 9}}, ""},
		{"case", []string{"VX"}, fs, "add Vx 123", []Match{{0, 4, 6}}, "patterns fold too"},
		{"no fold means exact", []string{"vx"}, Options{SkipNoise: true}, "ＶＸ v x", []Match{{0, 7, 10}}, ""},
		{"no skip means contiguous", []string{"加微信"}, Options{Fold: true}, "加 微信 加微信", []Match{{0, 11, 20}}, ""},
		{"noise in pattern removed", []string{"加 微-信"}, fs, "加微信", []Match{{0, 0, 9}}, ""},
		{"max noise exceeded", []string{"ab"}, Options{SkipNoise: true, MaxNoise: 2}, "a   b a  b", []Match{{0, 6, 10}}, "three spaces break, two do not"},
		{"invalid utf8 breaks a match", []string{"ab"}, fs, "a\xffb ab", []Match{{0, 4, 6}}, "an invalid byte is not noise"},
		{"invalid utf8 never matches", []string{"\uFFFD"}, Options{}, "\xff\xfe", nil, "U+FFFD matches only itself"},
		{"literal keeps symbols", []string{"+v", "v"}, Options{Fold: true, SkipNoise: true, Literal: []int{0}}, "加+V 加 v", []Match{{0, 3, 5}, {1, 10, 11}}, ""},
		{"literal is contiguous", []string{"c++"}, Options{SkipNoise: true, Literal: []int{0}}, "c + + c++", []Match{{0, 6, 9}}, ""},
		{"whole word", []string{"class"}, Options{Fold: true, WholeWord: []int{0}}, "classic CLASS 上class课", []Match{{0, 8, 13}, {0, 17, 22}}, "Han is not a word rune"},
		{"whole word falls back to shorter", []string{"ab", "abc"}, Options{WholeWord: []int{1}}, "abcd", []Match{{0, 0, 2}}, "abc is inside a word, so ab wins"},
		{"variants", []string{"微信"}, Options{Fold: true, SkipNoise: true, Variants: map[string][]string{"微": {"薇", "威"}, "微信": {"VX"}}}, "加薇信 威 信 vx", []Match{{0, 3, 9}, {0, 10, 17}, {0, 18, 20}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.patterns, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := m.FindAll(tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FindAll(%q) %s (-want +got):\n%s", tt.text, tt.reason, diff)
			}
			if m.Contains(tt.text) != (len(tt.want) > 0) {
				t.Errorf("Contains(%q) = %v", tt.text, !(len(tt.want) > 0))
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		opts     Options
		want     string
	}{
		{"empty", []string{"a", ""}, Options{}, "keyword: pattern 1 is empty"},
		{"only noise", []string{"！ *"}, Options{Fold: true, SkipNoise: true}, `keyword: pattern 0 "！ *" is nothing but noise`},
		{"invalid utf8", []string{"a\xff"}, Options{}, `keyword: pattern 0 "a\xff" is not valid UTF-8`},
		{"negative max noise", []string{"a"}, Options{MaxNoise: -1}, "keyword: max_noise -1 must not be negative"},
		{"negative max variants", []string{"a"}, Options{MaxVariants: -2}, "keyword: max_variants -2 must not be negative"},
		{"literal out of range", []string{"a"}, Options{Literal: []int{1}}, "keyword: literal[0]: pattern index 1 out of range [0, 1)"},
		{"whole word out of range", []string{"a"}, Options{WholeWord: []int{2}}, "keyword: whole_word[0]: pattern index 2 out of range [0, 1)"},
		{"negative whole word", []string{"a"}, Options{WholeWord: []int{0, -1}}, "keyword: whole_word[1]: pattern index -1 is negative"},
		{"empty variant key", []string{"a"}, Options{SkipNoise: true, Variants: map[string][]string{" ": {"b"}}}, `keyword: variant key " " is empty after folding`},
		{"too many variants", []string{"aaaa"}, Options{MaxVariants: 4, Variants: map[string][]string{"a": {"b"}}}, `keyword: pattern 0 "aaaa": too many variants: more than 4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.patterns, tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Compile error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCompileNoPatterns(t *testing.T) {
	m, err := Compile(nil, Options{Fold: true, SkipNoise: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.Contains("anything") || m.FindAll("anything") != nil {
		t.Error("a matcher without patterns matched")
	}
}

func TestMask(t *testing.T) {
	m, err := Compile([]string{"加微信", "vx"}, Options{Fold: true, SkipNoise: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"快加 微 信吧", "快*****吧"},
		{"no match", "no match"},
		{"ＶＸ和vx", "**和**"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := m.Mask(tt.in, '*'); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(m.AppendMask([]byte("> "), tt.in, '*')); got != "> "+tt.want {
			t.Errorf("AppendMask(%q) = %q", tt.in, got)
		}
	}
}

func TestZeroAllocs(t *testing.T) {
	m, err := Compile([]string{"加微信", "vx", "class"}, Options{Fold: true, SkipNoise: true, WholeWord: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	clean := strings.Repeat("今天天气不错，大家好 hello 😀 ", 4)
	dirty := clean + "加 微 信"
	buf := make([]Match, 0, 8)
	tests := []struct {
		name string
		f    func()
	}{
		{"Contains clean", func() { m.Contains(clean) }},
		{"Contains dirty", func() { m.Contains(dirty) }},
		{"FindAll clean", func() { m.FindAll(clean) }},
		{"AppendAll dirty", func() { m.AppendAll(buf[:0], dirty, LeftmostLongest) }},
		{"AppendAll dirty first", func() { m.AppendAll(buf[:0], dirty, LeftmostFirst) }},
		{"AppendAll dirty overlapping", func() { m.AppendAll(buf[:0], dirty, Overlapping) }},
		{"Mask clean", func() { m.Mask(clean, '*') }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(20, tt.f); n != 0 {
			t.Errorf("%s: %v allocs, want 0", tt.name, n)
		}
	}
}

// Two expansions of one pattern that match at the same start tie on Start
// and Pattern; leftmost-first reports the shorter one, the first to end,
// however many matches the text has (the sort used to leave such ties in
// any order once there were more than a dozen matches).
func TestLeftmostFirstVariantTieIsShorter(t *testing.T) {
	// "bc abc abc" ends after later matches start, so the matches come
	// out of the overlapping scan in an order the sort must rework.
	m, err := Compile([]string{"ab", "bc abc abc"}, Options{Variants: map[string][]string{"b": {"bc"}}})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("abc ", 40)
	got := m.FindAllFirst(text)
	if len(got) != 40 {
		t.Fatalf("%d matches, want 40", len(got))
	}
	for _, mt := range got {
		if mt.Pattern != 0 || mt.End-mt.Start != 2 {
			t.Fatalf("match %+v is %q, want the shorter expansion \"ab\"", mt, text[mt.Start:mt.End])
		}
	}
}
