package keyword

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// The fold table maps every rune below tableLimit to one rune and three flags.
// It is built once, on first use, from golang.org/x/text (NFKC, width and case
// folding) and never changes afterwards; the hot path reads it through the
// per-Matcher class tables, never through x/text transforms.
const (
	tableLimit = 0x30000 // planes 0-2: everything a chat message folds or skips in practice
	pageBits   = 8
	pageSize   = 1 << pageBits
	numPages   = tableLimit >> pageBits

	runeMask   = 0x1FFFFF
	flagNoiseR = 1 << 29 // the rune itself is noise
	flagNoiseF = 1 << 30 // the folded rune is noise
	flagWordF  = 1 << 31 // the folded rune is a word rune (see isWordRune)
)

type foldPage [pageSize]uint32

// foldTable is indexed by page; a nil page means identity with no flags.
type foldTable [numPages]*foldPage

var foldTableOnce = sync.OnceValue(buildFoldTable)

// foldInverse maps a folded rune to the other runes below tableLimit that
// fold to it (ＶvⓋ𝐯... for v); built once, on first use.
var foldInverse = sync.OnceValue(func() map[rune][]rune {
	t := foldTableOnce()
	inv := make(map[rune][]rune)
	for r := rune(0); r < tableLimit; r++ {
		if f := rune(t.info(r) & runeMask); f != r {
			inv[f] = append(inv[f], r)
		}
	}
	return inv
})

// noiseBase returns, for the raw or the folded reading, the class table of
// a matcher without patterns: classNoise for noise runes, classOther for
// the rest. Built once per reading, on first use; never modified.
func noiseBase(fold bool) []uint16 {
	if fold {
		return noiseBaseFolded()
	}
	return noiseBaseRaw()
}

var (
	noiseBaseRaw    = sync.OnceValue(func() []uint16 { return buildNoiseBase(flagNoiseR) })
	noiseBaseFolded = sync.OnceValue(func() []uint16 { return buildNoiseBase(flagNoiseF) })
)

func buildNoiseBase(flag uint32) []uint16 {
	t := foldTableOnce()
	base := make([]uint16, tableLimit)
	for r := range base {
		if t.info(rune(r))&flag != 0 {
			base[r] = classNoise
		}
	}
	return base
}

// info returns the table entry of r: the folded rune in the low 21 bits and
// the flags above. Runes at or above tableLimit are computed directly.
func (t *foldTable) info(r rune) uint32 {
	if r >= 0 && r < tableLimit {
		if p := t[r>>pageBits]; p != nil {
			return p[r&(pageSize-1)]
		}
		return uint32(r)
	}
	return computeInfo(r, nil)
}

func buildFoldTable() *foldTable {
	t := new(foldTable)
	c := cases.Fold()
	for pg := 0; pg < numPages; pg++ {
		var page foldPage
		trivial := true
		for i := 0; i < pageSize; i++ {
			r := rune(pg<<pageBits | i)
			e := computeInfo(r, &c)
			page[i] = e
			if e != uint32(r) {
				trivial = false
			}
		}
		if !trivial {
			p := page
			t[pg] = &p
		}
	}
	return t
}

// computeInfo folds r and classifies it. c may be nil for runes outside the
// table, which fold to themselves apart from simple lower-casing.
func computeInfo(r rune, c *cases.Caser) uint32 {
	if r < 0 || r > unicode.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
		return uint32(utf8.RuneError)
	}
	f := foldRune(r, c)
	e := uint32(f)
	if isNoiseRune(r) {
		e |= flagNoiseR
	}
	if isNoiseRune(f) {
		e |= flagNoiseF
	}
	if isWordRune(f) {
		e |= flagWordF
	}
	return e
}

// foldRune applies NFKC, width folding and full case folding to the single
// rune r; a CJK radical becomes the ideograph it stands for (see
// radicalIdeograph). When the result is not exactly one rune (ligatures such as ﬁ, unit
// symbols such as ㎏, ß folding to ss), r keeps its simple lower case instead,
// so that every rune of a text stays one character of the folded text and
// match offsets always fall on rune boundaries of the original.
func foldRune(r rune, c *cases.Caser) rune {
	if u, ok := radicalIdeograph(r); ok {
		return u
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	s := buf[:n]
	var tmp [64]byte
	if !norm.NFKC.IsNormal(s) {
		s = norm.NFKC.Append(tmp[:0], s...)
	}
	f, size := utf8.DecodeRune(s)
	if size != len(s) || f == utf8.RuneError {
		return unicode.ToLower(r)
	}
	if w := width.LookupRune(f).Folded(); w != 0 {
		f = w
	}
	if c == nil {
		return unicode.ToLower(f)
	}
	if unicode.SimpleFold(f) == f {
		return f // no case variants: nothing to fold
	}
	out := c.String(string(f))
	g, size := utf8.DecodeRuneInString(out)
	if size != len(out) {
		return unicode.ToLower(f)
	}
	return g
}

// noiseTables are the categories SkipNoise skips: separators (Z), punctuation
// (P), symbols (S, which holds emoji, skin-tone modifiers and regional
// indicators), controls (Cc), format characters (Cf: zero-width space and
// joiner, the bidi embeddings, overrides and isolates U+202A-U+202E and
// U+2066-U+2069, the marks U+200E, U+200F and U+061C, tags) and combining
// marks (Mn, Me: variation selectors, keycap, stacked "zalgo" marks).
//
// Other_Default_Ignorable_Code_Point adds the letters that render as
// nothing: the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 (Lo, not
// Cf). U+3164 is the blank nickname character of WeChat and QQ, and one of
// them between two characters must not split a keyword (issue 15 item 10).
var noiseTables = []*unicode.RangeTable{
	unicode.Z, unicode.P, unicode.S, unicode.Cc, unicode.Cf, unicode.Mn, unicode.Me,
	unicode.Other_Default_Ignorable_Code_Point,
}

func isNoiseRune(r rune) bool {
	if r < utf8.RuneSelf {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}
	if isRadical(r) {
		// CJK radicals are symbols (So) by category but stand for
		// ideographs: 澳⻔赌场 must read as 澳门赌场, not 澳赌场.
		return false
	}
	return unicode.IsOneOf(noiseTables, r)
}

// isWordRune reports whether r continues a word for whole-word patterns:
// letters and digits of scripts written with spaces between words. Han,
// kana and Hangul are not word runes, so "vx" is a whole word in "加vx好友".
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	return !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Fold returns text as the matcher sees it with Options.Fold set: every rune
// replaced by its folded rune (NFKC, width and case folding, CJK radicals to
// their ideographs, one rune for one rune). Invalid UTF-8 bytes become
// U+FFFD. It is meant for tests, logs
// and building variant tables, not for the hot path.
func Fold(text string) string {
	t := foldTableOnce()
	b := make([]byte, 0, len(text))
	for _, r := range text {
		b = utf8.AppendRune(b, rune(t.info(r)&runeMask))
	}
	return string(b)
}
