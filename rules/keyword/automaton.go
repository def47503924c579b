package keyword

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// Symbol classes. Every rune of a text maps to one class: classOther for
// runes that occur in no pattern (and for invalid UTF-8 bytes), classNoise
// for runes skipped between the characters of a match, and one class per
// distinct (folded) pattern rune from firstClass on.
const (
	classOther = 0
	classNoise = 1
	firstClass = 2
	maxClasses = 1 << 16

	rootState = 0

	stateHasOut   = 1 << 0 // some pattern ends here
	stateHasPlain = 1 << 1 // some pattern without a word-boundary check ends here
)

// entry is one string the automaton searches for: a pattern, or a variant of
// one, after folding and noise removal.
type entry struct {
	pattern int32 // index into the caller's patterns
	runes   int32 // length in runes
	whole   bool  // report only when not inside a word
}

// automaton is an Aho-Corasick automaton over rune classes. The root has a
// dense transition row (one lookup for the most frequent state); the other
// states keep their goto edges sorted by class and fall back along failure
// links. Outputs are flattened per state, longest first, then by pattern.
type automaton struct {
	fold     bool
	skip     bool // classNoise runes are skipped inside a match
	maxNoise int  // longest run of noise runes between two matched runes

	ascii [utf8.RuneSelf]uint16
	pages [numPages]*[pageSize]uint16
	high  map[rune]uint16 // classes of pattern runes at or above tableLimit

	root    []int32 // class -> state, for the root
	trStart []int32 // state -> first edge; len(states)+1
	trClass []uint16
	trNext  []int32
	fail    []int32
	flags   []uint8
	outAt   []int32 // state -> first output; len(states)+1
	outs    []int32 // indices into entries
	entries []entry
}

// buildAutomaton compiles the entries (with their rune sequences) into an
// automaton. fold selects the fold table; skip makes noise runes skippable.
func buildAutomaton(entries []entry, seqs [][]rune, fold, skip bool, maxNoise int, t *foldTable) (*automaton, error) {
	a := &automaton{fold: fold, skip: skip, maxNoise: maxNoise, entries: entries}

	// Classes in order of first appearance: deterministic.
	classOf := make(map[rune]uint16)
	for _, seq := range seqs {
		for _, r := range seq {
			if _, ok := classOf[r]; !ok {
				if len(classOf)+firstClass >= maxClasses {
					return nil, errTooManyRunes
				}
				classOf[r] = uint16(len(classOf) + firstClass)
			}
		}
	}
	numClasses := len(classOf) + firstClass
	a.buildClassTables(classOf, t)

	// Trie, with goto edges in a map while it grows.
	type edge struct {
		from  int32
		class uint16
	}
	gotoEdge := make(map[edge]int32)
	own := [][]int32{nil} // state -> entries ending there
	for ei, seq := range seqs {
		s := int32(rootState)
		for _, r := range seq {
			k := edge{s, classOf[r]}
			n, ok := gotoEdge[k]
			if !ok {
				n = int32(len(own))
				own = append(own, nil)
				gotoEdge[k] = n
			}
			s = n
		}
		own[s] = append(own[s], int32(ei))
	}
	numStates := len(own)

	// Edges sorted by (from, class) become the compact sparse rows.
	edges := make([]edge, 0, len(gotoEdge))
	for k := range gotoEdge {
		edges = append(edges, k)
	}
	slices.SortFunc(edges, func(x, y edge) int {
		if c := cmp.Compare(x.from, y.from); c != 0 {
			return c
		}
		return cmp.Compare(x.class, y.class)
	})
	a.trStart = make([]int32, numStates+1)
	a.trClass = make([]uint16, len(edges))
	a.trNext = make([]int32, len(edges))
	for i, e := range edges {
		a.trStart[e.from+1]++
		a.trClass[i] = e.class
		a.trNext[i] = gotoEdge[e]
	}
	for s := 1; s <= numStates; s++ {
		a.trStart[s] += a.trStart[s-1]
	}
	a.root = make([]int32, numClasses)
	for i := a.trStart[0]; i < a.trStart[1]; i++ {
		a.root[a.trClass[i]] = a.trNext[i]
	}

	// Failure links and outputs, breadth first so that a state's failure
	// target (always shallower) is complete before the state itself.
	a.fail = make([]int32, numStates)
	a.flags = make([]uint8, numStates)
	a.outAt = make([]int32, numStates+1)
	outOf := make([][]int32, numStates)
	queue := make([]int32, 0, numStates)
	queue = append(queue, rootState)
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		for i := a.trStart[s]; i < a.trStart[s+1]; i++ {
			c, t := a.trClass[i], a.trNext[i]
			if s != rootState {
				a.fail[t] = a.next(a.fail[s], c)
			}
			queue = append(queue, t)
		}
		mine := own[s]
		slices.SortFunc(mine, func(x, y int32) int { return cmp.Compare(entries[x].pattern, entries[y].pattern) })
		out := mine
		if s != rootState {
			out = append(slices.Clip(mine), outOf[a.fail[s]]...)
		}
		outOf[s] = out
	}
	for s := 0; s < numStates; s++ {
		a.outAt[s+1] = a.outAt[s] + int32(len(outOf[s]))
	}
	a.outs = make([]int32, 0, a.outAt[numStates])
	for s, out := range outOf {
		a.outs = append(a.outs, out...)
		for _, e := range out {
			a.flags[s] |= stateHasOut
			if !entries[e].whole {
				a.flags[s] |= stateHasPlain
			}
		}
	}
	return a, nil
}

