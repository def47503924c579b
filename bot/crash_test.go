package bot

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
	"pgregory.net/rapid"
)

// randomStream draws a stream of events that reaches every rule of the
// test policy: joins and leaves, clean and offending messages, questions,
// reports and resolves, redeliveries of an earlier event (same ID) and
// stamps a few seconds to minutes apart.
func randomStream(t *rapid.T) []qunops.Event {
	members := []string{"amy", "bo", "cy", "spam", "adm1"}
	texts := []string{"hi", "加微信", "see t.cn/abc", "赌博", "几点?", "hi"}
	maxN := 50
	if raceEnabled {
		maxN = 12
	}
	n := rapid.IntRange(1, maxN).Draw(t, "events")
	now := at(8, 0, 0)
	var evs []qunops.Event
	for i := range n {
		if len(evs) > 0 && rapid.IntRange(0, 9).Draw(t, "redeliver") == 0 {
			evs = append(evs, evs[rapid.IntRange(0, len(evs)-1).Draw(t, "which")])
			continue
		}
		now = now.Add(time.Duration(rapid.IntRange(0, 240).Draw(t, "gap")) * time.Second)
		ev := qunops.Event{Group: rapid.SampledFrom([]string{"g1", "g2"}).Draw(t, "group"),
			Member: rapid.SampledFrom(members).Draw(t, "member"), Time: now, ID: fmt.Sprintf("e%d", i)}
		switch rapid.IntRange(0, 9).Draw(t, "type") {
		case 0:
			ev.Type, ev.Text = qunops.Join, ev.Member
		case 1:
			ev.Type = qunops.Leave
		case 2:
			ev.Type, ev.Actor = qunops.Report, "amy"
		case 3:
			ev.Type, ev.Actor = qunops.Resolve, "adm1"
		case 4:
			// A rename of the group: under the test policy's title lock, a
			// member's is set back (a Retitle); adm1's is recorded.
			ev.Type, ev.Text = qunops.Title, rapid.SampledFrom([]string{"读书会", "Bo的群", "see t.cn/abc"}).Draw(t, "title")
		default:
			ev.Type, ev.Text = qunops.Message, rapid.SampledFrom(texts).Draw(t, "text")
		}
		evs = append(evs, ev)
	}
	return evs
}

// Item 5: a runner killed after every k-th passage of a crash point and
// restarted from its directory ends in the state of an uninterrupted run
// and performs the same actions, but for one duplicate per kill between
// an action and its done marker (the documented in-flight duplicate).
func TestCrashRestart(t *testing.T) {
	var runs, kills, checks, dups, diffs atomic.Int64
	killsAt := map[string]*atomic.Int64{"journaled": {}, "performed": {}, "done": {}}
	rapid.Check(t, func(rt *rapid.T) {
		checks.Add(1)
		evs := randomStream(rt)
		every := rapid.IntRange(1, 8).Draw(rt, "snapshot_every")
		point := rapid.SampledFrom([]string{"journaled", "performed", "done"}).Draw(rt, "point")
		k := rapid.IntRange(1, 4).Draw(rt, "k")
		// The journal through its mapping (Linux) or through write calls
		// (elsewhere), and the crashed runs and the reference may differ.
		opts := Options{SnapshotEvery: every, SnapshotInterval: 24 * time.Hour, noSync: true,
			noMap: rapid.Bool().Draw(rt, "reference writes")}

		// The uninterrupted run.
		refDir, err := os.MkdirTemp(t.TempDir(), "ref")
		if err != nil {
			rt.Fatal(err)
		}
		c := &clock{}
		src := newSource(evs, 0, c)
		refSink := &sink{}
		if err := runUntilDrained(newTestRunner(t, refDir, src, refSink, c, opts), src); err != nil {
			rt.Fatal(err)
		}
		runs.Add(1)

		// The crashing runs, sharing one sink.
		dir, err := os.MkdirTemp(t.TempDir(), "crash")
		if err != nil {
			rt.Fatal(err)
		}
		snk := &sink{}
		var wantDup []rules.Action
		from := 0
		for restarts := 0; ; restarts++ {
			if restarts > 10*len(evs)+10 {
				rt.Fatalf("no progress after %d restarts", restarts)
			}
			c := &clock{}
			src := newSource(evs, from, c)
			seen := 0
			o := opts
			o.noMap = rapid.Bool().Draw(rt, "crashed run writes")
			o.crash = func(p string) bool {
				if p != point {
					return false
				}
				seen++
				return seen == k
			}
			r := newTestRunner(t, dir, src, snk, c, o)
			err := runUntilDrained(r, src)
			runs.Add(1)
			from += int(r.Stats().Events)
			if err == errCrashed {
				kills.Add(1)
				killsAt[point].Add(1)
				if point == "performed" {
					p := snk.performed()
					wantDup = append(wantDup, p[len(p)-1])
				}
				continue
			}
			if err != nil {
				rt.Fatal(err)
			}
			break
		}
		dups.Add(int64(len(wantDup)))
		if diff := cmp.Diff(string(snapshotBytes(t, refDir)), string(snapshotBytes(t, dir))); diff != "" {
			diffs.Add(1)
			rt.Fatalf("final state (-uninterrupted +crashed):\n%s", diff)
		}
		want := multiset(append(refSink.performed(), wantDup...))
		if diff := cmp.Diff(want, multiset(snk.performed())); diff != "" {
			diffs.Add(1)
			rt.Fatalf("actions (-uninterrupted+in-flight duplicates +crashed):\n%s", diff)
		}
	})
	t.Logf("%d streams, %d runner runs, %d kills (journaled %d, performed %d, done %d), %d in-flight duplicates, %d differences",
		checks.Load(), runs.Load(), kills.Load(), killsAt["journaled"].Load(), killsAt["performed"].Load(),
		killsAt["done"].Load(), dups.Load(), diffs.Load())
}
