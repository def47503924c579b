package tiering

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

func ev(typ qunops.EventType, member string, at time.Time, id string) qunops.Event {
	return qunops.Event{Type: typ, Group: "g", Member: member, Time: at, ID: id}
}

func TestTallyCounts(t *testing.T) {
	day := 24 * time.Hour
	join := ev(qunops.Join, "new", t0.Add(-2*day), "j1")
	join.Actor = "inviter"
	warnRule := ev(qunops.Warn, "bad", t0.Add(-day), "w1")
	warnRule.Actor = "rule:prohibited"
	warnAdmin := ev(qunops.Warn, "warned", t0.Add(-day), "w2")
	warnAdmin.Actor = "admin"
	claim := ev(qunops.Claim, "claimer", t0.Add(-day), "c1")
	claim.Item = "coupon"
	events := []qunops.Event{
		join, warnRule, warnAdmin, claim,
		ev(qunops.Message, "talker", t0.Add(-8*day), "m0"), // before the window: LastMessage only
		ev(qunops.Message, "talker", t0.Add(-day), "m1"),
		ev(qunops.Message, "talker", t0.Add(-day), "m1"),      // duplicate ID
		ev(qunops.Message, "talker", t0.Add(time.Hour), "m2"), // after now: ignored
		ev(qunops.Checkin, "talker", t0, "k1"),                // exactly now: counts
		{Type: qunops.Read, Group: "g", Member: "reader", Time: t0.Add(-day), Item: "news"},
		ev(qunops.Roster, "gone", t0.Add(-3*day), ""),
		ev(qunops.Leave, "gone", t0.Add(-day), ""),
	}
	tl, err := NewTally(Policy{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if err := tl.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	want := []Member{
		{"bad", Activity{Warnings: 1, Banned: true}},
		{"claimer", Activity{Claims: 1, Interactions: 1, LastClaim: t0.Add(-day)}},
		{"inviter", Activity{Invites: 1}},
		{"new", Activity{Joined: t0.Add(-2 * day)}},
		{"reader", Activity{}},
		{"talker", Activity{Messages: 1, Interactions: 2, LastMessage: t0.Add(-day)}},
		{"warned", Activity{Warnings: 1}},
	}
	if diff := cmp.Diff(want, tl.Members("g")); diff != "" {
		t.Errorf("Members (-want +got):\n%s", diff)
	}
	if tl.Ignored() != 1 {
		t.Errorf("Ignored() = %d, want 1", tl.Ignored())
	}
	wantCounts := Counts{Violator: 1, New: 1, Lurker: 3, Casual: 2}
	if got := tl.Counts("g"); got != wantCounts {
		t.Errorf("Counts = %v, want %v", got, wantCounts)
	}
	if got := tl.Roster("g").Counts(); got != wantCounts {
		t.Errorf("Roster.Counts = %v, want %v", got, wantCounts)
	}
}

func TestTallyRejectsBadEvent(t *testing.T) {
	tl, _ := NewTally(Policy{}, t0)
	bad := ev(qunops.Claim, "m", t0, "x") // a claim needs an Item
	if err := tl.Add(bad); err == nil || !strings.HasPrefix(err.Error(), "tiering: qunops: claim event: item") {
		t.Fatalf("Add(claim without item) = %v", err)
	}
	if len(tl.Groups()) != 0 {
		t.Errorf("a rejected event left a trace: groups %v", tl.Groups())
	}
	bad.Item = "coupon" // the same ID is not burnt by the rejection
	if err := tl.Add(bad); err != nil {
		t.Fatal(err)
	}
	if a, ok := tl.Activity("g", "m"); !ok || a.Claims != 1 {
		t.Errorf("after a fixed event: %+v, %v", a, ok)
	}
}

func TestTallyMergeErrors(t *testing.T) {
	a, _ := NewTally(Policy{}, t0)
	b, _ := NewTally(Policy{}, t0.Add(time.Hour))
	if err := a.Merge(b); err == nil {
		t.Error("merging tallies with different ends succeeded")
	}
	c, _ := NewTally(Policy{}, t0)
	_ = a.Add(ev(qunops.Message, "m", t0, "same"))
	_ = c.Add(ev(qunops.Message, "m", t0, "same"))
	_ = c.Add(ev(qunops.Message, "m", t0, "other"))
	// A tally keeps hashes of IDs, not the IDs, so the error counts them.
	if err := a.Merge(c); err == nil || err.Error() != "tiering: merge: 1 event ID was added to both tallies" {
		t.Errorf("Merge with a shared ID = %v", err)
	}
	if got, _ := a.Activity("g", "m"); got.Messages != 1 {
		t.Errorf("failed merge changed the tally: %d messages", got.Messages)
	}
}

// genEvents draws events of two groups and five members over 12 days
// around t0, with unique IDs or none; with reuse, some events share IDs
// with others (a source that reuses IDs for different events).
func genEvents(t *rapid.T, reuse bool) []qunops.Event {
	n := rapid.IntRange(0, 60).Draw(t, "n")
	out := make([]qunops.Event, n)
	for i := range out {
		out[i] = genEvent(t, fmt.Sprintf("id%d", i), reuse)
	}
	return out
}

// Places give the same instants in different locations.
var places = []*time.Location{shanghai, time.UTC, time.FixedZone("EST", -5*3600)}

// genEvent draws one event; id is its ID when it has a fresh one. Times
// fall on whole hours (many ties) or a nanosecond after.
func genEvent(t *rapid.T, id string, reuse bool) qunops.Event {
	types := []qunops.EventType{qunops.Join, qunops.Leave, qunops.Roster, qunops.Message, qunops.Read, qunops.Claim, qunops.Checkin, qunops.Warn}
	at := t0.Add(time.Duration(rapid.IntRange(-10*24, 2*24).Draw(t, "hour"))*time.Hour +
		time.Duration(rapid.IntRange(0, 1).Draw(t, "ns")))
	e := qunops.Event{
		Type:   rapid.SampledFrom(types).Draw(t, "type"),
		Group:  rapid.SampledFrom([]string{"g1", "g2"}).Draw(t, "group"),
		Member: fmt.Sprintf("m%d", rapid.IntRange(0, 4).Draw(t, "member")),
		Time:   at.In(rapid.SampledFrom(places).Draw(t, "place")),
	}
	switch {
	case reuse && rapid.Bool().Draw(t, "reused"):
		e.ID = fmt.Sprintf("id%d", rapid.IntRange(0, 5).Draw(t, "reused ID"))
	case rapid.Bool().Draw(t, "hasID"):
		e.ID = id
	}
	switch e.Type {
	case qunops.Read, qunops.Claim:
		e.Item = "perk"
	case qunops.Join:
		e.Actor = rapid.SampledFrom([]string{"", "m0", "m1", "m9"}).Draw(t, "inviter")
	case qunops.Warn:
		e.Actor = rapid.SampledFrom([]string{"admin", "rule:prohibited", "rule:ad"}).Draw(t, "warner")
	}
	return e
}

// modelMembers computes what Tally.Members and Tally.Ignored must return,
// the slow and obvious way. IDs dedupe the events after now and the events
// in the window that add to a count (an ID with the same facts: see
// eventKey); any other event only moves times forward, so it applies
// whatever its ID.
func modelMembers(events []qunops.Event, now time.Time, window time.Duration, group string) ([]Member, int) {
	seen := map[string]bool{}
	type st struct {
		a             Activity
		present, left time.Time
	}
	ms := map[string]*st{}
	get := func(m string) *st {
		if ms[m] == nil {
			ms[m] = &st{}
		}
		return ms[m]
	}
	ignored := 0
	for _, e := range events {
		in := now.Sub(e.Time) < window
		counting := e.Type == qunops.Message || e.Type == qunops.Claim || e.Type == qunops.Checkin ||
			e.Type == qunops.Warn || (e.Type == qunops.Join && e.Actor != "" && e.Actor != e.Member)
		if e.Time.After(now) || (in && counting) {
			// An ID dedupes the deliveries of one event: the same ID and
			// the same facts (what the tally reads); different events that
			// share an ID each count.
			key := fmt.Sprintf("%q %q %q %q %q %q %d %d", e.ID, e.Group, e.Type, e.Member, e.Actor, e.Item, e.Time.Unix(), e.Time.Nanosecond())
			if e.ID != "" && seen[key] {
				continue
			}
			if e.ID != "" {
				seen[key] = true
			}
		}
		if e.Time.After(now) {
			ignored++
			continue
		}
		if e.Group != group {
			continue
		}
		s := get(e.Member)
		if e.Type == qunops.Leave {
			s.left = later(s.left, e.Time)
			continue
		}
		s.present = later(s.present, e.Time)
		switch e.Type {
		case qunops.Join:
			s.a.Joined = later(s.a.Joined, e.Time)
			if e.Actor != "" && e.Actor != e.Member {
				inv := get(e.Actor)
				inv.present = later(inv.present, e.Time)
				if in {
					inv.a.Invites++
				}
			}
		case qunops.Message:
			s.a.LastMessage = later(s.a.LastMessage, e.Time)
			if in {
				s.a.Messages++
				s.a.Interactions++
			}
		case qunops.Claim:
			s.a.LastClaim = later(s.a.LastClaim, e.Time)
			if in {
				s.a.Claims++
				s.a.Interactions++
			}
		case qunops.Checkin:
			if in {
				s.a.Interactions++
			}
		case qunops.Warn:
			if in {
				s.a.Warnings++
				s.a.Banned = s.a.Banned || e.Actor == "rule:prohibited"
			}
		}
	}
	var out []Member
	for m, s := range ms {
		if s.present.After(s.left) {
			out = append(out, Member{m, s.a})
		}
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.ID, b.ID) })
	return out, ignored
}

