package report

import (
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// TestRecentListModel: any sequence of pushes and keeps leaves a
// recentList holding what a plain slice would, in the same order; keep
// shows f each record once, in order; every block but the last is full;
// and the spare blocks are empty and hold no strings.
func TestRecentListModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var l recentList
		var model []record
		next := 0
		for step := range rapid.IntRange(1, 40).Draw(t, "steps") {
			if rapid.Bool().Draw(t, "push") {
				for range rapid.IntRange(0, 3*recentBlock).Draw(t, "pushes") {
					r := record{member: int32(next), text: strconv.Itoa(next)}
					next++
					l.push(r)
					model = append(model, r)
				}
				continue
			}
			mod := rapid.IntRange(1, 5).Draw(t, "mod")
			var seen []int32
			l.keep(func(r *record) bool {
				seen = append(seen, r.member)
				return r.member%int32(mod) == int32(step%mod)
			})
			kept := model[:0:0]
			for i, r := range model {
				if seen == nil || i >= len(seen) || seen[i] != r.member {
					t.Fatalf("keep showed %v, want the records %v in order", seen, model)
				}
				if r.member%int32(mod) == int32(step%mod) {
					kept = append(kept, r)
				}
			}
			if len(seen) != len(model) {
				t.Fatalf("keep showed %d records, want %d", len(seen), len(model))
			}
			model = kept
		}
		var got []record
		for r := range l.all() {
			got = append(got, *r)
		}
		if l.len() != len(model) || len(got) != len(model) {
			t.Fatalf("len %d, all yields %d, want %d", l.len(), len(got), len(model))
		}
		for i := range got {
			if got[i] != model[i] {
				t.Fatalf("record %d is %+v, want %+v", i, got[i], model[i])
			}
		}
		for i, b := range l.blocks {
			if cap(b) != recentBlock || (i < len(l.blocks)-1 && len(b) != recentBlock) || len(b) == 0 {
				t.Fatalf("block %d of %d: len %d, cap %d", i, len(l.blocks), len(b), cap(b))
			}
		}
		for _, b := range l.spare {
			if len(b) != 0 || cap(b) != recentBlock {
				t.Fatalf("a spare block of len %d, cap %d", len(b), cap(b))
			}
			for _, r := range b[:cap(b)] {
				if r != (record{}) {
					t.Fatalf("a spare block holds %+v", r)
				}
			}
		}
	})
}
