package metrics

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// broadcastsByMember is Broadcasts as it was before issue 18: every member
// asked about every item with member.inAt, O(items × members). It is the
// reference of TestBroadcastsSweepMatchesPerMember.
func (t *Tracker) broadcastsByMember(group string, o Options) []Broadcast {
	g := t.lookup(group)
	if g == nil {
		return nil
	}
	excl, muted := g.bitset(o.Exclude), g.bitset(o.Muted)
	window := o.window()
	pre, recipient := make([]bool, len(g.members)), make([]bool, len(g.members))
	for mi := range g.members {
		pre[mi] = g.preLog(int32(mi))
	}
	var out []Broadcast
	for name, it := range g.items {
		if !it.hasSent {
			continue
		}
		sent := time.Unix(it.sent.sec, int64(it.sent.nsec)).In(t.Location())
		deadline := instantOf(sent.Add(window))
		b := Broadcast{Item: name, Sent: sent}
		for mi := range g.members {
			recipient[mi] = !has(excl, int32(mi)) && g.members[mi].inAt(it.sent, pre[mi])
			if !recipient[mi] {
				continue
			}
			b.Recipients++
			if has(muted, int32(mi)) {
				b.Muted++
			} else if it.isReader(int32(mi)) {
				b.Readers++
			}
		}
		for mi, cs := range it.claims {
			if !recipient[mi] {
				continue
			}
			for _, at := range cs.ats {
				if !at.less(it.sent) && !deadline.less(at) {
					b.Responders++
					break
				}
			}
		}
		b.Reach, _ = ReachRate(b.Readers, b.Recipients, b.Muted)
		b.Response, _ = ResponseRate(b.Responders, b.Recipients)
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Broadcast) int {
		if c := a.Sent.Compare(b.Sent); c != 0 {
			return c
		}
		return cmp.Compare(a.Item, b.Item)
	})
	return out
}

// TestBroadcastsSweepMatchesPerMember: for any log of joins, leaves,
// messages (some broadcasting items), reads and claims, many of them at one
// instant, Broadcasts' sweep gives what asking every member about every item
// gives, with members excluded and muted.
func TestBroadcastsSweepMatchesPerMember(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		members := rapid.IntRange(1, 12).Draw(t, "members")
		types := []qunops.EventType{qunops.Join, qunops.Leave, qunops.Message, qunops.Read, qunops.Claim, qunops.Checkin}
		tr := NewTracker(nil)
		for i, n := 0, rapid.IntRange(0, 80).Draw(t, "events"); i < n; i++ {
			e := qunops.Event{
				Type:   rapid.SampledFrom(types).Draw(t, "type"),
				Group:  "g",
				Member: fmt.Sprintf("m%d", rapid.IntRange(0, members-1).Draw(t, "member")),
				Time:   t0.Add(time.Duration(rapid.IntRange(0, 8).Draw(t, "hour")) * time.Hour),
			}
			item := fmt.Sprintf("it%d", rapid.IntRange(0, 3).Draw(t, "item"))
			switch e.Type {
			case qunops.Message:
				if rapid.Bool().Draw(t, "broadcast") {
					e.Item = item
				}
				e.Text = "hi"
			case qunops.Read, qunops.Claim:
				e.Item = item
			}
			if err := tr.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		var o Options
		for mi := range members {
			switch rapid.IntRange(0, 3).Draw(t, "role") {
			case 0:
				o.Exclude = append(o.Exclude, fmt.Sprintf("m%d", mi))
			case 1:
				o.Muted = append(o.Muted, fmt.Sprintf("m%d", mi))
			}
		}
		o.Window = time.Duration(rapid.IntRange(1, 6).Draw(t, "window")) * time.Hour
		got, err := tr.Broadcasts("g", o)
		if err != nil {
			t.Fatal(err)
		}
		want := tr.broadcastsByMember("g", o)
		if diff := gocmp.Diff(want, got, cmpopts.EquateComparable(time.Time{}, Ratio{})); diff != "" {
			t.Fatalf("sweep differs from asking each member (-want +got):\n%s", diff)
		}
	})
}
