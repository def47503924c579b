package metrics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// snapshot is everything a tracker answers about a log, for comparisons.
type snapshot struct {
	Days       map[string][]Day
	Retention  map[string][][]Cohort // per group: n = 0, 1, 3 × meanings
	Broadcasts map[string][]Broadcast
	Weekly     map[string]Week
	Quit       map[string]Ratio
}

func takeSnapshot(t *rapid.T, tr *Tracker) snapshot {
	s := snapshot{Days: map[string][]Day{}, Retention: map[string][][]Cohort{}, Broadcasts: map[string][]Broadcast{}, Weekly: map[string]Week{}, Quit: map[string]Ratio{}}
	for _, g := range []string{"g1", "g2"} {
		s.Days[g] = tr.Days(g)
		for _, n := range []int{0, 1, 3} {
			for _, m := range []Meaning{StillMember, SpokeOnDay, SpokeOnOrAfter} {
				c, err := tr.RetentionWith(g, n, Options{Retained: m})
				if err != nil {
					t.Fatal(err)
				}
				s.Retention[g] = append(s.Retention[g], c)
			}
		}
		b, err := tr.Broadcasts(g, Options{Muted: []string{"ed"}, Window: 36 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		s.Broadcasts[g] = b
		w, err := tr.Weekly(g, time.Date(2026, 3, 12, 12, 0, 0, 0, shanghai), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Weekly[g] = w
		q, err := tr.QuitRate(g, time.Date(2026, 3, 8, 0, 0, 0, 0, shanghai), time.Date(2026, 3, 20, 0, 0, 0, 0, shanghai), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Quit[g] = q
	}
	return s
}

func mustAdd(t *rapid.T, tr *Tracker, events ...qunops.Event) {
	for _, e := range events {
		if err := tr.Add(e); err != nil {
			t.Fatalf("add %+v: %v", e, err)
		}
	}
}

// Any permutation of a log, split over any number of trackers and merged in
// any order, answers exactly what one tracker fed the log in order answers.
func TestMergeAnySplitEqualsOneTracker(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genLoc().Draw(t, "loc")
		log := genLog(t)
		single := NewTracker(loc)
		mustAdd(t, single, log...)

		perm := rapid.Permutation(log).Draw(t, "perm")
		shards := make([]*Tracker, rapid.IntRange(1, 4).Draw(t, "shards"))
		for i := range shards {
			shards[i] = NewTracker(loc)
		}
		for _, e := range perm {
			mustAdd(t, shards[rapid.IntRange(0, len(shards)-1).Draw(t, "shard")], e)
		}
		// Merge in a random order into a random receiver.
		order := rapid.Permutation(shards).Draw(t, "mergeOrder")
		for _, s := range order[1:] {
			if err := order[0].Merge(s); err != nil {
				t.Fatal(err)
			}
		}
		want, got := takeSnapshot(t, single), takeSnapshot(t, order[0])
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("merged shards differ from one tracker (-want +got):\n%s", diff)
		}
	})
}

// Days and Retention agree with the naive model, and the invariants hold:
// Speakers <= Members, Retained <= Joined, and the period activity that
// Health reports is the ratio of the sums of the days.
func TestTrackerMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genLoc().Draw(t, "loc")
		log := genLog(t)
		tr, md := NewTracker(loc), newModel(loc)
		for _, e := range log {
			mustAdd(t, tr, e)
			if err := md.add(e); err != nil {
				t.Fatal(err)
			}
		}
		excl := rapid.SampledFrom([][]string{nil, {"ann"}, {"bo", "cy"}}).Draw(t, "exclude")
		for _, g := range []string{"g1", "g2"} {
			days, err := tr.DaysWith(g, Options{Exclude: excl})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(md.days(g, setOf(excl)), days); diff != "" {
				t.Fatalf("Days(%s) (-model +tracker):\n%s", g, diff)
			}
			for _, d := range days {
				if d.Speakers > d.Members {
					t.Fatalf("%s: speakers %d > members %d", d.Date, d.Speakers, d.Members)
				}
			}
			for _, n := range []int{0, 2, 7} {
				for _, m := range []Meaning{StillMember, SpokeOnDay, SpokeOnOrAfter} {
					got := tr.mustRetention(t, g, n, m)
					if diff := cmp.Diff(md.retention(g, n, m), got); diff != "" {
						t.Fatalf("Retention(%s, %d, %v) (-model +tracker):\n%s", g, n, m, diff)
					}
					for _, c := range got {
						if c.Retained > c.Joined {
							t.Fatalf("%s: retained %d > joined %d", c.Date, c.Retained, c.Joined)
						}
					}
				}
			}
			if len(days) == 0 {
				continue
			}
			vs, err := tr.Health(g, Service, days[0].Date, days[len(days)-1].Date, HealthOptions{Options: Options{Exclude: excl}})
			if err != nil {
				t.Fatal(err)
			}
			var sum Ratio
			for _, d := range days {
				sum.Num += int64(d.Speakers)
				sum.Den += int64(d.Members)
			}
			if vs[0].Metric != MetricActivity || vs[0].Value != sum {
				t.Fatalf("health activity %v, want the ratio of sums %v", vs[0], sum)
			}
		}
	})
}

