package keyword

import (
	"math"
	"slices"
	"unicode/utf8"
)

// The forward leftmost scan (appendLeftmost) drops, at each hit, the
// outputs that begin inside a pending candidate. Nested patterns under a
// longer one that keeps every candidate pending (a, aa, ..., a^950 and
// a^450000 on "aaa...") make that O(len(text) × nesting). When the drops
// exceed the text's length, the search starts again with the reverse
// automaton, whose cost is linear whatever the patterns:
//
// The reverse automaton holds the entries written backwards. Scanning the
// text from its end, its state at a rune stands for the patterns that
// start there, longest first: the match leftmost-longest prefers there is
// its first output, and the one leftmost-first prefers is precomputed per
// state (bestFirst). One candidate per start, then one greedy pass from
// the left over the candidates, picks the matches; only those are walked
// to find their ends. Whole-word entries, rare, walk their outputs.
//
// The reverse automaton is built on first use and kept: Compile does not
// pay for it, and dictionaries that never need it never build it.

// reverse returns the reverse automaton of a, building it once.
func (a *automaton) reverse() *automaton {
	a.revOnce.Do(func() {
		seqs := make([][]rune, len(a.seqs))
		for i, s := range a.seqs {
			seqs[i] = slices.Clone(s)
			slices.Reverse(seqs[i])
		}
		r, err := buildAutomaton(a.entries, seqs, a.fold, a.skip, a.maxNoise, foldTableOnce())
		if err != nil {
			panic("keyword: reverse automaton: " + err.Error()) // same runes as a: cannot fail
		}
		r.seqs = nil
		r.prepareReverse()
		a.rev = r
	})
	return a.rev
}

// prepareReverse computes bestFirst and stateHasWhole, shallow states
// first: a state's dictionary link is shallower than the state.
func (r *automaton) prepareReverse() {
	n := len(r.rows)
	order := make([]int32, n)
	at := make([]int32, n+1)
	for _, d := range r.depth {
		at[d+1]++
	}
	for d := range n {
		at[d+1] += at[d]
	}
	for s, d := range r.depth {
		order[at[d]] = int32(s)
		at[d]++
	}
	r.bestFirst = make([]int32, n)
	for _, s := range order {
		best := int32(-1)
		if d := r.dict[s]; d >= 0 {
			best = r.bestFirst[d]
			r.rows[s].flags |= r.rows[d].flags & stateHasWhole
		}
		for _, ei := range r.own[r.ownAt[s]:r.ownAt[s+1]] {
			if best < 0 || r.firstPrefers(ei, best) {
				best = ei
			}
			if r.entries[ei].whole {
				r.rows[s].flags |= stateHasWhole
			}
		}
		r.bestFirst[s] = best
	}
}

// firstPrefers reports whether leftmost-first prefers entry x to entry y
// when both start at the same rune: the lower pattern, then the shorter
// entry of it.
func (r *automaton) firstPrefers(x, y int32) bool {
	ex, ey := &r.entries[x], &r.entries[y]
	return ex.pattern < ey.pattern || ex.pattern == ey.pattern && ex.runes < ey.runes
}

// appendLeftmostReverse is appendLeftmost on the reverse automaton r.
func (r *automaton) appendLeftmostReverse(dst []Match, text string, first bool) []Match {
	base := len(dst)
	// Candidates, from the right: Start is the byte offset of the first
	// rune, End the number of symbols from it to the end of the text
	// (until the ends are found below), Pattern the entry.
	j, s, g, m := len(text), int32(rootState), 0, 0
	for j > 0 {
		var c uint16
		if b := text[j-1]; b < utf8.RuneSelf {
			c, j = r.ascii[b], j-1
		} else {
			rn, size := utf8.DecodeLastRuneInString(text[:j])
			if rn == utf8.RuneError && size == 1 {
				c = classOther
			} else {
				c = r.runeClass(rn)
			}
			j -= size
		}
		if c == classNoise {
			if s != rootState {
				if g++; g > r.maxNoise {
					s = rootState
				}
			}
			continue
		}
		g, m = 0, m+1
		s = r.next(s, c)
		if r.rows[s].flags&stateHasOut == 0 {
			continue
		}
		if ei := r.pick(text, j, s, first); ei >= 0 {
			dst = append(dst, Match{Pattern: int(ei), Start: j, End: m})
		}
	}
	found := dst[base:]
	slices.Reverse(found)
	k, limit := 0, math.MaxInt
	for _, c := range found {
		if c.End <= limit {
			limit = c.End - int(r.entries[c.Pattern].runes)
			found[k] = c
			k++
		}
	}
	for i := range found[:k] {
		c := &found[i]
		e := &r.entries[c.Pattern]
		c.End = r.endAfter(text, c.Start, e.runes)
		c.Pattern = int(e.pattern)
	}
	return dst[:base+k]
}

// pick returns the entry preferred among the outputs of state s, which all
// start at byte start, or -1 when whole-word checks rule them all out.
func (r *automaton) pick(text string, start int, s int32, first bool) int32 {
	if first && r.rows[s].flags&stateHasWhole == 0 {
		return r.bestFirst[s]
	}
	best := int32(-1)
	for t := s; t >= 0; t = r.dict[t] {
		for _, ei := range r.own[r.ownAt[t]:r.ownAt[t+1]] {
			e := &r.entries[ei]
			if e.whole && !r.outside(text, start, r.endAfter(text, start, e.runes)) {
				continue
			}
			if !first {
				return ei // longest first, then lowest pattern
			}
			if best < 0 || r.firstPrefers(ei, best) {
				best = ei
			}
		}
	}
	return best
}

// endAfter returns the offset after the n-th symbol that is not noise from
// byte i on: the end of a match of n runes that starts at i.
func (r *automaton) endAfter(text string, i int, n int32) int {
	for ; n > 0; i = r.symbolEnd(text, i) {
		if r.classOf(text, i) != classNoise {
			n--
		}
	}
	return i
}
