package tiering_test

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/tiering"
	"golang.org/x/text/language"
)

// shanghai is the SDK's home zone, which a nil location means.
var shanghai = qunops.DefaultLocation()

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

// A month of the bundled sample log (three groups, March 2026): tally the
// week before each Sunday, let a Reviewer observe the tiers, and run the
// monthly review (seed F36) on the first of April. The counts are the raw
// tiers of the last week; the reviewed roster keeps members whose activity
// stays within the margin, members promoted less than 14 days ago, and
// violators. The changes in and out of Core are listed for one group.
func Example_month() {
	f, err := os.Open("../testdata/sample-month.jsonl")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	var log []qunops.Event
	for e, err := range qunops.NewDecoder(f).All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		log = append(log, e)
	}
	tally := func(now time.Time) *tiering.Tally {
		t, _ := tiering.NewTally(tiering.Policy{}, now)
		for _, e := range log {
			_ = t.Add(e)
		}
		return t
	}
	groups := tally(time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai)).Groups()
	reviewers := map[string]*tiering.Reviewer{}
	for _, g := range groups {
		reviewers[g], _ = tiering.NewReviewer(tiering.Policy{})
	}
	for day := 8; day <= 29; day += 7 {
		now := time.Date(2026, 3, day, 8, 0, 0, 0, shanghai)
		t := tally(now)
		for _, g := range groups {
			reviewers[g].Observe(t.Members(g), now)
		}
	}
	review := time.Date(2026, 4, 1, 8, 0, 0, 0, shanghai)
	t := tally(review)
	for _, g := range groups {
		r := reviewers[g]
		changes := r.Review(t.Members(g), review)
		kinds := map[tiering.ChangeKind]int{}
		for _, c := range changes {
			kinds[c.Kind]++
		}
		fmt.Println(g)
		fmt.Println("  last week:", t.Counts(g))
		fmt.Println("  reviewed: ", r.Roster(review).Counts())
		fmt.Printf("  changes: %d promotions, %d demotions, %d arrivals, %d departures\n",
			kinds[tiering.Promotion], kinds[tiering.Demotion], kinds[tiering.Arrival], kinds[tiering.Departure])
		for _, c := range changes {
			if g == "20003@chatroom" && (c.From == tiering.Core || c.To == tiering.Core) {
				fmt.Println("  ", c)
			}
		}
	}
	// Output:
	// 20001@chatroom
	//   last week: violator 0, core 14, active 4, new 0, lurker 61, casual 21
	//   reviewed:  violator 1, core 18, active 7, new 0, lurker 56, casual 18
	//   changes: 5 promotions, 12 demotions, 0 arrivals, 0 departures
	// 20002@chatroom
	//   last week: violator 0, core 23, active 26, new 8, lurker 93, casual 40
	//   reviewed:  violator 0, core 29, active 28, new 8, lurker 90, casual 35
	//   changes: 12 promotions, 39 demotions, 6 arrivals, 2 departures
	// 20003@chatroom
	//   last week: violator 0, core 10, active 8, new 2, lurker 48, casual 15
	//   reviewed:  violator 0, core 16, active 9, new 2, lurker 48, casual 8
	//   changes: 3 promotions, 23 demotions, 0 arrivals, 0 departures
	//    wxid_g3_002 demotion core -> active: review: 3 messages < 5 and 0 invites < 2 (90% of core, F36); active kept: 3 interactions >= 3 (90% of active, F32)
	//    wxid_g3_007 demotion core -> lurker: review: 0 messages < 5 and 0 invites < 2 (90% of core, F36); lurker: no message and no claim in 7 days (F33)
	//    wxid_g3_017 promotion active -> core: core: 6 messages in 7 days > 5 (F31)
	//    wxid_g3_023 demotion core -> lurker: review: 0 messages < 5 and 0 invites < 2 (90% of core, F36); lurker: no message and no claim in 7 days (F33)
	//    wxid_g3_046 demotion core -> active: review: 3 messages < 5 and 0 invites < 2 (90% of core, F36); active kept: 3 interactions >= 3 (90% of active, F32)
	//    wxid_g3_053 demotion core -> casual: review: 2 messages < 5 and 0 invites < 2 (90% of core, F36); casual: 2 interactions in 7 days <= 3 (F32), with a message or claim (F33)
	//    wxid_g3_056 demotion core -> casual: review: 2 messages < 5 and 0 invites < 2 (90% of core, F36); casual: 2 interactions in 7 days <= 3 (F32), with a message or claim (F33)
}

