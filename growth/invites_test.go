package growth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

var shanghai = time.FixedZone("CST", 8*3600)

// at returns 2026-03-DD HH:00 in Shanghai.
func at(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, shanghai) }

func ev(typ qunops.EventType, group, member string, t time.Time, actor string) qunops.Event {
	return qunops.Event{Type: typ, Group: group, Member: member, Time: t, Actor: actor}
}

// Issue 22: the exposed population is every member present in the window,
// zero-invite members included; invites are the window's joins credited
// to their Actor.
func TestInviteCounterWindow(t *testing.T) {
	const g = "g1@chatroom"
	events := []qunops.Event{
		ev(qunops.Roster, g, "a", at(1, 0), ""),  // present before the window: exposed
		ev(qunops.Roster, g, "b", at(1, 0), ""),  // present, then left before the window
		ev(qunops.Leave, g, "b", at(1, 12), ""),  //
		ev(qunops.Roster, g, "c", at(1, 0), ""),  // left and came back before: exposed
		ev(qunops.Leave, g, "c", at(1, 12), ""),  //
		ev(qunops.Join, g, "c", at(1, 13), ""),   //
		ev(qunops.Message, g, "d", at(1, 9), ""), // a message before: exposed
		ev(qunops.Leave, g, "e", at(1, 9), ""),   // a leave at the same instant as a message: out
		ev(qunops.Message, g, "e", at(1, 9), ""), //
		ev(qunops.Join, g, "n1", at(3, 9), "a"),  // a brings n1, n2, n3
		ev(qunops.Join, g, "n2", at(3, 9), "a"),
		ev(qunops.Join, g, "n3", at(4, 9), "a"),
		ev(qunops.Join, g, "n3", at(4, 10), "a"), // a retried event: not a fourth invite
		ev(qunops.Join, g, "n4", at(4, 9), "n1"), // a newcomer invites in the window
		ev(qunops.Join, g, "n5", at(5, 9), "x"),  // x appears only as an inviter
		ev(qunops.Join, g, "n6", at(5, 9), "n6"), // a joiner who is their own actor: no inviter
		ev(qunops.Join, g, "n7", at(5, 9), ""),   // no inviter known
		ev(qunops.Join, g, "n8", at(9, 9), "a"),  // after the window: not counted, n8 not exposed
		ev(qunops.Join, g, "n0", at(1, 9), "d"),  // before the window: not an invite in it
		ev(qunops.Message, "g2", "z", at(3, 9), ""),
	}
	c, err := NewInviteCounter(at(2, 0), at(8, 0))
	if err != nil {
		t.Fatal(err)
	}
	// Any order: reverse them.
	for i := len(events) - 1; i >= 0; i-- {
		if err := c.Add(events[i]); err != nil {
			t.Fatal(err)
		}
	}
	got := c.Groups()
	want := []Invites{
		// Exposed: a(3), c, d, n0, n1(1), n2, n3, n4, x(1), n5, n6, n7:
		// 12 members, of whom 9 with 0, 2 with 1 and 1 with 3.
		// Joins: the 8 join events in the window, the retry included;
		// invited: n1 to n5.
		{Group: g, Counts: Counts{9, 2, 0, 1}, Joins: 8, Invited: 5, Outsiders: 1},
		{Group: "g2", Counts: Counts{1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Groups() (-want +got):\n%s", diff)
	}
	total := c.Total()
	if diff := cmp.Diff(Invites{Counts: Counts{10, 2, 0, 1}, Joins: 8, Invited: 5, Outsiders: 1}, total); diff != "" {
		t.Errorf("Total() (-want +got):\n%s", diff)
	}
	// The open window: n0 and n8 are now invites too, and b, e and n8 are
	// exposed (present at some moment): 15 members, 7 invites.
	open, _ := NewInviteCounter(time.Time{}, time.Time{})
	for _, e := range events {
		if err := open.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if g1 := open.Groups()[0]; g1.Counts.N() != 15 || g1.Counts.Total() != 7 || g1.Invited != 7 {
		t.Errorf("open window: %+v", g1)
	}
}

// An inviter first seen as an inviter and later with an event of their own
// is not an outsider; one seen before the window is not either.
func TestInviteCounterOutsiders(t *testing.T) {
	c, _ := NewInviteCounter(at(2, 0), time.Time{})
	for _, e := range []qunops.Event{
		ev(qunops.Join, "g", "n1", at(3, 9), "x"),
		ev(qunops.Message, "g", "x", at(4, 9), ""),
		ev(qunops.Join, "g", "n2", at(3, 9), "y"),
		ev(qunops.Roster, "g", "y", at(1, 9), ""),
		ev(qunops.Join, "g", "n3", at(3, 9), "w"),
	} {
		if err := c.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if g := c.Groups()[0]; g.Outsiders != 1 || g.Counts.N() != 6 {
		t.Errorf("%+v: want one outsider (w) of 6 exposed", g)
	}
}

func TestInviteCounterErrors(t *testing.T) {
	if _, err := NewInviteCounter(at(3, 0), at(3, 0)); err == nil || !strings.Contains(err.Error(), "not after its start") {
		t.Errorf("empty window: %v", err)
	}
	c, _ := NewInviteCounter(time.Time{}, time.Time{})
	err := c.Add(qunops.Event{Type: qunops.Join, Group: "g", Time: at(3, 0)})
	if err == nil || !strings.HasPrefix(err.Error(), "growth: invite counter: qunops: join event: member is empty") {
		t.Errorf("bad event: %v", err)
	}
	if g := c.Groups(); len(g) != 0 {
		t.Errorf("a bad event left %+v", g)
	}
}

// The counts of a simulated referral log are exactly the invites drawn:
// every member of the log is exposed, and each brought what the law drew.
func TestInviteCounterMatchesDraws(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 3))
		law := NegBinomial{R: rapid.Float64Range(0, 3).Draw(t, "r"), K: 0.7}
		n := rapid.IntRange(1, 300).Draw(t, "members")
		c, _ := NewInviteCounter(at(2, 0), at(30, 0))
		var drawn []int
		var log []qunops.Event
		next := 0
		for i := range n {
			m := fmt.Sprintf("m%d", i)
			log = append(log, ev(qunops.Roster, "g", m, at(1, 8), ""))
			k := law.Sample(r)
			drawn = append(drawn, k)
			for range k {
				next++
				log = append(log, ev(qunops.Join, "g", fmt.Sprintf("new%d", next), at(2+next%27, 9), m))
			}
		}
		rand.New(rand.NewPCG(1, 1)).Shuffle(len(log), func(i, j int) { log[i], log[j] = log[j], log[i] })
		for _, e := range log {
			if err := c.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		want, _ := CountsOf(append(drawn, make([]int, next)...)) // newcomers invited nobody
		got := c.Total().Counts
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("counts (-want +got):\n%s", diff)
		}
	})
}

