package report

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/qunops/qunops"

	"pgregory.net/rapid"
)

// TestRecentListModel: any sequence of pushes and keeps leaves a
// recentList holding what a plain slice would, in the same order; keep
// shows f each record once, in order; every block but the last is full,
// and of full size but a lone first one; and the spare blocks are empty,
// of full size, and hold no strings.
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
			lone := len(l.blocks) == 1
			if (cap(b) != recentBlock && !(lone && cap(b) >= recentFirst && cap(b) < recentBlock)) ||
				(i < len(l.blocks)-1 && len(b) != cap(b)) || len(b) == 0 {
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

// TestRecentListSmall: a list of a few records holds a small block, not a
// full one, and one that grows past a block holds full blocks: a report
// keeps a list per group, and a hostile log of a million one-event groups
// took 22 KiB per group.
func TestRecentListSmall(t *testing.T) {
	var l recentList
	for i := range 3 {
		l.push(record{member: int32(i)})
	}
	if len(l.blocks) != 1 || cap(l.blocks[0]) != recentFirst {
		t.Fatalf("3 records: %d blocks, the first of capacity %d, want 1 of %d", len(l.blocks), cap(l.blocks[0]), recentFirst)
	}
	for i := 3; i < recentBlock+1; i++ {
		l.push(record{member: int32(i)})
	}
	if len(l.blocks) != 2 || cap(l.blocks[0]) != recentBlock || cap(l.blocks[1]) != recentBlock {
		t.Fatalf("%d records: %d blocks of capacities %d, %d, want 2 of %d", recentBlock+1, len(l.blocks), cap(l.blocks[0]), cap(l.blocks[1]), recentBlock)
	}
	i := int32(0)
	for r := range l.all() {
		if r.member != i {
			t.Fatalf("record %d is member %d", i, r.member)
		}
		i++
	}
}

// TestManySmallGroupsMemory: a log of many groups with one event each (a
// hostile log: a million such groups in 145 MB took 24 GB before issue 18's
// fix, 22 KiB of recent events, a 16 KiB tally ID table and a hundred
// folded stop words per group) costs a few KiB per group to add and build,
// what the group's report itself takes.
func TestManySmallGroupsMemory(t *testing.T) {
	const groups = 2000
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, qunops.DefaultLocation())
	b := mustNew(t, Options{})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range groups {
		e := qunops.Event{Type: qunops.Message, Group: fmt.Sprintf("g%d@chatroom", i), Member: "u1", Time: at, ID: fmt.Sprintf("m%d", i), Text: "hello"}
		if err := b.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if len(rep.Groups) != groups {
		t.Fatalf("%d groups, want %d", len(rep.Groups), groups)
	}
	perGroup := (after.TotalAlloc - before.TotalAlloc) / groups
	t.Logf("%d bytes allocated per one-event group", perGroup)
	if perGroup > 12<<10 {
		t.Errorf("%d bytes allocated per one-event group, want at most 12 KiB", perGroup)
	}
}