// buildClassTables composes the fold table with the pattern classes, so that
// the scan needs one lookup per rune.
func (a *automaton) buildClassTables(classOf map[rune]uint16, t *foldTable) {
	dense := make([]uint16, tableLimit)
	a.high = make(map[rune]uint16)
	for r, c := range classOf {
		if r < tableLimit {
			dense[r] = c
		} else {
			a.high[r] = c
		}
	}
	var zero, noise [pageSize]uint16
	for i := range noise {
		noise[i] = classNoise
	}
	for pg := 0; pg < numPages; pg++ {
		var page [pageSize]uint16
		allZero, allNoise := true, true
		for i := 0; i < pageSize; i++ {
			c := a.classify(rune(pg<<pageBits|i), t, dense)
			page[i] = c
			allZero = allZero && c == classOther
			allNoise = allNoise && c == classNoise
		}
		switch {
		case allZero:
			a.pages[pg] = &zero
		case allNoise:
			a.pages[pg] = &noise
		default:
			p := page
			a.pages[pg] = &p
		}
	}
	for b := 0; b < utf8.RuneSelf; b++ {
		a.ascii[b] = a.pages[0][b]
	}
}

// classify maps a valid rune to its class. dense is nil at search time.
func (a *automaton) classify(r rune, t *foldTable, dense []uint16) uint16 {
	e := t.info(r)
	f := r
	noise := e&flagNoiseR != 0
	if a.fold {
		f = rune(e & runeMask)
		noise = e&flagNoiseF != 0
	}
	if a.skip && noise {
		return classNoise
	}
	if f < tableLimit && dense != nil {
		return dense[f]
	}
	return a.high[f]
}

