package livecode

import (
	"math/bits"

	"github.com/qunops/qunops/internal/minheap"
)

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

// has reports whether i is a member; i must be below size.
func (b *bitTree) has(i int) bool { return b.levels[0][i>>6]&(1<<(i&63)) != 0 }

// empty reports whether the set has no member.
func (b *bitTree) empty() bool {
	return len(b.levels) == 0 || b.levels[len(b.levels)-1][0] == 0
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

// firstRanked returns the member that comes first in a fixed order of all
// positions drawn from seed, or -1 if the set is empty. The order is a
// random binary tree over the positions: every internal node of the
// 64-ary levels' binary subtrees puts one of its halves first, by a bit of
// rankBits(seed, level, word). The first member descends from the top,
// taking the preferred half where it holds a member and the other where
// not: O(6 levels) steps. The order does not depend on the size or the
// members, so that taking the first member of it is consistent: a set's
// first member stays first while it is a member, and a new member either
// becomes first or leaves the first alone.
func (b *bitTree) firstRanked(seed uint64) int {
	if b.empty() {
		return -1
	}
	i := 0
	for lvl := len(b.levels) - 1; lvl >= 0; lvl-- {
		i = i<<6 | preferredBit(b.levels[lvl][i], rankBits(seed, lvl, i))
	}
	return i
}

// rankBits are the preferences of the binary nodes inside word i of level
// lvl, for seed: bit k for the node numbered k (1 the root, 2k and 2k+1
// its halves).
func rankBits(seed uint64, lvl, i int) uint64 {
	return mix64(seed ^ mix64((uint64(i)<<3|uint64(lvl))+golden))
}

// preferredBit returns the set bit of x (x != 0) that the preferences r
// put first.
func preferredBit(x, r uint64) int {
	node, lo := uint(1), uint(0)
	for width := uint(32); width >= 1; width /= 2 {
		mask := uint64(1)<<width - 1
		left, right := x>>lo&mask, x>>(lo+width)&mask
		second := right != 0 && (left == 0 || r>>node&1 == 1)
		node *= 2
		if second {
			node++
			lo += width
		}
	}
	return int(lo)
}

// posHeap is an indexed 4-ary min-heap of a group's entries, by position
// in the group, ordered by (key, pos). The keys live in the heap array
// itself, so that sifting reads one contiguous slice and follows no
// pointer; at, shared by all the heaps of one group (an entry is in at most
// one of them), maps a position to its index in the heap, -1 if absent, so
// that a changed key is fixed, and an entry removed, in O(log n). Four
// children of 16 bytes fill one 64-byte cache line and halve the depth of a
// binary heap.
type posHeap struct {
	items []heapItem
}

type heapItem struct {
	key int64
	pos int32
}

const heapArity = 4

func (a heapItem) less(b heapItem) bool {
	return a.key < b.key || a.key == b.key && a.pos < b.pos
}

// up moves it, destined for index i, towards the root and places it.
func (h *posHeap) up(at []int32, i int, it heapItem) {
	s := h.items
	for i > 0 {
		p := (i - 1) / heapArity
		if !it.less(s[p]) {
			break
		}
		s[i] = s[p]
		at[s[i].pos] = int32(i)
		i = p
	}
	s[i] = it
	at[it.pos] = int32(i)
}

// down moves it, destined for index i, towards the leaves and places it.
// It reports whether it moved.
func (h *posHeap) down(at []int32, i int, it heapItem) bool {
	s := h.items
	start := i
	for {
		c := heapArity*i + 1
		if c >= len(s) {
			break
		}
		m := c
		end := min(c+heapArity, len(s))
		for j := c + 1; j < end; j++ {
			if s[j].less(s[m]) {
				m = j
			}
		}
		if !s[m].less(it) {
			break
		}
		s[i] = s[m]
		at[s[i].pos] = int32(i)
		i = m
	}
	s[i] = it
	at[it.pos] = int32(i)
	return i > start
}

func (h *posHeap) push(at []int32, it heapItem) {
	h.items = append(h.items, it)
	h.up(at, len(h.items)-1, it)
}

// remove takes the entry at position pos out of the heap.
func (h *posHeap) remove(at []int32, pos int32) {
	i := int(at[pos])
	last := len(h.items) - 1
	it := h.items[last]
	h.items = h.items[:last]
	at[pos] = -1
	if i != last {
		h.fix(at, i, it)
	}
}

// setKey gives the entry at position pos a new key.
func (h *posHeap) setKey(at []int32, pos int32, key int64) {
	h.fix(at, int(at[pos]), heapItem{key: key, pos: pos})
}

// fix places it at index i, or wherever the heap order sends it.
func (h *posHeap) fix(at []int32, i int, it heapItem) {
	if !h.down(at, i, it) {
		h.up(at, i, it)
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

func (h *expiryHeap) push(it expiryItem) { minheap.Push((*[]expiryItem)(h), it, expiryItem.before) }

func (h *expiryHeap) pop() expiryItem { return minheap.Pop((*[]expiryItem)(h), expiryItem.before) }

// before orders expiry items by time.
func (a expiryItem) before(b expiryItem) bool { return a.at < b.at }