func (tr *Tracker) mustRetention(t *rapid.T, g string, n int, m Meaning) []Cohort {
	c, err := tr.RetentionWith(g, n, Options{Retained: m})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A state machine: a Tracker under Add (new, duplicate and bad events),
// Merge and a round trip through its binary form, checked after every step
// against the model.
func TestTrackerStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genLoc().Draw(t, "loc")
		tr, md := NewTracker(loc), newModel(loc)
		var added []qunops.Event
		next := 0
		check := func(t *rapid.T) {
			for _, g := range []string{"g1", "g2"} {
				// cmp.Equal first: a Diff on every step is slow.
				if want, got := md.days(g, nil), tr.Days(g); !cmp.Equal(want, got) {
					t.Fatalf("Days(%s) (-model +tracker):\n%s", g, cmp.Diff(want, got))
				}
				if want, got := md.retention(g, 1, StillMember), tr.Retention(g, 1); !cmp.Equal(want, got) {
					t.Fatalf("Retention(%s, 1) (-model +tracker):\n%s", g, cmp.Diff(want, got))
				}
			}
			if got, want := tr.Len(), len(md.ids); got != want {
				t.Fatalf("Len() = %d, want %d", got, want)
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				next++
				e := genEvent(t, next)
				mustAdd(t, tr, e)
				_ = md.add(e)
				added = append(added, e)
			},
			"addDuplicate": func(t *rapid.T) {
				if len(added) == 0 {
					t.Skip("nothing added yet")
				}
				e := rapid.SampledFrom(added).Draw(t, "dup")
				if e.ID == "" {
					t.Skip("no ID to repeat")
				}
				// A second delivery of the same event, with another text,
				// actor and UTC offset: ignored.
				e.Text, e.Actor = "又一次", "bot"
				e.Time = e.Time.In(time.FixedZone("other", -5*3600))
				mustAdd(t, tr, e)
				if err := md.add(e); err != nil {
					t.Fatal(err)
				}
			},
			"addCollision": func(t *rapid.T) {
				if len(added) == 0 {
					t.Skip("nothing added yet")
				}
				// Another event under an ID already added (a broken or
				// hostile export): it counts too (see eventKey).
				old := rapid.SampledFrom(added).Draw(t, "old")
				if old.ID == "" {
					t.Skip("no ID to reuse")
				}
				next++
				e := genEvent(t, next)
				e.Group, e.ID = old.Group, old.ID
				mustAdd(t, tr, e)
				_ = md.add(e)
				added = append(added, e)
			},
			"addBad": func(t *rapid.T) {
				next++
				e := genEvent(t, next)
				switch rapid.IntRange(0, 3).Draw(t, "how") {
				case 0:
					e.Member = ""
				case 1:
					e.Time = time.Time{}
				case 2:
					e.Type = "shout"
				case 3:
					e.Group = "\xff"
				}
				if err := tr.Add(e); err == nil {
					t.Fatalf("Add(%+v) accepted a bad event", e)
				}
			},
			"binary": func(t *rapid.T) {
				// Shipped through the binary form, the tracker goes on as
				// before: same answers, same IDs seen.
				tr = binaryRoundTrip(t, tr, loc)
			},
			"merge": func(t *rapid.T) {
				o := NewTracker(loc)
				for range rapid.IntRange(0, 5).Draw(t, "n") {
					next++
					e := genEvent(t, next)
					if len(added) > 0 && rapid.Bool().Draw(t, "old") {
						e = rapid.SampledFrom(added).Draw(t, "oldEvent")
					}
					mustAdd(t, o, e)
					_ = md.add(e)
					added = append(added, e)
				}
				if err := tr.Merge(o); err != nil {
					t.Fatal(err)
				}
			},
			"": check,
		})
	})
}

