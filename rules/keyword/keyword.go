package keyword

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/qunops/qunops/internal/jsonx"
)

// DefaultMaxNoise is the number of noise runes SkipNoise lets stand between
// two consecutive characters of a match when Options.MaxNoise is zero: room
// for "加 * 微", an emoji with a skin tone and a variation selector, or a
// family emoji joined by zero-width joiners (five runes), but not for a
// whole sentence between two characters. It is ours, not a seed figure.
const DefaultMaxNoise = 8

// DefaultMaxVariants bounds the strings one pattern may expand to through
// Options.Variants when Options.MaxVariants is zero. It is ours, not a seed
// figure: a pattern holding four keys of three variants each expands to
// 4×4×4×4 = 256 strings.
const DefaultMaxVariants = 256

// Options tune Compile. The zero value matches the patterns' bytes exactly,
// like a plain Aho-Corasick matcher; a zero bound means its default.
//
// Options can be written in JSON with snake_case keys ({"fold":true,
// "skip_noise":true,"whole_word":[1]}); zero fields are left out, and
// UnmarshalJSON rejects unknown and duplicate keys, naming them. Validate
// checks what can be checked without the patterns; Compile checks the rest.
type Options struct {
	// Fold makes matching blind to compatibility forms, width and case: the
	// same per-rune fold (see Fold) is applied to patterns and text, so that
	// "ＶＸ", "ⓥⓧ", "𝐯𝐱" and "Vx" all match the pattern "vx", and CJK
	// radicals read as their ideographs ("澳⻔赌场" matches "澳门赌场").
	Fold bool `json:"fold,omitempty"`

	// SkipNoise ignores white space, punctuation, symbols, emoji and their
	// modifiers, variation selectors, combining marks, control and format
	// characters (zero-width space, joiners, bidi controls) and the
	// invisible Hangul fillers (U+3164, U+FFA0, U+115F, U+1160) between two
	// characters of a match, never at its ends: "加 微 信", "加*微*信",
	// "加\u200b微信" and "加\u3164微信" all match "加微信". CJK radicals are
	// never noise. The same runes are removed from the patterns, except
	// from Literal ones.
	SkipNoise bool `json:"skip_noise,omitempty"`

	// MaxNoise is the longest run of noise runes SkipNoise skips between two
	// consecutive characters of a match; a longer run breaks the match. Zero
	// means DefaultMaxNoise; negative is an error.
	MaxNoise int `json:"max_noise,omitempty"`

	// Literal lists indices of patterns whose noise runes matter ("+v",
	// "c++"): with SkipNoise they keep their symbols and match only
	// contiguous text (still folded if Fold is set).
	Literal []int `json:"literal,omitempty"`

	// WholeWord lists indices of patterns that match only where the rune
	// before the match and the rune after it are not letters or digits of
	// a space-separated script, so that "class" does not match inside
	// "classic". Han, kana and Hangul never count as word runes.
	WholeWord []int `json:"whole_word,omitempty"`

	// Variants expands patterns at compile time: every occurrence of a key
	// in a pattern may also be written as any of its values, for example
	// {"微": {"薇", "威"}, "微信": {"vx", "wx"}}. Keys and values are folded
	// and cleaned of noise like the patterns; a match of an expansion
	// reports the pattern it came from. Keys must not be empty after that;
	// a value may be any string. The empty value lets the key be left out
	// ({"的": {""}}). A value that is nothing but noise under SkipNoise
	// ({"加": {"+"}}, {"点": {"."}}) keeps its runes, and an expansion using
	// it matches contiguous text only, like a Literal pattern: "+微信", not
	// "+ 微 信". A value equal to its key after folding adds nothing.
	// Expansions are never applied to the text a replacement put in.
	Variants map[string][]string `json:"variants,omitempty"`

	// MaxVariants bounds the expansions of one pattern (the pattern itself
	// included); a pattern with more is an error. Zero means
	// DefaultMaxVariants; negative is an error.
	MaxVariants int `json:"max_variants,omitempty"`
}

// optionsJSON has the fields and keys of Options but not its methods, so
// that decoding into it does not recurse.
type optionsJSON Options

// UnmarshalJSON reads Options from JSON strictly: a key that is unknown,
// spelled in another case or given twice is an error that names it. The
// values are checked by Validate and Compile, not here. On error o is left
// unchanged.
func (o *Options) UnmarshalJSON(data []byte) error {
	var j optionsJSON
	if err := jsonx.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("keyword: options: %v", err)
	}
	*o = Options(j)
	return nil
}

