package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qunops/qunops/internal/binx"
)

// termsMagic starts the binary form of a TermCounter; termsVersion follows.
const (
	termsMagic   = "qunops.terms\x00"
	termsVersion = 1
	// termCountMax bounds every count of the binary form (ours: 2^40, more
	// than the characters of any chat log), so that merging up to 2^23
	// decoded counters cannot overflow.
	termCountMax = 1 << 40
)

// MarshalBinary writes the counter's options and counts, so that a counter
// filled on one machine can be merged on another (encoding.BinaryMarshaler).
// Equal counters give equal bytes.
//
// Version 1 of the format, after the magic "qunops.terms\x00" and the version
// as a uvarint; numbers are uvarints, strings a uvarint length and UTF-8,
// lists a uvarint length and their items in increasing order:
//
//	min_letters
//	stop characters (each a code point), stop words (each a string)
//	slack (see Slack)
//	Han characters (each a code point and its count)
//	Latin words (each a string and its count)
//	n-grams by place (each its number of characters n in 2..5, n code
//	points, count)
//
// Cost: O(d log d) for d distinct n-grams and words; about 16 bytes an n-gram.
func (c *TermCounter) MarshalBinary() ([]byte, error) {
	if c.grams == nil {
		return nil, errors.New("metrics: terms: marshal of a zero TermCounter (use NewTermCounter)")
	}
	w := binWriter{b: append([]byte(termsMagic), termsVersion)}
	w.uint(uint64(c.minLetters))
	runes := slices.Sorted(maps.Keys(c.stopRunes))
	w.uint(uint64(len(runes)))
	for _, r := range runes {
		w.uint(uint64(r))
	}
	stops := slices.Sorted(maps.Keys(c.stopTerms))
	w.uint(uint64(len(stops)))
	for _, s := range stops {
		w.str(s)
	}
	w.uint(uint64(c.slack))
	chars := slices.Sorted(maps.Keys(c.chars))
	w.uint(uint64(len(chars)))
	for _, r := range chars {
		w.uint(uint64(r))
		w.uint(uint64(c.chars[r]))
	}
	words := slices.Sorted(maps.Keys(c.words))
	w.uint(uint64(len(words)))
	for _, s := range words {
		w.str(s)
		w.uint(uint64(*c.words[s]))
	}
	grams := slices.SortedFunc(maps.Keys(c.grams), compareGrams)
	w.uint(uint64(len(grams)))
	for _, g := range grams {
		n := g.len()
		w.b = append(w.b, byte(n))
		for i := range n {
			w.uint(uint64(g.at(i)))
		}
		w.uint(uint64(c.grams[g]))
	}
	return w.b, nil
}

// UnmarshalBinary replaces the counter, options included, with one written
// by MarshalBinary (encoding.BinaryUnmarshaler); it works on a zero
// TermCounter. Bad input (another format or version, a truncated or
// inconsistent counter, more entries than the cap) is an error that says
// what and where, and leaves the counter unchanged.
//
// Cost: O(d log d) for d distinct n-grams and words.
func (c *TermCounter) UnmarshalBinary(data []byte) error {
	n, err := decodeTerms(data)
	if err != nil {
		return fmt.Errorf("metrics: terms: binary: %w", err)
	}
	*c = *n
	return nil
}

// termsReader reads the binary form and remembers the first error, which
// it words itself: "byte N: " and what was read there. It keeps its own
// err rather than binx.Reader's, since it rewords binx's failures; every
// read checks err first, so none reads past a failure.
type termsReader struct {
	binx.Reader
	err error
}

// failAt records a failure of the field that starts at byte off.
func (r *termsReader) failAt(off int, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("byte %d: %s", off, fmt.Sprintf(format, args...))
	}
}

func (r *termsReader) fail(format string, args ...any) { r.failAt(r.Offset(), format, args...) }

// uint reads a uvarint of at most max.
func (r *termsReader) uint(what string, max uint64) uint64 {
	if r.err != nil {
		return 0
	}
	off := r.Offset()
	v := r.Uvarint()
	if r.Err() != nil {
		r.failAt(off, "%s: truncated or overlong number", what)
		return 0
	}
	if v > max {
		r.failAt(off, "%s %d is more than %d", what, v, max)
		return 0
	}
	return v
}

// count reads a list length; each item takes at least minSize bytes, so a
// length the input cannot hold is an error before anything is allocated.
func (r *termsReader) count(what string, minSize int) int {
	return int(r.uint(what, uint64(r.Len())/uint64(minSize)))
}

// str reads a string of valid UTF-8.
func (r *termsReader) str(what string) string {
	n := r.uint(what+" length", uint64(r.Offset()+r.Len()))
	if r.err == nil && n > uint64(r.Len()) {
		r.fail("%s: truncated", what)
	}
	if r.err != nil {
		return ""
	}
	off := r.Offset()
	s := string(r.Bytes(int(n)))
	if !utf8.ValidString(s) {
		r.failAt(off, "%s %q is not UTF-8", what, s)
	}
	return s
}

