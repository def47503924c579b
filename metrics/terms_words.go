package metrics

import (
	"cmp"
	"math"
	"slices"
)

// The bounds and thresholds of Chinese word discovery (ours; see
// TermCounter, "Chinese words", for why).
const (
	gramMax = 5 // the longest n-gram counted: a candidate and one neighbour
	wordMax = 4 // the longest candidate word
	// wordCountMin is the least number of occurrences of a word.
	wordCountMin = 3
	// wordCohesionMin is the least pointwise mutual information, in nats,
	// of every cut of a word in two: log 8.
	wordCohesionMin = 3 * math.Ln2
	// wordFreedomMin is the least entropy, in nats, of the left and of the
	// right neighbours of a word.
	wordFreedomMin = 1.0
	// A word is a fragment when longer words that contain it account for
	// at least fragmentNum/fragmentDen of its occurrences.
	fragmentNum, fragmentDen = 3, 4
	// A word is an affixed word when a shorter word inside it occurs more
	// than affixDen/affixNum times as often.
	affixNum, affixDen = 1, 4
)

// gram is an n-gram of 1 to gramMax Han characters packed in two words,
// 21 bits a character (every code point fits), three in lo and two in hi.
// Unused places are 0, which no Han character is, so a gram is its own
// length and a comparable, pointer-free map key.
type gram struct{ lo, hi uint64 }

const gramBits = 21

// with returns g with r at place i.
func (g gram) with(i int, r rune) gram {
	if i < 3 {
		g.lo |= uint64(r) << (gramBits * i)
	} else {
		g.hi |= uint64(r) << (gramBits * (i - 3))
	}
	return g
}

// at returns the character at place i, 0 past the end.
func (g gram) at(i int) rune {
	if i < 3 {
		return rune(g.lo >> (gramBits * i) & (1<<gramBits - 1))
	}
	return rune(g.hi >> (gramBits * (i - 3)) & (1<<gramBits - 1))
}

// len returns the number of characters of g.
func (g gram) len() int {
	n := 0
	for n < gramMax && g.at(n) != 0 {
		n++
	}
	return n
}

// sub returns the characters [i, j) of g.
func (g gram) sub(i, j int) gram {
	var s gram
	for k := i; k < j; k++ {
		s = s.with(k-i, g.at(k))
	}
	return s
}

// runes returns the characters of g in buf.
func (g gram) runes(buf *[gramMax]rune) []rune {
	n := g.len()
	for i := range n {
		buf[i] = g.at(i)
	}
	return buf[:n]
}

// packGram packs rs, which must be 1 to gramMax Han characters.
func packGram(rs []rune) gram {
	var g gram
	for i, r := range rs {
		g = g.with(i, r)
	}
	return g
}

// compareGrams orders grams by their characters, shorter first on a tie.
func compareGrams(a, b gram) int {
	for i := range gramMax {
		if c := cmp.Compare(a.at(i), b.at(i)); c != 0 {
			return c
		}
	}
	return 0
}

// candidate is a possible word and what its neighbours say about it.
type candidate struct {
	g           gram
	n           int
	left, right float64 // sum of c log c over the neighbour counts c
	word        bool    // cohesive and free
	keep        bool    // a word and not an affixed word
}

