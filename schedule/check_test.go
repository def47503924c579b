package schedule

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// brief is a Violation without its Reason and with its day as a date, for
// comparing in tables.
type brief struct {
	Rule  RuleID
	Kind  Kind
	Day   string
	Posts []int
}

func briefs(vs []Violation, loc *time.Location) []brief {
	var out []brief
	for _, v := range vs {
		day := ""
		if !v.Day.IsZero() {
			day = v.Day.In(loc).Format("2006-01-02 15:04")
		}
		out = append(out, brief{v.Rule, v.Kind, day, v.Posts})
	}
	return out
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// excessOnly is DefaultPlan without its minimums, for the tests of the
// rules that flag excess: their posts need not make up whole days of news.
func excessOnly() Plan {
	p := DefaultPlan()
	p.Rules = slices.Clone(p.Rules)
	for i := range p.Rules {
		p.Rules[i].Min = 0
	}
	return p
}

func TestCheck(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	mar2 := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, shanghai) }
	// n notices on 2 March, one a minute from 10:00.
	notices := func(n int) []Post {
		var ps []Post
		for i := range n {
			ps = append(ps, Post{Kind: Notice, At: mar2(10, 0).Add(time.Duration(i) * time.Minute), MentionAll: true})
		}
		return ps
	}
	ads := func(kinds ...Kind) []Post {
		var ps []Post
		for i, k := range kinds {
			ps = append(ps, Post{Kind: k, At: mar2(13, i), MentionAll: k == Notice})
		}
		return ps
	}
	nyPlan := excessOnly()
	nyPlan.Location = ny
	tests := []struct {
		name  string
		plan  Plan
		posts []Post
		want  []brief
	}{
		{name: "empty", plan: excessOnly()},
		{name: "F23 cap 50 is allowed", plan: excessOnly(), posts: notices(50)},
		{
			name: "F23 cap 51 is one too many", plan: excessOnly(), posts: notices(51),
			want: []brief{{CapRule, 0, "2026-03-02 00:00", seq(0, 51)}},
		},
		{
			name: "cap counts calendar days in the plan's location", plan: excessOnly(),
			posts: append(notices(30), func() []Post {
				var ps []Post
				for i := range 25 {
					// 23:00..23:59 UTC on 1 March is 07:00.. on 2 March in Shanghai.
					ps = append(ps, Post{Kind: Notice, At: time.Date(2026, 3, 1, 23, i, 0, 0, time.UTC), MentionAll: true})
				}
				return ps
			}()...),
			want: []brief{{CapRule, 0, "2026-03-02 00:00", append(seq(30, 55), seq(0, 30)...)}},
		},
		{name: "F24 three ads in a row", plan: excessOnly(), posts: ads(Ad, Ad, Ad)},
		{
			name: "F24 four ads in a row", plan: excessOnly(), posts: ads(Ad, Ad, Ad, Ad),
			want: []brief{{AdRunRule, Ad, "2026-03-02 00:00", seq(0, 4)}},
		},
		{name: "F24 a notice breaks the run", plan: excessOnly(), posts: ads(Ad, Ad, Notice, Ad, Ad)},
		{
			name: "F24 two long runs", plan: excessOnly(), posts: ads(Ad, Ad, Ad, Ad, Notice, Ad, Ad, Ad, Ad, Ad),
			want: []brief{{AdRunRule, Ad, "2026-03-02 00:00", seq(0, 4)}, {AdRunRule, Ad, "2026-03-02 00:00", seq(5, 10)}},
		},
		{
			name: "ad run across midnight is dated by its first ad", plan: excessOnly(),
			posts: []Post{{Kind: Ad, At: mar2(23, 58)}, {Kind: Ad, At: mar2(23, 59)}, {Kind: Ad, At: mar2(24, 0)}, {Kind: Ad, At: mar2(24, 1)}},
			want:  []brief{{AdRunRule, Ad, "2026-03-02 00:00", seq(0, 4)}},
		},
		{
			name: "ad run limit from the plan", plan: Plan{AdRunMax: 1}, posts: ads(Ad, Ad),
			want: []brief{{AdRunRule, Ad, "2026-03-02 00:00", seq(0, 2)}},
		},
		{
			name: "F19 window edges", plan: excessOnly(),
			posts: []Post{{Kind: News, At: mar2(7, 59)}, {Kind: News, At: mar2(8, 0)}, {Kind: News, At: mar2(9, 0)}},
			want: []brief{
				{WindowRule, News, "2026-03-02 00:00", []int{0, 2}},
				{CountRule, News, "2026-03-02 00:00", []int{0, 1, 2}},
			},
		},
		{name: "F19 two news a day", plan: excessOnly(), posts: []Post{{Kind: News, At: mar2(8, 0)}, {Kind: News, At: mar2(8, 59)}}},
		{
			name: "F20 four interactive posts in a week", plan: excessOnly(),
			posts: []Post{
				{Kind: Interactive, At: mar2(20, 0)}, {Kind: Interactive, At: mar2(20, 0).AddDate(0, 0, 2)},
				{Kind: Interactive, At: mar2(20, 0).AddDate(0, 0, 4)}, {Kind: Interactive, At: mar2(20, 0).AddDate(0, 0, 6)},
				{Kind: Interactive, At: mar2(20, 0).AddDate(0, 0, 7)}, // next week
			},
			want: []brief{{CountRule, Interactive, "2026-03-02 00:00", seq(0, 4)}},
		},
		{
			name: "weekday rule", plan: Plan{Rules: []Rule{{Kind: Perk, Per: Weekly, Count: 1, Days: DaysOf(time.Saturday), Window: Window{0, 24 * Hour}}}},
			posts: []Post{{Kind: Perk, At: mar2(12, 0)}, {Kind: Perk, At: mar2(12, 0).AddDate(0, 0, 5)}},
			want: []brief{
				{WeekdayRule, Perk, "2026-03-02 00:00", []int{0}},
				{CountRule, Perk, "2026-03-02 00:00", []int{0, 1}},
			},
		},
		{
			name: "posts in any order", plan: excessOnly(),
			posts: []Post{{Kind: News, At: mar2(8, 30)}, {Kind: Ad, At: mar2(13, 3)}, {Kind: News, At: mar2(8, 10)}, {Kind: Ad, At: mar2(13, 1)}, {Kind: Ad, At: mar2(13, 2)}, {Kind: News, At: mar2(8, 20)}, {Kind: Ad, At: mar2(13, 0)}},
			want: []brief{
				{AdRunRule, Ad, "2026-03-02 00:00", []int{6, 3, 4, 1}},
				{CountRule, News, "2026-03-02 00:00", []int{2, 5, 0}},
			},
		},
		{
			name: "invalid kinds are reported and otherwise ignored", plan: excessOnly(),
			posts: []Post{{Kind: Ad, At: mar2(13, 0)}, {Kind: Ad, At: mar2(13, 1)}, {Kind: 0, At: mar2(13, 2)}, {Kind: Ad, At: mar2(13, 3)}, {Kind: Kind(9), At: mar2(13, 4)}, {Kind: Ad, At: mar2(13, 5)}},
			want: []brief{
				{AdRunRule, Ad, "2026-03-02 00:00", []int{0, 1, 3, 5}},
				{KindRule, 0, "2026-03-02 00:00", []int{2, 4}},
			},
		},
		{
			name: "ny spring-forward day: wall clock and 23-hour day", plan: nyPlan,
			posts: []Post{
				{Kind: News, At: time.Date(2026, 3, 8, 8, 30, 0, 0, ny)},        // in window (EDT)
				{Kind: News, At: time.Date(2026, 3, 8, 12, 30, 0, 0, time.UTC)}, // 08:30 EDT: in window
				{Kind: News, At: time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC)},  // 09:00 EDT: outside
				{Kind: News, At: time.Date(2026, 3, 9, 3, 59, 0, 0, time.UTC)},  // 23:59 EDT on the 8th
			},
			want: []brief{
				{WindowRule, News, "2026-03-08 00:00", []int{2, 3}},
				{CountRule, News, "2026-03-08 00:00", []int{0, 1, 2, 3}},
			},
		},
		{
			name: "ny fall-back day: the repeated hour counts once per post", plan: Plan{Location: ny, Rules: []Rule{{Kind: News, Per: Daily, Count: 2, Window: Window{1 * Hour, 2 * Hour}}}},
			posts: []Post{
				{Kind: News, At: time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)}, // 01:30 EDT
				{Kind: News, At: time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)}, // 01:30 EST
				{Kind: News, At: time.Date(2026, 11, 1, 7, 30, 0, 0, time.UTC)}, // 02:30 EST: outside
			},
			want: []brief{
				{WindowRule, News, "2026-11-01 00:00", []int{2}},
				{CountRule, News, "2026-11-01 00:00", []int{0, 1, 2}},
			},
		},
		{
			name: "invalid plan", plan: Plan{DailyCap: -1}, posts: notices(1),
			want: []brief{{PlanRule, 0, "", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			posts := slices.Clone(tt.posts)
			got := tt.plan.Check(posts)
			if diff := cmp.Diff(tt.want, briefs(got, tt.plan.Loc())); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.posts, posts); diff != "" {
				t.Errorf("Check modified its argument:\n%s", diff)
			}
			for _, v := range got {
				if v.Reason == "" {
					t.Errorf("violation %+v has no reason", v)
				}
			}
		})
	}
}