func decodeTerms(data []byte) (*TermCounter, error) {
	if !bytes.HasPrefix(data, []byte(termsMagic)) {
		return nil, errors.New("not a term counter (no magic)")
	}
	r := &termsReader{Reader: binx.NewReader(data)}
	r.Bytes(len(termsMagic))
	if v := r.uint("version", 255); r.err == nil && v != termsVersion {
		return nil, fmt.Errorf("version %d, want %d", v, termsVersion)
	}
	c := newTermCounter(int(r.uint("min_letters", 1<<16)))
	if r.err == nil && c.minLetters == 0 {
		r.fail("min_letters 0 must be at least 1")
	}
	var prevRune rune
	for i := range r.count("stop characters", 1) {
		ch := rune(r.uint("stop character", unicode.MaxRune))
		if r.err == nil && (!unicode.Is(unicode.Han, ch) || (i > 0 && ch <= prevRune)) {
			r.fail("stop character %q is not a Han character in increasing order", ch)
		}
		c.stopRunes[ch], prevRune = true, ch
	}
	prev := ""
	for i := range r.count("stop words", 2) {
		w := r.str("stop word")
		if r.err == nil && (w == "" || (i > 0 && w <= prev)) {
			r.fail("stop word %q is empty or out of order", w)
		}
		c.stopTerms[w], prev = true, w
	}
	c.slack = int(r.uint("slack", termCountMax))
	for i := range r.count("Han characters", 3) {
		ch := rune(r.uint("Han character", unicode.MaxRune))
		n := int(r.uint("count", termCountMax))
		if r.err == nil && (!unicode.Is(unicode.Han, ch) || n == 0 || (i > 0 && ch <= prevRune)) {
			r.fail("Han character %q (count %d) is not a Han character, has count 0 or is out of order", ch, n)
		}
		c.chars[ch], prevRune = n, ch
	}
	for i := range r.count("words", 3) {
		w := r.str("word")
		n := int(r.uint("count", termCountMax))
		if r.err == nil && (n == 0 || (i > 0 && w <= prev) || !c.isWord(w)) {
			r.fail("word %q (count %d) is not a word this counter counts, or out of order", w, n)
		}
		c.words[w], prev = &n, w
	}
	var prevGram gram
	for i := range r.count("n-grams", 4) {
		l := r.uint("n-gram length", gramMax)
		var g gram
		for k := range int(l) {
			ch := rune(r.uint("n-gram character", unicode.MaxRune))
			if r.err == nil && !unicode.Is(unicode.Han, ch) {
				r.fail("n-gram character %q is not a Han character", ch)
			}
			g = g.with(k, ch)
		}
		n := int(r.uint("count", termCountMax))
		if r.err == nil && (l < 2 || n == 0 || (i > 0 && compareGrams(prevGram, g) >= 0)) {
			r.fail("n-gram %q (count %d) is shorter than 2, has count 0 or is out of order", gramString(g), n)
		}
		c.grams[g], prevGram = n, g
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("byte %d: %d bytes after the counter", r.Offset(), r.Len())
	}
	if len(c.grams)+len(c.words) > c.entriesMax {
		return nil, fmt.Errorf("%d n-grams and words, more than the cap %d", len(c.grams)+len(c.words), c.entriesMax)
	}
	if c.slack > 0 {
		return c, nil // pruning leaves counts that need not fit together
	}
	return c, c.checkGrams()
}

// isWord reports whether w is a Latin word the counter would count: the
// only term of its own text.
func (c *TermCounter) isWord(w string) bool {
	got := false
	ok := true
	c.scan(w, func([]rune) { ok = false }, func(b []byte) {
		ok = ok && !got && string(b) == w
		got = true
	})
	return ok && got
}

// checkGrams checks that the counts of an exact counter fit together as
// counting text makes them: the n-grams that start with a character
// occur at most as often as the character, and the occurrences of the
// n-grams xw are occurrences of w, so their counts add up to at most that
// of w.
func (c *TermCounter) checkGrams() error {
	starts := map[rune]int{}
	for g, n := range c.grams {
		starts[g.at(0)] += n
	}
	for r, n := range starts {
		if n > c.chars[r] {
			return fmt.Errorf("character %q has count %d, less than the %d of the n-grams that start with it", r, c.chars[r], n)
		}
	}
	full := c.fullCounts()
	left := map[gram]int{}
	for g, n := range full {
		left[g.sub(1, g.len())] += n
	}
	var bad []gram
	for w, n := range left {
		if n > c.count(full, w) {
			bad = append(bad, w)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	w := slices.MinFunc(bad, compareGrams)
	return fmt.Errorf("n-gram %q has count %d, less than the %d of the n-grams that extend it on the left",
		gramString(w), c.count(full, w), left[w])
}

// gramString returns the characters of g.
func gramString(g gram) string {
	var buf [gramMax]rune
	var sb strings.Builder
	for _, r := range g.runes(&buf) {
		sb.WriteRune(r)
	}
	return sb.String()
}
