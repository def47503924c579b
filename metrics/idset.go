package metrics

import (
	"math/bits"

	"github.com/qunops/qunops/internal/pages"
)

// idSet is the set of event IDs seen in one group, each with the day of its
// event for messages (Merge takes a duplicate message back from that day's
// count) or notMessage. It is an open-addressing table with linear probing
// whose slots are 16 bytes without pointers: the high word of an ID's key,
// 31 more bits of it, and the day. So the garbage collector never scans it,
// and a table holds about half the bytes of a Go map of idKey to int32.
//
// A slot's home is the top bits of a mix of its stored bits. Growing the
// table keeps the order of homes (a slot's home in a table twice the size is
// twice its old home, or that plus one), so rehashing in slot order writes
// the new table front to back, and so does merging a smaller table into a
// larger one: both stream through memory instead of jumping at random.
type idSet struct {
	slots []idSlot // len is 0 or a power of two
	shift uint8    // 64 - log2(len(slots))
	n     int      // occupied slots
}

// idSlot is one entry of an idSet; lo == 0 marks an empty slot.
type idSlot struct {
	hi  uint64
	lo  uint32 // bits 1..31 of the key's low word, with bit 0 set
	ref int32  // the message day, or notMessage
}

// minIDSlots is the size of a new table.
const minIDSlots = 16

// slotKey returns the stored form of k: 95 of its 128 bits. Two different
// IDs of one group share them with probability about n²/2⁹⁶ for n IDs, below
// 10⁻¹⁴ for ten million.
func slotKey(k idKey) idSlot { return idSlot{hi: k[0], lo: uint32(k[1]) | 1} }

// home returns the preferred index of s in a table of 2^(64-shift) slots:
// the top bits of a Fibonacci product of its stored bits (the top bits of
// a product by an odd constant depend on every bit of the factor), so that
// the home does not rest on the hash's top bits alone.
func (s *idSlot) home(shift uint8) int {
	return int(((s.hi ^ uint64(s.lo)<<32 ^ uint64(s.lo)) * 0x9e3779b97f4a7c15) >> shift)
}

// lookup returns the index of k's slot and true, or the empty slot where k
// goes and false. s must have an empty slot (see reserve).
func (s *idSet) lookup(k idSlot) (int, bool) {
	mask := len(s.slots) - 1
	for i := k.home(s.shift); ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.lo == 0 {
			return i, false
		}
		if sl.hi == k.hi && sl.lo == k.lo {
			return i, true
		}
	}
}

// has reports whether k is in s.
func (s *idSet) has(k idKey) bool {
	if s.n == 0 {
		return false
	}
	ks := slotKey(k)
	mask := len(s.slots) - 1
	for i := ks.home(s.shift); ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.lo == 0 {
			return false
		}
		if sl.hi == ks.hi && sl.lo == ks.lo {
			return true
		}
	}
}

// put stores k with ref at index i, an empty slot returned by find.
func (s *idSet) put(i int, k idSlot, ref int32) {
	k.ref = ref
	s.slots[i] = k
	s.n++
}

// reserve grows s so that extra more entries keep it at most 13/16 full.
// Linear probing stays short up to that load, and the table holds 16 bytes
// per ID at best and about 40 just after it doubles.
func (s *idSet) reserve(extra int) {
	need := s.n + extra
	if need*16 <= len(s.slots)*13 {
		return
	}
	size := max(minIDSlots, len(s.slots))
	for need*16 > size*13 {
		size *= 2
	}
	old := s.slots
	s.slots = make([]idSlot, size)
	pages.TouchNew(s.slots) // the loop below reads each slot before it writes it
	s.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	mask := len(s.slots) - 1
	for _, sl := range old {
		if sl.lo == 0 {
			continue
		}
		// The keys are distinct: look for an empty slot only.
		i := sl.home(s.shift)
		for s.slots[i].lo != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
}

// insert adds sl unless its key is present, and reports whether it was.
// There must be room (see reserve).
func (s *idSet) insert(sl idSlot) (dup bool, ref int32) {
	mask := len(s.slots) - 1
	for i := sl.home(s.shift); ; i = (i + 1) & mask {
		cur := &s.slots[i]
		if cur.lo == 0 {
			*cur = sl
			s.n++
			return false, 0
		}
		if cur.hi == sl.hi && cur.lo == sl.lo {
			return true, cur.ref
		}
	}
}

// merge adds the entries of o to s and calls dup with o's day of every entry
// s already had. Cost O(len(o.slots)) amortized: s grows by doubling, and
// o's slots go in in order of their homes, which is also s's order.
func (s *idSet) merge(o *idSet, dup func(ref int32)) {
	if o.n == 0 {
		return
	}
	if s.n == 0 {
		s.slots = append([]idSlot(nil), o.slots...)
		s.shift, s.n = o.shift, o.n
		return
	}
	s.reserve(o.n)
	for i := range o.slots {
		if o.slots[i].lo == 0 {
			continue
		}
		if seen, _ := s.insert(o.slots[i]); seen {
			dup(o.slots[i].ref)
		}
	}
}
