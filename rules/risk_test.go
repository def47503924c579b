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

// notify is the Notify to the first admin, a1, of the risk tables.
func notify(rule string, level int) act { return act{rules.Notify, "g1", "a1", rule, level} }

// TestF39Competitors: a competitor's name is a keyword list of its own
// (seed F39: 禁止讨论竞品) with its own rule name and reaction.
func TestF39Competitors(t *testing.T) {
	base := rules.Policy{Admins: []string{"a1", "a2", "a3"}, Competitors: []string{"拼多多", "Acme"}}
	with := func(r rules.Reaction) rules.Policy { p := base; p.CompetitorReaction = r; return p }
	cases := []struct {
		name  string
		p     rules.Policy
		steps []step
	}{
		{"F39 the default warns on the ladder", base, []step{
			on(msg("u", 0, "拼 多 多便宜多了"), warn("u", rules.RuleCompetitor, 1)),
			on(msg("u", mn, "去acme买吧"), append([]act{warn("u", rules.RuleCompetitor, 2)}, removed("u", rules.RuleCompetitor, 2)...)...),
		}},
		{"F39 notify tells the first admin once per alert cooldown", with(rules.ReactNotify), []step{
			on(msg("u", 0, "拼多多"), notify(rules.RuleCompetitor, 0)),
			on(msg("u", 59*mn, "拼多多")),
			on(msg("u", hour, "拼多多"), notify(rules.RuleCompetitor, 0)),
		}},
		{"F39 remove removes and blacklists at once", with(rules.ReactRemove), []step{
			on(msg("u", 0, "拼多多"), removed("u", rules.RuleCompetitor, 0)...),
		}},
		{"F39 ignore does nothing", with(rules.ReactIgnore), []step{
			on(msg("u", 0, "拼多多")),
		}},
		{"F39 an admin may name a competitor", base, []step{
			on(msg("a2", 0, "拼多多")),
		}},
		{"F39 the rule can be switched off", rules.Policy{Competitors: []string{"拼多多"}, Off: []string{rules.RuleCompetitor}}, []step{
			on(msg("u", 0, "拼多多")),
		}},
		{"F39 a link is the reason given before a competitor", base, []step{
			on(msg("u", 0, "拼多多 t.cn/x"), warn("u", rules.RuleLink, 1)),
		}},
		{"F39 whole-word matching leaves longer words alone", rules.Policy{Competitors: []string{"Acme"}, CompetitorsMatch: rules.KeywordMatch{WholeWord: true}}, []step{
			on(msg("u", 0, "acmeology is a word")),
			on(msg("u", mn, "try Acme instead"), warn("u", rules.RuleCompetitor, 1)),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, c.p, c.steps) })
	}
}

// TestF38Transfers: transfers and red packets of members who are not
// admins (seed F38: 异常转账, a ban risk) get Policy.TransferReaction under
// RuleTransfer; the default tells the first admin.
func TestF38Transfers(t *testing.T) {
	admins := []string{"a1", "a2", "a3"}
	cases := []struct {
		name  string
		p     rules.Policy
		steps []step
	}{
		{"F38 the default notifies the first admin, once per hour and member", rules.Policy{Admins: admins}, []step{
			on(kind("u", 0, qunops.KindTransfer, "¥200"), notify(rules.RuleTransfer, 0)),
			on(kind("u", mn, qunops.KindRedPacket, "恭喜发财"), nil...),
			on(kind("v", mn, qunops.KindRedPacket, "恭喜发财"), act{rules.Notify, "g1", "a1", rules.RuleTransfer, 0}),
			on(kind("u", hour, qunops.KindRedPacket, "恭喜发财"), notify(rules.RuleTransfer, 0)),
		}},
		{"F38 an admin's red packet is a perk, not a risk", rules.Policy{Admins: admins}, []step{
			on(kind("a1", 0, qunops.KindRedPacket, "恭喜发财")),
		}},
		{"F38 warn puts transfers on the ladder", rules.Policy{Admins: admins, TransferReaction: rules.ReactWarn}, []step{
			on(kind("u", 0, qunops.KindRedPacket, ""), warn("u", rules.RuleTransfer, 1)),
			on(kind("u", hour, qunops.KindTransfer, ""), append([]act{warn("u", rules.RuleTransfer, 2)}, removed("u", rules.RuleTransfer, 2)...)...),
		}},
		{"F38 ignore does nothing", rules.Policy{Admins: admins, TransferReaction: rules.ReactIgnore}, []step{
			on(kind("u", 0, qunops.KindTransfer, "")),
		}},
		{"F38 without admins a notify has no one to tell", rules.Policy{}, []step{
			on(kind("u", 0, qunops.KindTransfer, "")),
		}},
		{"F38 a text that says 转账 is no transfer", rules.Policy{Admins: admins}, []step{
			on(msg("u", 0, "转账 红包")),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, c.p, c.steps) })
	}
}

