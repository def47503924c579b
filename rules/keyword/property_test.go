package keyword

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// naiveAll lists every occurrence of every pattern by brute force, ordered
// by end, then start, then pattern: the reference for Overlapping.
func naiveAll(patterns []string, text string) []Match {
	var out []Match
	for start := 0; start < len(text); start++ {
		for p, pat := range patterns {
			if strings.HasPrefix(text[start:], pat) {
				out = append(out, Match{p, start, start + len(pat)})
			}
		}
	}
	slices.SortFunc(out, func(x, y Match) int {
		return cmp.Or(cmp.Compare(x.End, y.End), cmp.Compare(x.Start, y.Start), cmp.Compare(x.Pattern, y.Pattern))
	})
	return out
}

// naiveLeftmost restarts at the end of each match and takes, at the first
// position where any pattern matches, the longest one (or the first one in
// pattern order): the definition of the crate's leftmost kinds.
func naiveLeftmost(patterns []string, text string, longest bool) []Match {
	var out []Match
	for at := 0; at < len(text); {
		found := false
		for start := at; start < len(text) && !found; start++ {
			best := -1
			for p, pat := range patterns {
				if !strings.HasPrefix(text[start:], pat) {
					continue
				}
				if best < 0 || longest && len(pat) > len(patterns[best]) {
					best = p
				}
			}
			if best >= 0 {
				out = append(out, Match{best, start, start + len(patterns[best])})
				at, found = start+len(patterns[best]), true
			}
		}
		if !found {
			break
		}
	}
	return out
}

func smallAlphabetText(alphabet []string) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		parts := rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 24).Draw(t, "parts")
		return strings.Join(parts, "")
	})
}

// With Options{} every kind equals the brute-force reference, on small
// alphabets (where patterns overlap a lot) of one- and three-byte runes.
func TestPropertyExactEqualsNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := rapid.SampledFrom([][]string{{"a", "b", "c"}, {"广", "告", "位"}, {"a", "告"}}).Draw(t, "alphabet")
		word := rapid.Custom(func(t *rapid.T) string {
			return strings.Join(rapid.SliceOfN(rapid.SampledFrom(alphabet), 1, 4).Draw(t, "w"), "")
		})
		patterns := rapid.SliceOfN(word, 1, 6).Draw(t, "patterns")
		text := smallAlphabetText(alphabet).Draw(t, "text")
		m, err := Compile(patterns, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(naiveAll(patterns, text), m.FindOverlapping(text)); diff != "" {
			t.Fatalf("overlapping %q in %q (-want +got):\n%s", patterns, text, diff)
		}
		if diff := gocmp.Diff(naiveLeftmost(patterns, text, true), m.FindAll(text)); diff != "" {
			t.Fatalf("leftmost-longest %q in %q (-want +got):\n%s", patterns, text, diff)
		}
		if diff := gocmp.Diff(naiveLeftmost(patterns, text, false), m.FindAllFirst(text)); diff != "" {
			t.Fatalf("leftmost-first %q in %q (-want +got):\n%s", patterns, text, diff)
		}
		if got, want := m.Contains(text), len(naiveAll(patterns, text)) > 0; got != want {
			t.Fatalf("Contains = %v, want %v", got, want)
		}
	})
}

var (
	noiseSamples = []string{" ", "*", "-", "\u200b", "\u200d", "\ufe0f", "😀", "👍🏻", "，", "。", "\u3000", "\u0301", "~"}
	// styles maps a lower-case letter to forms that fold back to it.
	styles = func(r rune) []string {
		return []string{string(r), string(r - 'a' + 'A'), string(r - 'a' + 'Ａ'), string(r - 'a' + 'ⓐ'), string(r - 'a' + 0x1D41A)}
	}
)

// With Fold and SkipNoise, noise inserted between the characters of a
// planted pattern (within MaxNoise per gap) and restyled letters never lose
// the match, and its offsets slice exactly the planted span.
func TestPropertyNoiseNeverLosesMatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chars := rapid.SliceOfN(rapid.SampledFrom([]rune("加微信广告vxqz")), 2, 5).Draw(t, "chars")
		pattern := string(chars)
		maxNoise := rapid.IntRange(0, 4).Draw(t, "maxNoise")
		m, err := Compile([]string{pattern}, Options{Fold: true, SkipNoise: true, MaxNoise: maxNoise})
		if err != nil {
			t.Fatal(err)
		}
		if maxNoise == 0 {
			maxNoise = DefaultMaxNoise
		}
		prefix := smallAlphabetText([]string{"好", "x", " ", "。"}).Draw(t, "prefix")
		var b strings.Builder
		b.WriteString(prefix)
		for i, r := range chars {
			if i > 0 {
				// Noise samples of up to maxNoise runes in all.
				budget := rapid.IntRange(0, maxNoise).Draw(t, "gap")
				for budget > 0 {
					n := rapid.SampledFrom(noiseSamples).Draw(t, "noise")
					if k := utf8.RuneCountInString(n); k <= budget {
						b.WriteString(n)
						budget -= k
					} else {
						budget--
					}
				}
			}
			if r < utf8.RuneSelf {
				b.WriteString(rapid.SampledFrom(styles(r)).Draw(t, "style"))
			} else {
				b.WriteRune(r)
			}
		}
		end := b.Len()
		b.WriteString(smallAlphabetText([]string{"好", "y", " ", "！"}).Draw(t, "suffix"))
		text := b.String()

		if !m.Contains(text) || len(m.FindAll(text)) == 0 {
			t.Fatalf("%q not found in %q", pattern, text)
		}
		want := Match{0, len(prefix), end}
		if !slices.Contains(m.FindOverlapping(text), want) {
			t.Fatalf("overlapping %v lacks %v in %q", m.FindOverlapping(text), want, text)
		}
	})
}

