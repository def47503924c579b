package rules_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItem3SetPolicy: a redeployed bot restores its snapshot and applies
// its new policy; warnings, blacklist, disputes and timers are kept, and
// reply cooldowns follow their reply by name when the replies are
// reordered (issue 15, item 3: there was no way to apply a new policy to
// saved state, and cooldowns were kept by index, so reordering re-sent one
// reply and suppressed another).
func TestItem3SetPolicy(t *testing.T) {
	hours := rules.AutoReply{Name: "hours", Keywords: []string{"几点"}, Text: "9点"}
	price := rules.AutoReply{Name: "price", Keywords: []string{"价格"}, Text: "99元"}
	unnamed := rules.AutoReply{Keywords: []string{"地址"}, Text: "人民路1号"}
	old := lax(rules.Policy{Admins: []string{"a1", "a2"}, Prohibited: []string{"赌博"},
		Replies: []rules.AutoReply{hours, price, unnamed}})
	e, err := rules.New(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []qunops.Event{
		msg("q", 0, "几点"), msg("q", 0, "地址"), // two cooldowns
		msg("s", 0, "t.cn/x"),             // a warning
		msg("b", 0, "赌博"),                 // a ban
		typed(qunops.Report, "s", 0, "q"), // a dispute, escalating at 15m
		join("g1", "n", 0, "nick"),        // a welcome at 1m, a reminder at 24h
	} {
		handle(t, e, ev)
	}
	var r rules.Engine
	if err := json.Unmarshal([]byte(snapshot(t, e)), &r); err != nil {
		t.Fatal(err)
	}
	deployed := old
	deployed.Language = "en"
	deployed.Replies = []rules.AutoReply{{Name: "new", Keywords: []string{"新品"}, Text: "soon"}, price, unnamed, hours}
	before := snapshot(t, &r)
	bad := deployed
	bad.WarnLimit = -1
	if err := r.SetPolicy(bad); err == nil || !strings.Contains(err.Error(), "warn_limit -1") {
		t.Errorf("SetPolicy of a bad policy: %v", err)
	}
	if snapshot(t, &r) != before {
		t.Error("a rejected policy changed the engine")
	}
	if err := r.SetPolicy(deployed); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(deployed.Replies, r.Policy().Replies); diff != "" {
		t.Errorf("policy replies (-want +got):\n%s", diff)
	}
	steps := []step{
		on(msg("q", 10*mn, "几点")), // still cooling down
		on(msg("q", 10*mn, "地址")), // the unnamed reply too
		on(msg("q", 10*mn, "价格"), act{rules.Reply, "g1", "q", "reply:price", 0}), // never cooled down
		on(msg("b", 10*mn, "hi"), removed("b", rules.RuleBlacklist, 0)[0]),
		tick(15*mn, act{rules.Welcome, "g1", "n", rules.RuleWelcome, 0},
			act{rules.Escalate, "g1", "a2", rules.RuleDispute, 1}),
		on(msg("s", 20*mn, "t.cn/y"), append([]act{warn("s", rules.RuleLink, 2)}, removed("s", rules.RuleLink, 2)...)...),
		tick(day, act{rules.Escalate, "g1", "a1", rules.RuleDispute, 2}, act{rules.Escalate, "g1", "a2", rules.RuleDispute, 2},
			act{rules.Remind, "g1", "n", rules.RuleNickname, 0}),
		on(msg("q", 61*mn, "几点"), act{rules.Reply, "g1", "q", "reply:hours", 0}), // the hour is over
	}
	for i, s := range steps {
		var got []rules.Action
		if s.ev.Type == "" {
			got = r.Tick(t0.Add(s.tick))
		} else {
			got = handle(t, &r, s.ev)
		}
		if diff := cmp.Diff(s.want, acts(got)); diff != "" {
			t.Errorf("step %d (%s %s): (-want +got):\n%s", i, s.ev.Type, s.ev.Text, diff)
		}
		if i == 4 && len(got) > 0 && !strings.HasPrefix(got[0].Text, "Welcome") {
			t.Errorf("the welcome is not in the new language: %q", got[0].Text)
		}
	}
}

// TestItem3SetPolicyShrinks: a policy with a lower limit, fewer admins,
// shorter windows and no replies applies to state made under a larger one,
// and the result snapshots and restores.
func TestItem3SetPolicyShrinks(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Admins: []string{"a1", "a2", "a3"}, WarnLimit: 3, WelcomeMax: 2 * time.Hour,
		Replies: []rules.AutoReply{{Keywords: []string{"几点"}, Text: "9点"}}}))
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range []qunops.Event{
		msg("s", 0, "t.cn/a"), msg("s", sec, "t.cn/b"), // two warnings
		msg("f", 0, "1"), msg("f", 0, "2"), msg("f", 0, "3"), msg("r", 0, "同样"), msg("r", sec, "同样"),
		msg("q", 0, "几点"), typed(qunops.Report, "d", 0, "q"), join("g1", "n", 0, ""),
	} {
		if i == 9 {
			e.Tick(t0.Add(31 * mn)) // the dispute at step 2 of 3
		}
		handle(t, e, ev)
	}
	if err := e.SetPolicy(lax(rules.Policy{Admins: []string{"a1"}, WarnLimit: 1, FloodMessages: 2, RepeatMessages: 2,
		WelcomeWindow: time.Minute, WelcomeMax: time.Minute})); err != nil {
		t.Fatal(err)
	}
	var r rules.Engine
	if err := json.Unmarshal([]byte(snapshot(t, e)), &r); err != nil {
		t.Fatalf("restoring the state under the smaller policy: %v", err)
	}
	if n := r.Warnings("g1", "s", t0.Add(mn)); n != 2 {
		t.Errorf("Warnings = %d, want the 2 given under the old limit", n)
	}
	if diff := cmp.Diff(removed("s", rules.RuleLink, 3), acts(handle(t, &r, msg("s", 32*mn, "t.cn/c")))[1:]); diff != "" {
		t.Errorf("next offence (-want +got):\n%s", diff)
	}
}
