package stats

import (
	"math"
	"testing"

	"pgregory.net/rapid"
)

// Reference value from issue 5 (recomputed independently there):
// Wilson(430 of 474, z = 1.96) = [0.877675, 0.930124].
func TestWilsonReference(t *testing.T) {
	lo, hi := Wilson(430, 474, 1.96)
	if math.Abs(lo-0.877675) > 5e-7 || math.Abs(hi-0.930124) > 5e-7 {
		t.Fatalf("Wilson(430, 474, 1.96) = [%f, %f], want [0.877675, 0.930124]", lo, hi)
	}
}

// The interval lies in [0, 1], holds the observed proportion, has exact
// ends at 0 and n successes, and narrows as z falls.
func TestWilsonProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 100000).Draw(t, "n")
		s := rapid.IntRange(0, n).Draw(t, "s")
		z := rapid.Float64Range(0.1, 4).Draw(t, "z")
		lo, hi := Wilson(s, n, z)
		p := float64(s) / float64(n)
		if !(0 <= lo && lo <= p+1e-12 && p-1e-12 <= hi && hi <= 1) {
			t.Fatalf("Wilson(%d, %d, %v) = [%v, %v] does not hold %v within [0, 1]", s, n, z, lo, hi, p)
		}
		if s == 0 && lo != 0 {
			t.Fatalf("Wilson(0, %d, %v) lower end %v, want exactly 0", n, z, lo)
		}
		if s == n && hi != 1 {
			t.Fatalf("Wilson(%d, %d, %v) upper end %v, want exactly 1", s, n, z, hi)
		}
		lo2, hi2 := Wilson(s, n, z/2)
		if lo2 < lo-1e-12 || hi2 > hi+1e-12 {
			t.Fatalf("z/2 gives [%v, %v], wider than [%v, %v] at z", lo2, hi2, lo, hi)
		}
	})
}
