package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

const (
	sec  = time.Second
	mn   = time.Minute
	hour = time.Hour
	day  = 24 * time.Hour
)

// TestLadder_F34 checks the violation ladder: warnings per member and group,
// removal and blacklisting at the limit (seed F34), decay.
func TestLadder_F34(t *testing.T) {
	link := "看这里 https://spam.example.com/x"
	cases := []struct {
		name  string
		p     rules.Policy
		steps []step
	}{
		{"F34 the second warning removes and blacklists", rules.Policy{}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", mn, link), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
		}},
		{"F34 warnings expire after 30 days by default", rules.Policy{}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", 30*day, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", 30*day+hour, link), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
		}},
		{"F34 a warning one millisecond short of 30 days is live", rules.Policy{}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", 30*day-time.Millisecond, link), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
		}},
		{"F34 WarnTTL Never keeps warnings", rules.Policy{WarnTTL: rules.Never}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", 400*day, link), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
		}},
		{"F34 WarnLimit 3", rules.Policy{WarnLimit: 3}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", mn, link), warn("s", rules.RuleLink, 2)),
			on(msg("s", 2*mn, link), with(warn("s", rules.RuleLink, 3), removed("s", rules.RuleLink, 3)...)...),
		}},
		{"F34 warnings are per group", rules.Policy{}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(in("g2", msg("s", mn, link)), act{rules.Warn, "g2", "s", rules.RuleLink, 1}),
		}},
		{"F34 the blacklist covers every group: a join elsewhere is removed", rules.Policy{Admins: []string{"boss"}}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", mn, link), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
			on(join("g2", "s", 2*mn, "S"), act{rules.Remove, "g2", "s", rules.RuleBlacklist, 0},
				act{rules.Notify, "g2", "boss", rules.RuleBlacklist, 0}),
			tick(day), // no welcome for s
		}},
		{"F34 a blacklisted member who speaks elsewhere is removed", rules.Policy{}, []step{
			on(msg("s", 0, "赌博"), removed("s", rules.RuleProhibited, 0)...),
			on(in("g2", msg("s", mn, "hi")), act{rules.Remove, "g2", "s", rules.RuleBlacklist, 0}),
		}},
		{"F34 an admin's warn event counts; a rule's echo does not", rules.Policy{Admins: []string{"boss"}}, []step{
			on(typed(qunops.Warn, "s", 0, "rule:link")),
			on(typed(qunops.Warn, "s", sec, "somebody")),
			on(typed(qunops.Warn, "s", 2*sec, "boss")),
			on(msg("s", mn, link), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
		}},
		{"F34 a warning that reaches the limit by an admin removes", rules.Policy{Admins: []string{"boss"}}, []step{
			on(msg("s", 0, link), warn("s", rules.RuleLink, 1)),
			on(typed(qunops.Warn, "s", mn, "boss"), removed("s", rules.RuleManual, 2)...),
		}},
		{"F34 a late event counts the warnings live at its own time", rules.Policy{}, []step{
			on(msg("s", 40*day, link), warn("s", rules.RuleLink, 1)),
			on(msg("s", 5*day, link), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.p.Prohibited = append(c.p.Prohibited, "赌博")
			run(t, c.p, c.steps)
		})
	}
}

