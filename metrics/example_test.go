package metrics_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
)

// sampleWeek is a small service group's week, Mon Mar 2 to Sun Mar 8 2026:
// eight members from the roster, a bot, two newcomers, daily chat that dies
// down mid-week, and a coupon broadcast on Monday.
func sampleWeek() []qunops.Event {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, shanghai) }
	var log []qunops.Event
	add := func(typ qunops.EventType, member string, t time.Time, item string) {
		log = append(log, qunops.Event{Type: typ, Group: "g1@chatroom", Member: member, Time: t, Item: item,
			ID: fmt.Sprintf("sample:%d", len(log)+1)})
	}
	for _, m := range []string{"ann", "bo", "cy", "di", "ed", "fay", "gus", "hal", "bot"} {
		add(qunops.Roster, m, at(2, 0, 0), "")
	}
	add(qunops.Message, "bot", at(2, 8, 0), "coupon-0302")
	for _, m := range []string{"ann", "bo", "cy", "di", "ed", "fay", "gus"} {
		add(qunops.Read, m, at(2, 9, 0), "coupon-0302")
	}
	add(qunops.Claim, "ann", at(2, 9, 5), "coupon-0302")
	add(qunops.Claim, "cy", at(2, 21, 0), "coupon-0302")
	add(qunops.Join, "ivy", at(2, 10, 0), "")
	add(qunops.Join, "jo", at(2, 10, 30), "")
	speakers := map[int][]string{2: {"ann", "bo", "ivy"}, 3: {"ann", "jo"}, 4: {}, 5: {}, 6: {}, 7: {"bo"}, 8: {"ann", "bo", "cy"}}
	for day := 2; day <= 8; day++ {
		for i, m := range speakers[day] {
			add(qunops.Message, m, at(day, 12, i), "")
		}
	}
	add(qunops.Leave, "jo", at(4, 10, 0), "")
	return log
}

func Example() {
	tr := metrics.NewTracker(nil) // Asia/Shanghai
	for _, e := range sampleWeek() {
		if err := tr.Add(e); err != nil {
			fmt.Println(err)
		}
	}
	staff := metrics.Options{Exclude: []string{"bot"}}
	days, _ := tr.DaysWith("g1@chatroom", staff)
	fmt.Println("date        members speakers messages joins leaves activity")
	for _, d := range days {
		fmt.Printf("%s %7d %8d %8d %5d %6d %8s\n", d.Date.Format("2006-01-02"), d.Members, d.Speakers, d.Messages, d.Joins, d.Leaves, d.Activity)
	}
	fmt.Println("week:", metrics.PeriodActivity(days))
	alerts, _ := metrics.LowActivity(days, metrics.AlertOptions{})
	for _, a := range alerts {
		fmt.Println(a)
	}
	cohorts, _ := tr.RetentionWith("g1@chatroom", 3, staff)
	for _, c := range cohorts {
		fmt.Printf("cohort %s: %d of %d retained on day 3 (%s)\n", c.Date.Format("01-02"), c.Retained, c.Joined, c.Rate)
	}
	verdicts, _ := tr.Health("g1@chatroom", metrics.Service, days[0].Date, days[len(days)-1].Date, metrics.HealthOptions{Options: staff})
	for _, v := range verdicts {
		fmt.Println(v)
	}
	// Output:
	// date        members speakers messages joins leaves activity
	// 2026-03-02      10        3        4     2      0    30.0%
	// 2026-03-03      10        2        2     0      0    20.0%
	// 2026-03-04      10        0        0     0      1     0.0%
	// 2026-03-05       9        0        0     0      0     0.0%
	// 2026-03-06       9        0        0     0      0     0.0%
	// 2026-03-07       9        1        1     0      0    11.1%
	// 2026-03-08       9        3        3     0      0    33.3%
	// week: 13.6%
	// F30 2026-03-06: activity below 10.0% on 3 days in a row since 2026-03-04 (0.0% over the run)
	// cohort 03-02: 1 of 2 retained on day 3 (50.0%)
	// F25 activity 13.6% > 15.0%: below-excellent
	// F2 messages per day 1.4 <= 50.0: pass
	// F26 day-3 retention 50.0% > 60.0%: below-excellent
	// F26 day-7 retention undefined > 40.0%: undefined
	// F27 reach 87.5% > 85.0%: excellent
	// F42 leave rate 10.0% <= 8.0%: fail
}

func ExampleTracker_Broadcasts() {
	tr := metrics.NewTracker(nil)
	for _, e := range sampleWeek() {
		_ = tr.Add(e)
	}
	bs, _ := tr.Broadcasts("g1@chatroom", metrics.Options{Exclude: []string{"bot"}, Muted: []string{"hal"}})
	for _, b := range bs {
		fmt.Printf("%s sent %s: reach %d/%d = %s (F27), response %d/%d = %s (F3)\n",
			b.Item, b.Sent.Format("01-02 15:04"), b.Readers, b.Recipients-b.Muted, b.Reach, b.Responders, b.Recipients, b.Response)
	}
	// Output:
	// coupon-0302 sent 03-02 08:00: reach 7/7 = 100.0% (F27), response 2/8 = 25.0% (F3)
}

