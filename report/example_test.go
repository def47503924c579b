package report_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/report"
	"github.com/qunops/qunops/sample"
)

// Build the report of a JSON Lines log: here the bundled sample month,
// which `qunops sample` writes to a file; for files on disk, BuildFiles or
// Builder.ReadFile decode them on every core.
func Example() {
	var jsonl bytes.Buffer
	if err := sample.Write(&jsonl); err != nil {
		log.Fatal(err)
	}
	groups := map[string]report.GroupOptions{}
	for _, g := range sample.Groups() {
		groups[g.ID] = report.GroupOptions{Kind: g.Kind}
	}
	b, err := report.New(report.Options{Groups: groups}) // days in Asia/Shanghai
	if err != nil {
		log.Fatal(err)
	}
	bad, err := b.Read(&jsonl, "sample.jsonl", report.ReadOptions{})
	if err != nil || bad > 0 {
		log.Fatal(bad, err)
	}
	rep, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range rep.Groups {
		last := g.Days[len(g.Days)-1]
		fmt.Printf("%s (%s): %d days, alerts %d; %s: %d members, activity %s\n  tiers: %s\n",
			g.Group, g.Kind, len(g.Days), len(g.Alerts), last.Date.Format("Jan 2"), last.Members, last.Activity, g.Tiers)
	}
	// Output:
	// 20001@chatroom (service): 31 days, alerts 0; Mar 31: 99 members, activity 13.1%
	//   tiers: violator 0, core 14, active 4, new 0, lurker 61, casual 21
	// 20002@chatroom (perks): 31 days, alerts 0; Mar 31: 189 members, activity 11.1%
	//   tiers: violator 0, core 23, active 26, new 8, lurker 93, casual 40
	// 20003@chatroom (interest): 31 days, alerts 1; Mar 31: 83 members, activity 14.5%
	//   tiers: violator 0, core 10, active 8, new 2, lurker 48, casual 15
}

// Build the report of log files, each decoded on every core, and print
// the bad lines with their numbers. The log's group is a perks group whose
// one campaign is the Friday coupon; its morning news are broadcasts that
// count for reach (F27) but not for campaign response (F3).
func ExampleBuildFiles() {
	bad := func(name string, err *qunops.LineError) { fmt.Println(name, err) }
	perks := report.GroupOptions{Kind: metrics.Perks, Campaigns: []string{"coupon-0306"}}
	rep, nbad, err := report.BuildFiles([]string{"testdata/week.jsonl"},
		report.Options{Default: perks}, report.ReadOptions{Bad: bad})
	if err != nil || nbad > 0 {
		log.Fatal(nbad, err)
	}
	for _, g := range rep.Groups {
		fmt.Printf("%s (%s), %d days to %s, %d campaign of %d broadcasts\n", g.Group, g.Kind, len(g.Days),
			g.Days[len(g.Days)-1].Date.Format(time.DateOnly), len(g.Campaigns), g.Broadcasts)
		for _, v := range g.Verdicts {
			fmt.Println(" ", v)
		}
	}
	// Output:
	// 18398001234@chatroom (perks), 7 days to 2026-03-08, 1 campaign of 5 broadcasts
	//   F25 activity 35.1% > 25.0%: excellent
	//   F3 response 50.0% > 30.0%: pass
	//   F26 day-3 retention 100.0% > 60.0%: excellent
	//   F26 day-7 retention undefined > 40.0%: undefined
	//   F27 reach 47.4% > 85.0%: below-excellent
	//   F42 leave rate 11.1% <= 8.0%: fail
}
