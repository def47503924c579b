package keyword

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// canon is what a span of text must equal, rune for rune, to be a match of
// pattern under opts: folded if Fold, noise dropped if SkipNoise.
func canon(s string, opts Options) string {
	t := foldTableOnce()
	var b strings.Builder
	for _, r := range s {
		e := t.info(r)
		f, noise := r, e&flagNoiseR != 0
		if opts.Fold {
			f, noise = rune(e&runeMask), e&flagNoiseF != 0
		}
		if opts.SkipNoise && noise {
			continue
		}
		b.WriteRune(f)
	}
	return b.String()
}

// FuzzFindAll compiles newline-separated patterns under the options in
// flags and searches text with every kind. Nothing may panic; every match
// must lie in the text, on rune boundaries, and its span must fold to its
// pattern.
func FuzzFindAll(f *testing.F) {
	f.Add("加微信\nvx", "快加 微 信，ＶＸ", byte(3))
	f.Add("ab\nabcd\nbcd", "abcdabcd", byte(0))
	f.Add("a\xff\n", "\xff\xfe", byte(1))
	f.Add("澳门赌场\n加微信\n黄色网站", "澳⻔赌场 加\u3164微\u202e信 ⻩色网站", byte(3))                             // issue 15 items 10, 11
	f.Add(strings.Repeat("a\n", 20)+strings.Repeat("a", 40), strings.Repeat("a", 90), byte(3)) // nested: item 17
	f.Fuzz(func(t *testing.T, patterns, text string, flags byte) {
		opts := Options{Fold: flags&1 != 0, SkipNoise: flags&2 != 0, MaxNoise: int(flags>>4) & 7}
		if flags&4 != 0 {
			opts.WholeWord = []int{0}
		}
		ps := strings.Split(patterns, "\n")
		m, err := Compile(ps, opts)
		if err != nil {
			return // rejected patterns are fine; a panic is not
		}
		m.Contains(text)
		m.Mask(text, '*')
		for _, kind := range []MatchKind{LeftmostLongest, LeftmostFirst, Overlapping} {
			for _, mt := range m.AppendAll(nil, text, kind) {
				if mt.Start < 0 || mt.Start >= mt.End || mt.End > len(text) {
					t.Fatalf("%v match %+v out of text of %d bytes", kind, mt, len(text))
				}
				span := text[mt.Start:mt.End]
				if !utf8.ValidString(span) {
					t.Fatalf("%v match %+v spans invalid UTF-8 %q", kind, mt, span)
				}
				if got, want := canon(span, opts), canon(ps[mt.Pattern], opts); got != want {
					t.Fatalf("%v match %+v: span %q folds to %q, pattern %q to %q", kind, mt, span, got, ps[mt.Pattern], want)
				}
			}
		}
	})
}
