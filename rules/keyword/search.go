package keyword

// Reporting matches: where they start, word boundaries, and the three
// kinds of search over the automaton's run (see automaton.go).

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// startOf walks back from end over n matched runes and the noise between
// them. The span is valid UTF-8 (pattern and noise runes only), so decoding
// backwards finds the same runes the scan found forwards.
func (a *automaton) startOf(text string, end int, n int32) int {
	j := end
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		j -= size
		var c uint16
		if r < utf8.RuneSelf {
			c = a.ascii[r]
		} else {
			c = a.runeClass(r)
		}
		if c != classNoise {
			n--
			if n == 0 {
				break
			}
		}
	}
	return j
}

// wordBefore and wordAfter report whether the rune that ends at j (before)
// or starts at j (after) is a word rune.
func (a *automaton) wordBefore(text string, j int) bool {
	if j == 0 {
		return false
	}
	r, size := utf8.DecodeLastRuneInString(text[:j])
	return !(r == utf8.RuneError && size == 1) && a.isWord(r)
}

func (a *automaton) wordAfter(text string, j int) bool {
	if j == len(text) {
		return false
	}
	r, size := utf8.DecodeRuneInString(text[j:])
	return !(r == utf8.RuneError && size == 1) && a.isWord(r)
}

func (a *automaton) isWord(r rune) bool {
	if !a.fold {
		return isWordRune(r)
	}
	return foldTableOnce().info(r)&flagWordF != 0
}

// outside reports whether the span [start, end) has no word rune on either
// side, as whole-word entries require.
func (a *automaton) outside(text string, start, end int) bool {
	return !a.wordBefore(text, start) && !a.wordAfter(text, end)
}

// shortWalk is the length in runes up to which an overlapping match finds
// its start by walking back at once; the starts of longer ones are found
// in one forward pass after the scan, so that nested long patterns do not
// cost their length per match.
const shortWalk = 16

// appendOverlapping appends every match, ordered by end, then start, then
// pattern. It costs O(len(text) + m) for m matches, plus O(m log m) when
// some of them are longer than shortWalk runes.
func (a *automaton) appendOverlapping(dst []Match, text string) []Match {
	base, deferred := len(dst), false
	i, s, g, n, hit := 0, int32(rootState), 0, 0, false
	for i < len(text) {
		if i, s, g, n, hit = a.run(text, i, s, g, n); !hit {
			break
		}
		for t := s; t >= 0; t = a.dict[t] {
			for _, ei := range a.own[a.ownAt[t]:a.ownAt[t+1]] {
				e := &a.entries[ei]
				if e.runes > shortWalk {
					// Start is -1 - the rune index of the first rune;
					// Pattern is the entry until resolveStarts.
					dst = append(dst, Match{Pattern: int(ei), Start: -1 - (n - int(e.runes)), End: i})
					deferred = true
					continue
				}
				start := a.startOf(text, i, e.runes)
				if e.whole && !a.outside(text, start, i) {
					continue
				}
				dst = append(dst, Match{Pattern: int(e.pattern), Start: start, End: i})
			}
		}
	}
	if deferred {
		dst = a.resolveStarts(dst, base, text)
	}
	return dst
}

// resolveStarts turns the deferred matches of dst[base:] (Start < 0) into
// byte offsets with one forward pass over text, drops the whole-word ones
// inside a word, and restores the order by end, start and pattern.
func (a *automaton) resolveStarts(dst []Match, base int, text string) []Match {
	found := dst[base:]
	// Deferred matches to the back, by rune index of their start.
	k := len(found)
	for j := 0; j < k; {
		if found[j].Start < 0 {
			k--
			found[j], found[k] = found[k], found[j]
		} else {
			j++
		}
	}
	late := found[k:]
	slices.SortFunc(late, func(x, y Match) int { return cmp.Compare(y.Start, x.Start) })
	sym, i := 0, 0
	for j := range late {
		want := -1 - late[j].Start
		for sym < want || a.classOf(text, i) == classNoise {
			if a.classOf(text, i) != classNoise {
				sym++
			}
			i = a.symbolEnd(text, i)
		}
		e := &a.entries[late[j].Pattern]
		late[j].Start, late[j].Pattern = i, int(e.pattern)
		if e.whole && !a.outside(text, i, late[j].End) {
			late[j].Pattern = -1
		}
	}
	found = slices.DeleteFunc(found, func(m Match) bool { return m.Pattern < 0 })
	slices.SortFunc(found, compareOverlapping)
	return dst[:base+len(found)]
}

// compareOverlapping orders matches by end, then start, then pattern.
func compareOverlapping(x, y Match) int {
	if c := cmp.Compare(x.End, y.End); c != 0 {
		return c
	}
	if c := cmp.Compare(x.Start, y.Start); c != 0 {
		return c
	}
	return cmp.Compare(x.Pattern, y.Pattern)
}

