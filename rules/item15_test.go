package rules_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItem15InvalidEventsRejected: an event that does not Validate is an
// error naming the problem, gives no action and leaves the state as it was
// (issue 15, item 15: Handle used to handle such events, or drop them
// silently).
func TestItem15InvalidEventsRejected(t *testing.T) {
	e, err := rules.New(rules.Policy{Warnable: []string{"代购"}})
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("s", 0, "t.cn/x")) // some state to keep
	before := snapshot(t, e)
	cases := []struct {
		name string
		ev   qunops.Event
		want string // in the error
	}{
		{"empty member", qunops.Event{Type: qunops.Message, Group: "g1", Time: t0, Text: "t.cn/x"}, "member is empty"},
		{"unknown type", qunops.Event{Type: "shout", Group: "g1", Member: "s", Time: t0, Text: "t.cn/x"}, `"shout"`},
		{"zero time", qunops.Event{Type: qunops.Message, Group: "g1", Member: "s", Text: "t.cn/x"}, "time is zero"},
		{"group not UTF-8", qunops.Event{Type: qunops.Message, Group: "g1\xff", Member: "s", Time: t0, Text: "t.cn/x"}, "group is not valid UTF-8"},
		{"text not UTF-8", qunops.Event{Type: qunops.Message, Group: "g1", Member: "s", Time: t0, Text: "代购\xff t.cn/x"}, "text is not valid UTF-8"},
		{"name not UTF-8", qunops.Event{Type: qunops.Join, Group: "g1", Member: "s", Time: t0, Text: "Amy\xff"}, "text is not valid UTF-8"},
		{"year 10000", qunops.Event{Type: qunops.Join, Group: "g1", Member: "s", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Text: "Amy"}, "year 10000"},
		{"rename without name", typed(qunops.Rename, "s", 0, ""), "text is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.Handle(c.ev)
			if err == nil || !strings.HasPrefix(err.Error(), "rules: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one starting rules: and containing %q", err, c.want)
			}
			if got != nil {
				t.Errorf("actions %+v with the error", got)
			}
			if after := snapshot(t, e); after != before {
				t.Errorf("state changed:\n%s\n%s", before, after)
			}
		})
	}
}

// TestItem15FarFutureRejected: a message stamped 9999-12-31 is rejected
// and changes nothing; the same member's flood and repeat checks work on
// (issue 15, item 15: it became the member's newest message, and every
// later message was "old", outside the flood and repeat windows).
func TestItem15FarFutureRejected(t *testing.T) {
	e, err := rules.New(rules.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("s", 0, "你好"))
	before := snapshot(t, e)
	future := msg("s", 0, "你好")
	future.Time = time.Date(9999, 12, 31, 23, 59, 59, 0, shanghai)
	got, err := e.Handle(future)
	if err == nil || !strings.Contains(err.Error(), "max_skew 10m") || !strings.Contains(err.Error(), "9999-12-31") {
		t.Errorf("error %v, want one naming the time and max_skew 10m", err)
	}
	if got != nil || snapshot(t, e) != before {
		t.Errorf("the rejected event gave %+v or changed the state", got)
	}
	// Repeat: the second and third 你好 (the first was before the future one).
	handle(t, e, msg("s", sec, "你好"))
	if got := acts(handle(t, e, msg("s", 2*sec, "你好"))); len(got) != 1 || got[0].Rule != rules.RuleRepeat {
		t.Errorf("third repeat gave %+v, want a repeat warning", got)
	}
	// Flood: 10 messages within 10 seconds (DefaultFloodMessages).
	var last []act
	for i := range rules.DefaultFloodMessages {
		last = acts(handle(t, e, in("g2", msg("s", 3*sec+time.Duration(i)*100*time.Millisecond, string(rune('a'+i))))))
	}
	if len(last) != 1 || last[0].Rule != rules.RuleFlood {
		t.Errorf("tenth message in a second gave %+v, want a flood warning", last)
	}
}

// TestItem15MaxSkew: the bound is MaxSkew past the newest time seen, of an
// accepted event in any group or a Tick; an event just within it is
// accepted and moves the bound.
func TestItem15MaxSkew(t *testing.T) {
	e, err := rules.New(rules.Policy{MaxSkew: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		ev   qunops.Event // a Tick at tick when ev.Type is empty
		tick time.Duration
		ok   bool
	}{
		{"the first event has nothing to compare with", msg("a", 0, "hi"), 0, true},
		{"5m past the newest: within", msg("a", 5*mn, "hi"), 0, true},
		{"5m1ms past the newest: rejected", msg("a", 10*mn+time.Millisecond, "hi"), 0, false},
		{"another group is measured against the same newest time", in("g2", msg("b", 11*mn, "hi")), 0, false},
		{"a tick moves the newest time", qunops.Event{}, 30 * mn, true},
		{"so a quiet group speaks again", in("g2", msg("b", 34*mn, "hi")), 0, true},
		{"an old event is not skewed", msg("a", 0, "hi"), 0, true},
	}
	for _, s := range steps {
		if s.ev.Type == "" {
			e.Tick(t0.Add(s.tick))
			continue
		}
		_, err := e.Handle(s.ev)
		if (err == nil) != s.ok {
			t.Errorf("%s: error %v, want ok %v", s.name, err, s.ok)
		}
	}
	if _, err := rules.New(rules.Policy{MaxSkew: -time.Minute}); err == nil || !strings.Contains(err.Error(), "max_skew -1m") {
		t.Errorf("negative max_skew: %v", err)
	}
}

// TestItem15ClockInSnapshot: the newest time seen survives a snapshot, so
// a restarted bot rejects what the running one would.
func TestItem15ClockInSnapshot(t *testing.T) {
	e, err := rules.New(rules.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("s", time.Hour, "hi"))
	var r rules.Engine
	if err := json.Unmarshal([]byte(snapshot(t, e)), &r); err != nil {
		t.Fatal(err)
	}
	late := msg("s", time.Hour+11*mn, "hi")
	if _, err := r.Handle(late); err == nil {
		t.Error("the restored engine accepted an event 11m past its newest time")
	}
	if _, err := e.Handle(late); err == nil {
		t.Error("the original engine accepted an event 11m past its newest time")
	}
}
