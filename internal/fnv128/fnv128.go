package fnv128

import "math/bits"

// The FNV-128 offset basis and the low word of its prime 2⁸⁸ + 0x13b.
const (
	offsetHi = 0x6c62272e07bb0142
	offsetLo = 0x62b821756295c58d
	primeLo  = 0x13b
)

// Sum returns the FNV-1a 128 hash of s as its high and low 64-bit words.
// For each byte it xors the byte into the low word, then multiplies the
// 128-bit state by the prime modulo 2¹²⁸: the low word times 0x13b (a
// 128-bit product), the high word times 0x13b, and the low word times 2⁸⁸,
// which lands in the high word shifted left by 24. Cost: O(len(s)), no
// allocation.
func Sum(s string) (hi, lo uint64) {
	hi, lo = offsetHi, offsetLo
	for i := 0; i < len(s); i++ {
		lo ^= uint64(s[i])
		carry, low := bits.Mul64(lo, primeLo)
		hi = hi*primeLo + lo<<24 + carry
		lo = low
	}
	return hi, lo
}