// Add holds events back in a queue of queueLen (see Tracker.flush). Logs
// several queues long, with repeats of earlier IDs both inside one queue and
// across queues, and reads at random points, answer what a tracker that
// applies every event at once answers, and what the model answers.
func TestQueuedAddsEqualImmediateOnes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		queued, direct, md := NewTracker(shanghai), NewTracker(shanghai), newModel(shanghai)
		var log []qunops.Event
		for i := range rapid.IntRange(queueLen/2, 3*queueLen).Draw(t, "events") {
			e := genEvent(t, i)
			if len(log) > 0 && rapid.IntRange(0, 3).Draw(t, "repeat") == 0 {
				e = log[rapid.IntRange(0, len(log)-1).Draw(t, "which")]
				if rapid.Bool().Draw(t, "changed") {
					// The same ID with other content: still ignored.
					e.Type, e.Item, e.Member = qunops.Message, "", "zed"
				}
			}
			log = append(log, e)
			mustAdd(t, queued, e)
			mustAdd(t, direct, e)
			direct.flush()
			_ = md.add(e)
			if len(direct.queue) != 0 {
				t.Fatal("flush left events in the queue")
			}
			if rapid.IntRange(0, 99).Draw(t, "read") == 0 {
				if got, want := queued.Len(), direct.Len(); got != want {
					t.Fatalf("after %d events: Len = %d, want %d", len(log), got, want)
				}
			}
		}
		if diff := cmp.Diff(takeSnapshot(t, direct), takeSnapshot(t, queued)); diff != "" {
			t.Fatalf("queued adds differ from immediate ones (-immediate +queued):\n%s", diff)
		}
		for _, g := range []string{"g1", "g2"} {
			if diff := cmp.Diff(md.days(g, nil), queued.Days(g)); diff != "" {
				t.Fatalf("Days(%s) (-model +tracker):\n%s", g, diff)
			}
		}
		if got, want := queued.Len(), len(md.ids); got != want {
			t.Fatalf("Len = %d, want %d", got, want)
		}
	})
}

// genCollidingLog draws a log whose events take their IDs from a pool of
// three, so that different events often share an ID (a broken or hostile
// export), with second deliveries of earlier events (the same facts under
// another text, actor and UTC offset) mixed in.
func genCollidingLog(t *rapid.T) []qunops.Event {
	n := rapid.IntRange(0, 40).Draw(t, "events")
	var log []qunops.Event
	for i := range n {
		if len(log) > 0 && rapid.IntRange(0, 5).Draw(t, "redeliver") == 0 {
			e := log[rapid.IntRange(0, len(log)-1).Draw(t, "which")]
			e.Text, e.Actor = "再发一次", "relay"
			e.Time = e.Time.In(time.FixedZone("relay", rapid.IntRange(-12, 14).Draw(t, "relayOffset")*3600))
			log = append(log, e)
			continue
		}
		e := genEvent(t, i)
		if e.ID != "" {
			e.ID = rapid.SampledFrom([]string{"id:a", "id:b", "id:c"}).Draw(t, "sharedID")
		}
		log = append(log, e)
	}
	return log
}

// Issue 18, item 3: a log in which different events share IDs, split over
// shards in any way, each shard shipped through its binary form or not, and
// merged in any order, answers exactly what one tracker fed the log in
// order answers. Under the old rule ("the first event added with an ID
// wins") a shard could not undo an event that another shard's earlier event
// with the same ID overrode, so a day's members and speakers could differ.
func TestMergeExactWhenDifferentEventsShareAnID(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genLoc().Draw(t, "loc")
		log := genCollidingLog(t)
		single := NewTracker(loc)
		mustAdd(t, single, log...)

		shards := make([]*Tracker, rapid.IntRange(2, 4).Draw(t, "shards"))
		for i := range shards {
			shards[i] = NewTracker(loc)
		}
		for _, e := range rapid.Permutation(log).Draw(t, "perm") {
			mustAdd(t, shards[rapid.IntRange(0, len(shards)-1).Draw(t, "shard")], e)
		}
		for i := range shards {
			if rapid.Bool().Draw(t, "ship") {
				shards[i] = binaryRoundTrip(t, shards[i], loc)
			}
		}
		order := rapid.Permutation(shards).Draw(t, "mergeOrder")
		for _, s := range order[1:] {
			if err := order[0].Merge(s); err != nil {
				t.Fatal(err)
			}
		}
		want, got := takeSnapshot(t, single), takeSnapshot(t, order[0])
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("merged shards differ from one tracker (-want +got):\n%s", diff)
		}
		if single.Len() != order[0].Len() {
			t.Fatalf("Len: one tracker %d, merged shards %d", single.Len(), order[0].Len())
		}
		// The merged tracker, shipped once more, still answers the same.
		if diff := cmp.Diff(want, takeSnapshot(t, binaryRoundTrip(t, order[0], loc))); diff != "" {
			t.Fatalf("round trip of the merge differs (-want +got):\n%s", diff)
		}
	})
}