func tallyOf(t *rapid.T, events []qunops.Event) *Tally {
	tl, err := NewTally(Policy{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if err := tl.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	return tl
}

func TestTallyMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t, true)
		tl := tallyOf(t, events)
		for _, g := range []string{"g1", "g2"} {
			want, ignored := modelMembers(events, t0, 7*24*time.Hour, g)
			if diff := cmp.Diff(want, tl.Members(g), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("group %s (-model +tally):\n%s", g, diff)
			}
			if tl.Ignored() != ignored {
				t.Fatalf("Ignored() = %d, model %d", tl.Ignored(), ignored)
			}
		}
	})
}

// TestTallyProperties checks that a tally does not depend on the order of
// events, on replaying them, or on how they were split into shards, and
// that every member gets exactly one tier.
func TestTallyProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t, false)
		whole := tallyOf(t, events)

		// Replaying every event that has an ID changes nothing (events
		// without an ID cannot be recognised, and count again).
		withID := slices.DeleteFunc(slices.Clone(events), func(e qunops.Event) bool { return e.ID == "" })
		replayed := tallyOf(t, append(slices.Clone(events), withID...))
		shuffled := slices.Clone(events)
		for i := len(shuffled) - 1; i > 0; i-- {
			j := rapid.IntRange(0, i).Draw(t, "swap")
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		}
		reordered := tallyOf(t, shuffled)

		shards := rapid.IntRange(1, 4).Draw(t, "shards")
		parts := make([][]qunops.Event, shards)
		for _, e := range events {
			k := rapid.IntRange(0, shards-1).Draw(t, "shard")
			parts[k] = append(parts[k], e)
		}
		merged := tallyOf(t, parts[0])
		for _, p := range parts[1:] {
			if err := merged.Merge(tallyOf(t, p)); err != nil {
				t.Fatal(err)
			}
		}
		for _, g := range []string{"g1", "g2"} {
			want := whole.Members(g)
			for name, other := range map[string]*Tally{"replayed": replayed, "reordered": reordered, "merged": merged} {
				if diff := cmp.Diff(want, other.Members(g), cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("%s, group %s (-whole +%s):\n%s", name, g, name, diff)
				}
			}
			r := whole.Roster(g)
			c := r.Counts()
			if c.Total() != len(want) || len(r.Entries) != len(want) {
				t.Fatalf("counts %v sum to %d, want %d members", c, c.Total(), len(want))
			}
			for _, e := range r.Entries {
				if !e.Tier.Valid() || e.Reason == "" {
					t.Fatalf("entry %+v has no valid tier or reason", e)
				}
			}
			if got := whole.Counts(g); got != c {
				t.Fatalf("Tally.Counts %v != Roster.Counts %v", got, c)
			}
		}
		for name, other := range map[string]*Tally{"replayed": replayed, "reordered": reordered, "merged": merged} {
			if whole.Ignored() != other.Ignored() {
				t.Fatalf("ignored %d, %s %d", whole.Ignored(), name, other.Ignored())
			}
		}
	})
}

