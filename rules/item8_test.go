package rules_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/rules"
)

// TestItem8GroupReplyCooldown: an auto reply answers once per
// GroupReplyCooldown in a group, whoever asks; the cooldown survives a
// snapshot and a policy that reorders the replies (issue 15, item 8: ten
// people asking the same question in 10 s got ten identical replies).
func TestItem8GroupReplyCooldown(t *testing.T) {
	hours := rules.AutoReply{Name: "hours", Keywords: []string{"几点"}, Text: "9点"}
	price := rules.AutoReply{Name: "price", Keywords: []string{"价格"}, Text: "99元"}
	e, err := rules.New(lax(rules.Policy{Replies: []rules.AutoReply{hours, price}}))
	if err != nil {
		t.Fatal(err)
	}
	reply := func(m, g, name string) act { return act{rules.Reply, g, m, "reply:" + name, 0} }
	var got []act
	for i := range 10 {
		got = append(got, acts(handle(t, e, msg(fmt.Sprint("u", i), time.Duration(i)*sec, "请问几点开门?")))...)
	}
	if diff := cmp.Diff([]act{reply("u0", "g1", "hours")}, got); diff != "" {
		t.Errorf("ten askers in 10 s (-want +got):\n%s", diff)
	}
	// Another reply and another group are not cooling down.
	if diff := cmp.Diff([]act{reply("u1", "g1", "price")}, acts(handle(t, e, msg("u1", 20*sec, "价格多少")))); diff != "" {
		t.Errorf("another reply (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]act{reply("u1", "g2", "hours")}, acts(handle(t, e, in("g2", msg("u1", 20*sec, "几点"))))); diff != "" {
		t.Errorf("another group (-want +got):\n%s", diff)
	}
	var r rules.Engine
	if err := json.Unmarshal([]byte(snapshot(t, e)), &r); err != nil {
		t.Fatal(err)
	}
	if err := r.SetPolicy(lax(rules.Policy{Replies: []rules.AutoReply{price, hours}})); err != nil {
		t.Fatal(err)
	}
	if got := handle(t, &r, msg("u9", 59*sec, "几点")); got != nil {
		t.Errorf("within the group cooldown after a restart: %+v", got)
	}
	if diff := cmp.Diff([]act{reply("u9", "g1", "hours")}, acts(handle(t, &r, msg("u9", mn, "几点")))); diff != "" {
		t.Errorf("after the group cooldown (-want +got):\n%s", diff)
	}
	if got := handle(t, &r, msg("u0", 3*mn, "几点")); got != nil {
		t.Errorf("the member cooldown still holds: %+v", got)
	}
}
