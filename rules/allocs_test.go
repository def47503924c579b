package rules_test

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestHandleZeroAllocsIssue19: with every rule of issue 19 on (competitors,
// passphrases, promotions held for review, transfers, invites), a clean
// text message still costs no allocation (CONTRIBUTING: hot paths keep 0
// allocs per call), nor does a member's message while their passphrase
// check is pending.
func TestHandleZeroAllocsIssue19(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Admins: []string{"a1", "a2", "a3"}, Warnable: []string{"代购"},
		Competitors: []string{"拼多多"}, Passphrases: []string{"芝麻开门"}, Promotions: []string{"推广"},
		TransferReaction: rules.ReactWarn, Replies: []rules.AutoReply{{Keywords: []string{"几点"}, Text: "9点"}}}))
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, join("g1", "n", 0, "【上海-小李】")) // a pending passphrase check
	texts := []string{"今天天气不错", "明天见", "好的收到", "谢谢大家", "hello there"}
	members := []string{"m0", "m1", "m2", "m3", "m4"}
	at := t0
	for i := range 50 { // warm up: every member tracked, every buffer grown
		at = at.Add(time.Second)
		handle(t, e, qunops.Event{Type: qunops.Message, Group: "g1", Member: members[i%5], Time: at, Text: texts[i%5]})
		if i%2 == 0 { // no flood: five messages in ten seconds
			if got := handle(t, e, qunops.Event{Type: qunops.Message, Group: "g1", Member: "n", Time: at, Text: texts[(i+1)%5]}); got != nil {
				t.Fatalf("warm-up: %+v", got)
			}
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		at = at.Add(time.Second)
		i++
		ev := qunops.Event{Type: qunops.Message, Group: "g1", Member: members[i%5], Time: at, Text: texts[i%5]}
		if i%2 == 0 {
			ev.Member, ev.Text = "n", texts[(i+1)%5]
		}
		if acts, err := e.Handle(ev); acts != nil || err != nil {
			t.Fatalf("clean message %q gave %+v, %v", ev.Text, acts, err)
		}
	})
	if allocs != 0 {
		t.Errorf("Handle of a clean message: %v allocations, want 0", allocs)
	}
}
