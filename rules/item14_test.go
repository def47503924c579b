package rules_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItem14Disputes: only an admin resolves a dispute, one reporter opens
// at most DailyReportsMax disputes a day, and a blacklisted member who
// rejoins again and again notifies the admins once per RemoveCooldown
// (issue 15, item 14: the reported member could resolve their own dispute;
// 1,000 reports gave 1,000 Notify and 5,005 Escalate; 100 rejoins gave 100
// Notify).
func TestItem14Disputes(t *testing.T) {
	p := rules.Policy{Admins: []string{"a1", "a2"}, Prohibited: []string{"赌博"}}
	notify := act{rules.Notify, "g1", "a1", rules.RuleDispute, 0}
	run(t, p, []step{
		on(typed(qunops.Report, "bad", 0, "u1"), notify),
		on(typed(qunops.Resolve, "bad", mn, "bad")), // the reported member
		on(typed(qunops.Resolve, "bad", mn, "u1")),  // the reporter
		tick(15*mn, act{rules.Escalate, "g1", "a2", rules.RuleDispute, 1}),
		on(typed(qunops.Resolve, "bad", 16*mn, "a2")),
		tick(day),
	})

	e, err := rules.New(lax(p))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range 1000 {
		n += len(handle(t, e, typed(qunops.Report, fmt.Sprint("m", i), time.Duration(i)*sec, "troll")))
	}
	if n != rules.DefaultDailyReportsMax {
		t.Errorf("1,000 reports by one member gave %d notifies, want %d", n, rules.DefaultDailyReportsMax)
	}
	if got := len(e.Disputes()); got != rules.DefaultDailyReportsMax {
		t.Errorf("%d open disputes, want %d", got, rules.DefaultDailyReportsMax)
	}
	if got := handle(t, e, typed(qunops.Report, "m0", time.Hour, "u2")); got != nil {
		t.Errorf("another reporter's report about an open dispute gave %+v", got)
	}
	if got := handle(t, e, typed(qunops.Report, "x", time.Hour, "u2")); len(got) != 1 {
		t.Errorf("another reporter's first report gave %+v", got)
	}
	if got := handle(t, e, typed(qunops.Report, "y", day, "troll")); len(got) != 1 {
		t.Errorf("the troll's report a day later gave %+v", got)
	}

	// A blacklisted member rejoins 100 times within 50 seconds, then once
	// more after the one-minute RemoveCooldown.
	e, err = rules.New(lax(p))
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("s", 0, "赌博"))
	var got []act
	for i := range 100 {
		got = append(got, acts(handle(t, e, join("g1", "s", sec+time.Duration(i)*500*time.Millisecond, "")))...)
	}
	got = append(got, acts(handle(t, e, join("g1", "s", 2*mn, "")))...)
	var notifies []act
	removes := 0
	for _, a := range got {
		switch a.Type {
		case rules.Notify:
			notifies = append(notifies, a)
		case rules.Remove:
			removes++
		}
	}
	rejoin := act{rules.Notify, "g1", "a1", rules.RuleBlacklist, 0}
	if diff := cmp.Diff([]act{rejoin, rejoin}, notifies); diff != "" || removes != 101 {
		t.Errorf("101 rejoins: %d removes, notifies (-want +got):\n%s", removes, diff)
	}
}