// TestOffences_F6_F4_F38 checks each offence and the rule it names.
func TestOffences_F6_F4_F38(t *testing.T) {
	base := rules.Policy{
		Prohibited:     []string{"赌博"},
		Warnable:       []string{"加微信", "vx", "代购"},
		AllowedDomains: []string{"qunops.cn"},
	}
	link1 := warn("s", rules.RuleLink, 1)
	cases := []struct {
		name string
		off  []string
		ev   qunops.Event
		want []act
	}{
		{"F6 an https link", nil, msg("s", 0, "看 https://evil.example.org/a?b"), []act{link1}},
		{"F6 a www link", nil, msg("s", 0, "www.abc123.net"), []act{link1}},
		{"F6 a bare short link", nil, msg("s", 0, "戳t.cn/abc领券"), []act{link1}},
		{"F6 a link in capitals", nil, msg("s", 0, "SHOP.EXAMPLE.COM"), []act{link1}},
		{"F6 an allowed domain", nil, msg("s", 0, "文档 https://qunops.cn/docs"), nil},
		{"F6 a subdomain of an allowed domain", nil, msg("s", 0, "https://Docs.QUNOPS.cn"), nil},
		{"F6 an allowed name inside another domain", nil, msg("s", 0, "qunops.cn.evil.com"), []act{link1}},
		{"F6 an allowed link next to an outside one", nil, msg("s", 0, "qunops.cn 和 evil.com"), []act{link1}},
		{"F6 numbers and versions are not links", nil, msg("s", 0, "价格3.14元, 版本v1.2.3, 文件a.txt"), nil},
		{"F6 the longest top-level domain", nil, msg("s", 0, "go.Online"), []act{link1}},
		{"F6 a longer word after a dot is no domain", nil, msg("s", 0, "go.onlines"), nil},
		{"F6 dots and dashes around a host are trimmed", nil, msg("s", 0, "...-evil.com-..."), []act{link1}},
		{"F6 trailing dots are no link", nil, msg("s", 0, "好的a... 嗯.. -.- ."), nil},
		{"F6 a link message to an outside page", nil, kind("s", 0, qunops.KindLink, "好文 https://mp.example.com/s"), []act{link1}},
		{"F6 a link message to an allowed page", nil, kind("s", 0, qunops.KindLink, "https://qunops.cn/blog"), nil},
		{"F6 a mini-program", nil, kind("s", 0, qunops.KindMiniProgram, "拼团"), []act{link1}},
		{"F6 a name card", nil, kind("s", 0, qunops.KindCard, "张三的名片"), []act{warn("s", rules.RuleCard, 1)}},
		{"F6 an image is fine", nil, kind("s", 0, qunops.KindImage, ""), nil},
		{"F6 a warnable keyword through noise", nil, msg("s", 0, "加 * 微 ✨ 信 送礼"), []act{warn("s", rules.RuleKeyword, 1)}},
		{"F6 a warnable keyword in full-width capitals", nil, msg("s", 0, "私我ＶＸ"), []act{warn("s", rules.RuleKeyword, 1)}},
		{"F6 a link and a keyword: the link is named", nil, msg("s", 0, "代购 t.cn/x"), []act{link1}},
		{"F6 the link rule off", []string{rules.RuleLink}, msg("s", 0, "t.cn/x"), nil},
		{"F6 the keyword rule off", []string{rules.RuleKeyword}, msg("s", 0, "代购"), nil},
		{"F38 a prohibited keyword removes at once", nil, msg("s", 0, "来赌博吗"), removed("s", rules.RuleProhibited, 0)},
		{"F38 a prohibited keyword through noise", nil, msg("s", 0, "赌.博"), removed("s", rules.RuleProhibited, 0)},
		{"F38 prohibited beats warnable in one message", nil, msg("s", 0, "代购 赌博 t.cn"), removed("s", rules.RuleProhibited, 0)},
		{"F38 the prohibited rule off", []string{rules.RuleProhibited}, msg("s", 0, "赌博"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base
			p.Off = c.off
			run(t, p, []step{on(c.ev, c.want...)})
		})
	}
}

// TestRecall_F6 checks that Recall comes first and names the message.
func TestRecall_F6(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Recall: true, Prohibited: []string{"赌博"}}))
	if err != nil {
		t.Fatal(err)
	}
	ev := msg("s", 0, "t.cn/abc")
	ev.ID = "chatlog:7"
	got := handle(t, e, ev)
	if len(got) != 2 || got[0].Type != rules.Recall || got[0].MessageID != "chatlog:7" || got[0].Rule != rules.RuleLink || got[1].Type != rules.Warn {
		t.Errorf("link with Recall: got %+v, want a Recall of chatlog:7 for rule link, then a Warn", got)
	}
	got = handle(t, e, withID(msg("x", 0, "赌博"), "chatlog:8"))
	if len(got) != 3 || got[0].Type != rules.Recall || got[0].Rule != rules.RuleProhibited {
		t.Errorf("prohibited with Recall: got %+v, want Recall, Remove, Blacklist", got)
	}
}

