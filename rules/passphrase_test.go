package rules_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestF14Passphrase: a newcomer must say the join passphrase (seed F14:
// 入群暗号) within PassphraseWindow (10 minutes, ours), else gets a Remind,
// and after a second window a Remove without a blacklisting.
func TestF14Passphrase(t *testing.T) {
	p := rules.Policy{Admins: []string{"a1", "a2", "a3"}, Passphrases: []string{"芝麻开门"},
		Off: []string{rules.RuleWelcome, rules.RuleNickname}}
	remind := act{rules.Remind, "g1", "n", rules.RulePassphrase, 0}
	remove := act{rules.Remove, "g1", "n", rules.RulePassphrase, 0}
	cases := []struct {
		name  string
		p     rules.Policy
		steps []step
	}{
		{"F14 silence gives a reminder at 10 minutes and a removal at 20", p, []step{
			on(join("g1", "n", 0, "")),
			tick(10*mn-1, nil...),
			tick(10*mn, remind),
			tick(20*mn-1, nil...),
			tick(20*mn, remove),
			tick(day),
		}},
		{"F14 the passphrase said in time ends the check", p, []step{
			on(join("g1", "n", 0, "")),
			on(msg("n", 10*mn-1, "暗号:芝 麻 开 门")),
			tick(day),
		}},
		{"F14 the passphrase said after the reminder saves the member", p, []step{
			on(join("g1", "n", 0, "")),
			tick(10*mn, remind),
			on(msg("n", 15*mn, "芝麻开门")),
			tick(day),
		}},
		{"F14 other messages do not count", p, []step{
			on(join("g1", "n", 0, "")),
			on(msg("n", mn, "大家好")),
			tick(10*mn, remind),
			tick(20*mn, remove),
		}},
		{"F14 a leave ends the check", p, []step{
			on(join("g1", "n", 0, "")),
			on(typed(qunops.Leave, "n", mn, "")),
			tick(day),
		}},
		{"F14 a rejoin starts the check again", p, []step{
			on(join("g1", "n", 0, "")),
			on(join("g1", "n", 8*mn, "")),
			tick(10*mn, nil...),
			tick(18*mn, remind),
		}},
		{"F14 admins are not asked", p, []step{
			on(join("g1", "a2", 0, "")),
			tick(day),
		}},
		{"F14 no passphrases, no check", rules.Policy{Off: []string{rules.RuleWelcome, rules.RuleNickname}}, []step{
			on(join("g1", "n", 0, "")),
			tick(day),
		}},
		{"F14 the rule can be switched off", rules.Policy{Passphrases: []string{"芝麻开门"}, Off: []string{rules.RulePassphrase, rules.RuleWelcome, rules.RuleNickname}}, []step{
			on(join("g1", "n", 0, "")),
			tick(day),
		}},
		{"F14 a shorter window", rules.Policy{Passphrases: []string{"芝麻开门"}, PassphraseWindow: mn, Off: []string{rules.RuleWelcome, rules.RuleNickname}}, []step{
			on(join("g1", "n", 0, "")),
			tick(mn, remind),
			tick(2*mn, remove),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, c.p, c.steps) })
	}
}

// TestF14PassphraseTexts: the reminder says the deadline in the policy's
// language; the removal gives the passphrase as its reason.
func TestF14PassphraseTexts(t *testing.T) {
	for _, c := range []struct{ lang, remind, remove string }{
		{"", "@n 请在10分钟内发送入群暗号,否则将被移出本群", "n 已被移出本群:未发送入群暗号"},
		{"en", "@n please send the join passphrase within 10 min, or you will be removed from the group.", "n was removed from the group: no join passphrase."},
	} {
		e, err := rules.New(lax(rules.Policy{Language: c.lang, Passphrases: []string{"芝麻开门"}, Off: []string{rules.RuleWelcome}}))
		if err != nil {
			t.Fatal(err)
		}
		handle(t, e, join("g1", "n", 0, ""))
		got := append(e.Tick(t0.Add(10*mn)), e.Tick(t0.Add(20*mn))...)
		if len(got) != 2 || got[0].Text != c.remind || got[1].Text != c.remove {
			t.Errorf("%q: %+v, want texts %q and %q", c.lang, got, c.remind, c.remove)
		}
		if e.Blacklisted("n") {
			t.Errorf("%q: a member without the passphrase was blacklisted", c.lang)
		}
	}
}

// TestF14PassphraseSnapshot: a pending check survives a snapshot at either
// stage, and SetPolicy without passphrases ends it.
func TestF14PassphraseSnapshot(t *testing.T) {
	p := lax(rules.Policy{Passphrases: []string{"芝麻开门"}, Off: []string{rules.RuleWelcome, rules.RuleNickname}})
	e, err := rules.New(p)
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, join("g1", "early", 0, ""))
	handle(t, e, join("g1", "late", 5*mn, ""))
	e.Tick(t0.Add(10 * mn)) // early is reminded; late is not yet
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"member":"early","passphrase_due":"2026-03-02T00:20:00Z","passphrase_reminded":true`,
		`"member":"late","passphrase_due":"2026-03-02T00:15:00Z"}`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("snapshot lacks %s:\n%s", want, data)
		}
	}
	var r rules.Engine
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	// late's reminder at 15m, early's removal at 20m, late's removal at 25m.
	want := []act{{rules.Remind, "g1", "late", rules.RulePassphrase, 0}, {rules.Remove, "g1", "early", rules.RulePassphrase, 0},
		{rules.Remove, "g1", "late", rules.RulePassphrase, 0}}
	if diff := cmp.Diff(want, acts(r.Tick(t0.Add(day)))); diff != "" {
		t.Errorf("after restore (-want +got):\n%s", diff)
	}

	var off rules.Engine
	if err := json.Unmarshal(data, &off); err != nil {
		t.Fatal(err)
	}
	if err := off.SetPolicy(lax(rules.Policy{Off: []string{rules.RuleWelcome, rules.RuleNickname}})); err != nil {
		t.Fatal(err)
	}
	if got := off.Tick(t0.Add(day)); got != nil {
		t.Errorf("a policy without passphrases still checked them: %+v", acts(got))
	}
}