// classOf and symbolEnd read the symbol at text[i] the way run does: its
// class, and the offset after it.
func (a *automaton) classOf(text string, i int) uint16 {
	if b := text[i]; b < utf8.RuneSelf {
		return a.ascii[b]
	}
	c, _ := a.classAt(text, i)
	return c
}

func (a *automaton) symbolEnd(text string, i int) int {
	if text[i] < utf8.RuneSelf {
		return i + 1
	}
	_, j := a.classAt(text, i)
	return j
}

// appendLeftmost appends the leftmost-longest (or, with first, the
// leftmost-first) matches of text, in one pass that keeps no more than it
// reports.
//
// dst[base:done] are final. dst[done:] are pending candidates: disjoint,
// in order, together the greedy choice among the matches seen so far that
// start after the last final one; each holds the rune index of its first
// rune in Start and its entry in Pattern until it is final. A match ending
// at the current rune, ending after every candidate, replaces the
// candidates from the first one it overlaps when it beats that one (starts
// earlier, or at the same rune and is longer, or of a lower pattern with
// first) and is dropped otherwise; it is appended when it overlaps none.
// Among the outputs ending at one rune, longest first, the first one kept
// decides: the others lie inside it.
//
// A candidate is final once the current state's string starts after it:
// no later match can start at or before it. The state is then cut back,
// through failure links, to the string after the final match (where a
// search restarted there would be), so that no output reaches back over
// it. Cutting back and the walks that find the final starts are linear in
// the text; each hit costs O(log candidates), plus one step per output
// that starts inside a pending candidate and is dropped. Nested patterns
// under a long one can make those drops O(len(text) × nesting), so past
// len(text)+64 of them the search starts over on the reverse automaton
// (reverse.go), linear whatever the patterns.
func (a *automaton) appendLeftmost(dst []Match, text string, first bool) []Match {
	base, done, atRune := len(dst), len(dst), 0
	budget := len(text) + 64 // dropped outputs allowed before the reverse scan takes over
	finish := func(k int) {
		e := &a.entries[dst[k].Pattern]
		atRune = dst[k].Start + int(e.runes)
		dst[k] = Match{Pattern: int(e.pattern), Start: a.startOf(text, dst[k].End, e.runes), End: dst[k].End}
	}
	endRune := func(m Match) int { return m.Start + int(a.entries[m.Pattern].runes) }
	i, s, g, n, hit := 0, int32(rootState), 0, 0, false
	for i < len(text) {
		if i, s, g, n, hit = a.run(text, i, s, g, n); !hit {
			break
		}
		if done < len(dst) {
			for span := n - int(a.depth[s]); done < len(dst) && dst[done].Start < span; done++ {
				finish(done)
			}
			for int(a.depth[s]) > n-atRune {
				s = a.rows[s].fail
			}
		}
	chain:
		for t := s; t >= 0; t = a.dict[t] {
			for _, ei := range a.own[a.ownAt[t]:a.ownAt[t+1]] {
				e := &a.entries[ei]
				start := n - int(e.runes)
				if e.whole && !a.outside(text, a.startOf(text, i, e.runes), i) {
					continue
				}
				pend := dst[done:]
				k, _ := slices.BinarySearchFunc(pend, start, func(m Match, at int) int {
					return cmp.Compare(endRune(m), at+1)
				})
				if k < len(pend) {
					p := &pend[k]
					pe := &a.entries[p.Pattern]
					wins := start < p.Start
					if start == p.Start {
						if first {
							wins = e.pattern < pe.pattern
						} else {
							wins = e.runes > pe.runes || e.runes == pe.runes && e.pattern < pe.pattern
						}
					}
					if !wins {
						if budget--; budget < 0 {
							return a.reverse().appendLeftmostReverse(dst[:base], text, first)
						}
						continue
					}
					dst = dst[:done+k]
				}
				dst = append(dst, Match{Pattern: int(ei), Start: start, End: i})
				break chain
			}
		}
	}
	for ; done < len(dst); done++ {
		finish(done)
	}
	return dst
}

// contains reports whether any match survives its word-boundary check.
func (a *automaton) contains(text string) bool {
	i, s, g, n, hit := 0, int32(rootState), 0, 0, false
	for i < len(text) {
		if i, s, g, n, hit = a.run(text, i, s, g, n); !hit {
			return false
		}
		if a.rows[s].flags&stateHasPlain != 0 {
			return true
		}
		// Only whole-word patterns end here: one outside a word will do.
		for t := s; t >= 0; t = a.dict[t] {
			for _, ei := range a.own[a.ownAt[t]:a.ownAt[t+1]] {
				if e := &a.entries[ei]; a.outside(text, a.startOf(text, i, e.runes), i) {
					return true
				}
			}
		}
	}
	return false
}
