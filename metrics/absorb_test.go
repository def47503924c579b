package metrics

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// Issue 18, item 2: any split of a log (different events sharing IDs
// included), absorbed shard by shard in any order, answers what Merge of
// the same shards answers, which is what one tracker answers; each
// absorbed shard is left empty and usable.
func TestAbsorbEqualsMerge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genLoc().Draw(t, "loc")
		log := genCollidingLog(t)
		single := NewTracker(loc)
		mustAdd(t, single, log...)

		n := rapid.IntRange(1, 4).Draw(t, "shards")
		merged, absorbed := make([]*Tracker, n), make([]*Tracker, n)
		for i := range n {
			merged[i], absorbed[i] = NewTracker(loc), NewTracker(loc)
		}
		byGroup := rapid.Bool().Draw(t, "byGroup") // disjoint groups, as a parallel read by group gives
		for _, e := range log {
			i := rapid.IntRange(0, n-1).Draw(t, "shard")
			if byGroup {
				i = int(e.Group[1]-'1') % n
			}
			mustAdd(t, merged[i], e)
			mustAdd(t, absorbed[i], e)
		}
		order := make([]int, n)
		for k := range order {
			order[k] = k
		}
		order = rapid.Permutation(order).Draw(t, "mergeOrder")
		into, absInto := merged[order[0]], absorbed[order[0]]
		for _, i := range order[1:] {
			if err := into.Merge(merged[i]); err != nil {
				t.Fatal(err)
			}
			if err := absInto.Absorb(absorbed[i]); err != nil {
				t.Fatal(err)
			}
			o := absorbed[i]
			if o.Len() != 0 || len(o.Groups()) != 0 || o.Location() != loc {
				t.Fatalf("absorbed tracker: Len %d, groups %v, location %v: want empty, in %v", o.Len(), o.Groups(), o.Location(), loc)
			}
		}
		want := takeSnapshot(t, single)
		if diff := cmp.Diff(want, takeSnapshot(t, into)); diff != "" {
			t.Fatalf("merged shards differ from one tracker (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, takeSnapshot(t, absInto)); diff != "" {
			t.Fatalf("absorbed shards differ from one tracker (-want +got):\n%s", diff)
		}
		if single.Len() != absInto.Len() {
			t.Fatalf("Len: one tracker %d, absorbed shards %d", single.Len(), absInto.Len())
		}
		// An absorbed tracker takes events again, and the tracker that
		// absorbed it goes on deduplicating what it took.
		if len(log) > 0 && n > 1 {
			o := absorbed[order[1]]
			mustAdd(t, o, log...)
			if diff := cmp.Diff(want, takeSnapshot(t, o)); diff != "" {
				t.Fatalf("an absorbed tracker fed the log again (-want +got):\n%s", diff)
			}
			for _, e := range log {
				if e.ID != "" {
					mustAdd(t, absInto, e)
				}
			}
			if diff := cmp.Diff(want, takeSnapshot(t, absInto)); diff != "" {
				t.Fatalf("the events with IDs added again after absorbing (-want +got):\n%s", diff)
			}
		}
	})
}

// A failed Absorb names its verb and changes neither tracker.
func TestAbsorbErrorsChangeNothing(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	newPair := func() (*Tracker, *Tracker) {
		a, b := NewTracker(shanghai), NewTracker(shanghai)
		if err := a.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: at, ID: "m1"}); err != nil {
			t.Fatal(err)
		}
		if err := b.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "bo", Time: at.AddDate(0, 0, MaxSpanDays), ID: "m2"}); err != nil {
			t.Fatal(err)
		}
		return a, b
	}
	a, b := newPair()
	wantA, wantB := answersOf(t, a), answersOf(t, b)
	for _, tc := range []struct {
		name string
		o    *Tracker
		want string
	}{
		{"span", b, "metrics: absorb: group \"g\" would span 10001 days"},
		{"nil", nil, "metrics: absorb: nil tracker"},
		{"itself", a, "metrics: absorb: a tracker into itself"},
		{"location", NewTracker(time.UTC), `metrics: absorb: location "UTC" differs from "Asia/Shanghai"`},
	} {
		err := a.Absorb(tc.o)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: Absorb = %v, want %q", tc.name, err, tc.want)
		}
	}
	if diff := cmp.Diff(wantA, answersOf(t, a)); diff != "" {
		t.Errorf("failed Absorb changed the receiver (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantB, answersOf(t, b)); diff != "" {
		t.Errorf("failed Absorb changed the argument (-want +got):\n%s", diff)
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Issue 18, item 2: absorbing a tracker whose groups the receiver does not
// have (the chunks of a log read in parallel by group) moves them: it
// allocates almost nothing, where Merge copies every group, its ID table
// included.
func TestAbsorbMovesInsteadOfCopying(t *testing.T) {
	s := logSpec{Groups: 4, Members: 300, Days: 30, Seed: 3}
	build := func(even bool) *Tracker {
		tr := NewTracker(nil)
		s.generate(make([]qunops.Event, 0, 1<<12), func(batch []qunops.Event) {
			for _, e := range batch {
				if (e.Group[5]%2 == 0) == even { // "100000@chatroom", "100001@chatroom"...
					if err := tr.Add(e); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
		tr.flush()
		return tr
	}
	a, b := build(true), build(false)
	a2, b2 := build(true), build(false)
	if len(a.groups) == 0 || len(b.groups) == 0 {
		t.Fatalf("groups %d and %d: the split must give each tracker some", len(a.groups), len(b.groups))
	}
	idBytes := 0
	for _, g := range b.groups {
		idBytes += 16 * len(g.ids.slots)
	}
	var mergeErr, absorbErr error
	merged := allocated(func() { mergeErr = a.Merge(b) })
	absorbed := allocated(func() { absorbErr = a2.Absorb(b2) })
	if mergeErr != nil || absorbErr != nil {
		t.Fatal(mergeErr, absorbErr)
	}
	if merged < uint64(idBytes) {
		t.Errorf("Merge allocated %d bytes, less than the %d bytes of ID tables it copies: the measure is broken", merged, idBytes)
	}
	if absorbed > 4096 {
		t.Errorf("Absorb of %d groups allocated %d bytes (Merge %d), want under 4 KiB: the groups must move", len(b.groups), absorbed, merged)
	}
	if diff := cmp.Diff(answersOf(t, a), answersOf(t, a2)); diff != "" {
		t.Errorf("absorbed differs from merged (-merged +absorbed):\n%s", diff)
	}
}
