package metrics

import (
	"hash/maphash"
	"math/bits"

	"github.com/qunops/qunops/internal/pages"
)

// memberIndex maps the names of a group's members to their numbers. It is
// an open-addressing table with linear probing of 8-byte slots, each holding
// 32 bits of the name's hash (the tag) and the member number plus one (0
// marks an empty slot), kept at most 3/4 full; a name is confirmed against
// the member's record only when the tag matches. Unlike a Go map it lets
// Tracker.flush touch the slot of a name before looking it up, and it keeps
// no string headers of its own.
type memberIndex struct {
	seed  maphash.Seed
	slots []uint64 // len is 0 or a power of two
	shift uint8    // 64 - log2(len(slots))
	n     int
}

func newMemberIndex() memberIndex { return memberIndex{seed: maphash.MakeSeed()} }

// hash returns the hash of name that find and insert take.
func (x *memberIndex) hash(name string) uint64 { return maphash.String(x.seed, name) }

// find returns the number of the member of ms named name, whose hash is h,
// or -1.
func (x *memberIndex) find(ms []member, name string, h uint64) int32 {
	if x.n == 0 {
		return -1
	}
	mask := len(x.slots) - 1
	tag := uint32(h)
	for i := int(h >> x.shift); ; i = (i + 1) & mask {
		v := x.slots[i]
		if v == 0 {
			return -1
		}
		if uint32(v>>32) == tag {
			if mi := int32(uint32(v)) - 1; ms[mi].name == name {
				return mi
			}
		}
	}
}

// touch loads the home slot of h, so that a find soon after hits the cache.
func (x *memberIndex) touch(h uint64) uint64 {
	if len(x.slots) == 0 {
		return 0
	}
	return x.slots[h>>x.shift]
}

// insert adds member mi, whose name hashes to h and is not in x; ms holds
// every member, mi's record included, to rehash from when x grows.
func (x *memberIndex) insert(ms []member, mi int32, h uint64) {
	if (x.n+1)*4 > len(x.slots)*3 {
		x.grow(ms, max(16, 2*len(x.slots)))
	}
	x.put(uint64(uint32(h))<<32|uint64(mi+1), h)
	x.n++
}

// put stores slot value v at the first empty slot from h's home.
func (x *memberIndex) put(v, h uint64) {
	mask := len(x.slots) - 1
	i := int(h >> x.shift)
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = v
}

// grow rebuilds x with size slots from the members in its slots.
func (x *memberIndex) grow(ms []member, size int) {
	old := x.slots
	x.slots = make([]uint64, size)
	pages.TouchNew(x.slots)
	x.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	for _, v := range old {
		if v != 0 {
			x.put(v, x.hash(ms[int32(uint32(v))-1].name))
		}
	}
}
