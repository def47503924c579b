package rules_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItem6OneWarningPerBurst: one burst of stickers gives one flood
// warning however long it lasts, and a run of identical texts one repeat
// warning; a second warning takes a new burst after the first ended (issue
// 15, item 6: one 20-sticker burst gave two flood warnings 5 s apart, then
// a permanent blacklist).
func TestItem6OneWarningPerBurst(t *testing.T) {
	sticker := func(at time.Duration) qunops.Event { return kind("s", at, qunops.KindSticker, "[动画表情]") }
	var steps []step
	for i := range 20 { // 20 stickers in 10 s: the flood starts at the 10th (DefaultFloodMessages)
		var want []act
		if i == rules.DefaultFloodMessages-1 {
			want = []act{warn("s", rules.RuleFlood, 1)}
		}
		steps = append(steps, on(sticker(time.Duration(i)*500*time.Millisecond), want...))
	}
	// Nine identical texts in a row: one repeat warning, at the third.
	for i := range 9 {
		var want []act
		if i == rules.DefaultRepeatMessages-1 {
			want = []act{warn("r", rules.RuleRepeat, 1)}
		}
		steps = append(steps, on(msg("r", time.Duration(i)*20*sec, "同样的话"), want...))
	}
	// A minute later the flood is over: a new burst is a new offence.
	for i := range 10 {
		var want []act
		if i == 9 {
			want = append([]act{warn("s", rules.RuleFlood, 2)}, removed("s", rules.RuleFlood, 2)...)
		}
		steps = append(steps, on(sticker(time.Minute+time.Duration(i)*100*time.Millisecond), want...))
	}
	// The run breaks; three more identical texts are a new run.
	steps = append(steps, on(msg("r", 4*mn, "别的")))
	for i := range 3 {
		var want []act
		if i == 2 {
			want = append([]act{warn("r", rules.RuleRepeat, 2)}, removed("r", rules.RuleRepeat, 2)...)
		}
		steps = append(steps, on(msg("r", 5*mn+time.Duration(i)*sec, "同样的话"), want...))
	}
	run(t, rules.Policy{}, steps)
}

// TestItem6BlacklistTTLAndAdminTools: a blacklisting lapses after
// BlacklistTTL; admins ban, unban and list the blacklist and the open
// disputes (issue 15, item 6: the blacklist was permanent, in every group,
// with no Ban, no Unban and no way to list it or the disputes).
func TestItem6BlacklistTTLAndAdminTools(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Admins: []string{"boss", "deputy"}, Prohibited: []string{"赌博"}, BlacklistTTL: 7 * day}))
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("s", 0, "赌博"))
	got, err := e.Ban("boss", "g2", "x", t0.Add(hour))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]act{{rules.Remove, "g2", "x", rules.RuleManual, 0}, {rules.Blacklist, "g2", "x", rules.RuleManual, 0}}, acts(got)); diff != "" {
		t.Errorf("Ban (-want +got):\n%s", diff)
	}
	handle(t, e, typed(qunops.Report, "y", hour, "s2"))
	wantList := []rules.BlacklistEntry{
		{Member: "s", Group: "g1", Rule: rules.RuleProhibited, At: t0.UTC(), Expires: t0.Add(7 * day).UTC()},
		{Member: "x", Group: "g2", Rule: rules.RuleManual, At: t0.Add(hour).UTC(), Expires: t0.Add(7*day + hour).UTC()},
	}
	if diff := cmp.Diff(wantList, e.Blacklist()); diff != "" {
		t.Errorf("Blacklist (-want +got):\n%s", diff)
	}
	wantDisputes := []rules.Dispute{{Group: "g1", Member: "y", Reporter: "s2", Reports: 1, Opened: t0.Add(hour).UTC(),
		Next: t0.Add(hour + rules.DefaultDisputeSLA).UTC()}}
	if diff := cmp.Diff(wantDisputes, e.Disputes()); diff != "" {
		t.Errorf("Disputes (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"ban by a member", func() error { _, err := e.Ban("s2", "g1", "y", t0); return err }()},
		{"ban of an admin", func() error { _, err := e.Ban("boss", "g1", "deputy", t0); return err }()},
		{"unban by a member", e.Unban("s2", "x", t0)},
		{"unban of a member not blacklisted", e.Unban("boss", "nobody", t0)},
	} {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if err := e.Unban("deputy", "x", t0.Add(2*hour)); err != nil {
		t.Fatal(err)
	}
	if e.Blacklisted("x") || !e.Blacklisted("s") {
		t.Errorf("after Unban: x blacklisted %v, s %v", e.Blacklisted("x"), e.Blacklisted("s"))
	}
	// Six days and 23 hours after the ban, s is still removed on sight; at
	// seven days the entry has lapsed and s is a member like any other.
	run := []step{
		on(in("g2", msg("s", 7*day-hour, "hi")), act{rules.Remove, "g2", "s", rules.RuleBlacklist, 0}),
		on(in("g2", msg("s", 7*day, "hi"))),
		on(in("g2", msg("s", 7*day+sec, "t.cn/x")), warn("s", rules.RuleLink, 1)),
	}
	for i, s := range run {
		for k := range s.want {
			s.want[k].Group = "g2" // the table's helpers say g1
		}
		if diff := cmp.Diff(s.want, acts(handle(t, e, s.ev))); diff != "" {
			t.Errorf("step %d (-want +got):\n%s", i, diff)
		}
	}
	if e.Blacklisted("s") || len(e.Blacklist()) != 0 {
		t.Errorf("the lapsed entry is still listed: %+v", e.Blacklist())
	}
}

// TestManualWarnOfABlacklistedMember: an admin's warning of a member who
// is already blacklisted gives nothing. It used to ban them again, which
// replaced the blacklist entry and forgot its Remove in g1, so their next
// message there got a second Remove within RemoveCooldown (found by
// TestEngineStateMachine once group renames were drawn).
func TestManualWarnOfABlacklistedMember(t *testing.T) {
	p := rules.Policy{Admins: []string{"a1"}, WarnLimit: 1}
	run(t, p, []step{
		on(msg("u1", 0, "t.cn/x"), append([]act{warn("u1", rules.RuleLink, 1)}, removed("u1", rules.RuleLink, 1)...)...),
		on(in("g2", typed(qunops.Warn, "u1", sec, "a1"))),
		on(msg("u1", 2*sec, "你好")), // within RemoveCooldown of the Remove at 0
	})
}

// TestBanNeverShortens: a Ban dated before the member's blacklist entry (an
// admin's command delivered late, after a later ban) keeps the entry's
// start, group and rule, so the ban lasts as long as the later one said; a
// later Ban starts it again.
func TestBanNeverShortens(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Admins: []string{"boss"}, BlacklistTTL: 7 * day}))
	if err != nil {
		t.Fatal(err)
	}
	ban := func(group string, at time.Duration) {
		t.Helper()
		if _, err := e.Ban("boss", group, "x", t0.Add(at)); err != nil {
			t.Fatal(err)
		}
	}
	want := func(group string, at time.Duration) {
		t.Helper()
		w := []rules.BlacklistEntry{{Member: "x", Group: group, Rule: rules.RuleManual, At: t0.Add(at).UTC(), Expires: t0.Add(at + 7*day).UTC()}}
		if diff := cmp.Diff(w, e.Blacklist()); diff != "" {
			t.Errorf("Blacklist (-want +got):\n%s", diff)
		}
	}
	ban("g1", 2*day)
	ban("g2", day) // delivered late
	want("g1", 2*day)
	ban("g2", 3*day)
	want("g2", 3*day)
}