func ExampleTracker_Merge() {
	log := sampleWeek()
	// Two shards, e.g. two export files or two workers.
	a, b := metrics.NewTracker(nil), metrics.NewTracker(nil)
	for i, e := range log {
		if i%2 == 0 {
			_ = a.Add(e)
		} else {
			_ = b.Add(e)
		}
	}
	_ = b.Add(log[0]) // the same event twice: counted once
	if err := a.Merge(b); err != nil {
		fmt.Println(err)
	}
	one := metrics.NewTracker(nil)
	for _, e := range log {
		_ = one.Add(e)
	}
	fmt.Println(metrics.PeriodActivity(a.Days("g1@chatroom")), metrics.PeriodActivity(one.Days("g1@chatroom")))
	// Output:
	// 13.7% 13.7%
}

func ExampleABTest() {
	// Coupons at noon (A) against after 20:00 (B), seed F28.
	r, err := metrics.ABTest(120, 1000, 150, 1000, metrics.ABOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("A %s %v, B %s %v\n", r.A.Rate, r.A.Wilson, r.B.Rate, r.B.Wilson)
	fmt.Printf("lift %s, z = %.4f, p = %.4f, A-B in %v\n", r.Lift, r.Z, r.P, r.DiffInterval)
	n, _ := metrics.SampleSize(0.10, 0.12, metrics.SampleOptions{})
	fmt.Println("trials per arm to detect 10% against 12%:", n)
	// Output:
	// A 12.0% [0.101299, 0.141609], B 15.0% [0.129210, 0.173469]
	// lift 25.0%, z = -1.9630, p = 0.0496, A-B in [-0.060008, -0.000014]
	// trials per arm to detect 10% against 12%: 3841
}

// The counter finds Chinese words without a dictionary: 物流 and 优惠券
// occur in several contexts, while 流好 (in 物流好慢) and 惠券 never do.
func ExampleTermCounter() {
	c, _ := metrics.NewTermCounter(metrics.TermOptions{})
	for _, text := range []string{
		"物流好慢啊", "物流到哪了？", "帮我查一下物流", "物流信息没更新", "快递的物流单号发我",
		"优惠券怎么领？", "领了优惠券", "新人优惠券在哪", "优惠券过期了", "VIP 优惠券 vip",
	} {
		c.Add(text)
	}
	for _, t := range c.Top(3) {
		fmt.Println(t.Text, t.Count)
	}
	fmt.Println(c.Terms("物流好慢，优惠券呢？"))
	// Output:
	// 优惠券 5
	// 物流 5
	// vip 2
	// [物流 优惠券]
}

// Options are plain values that a person can write in JSON: snake_case
// keys, durations as Go duration strings, enumerations as lowercase words
// and ratios as num/den. Zero fields mean the defaults; a misspelt key is
// an error that names it.
// A week's chat repeats itself: counting each distinct text once with the
// number of messages that read it gives the counts of adding them one by
// one.
func ExampleTermCounter_AddN() {
	texts := map[string]int{
		"收到": 40, "物流好慢": 6, "物流到哪了": 5, "帮我查一下物流": 4, "物流信息没更新": 3,
		"优惠券怎么领": 5, "领了优惠券": 4, "新人优惠券在哪": 3, "ok, thanks": 3,
	}
	c, _ := metrics.NewTermCounter(metrics.TermOptions{})
	one, _ := metrics.NewTermCounter(metrics.TermOptions{})
	for _, text := range slices.Sorted(maps.Keys(texts)) {
		c.AddN(text, texts[text])
		for range texts[text] {
			one.Add(text)
		}
	}
	for _, t := range c.Top(2) {
		fmt.Println(t.Text, t.Count)
	}
	fmt.Println("same as one by one:", slices.Equal(c.Top(10), one.Top(10)))
	// Output:
	// 物流 18
	// 优惠券 12
	// same as one by one: true
}

func ExampleHealthOptions_UnmarshalJSON() {
	var o metrics.HealthOptions
	doc := `{"exclude":["bot"],"window":"48h","reach":{"num":9,"den":10},"campaigns":["coupon-0302"]}`
	if err := json.Unmarshal([]byte(doc), &o); err != nil {
		fmt.Println(err)
	}
	fmt.Println(o.Exclude, o.Window, o.Reach, o.Campaigns)

	tr := metrics.NewTracker(nil)
	for _, e := range sampleWeek() {
		tr.Add(e)
	}
	days, _ := tr.DaysWith("g1@chatroom", o.Options)
	verdicts, _ := tr.Health("g1@chatroom", metrics.Perks, days[0].Date, days[6].Date, o)
	out, _ := json.Marshal(verdicts[1])
	fmt.Println(string(out))

	err := json.Unmarshal([]byte(`{"Window":"48h"}`), &o)
	fmt.Println(err)
	// Output:
	// [bot] 48h0m0s 90.0% [coupon-0302]
	// {"figure":"F3","metric":"response","value":{"num":2,"den":8,"value":0.25},"threshold":{"num":30,"den":100,"value":0.3},"at_most":false,"status":"fail"}
	// metrics: health options: unknown key "Window"
}
