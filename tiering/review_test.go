package tiering

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

const day = 24 * time.Hour

func active(n int) Activity  { return Activity{Messages: 1, Interactions: n} }
func core(msgs int) Activity { return Activity{Messages: msgs, Interactions: msgs} }

// TestReviewerHysteresisF36 follows one member through the cases of the
// monthly review (seed F36): promotion at once, demotion only at a review,
// below the margin and after the grace period.
func TestReviewerHysteresisF36(t *testing.T) {
	type step struct {
		at     time.Duration // after t0
		a      Activity
		review bool
		want   Tier
		kind   ChangeKind // 0: no change
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"promotion at once", []step{
			{0, active(1), false, Casual, Arrival},
			{day, core(6), false, Core, Promotion},
		}},
		{"no demotion outside a review", []step{
			{0, core(6), false, Core, Arrival},
			{40 * day, Activity{}, false, Core, 0},
		}},
		{"demotion at a review after grace", []step{
			{0, core(6), false, Core, Arrival},
			{30 * day, active(2), true, Casual, Demotion},
		}},
		{"margin keeps core at 5 messages (90% of 6 rounded down)", []step{
			{0, core(6), false, Core, Arrival},
			{30 * day, core(5), true, Core, 0},
		}},
		{"margin keeps core at 2 invites (90% of 3 rounded down)", []step{
			{0, core(6), false, Core, Arrival},
			{30 * day, Activity{Invites: 2}, true, Core, 0},
		}},
		{"below core margin but within active margin goes to active", []step{
			{0, core(6), false, Core, Arrival},
			{30 * day, Activity{Messages: 1, Interactions: 3}, true, Active, Demotion},
		}},
		{"margin keeps active at 3 interactions (90% of 4 rounded down)", []step{
			{0, active(4), false, Active, Arrival},
			{30 * day, active(3), true, Active, 0},
		}},
		{"active at 2 interactions is demoted", []step{
			{0, active(4), false, Active, Arrival},
			{30 * day, active(2), true, Casual, Demotion},
		}},
		{"no demotion within grace of a promotion", []step{
			{0, active(1), false, Casual, Arrival},
			{day, core(6), false, Core, Promotion},
			{day + 13*day, Activity{}, true, Core, 0},
			{day + 14*day, Activity{}, true, Lurker, Demotion},
		}},
		{"casual drops to lurker at a review", []step{
			{0, active(1), false, Casual, Arrival},
			{30 * day, Activity{}, true, Lurker, Demotion},
		}},
		{"violator at once, within grace, and sticky", []step{
			{0, active(1), false, Casual, Arrival},
			{day, core(6), false, Core, Promotion},
			{2 * day, Activity{Warnings: 2}, false, Violator, Demotion},
			{40 * day, core(9), true, Violator, 0},
		}},
		{"new ends at once when tenure reaches the window", []step{
			{0, Activity{Joined: t0}, false, New, Arrival},
			{6 * day, Activity{Joined: t0}, false, New, 0},
			{7 * day, Activity{Joined: t0}, false, Lurker, Demotion},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReviewer(Policy{})
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tc.steps {
				now := t0.Add(s.at)
				var cs []Change
				if s.review {
					cs = r.Review([]Member{{"m", s.a}}, now)
				} else {
					cs = r.Observe([]Member{{"m", s.a}}, now)
				}
				got, _ := r.Tier("m")
				if got != s.want {
					t.Fatalf("step %d: tier %v, want %v (changes %v)", i, got, s.want, cs)
				}
				switch {
				case s.kind == 0 && len(cs) != 0:
					t.Fatalf("step %d: changes %v, want none", i, cs)
				case s.kind != 0 && (len(cs) != 1 || cs[0].Kind != s.kind || cs[0].To != s.want):
					t.Fatalf("step %d: changes %v, want one %v to %v", i, cs, s.kind, s.want)
				}
			}
		})
	}
}

func TestReviewerPinAndDeparture(t *testing.T) {
	r, _ := NewReviewer(Policy{})
	if _, err := r.Pin("admin", Core, t0); err != nil {
		t.Fatal(err)
	}
	cs := r.Observe([]Member{{"admin", Activity{}}, {"bad", Activity{Warnings: 2}}}, t0)
	want := []Change{
		{Member: "admin", Kind: Arrival, To: Core, At: t0, Reason: "arrival: pinned as core"},
		{Member: "bad", Kind: Arrival, To: Violator, At: t0, Reason: "violator: 2 warnings in 7 days >= 2 (F34)"},
	}
	if diff := cmp.Diff(want, cs); diff != "" {
		t.Fatalf("arrivals (-want +got):\n%s", diff)
	}
	// Both leave; both are kept: the pin and the violator's ID (F34).
	cs = r.Review(nil, t0.Add(40*day))
	if len(cs) != 2 || cs[0].Kind != Departure || cs[1].Kind != Departure {
		t.Fatalf("departures: %v", cs)
	}
	if tier, ok := r.Tier("bad"); !ok || tier != Violator {
		t.Fatalf("violator forgotten after leaving: %v %v", tier, ok)
	}
	cs = r.Observe([]Member{{"bad", Activity{}}}, t0.Add(41*day))
	if len(cs) != 1 || cs[0].To != Violator || cs[0].Kind != Arrival {
		t.Fatalf("returning violator: %v", cs)
	}
	// An operator's pin is the way out of Violator.
	cs, err := r.Pin("bad", Casual, t0.Add(42*day))
	if err != nil || len(cs) != 1 || cs[0].Kind != Promotion {
		t.Fatalf("pin out of violator: %v %v", cs, err)
	}
	if !r.Unpin("bad") || r.Unpin("bad") {
		t.Fatal("Unpin should report true once")
	}
	if _, err := r.Pin("x", Tier(9), t0); err == nil {
		t.Fatal("pinning an invalid tier succeeded")
	}
}

