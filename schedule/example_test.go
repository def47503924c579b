package schedule_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/schedule"
)

// shanghai is the SDK's home zone, the one a nil location means.
var shanghai = qunops.DefaultLocation()

// The default calendar of the week of Wednesday 4 March 2026 (seed
// F19-F21): news every morning, interactive posts on Monday, Wednesday and
// Friday, the perk on Tuesday.
func ExamplePlan_Week() {
	start := time.Date(2026, 3, 4, 12, 0, 0, 0, shanghai)
	for _, s := range schedule.DefaultPlan().Week(start) {
		fmt.Println(s)
	}
	// Output:
	// Mon 2026-03-02 08:00 +08:00 news
	// Mon 2026-03-02 20:00 +08:00 interactive
	// Tue 2026-03-03 08:00 +08:00 news
	// Tue 2026-03-03 20:00 +08:00 perk
	// Wed 2026-03-04 08:00 +08:00 news
	// Wed 2026-03-04 20:00 +08:00 interactive
	// Thu 2026-03-05 08:00 +08:00 news
	// Fri 2026-03-06 08:00 +08:00 news
	// Fri 2026-03-06 20:00 +08:00 interactive
	// Sat 2026-03-07 08:00 +08:00 news
	// Sun 2026-03-08 08:00 +08:00 news
}

// Seeded jitter spreads the posts over their windows; the same seed gives
// the same week.
func ExamplePlan_WeekJitter() {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range schedule.DefaultPlan().WeekJitter(start, r)[:4] {
		fmt.Println(s)
	}
	// Output:
	// Mon 2026-03-02 08:46 +08:00 news
	// Mon 2026-03-02 20:36 +08:00 interactive
	// Tue 2026-03-03 08:47 +08:00 news
	// Tue 2026-03-03 20:47 +08:00 perk
}

func ExamplePlan_Next() {
	after := time.Date(2026, 3, 2, 20, 30, 0, 0, shanghai) // Monday evening
	next, ok := schedule.DefaultPlan().Next(schedule.Interactive, after)
	fmt.Println(next.Format("Mon 2006-01-02 15:04"), ok)
	// Output:
	// Wed 2026-03-04 20:00 true
}

func ExamplePlan_Check() {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, shanghai)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	posts := []schedule.Post{
		{Kind: schedule.News, At: at(8, 0)},
		{Kind: schedule.News, At: at(12, 0)}, // outside 08:00-09:00
		{Kind: schedule.News, At: at(8, 30)}, // third news of the day
		{Kind: schedule.Ad, At: at(13, 0)},
		{Kind: schedule.Ad, At: at(13, 5)},
		{Kind: schedule.Ad, At: at(13, 10)},
		{Kind: schedule.Ad, At: at(13, 15)}, // fourth ad in a row
	}
	for _, v := range schedule.DefaultPlan().Check(posts) {
		fmt.Println(v.Rule, v.Posts, v.Reason)
	}
	// Output:
	// ad-run [3 4 5 6] 4 ads in a row from 2026-03-02, more than 3 (seed F24)
	// window [1] 1 news posts on 2026-03-02 outside 08:00-09:00
	// count [0 2 1] 3 news posts on 2026-03-02, more than 2 a day
}

// A group whose members are busiest at lunch gets its perks at lunch
// (seed F21).
func ExampleBestWindow() {
	var events []qunops.Event
	for i, h := range []int{12, 12, 12, 13, 20, 20, 9} {
		events = append(events, qunops.Event{
			Type: qunops.Message, Group: "g", Member: fmt.Sprint("m", i),
			Time: time.Date(2026, 3, 2, h, 15, 0, 0, shanghai),
		})
	}
	hist := schedule.HistogramOf(events, shanghai)
	fmt.Println(schedule.BestHours(hist, 3))
	w, _ := schedule.BestWindow(hist, 1)
	plan, _ := schedule.DefaultPlan().WithWindow(schedule.Perk, w)
	r, _ := plan.Rule(schedule.Perk)
	fmt.Println(r.Window)
	// Output:
	// [12 20 9]
	// 12:00-13:00
}

// Monthly cadences clamp their day to the month's end.
func ExampleCadence_Next() {
	c := schedule.Cadence{Name: "month-end report", Every: schedule.Monthly, Day: 31, At: 18 * schedule.Hour}
	t := time.Date(2026, 1, 31, 18, 0, 0, 0, shanghai)
	for range 3 {
		t = c.Next(t)
		fmt.Println(t.Format("2006-01-02 15:04"))
	}
	// Output:
	// 2026-02-28 18:00
	// 2026-03-31 18:00
	// 2026-04-30 18:00
}

