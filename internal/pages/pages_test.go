package pages

import (
	"testing"
	"unsafe"
)

type big [5000]byte

// TouchNew leaves a zero slice zero, whatever its length and element size,
// and writes one element per page: the first of each.
func TestTouchNewKeepsZeroAndStepsByPage(t *testing.T) {
	for _, n := range []int{0, 1, 255, 256, 257, 10000} {
		s := make([][2]uint64, n)
		TouchNew(s)
		for i, v := range s {
			if v != ([2]uint64{}) {
				t.Fatalf("n=%d: element %d = %v after TouchNew", n, i, v)
			}
		}
	}
	b := make([]big, 3)
	TouchNew(b) // elements larger than a page: every one is written
	if unsafe.Sizeof(big{}) <= Size {
		t.Fatal("big is not larger than a page")
	}
	// Which elements TouchNew writes: mark all, and see which it zeroes.
	s := make([]uint64, 3*Size/8+1)
	for i := range s {
		s[i] = 1
	}
	TouchNew(s)
	for i, v := range s {
		if want := i%(Size/8) != 0; (v == 1) != want {
			t.Fatalf("element %d: written = %v, want %v", i, v == 0, !want)
		}
	}
}
