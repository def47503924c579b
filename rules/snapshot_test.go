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

// busyEngine returns an engine with every kind of state: warnings, a flood
// window, a repeat run, a reply cooldown, a pending welcome and reminder,
// an open dispute, a blacklist entry and an audit record.
func busyEngine(t *testing.T) *rules.Engine {
	t.Helper()
	e, err := rules.New(rules.Policy{Admins: []string{"a1", "a2"}, Prohibited: []string{"赌博"},
		Replies: []rules.AutoReply{{Keywords: []string{"几点"}, Text: "9点"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []qunops.Event{
		msg("w", 0, "t.cn/x"), msg("f", 0, "1"), msg("f", sec, "2"), msg("r", 0, "同样"), msg("r", sec, "同样"),
		msg("q", 0, "几点"), join("g1", "new", mn, "Amy"), join("g2", "n2", mn, "【上海-Bo】"),
		msg("bad", 2*mn, "赌博"), typed(qunops.Report, "w", 3*mn, "q"),
		msg("p", 0, "t.cn/y"),
	} {
		e.Handle(ev)
	}
	if err := e.Pardon("a1", "g1", "p", t0.Add(4*mn)); err != nil {
		t.Fatal(err)
	}
	return e
}

// future plays the same events on e and returns every action.
func future(e *rules.Engine) []rules.Action {
	var out []rules.Action
	for _, ev := range []qunops.Event{
		msg("w", 5*mn, "t.cn/x"), msg("f", 2*sec, "3"), msg("r", 2*sec, "同样"), msg("q", 30*mn, "几点"),
		join("g1", "bad", 6*mn, ""), msg("p", 7*mn, "t.cn/z"), msg("f", 3*sec, "4"),
	} {
		out = append(out, e.Handle(ev)...)
	}
	return append(out, e.Tick(t0.Add(2*day))...)
}

// TestSnapshotRoundTrip: restoring a snapshot gives the same bytes and the
// same future.
func TestSnapshotRoundTrip(t *testing.T) {
	a, b := busyEngine(t), busyEngine(t)
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var c rules.Engine
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("restore: %v", err)
	}
	again, _ := json.Marshal(&c)
	if string(again) != string(data) {
		t.Fatalf("snapshot of the restored engine differs:\n%s\n%s", data, again)
	}
	want := future(b)
	if len(want) < 8 {
		t.Fatalf("the future has only %d actions; the test would prove little", len(want))
	}
	if diff := cmp.Diff(want, future(&c)); diff != "" {
		t.Errorf("future after restore (-original +restored):\n%s", diff)
	}
}

// TestSnapshotErrors: bad snapshots are errors and leave the engine as it
// was.
func TestSnapshotErrors(t *testing.T) {
	good, _ := json.Marshal(busyEngine(t))
	swap := func(old, new string) string {
		if !strings.Contains(string(good), old) {
			t.Fatalf("snapshot lacks %s: %s", old, good)
		}
		return strings.Replace(string(good), old, new, 1)
	}
	cases := []struct{ name, in, want string }{
		{"not JSON", `{"v":1,`, "rules: snapshot:"},
		{"no version", `{"policy":{}}`, "rules: snapshot version 0 is missing"},
		{"a newer version", `{"v":2,"policy":{}}`, "rules: snapshot version 2 is newer than 1"},
		{"an unknown key", `{"v":1,"policy":{},"extra":1}`, `unknown field "extra"`},
		{"a bad policy", `{"v":1,"policy":{"warn_limit":-3}}`, "rules: snapshot policy: rules: WarnLimit -3"},
		{"warnings at the limit", `{"v":1,"policy":{},"members":[{"group":"g","member":"m","warnings":[1,2]}]}`, "2 warnings, the limit is 2"},
		{"a member twice", `{"v":1,"policy":{},"members":[{"group":"g","member":"m"},{"group":"g","member":"m"}]}`, "listed twice"},
		{"a flood entry outside the window", `{"v":1,"policy":{},"members":[{"group":"g","member":"m","last":5,"flood":[10000]}]}`, "outside the 10000 ms window"},
		{"a cooldown of no reply", `{"v":1,"policy":{},"members":[{"group":"g","member":"m","cooldowns":[{"reply":0,"until":5}]}]}`, "cooldown of reply 0"},
		{"a welcome due too late", `{"v":1,"policy":{},"welcomes":[{"group":"g","first":0,"due":86400001,"members":[],"names":[]}]}`, "due 86400001 outside"},
		{"a blacklist entry of no rule", `{"v":1,"policy":{},"blacklist":[{"member":"m","at":1,"group":"g","rule":"x"}]}`, `"x" is not a rule`},
		{"a dispute of unknown shape", swap(`"reports":1}`, `"reports":1,"x":1}`), "unknown field"},
		{"a dispute step beyond the ladder", `{"v":1,"policy":{"admins":["a"]},"disputes":[{"group":"g","member":"m","reporter":"r","opened":1,"step":2,"reports":1}]}`, "step 2"},
		{"a pending step after the last", `{"v":1,"policy":{},"disputes":[{"group":"g","member":"m","reporter":"r","opened":1,"next":5,"reports":1}]}`, "has no next step"},
		{"a welcome of an empty id", `{"v":1,"policy":{},"welcomes":[{"group":"g","first":0,"due":1,"members":[""],"names":["x"]}]}`, "empty member id"},
		{"an unknown audit act", `{"v":1,"policy":{},"audit":[{"time":1,"act":"ban","by":"a","member":"m"}]}`, `act "ban"`},
		{"trailing data", string(good) + `{}`, "after the object"},
		{"a removal of no group", `{"v":1,"policy":{},"blacklist":[{"member":"m","at":1,"group":"g","rule":"link","removed":[{"group":"","at":1}]}]}`, "removed[0]: empty group"},
		{"a removal group twice", `{"v":1,"policy":{},"blacklist":[{"member":"m","at":1,"group":"g","rule":"link","removed":[{"group":"g","at":1},{"group":"g","at":2}]}]}`, "group g listed twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := busyEngine(t)
			err := e.UnmarshalJSON([]byte(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("UnmarshalJSON: error %v, want one containing %q", err, c.want)
			}
			after, _ := json.Marshal(e)
			if string(after) != string(good) {
				t.Errorf("a failed restore changed the engine:\n%s\n%s", good, after)
			}
		})
	}
}

// TestZeroEngine: the zero Engine handles nothing and cannot be
// snapshotted, but can be restored into.
func TestZeroEngine(t *testing.T) {
	var e rules.Engine
	if got := e.Handle(msg("s", 0, "t.cn/x")); got != nil {
		t.Errorf("zero engine Handle: %v", got)
	}
	if got := e.Tick(t0); got != nil {
		t.Errorf("zero engine Tick: %v", got)
	}
	if _, err := json.Marshal(&e); err == nil {
		t.Error("zero engine marshalled")
	}
	if err := json.Unmarshal([]byte(`{"v":1,"policy":{}}`), &e); err != nil {
		t.Fatal(err)
	}
	if got := e.Handle(msg("s", 0, "t.cn/x")); len(got) != 1 {
		t.Errorf("restored zero engine: %v", got)
	}
}

// TestInvalidEventsIgnored: Handle ignores events that do not validate
// (for messages: missing or non-UTF-8 ids, a zero time).
func TestInvalidEventsIgnored(t *testing.T) {
	e, _ := rules.New(rules.Policy{})
	for _, ev := range []qunops.Event{
		{Type: qunops.Message, Group: "g1", Member: "", Time: t0, Text: "t.cn/x"},
		{Type: "shout", Group: "g1", Member: "s", Time: t0, Text: "t.cn/x"},
		{Type: qunops.Message, Group: "g1", Member: "s", Text: "t.cn/x"},
		{Type: qunops.Message, Group: "g1\xff", Member: "s", Time: t0, Text: "t.cn/x"},
		{Type: qunops.Join, Group: "g1", Member: "s", Time: t0, Text: "Amy\xff"},
		{Type: qunops.Join, Group: "g1", Member: "s", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Text: "Amy"},
	} {
		if got := e.Handle(ev); got != nil {
			t.Errorf("%+v: %v", ev, got)
		}
	}
}

// TestSnapshotRemoveCooldown_F34: the removal cooldown of a blacklisted
// member survives a snapshot; a snapshot of version 1 written before
// removals were kept (no "removed" list) still loads, the ban's own Remove
// starting the cooldown in its group.
func TestSnapshotRemoveCooldown_F34(t *testing.T) {
	e, err := rules.New(rules.Policy{Prohibited: []string{"赌博"}})
	if err != nil {
		t.Fatal(err)
	}
	e.Handle(msg("s", 0, "赌博"))
	e.Handle(in("g2", msg("s", 20*sec, "hi"))) // a Remove in g2 at 20 s
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"removed":[{"group":"g1","at":`; !strings.Contains(string(data), want) {
		t.Fatalf("snapshot lacks %s: %s", want, data)
	}
	var r rules.Engine
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	plays := []struct {
		ev   qunops.Event
		want []act
	}{
		{msg("s", 59*sec, "hi"), nil},
		{in("g2", msg("s", 79*sec, "hi")), nil},
		{in("g2", msg("s", 80*sec, "hi")), []act{{rules.Remove, "g2", "s", rules.RuleBlacklist, 0}}},
		{msg("s", 80*sec, "hi"), []act{{rules.Remove, "g1", "s", rules.RuleBlacklist, 0}}},
	}
	for i, p := range plays {
		if diff := cmp.Diff(p.want, acts(r.Handle(p.ev))); diff != "" {
			t.Errorf("play %d (-want +got):\n%s", i, diff)
		}
	}

	old := `{"v":1,"policy":{"prohibited":["赌博"]},"blacklist":[{"member":"s","at":` +
		fmt.Sprint(t0.UnixMilli()) + `,"group":"g1","rule":"prohibited"}]}`
	var o rules.Engine
	if err := json.Unmarshal([]byte(old), &o); err != nil {
		t.Fatal(err)
	}
	if got := acts(o.Handle(msg("s", 30*sec, "hi"))); got != nil {
		t.Errorf("old snapshot: a message within the cooldown of the ban gave %v", got)
	}
	if diff := cmp.Diff([]act{{rules.Remove, "g2", "s", rules.RuleBlacklist, 0}}, acts(o.Handle(in("g2", msg("s", 30*sec, "hi"))))); diff != "" {
		t.Errorf("old snapshot, another group (-want +got):\n%s", diff)
	}
}