// Masking never changes a byte outside a match, and puts one mask rune for
// each rune inside one.
func TestPropertyMaskKeepsOutside(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := []string{"a", "B", "广", "告", " ", "*", "\xff"}
		text := smallAlphabetText(alphabet).Draw(t, "text")
		m, err := Compile([]string{"ab", "广告", "a"}, Options{Fold: true, SkipNoise: true})
		if err != nil {
			t.Fatal(err)
		}
		masked := m.Mask(text, '#')
		var want strings.Builder
		last := 0
		for _, mt := range m.FindAll(text) {
			want.WriteString(text[last:mt.Start])
			want.WriteString(strings.Repeat("#", utf8.RuneCountInString(text[mt.Start:mt.End])))
			last = mt.End
		}
		want.WriteString(text[last:])
		if masked != want.String() {
			t.Fatalf("Mask(%q) = %q, want %q", text, masked, want.String())
		}
	})
}

// naiveSkipping lists every occurrence by brute force under Fold and
// SkipNoise: from each non-noise rune, match the pattern's runes one by one,
// skipping at most maxNoise noise runes between two of them.
func naiveSkipping(patterns []string, text string, maxNoise int) []Match {
	type sym struct {
		r          rune
		noise      bool
		start, end int
	}
	t := foldTableOnce()
	var syms []sym
	for i, r := range text {
		size := len(string(r))
		if r == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(text[i:])
		}
		e := t.info(r)
		if r == utf8.RuneError && size == 1 {
			syms = append(syms, sym{-1, false, i, i + 1}) // invalid byte: matches nothing
			continue
		}
		syms = append(syms, sym{rune(e & runeMask), e&flagNoiseF != 0, i, i + size})
	}
	var out []Match
	for p, pat := range patterns {
		want := []rune(canon(pat, Options{Fold: true, SkipNoise: true}))
		for s := range syms {
			if syms[s].noise || syms[s].r != want[0] {
				continue
			}
			j, k := s+1, 1
			for k < len(want) {
				gap := 0
				for j < len(syms) && syms[j].noise && gap <= maxNoise {
					j, gap = j+1, gap+1
				}
				if gap > maxNoise || j == len(syms) || syms[j].r != want[k] {
					break
				}
				j, k = j+1, k+1
			}
			if k == len(want) {
				out = append(out, Match{p, syms[s].start, syms[j-1].end})
			}
		}
	}
	slices.SortFunc(out, func(x, y Match) int {
		return cmp.Or(cmp.Compare(x.End, y.End), cmp.Compare(x.Start, y.Start), cmp.Compare(x.Pattern, y.Pattern))
	})
	return out
}

// With Fold and SkipNoise, overlapping search equals the brute-force
// reference on texts mixing Latin letters in several styles, Han, noise
// and invalid bytes.
func TestPropertyFoldSkipEqualsNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		letters := []string{"a", "b", "A", "Ｂ", "ⓐ", "广", "告"}
		word := rapid.Custom(func(t *rapid.T) string {
			return strings.Join(rapid.SliceOfN(rapid.SampledFrom(letters), 1, 4).Draw(t, "w"), "")
		})
		patterns := rapid.SliceOfN(word, 1, 5).Draw(t, "patterns")
		maxNoise := rapid.IntRange(1, 3).Draw(t, "maxNoise")
		// Letters, each followed by a run of noise around the bound.
		var b strings.Builder
		for n := rapid.IntRange(0, 12).Draw(t, "n"); n > 0; n-- {
			b.WriteString(rapid.SampledFrom(append(letters, "\xff", "x")).Draw(t, "letter"))
			for k := rapid.IntRange(0, maxNoise+1).Draw(t, "run"); k > 0; k-- {
				b.WriteString(rapid.SampledFrom([]string{" ", "*", "😀", "\u200b", "\ufe0f"}).Draw(t, "noise"))
			}
		}
		text := b.String()
		m, err := Compile(patterns, Options{Fold: true, SkipNoise: true, MaxNoise: maxNoise})
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(naiveSkipping(patterns, text, maxNoise), m.FindOverlapping(text)); diff != "" {
			t.Fatalf("%q in %q (-want +got):\n%s", patterns, text, diff)
		}
	})
}