// Validate reports the first problem of o that does not depend on the
// patterns: a negative bound, a negative pattern index, a variant key or
// value that is not valid UTF-8, a variant key that is empty after
// folding and noise removal. Compile calls it, and also checks the indices
// against the number of patterns. Checking Variants builds the package's
// fold table on first use.
func (o Options) Validate() error {
	_, err := o.check()
	return err
}

// check validates o and returns its variant table, folded and cleaned like
// the patterns, or nil when it has none.
func (o Options) check() (*variantTable, error) {
	switch {
	case o.MaxNoise < 0:
		return nil, fmt.Errorf("keyword: max_noise %d must not be negative", o.MaxNoise)
	case o.MaxVariants < 0:
		return nil, fmt.Errorf("keyword: max_variants %d must not be negative", o.MaxVariants)
	}
	for _, l := range []struct {
		key string
		idx []int
	}{{"literal", o.Literal}, {"whole_word", o.WholeWord}} {
		for k, i := range l.idx {
			if i < 0 {
				return nil, fmt.Errorf("keyword: %s[%d]: pattern index %d is negative", l.key, k, i)
			}
		}
	}
	if len(o.Variants) == 0 {
		return nil, nil
	}
	t := foldTableOnce()
	return newVariantTable(o.Variants, func(s string, keepNoise bool) []rune { return o.norm(t, s, keepNoise) })
}

// norm folds s and removes its noise as o asks, unless keepNoise.
func (o Options) norm(t *foldTable, s string, keepNoise bool) []rune {
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		e := t.info(r)
		f, noise := r, e&flagNoiseR != 0
		if o.Fold {
			f, noise = rune(e&runeMask), e&flagNoiseF != 0
		}
		if o.SkipNoise && noise && !keepNoise {
			continue
		}
		rs = append(rs, f)
	}
	return rs
}

// Match is one occurrence of a pattern in a text.
type Match struct {
	Pattern int // index into the patterns given to Compile
	Start   int // byte offset of the first matched rune in the original text
	End     int // byte offset just after the last matched rune; noise in between is covered
}

// MatchKind selects the match semantics of AppendAll; they are those of the
// Rust crate aho-corasick's MatchKind. Its text form (String, MarshalText)
// is the lowercase hyphenated name: "leftmost-longest", "leftmost-first",
// "overlapping".
type MatchKind int

const (
	// LeftmostLongest reports non-overlapping matches: at each step the
	// match that starts first and, among those, the longest (the lowest
	// pattern index on a tie). This is what FindAll does.
	LeftmostLongest MatchKind = iota
	// LeftmostFirst reports non-overlapping matches: at each step the match
	// that starts first and, among those, the one of the lowest pattern
	// index, so that pattern order is priority.
	LeftmostFirst
	// Overlapping reports every occurrence of every pattern, ordered by end,
	// then start, then pattern: for reports that list all hits.
	Overlapping
)

var matchKindNames = [...]string{LeftmostLongest: "leftmost-longest", LeftmostFirst: "leftmost-first", Overlapping: "overlapping"}

// String returns the kind's name, or MatchKind(N) for a value that is not a
// kind.
func (k MatchKind) String() string {
	if k >= 0 && int(k) < len(matchKindNames) {
		return matchKindNames[k]
	}
	return fmt.Sprintf("MatchKind(%d)", int(k))
}

// ParseMatchKind returns the kind named s, as String writes it.
func ParseMatchKind(s string) (MatchKind, error) {
	for k, name := range matchKindNames {
		if name == s {
			return MatchKind(k), nil
		}
	}
	return 0, fmt.Errorf("keyword: %q is not a match kind (want one of %s)", s, strings.Join(matchKindNames[:], ", "))
}

// MarshalText writes the kind's name; it fails for a value that is not a
// kind.
func (k MatchKind) MarshalText() ([]byte, error) {
	if k < 0 || int(k) >= len(matchKindNames) {
		return nil, fmt.Errorf("keyword: cannot marshal %v", k)
	}
	return []byte(matchKindNames[k]), nil
}

