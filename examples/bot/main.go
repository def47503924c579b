// Command bot shows how a WeChat group bot embeds the rule engine: a fake
// transport delivers a scripted morning of one group as qunops events, the
// bot hands each to the engine, calls Tick as its clock advances, and
// performs the actions that come back (here: prints them). Halfway through
// it "restarts", saving the engine's state and restoring it into a new
// engine, as a real bot would across a deploy.
//
//	go run ./examples/bot
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

const group = "20001@chatroom"

func at(hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", "2026-03-02 "+hhmm, qunops.DefaultLocation())
	if err != nil {
		panic(err)
	}
	return t
}

// script is the fake transport's morning: what WeChat would deliver.
func script() []qunops.Event {
	msg := func(hhmm, member, text string) qunops.Event {
		return qunops.Event{Type: qunops.Message, Group: group, Member: member, Time: at(hhmm), Kind: qunops.KindText, Text: text}
	}
	return []qunops.Event{
		{Type: qunops.Join, Group: group, Member: "wxid_li", Actor: "wxid_wang", Text: "上海-小李", Time: at("08:00:05")},
		{Type: qunops.Join, Group: group, Member: "wxid_chen", Actor: "wxid_wang", Text: "阿陈", Time: at("08:00:20")},
		{Type: qunops.Join, Group: group, Member: "wxid_zhou", Actor: "wxid_wang", Text: "周周", Time: at("08:00:40")},
		msg("08:02:00", "wxid_li", "大家好！请问发货一般几天？"),
		msg("08:05:00", "wxid_zhou", "便宜代购，加 微 信 vx123"),
		msg("08:06:00", "wxid_zhou", "加*微*信 领红包"),
		{Type: qunops.Join, Group: group, Member: "wxid_zhou", Actor: "wxid_zhou", Text: "周周", Time: at("08:30:00")},
		{Type: qunops.Report, Group: group, Member: "wxid_chen", Actor: "wxid_li", Text: "骂人", Time: at("09:00:00")},
		msg("09:10:00", "wxid_admin1", "我看一下"),
		{Type: qunops.Resolve, Group: group, Member: "wxid_chen", Actor: "wxid_admin2", Time: at("09:20:00")},
	}
}

func run(w io.Writer) error {
	policy := rules.DefaultPolicy()
	policy.Admins = []string{"wxid_admin1", "wxid_admin2", "wxid_admin3"} // the dispute ladder (F41)
	policy.Warnable = []string{"加微信", "代购"}                               // ad keywords (F6)
	policy.GroupNames = map[string]string{group: "售后服务群"}
	policy.Replies = []rules.AutoReply{{Name: "shipping", Keywords: []string{"发货"}, Text: "订单一般48小时内发货。"}}
	engine, err := rules.New(policy)
	if err != nil {
		return err
	}
	perform := func(as []rules.Action) {
		for _, a := range as {
			who := a.Member
			if a.Type == rules.Welcome { // a welcome is about several members
				who = strings.Join(a.Members, ",")
			}
			fmt.Fprintf(w, "%s  %-9s %-12s %s\n", a.Time.Format("01-02 15:04:05"), a.Type, who+" ["+a.Rule+"]", a.Text)
		}
	}
	events := script()
	for i, ev := range events {
		if i == 6 {
			// A deploy: save the state, start a new engine from it.
			state, err := engine.MarshalJSON()
			if err != nil {
				return err
			}
			engine = new(rules.Engine)
			if err := engine.UnmarshalJSON(state); err != nil {
				return err
			}
			// The restored engine runs the snapshot's policy; a redeployed
			// bot applies its own to the state.
			if err := engine.SetPolicy(policy); err != nil {
				return err
			}
			fmt.Fprintf(w, "--- restart: %d bytes of state restored ---\n", len(state))
		}
		perform(engine.Tick(ev.Time)) // the bot's clock: timers due before this event
		as, err := engine.Handle(ev)
		if err != nil { // an invalid event, or one stamped far ahead of the clock
			fmt.Fprintf(w, "rejected: %v\n", err)
			continue
		}
		perform(as)
	}
	// The bot keeps ticking: a day after joining, a member whose name does
	// not fit 【城市-昵称】 gets one reminder (F5).
	perform(engine.Tick(at("12:00:00").AddDate(0, 0, 1)))
	return nil
}