func TestCheckReasons(t *testing.T) {
	mar2 := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	var posts []Post
	for i := range 51 {
		posts = append(posts, Post{Kind: Ad, At: mar2.Add(time.Duration(i) * time.Minute)})
	}
	got := excessOnly().Check(posts)
	want := []string{
		"51 posts on 2026-03-02, more than the daily cap of 50 (seed F23)",
		"51 ads in a row from 2026-03-02, more than 3 (seed F24)",
	}
	var reasons []string
	for _, v := range got {
		reasons = append(reasons, v.Reason)
	}
	if diff := cmp.Diff(want, reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
}

// genPosts draws posts over a few days around t0, in any order.
func genPosts(t *rapid.T, loc *time.Location, t0 time.Time) []Post {
	n := rapid.IntRange(0, 300).Draw(t, "n")
	posts := make([]Post, n)
	for i := range posts {
		k := rapid.SampledFrom([]Kind{News, Interactive, Perk, Notice, Ad, Ad, Ad, 0}).Draw(t, "kind")
		off := rapid.Int64Range(0, 4*24*3600).Draw(t, "offset")
		posts[i] = Post{Kind: k, At: t0.Add(time.Duration(off) * time.Second).In(loc)}
	}
	return posts
}

// Properties of Check against simple models that sort the posts and
// bucket them by date text.
func TestCheckProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPlan(t)
		p.DailyCap = rapid.IntRange(0, 60).Draw(t, "cap")
		p.AdRunMax = rapid.IntRange(0, 4).Draw(t, "adRunMax")
		p.Location = rapid.SampledFrom(rapidLocs).Draw(t, "loc")
		t0 := genTime(t, p.Location, "t0")
		posts := genPosts(t, p.Location, t0)
		got := p.Check(posts)

		order := seq(0, len(posts))
		slices.SortStableFunc(order, func(a, b int) int { return posts[a].At.Compare(posts[b].At) })

		// The cap: exactly the days over it, with all their posts.
		byDay := map[string][]int{}
		for _, i := range order {
			if posts[i].Kind.Valid() {
				d := dayText(posts[i].At.In(p.Loc()))
				byDay[d] = append(byDay[d], i)
			}
		}
		wantCap := map[string][]int{}
		for d, idx := range byDay {
			if len(idx) > p.cap() {
				wantCap[d] = idx
			}
		}
		// Ad runs: maximal runs of Ad among valid posts in time order.
		var wantRuns [][]int
		var run []int
		flush := func() {
			if len(run) > p.adRunMax() {
				wantRuns = append(wantRuns, run)
			}
			run = nil
		}
		for _, i := range order {
			switch posts[i].Kind {
			case 0:
			case Ad:
				run = append(run, i)
			default:
				flush()
			}
		}
		flush()
		// Windows: posts of a kind with a rule outside its window.
		var wantOutside []int
		for _, i := range order {
			if r, ok := p.Rule(posts[i].Kind); ok && !r.Window.Contains(clockOf(posts[i].At.In(p.Loc()))) {
				wantOutside = append(wantOutside, i)
			}
		}

		// Daily minimums: every date from the first post's to the last
		// post's (invalid kinds included) on a rule's days with fewer
		// posts of its kind than Min.
		wantShort := map[string]bool{} // "kind date"
		if len(order) > 0 {
			first := posts[order[0]].At.In(p.Loc())
			last := posts[order[len(order)-1]].At.In(p.Loc())
			y, m, d := first.Date()
			for day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC); dayText(day) <= dayText(last); day = day.AddDate(0, 0, 1) {
				for _, r := range p.Rules {
					if r.Per != Daily || r.Min == 0 || !r.days().Has(day.Weekday()) {
						continue
					}
					n := 0
					for _, i := range byDay[dayText(day)] {
						if posts[i].Kind == r.Kind {
							n++
						}
					}
					if n < r.Min {
						wantShort[r.Kind.String()+" "+dayText(day)] = true
					}
				}
			}
		}
		gotShort := map[string]bool{}

		gotCap := map[string][]int{}
		var gotRuns [][]int
		var gotOutside []int
		for i, v := range got {
			if i > 0 && v.Day.Before(got[i-1].Day) {
				t.Fatalf("violations not sorted by day: %v before %v", got[i-1].Day, v.Day)
			}
			switch v.Rule {
			case CapRule:
				d := dayText(v.Day.In(p.Loc()))
				if _, dup := gotCap[d]; dup {
					t.Fatalf("day %s reported twice", d)
				}
				gotCap[d] = v.Posts
			case AdRunRule:
				gotRuns = append(gotRuns, v.Posts)
			case WindowRule:
				gotOutside = append(gotOutside, v.Posts...)
			case MinRule:
				r, _ := p.Rule(v.Kind)
				if r.Per != Daily {
					break
				}
				y, m, d := v.Day.In(p.Loc()).Date()
				day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
				until := dayText(v.Day.In(p.Loc()))
				if !v.Until.IsZero() {
					until = dayText(v.Until.In(p.Loc()))
				}
				for ; dayText(day) <= until; day = day.AddDate(0, 0, 1) {
					if r.days().Has(day.Weekday()) {
						gotShort[v.Kind.String()+" "+dayText(day)] = true
					}
				}
			}
		}
		if diff := cmp.Diff(wantShort, gotShort); diff != "" {
			t.Fatalf("days short of a daily minimum (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantCap, gotCap); diff != "" {
			t.Fatalf("cap days (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantRuns, gotRuns); diff != "" {
			t.Fatalf("ad runs (-want +got):\n%s", diff)
		}
		slices.Sort(wantOutside)
		slices.Sort(gotOutside)
		if diff := cmp.Diff(wantOutside, gotOutside); diff != "" {
			t.Fatalf("outside windows (-want +got):\n%s", diff)
		}
	})
}

// The posts of a week Week plans pass Check, on ordinary weeks.
func TestCheckAcceptsWeek(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPlan(t)
		p.DailyCap = 1 << 20
		p.Location = rapid.SampledFrom(rapidLocs).Draw(t, "loc")
		start := genTime(t, p.Location, "start")
		var posts []Post
		for _, s := range p.Week(start) {
			if skippedBefore(s.At) {
				return // documented: a slot moved out of a gap may leave its window
			}
			posts = append(posts, Post(s))
		}
		// Ads planned back to back are an ad run; leave them to the cap test.
		p.AdRunMax = 1 << 20
		if vs := p.Check(posts); len(vs) > 0 {
			t.Fatalf("Check of Week: %v", fmt.Sprint(briefs(vs, p.Loc())))
		}
	})
}
