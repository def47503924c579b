package minheap

import (
	"cmp"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func less(a, b int) bool { return a < b }

// Any mix of pushes and pops returns, at each pop, the least element pushed
// and not yet popped (a sorted slice is the model), and keeps the invariant.
func TestHeapMatchesSortedModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var h, model []int
		for range rapid.IntRange(0, 200).Draw(t, "ops") {
			if len(model) > 0 && rapid.IntRange(0, 2).Draw(t, "pop") == 0 {
				got := Pop(&h, less)
				if got != model[0] {
					t.Fatalf("Pop = %d, want %d", got, model[0])
				}
				model = model[1:]
			} else {
				x := rapid.IntRange(-20, 20).Draw(t, "x")
				Push(&h, x, less)
				i, _ := slices.BinarySearch(model, x)
				model = slices.Insert(model, i, x)
			}
			if len(h) != len(model) {
				t.Fatalf("len = %d, want %d", len(h), len(model))
			}
			for i := 1; i < len(h); i++ {
				if less(h[i], h[(i-1)/2]) {
					t.Fatalf("heap order broken at %d: %v", i, h)
				}
			}
		}
	})
}

// Pop zeroes the slot it vacates, so popped strings are not kept alive.
func TestPopZeroesVacatedSlot(t *testing.T) {
	h := []string{}
	for _, s := range []string{"b", "a", "c"} {
		Push(&h, s, func(a, b string) bool { return cmp.Less(a, b) })
	}
	Pop(&h, func(a, b string) bool { return cmp.Less(a, b) })
	if v := h[:3][2]; v != "" {
		t.Fatalf("vacated slot holds %q", v)
	}
}
