package keyword

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

// variantTable is Options.Variants folded and cleaned like the patterns: a
// trie of the keys, each key's node holding its values.
type variantTable struct {
	next map[step]int32   // (node, rune) -> node; the root is 0
	alts [][]variantValue // per node: the values of the key that ends there
}

// step is a trie edge: from node on rune r.
type step struct {
	node int32
	r    rune
}

type variantValue struct {
	runes   []rune
	literal bool // nothing but noise, kept as written: match contiguously
}

// expansion is one string a pattern expands to.
type expansion struct {
	runes   []rune
	literal bool // uses a literal value: goes to the Literal automaton
}

// newVariantTable folds and cleans v with norm (norm(s, true) keeps the
// noise runes). Keys are visited in sorted order, so that the expansions
// come out in the same order on every run.
func newVariantTable(v map[string][]string, norm func(s string, keepNoise bool) []rune) (*variantTable, error) {
	if len(v) == 0 {
		return nil, nil
	}
	keys := slices.Sorted(maps.Keys(v))
	t := &variantTable{next: make(map[step]int32), alts: [][]variantValue{nil}}
	for _, k := range keys {
		if !utf8.ValidString(k) {
			return nil, fmt.Errorf("keyword: variant key %q is not valid UTF-8", k)
		}
		key := norm(k, false)
		if len(key) == 0 {
			return nil, fmt.Errorf("keyword: variant key %q is empty after folding", k)
		}
		node := int32(0)
		for _, r := range key {
			n, ok := t.next[step{node, r}]
			if !ok {
				n = int32(len(t.alts))
				t.alts = append(t.alts, nil)
				t.next[step{node, r}] = n
			}
			node = n
		}
		for _, alt := range v[k] {
			if !utf8.ValidString(alt) {
				return nil, fmt.Errorf("keyword: variant %q of %q is not valid UTF-8", alt, k)
			}
			val := variantValue{runes: norm(alt, false)}
			if len(val.runes) == 0 && alt != "" {
				val = variantValue{runes: norm(alt, true), literal: true}
			}
			if !val.literal && slices.Equal(val.runes, key) {
				continue // "A" for "a" under Fold: nothing new
			}
			if slices.ContainsFunc(t.alts[node], func(w variantValue) bool {
				return w.literal == val.literal && slices.Equal(w.runes, val.runes)
			}) {
				continue
			}
			t.alts[node] = append(t.alts[node], val)
		}
	}
	return t, nil
}

var errTooManyVariants = errors.New("too many variants")

// expand returns seq and every other string obtained by replacing
// occurrences of keys in seq (never in a replacement) by their values,
// without duplicates, in a deterministic order (seq first), or an error
// when there are more than limit. An expansion left empty by empty values
// is dropped: it would match everywhere.
//
// It searches the graph of (position in seq, output so far), the output
// being a node of a trie of outputs, and visits each such pair once: two
// ways of writing the same prefix from the same position are explored
// once, so that a value equal to its key, or keys that overlap, cannot
// make it exponential. Each visited pair leads to an expansion, so the
// work is bounded by the length of seq times the longest key, plus the
// length of at most limit+1 expansions times that of seq.
func (t *variantTable) expand(seq []rune, limit int) ([]expansion, error) {
	anyKey := false
	for _, r := range seq {
		if _, ok := t.next[step{0, r}]; ok {
			anyKey = true
			break
		}
	}
	if !anyKey {
		return []expansion{{runes: seq}}, nil
	}

	// Trie of outputs: node 0 is the empty string.
	parent, last := []int32{-1}, []rune{0}
	kids := make(map[step]int32)
	extend := func(node int32, rs []rune) int32 {
		for _, r := range rs {
			n, ok := kids[step{node, r}]
			if !ok {
				n = int32(len(parent))
				parent, last = append(parent, node), append(last, r)
				kids[step{node, r}] = n
			}
			node = n
		}
		return node
	}
	type state struct {
		pos, out int32
		literal  bool
	}
	type final struct {
		out     int32
		literal bool
	}
	seen := make(map[state]bool) // a final state is seen once, so finals has no duplicates
	var finals []final
	stack := []state{{}}
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[st] {
			continue
		}
		seen[st] = true
		if int(st.pos) == len(seq) {
			if st.out == 0 {
				continue
			}
			if len(finals) == limit {
				return nil, fmt.Errorf("%w: more than %d", errTooManyVariants, limit)
			}
			finals = append(finals, final{st.out, st.literal})
			continue
		}
		// Replacements first, so that the unchanged rune, pushed last, is
		// explored first and seq itself comes out first.
		node := int32(0)
		for j := st.pos; int(j) < len(seq); j++ {
			n, ok := t.next[step{node, seq[j]}]
			if !ok {
				break
			}
			node = n
			for _, v := range t.alts[node] {
				stack = append(stack, state{j + 1, extend(st.out, v.runes), st.literal || v.literal})
			}
		}
		stack = append(stack, state{st.pos + 1, extend(st.out, seq[st.pos:st.pos+1]), st.literal})
	}
	out := make([]expansion, len(finals))
	for k, f := range finals {
		var rs []rune
		for n := f.out; n != 0; n = parent[n] {
			rs = append(rs, last[n])
		}
		slices.Reverse(rs)
		out[k] = expansion{runes: rs, literal: f.literal}
	}
	return out, nil
}