// TestFlood_F4 checks the sliding flood window; the issue requires that 30
// messages in 10 seconds be a flood under the defaults.
func TestFlood_F4(t *testing.T) {
	burst := func(n int, span time.Duration) []qunops.Event {
		var evs []qunops.Event
		for i := range n {
			evs = append(evs, msg("s", span*time.Duration(i)/time.Duration(n), fmt.Sprintf("第%d条", i)))
		}
		return evs
	}
	count := func(p rules.Policy, evs []qunops.Event) (warns, removes int, first int) {
		e, err := rules.New(lax(p))
		if err != nil {
			t.Fatal(err)
		}
		first = -1
		for i, ev := range evs {
			for _, a := range handle(t, e, ev) {
				switch {
				case a.Type == rules.Warn && a.Rule == rules.RuleFlood:
					warns++
					if first < 0 {
						first = i + 1
					}
				case a.Type == rules.Remove && a.Rule == rules.RuleFlood:
					removes++
				}
			}
		}
		return
	}
	cases := []struct {
		name              string
		p                 rules.Policy
		evs               []qunops.Event
		warns, removes, n int // n: the message that gave the first warning
	}{
		{"F4 30 messages in 10 seconds flood, one burst, one warning", rules.Policy{}, burst(30, 10*sec), 1, 0, 10},
		{"F4 10 messages in 9 seconds flood", rules.Policy{}, burst(10, 9*sec), 1, 0, 10},
		{"F4 9 messages in 1 second do not", rules.Policy{}, burst(9, sec), 0, 0, -1},
		{"F4 10 messages over 10.8 seconds do not", rules.Policy{}, burst(10, 12*sec), 0, 0, -1},
		{"F4 a policy of 3 in 1 second", rules.Policy{FloodMessages: 3, FloodWindow: sec}, burst(3, 900*time.Millisecond), 1, 0, 3},
		{"F4 the flood rule off", rules.Policy{Off: []string{rules.RuleFlood}}, burst(30, 10*sec), 0, 0, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, r, n := count(c.p, c.evs)
			if w != c.warns || r != c.removes || n != c.n {
				t.Errorf("flood warnings %d, removals %d, first at message %d; want %d, %d, %d", w, r, n, c.warns, c.removes, c.n)
			}
		})
	}
}

// TestRepeat_F4 checks the repeated-message rule: the third identical text in
// a row within 10 minutes.
func TestRepeat_F4(t *testing.T) {
	rep := warn("s", rules.RuleRepeat, 1)
	cases := []struct {
		name  string
		steps []step
	}{
		{"F4 three identical messages", []step{
			on(msg("s", 0, "买买买")), on(msg("s", mn, "买买买")), on(msg("s", 2*mn, "买买买"), rep)}},
		{"F4 two identical messages are fine", []step{
			on(msg("s", 0, "好的")), on(msg("s", mn, "好的"))}},
		{"F4 a different message breaks the run", []step{
			on(msg("s", 0, "买")), on(msg("s", mn, "买")), on(msg("s", 2*mn, "卖")), on(msg("s", 3*mn, "买"))}},
		{"F4 a gap of more than 10 minutes breaks the run", []step{
			on(msg("s", 0, "买")), on(msg("s", mn, "买")), on(msg("s", 12*mn, "买"))}},
		{"F4 images between do not break the run", []step{
			on(msg("s", 0, "买")), on(kind("s", sec, qunops.KindImage, "")), on(msg("s", mn, "买")), on(msg("s", 2*mn, "买"), rep)}},
		{"F4 other members do not share the run", []step{
			on(msg("s", 0, "+1")), on(msg("t", sec, "+1")), on(msg("s", mn, "+1")), on(msg("t", mn, "+1"))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, rules.Policy{}, c.steps) })
	}
}

// TestAdmins_F41 checks that admins are exempt from every rule.
func TestAdmins_F41(t *testing.T) {
	p := rules.Policy{Admins: []string{"boss"}, Prohibited: []string{"赌博"}, Warnable: []string{"代购"},
		Replies: []rules.AutoReply{{Keywords: []string{"几点"}, Text: "9点"}}}
	var steps []step
	for i := range 40 {
		steps = append(steps, on(msg("boss", time.Duration(i)*100*time.Millisecond, "代购 赌博 t.cn 几点")))
	}
	steps = append(steps,
		on(join("g1", "boss", 0, "老板")),
		on(typed(qunops.Warn, "boss", mn, "boss")),
		tick(2*day))
	run(t, p, steps)
}

