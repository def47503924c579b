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

var shanghai = qunops.DefaultLocation()

// t0 is the start of every scripted test: Monday 2 March 2026, 08:00 in
// Shanghai.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)

// act is the part of an Action the rule tables check; texts have their own
// tests.
type act struct {
	Type   rules.ActionType
	Group  string
	Member string
	Rule   string
	Level  int
}

func acts(as []rules.Action) []act {
	var out []act
	for _, a := range as {
		m := a.Member
		if a.Type == rules.Welcome { // the tables write the welcomed as "a,b"
			m = strings.Join(a.Members, ",")
		}
		out = append(out, act{a.Type, a.Group, m, a.Rule, a.Level})
	}
	return out
}

// step is one event, or a Tick when tick is set, and what it must give.
type step struct {
	ev   qunops.Event
	tick time.Duration // offset from t0; used when ev.Type is empty
	want []act
}

func msg(member string, at time.Duration, text string) qunops.Event {
	return qunops.Event{Type: qunops.Message, Group: "g1", Member: member, Time: t0.Add(at), Text: text}
}

func kind(member string, at time.Duration, k, text string) qunops.Event {
	ev := msg(member, at, text)
	ev.Kind = k
	return ev
}

func join(group, member string, at time.Duration, name string) qunops.Event {
	return qunops.Event{Type: qunops.Join, Group: group, Member: member, Time: t0.Add(at), Text: name}
}

func typed(t qunops.EventType, member string, at time.Duration, actor string) qunops.Event {
	return qunops.Event{Type: t, Group: "g1", Member: member, Time: t0.Add(at), Actor: actor}
}

func in(group string, ev qunops.Event) qunops.Event {
	ev.Group = group
	return ev
}

func tick(at time.Duration, want ...act) step { return step{tick: at, want: want} }
func on(ev qunops.Event, want ...act) step    { return step{ev: ev, want: want} }

// run plays steps on a new engine for p and reports every difference.
func run(t *testing.T, p rules.Policy, steps []step) *rules.Engine {
	t.Helper()
	e, err := rules.New(lax(p))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for i, s := range steps {
		var got []rules.Action
		if s.ev.Type == "" {
			got = e.Tick(t0.Add(s.tick))
		} else {
			ev := s.ev
			if ev.ID == "" { // every event of a table is its own, with an ID as transports give
				ev.ID = fmt.Sprint("step:", i)
			}
			got = handle(t, e, ev)
		}
		if diff := cmp.Diff(s.want, acts(got)); diff != "" {
			t.Errorf("step %d (%s %s at %v): actions (-want +got):\n%s", i, s.ev.Type, s.ev.Member, s.ev.Time.Sub(t0), diff)
		}
	}
	return e
}

func warn(m, rule string, level int) act { return act{rules.Warn, "g1", m, rule, level} }
func removed(m, rule string, level int) []act {
	return []act{{rules.Remove, "g1", m, rule, level}, {rules.Blacklist, "g1", m, rule, level}}
}
func with(a act, more ...act) []act { return append([]act{a}, more...) }

// fataler is what handle needs of a *testing.T, *testing.B or *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// handle feeds ev to e and stops the test on an error: callers feed valid
// events within the engine's max_skew (the tests of rejected events call
// Handle themselves).
func handle(t fataler, e *rules.Engine, ev qunops.Event) []rules.Action {
	t.Helper()
	got, err := e.Handle(ev)
	if err != nil {
		t.Fatalf("Handle(%s %s at %s): %v", ev.Type, ev.Member, ev.Time.Format(time.RFC3339), err)
	}
	return got
}

// lax returns p with a max_skew of ten years, for tables that jump hours
// or days between events without a Tick; the bound has its own tests
// (TestItem15MaxSkew...).
func lax(p rules.Policy) rules.Policy {
	if p.MaxSkew == 0 {
		p.MaxSkew = 10 * 365 * day
	}
	return p
}

// snapshot returns the engine's state as JSON, to show that a call changed
// nothing.
func snapshot(t *testing.T, e *rules.Engine) string {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
