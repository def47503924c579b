// Package wordhash hashes strings into 128 bits, 8 bytes at a time: the
// keys under which metrics, tiering and report keep event IDs and member
// IDs instead of the strings (no pointers for the garbage collector to
// scan, no string bytes to read on a lookup).
//
// A Hasher runs two 64-bit lanes side by side. Each takes every word: the
// lane is xored with the word, multiplied by an odd constant and rotated,
// a bijection of the lane, so two inputs that differ in one word never
// collide. Sum folds each lane into the other and finishes both with the
// finalizer of SplitMix64 (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014). That is one
// multiplication per lane and 8 bytes, where FNV-1a 128 (package fnv128),
// which keyed IDs before issue 18, costs a 128-bit multiplication per
// byte; hashing was the largest part of looking an ID up.
//
// Like FNV, the hash has no cryptographic strength: someone who can choose
// the IDs can make two collide. IDs come from the operator's own exports.
// The result is the same on every platform and in every process (there is
// no seed), as the binary forms that store keys need;
// testdata/reference.py computes it independently.
package wordhash

import "math/bits"

// Hasher is the state of a hash. The zero value is not a valid start;
// call New.
type Hasher struct{ a, b uint64 }

// New returns a Hasher with nothing hashed yet.
func New() Hasher { return Hasher{0x243f6a8885a308d3, 0x13198a2e03707344} }

// Word hashes w.
func (h *Hasher) Word(w uint64) {
	h.a = bits.RotateLeft64((h.a^w)*0x9e3779b97f4a7c15, 29)
	h.b = bits.RotateLeft64((h.b^w)*0xc2b2ae3d27d4eb4f, 31)
}

// String hashes s: its length, then its bytes as little-endian words, the
// last one padded with zeros. The length comes first so that consecutive
// strings cannot run into each other ("ab" then "c" differs from "a" then
// "bc").
func (h *Hasher) String(s string) {
	n := len(s)
	h.Word(uint64(n))
	i := 0
	for ; i+8 <= n; i += 8 {
		h.Word(load64(s, i))
	}
	r := n - i // the bytes of the last word, 0..7
	switch {
	case r == 0:
	case n >= 8:
		// The last 8 bytes, overlapping the words before: keep the top r.
		h.Word(load64(s, n-8) >> (8 * (8 - r)))
	case r >= 4:
		// Two overlapping 4-byte loads: bytes 0-3, and the top r-4 bytes
		// of the last 4 as bytes 4..r-1.
		h.Word(uint64(load32(s, 0)) | uint64(load32(s, r-4))>>(8*(8-r))<<32)
	default:
		// 1 to 3 bytes: the first, the middle and the last (the same
		// byte may be ORed in twice).
		h.Word(uint64(s[0]) | uint64(s[r/2])<<(8*(r/2)) | uint64(s[r-1])<<(8*(r-1)))
	}
}

// load64 returns the 8 bytes of s at i as a little-endian word (the
// compiler makes it one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// load32 returns the 4 bytes of s at i as a little-endian word.
func load32(s string, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Sum returns the hash of what h took, as its high and low words.
func (h *Hasher) Sum() (hi, lo uint64) { return mix(h.a ^ h.b>>32), mix(h.b ^ h.a<<7) }

// Sum returns the hash of the string s alone. Cost: O(len(s)), no
// allocation.
func Sum(s string) (hi, lo uint64) {
	h := New()
	h.String(s)
	return h.Sum()
}

// mix is the finalizer of SplitMix64: every step is a bijection of 64-bit
// words, and every bit of x reaches every bit of the result.
func mix(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