// TestWelcome_F5_F18 checks batching and the 24-hour bound.
func TestWelcome_F5_F18(t *testing.T) {
	w := func(members string) act { return act{rules.Welcome, "g1", members, rules.RuleWelcome, 0} }
	var twenty []step
	var ids []string
	for i := range 20 {
		id := fmt.Sprintf("m%02d", i)
		ids = append(ids, id)
		twenty = append(twenty, on(join("g1", id, time.Duration(i)*2*sec, "")))
	}
	twenty = append(twenty, tick(38*sec+mn-time.Millisecond), tick(38*sec+mn, w(strings.Join(ids, ","))))

	var steady []step // a join every 50 seconds for 25 hours
	for i := range 25 * 72 {
		steady = append(steady, on(join("g1", fmt.Sprintf("n%04d", i), time.Duration(i)*50*sec, "")))
	}
	cases := []struct {
		name  string
		steps []step
		check func(t *testing.T, got []rules.Action)
	}{
		{"F5 20 joins in a burst make one welcome", twenty, nil},
		{"F5 a member who left is not welcomed", []step{
			on(join("g1", "a", 0, "")), on(join("g1", "b", sec, "")), on(typed(qunops.Leave, "a", 2*sec, "")),
			tick(day, w("b"))}, nil},
		{"F5 a member banned before the welcome is not welcomed", []step{
			on(join("g1", "a", 0, "")), on(join("g1", "b", sec, "")),
			on(msg("a", 2*sec, "赌博"), removed("a", rules.RuleProhibited, 0)...),
			tick(day, w("b"))}, nil},
		{"F5 two groups, two welcomes in group order", []step{
			on(join("g2", "a", 0, "")), on(join("g1", "b", 0, "")),
			tick(day, w("b"), act{rules.Welcome, "g2", "a", rules.RuleWelcome, 0})}, nil},
		{"F18 a steady trickle still gets a welcome within 24 hours", append(steady, tick(26*hour)), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if strings.HasPrefix(c.name, "F18") {
				e, _ := rules.New(lax(rules.Policy{Prohibited: []string{"赌博"}}))
				var welcomes []rules.Action
				for _, s := range c.steps {
					if s.ev.Type != "" {
						handle(t, e, s.ev)
						// Tick every 10 seconds of event time, as a bot would.
						welcomes = append(welcomes, e.Tick(s.ev.Time)...)
					}
				}
				welcomes = append(welcomes, e.Tick(t0.Add(26*hour))...)
				if len(welcomes) != 2 {
					t.Fatalf("got %d welcomes, want 2 (one at 24 h, one for the rest)", len(welcomes))
				}
				if got := welcomes[0].Time.Sub(t0); got != 24*hour {
					t.Errorf("first welcome at +%v, want +24h (seed F18)", got)
				}
				if n := len(welcomes[0].Members) + len(welcomes[1].Members); n != 25*72 {
					t.Errorf("welcomed %d members, want %d", n, 25*72)
				}
				return
			}
			run(t, rules.Policy{Prohibited: []string{"赌博"}}, c.steps)
		})
	}
}

// TestNickname_F5 checks the default pattern and the one reminder.
func TestNickname_F5(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Off: []string{rules.RuleWelcome}}))
	if err != nil {
		t.Fatal(err)
	}
	fits := map[string]bool{
		"【上海-Amy】": true, "上海-Amy": true, "北京－小王": true, "【广州—阿强】": true, "Shanghai-Tom": true,
		"上海 - Amy": true, "Amy": false, "张三": false, "【Amy】": false, "上-Amy": false, "上海-": false, "-Amy": false,
		"【上海-Amy": false,
	}
	for name, want := range fits {
		t.Run("F5 "+name, func(t *testing.T) {
			handle(t, e, join("g1", "x"+name, 0, name))
			got := e.Tick(t0.Add(25 * hour))
			if (len(got) == 0) != want {
				t.Errorf("%q: reminders %v, want fits=%v", name, got, want)
			}
		})
	}
	rem := act{rules.Remind, "g1", "a", rules.RuleNickname, 0}
	cases := []struct {
		name  string
		steps []step
	}{
		{"F5 one reminder after 24 hours", []step{
			on(join("g1", "a", 0, "Amy")), tick(24*hour - time.Millisecond), tick(24*hour, rem), tick(100 * day)}},
		{"F5 a rename that fits cancels the reminder", []step{
			on(join("g1", "a", 0, "Amy")), on(qunops.Event{Type: qunops.Rename, Group: "g1", Member: "a", Time: t0.Add(hour), Text: "上海-Amy"}),
			tick(100 * day)}},
		{"F5 a rename that does not fit after the reminder gives no second one", []step{
			on(join("g1", "a", 0, "Amy")), tick(25*hour, rem),
			on(qunops.Event{Type: qunops.Rename, Group: "g1", Member: "a", Time: t0.Add(26 * hour), Text: "Amy2"}),
			tick(100 * day)}},
		{"F5 a member who leaves is not reminded", []step{
			on(join("g1", "a", 0, "Amy")), on(typed(qunops.Leave, "a", hour, "")), tick(100 * day)}},
		{"F5 the nickname rule off", []step{
			on(join("g1", "a", 0, "Amy")), tick(100 * day)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := rules.Policy{Off: []string{rules.RuleWelcome}}
			if strings.HasSuffix(c.name, "off") {
				p.Off = append(p.Off, rules.RuleNickname)
			}
			run(t, p, c.steps)
		})
	}
}