// invite is a join of member into g1 that inviter brought in.
func invite(inviter, member string, at time.Duration) qunops.Event {
	ev := join("g1", member, at, "")
	ev.Actor = inviter
	return ev
}

// kinded sets the join channel of a join.
func kinded(ev qunops.Event, channel string) qunops.Event {
	ev.Kind = channel
	return ev
}

// TestF38InviteRate: an inviter whose joins within InviteWindow pass
// InviteMax alerts the first admin (seed F38: 频繁加人), once per
// AlertCooldown; the window is (t-InviteWindow, t].
func TestF38InviteRate(t *testing.T) {
	p := rules.Policy{Admins: []string{"a1", "a2", "a3"}, InviteMax: 3, Off: []string{rules.RuleWelcome}}
	cases := []struct {
		name  string
		p     rules.Policy
		steps []step
	}{
		{"F38 the fourth join within the hour alerts, the fifth is in the cooldown", p, []step{
			on(invite("x", "n1", 0)), on(invite("x", "n2", mn)), on(invite("x", "n3", 2*mn)),
			on(invite("x", "n4", 3*mn), notify(rules.RuleInvite, 4)),
			on(invite("x", "n5", 4*mn)),
		}},
		{"F38 a join exactly one window after the first does not count it", p, []step{
			on(invite("x", "n1", 0)), on(invite("x", "n2", mn)), on(invite("x", "n3", 2*mn)),
			on(invite("x", "n4", hour)),
			on(invite("x", "n5", hour+30*sec), notify(rules.RuleInvite, 4)),
		}},
		{"F38 an admin invites freely", p, []step{
			on(invite("a2", "n1", 0)), on(invite("a2", "n2", 0)), on(invite("a2", "n3", 0)), on(invite("a2", "n4", 0)),
		}},
		{"F38 an invitation from the chat counts as one", p, []step{
			on(kinded(invite("x", "n1", 0), qunops.JoinInvite)), on(invite("x", "n2", 0)), on(invite("x", "n3", 0)),
			on(kinded(invite("x", "n4", 0), qunops.JoinInvite), notify(rules.RuleInvite, 4)),
		}},
		{"F38 scans of a code someone shared are not their pulls", p, []step{
			on(kinded(invite("x", "n1", 0), qunops.JoinQR)), on(kinded(invite("x", "n2", 0), qunops.JoinQR)),
			on(kinded(invite("x", "n3", 0), qunops.JoinInviteQR)), on(kinded(invite("x", "n4", 0), qunops.JoinQR)),
		}},
		{"F38 joins without an inviter count toward no one", p, []step{
			on(join("g1", "n1", 0, "")), on(join("g1", "n2", 0, "")), on(join("g1", "n3", 0, "")), on(join("g1", "n4", 0, "")),
		}},
		{"F38 the rule can be switched off", rules.Policy{Admins: []string{"a1"}, InviteMax: 1, Off: []string{rules.RuleInvite, rules.RuleWelcome}}, []step{
			on(invite("x", "n1", 0)), on(invite("x", "n2", 0)),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, c.p, c.steps) })
	}
}