// TestReviewerStateMachine drives a Reviewer with random observations,
// reviews, pins and JSON round trips, and checks its invariants against a
// model of what it promised.
func TestReviewerStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, _ := NewReviewer(Policy{})
		now := t0
		ids := []string{"a", "b", "c", "d"}
		pinned := map[string]Tier{}
		genMembers := func(t *rapid.T) []Member {
			var ms []Member
			for _, id := range ids {
				if rapid.IntRange(0, 4).Draw(t, "absent") == 0 {
					continue
				}
				a := Activity{
					Messages: rapid.IntRange(0, 8).Draw(t, "msgs"),
					Invites:  rapid.IntRange(0, 3).Draw(t, "invites"),
					Warnings: rapid.IntRange(0, 2).Draw(t, "warnings") / 2,
				}
				a.Interactions = a.Messages + rapid.IntRange(0, 3).Draw(t, "checkins")
				if rapid.Bool().Draw(t, "recent") {
					a.Joined = now.Add(-time.Duration(rapid.IntRange(0, 9).Draw(t, "age")) * day)
				}
				ms = append(ms, Member{id, a})
			}
			return ms
		}
		check := func(t *rapid.T, cs []Change, review bool) {
			for _, c := range cs {
				if c.Kind == Demotion && c.To != Violator && c.From != New && !review {
					t.Fatalf("demotion outside a review: %v", c)
				}
				if tier, ok := pinned[c.Member]; ok && c.Kind != Arrival && c.Kind != Departure && c.To != tier {
					t.Fatalf("pinned member %s changed: %v", c.Member, c)
				}
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"observe": func(t *rapid.T) {
				now = now.Add(time.Duration(rapid.IntRange(0, 10).Draw(t, "days")) * day)
				check(t, r.Observe(genMembers(t), now), false)
			},
			"review": func(t *rapid.T) {
				now = now.Add(time.Duration(rapid.IntRange(0, 40).Draw(t, "days")) * day)
				ms := genMembers(t)
				before := map[string]*reviewState{}
				for id, s := range r.members {
					c := *s
					before[id] = &c
				}
				cs := r.Review(ms, now)
				check(t, cs, true)
				for _, c := range cs {
					if c.Kind != Demotion || c.To == Violator || c.From == New {
						continue
					}
					if b := before[c.Member]; b != nil && !b.Promoted.IsZero() && now.Sub(b.Promoted) < 14*day {
						t.Fatalf("demoted within grace: promoted %v, %v", b.Promoted, c)
					}
				}
			},
			"pin": func(t *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(t, "id")
				tier := rapid.SampledFrom(Tiers()).Draw(t, "tier")
				if _, err := r.Pin(id, tier, now); err != nil {
					t.Fatal(err)
				}
				pinned[id] = tier
			},
			"unpin": func(t *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(t, "id")
				_, was := pinned[id]
				if r.Unpin(id) != was {
					t.Fatalf("Unpin(%s) disagrees with model pinned=%v", id, was)
				}
				delete(pinned, id)
			},
			"json": func(t *rapid.T) {
				b, err := json.Marshal(r)
				if err != nil {
					t.Fatal(err)
				}
				var back Reviewer
				if err := json.Unmarshal(b, &back); err != nil {
					t.Fatal(err)
				}
				b2, _ := json.Marshal(&back)
				if string(b) != string(b2) {
					t.Fatalf("JSON does not round-trip:\n%s\n%s", b, b2)
				}
				r = &back
			},
			"": func(t *rapid.T) {
				for id, tier := range pinned {
					if got, ok := r.Tier(id); !ok || got != tier {
						t.Fatalf("pinned %s: tier %v %v, want %v", id, got, ok, tier)
					}
				}
				for id, s := range r.members {
					if !s.Tier.Valid() {
						t.Fatalf("%s has tier %v", id, s.Tier)
					}
				}
				ro := r.Roster(now)
				if ro.Counts().Total() != len(ro.Entries) {
					t.Fatal(fmt.Sprint("roster counts ", ro.Counts(), " != ", len(ro.Entries)))
				}
			},
		})
	})
}

// A member listed twice counts once, with the first entry's activity: the
// repeat is skipped, not applied on top.
func TestReviewerRepeatedIDFirstCounts(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	r, err := NewReviewer(DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	// Applied, the repeat would promote ann at once.
	got := r.Observe([]Member{{"ann", active(1)}, {"bo", active(1)}, {"ann", core(6)}}, t0)
	r2, _ := NewReviewer(DefaultPolicy())
	once := r2.Observe([]Member{{"ann", active(1)}, {"bo", active(1)}}, t0)
	if diff := cmp.Diff(once, got); diff != "" {
		t.Fatalf("a repeated ID changed the result (-once +repeated):\n%s", diff)
	}
	if len(got) != 2 || got[0].To != Casual {
		t.Fatalf("changes %+v, want ann's arrival as casual and bo's", got)
	}
}
