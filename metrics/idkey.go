package metrics

import "math/bits"

// idKey identifies an event ID by its 128-bit FNV-1a hash. The tracker keeps
// (95 bits of) keys instead of the ID strings, in an idSet: no pointers and
// no string bytes, which spares the garbage collector from scanning millions
// of strings. A hash without cryptographic strength is enough because IDs
// come from the operator's own exports.
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