// later returns the later of two times, for the model.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// sameTime compares times with ==: the same instant in the same location.
var sameTime = cmp.Comparer(func(a, b time.Time) bool { return a == b })

// TestTallyMachine runs a Tally against the model through adds (with IDs
// that repeat, for replays and for reused IDs), merges of shards that
// share no counted ID (which must succeed) and of a shard holding an
// already counted event (which must fail and change nothing). Times keep
// their locations: of equal instants, the first event taken gives it.
func TestTallyMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tl, err := NewTally(Policy{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		var log []qunops.Event // what the tally was given, in order
		fresh := 0
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				e := genEvent(t, fmt.Sprintf("a%d", fresh), true)
				fresh++
				if err := tl.Add(e); err != nil {
					t.Fatal(err)
				}
				log = append(log, e)
			},
			"merge": func(t *rapid.T) {
				shard, _ := NewTally(Policy{}, t0)
				var evs []qunops.Event
				for range rapid.IntRange(0, 5).Draw(t, "shard size") {
					e := genEvent(t, fmt.Sprintf("s%d", fresh), false)
					fresh++
					_ = shard.Add(e)
					evs = append(evs, e)
				}
				if err := tl.Merge(shard); err != nil {
					t.Fatalf("Merge of a shard with fresh IDs: %v", err)
				}
				log = append(log, evs...)
			},
			"merge a counted event": func(t *rapid.T) {
				var counted []qunops.Event
				for _, e := range log {
					if e.ID != "" && !e.Time.After(t0) && t0.Sub(e.Time) < 7*24*time.Hour && counts(&e) {
						counted = append(counted, e)
					}
				}
				if len(counted) == 0 {
					t.Skip("no counted event yet")
				}
				shard, _ := NewTally(Policy{}, t0)
				_ = shard.Add(rapid.SampledFrom(counted).Draw(t, "counted"))
				before := tl.Members("g1")
				if err := tl.Merge(shard); err == nil {
					t.Fatal("Merge of an already counted event succeeded")
				}
				if diff := cmp.Diff(before, tl.Members("g1"), sameTime); diff != "" {
					t.Fatalf("a failed merge changed the tally (-before +after):\n%s", diff)
				}
			},
			"": func(t *rapid.T) {
				for _, g := range []string{"g1", "g2"} {
					want, ignored := modelMembers(log, t0, 7*24*time.Hour, g)
					got := tl.Members(g)
					if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), sameTime); diff != "" {
						t.Fatalf("group %s (-model +tally):\n%s", g, diff)
					}
					if tl.Ignored() != ignored {
						t.Fatalf("Ignored() = %d, model %d", tl.Ignored(), ignored)
					}
					for _, m := range got {
						if a, ok := tl.Activity(g, m.ID); !ok || a != m.Activity {
							t.Fatalf("Activity(%s, %s) = %+v, %v; Members says %+v", g, m.ID, a, ok, m.Activity)
						}
					}
					if c := tl.Counts(g); c != tl.Roster(g).Counts() || c.Total() != len(got) {
						t.Fatalf("Counts %v, roster %v, %d members", c, tl.Roster(g).Counts(), len(got))
					}
				}
			},
		})
	})
}