// TestReplies_F10 checks auto replies: first matching rule, cooldown per
// member and rule.
func TestReplies_F10(t *testing.T) {
	p := rules.Policy{Replies: []rules.AutoReply{
		{Name: "hours", Keywords: []string{"几点", "营业时间"}, Text: "9:00-21:00"},
		{Name: "price", Keywords: []string{"多少钱", "几点"}, Text: "看公告"},
	}}
	r := func(m, name string) act { return act{rules.Reply, "g1", m, "reply:" + name, 0} }
	cases := []struct {
		name  string
		steps []step
	}{
		{"F10 a keyword gets its answer", []step{on(msg("a", 0, "请问多少钱"), r("a", "price"))}},
		{"F10 the first matching rule wins", []step{on(msg("a", 0, "多少钱?几点开门"), r("a", "hours"))}},
		{"F10 one answer per member and rule per hour", []step{
			on(msg("a", 0, "几点"), r("a", "hours")), on(msg("a", 59*mn, "几点")), on(msg("b", 59*mn, "几点"), r("b", "hours")),
			on(msg("a", 59*mn, "多少钱"), r("a", "price")), on(msg("a", hour, "几 点"), r("a", "hours"))}},
		{"F10 an offending message gets no answer", []step{on(msg("a", 0, "几点 t.cn/x"), warn("a", rules.RuleLink, 1))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, p, c.steps) })
	}
}

// TestDisputes_F9_F41 checks the dispute ladder.
func TestDisputes_F9_F41(t *testing.T) {
	three := []string{"a1", "a2", "a3"}
	n := func(admin string) act { return act{rules.Notify, "g1", admin, rules.RuleDispute, 0} }
	esc := func(admin string, level int) act { return act{rules.Escalate, "g1", admin, rules.RuleDispute, level} }
	report := func(at time.Duration) qunops.Event { return typed(qunops.Report, "bad", at, "victim") }
	resolve := func(at time.Duration) qunops.Event { return typed(qunops.Resolve, "bad", at, "a1") }
	cases := []struct {
		name   string
		admins []string
		steps  []step
	}{
		{"F9 resolved within 15 minutes: no escalation", three, []step{
			on(report(0), n("a1")), on(resolve(14 * mn)), tick(day)}},
		{"F41 unanswered: each step once, then everyone", three, []step{
			on(report(0), n("a1")), tick(15*mn - time.Millisecond), tick(15*mn, esc("a2", 1)), tick(29 * mn),
			tick(30*mn, esc("a3", 2)), tick(45*mn, esc("a1", 3), esc("a2", 3), esc("a3", 3)), tick(day)}},
		{"F41 a late Tick fires every step in order", three, []step{
			on(report(0), n("a1")), tick(day, esc("a2", 1), esc("a3", 2), esc("a1", 3), esc("a2", 3), esc("a3", 3))}},
		{"F9 a resolve between steps stops the ladder", three, []step{
			on(report(0), n("a1")), tick(16*mn, esc("a2", 1)), on(resolve(20 * mn)), tick(day)}},
		{"F9 a second report joins the open dispute", three, []step{
			on(report(0), n("a1")), on(report(mn)), tick(15*mn, esc("a2", 1))}},
		{"F9 a report after a resolve opens a new dispute", three, []step{
			on(report(0), n("a1")), on(resolve(mn)), on(report(2*mn), n("a1")), tick(17*mn, esc("a2", 1))}},
		{"F41 one admin: notified, then escalated to once", []string{"a1"}, []step{
			on(report(0), n("a1")), tick(day, esc("a1", 1))}},
		{"F41 no admins: nothing to notify", nil, []step{on(report(0)), tick(day)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, rules.Policy{Admins: c.admins}, c.steps) })
	}
}