// modelInvites recomputes what an InviteCounter reports from all the
// events at once, by the rules of its documentation, the plain way.
func modelInvites(evs []qunops.Event, from, to time.Time) []Invites {
	inWin := func(t time.Time) bool { return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to)) }
	type key struct{ g, m string }
	seen := map[key]bool{}    // an event of their own before the window's end
	present := map[key]bool{} // exposed
	last := map[key]time.Time{}
	for _, e := range evs {
		k := key{e.Group, e.Member}
		if !to.IsZero() && !e.Time.Before(to) {
			continue
		}
		seen[k] = true
		if inWin(e.Time) {
			present[k] = true
		} else if t, ok := last[k]; !ok || e.Time.After(t) {
			last[k] = e.Time
		}
	}
	for k, t := range last {
		out := false
		for _, e := range evs {
			if (key{e.Group, e.Member}) == k && e.Time.Equal(t) && e.Type == qunops.Leave {
				out = true
			}
		}
		if !out {
			present[k] = true
		}
	}
	type credit struct {
		at    time.Time
		actor string
	}
	first := map[key]credit{}
	joins := map[string]int{}
	actors := map[key]bool{}
	for _, e := range evs {
		if e.Type != qunops.Join || !inWin(e.Time) {
			continue
		}
		joins[e.Group]++
		if e.Actor == "" || e.Actor == e.Member {
			continue
		}
		actors[key{e.Group, e.Actor}] = true
		present[key{e.Group, e.Actor}] = true
		k := key{e.Group, e.Member}
		c, ok := first[k]
		if !ok || e.Time.Before(c.at) || e.Time.Equal(c.at) && e.Actor < c.actor {
			first[k] = credit{e.Time, e.Actor}
		}
	}
	invites := map[key]int{}
	invited := map[string]int{}
	for k, c := range first {
		invites[key{k.g, c.actor}]++
		invited[k.g]++
	}
	groups := map[string]*Invites{}
	for k := range seen {
		if groups[k.g] == nil {
			groups[k.g] = &Invites{Group: k.g}
		}
	}
	for k := range actors {
		if groups[k.g] == nil {
			groups[k.g] = &Invites{Group: k.g}
		}
	}
	for k := range present {
		g := groups[k.g]
		for len(g.Counts) <= invites[k] {
			g.Counts = append(g.Counts, 0)
		}
		g.Counts[invites[k]]++
		if !seen[k] {
			g.Outsiders++
		}
	}
	var out []Invites
	for id, g := range groups {
		g.Joins, g.Invited = joins[id], invited[id]
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Invites) int { return strings.Compare(a.Group, b.Group) })
	return out
}

// A state-machine test: after every Add, in any order, the counter agrees
// with the model recomputed from the events so far, whatever the window
// (closed, open on either side), with ties, rejoins, retries, leaves and
// inviters who appear only as inviters.
func TestInviteCounterModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var from, to time.Time
		if rapid.Bool().Draw(t, "from set") {
			from = at(3, 0)
		}
		if rapid.Bool().Draw(t, "to set") {
			to = at(5, 0)
		}
		c, err := NewInviteCounter(from, to)
		if err != nil {
			t.Fatal(err)
		}
		people := []string{"a", "b", "c", "d", "x"}
		var evs []qunops.Event
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				e := qunops.Event{
					Type:   rapid.SampledFrom([]qunops.EventType{qunops.Roster, qunops.Join, qunops.Join, qunops.Leave, qunops.Message}).Draw(t, "type"),
					Group:  rapid.SampledFrom([]string{"g1", "g2"}).Draw(t, "group"),
					Member: rapid.SampledFrom(people[:4]).Draw(t, "member"),
					Time:   at(rapid.IntRange(1, 6).Draw(t, "day"), 12*rapid.IntRange(0, 1).Draw(t, "half")),
				}
				if e.Type == qunops.Join {
					e.Actor = rapid.SampledFrom(append(people, "")).Draw(t, "actor")
				}
				if err := c.Add(e); err != nil {
					t.Fatal(err)
				}
				evs = append(evs, e)
			},
			"": func(t *rapid.T) {
				if diff := cmp.Diff(modelInvites(evs, from, to), c.Groups(), cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("after %d events (-model +counter):\n%s", len(evs), diff)
				}
			},
		})
	})
}
