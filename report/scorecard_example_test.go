package report_test

import (
	"fmt"
	"log"

	"github.com/qunops/qunops/report"
	"github.com/qunops/qunops/rules"
	"github.com/qunops/qunops/sample"
	"github.com/qunops/qunops/schedule"
)

// Grade the bundled sample's customer-service group on the eight elements
// of the seed's introduction, from its month of events, the rules its bot
// enforces, its posting plan and the tools its operator named.
func ExampleNewScorecard() {
	groups := map[string]report.GroupOptions{}
	for _, g := range sample.Groups() {
		groups[g.ID] = report.GroupOptions{Kind: g.Kind}
	}
	b, err := report.New(report.Options{Groups: groups})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range sample.Events() {
		if err := b.Add(e); err != nil {
			log.Fatal(err)
		}
	}
	rep, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	policy := rules.DefaultPolicy()
	policy.Admins = []string{"wxid_admin1", "wxid_admin2"}
	policy.Warnable = []string{"加微信", "代购"}
	plan := schedule.DefaultPlan()
	card := report.NewScorecard(rep.Groups[0], report.ScorecardInputs{Policy: &policy, Plan: &plan, Tools: []string{"bot", "live codes"}})
	fmt.Print(card)
	// Output:
	// 20001@chatroom:
	//   positioning met     (F1)
	//     yes: service group, which selects its health figures (F1)
	//   rules       partial (F5, F6, F38, F4)
	//     yes: join notice: newcomers are welcomed and pointed to the announcement (F5)
	//     yes: join notice: a nickname that does not fit 【城市-昵称】 gets a reminder (F5)
	//     yes: banned acts: outside links and name cards are warned (F6)
	//     yes: banned acts: 2 ad keywords (F6)
	//     no: banned acts: 0 prohibited keywords, removed at once (F38)
	//     yes: banned acts: flooding and repeats are warned (F4)
	//   management  partial (F8, F10, F9, F41)
	//     yes: warnings are automatic (F8)
	//     no: 0 auto replies answer around the clock (F10)
	//     yes: disputes escalate after 15m0s (F9)
	//     no: 2 admins on the bench, 3 wanted (F41)
	//   content     met     (F19, F20, F21, F23, F24)
	//     yes: news on 7 days of 7 (F19)
	//     yes: 3 interactive posts a week, 3 wanted (F20)
	//     yes: 1 perk posts a week (F21)
	//     yes: at most 50 posts a day (F23)
	//     yes: at most 3 ads in a row (F24)
	//   stickiness  partial (F26, F42)
	//     no: day-3 retention 50.0% > 60.0%: below-excellent (F26)
	//     yes: day-7 retention 45.0% > 40.0%: excellent (F26)
	//     no: leave rate 10.0% <= 8.0%: fail (F42)
	//   monitoring  partial (F25, F27, F30)
	//     no: activity 12.9% > 15.0%: below-excellent (F25)
	//     unknown: reach undefined > 85.0%: undefined (F27)
	//     yes: 0 low-activity alerts over 31 days (F30)
	//   tiering     partial (F31, F33, F34)
	//     yes: 14 core members of 100 (F31)
	//     no: 61 lurkers of 100 (F33)
	//     yes: 0 violators still in the group (F34)
	//   tools       missing (F13)
	//     no: 2 tools, 3 or more wanted: bot, live codes (F13)
}
