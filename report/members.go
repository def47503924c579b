package report

import (
	"math/bits"

	"github.com/qunops/qunops/internal/wordhash"
)

// memberKey is the 128-bit hash of a member ID (package wordhash, 8 bytes
// a step; FNV-1a 128 until issue 18), the key under which tiering.Tally
// keeps members too. Two IDs with one hash would be taken for one member
// (probability about n²/2¹²⁹ for n members).
type memberKey [2]uint64

func keyOf(id string) memberKey {
	hi, lo := wordhash.Sum(id)
	return memberKey{hi, lo}
}

// memberTable numbers the members of a group by the key of their ID (and
// Build's terms number the messages of a week by deliveryKey with one). It
// is an open-addressing table with linear probing, kept at most 3/4 full,
// whose 24-byte slots hold the whole key and the number: the key is
// already a uniform hash, so a slot's place is its top bits and a look-up
// reads one slot, mostly in one cache line, where a Go map reads a
// control word, then a slot, after hashing the key again (issue 18: a
// tenth of the time per event went to that map). It holds no pointers, so
// the garbage collector does not scan a million members, and a look-up
// does not read the ID's bytes, which lie wherever the event that first
// named the member was decoded.
type memberTable struct {
	slots []memberSlot // len is 0 or a power of two
	shift uint8        // 64 - log2(len(slots))
	n     int
}

type memberSlot struct {
	key memberKey
	num int32 // the member number plus one; 0 marks an empty slot
}

// find returns the number of the member whose key is k, or -1.
func (t *memberTable) find(k memberKey) int32 {
	if t.n == 0 {
		return -1
	}
	mask := len(t.slots) - 1
	for i := int(k[0] >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.num == 0 {
			return -1
		}
		if s.key == k {
			return s.num - 1
		}
	}
}

// touch loads the first slot where find would look for k, and returns a
// part of it (t must not be empty).
func (t *memberTable) touch(k memberKey) uint64 {
	return t.slots[int(k[0]>>t.shift)].key[1]
}

// insert adds k, which t does not have, as member number num.
func (t *memberTable) insert(k memberKey, num int32) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow(max(16, 2*len(t.slots)))
	}
	t.put(memberSlot{k, num + 1})
	t.n++
}

func (t *memberTable) put(s memberSlot) {
	mask := len(t.slots) - 1
	i := int(s.key[0] >> t.shift)
	for t.slots[i].num != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

func (t *memberTable) grow(size int) {
	old := t.slots
	t.slots = make([]memberSlot, size)
	t.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	for _, s := range old {
		if s.num != 0 {
			t.put(s)
		}
	}
}
