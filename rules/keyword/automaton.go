package keyword

import (
	"cmp"
	"slices"
	"sync"
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
	stateHasWhole = 1 << 5 // some output of the state is whole-word (reverse automata)

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
// links. A state lists only the entries that end exactly there (its own,
// by pattern) and links to the nearest state on its failure chain that has
// own entries (the dictionary suffix link): the outputs of a state are its
// own, then those of the states down that chain, longest first. Sharing
// the chain keeps the outputs linear in the patterns: flattened, nested
// patterns (a, aa, aaa, ...) under a long one made them quadratic.
type automaton struct {
	fold     bool
	skip     bool // classNoise runes are skipped inside a match
	maxNoise int  // longest run of noise runes between two matched runes

	ascii [utf8.RuneSelf]uint16
	cls   []uint16        // rune -> class for runes below tableLimit
	high  map[rune]uint16 // classes of pattern runes at or above tableLimit

	rows  []stateRow // per state: edges, failure link, flags
	edges []node     // goto edges, grouped by state, sorted by class
	depth []int32    // state -> length in runes of the string it stands for
	ownAt []int32    // state -> its own entries, own[ownAt[s]:ownAt[s+1]]
	own   []int32    // indices into entries, grouped by state, by pattern
	dict  []int32    // state -> nearest state on its failure chain with own entries, or -1

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

	entries []entry

	// seqs are the entries' runes, kept to build the reverse automaton,
	// on first use, for leftmost searches that the forward scan cannot
	// finish in linear time (see appendLeftmost).
	seqs    [][]rune
	revOnce sync.Once
	rev     *automaton

	// In a reverse automaton only: per state, the entry of its outputs
	// that leftmost-first prefers (lowest pattern, then fewest runes),
	// and stateHasWhole in the flags of states with whole-word outputs.
	bestFirst []int32
}

// buildAutomaton compiles the entries (with their rune sequences) into an
// automaton. fold selects the fold table; skip makes noise runes skippable.
func buildAutomaton(entries []entry, seqs [][]rune, fold, skip bool, maxNoise int, t *foldTable) (*automaton, error) {
	a := &automaton{fold: fold, skip: skip, maxNoise: maxNoise, entries: entries, seqs: seqs}

	// ASCII runes take the first classes, in byte order (so that ASCII
	// states can have compact dense rows); the others follow in order of
	// first appearance. Both are deterministic.
	//
	// Pattern runes are looked up in a dense table while building (one
	// per rune of every pattern: a map there dominated Compile), and in
	// high for the rare runes above it.
	dense := make([]uint16, tableLimit)
	high := make(map[rune]uint16)
	classOf := func(r rune) uint16 {
		if r >= 0 && r < tableLimit {
			return dense[r]
		}
		return high[r]
	}
	numClasses := firstClass
	add := func(r rune) error {
		if classOf(r) != 0 {
			return nil
		}
		if numClasses >= maxClasses {
			return errTooManyRunes
		}
		if r >= 0 && r < tableLimit {
			dense[r] = uint16(numClasses)
		} else {
			high[r] = uint16(numClasses)
		}
		numClasses++
		return nil
	}
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
			add(rune(r)) //nolint:errcheck // 128 classes fit
		}
	}
	a.asciiEnd = uint16(numClasses)
	for _, seq := range seqs {
		for _, r := range seq {
			if err := add(r); err != nil {
				return nil, err
			}
		}
	}
	classes := make(map[rune]uint16, numClasses-firstClass)
	for r, c := range dense {
		if c != 0 {
			classes[rune(r)] = c
		}
	}
	for r, c := range high {
		classes[r] = c
	}
	a.buildClassTables(classes, t)

	// Trie, with goto edges in a hash table while it grows. Each state
	// but the root is entered by exactly one edge, from parent[s] on
	// inClass[s]. The slices are sized for the worst case, one state per
	// rune, so that the table's pointers to them stay valid.
	maxStates := 1
	for _, seq := range seqs {
		maxStates += len(seq)
	}
	inClass := make([]uint16, 1, maxStates) // state -> the class it is entered on
	parent := make([]int32, 1, maxStates)
	a.depth = make([]int32, 1, maxStates)
	endOf := make([]int32, len(seqs)) // entry -> the state it ends in
	inClass[0], parent[0] = classOther, -1
	gotoEdge := edgeTable{parent: &parent, inClass: &inClass}
	gotoEdge.grow(maxStates)
	for ei, seq := range seqs {
		s := int32(rootState)
		for _, r := range seq {
			c := classOf(r)
			n, ok := gotoEdge.get(s, c)
			if !ok {
				n = int32(len(parent))
				inClass = append(inClass, c)
				parent = append(parent, s)
				a.depth = append(a.depth, a.depth[s]+1)
				gotoEdge.put(n)
			}
			s = n
		}
		endOf[ei] = s
	}
	gotoEdge = edgeTable{}
	numStates := len(parent)
	a.depth = slices.Clip(a.depth)

	// Edges grouped by state (a counting sort on the parent), each
	// state's sorted by class, become the compact sparse rows.
	a.rows = make([]stateRow, numStates)
	for st := 1; st < numStates; st++ {
		a.rows[parent[st]].end++
	}
	for st, at := 0, int32(0); st < numStates; st++ {
		n := a.rows[st].end
		a.rows[st].first, a.rows[st].end = at, at
		at += n
	}
	a.edges = make([]node, numStates-1)
	for st := 1; st < numStates; st++ {
		row := &a.rows[parent[st]]
		a.edges[row.end] = node{key: uint32(inClass[st]), id: int32(st)}
		row.end++
	}
	for st := range a.rows {
		if e := a.edges[a.rows[st].first:a.rows[st].end]; len(e) > 1 {
			slices.SortFunc(e, func(x, y node) int { return cmp.Compare(x.class(), y.class()) })
		}
	}
	parent = nil
	a.rootx = make([]rootEntry, numClasses)

	// Failure links, breadth first so that a state's failure target
	// (always shallower) is complete before the state itself.
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
	}

	// Own entries, then dictionary suffix links and flags in the same
	// breadth-first order: a state's links and flags derive from its
	// failure target's, which come first. Memory is one int32 per entry
	// and per state, whatever the nesting of the patterns.
	// Entries come pattern by pattern, so a counting sort on the state
	// they end in keeps each state's own entries in pattern order.
	a.ownAt = make([]int32, numStates+1)
	for _, s := range endOf {
		a.ownAt[s+1]++
	}
	for s := range numStates {
		a.ownAt[s+1] += a.ownAt[s]
	}
	a.own = make([]int32, len(entries))
	fill := slices.Clone(a.ownAt[:numStates])
	for ei, s := range endOf {
		a.own[fill[s]] = int32(ei)
		fill[s]++
	}
	fill = nil
	ownOf := func(s int32) []int32 { return a.own[a.ownAt[s]:a.ownAt[s+1]] }
	a.dict = make([]int32, numStates)
	for _, s := range queue {
		row := &a.rows[s]
		a.dict[s] = -1
		if s != rootState {
			if f := row.fail; len(ownOf(f)) > 0 {
				a.dict[s] = f
			} else {
				a.dict[s] = a.dict[f]
			}
		}
		for _, e := range ownOf(s) {
			row.flags |= stateHasOut
			if !entries[e].whole {
				row.flags |= stateHasPlain
			}
		}
		if d := a.dict[s]; d >= 0 {
			row.flags |= stateHasOut | a.rows[d].flags&stateHasPlain
		}
		if row.fail == rootState { // the root's own link included
			row.flags |= stateFailRoot
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
		latin := make([]int32, 0, numStates)
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

// edgeTable finds the target of a goto edge (state, class) while the trie
// is built: open addressing on slots that hold the target state itself.
// Every state but the root is entered by exactly one edge, from parent[t]
// on inClass[t], so the slot needs no key of its own: 4 bytes per slot
// instead of a map entry, several times faster than a Go map with a struct
// key for the million edges of a large dictionary. The zero value is an
// empty table.
type edgeTable struct {
	slots   []int32 // target states; 0 (the root, never a target) is free
	n       int
	parent  *[]int32
	inClass *[]uint16
}

func edgeHash(s int32, c uint16) uint64 {
	return (uint64(s)<<16 | uint64(c)) * 0x9E3779B97F4A7C15 >> 32
}

func (h *edgeTable) get(s int32, c uint16) (int32, bool) {
	if h.n == 0 {
		return 0, false
	}
	parent, inClass := *h.parent, *h.inClass
	mask := uint64(len(h.slots) - 1)
	for i := edgeHash(s, c) & mask; ; i = (i + 1) & mask {
		t := h.slots[i]
		if t == 0 {
			return 0, false
		}
		if parent[t] == s && inClass[t] == c {
			return t, true
		}
	}
}

// put adds state t, whose parent and class are already recorded and whose
// edge is not in the table, growing the table to keep it at most half full.
func (h *edgeTable) put(t int32) {
	if 2*(h.n+1) > len(h.slots) {
		h.grow(h.n + 1)
	}
	h.insert(t)
	h.n++
}

// grow makes room for n edges, at most half full: Compile sizes the table
// once for the worst case, one edge per pattern rune, so that it never
// rehashes.
func (h *edgeTable) grow(n int) {
	size := 64
	for size < 2*n {
		size *= 2
	}
	if size <= len(h.slots) {
		return
	}
	old := h.slots
	h.slots = make([]int32, size)
	for _, u := range old {
		if u != 0 {
			h.insert(u)
		}
	}
}

func (h *edgeTable) insert(t int32) {
	mask := uint64(len(h.slots) - 1)
	i := edgeHash((*h.parent)[t], (*h.inClass)[t]) & mask
	for h.slots[i] != 0 {
		i = (i + 1) & mask
	}
	h.slots[i] = t
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
// last matched rune and n symbols (runes that are not noise, and invalid
// bytes) before i. It stops after the first rune that enters a state with
// outputs and returns the offset after that rune, the state, g, n and
// true; at the end of text it returns len(text) and false.
func (a *automaton) run(text string, i int, s int32, g, n int) (int, int32, int, int, bool) {
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
		n++
		if cur.key&(stateASCII<<16) != 0 {
			if k := int32(c) - firstClass; uint32(k) < uint32(nA) {
				cur = nodes[asciiDelta[cur.first+k]]
			} else {
				cur = a.nextNode(cur.id, c)
			}
			if cur.key&(stateHasOut<<16) != 0 {
				return i, cur.id, g, n, true
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
			return i, cur.id, g, n, true
		}
	}
	return i, cur.id, g, n, false
}

// size is the memory the automaton keeps, in bytes, counted from its
// tables: for tests that bound it without reading the heap.
func (a *automaton) size() int {
	return len(a.cls)*2 + len(a.high)*8 + len(a.rows)*24 + len(a.edges)*16 + len(a.nodes)*16 +
		(len(a.depth)+len(a.ownAt)+len(a.own)+len(a.dict)+len(a.dense)+len(a.asciiDelta))*4 +
		len(a.follow)*8 + len(a.rootx)*24 + len(a.entries)*12 + a.seqsSize()
}

func (a *automaton) seqsSize() int {
	n := len(a.seqs) * 24
	for _, s := range a.seqs {
		n += cap(s) * 4
	}
	return n
}
