package rules

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// TestItem16BoundedState: members who spoke once and went quiet are dropped
// once every window they fed has passed, and join/leave flip-flops do not
// pile up timers (issue 15, item 16: 139 B per member who ever spoke,
// stale timers after join/leave flip-flops).
func TestItem16BoundedState(t *testing.T) {
	e, err := New(Policy{}) // MaxSkew 10 minutes: the sweep looks 10 minutes back
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, qunops.DefaultLocation())
	tracked := func() int {
		n := 0
		for _, g := range e.groups {
			n += len(g.members)
		}
		return n
	}
	const members = 1000
	peak := 0
	for day := range 30 {
		for i := range members { // each member once a day, spread over 10 hours
			at := t0.AddDate(0, 0, day).Add(time.Duration(i) * 36 * time.Second)
			if i%10 == 0 {
				e.Tick(at)
			}
			ev := qunops.Event{Type: qunops.Message, Group: "g", Member: fmt.Sprint("m", i), Time: at, Text: "早"}
			if _, err := e.Handle(ev); err != nil {
				t.Fatal(err)
			}
			peak = max(peak, tracked())
		}
		e.Tick(t0.AddDate(0, 0, day).Add(11 * time.Hour))
		if n := tracked(); n != 0 {
			t.Fatalf("day %d: %d members tracked an hour after the last spoke, want 0", day, n)
		}
	}
	// A message every 36 s: the repeat window of 10 minutes holds 17, and
	// members stay MaxSkew (10 minutes) longer and until the next sweep (10
	// minutes, checked at the ticks, every 6 minutes) at most: those of the
	// last 36 minutes, 60 members.
	if peak > 61 {
		t.Errorf("at most %d members tracked at once, want those of the last 36 minutes (at most 61)", peak)
	}

	// 5,000 join/leave flip-flops with a name that does not fit: one
	// reminder timer each, and a leave that cancels it.
	for i := range 5000 {
		at := t0.AddDate(0, 1, 0).Add(time.Duration(i) * time.Second)
		if i == 0 {
			e.Tick(at)
		}
		for _, typ := range []qunops.EventType{qunops.Join, qunops.Leave} {
			if _, err := e.Handle(qunops.Event{Type: typ, Group: "g", Member: "flip", Time: at, Text: "flop"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(e.timers); n > 2*1024+2 {
		t.Errorf("%d timers pending after 5,000 flip-flops, want at most %d", n, 2*1024+2)
	}
}