// classAt decodes the rune at text[i] and returns its class and the offset
// after it. An invalid byte is classOther and one byte long.
func (a *automaton) classAt(text string, i int) (uint16, int) {
	b := text[i]
	if b >= 0xE0 && b < 0xF0 && i+2 < len(text) {
		// Three-byte sequences (all of CJK) decoded inline.
		b1, b2 := text[i+1], text[i+2]
		if b1&0xC0 == 0x80 && b2&0xC0 == 0x80 {
			r := rune(b&0x0F)<<12 | rune(b1&0x3F)<<6 | rune(b2&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return a.pages[r>>pageBits][r&(pageSize-1)], i + 3
			}
		}
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if r == utf8.RuneError && size == 1 {
		return classOther, i + 1
	}
	return a.runeClass(r), i + size
}

// runeClass is the class of a valid rune.
func (a *automaton) runeClass(r rune) uint16 {
	if r < tableLimit {
		return a.pages[r>>pageBits][r&(pageSize-1)]
	}
	return a.classify(r, foldTableOnce(), nil)
}

// next is the transition function: goto edges, then failure links, down to
// the dense root row.
func (a *automaton) next(s int32, c uint16) int32 {
	for s != rootState {
		lo, hi := a.trStart[s], a.trStart[s+1]
		if hi-lo <= 8 {
			for ; lo < hi; lo++ {
				if k := a.trClass[lo]; k >= c {
					if k == c {
						return a.trNext[lo]
					}
					break
				}
			}
		} else {
			for lo < hi {
				mid := int32(uint32(lo+hi) >> 1)
				if a.trClass[mid] < c {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			if lo < a.trStart[s+1] && a.trClass[lo] == c {
				return a.trNext[lo]
			}
		}
		s = a.fail[s]
	}
	return a.root[c]
}

// run scans text from byte i in state s, with g noise runes seen since the
// last matched rune. It stops after the first rune that enters a state with
// outputs and returns the offset after that rune, the state, g and true; at
// the end of text it returns len(text) and false.
func (a *automaton) run(text string, i int, s int32, g int) (int, int32, int, bool) {
	for i < len(text) {
		var c uint16
		if b := text[i]; b < utf8.RuneSelf {
			c = a.ascii[b]
			i++
		} else {
			c, i = a.classAt(text, i)
		}
		switch {
		case c == classNoise:
			if s != rootState {
				g++
				if g > a.maxNoise {
					s = rootState
				}
			}
			continue
		case c == classOther:
			s = rootState
		case s == rootState:
			s = a.root[c]
		default:
			s = a.next(s, c)
		}
		g = 0
		if a.flags[s] != 0 {
			return i, s, g, true
		}
	}
	return i, s, g, false
}

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

// wordAt reports whether the rune that ends at j (before) or starts at j
// (after) is a word rune.
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

// emit appends the matches that end at end in state s.
func (a *automaton) emit(dst []Match, text string, end int, s int32) []Match {
	for _, ei := range a.outs[a.outAt[s]:a.outAt[s+1]] {
		e := &a.entries[ei]
		start := a.startOf(text, end, e.runes)
		if e.whole && (a.wordBefore(text, start) || a.wordAfter(text, end)) {
			continue
		}
		dst = append(dst, Match{Pattern: int(e.pattern), Start: start, End: end})
	}
	return dst
}

// appendOverlapping appends every match, ordered by end, then start, then
// pattern.
func (a *automaton) appendOverlapping(dst []Match, text string) []Match {
	i, s, g, hit := 0, int32(rootState), 0, false
	for i < len(text) {
		if i, s, g, hit = a.run(text, i, s, g); hit {
			dst = a.emit(dst, text, i, s)
		}
	}
	return dst
}

// contains reports whether any match survives its word-boundary check.
func (a *automaton) contains(text string) bool {
	i, s, g, hit := 0, int32(rootState), 0, false
	for i < len(text) {
		if i, s, g, hit = a.run(text, i, s, g); !hit {
			return false
		}
		if a.flags[s]&stateHasPlain != 0 {
			return true
		}
		{
			for _, ei := range a.outs[a.outAt[s]:a.outAt[s+1]] {
				e := &a.entries[ei]
				start := a.startOf(text, i, e.runes)
				if !a.wordBefore(text, start) && !a.wordAfter(text, i) {
					return true
				}
			}
		}
	}
	return false
}