// TestTallyTimesExact checks that the times a tally gives back are the
// event times exactly (instant and location), at the ends of the years a
// valid event may have and before 1970.
func TestTallyTimesExact(t *testing.T) {
	for _, tc := range []struct {
		name string
		at   time.Time
	}{
		{"year 0", time.Date(0, 1, 1, 0, 0, 0, 3, time.UTC)},
		{"year 9999", time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, shanghai)},
		{"before 1970", time.Date(1969, 12, 31, 23, 59, 59, 5, time.FixedZone("X", -90*60))},
		{"t0", t0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.at.Add(time.Hour)
			tl, err := NewTally(Policy{}, now)
			if err != nil {
				t.Fatal(err)
			}
			msg := ev(qunops.Message, "m", tc.at, "m1")
			earlier := ev(qunops.Message, "m", tc.at.Add(-1), "m0")
			join := ev(qunops.Join, "m", tc.at.Add(-2), "j")
			for _, e := range []qunops.Event{msg, earlier, join} {
				if err := tl.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			a, ok := tl.Activity("g", "m")
			if !ok || a.LastMessage != tc.at || a.Joined != tc.at.Add(-2) || a.Messages != 2 {
				t.Errorf("got %+v, %v; want LastMessage %v, Joined %v, 2 messages", a, ok, tc.at, tc.at.Add(-2))
			}
		})
	}
}
