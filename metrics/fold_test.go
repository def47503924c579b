package metrics

import (
	"testing"

	"golang.org/x/text/cases"
	"pgregory.net/rapid"
)

// fastRunes lists the ranges of runes that foldFast folds itself.
var fastRunes = [][2]rune{{0, 0x7F}, {0x3000, 0x3002}, {0x3008, 0x3011}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xFF01, 0xFF5E}}

func inSet(r rune) bool {
	for _, rg := range fastRunes {
		if rg[0] <= r && r <= rg[1] {
			return true
		}
	}
	return false
}

// foldFast gives what golang.org/x/text's NFKC and case folding give
// (foldText), for every rune it takes, and it takes exactly those of
// fastRunes.
func TestFoldFastEveryRune(t *testing.T) {
	fold := cases.Fold()
	// Bytes that are not UTF-8 are declined, so that TermCounter.scan
	// checks UTF-8 only on the slow way.
	for _, s := range []string{"\x80", "\xff", "物\xe6\xb5", "ab\xc0\xafcd", "\xed\xa0\x80"} {
		if _, ok := foldFast(nil, s); ok {
			t.Errorf("foldFast(%q) took text that is not UTF-8", s)
		}
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue
		}
		s := string(r)
		got, ok := foldFast(nil, s)
		if ok != inSet(r) {
			t.Fatalf("foldFast(%U) ok = %v, want %v", r, ok, inSet(r))
		}
		if ok {
			if want := foldText(fold, s); string(got) != want {
				t.Fatalf("foldFast(%U) = %q, want %q", r, got, want)
			}
		}
	}
}

// On strings that mix the runes foldFast takes with combining marks,
// Hangul jamo, compatibility ideographs and other letters, it either
// declines or gives foldText's result.
func TestFoldFastStrings(t *testing.T) {
	fold := cases.Fold()
	others := []rune{0x301, 0x308, 0x1100, 0x1161, 0xAC00, 0xF900, 0x2F00, 0x2026, 0x3036, 0xFF61, 0xDF, 0x149, 0x130, 0x3A3, 0x3C2, 0xFB01, 0x212B, 0xFFFD}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		var rs []rune
		for range n {
			if rapid.IntRange(0, 5).Draw(t, "other") == 0 {
				rs = append(rs, rapid.SampledFrom(others).Draw(t, "r"))
				continue
			}
			rg := rapid.SampledFrom(fastRunes).Draw(t, "range")
			rs = append(rs, rapid.Int32Range(rg[0], rg[1]).Draw(t, "r"))
		}
		s := string(rs)
		got, ok := foldFast([]byte("keep"), s)
		if string(got[:4]) != "keep" {
			t.Fatalf("foldFast did not append to dst: %q", got)
		}
		if !ok {
			for _, r := range rs {
				if !inSet(r) {
					return // declined for a rune outside the set
				}
			}
			t.Fatalf("foldFast(%q) declined a string of runes it takes", s)
		}
		if want := foldText(fold, s); string(got[4:]) != want {
			t.Fatalf("foldFast(%q) = %q, want %q", s, got[4:], want)
		}
	})
}