func ExampleDefaultCadences() {
	after := time.Date(2026, 3, 2, 12, 0, 0, 0, shanghai)
	for _, c := range schedule.DefaultCadences() {
		fmt.Printf("%-14s %s (seed %s)\n", c.Name, c.Next(after).Format("Mon 2006-01-02 15:04"), c.Seed)
	}
	// Output:
	// log-export     Mon 2026-03-09 09:00 (seed F29)
	// backup         Sun 2026-03-08 22:00 (seed F13,F40)
	// figures-review Wed 2026-04-01 10:00 (seed F29)
	// tier-refresh   Wed 2026-04-01 09:00 (seed F36)
	// offline-event  Fri 2026-05-15 14:00 (seed F41)
	// rule-review    Sat 2027-01-02 10:00 (seed F41)
}

// Plans are written and read as JSON.
func ExamplePlan_MarshalJSON() {
	b, _ := json.Marshal(schedule.DefaultPlan())
	fmt.Println(string(b))
	var p schedule.Plan
	err := json.Unmarshal([]byte(`{"rules":[{"kind":"news","per":"daily","count":3,"max":2,"window":"08:00-09:00"}]}`), &p)
	fmt.Println(err)
	// Output:
	// {"daily_cap":50,"ad_run_max":3,"rules":[{"kind":"news","per":"daily","count":1,"max":2,"min":1,"window":"08:00-09:00"},{"kind":"interactive","per":"weekly","count":3,"min":3,"window":"20:00-21:00"},{"kind":"perk","per":"weekly","count":1,"window":"20:00-21:00"}]}
	// schedule: rules[0].max: 2 is less than count 3
}

// Cadences are written with words for the period and the weekday; a
// misspelt key or word is an error that names it.
func ExampleCadence_UnmarshalJSON() {
	var c schedule.Cadence
	err := json.Unmarshal([]byte(`{"name":"log-export","every":"weekly","weekday":"mon","at":"09:00","seed":"F29"}`), &c)
	fmt.Println(err, c.Next(time.Date(2026, 3, 4, 12, 0, 0, 0, shanghai)).Format("Mon 2006-01-02 15:04"))
	fmt.Println(json.Unmarshal([]byte(`{"name":"x","every":"weekly","weekday":"monday","at":"09:00"}`), &c))
	fmt.Println(json.Unmarshal([]byte(`{"name":"x","every":"weekly","Weekday":"mon","at":"09:00"}`), &c))
	// Output:
	// <nil> Mon 2026-03-09 09:00
	// schedule: cadence: weekday: schedule: weekday "monday" is not one of mon tue wed thu fri sat sun
	// schedule: cadence: unknown key "Weekday"
}

// The activation playbook of seed F30: after three days of activity
// below 10%, a flash lottery and a live talk, announced with @all (F23).
// The posts can be checked with Plan.Check like any others.
func ExampleActivation() {
	alert := time.Date(2026, 3, 5, 9, 0, 0, 0, shanghai) // Thursday morning
	for _, p := range schedule.Activation(alert) {
		fmt.Println(p)
	}
	// Output:
	// Thu 2026-03-05 19:30 +08:00 notice @all announce (F30,F23)
	// Thu 2026-03-05 20:00 +08:00 perk flash-lottery (F30,F21)
	// Thu 2026-03-05 21:00 +08:00 notice @all draw (F30,F21)
	// Fri 2026-03-06 20:00 +08:00 live live-qa (F30,F22)
}

// The content mix of seed F22: morning news, the evening Q&A and a
// weekend live stream.
func ExampleContentMixPlan() {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	for _, s := range schedule.ContentMixPlan().Week(start) {
		if s.Kind != schedule.News {
			fmt.Println(s)
		}
	}
	// Output:
	// Mon 2026-03-02 20:00 +08:00 interactive
	// Tue 2026-03-03 20:00 +08:00 perk
	// Wed 2026-03-04 20:00 +08:00 interactive
	// Fri 2026-03-06 20:00 +08:00 interactive
	// Sat 2026-03-07 20:00 +08:00 live
}

// Check flags under-posting as well as excess: a day without its morning
// news (seed F19) and a week with fewer than 3 interactive posts (F20).
// It judges the days from the first post's to the last post's, and the
// whole weeks among them.
func ExamplePlan_Check_underPosting() {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, shanghai) }
	var posts []schedule.Post
	for d := 2; d <= 8; d++ { // Monday 2 to Sunday 8 March
		if d != 5 {
			posts = append(posts, schedule.Post{Kind: schedule.News, At: at(d, 8)})
		}
	}
	posts = append(posts,
		schedule.Post{Kind: schedule.Interactive, At: at(2, 20)},
		schedule.Post{Kind: schedule.Interactive, At: at(4, 20)},
		schedule.Post{Kind: schedule.Notice, At: at(6, 12)}, // no @all
	)
	for _, v := range schedule.DefaultPlan().Check(posts) {
		fmt.Println(v.Rule, v.Reason)
	}
	// Output:
	// min 2 interactive posts in the week of 2026-03-02, fewer than 3 a week
	// min no news posts on 2026-03-05, fewer than 1 a day
	// mention-all 1 notices on 2026-03-06 without @all (seed F23)
}
