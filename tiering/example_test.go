package tiering_test

import (
	"fmt"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/tiering"
	"golang.org/x/text/language"
)

var shanghai = time.FixedZone("CST", 8*3600)

func ExamplePolicy_Classify() {
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	p := tiering.DefaultPolicy()
	fmt.Println(p.Classify(tiering.Activity{Messages: 6, Interactions: 6}, now))
	fmt.Println(p.Classify(tiering.Activity{Messages: 1, Interactions: 2}, now))
	fmt.Println(p.Classify(tiering.Activity{Joined: now.Add(-50 * time.Hour)}, now))
	// Output:
	// core core: 6 messages in 7 days > 5 (F31)
	// casual casual: 2 interactions in 7 days <= 3 (F32), with a message or claim (F33)
	// new new: joined 2 days ago, less than 7 days
}

// A month of a small group: tally each week, observe the tiers, and run
// the monthly review (seed F36) on the first of the next month.
func Example_month() {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	d := func(days int, hour int) time.Time { return start.Add(time.Duration(days*24+hour) * time.Hour) }
	var log []qunops.Event
	add := func(e qunops.Event) {
		e.Group, e.ID = "g", fmt.Sprint("ex:", len(log))
		log = append(log, e)
	}
	for _, m := range []string{"alice", "bob", "dave", "eve"} {
		add(qunops.Event{Type: qunops.Roster, Member: m, Time: start})
	}
	for i := range 7 { // alice is busy in the first week only
		add(qunops.Event{Type: qunops.Message, Member: "alice", Time: d(i, 1)})
	}
	for i := range 30 { // bob checks in every day and speaks once a week
		add(qunops.Event{Type: qunops.Checkin, Member: "bob", Time: d(i, 2)})
		if i%7 == 0 {
			add(qunops.Event{Type: qunops.Message, Member: "bob", Time: d(i, 3)})
		}
	}
	add(qunops.Event{Type: qunops.Join, Member: "carol", Actor: "alice", Time: d(23, 0)})
	add(qunops.Event{Type: qunops.Warn, Member: "eve", Actor: "rule:ad", Time: d(18, 0)})
	add(qunops.Event{Type: qunops.Warn, Member: "eve", Actor: "rule:ad", Time: d(19, 0)})

	r, _ := tiering.NewReviewer(tiering.Policy{})
	step := func(now time.Time, review bool) {
		t, _ := tiering.NewTally(tiering.Policy{}, now)
		for _, e := range log {
			_ = t.Add(e)
		}
		var changes []tiering.Change
		if review {
			changes = r.Review(t.Members("g"), now)
		} else {
			changes = r.Observe(t.Members("g"), now)
		}
		fmt.Println(now.Format("Jan 2"), "|", t.Counts("g"))
		for _, c := range changes {
			fmt.Println("  ", c)
		}
	}
	step(d(7, 0), false)
	step(d(14, 0), false)
	step(d(21, 0), false)
	step(d(28, 0), false)
	fmt.Println("review:")
	step(time.Date(2026, 4, 1, 8, 0, 0, 0, shanghai), true)
	// The counts are the raw tiers of each week; the reviewer keeps alice
	// in core until the review and eve a violator after her warnings age.
	// Output:
	// Mar 9 | violator 0, core 1, active 1, new 0, lurker 2, casual 0
	//    alice arrival as core: core: 7 messages in 7 days > 5 (F31)
	//    bob arrival as active: active: 8 interactions in 7 days > 3 (F32)
	//    dave arrival as lurker: lurker: no message and no claim in 7 days (F33)
	//    eve arrival as lurker: lurker: no message and no claim in 7 days (F33)
	// Mar 16 | violator 0, core 0, active 1, new 0, lurker 3, casual 0
	// Mar 23 | violator 1, core 0, active 1, new 0, lurker 2, casual 0
	//    eve demotion lurker -> violator: violator: 2 warnings in 7 days >= 2 (F34)
	// Mar 30 | violator 0, core 0, active 1, new 1, lurker 3, casual 0
	//    carol arrival as new: new: joined 5 days ago, less than 7 days
	// review:
	// Apr 1 | violator 0, core 0, active 1, new 0, lurker 4, casual 0
	//    alice demotion core -> lurker: review: 0 messages < 5 and 0 invites < 2 (90% of core, F36); lurker: no message and no claim in 7 days (F33)
	//    carol demotion new -> lurker: lurker: no message and no claim in 7 days (F33)
}

func ExamplePlaybook() {
	for _, op := range tiering.Playbook(tiering.Lurker, language.English) {
		fmt.Printf("%s (%s) else=%v: %s\n", op.Op, op.Figure, op.Else, op.Title)
	}
	fmt.Println(tiering.Playbook(tiering.Violator, language.Chinese)[1].Title)
	// Output:
	// wake-up (F33) else=false: Send a 1-on-1 wake-up message
	// move-to-backup (F33) else=true: Move to a backup group
	// 记录 ID,防止再次入群
}

func ExampleLedger() {
	l, _ := tiering.NewLedger(tiering.LedgerPolicy{})
	day := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	for i := range 3 {
		c, _ := l.Add(qunops.Event{Type: qunops.Checkin, Group: "g", Member: "bob",
			Time: day.AddDate(0, 0, i), ID: fmt.Sprint("checkin:", i)})
		fmt.Println(c.Reason, "streak", c.Streak, "unlocked", c.Unlocked)
	}
	fmt.Println(l.Redeem("bob", 20, "mug", "redeem:1"))
	fmt.Println(l.Account("bob"))
	// Output:
	// checkin: +5 streak 1 unlocked false
	// checkin: +5 streak 2 unlocked false
	// checkin: +5 streak 3 unlocked true
	// tiering: insufficient points: bob has 15, "mug" costs 20
	// {15 15 0 1}
}
