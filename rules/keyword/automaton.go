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
	stateFailRoot = 1 << 2 // the failure link goes to the root
	stateDense    = 1 << 3 // the node's first is the state's row in dense
	stateASCII    = 1 << 4 // the node's first is the state's row in asciiDelta

	// wideState is the number of edges above which a state gets a dense
	// row; maxDense bounds the entries of all dense rows together.
	wideState = 16
	maxDense  = 1 << 20
)

// stateRow is a state's goto edges (edges[first:end]), failure link and
// flags.
type stateRow struct {
	first, end int32
	fail       int32
	flags      uint32
	denseAt    int32 // the state's row in dense, with stateDense
	asciiAt    int32 // the state's row in asciiDelta, with stateASCII
}

// node is a transition's target with what the scan needs of it, so that
// one load per rune finds the next state, its flags and its edges: the
// state rows are read only on the rarer failure paths.
//
// It has four word-sized fields so that the compiler keeps the current node
// in registers.
type node struct {
	key   uint32 // the edge's class (unused in the root row) | the target's flags<<16
	id    int32
	first int32 // the target's edges: edges[first:end]
	end   int32
}

func (n *node) class() uint16 { return uint16(n.key) }

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
	cls   []uint16        // rune -> class for runes below tableLimit
	high  map[rune]uint16 // classes of pattern runes at or above tableLimit

	rows  []stateRow // per state: edges, failure link, flags
	edges []node     // goto edges, grouped by state, sorted by class
	outAt []int32    // state -> first output; len(states)+1

	// follow is a Bloom-like bit set of the (state, class) pairs that have
	// a goto edge: most runes leave a depth-one state at once, and one bit
	// test tells so without walking the state's edges.
	follow   []uint64
	followSh uint32

	// dense holds, for the few states with many edges (the root's Latin
	// children: every letter starts many words), one row per state indexed
	// by class: the edge's index, or -1.
	dense []int32

	// rootx is the root's dense transition row: per class, the target's
	// node and a 64-bit signature of the non-root states that have an edge
	// on that class: one load per rune then gives both the answer "no edge
	// here" (nearly always) and the next node.
	rootx []rootEntry

	// asciiDelta is a DFA for ASCII text: for every state entered on an
	// ASCII class (stateASCII), the id of the next state for each ASCII
	// class, failure links resolved; nodes has every state's node. Latin
	// words walk deep into the trie, where failure chains are long.
	asciiEnd   uint16 // ASCII classes are [firstClass, asciiEnd)
	asciiDelta []int32
	nodes      []node

	outs    []int32 // indices into entries
	entries []entry
}

