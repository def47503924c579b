package report_test

import (
	"fmt"
	"log"

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