// UnmarshalText reads a kind's name, as MarshalText writes it.
func (k *MatchKind) UnmarshalText(b []byte) error {
	v, err := ParseMatchKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

var errTooManyRunes = fmt.Errorf("keyword: patterns use more than %d distinct characters", maxClasses-firstClass)

// Matcher searches a text for many patterns at once. It is immutable after
// Compile (but for the reverse automaton a leftmost search may build once,
// under a sync.Once) and safe for concurrent use by any number of
// goroutines.
type Matcher struct {
	n     int
	autos []*automaton // one skipping noise, one for Literal patterns; either may be absent
}

// Compile builds a Matcher for patterns under opts. It returns an error,
// naming the pattern, for a pattern that is empty or nothing but noise after
// folding, that is not valid UTF-8, or that expands to more than MaxVariants
// strings, and for whatever opts.Validate rejects or an index in
// opts.Literal or opts.WholeWord beyond the patterns.
//
// Compiling costs time and memory linear in the total length of the
// patterns (and their variants), plus a rune table of 384 KiB per
// automaton; the first call also builds the package's fold table once.
// Expanding a pattern through Variants costs its length times that of the
// longest key, plus the expansions it yields.
func Compile(patterns []string, opts Options) (*Matcher, error) {
	variants, err := opts.check()
	if err != nil {
		return nil, err
	}
	maxNoise := cmp.Or(opts.MaxNoise, DefaultMaxNoise)
	maxVariants := cmp.Or(opts.MaxVariants, DefaultMaxVariants)
	literal, err := indexSet("literal", opts.Literal, len(patterns))
	if err != nil {
		return nil, err
	}
	whole, err := indexSet("whole_word", opts.WholeWord, len(patterns))
	if err != nil {
		return nil, err
	}
	t := foldTableOnce()

	var mainEntries, litEntries []entry
	var mainSeqs, litSeqs [][]rune
	for i, p := range patterns {
		if p == "" {
			return nil, fmt.Errorf("keyword: pattern %d is empty", i)
		}
		if !utf8.ValidString(p) {
			return nil, fmt.Errorf("keyword: pattern %d %q is not valid UTF-8", i, p)
		}
		isLit := literal[i] && opts.SkipNoise
		seq := opts.norm(t, p, isLit)
		if len(seq) == 0 {
			return nil, fmt.Errorf("keyword: pattern %d %q is nothing but noise", i, p)
		}
		seqs := []expansion{{runes: seq, literal: isLit}}
		if variants != nil && !isLit {
			seqs, err = variants.expand(seq, maxVariants)
			if err != nil {
				return nil, fmt.Errorf("keyword: pattern %d %q: %w", i, p, err)
			}
		}
		for _, x := range seqs {
			e := entry{pattern: int32(i), runes: int32(len(x.runes)), whole: whole[i]}
			if x.literal && opts.SkipNoise {
				litEntries, litSeqs = append(litEntries, e), append(litSeqs, x.runes)
			} else {
				mainEntries, mainSeqs = append(mainEntries, e), append(mainSeqs, x.runes)
			}
		}
	}

	m := &Matcher{n: len(patterns)}
	if len(mainEntries) > 0 {
		a, err := buildAutomaton(mainEntries, mainSeqs, opts.Fold, opts.SkipNoise, maxNoise, t)
		if err != nil {
			return nil, err
		}
		m.autos = append(m.autos, a)
	}
	if len(litEntries) > 0 {
		a, err := buildAutomaton(litEntries, litSeqs, opts.Fold, false, maxNoise, t)
		if err != nil {
			return nil, err
		}
		m.autos = append(m.autos, a)
	}
	return m, nil
}

func indexSet(what string, idx []int, n int) ([]bool, error) {
	set := make([]bool, n)
	for k, i := range idx {
		if i < 0 || i >= n {
			return nil, fmt.Errorf("keyword: %s[%d]: pattern index %d out of range [0, %d)", what, k, i, n)
		}
		set[i] = true
	}
	return set, nil
}

// Len returns the number of patterns the Matcher was compiled with.
func (m *Matcher) Len() int { return m.n }

// Contains reports whether text holds any match. It stops at the first one
// and allocates nothing.
func (m *Matcher) Contains(text string) bool {
	for _, a := range m.autos {
		if a.contains(text) {
			return true
		}
	}
	return false
}

// FindAll returns the leftmost-longest, non-overlapping matches in text, in
// order, or nil when there are none (without allocating).
func (m *Matcher) FindAll(text string) []Match {
	return m.AppendAll(nil, text, LeftmostLongest)
}

// FindAllFirst returns the leftmost-first, non-overlapping matches in text:
// where several patterns match at the same leftmost position, the one given
// first to Compile wins, and of two of its Variants expansions there, the
// shorter.
func (m *Matcher) FindAllFirst(text string) []Match {
	return m.AppendAll(nil, text, LeftmostFirst)
}

// FindOverlapping returns every occurrence of every pattern in text, ordered
// by end, then start, then pattern index.
func (m *Matcher) FindOverlapping(text string) []Match {
	return m.AppendAll(nil, text, Overlapping)
}

// AppendAll appends the matches of the given kind in text to dst and returns
// the extended slice. With a dst of enough capacity it allocates nothing,
// which makes it the scan for hot paths that reuse one buffer.
//
// The leftmost kinds cost time linear in len(text) plus the matches they
// return, whatever the nesting of the patterns: they keep only the
// candidates that can still win, never every overlapping match. When
// nested patterns would make the forward scan drop too many outputs, the
// search starts over from the end of the text on a reverse automaton,
// built on first need (see the package doc); that scan keeps one candidate
// per position in dst's spare capacity. Overlapping costs O(len(text) + m) for m matches, plus
// O(m log m) when patterns longer than 16 runes match. With Literal
// patterns, which have an automaton of their own, the leftmost kinds
// select from the overlapping matches of both. Whole-word patterns cost
// their length per occurrence, to find where it starts.
func (m *Matcher) AppendAll(dst []Match, text string, kind MatchKind) []Match {
	if len(m.autos) == 1 && (kind == LeftmostLongest || kind == LeftmostFirst) {
		return m.autos[0].appendLeftmost(dst, text, kind == LeftmostFirst)
	}
	base := len(dst)
	for _, a := range m.autos {
		dst = a.appendOverlapping(dst, text)
	}
	found := dst[base:]
	if len(found) == 0 {
		return dst
	}
	if len(m.autos) > 1 {
		slices.SortFunc(found, compareOverlapping)
	}
	switch kind {
	case LeftmostLongest:
		slices.SortFunc(found, func(x, y Match) int {
			if c := cmp.Compare(x.Start, y.Start); c != 0 {
				return c
			}
			if c := cmp.Compare(y.End, x.End); c != 0 {
				return c
			}
			return cmp.Compare(x.Pattern, y.Pattern)
		})
	case LeftmostFirst:
		// Expansions of one pattern can tie on Start and Pattern; the
		// shorter wins, as in a scan that stops at the first match.
		slices.SortFunc(found, func(x, y Match) int {
			if c := cmp.Compare(x.Start, y.Start); c != 0 {
				return c
			}
			if c := cmp.Compare(x.Pattern, y.Pattern); c != 0 {
				return c
			}
			return cmp.Compare(x.End, y.End)
		})
	default:
		return dst
	}
	// Greedy: the preferred match at the leftmost start, then the next one
	// that starts at or after its end.
	n, end := 0, 0
	for _, mt := range found {
		if mt.Start >= end {
			found[n] = mt
			n++
			end = mt.End
		}
	}
	return dst[:base+n]
}

// Mask returns text with every rune of every leftmost-longest match replaced
// by with; all bytes outside the matches are kept. It returns text itself
// when nothing matches.
func (m *Matcher) Mask(text string, with rune) string {
	var buf [16]Match
	found := m.AppendAll(buf[:0], text, LeftmostLongest)
	if len(found) == 0 {
		return text
	}
	return string(appendMasked(make([]byte, 0, len(text)), text, found, with))
}

// AppendMask appends the masked text (see Mask) to dst.
func (m *Matcher) AppendMask(dst []byte, text string, with rune) []byte {
	var buf [16]Match
	return appendMasked(dst, text, m.AppendAll(buf[:0], text, LeftmostLongest), with)
}

func appendMasked(dst []byte, text string, found []Match, with rune) []byte {
	last := 0
	for _, mt := range found {
		dst = append(dst, text[last:mt.Start]...)
		for range text[mt.Start:mt.End] {
			dst = utf8.AppendRune(dst, with)
		}
		last = mt.End
	}
	return append(dst, text[last:]...)
}

// size is the memory the Matcher keeps in its automata, in bytes.
func (m *Matcher) size() int {
	n := 0
	for _, a := range m.autos {
		n += a.size()
	}
	return n
}