// TestPardonLift_F34 checks the admin tools and their records.
func TestPardonLift_F34(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Admins: []string{"boss"}}))
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("s", 0, "t.cn/a"))
	if got := e.Warnings("g1", "s", t0); got != 1 {
		t.Fatalf("warnings %d, want 1", got)
	}
	if err := e.Pardon("s", "g1", "s", t0); err == nil {
		t.Error("pardon by a non-admin: no error")
	}
	if err := e.Pardon("boss", "g1", "s", t0.Add(mn)); err != nil {
		t.Fatal(err)
	}
	if got := handle(t, e, msg("s", 2*mn, "t.cn/a")); len(got) != 1 || got[0].Level != 1 {
		t.Errorf("after a pardon: %+v, want one Warn at level 1", got)
	}
	handle(t, e, msg("s", 3*mn, "t.cn/a"))
	if !e.Blacklisted("s") {
		t.Fatal("not blacklisted after two warnings")
	}
	if err := e.Lift("boss", "nobody", t0); err == nil {
		t.Error("lifting a member not blacklisted: no error")
	}
	if err := e.Lift("boss", "s", t0.Add(hour)); err != nil {
		t.Fatal(err)
	}
	if got := handle(t, e, join("g1", "s", 2*hour, "")); len(got) != 0 {
		t.Errorf("join after a lift: %+v, want nothing", got)
	}
	want := []rules.Record{
		{Time: t0.Add(mn).UTC(), Act: "pardon", By: "boss", Group: "g1", Member: "s"},
		{Time: t0.Add(hour).UTC(), Act: "lift", By: "boss", Member: "s"},
	}
	if got := e.Audit(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("audit %v, want %v", got, want)
	}
}

// TestTexts checks language matching, the seed's welcome and overrides.
func TestTexts(t *testing.T) {
	cases := []struct {
		name, lang string
		texts      rules.Texts
		want       string
	}{
		{"F5 the default is the seed's Chinese welcome", "", rules.Texts{}, "欢迎张三、李四加入本群!请阅读群公告→修改昵称为【城市-昵称】"},
		{"zh-CN matches Simplified Chinese", "zh-CN", rules.Texts{}, "欢迎张三、李四加入本群!请阅读群公告→修改昵称为【城市-昵称】"},
		{"en-GB matches English", "en-GB", rules.Texts{}, "Welcome 张三, 李四 to the group! Please read the announcement and rename yourself to 【City-Nickname】."},
		{"an override", "en", rules.Texts{Welcome: "Hi {names}!"}, "Hi 张三, 李四!"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := rules.New(lax(rules.Policy{Language: c.lang, Texts: c.texts, Off: []string{rules.RuleNickname}}))
			if err != nil {
				t.Fatal(err)
			}
			handle(t, e, join("g1", "a", 0, "张三"))
			handle(t, e, join("g1", "b", 0, "李四"))
			got := e.Tick(t0.Add(day))
			if len(got) != 1 || got[0].Text != c.want {
				t.Errorf("got %+v, want one welcome %q", got, c.want)
			}
		})
	}
	e, _ := rules.New(lax(rules.Policy{Language: "en", Texts: rules.Texts{Reasons: map[string]string{rules.RuleLink: "links are for admins"}}}))
	if got := handle(t, e, msg("s", 0, "t.cn/x")); len(got) != 1 || got[0].Text != "@s warning 1 of 2: links are for admins." {
		t.Errorf("warn text %+v", got)
	}
}

