package report_test

import (
	"fmt"
	"log"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/report"
)

// Read a groups file that names a week's group, leaves its admin out of
// the figures and lists its one campaign, then report on the week's log:
// the group says what was measured, and campaign response (F3) counts the
// coupon alone, not the morning news.
func ExampleParseGroups() {
	o, err := report.ParseGroups([]byte(`{
	  "groups": {
	    "18398001234@chatroom": {"name": "福利群", "kind": "perks",
	                             "exclude": ["wxid_admin"], "campaigns": ["coupon-0306"]}
	  }
	}`))
	if err != nil {
		log.Fatal(err)
	}
	rep, _, err := report.BuildFiles([]string{"testdata/week.jsonl"}, o, report.ReadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range rep.Groups {
		fmt.Printf("%s %s (%s), without %v\n", g.Group, g.Name, g.Kind, g.Excluded)
		fmt.Printf("campaigns %v of %d broadcasts\n", g.Campaigns, g.Broadcasts)
		for _, v := range g.Verdicts {
			if v.Metric == metrics.MetricResponse || v.Metric == metrics.MetricActivity {
				fmt.Println(v)
			}
		}
	}
	// Output:
	// 18398001234@chatroom 福利群 (perks), without [wxid_admin]
	// campaigns [coupon-0306] of 5 broadcasts
	// F25 activity 28.0% > 25.0%: excellent
	// F3 response 57.1% > 30.0%: pass
}

// Give one group the zone of its members: a message sent at 20:00 in
// Berlin, 03:00 the next morning in Shanghai, counts on the Berlin group's
// own date, and each group says its zone.
func ExampleParseGroups_zone() {
	o, err := report.ParseGroups([]byte(`{"groups": {"berlin@chatroom": {"zone": "Europe/Berlin"}}}`))
	if err != nil {
		log.Fatal(err)
	}
	b, err := report.New(o)
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 19, 0, 0, 0, time.UTC) // 20:00 in Berlin (UTC+1), 03:00 in Shanghai (UTC+8)
	for _, g := range []string{"berlin@chatroom", "shanghai@chatroom"} {
		if err := b.Add(qunops.Event{Type: qunops.Message, Group: g, Member: "wxid_a", Time: at, Kind: qunops.KindText, Text: "晚上好"}); err != nil {
			log.Fatal(err)
		}
	}
	rep, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range rep.Groups {
		fmt.Println(g.Group, g.TZ, g.Days[0].Date.Format(time.DateOnly))
	}
	// Output:
	// berlin@chatroom Europe/Berlin 2026-03-02
	// shanghai@chatroom Asia/Shanghai 2026-03-03
}