// A policy is written in JSON with snake_case keys and Go duration
// strings; the fields it leaves out keep their defaults, and a misspelt
// key is an error rather than a silent default.
func ExamplePolicy_UnmarshalJSON() {
	var p tiering.Policy
	err := json.Unmarshal([]byte(`{"window":"336h","core_messages":10}`), &p)
	fmt.Println(err)
	b, _ := json.Marshal(p)
	fmt.Println(string(b))
	fmt.Println(p.Classify(tiering.Activity{Messages: 8, Interactions: 8}, time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)))
	fmt.Println(json.Unmarshal([]byte(`{"window":"14d"}`), &p))
	fmt.Println(json.Unmarshal([]byte(`{"Window":"336h"}`), &p))
	// Output:
	// <nil>
	// {"window":"336h","core_messages":10}
	// active active: 8 interactions in 14 days > 3 (F32)
	// tiering: policy: window: "14d" is not a duration like "15m" or "168h"
	// tiering: policy: unknown key "Window"
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
	l, _ := tiering.NewLedger(tiering.LedgerPolicy{}) // Location nil: Asia/Shanghai
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
	// {15 15 0 1 0 false}
}

// A flash lottery (seed F30) drawn so that members can check it: the
// operator publishes the commitment of the seed when entries open, and the
// seed with the drawing after; anyone can verify the winners.
func ExampleDraw() {
	const seed = 20260305 // fixed before entries close
	fmt.Println("commitment:", tiering.Commitment(seed))
	entrants := []tiering.Entrant{{Member: "王芳"}, {Member: "li.lei", Tickets: 3}, {Member: "ann"}, {Member: "bob", Tickets: 2}}
	d, err := tiering.Draw(entrants, 2, seed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("winners:", d.Winners)
	b, _ := json.Marshal(d)
	fmt.Println(string(b))

	var published tiering.Drawing
	_ = json.Unmarshal(b, &published)
	fmt.Println("verify:", published.Verify())
	published.Winners[0] = "王芳"
	fmt.Println("verify:", published.Verify())
	_, err = tiering.Draw(entrants, 5, seed)
	fmt.Println(err)
	// Output:
	// commitment: 5c60a9758140ec7537a1b49d4b6bacdc4f0b1953cdd8df19b49dffd164779c49
	// winners: [ann bob]
	// {"v":1,"seed":"20260305","entrants":[{"member":"ann"},{"member":"bob","tickets":2},{"member":"li.lei","tickets":3},{"member":"王芳"}],"winners":["ann","bob"]}
	// verify: <nil>
	// verify: tiering: draw: winners ["王芳" "bob"] do not follow from seed 20260305, which draws ["ann" "bob"]
	// tiering: draw: 5 winners from 4 entrants: want 1..4
}

// Seed F34's "warned 2 or more times" is read in the tier window: a member
// warned on 2 March and again on 22 March has one warning in the week
// before the 22nd and is no violator here, although the rule engine, which
// keeps warnings live for 30 days (rules.DefaultWarnTTL), removes them on
// the 22nd. See Policy.ViolatorWarnings.
func ExamplePolicy_Classify_violatorWindow() {
	a := tiering.Activity{Warnings: 1, Messages: 1, Interactions: 1}
	tier, reason := tiering.Policy{}.Classify(a, time.Date(2026, 3, 22, 9, 0, 0, 0, shanghai))
	fmt.Println(tier, "-", reason)
	// Output:
	// casual - casual: 1 interaction in 7 days <= 3 (F32), with a message or claim (F33)
}