// TestRemoveCooldown_F34 checks that a blacklisted member (seed F34: remove
// at once and blacklist) who keeps speaking gets at most one Remove per group
// within Policy.RemoveCooldown of the last one, the Remove of the ban
// included, and a Recall of every message when Recall is on.
func TestRemoveCooldown_F34(t *testing.T) {
	rm := func(g string) act { return act{rules.Remove, g, "s", rules.RuleBlacklist, 0} }
	rc := func(g, rule string) act { return act{rules.Recall, g, "s", rule, 0} }
	prohibited := func(at time.Duration) step {
		return on(msg("s", at, "赌博"), removed("s", rules.RuleProhibited, 0)...)
	}
	// A flood of 30 messages in 10 seconds (F4) by a member already removed.
	burst := func(from time.Duration, want ...act) []step {
		var out []step
		for i := range 30 {
			out = append(out, on(msg("s", from+time.Duration(i)*333*time.Millisecond, fmt.Sprint("x", i)), want...))
		}
		return out
	}
	cases := []struct {
		name  string
		p     rules.Policy
		steps []step
	}{
		{"F34 F4 a burst after the ban gets no Remove within 1 minute", rules.Policy{},
			append([]step{prohibited(0)}, burst(sec)...)},
		{"F34 F4 with Recall every message of the burst is recalled", rules.Policy{Recall: true},
			append([]step{on(msg("s", 0, "赌博"), with(rc("g1", rules.RuleProhibited), removed("s", rules.RuleProhibited, 0)...)...)},
				burst(sec, rc("g1", rules.RuleBlacklist))...)},
		{"F34 the cooldown ends 1 minute after the Remove of the ban", rules.Policy{}, []step{
			prohibited(0),
			on(msg("s", mn-time.Millisecond, "hi")),
			on(msg("s", mn, "hi"), rm("g1")),
			on(msg("s", mn+30*sec, "hi")),
			on(msg("s", 2*mn, "hi"), rm("g1")),
		}},
		{"F34 the cooldown is per group", rules.Policy{}, []step{
			prohibited(0),
			on(in("g2", msg("s", sec, "hi")), rm("g2")),
			on(in("g2", msg("s", 2*sec, "hi"))),
			on(in("g3", msg("s", 3*sec, "hi")), rm("g3")),
			on(msg("s", 4*sec, "hi")),
		}},
		{"F34 a join always gets its Remove and restarts the cooldown", rules.Policy{}, []step{
			prohibited(0),
			on(join("g1", "s", 10*sec, "S"), rm("g1")),
			on(msg("s", 65*sec, "hi")),
			on(msg("s", 70*sec, "hi"), rm("g1")),
		}},
		{"F34 a message older than the last Remove is covered by it", rules.Policy{}, []step{
			prohibited(10 * mn),
			on(msg("s", 2*mn, "hi")),
		}},
		{"F34 a warning ban starts the cooldown too", rules.Policy{}, []step{
			on(msg("s", 0, "t.cn/a"), warn("s", rules.RuleLink, 1)),
			on(msg("s", sec, "t.cn/b"), with(warn("s", rules.RuleLink, 2), removed("s", rules.RuleLink, 2)...)...),
			on(msg("s", 2*sec, "hi")),
		}},
		{"F34 RemoveCooldown 10 seconds", rules.Policy{RemoveCooldown: 10 * sec}, []step{
			prohibited(0),
			on(msg("s", 9*sec, "hi")),
			on(msg("s", 10*sec, "hi"), rm("g1")),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.p.Prohibited = append(c.p.Prohibited, "赌博")
			run(t, c.p, c.steps)
		})
	}
	t.Run("F34 a lift and a new ban start afresh", func(t *testing.T) {
		e := run(t, rules.Policy{Admins: []string{"boss"}, Prohibited: []string{"赌博"}}, []step{
			prohibited(0),
			on(in("g2", msg("s", sec, "hi")), rm("g2")),
		})
		if err := e.Lift("boss", "s", t0.Add(2*sec)); err != nil {
			t.Fatal(err)
		}
		got := acts(handle(t, e, in("g2", msg("s", 3*sec, "赌博"))))
		want := []act{{rules.Remove, "g2", "s", rules.RuleProhibited, 0}, {rules.Blacklist, "g2", "s", rules.RuleProhibited, 0}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("new ban (-want +got):\n%s", diff)
		}
		// g1 has no Remove since the new ban: its first message gets one.
		if diff := cmp.Diff([]act{rm("g1")}, acts(handle(t, e, msg("s", 4*sec, "hi")))); diff != "" {
			t.Errorf("g1 after the new ban (-want +got):\n%s", diff)
		}
		if got := acts(handle(t, e, in("g2", msg("s", 5*sec, "hi")))); got != nil {
			t.Errorf("g2 within the new ban's cooldown: %v", got)
		}
	})
}
