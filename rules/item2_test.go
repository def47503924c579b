package rules_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

func withID(ev qunops.Event, id string) qunops.Event {
	ev.ID = id
	return ev
}

// TestItem2Redelivery: an event whose ID was handled within DedupeWindow
// gives nothing, also after a restart (issue 15, item 2: a webhook retry
// of one link gave warn 1, warn 2, remove and blacklist).
func TestItem2Redelivery(t *testing.T) {
	p := lax(rules.Policy{DedupeWindow: time.Hour})
	e, err := rules.New(p)
	if err != nil {
		t.Fatal(err)
	}
	first := withID(msg("s", 0, "t.cn/x"), "wx:1")
	if diff := cmp.Diff([]act{warn("s", rules.RuleLink, 1)}, acts(handle(t, e, first))); diff != "" {
		t.Errorf("first delivery (-want +got):\n%s", diff)
	}
	if got := handle(t, e, first); got != nil {
		t.Errorf("redelivery gave %+v", got)
	}
	// A retry that the transport stamps with its own delivery time is the
	// same event.
	if got := handle(t, e, withID(msg("s", 5*mn, "t.cn/x"), "wx:1")); got != nil {
		t.Errorf("redelivery stamped later gave %+v", got)
	}
	// A retry that arrives after other events, and one after a restart.
	handle(t, e, msg("u", 30*mn, "hi"))
	if got := handle(t, e, first); got != nil {
		t.Errorf("late redelivery gave %+v", got)
	}
	var r rules.Engine
	if err := json.Unmarshal([]byte(snapshot(t, e)), &r); err != nil {
		t.Fatal(err)
	}
	if got := handle(t, &r, first); got != nil {
		t.Errorf("redelivery after a restart gave %+v", got)
	}
	if n := r.Warnings("g1", "s", t0.Add(30*mn)); n != 1 || r.Blacklisted("s") {
		t.Errorf("Warnings = %d, blacklisted %v; want 1, false", n, r.Blacklisted("s"))
	}
	// A hostile megabyte-long id is remembered like any other.
	huge := withID(msg("h", 30*mn, "t.cn/x"), strings.Repeat("x", 1<<20))
	if diff := cmp.Diff([]act{warn("h", rules.RuleLink, 1)}, acts(handle(t, e, huge))); diff != "" {
		t.Errorf("a huge id, first delivery (-want +got):\n%s", diff)
	}
	if got := handle(t, e, huge); got != nil {
		t.Errorf("a huge id, redelivery gave %+v", got)
	}
	// Events without an ID are never taken for redeliveries, and another
	// ID is another event.
	for _, ev := range []qunops.Event{msg("s", 31*mn, "t.cn/y"), withID(msg("s", 32*mn, "t.cn/x"), "wx:2")} {
		if got := handle(t, e, ev); len(got) == 0 {
			t.Errorf("%q (id %q) gave nothing", ev.Text, ev.ID)
		}
	}
}

// TestItem2DedupeWindow: an ID is remembered for DedupeWindow measured
// against the newest time seen, and no longer: the remembered ids stay
// bounded by the events of one window.
func TestItem2DedupeWindow(t *testing.T) {
	e, err := rules.New(rules.Policy{DedupeWindow: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ev := withID(qunops.Event{Type: qunops.Report, Group: "g1", Member: "m", Actor: "r", Time: t0}, "wx:report")
	e.Tick(t0)
	handle(t, e, ev)
	e.Tick(t0.Add(59 * sec))
	if got, err := e.Handle(ev); got != nil || err != nil {
		t.Errorf("within the window: %+v, %v", got, err)
	}
	// 1,000 leaves with distinct ids, one a second: at most the last
	// minute's are kept.
	for i := range 1000 {
		at := t0.Add(time.Minute + time.Duration(i)*sec)
		e.Tick(at)
		handle(t, e, qunops.Event{Type: qunops.Leave, Group: "g1", Member: "x", Time: at, ID: fmt.Sprint("wx:", i)})
	}
	if n := strings.Count(snapshot(t, e), `{"hash":`); n < 60 || n > 61 {
		t.Errorf("the snapshot keeps %d ids, want the 60 or 61 of the last minute", n)
	}
	// The report's id has expired: the same id is a new event (the
	// dispute is still open, so it only counts as a further report).
	if _, err := e.Handle(withID(qunops.Event{Type: qunops.Report, Group: "g1", Member: "m2", Actor: "r", Time: t0.Add(1000 * sec)}, "wx:report")); err != nil {
		t.Fatal(err)
	}
	if d := snapshot(t, e); !strings.Contains(d, `"member":"m2"`) {
		t.Errorf("the expired id was still taken for a redelivery:\n%s", d)
	}
}
