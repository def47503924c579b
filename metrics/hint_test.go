package metrics

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
	"pgregory.net/rapid"
)

// The member numbers and event keys a caller hands over
// (trust.TrackerAddHinted, which the report's Builder uses) change nothing
// but speed: a tracker fed hints
// answers, and serialises to, exactly what one fed none does, when hints
// come late or not at all, and when the caller numbers its members anew
// after a merge, which makes the tracker forget them.
func TestHintedAddsEqualPlainOnes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genLoc().Draw(t, "loc")
		plain, hinted := NewTracker(loc), NewTracker(loc)
		numbers := map[[2]string]int32{} // the caller's numbering, by group and member
		next := map[string]int32{}       // the caller's next number, by group
		renumber := func() {
			clear(numbers)
			clear(next)
		}
		add := func(e qunops.Event) {
			k := [2]string{e.Group, e.Member}
			n, ok := numbers[k]
			if !ok {
				n = -1
				if rapid.Bool().Draw(t, "number") { // else hinted on a later event
					next[e.Group] += int32(rapid.IntRange(0, 70).Draw(t, "gap")) // numbers need not be dense
					n = next[e.Group]
					next[e.Group]++
					numbers[k] = n
				}
			}
			errP := plain.addValid(&e, -1, nil)
			var key *[2]uint64
			if e.ID != "" && rapid.Bool().Draw(t, "keyed") {
				k := trust.EventKey(&e)
				key = &k
			}
			errH := trust.TrackerAddHinted(hinted, &e, n, key)
			if (errP == nil) != (errH == nil) {
				t.Fatalf("add %+v: plain %v, hinted (%d) %v", e, errP, n, errH)
			}
		}
		log := genLog(t)
		for i, e := range log {
			add(e)
			if rapid.IntRange(0, 30).Draw(t, "merge") == 0 {
				// Merge a tracker of a few more events into both: the
				// merged tracker may renumber, so the caller starts anew.
				other := NewTracker(loc)
				for j := range rapid.IntRange(0, 5).Draw(t, "others") {
					mustAdd(t, other, genEvent(t, 10000+100*i+j))
				}
				if err := plain.Merge(other); err != nil {
					t.Fatal(err)
				}
				if err := hinted.Merge(other); err != nil {
					t.Fatal(err)
				}
				renumber()
			}
		}
		if diff := cmp.Diff(takeSnapshot(t, plain), takeSnapshot(t, hinted)); diff != "" {
			t.Fatalf("hinted adds differ (-plain +hinted):\n%s", diff)
		}
		p, err := plain.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		h, err := hinted.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p, h) {
			t.Fatal("hinted tracker serialises differently from the plain one")
		}
	})
}
