package fnv128

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"testing"

	"pgregory.net/rapid"
)

// Sum must equal the standard library's FNV-1a 128 (hash/fnv.New128a), the
// reference implementation of the algorithm.
func TestSumIsFNV1a128(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		h := fnv.New128a()
		h.Write([]byte(s))
		sum := h.Sum(nil)
		hi, lo := Sum(s)
		if hi != binary.BigEndian.Uint64(sum[:8]) || lo != binary.BigEndian.Uint64(sum[8:]) {
			t.Fatalf("Sum(%q) = %x %x, want %x", s, hi, lo, sum)
		}
	})
}

// The FNV-1a 128 of the empty string is the offset basis, and of "a" the
// value published with the algorithm's test vectors
// (d228cb696f1a8caf78912b704e4a8964).
func TestSumVectors(t *testing.T) {
	if hi, lo := Sum(""); hi != offsetHi || lo != offsetLo {
		t.Errorf("Sum(\"\") = %x %x, want the offset basis", hi, lo)
	}
	if hi, lo := Sum("a"); hi != 0xd228cb696f1a8caf || lo != 0x78912b704e4a8964 {
		t.Errorf("Sum(\"a\") = %016x%016x", hi, lo)
	}
}

func ExampleSum() {
	hi, lo := Sum("a")
	fmt.Printf("%016x%016x\n", hi, lo)
	// Output: d228cb696f1a8caf78912b704e4a8964
}