// buildAutomaton compiles the entries (with their rune sequences) into an
// automaton. fold selects the fold table; skip makes noise runes skippable.
func buildAutomaton(entries []entry, seqs [][]rune, fold, skip bool, maxNoise int, t *foldTable) (*automaton, error) {
	a := &automaton{fold: fold, skip: skip, maxNoise: maxNoise, entries: entries}

	// ASCII runes take the first classes, in byte order (so that ASCII
	// states can have compact dense rows); the others follow in order of
	// first appearance. Both are deterministic.
	classOf := make(map[rune]uint16)
	var ascii [utf8.RuneSelf]bool
	for _, seq := range seqs {
		for _, r := range seq {
			if r < utf8.RuneSelf {
				ascii[r] = true
			}
		}
	}
	for r, ok := range ascii {
		if ok {
			classOf[rune(r)] = uint16(len(classOf) + firstClass)
		}
	}
	a.asciiEnd = uint16(len(classOf) + firstClass)
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
	own := [][]int32{nil}           // state -> entries ending there
	inClass := []uint16{classOther} // state -> the class it is entered on
	for ei, seq := range seqs {
		s := int32(rootState)
		for _, r := range seq {
			k := edge{s, classOf[r]}
			n, ok := gotoEdge[k]
			if !ok {
				n = int32(len(own))
				own = append(own, nil)
				inClass = append(inClass, k.class)
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
	a.rows = make([]stateRow, numStates)
	a.edges = make([]node, len(edges))
	for i, e := range edges {
		a.rows[e.from].end++
		a.edges[i] = node{key: uint32(e.class), id: gotoEdge[e]}
	}
	for s, at := 0, int32(0); s < numStates; s++ {
		n := a.rows[s].end
		a.rows[s].first, a.rows[s].end = at, at+n
		at += n
	}
	a.rootx = make([]rootEntry, numClasses)

	// Failure links and outputs, breadth first so that a state's failure
	// target (always shallower) is complete before the state itself.
	a.outAt = make([]int32, numStates+1)
	outOf := make([][]int32, numStates)
	queue := make([]int32, 0, numStates)
	queue = append(queue, rootState)
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		for _, e := range a.edges[a.rows[s].first:a.rows[s].end] {
			if s != rootState {
				a.rows[e.id].fail = a.next(a.rows[s].fail, e.class())
			} else {
				a.rootx[e.class()].id = e.id
			}
			queue = append(queue, e.id)
		}
		mine := own[s]
		slices.SortFunc(mine, func(x, y int32) int { return cmp.Compare(entries[x].pattern, entries[y].pattern) })
		out := mine
		if s != rootState {
			out = append(slices.Clip(mine), outOf[a.rows[s].fail]...)
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
			a.rows[s].flags |= stateHasOut
			if !entries[e].whole {
				a.rows[s].flags |= stateHasPlain
			}
		}
		if a.rows[s].fail == rootState { // the root's own link included
			a.rows[s].flags |= stateFailRoot
		}
	}
	bits := uint32(12)
	for 1<<bits < 16*len(a.edges) {
		bits++
	}
	a.follow = make([]uint64, 1<<bits/64)
	a.followSh = 32 - bits
	for from := range a.rows {
		for _, e := range a.edges[a.rows[from].first:a.rows[from].end] {
			h := followHash(int32(from), e.class(), a.followSh)
			a.follow[h>>6] |= 1 << (h & 63)
		}
	}

	// ASCII DFA rows, breadth first: a state's failure target, shallower,
	// has its row (or is the root) before the state itself.
	if nA := int(a.asciiEnd - firstClass); nA > 0 {
		var latin []int32
		for _, st := range queue[1:] {
			if inClass[st] < a.asciiEnd {
				latin = append(latin, st)
			}
		}
		if len(latin)*nA <= maxDense {
			a.asciiDelta = make([]int32, len(latin)*nA)
			for i, st := range latin {
				row := &a.rows[st]
				row.asciiAt = int32(i * nA)
				for k := 0; k < nA; k++ {
					c := uint16(k + firstClass)
					var t int32
					if e, ok := a.child(row.first, row.end, c); ok {
						t = e.id
					} else if f := a.rows[row.fail]; row.fail == rootState {
						t = a.rootx[c].id
					} else {
						t = a.asciiDelta[f.asciiAt+int32(k)]
					}
					a.asciiDelta[row.asciiAt+int32(k)] = t
				}
			}
			for _, st := range latin {
				a.rows[st].flags |= stateASCII
			}
		}
	}

	// Wide states get a dense row, within the budget.
	for st := 1; st < numStates; st++ {
		row := &a.rows[st]
		if row.flags&stateASCII != 0 || row.end-row.first <= wideState || len(a.dense)+numClasses > maxDense {
			continue
		}
		at := int32(len(a.dense))
		for range numClasses {
			a.dense = append(a.dense, -1)
		}
		for k := row.first; k < row.end; k++ {
			a.dense[at+int32(a.edges[k].class())] = k
		}
		row.flags |= stateDense
		row.denseAt = at
	}

	// Copy each target's row into the nodes that lead to it.
	for i := range a.edges {
		a.edges[i] = a.nodeOf(a.edges[i].id, a.edges[i].class())
	}
	a.nodes = make([]node, numStates)
	for st := range a.nodes {
		a.nodes[st] = a.nodeOf(int32(st), 0)
	}
	for c := range a.rootx {
		n := a.nodeOf(a.rootx[c].id, uint16(c))
		if n.id == rootState {
			// The scan reaches the root's transitions through the dense
			// row, never through its edges.
			n.first, n.end = 0, 0
		}
		a.rootx[c].node = n
	}
	for st := 1; st < numStates; st++ {
		for _, e := range a.edges[a.rows[st].first:a.rows[st].end] {
			a.rootx[e.class()].from |= stateSig(int32(st))
		}
	}
	return a, nil
}

// buildClassTables composes the fold table with the pattern classes, so that
// the scan needs one lookup per rune. It starts from the shared table of
// noise and visits only the runes that fold to a pattern rune, which keeps
// Compile cheap for small dictionaries.
func (a *automaton) buildClassTables(classOf map[rune]uint16, t *foldTable) {
	a.cls = make([]uint16, tableLimit)
	if a.skip {
		copy(a.cls, noiseBase(a.fold))
	}
	a.high = make(map[rune]uint16)
	inv := foldInverse()
	for f, c := range classOf {
		if f >= tableLimit {
			a.high[f] = c
			continue
		}
		set := func(r rune) {
			if r < tableLimit && a.cls[r] != classNoise {
				a.cls[r] = c
			}
		}
		if !a.fold {
			set(f)
			continue
		}
		if rune(t.info(f)&runeMask) == f {
			set(f)
		}
		for _, r := range inv[f] {
			set(r)
		}
	}
	copy(a.ascii[:], a.cls)
}

// classify maps a valid rune at or above tableLimit to its class.
func (a *automaton) classify(r rune, t *foldTable) uint16 {
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
	return a.high[f]
}

// classAt decodes the rune at text[i] and returns its class and the offset
// after it. An invalid byte is classOther and one byte long. It is run's
// path for what run does not decode inline: two- and four-byte sequences
// and invalid bytes.
func (a *automaton) classAt(text string, i int) (uint16, int) {
	r, size := utf8.DecodeRuneInString(text[i:])
	if r == utf8.RuneError && size == 1 {
		return classOther, i + 1
	}
	return a.runeClass(r), i + size
}

// runeClass is the class of a valid rune.
func (a *automaton) runeClass(r rune) uint16 {
	if r < tableLimit {
		return a.cls[r]
	}
	return a.classify(r, foldTableOnce())
}

type rootEntry struct {
	node
	from uint64 // bit stateSig(s) set for every non-root s with an edge on the class
}

// stateSig picks a state's bit in rootEntry.from.
func stateSig(s int32) uint64 { return 1 << (uint32(s) * 0x9E3779B1 >> 26) }

// followHash is a multiplicative hash of the pair to sh's bit width.
func followHash(s int32, c uint16, sh uint32) uint32 {
	return (uint32(s)*0x9E3779B1 ^ uint32(c)*0x85EBCA77) * 0xC2B2AE3D >> sh
}

// nodeOf returns the node for state s reached on class c.
func (a *automaton) nodeOf(s int32, c uint16) node {
	row := a.rows[s]
	if row.flags&stateASCII != 0 {
		return node{key: uint32(c) | row.flags<<16, id: s, first: row.asciiAt}
	}
	if row.flags&stateDense != 0 {
		return node{key: uint32(c) | row.flags<<16, id: s, first: row.denseAt}
	}
	return node{key: uint32(c) | row.flags<<16, id: s, first: row.first, end: row.end}
}

// next is the transition function: goto edges, then failure links, down to
// the dense root row. It is used while building and on the scan's slow
// path.
func (a *automaton) next(s int32, c uint16) int32 {
	for s != rootState {
		row := a.rows[s]
		if t, ok := a.child(row.first, row.end, c); ok {
			return t.id
		}
		s = row.fail
	}
	return a.rootx[c].id
}

// nextNode is next for the scan's failure path, from the failure link s of
// the current state: it skips the states that the filters rule out and
// returns the target's node without another lookup.
func (a *automaton) nextNode(s int32, c uint16) node {
	rx := &a.rootx[c]
	for s != rootState {
		row := &a.rows[s]
		if rx.from&stateSig(s) != 0 {
			if h := followHash(s, c, a.followSh); a.follow[h>>6]&(1<<(h&63)) != 0 {
				if t, ok := a.child(row.first, row.end, c); ok {
					return *t
				}
			}
		}
		s = row.fail
	}
	return rx.node
}

// child finds the goto edge on c among edges[first:end].
func (a *automaton) child(first, end int32, c uint16) (*node, bool) {
	edges := a.edges[first:end]
	if len(edges) <= 8 {
		for k := range edges {
			if e := &edges[k]; e.class() >= c {
				return e, e.class() == c
			}
		}
		return nil, false
	}
	lo, hi := 0, len(edges)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if edges[mid].class() < c {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(edges) && edges[lo].class() == c {
		return &edges[lo], true
	}
	return nil, false
}

// run scans text from byte i in state s, with g noise runes seen since the
// last matched rune. It stops after the first rune that enters a state with
// outputs and returns the offset after that rune, the state, g and true; at
// the end of text it returns len(text) and false.
func (a *automaton) run(text string, i int, s int32, g int) (int, int32, int, bool) {
	cls, rootx, edges, follow, sh := a.cls, a.rootx, a.edges, a.follow, a.followSh
	nodes, asciiDelta, nA := a.nodes, a.asciiDelta, int32(a.asciiEnd-firstClass)
	cur := rootx[classOther].node
	if s != rootState {
		cur = a.nodeOf(s, 0)
	}
	for i < len(text) {
		var c uint16
		b := text[i]
		switch {
		case b < utf8.RuneSelf:
			c = a.ascii[b]
			i++
		case b >= 0xE0 && b < 0xF0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80:
			// Three-byte sequences (all of CJK) decoded inline.
			r := rune(b&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			if r < 0x800 || r >= 0xD800 && r <= 0xDFFF {
				c, i = classOther, i+1 // overlong or surrogate: one invalid byte
			} else {
				c, i = cls[r], i+3
			}
		default:
			c, i = a.classAt(text, i)
		}
		if c == classNoise {
			if cur.id != rootState {
				if g++; g > a.maxNoise {
					cur = rootx[classOther].node
				}
			}
			continue
		}
		// The root's node has no edges and fails to the root, so it takes
		// the same path as the many depth-one states whose failure link is
		// the root; classOther has no edge anywhere and lands on the root.
		g = 0
		if cur.key&(stateASCII<<16) != 0 {
			if k := int32(c) - firstClass; uint32(k) < uint32(nA) {
				cur = nodes[asciiDelta[cur.first+k]]
			} else {
				cur = a.nextNode(cur.id, c)
			}
			if cur.key&(stateHasOut<<16) != 0 {
				return i, cur.id, g, true
			}
			continue
		}
		found := false
		rx := &rootx[c]
		if rx.from&stateSig(cur.id) == 0 {
			// No edge on c (the usual case): the failure path.
		} else if h := followHash(cur.id, c, sh); follow[h>>6]&(1<<(h&63)) == 0 {
			// No edge on c either.
		} else if cur.key&(stateDense<<16) != 0 {
			if k := a.dense[cur.first+int32(c)]; k >= 0 {
				cur, found = edges[k], true
			}
		} else if t, ok := a.child(cur.first, cur.end, c); ok {
			cur, found = *t, true
		}
		if !found {
			if cur.key&(stateFailRoot<<16) != 0 {
				cur = rx.node
			} else {
				cur = a.nextNode(a.rows[cur.id].fail, c)
			}
		}
		if cur.key&(stateHasOut<<16) != 0 {
			return i, cur.id, g, true
		}
	}
	return i, cur.id, g, false
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
		if a.rows[s].flags&stateHasPlain != 0 {
			return true
		}
		// Only whole-word patterns end here: one outside a word will do.
		for _, ei := range a.outs[a.outAt[s]:a.outAt[s+1]] {
			e := &a.entries[ei]
			start := a.startOf(text, i, e.runes)
			if !a.wordBefore(text, start) && !a.wordAfter(text, i) {
				return true
			}
		}
	}
	return false
}
