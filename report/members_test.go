package report

import (
	"testing"

	"pgregory.net/rapid"
)

// memberTable numbers keys as a Go map does, through its growths, with
// keys whose top bits (the home slot) often collide.
func TestMemberTableModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var tab memberTable
		model := map[memberKey]int32{}
		var keys []memberKey
		for i := range rapid.IntRange(0, 400).Draw(t, "ops") {
			var k memberKey
			if len(keys) > 0 && rapid.Bool().Draw(t, "old") {
				k = keys[rapid.IntRange(0, len(keys)-1).Draw(t, "which")]
			} else {
				// Few distinct top bits: long probe runs.
				k = memberKey{uint64(rapid.IntRange(0, 7).Draw(t, "top"))<<61 | uint64(i), rapid.Uint64().Draw(t, "lo")}
			}
			want, ok := model[k]
			if !ok {
				want = -1
			}
			if got := tab.find(k); got != want {
				t.Fatalf("find(%x) = %d, want %d", k, got, want)
			}
			if !ok {
				n := int32(len(model))
				tab.insert(k, n)
				model[k] = n
				keys = append(keys, k)
			}
		}
		if tab.n != len(model) || (len(tab.slots) > 0 && tab.n*4 > len(tab.slots)*3) {
			t.Fatalf("%d keys in %d slots, want %d keys at most 3/4 full", tab.n, len(tab.slots), len(model))
		}
		for k, n := range model {
			if got := tab.find(k); got != n {
				t.Fatalf("after all: find(%x) = %d, want %d", k, got, n)
			}
		}
	})
}
