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
	h.Word(uint64(len(s)))
	for ; len(s) >= 8; s = s[8:] {
		h.Word(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
	}
	if len(s) > 0 {
		var w uint64
		for i := range len(s) {
			w |= uint64(s[i]) << (8 * i)
		}
		h.Word(w)
	}
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
