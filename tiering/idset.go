package tiering

import (
	"math/bits"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/pages"
	"github.com/qunops/qunops/internal/wordhash"
)

// idKey stands for an event ID: its 128-bit hash (package wordhash, 8
// bytes a step; FNV-1a 128 until issue 18). A Tally keeps keys
// rather than ID strings, 16 bytes without pointers each, so that a log of
// ten million events costs a flat array the garbage collector never scans.
// Two distinct IDs get the same key with probability about n²/2¹²⁹ for n
// IDs (below 10⁻²⁴ for ten million); IDs come from the operator's own
// exports, so a non-cryptographic hash is enough.
type idKey struct{ hi, lo uint64 }

// keyOf returns the key of id.
func keyOf(id string) idKey {
	hi, lo := wordhash.Sum(id)
	return idKey{hi, lo}
}

// eventKey returns the key under which a Tally deduplicates e, which has
// an ID: a hash of the ID together with what the tally reads of e (its
// group, type, member, actor, item and instant). Two deliveries of one
// event (the same ID and facts, whatever their text or UTC offset) share
// a key and count once; two different events that an exporter gave one
// ID have two keys and both count, as in metrics.Tracker (which reads no
// actor, so it leaves the actor out). That depends only on the set of
// events, not on their order or on how they are split over tallies, which
// is what makes Merge exact for them.
func eventKey(e *qunops.Event) idKey {
	h := wordhash.New()
	h.String(e.ID)
	h.String(e.Group)
	h.String(string(e.Type))
	h.String(e.Member)
	h.String(e.Actor)
	h.String(e.Item)
	h.Word(uint64(e.Time.Unix()))
	h.Word(uint64(e.Time.Nanosecond()))
	hi, lo := h.Sum()
	return idKey{hi, lo}
}

// idSet is a set of keys: open addressing with linear probing in a
// power-of-two array, at most three quarters full. The zero key marks an
// empty slot, so whether the set holds the zero key is kept aside.
type idSet struct {
	slots []idKey
	n     int  // keys in slots
	zero  bool // the zero key is in the set
	shift uint // 64 - log2(len(slots))
}

// home returns the first slot to probe for k in a table of
// 2^(64-shift) slots, for idSet and memberTable alike: the top bits of a
// Fibonacci product of both words (a product's top bits depend on every
// bit of the factor), so that the slot rests on all 128 bits.
func (k idKey) home(shift uint) uint64 {
	return ((k.hi ^ k.lo) * 0x9e3779b97f4a7c15) >> shift
}

// has reports whether k is in the set.
func (s *idSet) has(k idKey) bool {
	if k == (idKey{}) {
		return s.zero
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := k.home(s.shift); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return true
		case idKey{}:
			return false
		}
	}
}

// add puts k in the set and reports whether it was not there before.
func (s *idSet) add(k idKey) bool {
	if k == (idKey{}) {
		added := !s.zero
		s.zero = true
		return added
	}
	s.reserve(s.n + 1)
	mask := uint64(len(s.slots) - 1)
	for i := k.home(s.shift); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return false
		case idKey{}:
			s.slots[i] = k
			s.n++
			return true
		}
	}
}

// reserve grows the array, if needed, so that it holds n keys in slots
// at most three quarters full.
//
// Merge reserves room for all the keys it adds before it adds them: they
// come in the order of the other set's slots, which is the order of their
// homes, and a table that grew on the way would take them while it was too
// small for them all. Its first homes would then get far more keys than
// slots, which would pile up in one run that every add probes to the end
// of: merging two tallies of a million events each took seconds.
func (s *idSet) reserve(n int) {
	if 4*n > 3*len(s.slots) {
		s.grow(n)
	}
}

// grow doubles the array (to 16 slots at first) until it holds n keys at
// most three quarters full, and puts every key back.
func (s *idSet) grow(n int) {
	old := s.slots
	size := max(2*len(old), 16)
	for 4*n > 3*size {
		size *= 2
	}
	s.slots = make([]idKey, size)
	pages.TouchNew(s.slots) // the loop below reads each slot before it writes it
	s.shift = uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for _, k := range old {
		if k == (idKey{}) {
			continue
		}
		i := k.home(s.shift)
		for s.slots[i] != (idKey{}) {
			i = (i + 1) & mask
		}
		s.slots[i] = k
	}
}

// each calls f for every key in the set, in no particular order.
func (s *idSet) each(f func(idKey)) {
	if s.zero {
		f(idKey{})
	}
	for _, k := range s.slots {
		if k != (idKey{}) {
			f(k)
		}
	}
}

// memberTable holds the hot records of a group's members, keyed by the
// keys of their IDs: open addressing with linear probing, like idSet. The
// hot fields sit in the slot beside the key, so that finding and updating
// a member for most events touch one cache line and never the member's
// string: in a large group that is one cache miss instead of the two or
// three of a map from strings to records. Two members share a key with the
// odds of two event IDs (see idKey).
//
// The table is kept at most seven eighths full, not three quarters like
// idSet: most lookups find a member already there, and a hit probes few
// slots even that full, while the smaller table stays in the cache more.
// (A tally of 200 000 members ran 14% faster with 32 MB of 128-byte slots
// than with 64 MB, and faster again with the 64-byte slots.)
type memberTable struct {
	slots []memberSlot
	n     int
	shift uint
}

// memberSlot is a member's key and the part of their record that most
// events update (a message, a check-in, a read: the hot fields), in 64
// bytes, one cache line; the rest is in a coldRecord.
type memberSlot struct {
	key                    idKey
	name                   int32 // the member's number in groupTally.names + 1; 0 marks an empty slot
	messages, interactions int32
	_                      int32
	present, lastMessage   stamp // latest non-leave event and message up to now
}

// get returns the slot of k, or nil.
func (m *memberTable) get(k idKey) *memberSlot {
	if len(m.slots) == 0 {
		return nil
	}
	mask := uint64(len(m.slots) - 1)
	for i := k.home(m.shift); ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.name == 0 {
			return nil
		}
		if s.key == k {
			return s
		}
	}
}

// getOrPut returns the slot of k, filling an empty one with member number
// name when k is new, and reports whether it was new. The pointer is valid
// until the next getOrPut.
func (m *memberTable) getOrPut(k idKey, name int32) (*memberSlot, bool) {
	m.reserve(m.n + 1)
	mask := uint64(len(m.slots) - 1)
	for i := k.home(m.shift); ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.name == 0 {
			s.key, s.name = k, name+1
			m.n++
			return s, true
		}
		if s.key == k {
			return s, false
		}
	}
}

// reserve grows the table, if needed, so that it holds n members at most
// seven eighths full (see idSet.reserve for why Merge reserves first).
func (m *memberTable) reserve(n int) {
	if 8*n > 7*len(m.slots) {
		m.grow(n)
	}
}

// grow doubles the table (to 16 slots at first) until it holds n members
// at most seven eighths full, and puts every member back.
func (m *memberTable) grow(n int) {
	old := m.slots
	size := max(2*len(old), 16)
	for 8*n > 7*size {
		size *= 2
	}
	m.slots = make([]memberSlot, size)
	pages.TouchNew(m.slots)
	m.shift = uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for i := range old {
		if old[i].name == 0 {
			continue
		}
		j := old[i].key.home(m.shift)
		for m.slots[j].name != 0 {
			j = (j + 1) & mask
		}
		m.slots[j] = old[i]
	}
}
