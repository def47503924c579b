package metrics

import "math/bits"

// idKey identifies an event ID by its 128-bit FNV-1a hash. The tracker keeps
// keys instead of the ID strings: 16 bytes without pointers instead of a
// string header and its bytes, which halves the memory of a large log and
// spares the garbage collector from scanning millions of strings. Two
// different IDs share a key with probability about n²/2¹²⁹ for n IDs, below
// 10⁻²⁴ for ten million; a hash with that property (not a cryptographic one)
// is enough because IDs come from the operator's own exports.
type idKey [2]uint64

// keyOf returns the FNV-1a 128 hash of id (the algorithm of hash/fnv's
// New128a, without its allocation): for each byte, xor it into the low
// bits, then multiply by the FNV-128 prime 2⁸⁸ + 0x13b modulo 2¹²⁸.
func keyOf(id string) idKey {
	hi, lo := uint64(0x6c62272e07bb0142), uint64(0x62b821756295c58d)
	for i := 0; i < len(id); i++ {
		lo ^= uint64(id[i])
		c, l := bits.Mul64(lo, 0x13b)
		hi = hi*0x13b + c + lo<<24
		lo = l
	}
	return idKey{hi, lo}
}