// TestF38RiskTexts: the alerts name the group, the member and what they
// did, in the policy's language.
func TestF38RiskTexts(t *testing.T) {
	for _, c := range []struct {
		lang, want string
	}{
		{"", "测试群风险提示:x 在60分钟内邀请了2人入群,请核实是否异常加人"},
		{"en", "Risk in 测试群: x invited 2 people within 60 min. Please check for unusual adding."},
	} {
		e, err := rules.New(lax(rules.Policy{Language: c.lang, Admins: []string{"a1"}, InviteMax: 1, GroupNames: map[string]string{"g1": "测试群"}}))
		if err != nil {
			t.Fatal(err)
		}
		handle(t, e, invite("x", "n1", 0))
		got := handle(t, e, invite("x", "n2", sec))
		if len(got) != 1 || got[0].Text != c.want {
			t.Errorf("%q: invite alert %+v, want text %q", c.lang, got, c.want)
		}
		alert := handle(t, e, kind("u", 2*sec, qunops.KindRedPacket, ""))
		if len(alert) != 1 || !strings.Contains(alert[0].Text, "u") || alert[0].Rule != rules.RuleTransfer {
			t.Errorf("%q: transfer alert %+v", c.lang, alert)
		}
	}
}

// TestF38RiskSnapshot: invites and alerts survive a snapshot (version 4),
// so that a restarted bot neither forgets a fast inviter nor pages the
// admin again within the cooldown.
func TestF38RiskSnapshot(t *testing.T) {
	p := lax(rules.Policy{Admins: []string{"a1"}, InviteMax: 2, Off: []string{rules.RuleWelcome}})
	e, err := rules.New(p)
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, invite("x", "n1", 0))
	handle(t, e, invite("x", "n2", mn))
	handle(t, e, kind("u", mn, qunops.KindTransfer, ""))
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"invites":["2026-03-02T00:00:00Z","2026-03-02T00:01:00Z"]`, `"alerts":[{"rule":"transfer","at":"2026-03-02T00:01:00Z"}]`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("snapshot lacks %s:\n%s", want, data)
		}
	}
	var r rules.Engine
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	for i, s := range []struct {
		ev   qunops.Event
		want []act
	}{
		{invite("x", "n3", 2*mn), []act{notify(rules.RuleInvite, 3)}},
		{kind("u", 3*mn, qunops.KindTransfer, ""), nil},
	} {
		if diff := cmp.Diff(s.want, acts(handle(t, &r, s.ev))); diff != "" {
			t.Errorf("step %d after restore (-want +got):\n%s", i, diff)
		}
	}
}

// TestReactionJSON: reactions are lowercase words both ways; an unknown
// word is an error naming the key and the valid words.
func TestReactionJSON(t *testing.T) {
	p := rules.Policy{TransferReaction: rules.ReactWarn, CompetitorReaction: rules.ReactIgnore}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"competitor_reaction":"ignore","transfer_reaction":"warn"}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var q rules.Policy
	if err := json.Unmarshal(b, &q); err != nil || !cmp.Equal(q, p) {
		t.Errorf("round trip: %+v, %v", q, err)
	}
	err = json.Unmarshal([]byte(`{"transfer_reaction":"kick"}`), &q)
	if want := `rules: policy: transfer_reaction: reaction "kick" is not one of ignore, notify, warn, remove`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if err := (rules.Policy{TransferReaction: 9}).Validate(); err == nil || !strings.Contains(err.Error(), "transfer_reaction 9 is not a reaction") {
		t.Errorf("Validate: %v", err)
	}
}

// TestF38InviteMaxLowered (found by TestItem1Item2Item3RestartModel): a
// new policy that lowers InviteMax below the invites a member holds still
// snapshots and restores, and the next invite trims them and alerts.
func TestF38InviteMaxLowered(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Admins: []string{"a1"}, InviteMax: 5, Off: []string{rules.RuleWelcome}}))
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range []string{"n1", "n2", "n3", "n4"} {
		handle(t, e, invite("x", n, time.Duration(i)*sec))
	}
	if err := e.SetPolicy(lax(rules.Policy{Admins: []string{"a1"}, InviteMax: 1, Off: []string{rules.RuleWelcome}})); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var r rules.Engine
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("restore after a lowered invite_max: %v", err)
	}
	for _, x := range []*rules.Engine{e, &r} {
		if diff := cmp.Diff([]act{notify(rules.RuleInvite, 2)}, acts(handle(t, x, invite("x", "n5", 10*sec)))); diff != "" {
			t.Errorf("the next invite (-want +got):\n%s", diff)
		}
	}
	after, _ := json.Marshal(&r)
	if !strings.Contains(string(after), `"invites":["2026-03-02T00:00:03Z","2026-03-02T00:00:10Z"]`) {
		t.Errorf("invites not trimmed to the newest invite_max+1:\n%s", after)
	}
}
