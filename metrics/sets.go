package metrics

import (
	"math/bits"
	"slices"
)

// memberSet is a set of member numbers, such as the readers of a broadcast
// item: a sorted list while that takes fewer bytes than a bit set reaching
// its largest member, else that bit set. A bit set alone would cost an item
// read by one member of a hundred thousand 12.5 KB, and a hostile log of
// 300,000 items read by the last member of such a group took 6 GB (issue
// 18); the list keeps the set's memory proportional to its members, and
// the bit set takes over while it is denser than the list (see add).
type memberSet struct {
	list []int32  // sorted, while bits is nil
	bits []uint64 // bit i of word w: member 64w+i
	n    int      // the members in bits
}

// add puts mi in s. The form changes only when the set grows past its bit
// set or its list: to the bit set when that takes fewer bytes than the
// list, to the list when the bit set would grow to more bytes than the
// list takes. So each form holds at most about twice what the other would.
func (s *memberSet) add(mi int32) {
	if s.bits != nil {
		w := int(mi >> 6)
		if w < len(s.bits) || 8*(w+1) <= 4*(s.n+1) {
			if !has(s.bits, mi) {
				s.setBit(mi)
				s.n++
			}
			return
		}
		list := make([]int32, 0, s.n+1)
		s.each(func(m int32) { list = append(list, m) })
		*s = memberSet{list: list}
	}
	i, found := slices.BinarySearch(s.list, mi)
	if found {
		return
	}
	top := mi
	if n := len(s.list); n > 0 && s.list[n-1] > top {
		top = s.list[n-1]
	}
	if words := int(top>>6) + 1; 4*(len(s.list)+1) > 8*words {
		// The bit set is now the smaller form.
		s.bits = make([]uint64, words)
		for _, m := range s.list {
			s.setBit(m)
		}
		s.setBit(mi)
		s.n = len(s.list) + 1
		s.list = nil
		return
	}
	s.list = slices.Insert(s.list, i, mi)
}

func (s *memberSet) setBit(mi int32) {
	w := int(mi >> 6)
	if w >= len(s.bits) {
		s.bits = append(s.bits, make([]uint64, w+1-len(s.bits))...)
	}
	s.bits[w] |= 1 << (uint32(mi) & 63)
}

// has reports whether mi is in s.
func (s *memberSet) has(mi int32) bool {
	if s.bits != nil {
		return has(s.bits, mi)
	}
	_, found := slices.BinarySearch(s.list, mi)
	return found
}

// each calls f for every member of s, in increasing order.
func (s *memberSet) each(f func(mi int32)) {
	if s.bits == nil {
		for _, mi := range s.list {
			f(mi)
		}
		return
	}
	for w, word := range s.bits {
		for word != 0 {
			f(int32(w)*64 + int32(bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
}

// words returns s as a bit set that ends with the word of its largest
// member (the binary form's encoding), or as setWords was given it.
func (s *memberSet) words() []uint64 {
	if s.bits != nil {
		return s.bits
	}
	if len(s.list) == 0 {
		return nil
	}
	ws := make([]uint64, int(s.list[len(s.list)-1]>>6)+1)
	for _, mi := range s.list {
		ws[mi>>6] |= 1 << (uint32(mi) & 63)
	}
	return ws
}

// setWords makes s the set of the bit set ws, in whichever form is smaller
// (the bit set when it ends with a zero word, which words gives back).
func (s *memberSet) setWords(ws []uint64) {
	*s = memberSet{}
	n := 0
	for _, w := range ws {
		n += bits.OnesCount64(w)
	}
	if 4*n > 8*len(ws) || len(ws) > 0 && ws[len(ws)-1] == 0 {
		s.bits, s.n = ws, n
		return
	}
	s.list = make([]int32, 0, n)
	for w, word := range ws {
		for word != 0 {
			s.list = append(s.list, int32(w)*64+int32(bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
}

// claimSet holds the instants at which one member claimed one item, each
// once. Claims mostly come in time order and are appended; one out of
// order goes to an unsorted tail that is sorted in and rid of repeats
// once it is as long as the sorted part (or when the set is read), so a
// hostile log of a million claims in reverse order costs O(n log n), not
// the O(n²) of checking each claim against all before it (issue 18: 100,000
// claims, 11 MB, took 3 s).
type claimSet struct {
	ats    []instant
	sorted int // ats[:sorted] is increasing
}

// add puts at in c.
func (c *claimSet) add(at instant) {
	if c.sorted == len(c.ats) && (c.sorted == 0 || c.ats[c.sorted-1].less(at)) {
		c.ats = append(c.ats, at)
		c.sorted++
		return
	}
	if _, found := slices.BinarySearchFunc(c.ats[:c.sorted], at, compareInstants); found {
		return
	}
	c.ats = append(c.ats, at)
	if len(c.ats)-c.sorted > max(16, c.sorted) {
		c.compact()
	}
}

// all returns the instants of c in increasing order, each once.
func (c *claimSet) all() []instant {
	if c.sorted < len(c.ats) {
		c.compact()
	}
	return c.ats
}

func (c *claimSet) compact() {
	slices.SortFunc(c.ats, compareInstants)
	c.ats = slices.Compact(c.ats)
	c.sorted = len(c.ats)
}

// compareInstants orders instants in time.
func compareInstants(a, b instant) int {
	switch {
	case a.less(b):
		return -1
	case b.less(a):
		return 1
	}
	return 0
}