// vocabulary returns the Chinese words of the counter and their counts,
// computing them if text was counted since the last call. Every float
// is summed in an order given by the counts alone, so equal counts give
// equal words however they were added and merged.
func (c *TermCounter) vocabulary() map[gram]int {
	if c.vocab != nil {
		return c.vocab
	}
	full := c.fullCounts()
	total := 0
	for _, n := range c.chars {
		total += n
	}
	var cands []candidate
	var buf [gramMax]rune
	for g, n := range full {
		l := g.len()
		if l > wordMax || n < wordCountMin || !c.cohesive(full, g, l, n, float64(total)) || c.hasStopWord(g.runes(&buf)) {
			continue
		}
		cands = append(cands, candidate{g: g, n: n})
	}
	slices.SortFunc(cands, func(a, b candidate) int { return compareGrams(a.g, b.g) })
	index := make(map[gram]int, len(cands))
	for i, cd := range cands {
		index[cd.g] = i
	}

	// Neighbours: an n-gram xwy makes y a right neighbour of xw and x a
	// left neighbour of wy.
	var ctx []gram
	for g := range full {
		if l := g.len(); l > 2 {
			_, okL := index[g.sub(0, l-1)]
			_, okR := index[g.sub(1, l)]
			if okL || okR {
				ctx = append(ctx, g)
			}
		}
	}
	slices.SortFunc(ctx, compareGrams)
	for _, g := range ctx {
		l, n := g.len(), full[g]
		cl := float64(n) * math.Log(float64(n))
		if i, ok := index[g.sub(0, l-1)]; ok {
			cands[i].right += cl
		}
		if i, ok := index[g.sub(1, l)]; ok {
			cands[i].left += cl
		}
	}

	for i := range cands {
		cd := &cands[i]
		// The entropy of n neighbours whose counts c add up to at most n,
		// the rest being ends of runs that count once each:
		// log n - sum(c log c)/n.
		n := float64(cd.n)
		h := math.Min(math.Log(n)-cd.left/n, math.Log(n)-cd.right/n)
		cd.word = h >= wordFreedomMin
	}

	// Affixed words: 天发货 and 找客服 are rare extensions of 发货 and
	// 客服, not words of their own.
	for i := range cands {
		cd := &cands[i]
		cd.keep = cd.word
		for _, s := range cd.parts() {
			if x, ok := index[s]; ok && cands[x].word && cd.n*affixDen < cands[x].n*affixNum {
				cd.keep = false
			}
		}
	}
	// Fragments: the share of a word's occurrences inside longer words.
	inside := make([]int, len(cands))
	for _, cd := range cands {
		if !cd.keep {
			continue
		}
		for _, s := range cd.parts() {
			if x, ok := index[s]; ok {
				inside[x] += cd.n
			}
		}
	}
	vocab := map[gram]int{}
	for i, cd := range cands {
		if cd.keep && inside[i]*fragmentDen < cd.n*fragmentNum {
			vocab[cd.g] = cd.n
		}
	}
	c.vocab = vocab
	return vocab
}

// fullCounts returns the count of every n-gram of 2 to gramMax characters:
// the sum of the counts of the n-grams kept by place that start with it.
//
// Cost: O(d) for d n-grams kept, and a map of up to (gramMax-1)d entries.
func (c *TermCounter) fullCounts() map[gram]int {
	full := make(map[gram]int, 2*len(c.grams))
	for g, n := range c.grams {
		l := g.len()
		for k := 2; k <= l; k++ {
			full[g.sub(0, k)] += n
		}
	}
	return full
}

// count returns the count of g in full, or of its one character.
func (c *TermCounter) count(full map[gram]int, g gram) int {
	if g.at(1) == 0 {
		return c.chars[g.at(0)]
	}
	return full[g]
}

// cohesive reports whether every cut of g, of l characters and count n,
// has a pointwise mutual information of at least wordCohesionMin.
func (c *TermCounter) cohesive(full map[gram]int, g gram, l, n int, total float64) bool {
	for k := 1; k < l; k++ {
		a, b := c.count(full, g.sub(0, k)), c.count(full, g.sub(k, l))
		if a == 0 || b == 0 {
			return false // only after pruning, or from a bad binary form
		}
		if math.Log(float64(n)*total/(float64(a)*float64(b))) < wordCohesionMin {
			return false
		}
	}
	return true
}

// hasStopWord reports whether rs contains a stop character or a stop word.
func (c *TermCounter) hasStopWord(rs []rune) bool {
	for i, r := range rs {
		if c.stopRunes[r] {
			return true
		}
		for j := i + 2; j <= len(rs) && len(c.stopTerms) > 0; j++ {
			if c.stopTerms[string(rs[i:j])] {
				return true
			}
		}
	}
	return false
}

// parts returns the distinct substrings of at least two characters of the
// candidate, other than itself.
func (cd *candidate) parts() []gram {
	var out []gram
	l := cd.g.len()
	for i := 0; i < l; i++ {
		for j := i + 2; j <= l; j++ {
			if s := cd.g.sub(i, j); j-i < l && !slices.Contains(out, s) {
				out = append(out, s) // 哈哈 twice in 哈哈哈 counts once
			}
		}
	}
	return out
}
