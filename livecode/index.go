package livecode

import "math/bits"

// bitTree is a set of small non-negative integers with O(log64 n) insert,
// delete and "smallest member >= i": level 0 holds one bit per position,
// and bit j of level k+1 is set exactly when word j of level k is non-zero.
// FillFirst and RoundRobin keep a group's open positions in one.
type bitTree struct {
	levels [][]uint64 // levels[0] is the leaves; the last level has one word
	size   int        // positions 0..size-1 may be used
}

// grow makes room for positions below n, keeping the members.
func (b *bitTree) grow(n int) {
	if n <= b.size {
		return
	}
	size := 64
	for size < n {
		size *= 2
	}
	old := b.levels
	b.levels = nil
	for words := (size + 63) / 64; ; words = (words + 63) / 64 {
		b.levels = append(b.levels, make([]uint64, words))
		if words == 1 {
			break
		}
	}
	b.size = size
	if len(old) > 0 {
		for w, x := range old[0] {
			for x != 0 {
				b.set(w<<6 | bits.TrailingZeros64(x))
				x &= x - 1
			}
		}
	}
}

func (b *bitTree) set(i int) {
	for _, words := range b.levels {
		w := i >> 6
		was := words[w]
		words[w] = was | 1<<(i&63)
		if was != 0 {
			return
		}
		i = w
	}
}

func (b *bitTree) clear(i int) {
	for _, words := range b.levels {
		w := i >> 6
		words[w] &^= 1 << (i & 63)
		if words[w] != 0 {
			return
		}
		i = w
	}
}

// next returns the smallest member >= i, or -1 if there is none.
func (b *bitTree) next(i int) int {
	if i < 0 {
		i = 0
	}
	lvl := 0
	for {
		if lvl == len(b.levels) {
			return -1
		}
		words := b.levels[lvl]
		w := i >> 6
		if w < len(words) {
			if m := words[w] & (^uint64(0) << (i & 63)); m != 0 {
				i = w<<6 | bits.TrailingZeros64(m)
				break
			}
		}
		i = w + 1
		lvl++
	}
	for lvl > 0 {
		lvl--
		i = i<<6 | bits.TrailingZeros64(b.levels[lvl][i])
	}
	return i
}

// entryHeap is an indexed binary min-heap of entry ids ordered by
// (key, pos): each entry records its own index in heap, so that a changed
// key is fixed in O(log n) and an entry is removed in O(log n).
type entryHeap struct {
	ids []int32
}

func heapLess(es []entry, a, b int32) bool {
	x, y := &es[a], &es[b]
	return x.key < y.key || x.key == y.key && x.pos < y.pos
}

func (h *entryHeap) swap(es []entry, i, j int) {
	h.ids[i], h.ids[j] = h.ids[j], h.ids[i]
	es[h.ids[i]].hidx = int32(i)
	es[h.ids[j]].hidx = int32(j)
}

func (h *entryHeap) up(es []entry, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !heapLess(es, h.ids[i], h.ids[p]) {
			return
		}
		h.swap(es, i, p)
		i = p
	}
}

func (h *entryHeap) down(es []entry, i int) bool {
	start := i
	n := len(h.ids)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && heapLess(es, h.ids[r], h.ids[l]) {
			m = r
		}
		if !heapLess(es, h.ids[m], h.ids[i]) {
			break
		}
		h.swap(es, i, m)
		i = m
	}
	return i > start
}

func (h *entryHeap) push(es []entry, e int32) {
	es[e].hidx = int32(len(h.ids))
	h.ids = append(h.ids, e)
	h.up(es, len(h.ids)-1)
}

func (h *entryHeap) remove(es []entry, e int32) {
	i := int(es[e].hidx)
	last := len(h.ids) - 1
	if i != last {
		h.swap(es, i, last)
	}
	h.ids = h.ids[:last]
	es[e].hidx = -1
	if i != last {
		h.fix(es, i)
	}
}

// fix restores the heap after the key of the entry at index i changed.
func (h *entryHeap) fix(es []entry, i int) {
	if !h.down(es, i) {
		h.up(es, i)
	}
}

// expiryHeap orders codes by QR expiry. It is lazy: a code whose expiry
// changes gets a new item, and items that no longer match the code are
// skipped when they surface.
type expiryHeap []expiryItem

type expiryItem struct {
	at   int64
	code int32
}

func (h *expiryHeap) push(it expiryItem) {
	*h = append(*h, it)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].at <= s[i].at {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *expiryHeap) pop() expiryItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		m := l
		if r := l + 1; r < len(s) && s[r].at < s[l].at {
			m = r
		}
		if s[i].at <= s[m].at {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
