package schedule

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Tests at the exact thresholds of seed section 5 (F19-F23), named after
// the figures. The seed's numbers are written out here, not read from
// DefaultPlan, so that a change of the defaults fails.

// mar is a wall-clock time on day d of March 2026 in Shanghai; 2 March
// 2026 is a Monday.
func mar(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, shanghai) }

// weekEnds are two notices (with @all) at the first and last minute of the
// week of 2 March, so that Check judges that whole week (see Check) while
// the posts under test stay the only posts of their kind.
func weekEnds() []Post {
	return []Post{{Kind: Notice, MentionAll: true, At: mar(2, 0, 0)}, {Kind: Notice, MentionAll: true, At: mar(8, 23, 59)}}
}

// rulesOf returns a plan with only DefaultPlan's rules of the given kinds.
func rulesOf(kinds ...Kind) Plan {
	var p Plan
	for _, k := range kinds {
		r, _ := DefaultPlan().Rule(k)
		p.Rules = append(p.Rules, r)
	}
	return p
}

// TestWindowEdgesF19 pins what "早8:00-9:00" (seed F19) means: the hour
// from 08:00 up to, not including, 09:00. A post at 08:59:59.999 is in
// it; one at exactly 09:00 is not, since 09:00 begins the next hour, as
// "20:00-21:00" ends where 21:00 begins. Windows compare the wall clock to
// the minute, so every instant of the minute 08:59 is in.
func TestWindowEdgesF19(t *testing.T) {
	w := Window{8 * Hour, 9 * Hour}
	if !w.Contains(8*Hour) || !w.Contains(8*Hour+59*Minute) || w.Contains(9*Hour) || w.Contains(8*Hour-Minute) {
		t.Errorf("window %v: contains 08:00 %v, 08:59 %v, 09:00 %v, 07:59 %v; want true, true, false, false",
			w, w.Contains(8*Hour), w.Contains(8*Hour+59*Minute), w.Contains(9*Hour), w.Contains(8*Hour-Minute))
	}
	tests := []struct {
		name   string
		at     time.Time
		inside bool
	}{
		{"F19 07:59:59.999 is before the window", mar(2, 7, 59).Add(59*time.Second + 999*time.Millisecond), false},
		{"F19 08:00:00 opens the window", mar(2, 8, 0), true},
		{"F19 08:59:59.999 is the window's last instant", mar(2, 8, 59).Add(59*time.Second + 999*time.Millisecond), true},
		{"F19 09:00:00 exactly is outside", mar(2, 9, 0), false},
		{"F19 09:00 read in UTC is still 09:00 in Shanghai", time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := rulesOf(News).Check([]Post{{Kind: News, At: tt.at}})
			outside := len(vs) == 1 && vs[0].Rule == WindowRule
			if len(vs) > 1 || (len(vs) == 1 && vs[0].Rule != WindowRule) {
				t.Fatalf("Check: %v, want at most a window violation", vs)
			}
			if outside == tt.inside {
				t.Errorf("post at %v: inside = %v, want %v (violations %v)", tt.at, !outside, tt.inside, vs)
			}
		})
	}
}

// TestNewsPerDayF19 checks "每日1-2次" (seed F19) at both ends: no news
// on a day is one too few, 1 and 2 are allowed, 3 is one too many.
func TestNewsPerDayF19(t *testing.T) {
	for n, want := range map[int]RuleID{0: MinRule, 1: "", 2: "", 3: CountRule} {
		posts := []Post{{Kind: Notice, MentionAll: true, At: mar(2, 12, 0)}}
		for i := range n {
			posts = append(posts, Post{Kind: News, At: mar(2, 8, 10*i)})
		}
		vs := rulesOf(News).Check(posts)
		var got RuleID
		if len(vs) > 0 {
			got = vs[0].Rule
		}
		if len(vs) > 1 || got != want {
			t.Errorf("F19 %d news posts on a day: violations %v, want rule %q", n, vs, want)
		}
	}
}

// TestInteractiveWeekF20 checks "每周3次" (seed F20) at the threshold:
// 2 interactive posts in a week are one too few, 3 pass, 4 are one too
// many; the week is Monday 00:00 to Sunday 24:00.
func TestInteractiveWeekF20(t *testing.T) {
	days := []int{2, 4, 6, 8} // Monday, Wednesday, Friday, Sunday
	for _, tt := range []struct {
		name string
		n    int
		want []brief
	}{
		{"F20 2 a week is one too few", 2, []brief{{MinRule, Interactive, "2026-03-02 00:00", []int{2, 3}}}},
		{"F20 3 a week pass", 3, nil},
		{"F20 4 a week is one too many", 4, []brief{{CountRule, Interactive, "2026-03-02 00:00", []int{2, 3, 4, 5}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			posts := weekEnds()
			for _, d := range days[:tt.n] {
				posts = append(posts, Post{Kind: Interactive, At: mar(d, 20, 0)})
			}
			p := rulesOf(Interactive)
			if diff := cmp.Diff(tt.want, briefs(p.Check(posts), p.Loc())); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("F20 Sunday 23:59 and Monday 00:00 are in different weeks", func(t *testing.T) {
		p := rulesOf(Interactive)
		p.Rules[0].Window = Window{0, 24 * Hour}
		posts := []Post{
			{Kind: Interactive, At: mar(2, 20, 0)}, {Kind: Interactive, At: mar(4, 20, 0)},
			{Kind: Interactive, At: mar(8, 23, 59)}, // third of the week of 2 March
			{Kind: Interactive, At: mar(9, 0, 0)},   // first of the week of 9 March
		}
		if vs := p.Check(posts); len(vs) != 0 {
			t.Errorf("Check: %v, want none (the week of 9 March is not whole, so not judged)", briefs(vs, p.Loc()))
		}
	})
	t.Run("F20 a week cut by the first post is not judged", func(t *testing.T) {
		p := rulesOf(Interactive)
		posts := []Post{{Kind: Interactive, At: mar(3, 20, 0)}, {Kind: Notice, MentionAll: true, At: mar(8, 23, 0)}}
		if vs := p.Check(posts); len(vs) != 0 {
			t.Errorf("Check: %v, want none: the log starts on Tuesday", briefs(vs, p.Loc()))
		}
	})
}

// TestPerkWeekF21 checks "福利类 每周1次" (seed F21): one perk a week
// passes, a second in the same week is one too many, and one the next
// Monday starts a new week. A week without a perk is not flagged (no
// minimum, ours).
func TestPerkWeekF21(t *testing.T) {
	p := rulesOf(Perk)
	for _, tt := range []struct {
		name  string
		perks []time.Time
		want  []brief
	}{
		{"F21 no perk in a week is allowed", nil, nil},
		{"F21 one perk a week", []time.Time{mar(3, 20, 0)}, nil},
		{"F21 a second perk post in the week", []time.Time{mar(3, 20, 0), mar(8, 20, 59)},
			[]brief{{CountRule, Perk, "2026-03-02 00:00", []int{2, 3}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			posts := weekEnds()
			for _, at := range tt.perks {
				posts = append(posts, Post{Kind: Perk, At: at})
			}
			if diff := cmp.Diff(tt.want, briefs(p.Check(posts), p.Loc())); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("F21 next Monday's perk is the next week's", func(t *testing.T) {
		posts := []Post{{Kind: Perk, At: mar(8, 20, 0)}, {Kind: Perk, At: mar(9, 20, 0)}}
		if vs := p.Check(posts); len(vs) != 0 {
			t.Errorf("Check: %v, want none", briefs(vs, p.Loc()))
		}
	})
}

// TestSilentDaysF19 checks that days with no post at all inside the span
// are reported once per run, from Day to Until, and that a daily rule
// limited to some weekdays counts only those.
func TestSilentDaysF19(t *testing.T) {
	news := Post{Kind: News, At: mar(2, 8, 0)}
	tests := []struct {
		name  string
		plan  Plan
		posts []Post
		want  []Violation
	}{
		{
			name: "F19 one silent day", plan: rulesOf(News),
			posts: []Post{news, {Kind: News, At: mar(4, 8, 0)}},
			want:  []Violation{{Rule: MinRule, Kind: News, Day: mar(3, 0, 0), Reason: "no news posts on 2026-03-03, fewer than 1 a day"}},
		},
		{
			name: "F19 a silent week is one violation", plan: rulesOf(News),
			posts: []Post{news, {Kind: News, At: mar(10, 8, 0)}},
			want: []Violation{{Rule: MinRule, Kind: News, Day: mar(3, 0, 0), Until: mar(9, 0, 0),
				Reason: "no news posts on 7 days from 2026-03-03 to 2026-03-09, fewer than 1 a day"}},
		},
		{
			name: "weekdays only: the silent weekend is not missed",
			plan: Plan{Rules: []Rule{{Kind: News, Per: Daily, Count: 1, Min: 1, Window: Window{8 * Hour, 9 * Hour},
				Days: DaysOf(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)}}},
			// Friday 6 March, then Monday 9 March; then Friday 13 March
			// after a silent Tuesday to Thursday.
			posts: []Post{{Kind: News, At: mar(6, 8, 0)}, {Kind: News, At: mar(9, 8, 0)}, {Kind: News, At: mar(13, 8, 0)}},
			want: []Violation{{Rule: MinRule, Kind: News, Day: mar(10, 0, 0), Until: mar(12, 0, 0),
				Reason: "no news posts on 3 days from 2026-03-10 to 2026-03-12, fewer than 1 a day"}},
		},
		{
			name: "F20 silent weeks are one violation", plan: rulesOf(Interactive),
			posts: []Post{
				{Kind: Interactive, At: mar(2, 20, 0)}, {Kind: Interactive, At: mar(4, 20, 0)}, {Kind: Interactive, At: mar(6, 20, 0)},
				{Kind: Interactive, At: mar(30, 20, 0)}, // Monday four weeks on
			},
			want: []Violation{{Rule: MinRule, Kind: Interactive, Day: mar(9, 0, 0), Until: mar(23, 0, 0),
				Reason: "no interactive posts in 3 weeks from the week of 2026-03-09 to the week of 2026-03-23, fewer than 3 a week"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.plan.Check(tt.posts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSilenceOfCenturies checks that a hostile gap of thousands of years
// between two posts costs one violation per rule, not one per day.
func TestSilenceOfCenturies(t *testing.T) {
	posts := []Post{{Kind: News, At: time.Date(1, 1, 1, 8, 0, 0, 0, shanghai)}, {Kind: News, At: time.Date(9999, 12, 31, 8, 0, 0, 0, shanghai)}}
	vs := ContentMixPlan().Check(posts)
	// 1 January of year 1 was a Monday, so its week is whole: its missing
	// Q&A and live stream, then one run each for news, Q&A and live.
	if len(vs) != 5 {
		t.Fatalf("%d violations, want 5: %v", len(vs), vs)
	}
	runs := 0
	for _, v := range vs {
		if v.Rule != MinRule {
			t.Errorf("violation %+v, want MinRule", v)
		}
		if !v.Until.IsZero() {
			runs++
		}
	}
	if runs != 3 {
		t.Errorf("%d runs, want 3: %v", runs, vs)
	}
}

// TestMentionAllF23 checks "重要通知需配合全体成员功能" (seed F23): a
// notice without @all is reported, one with it is not, @all on other
// kinds is left alone, and Week marks notice slots with @all.
func TestMentionAllF23(t *testing.T) {
	p := Plan{}
	posts := []Post{
		{Kind: Notice, At: mar(2, 10, 0)},
		{Kind: Notice, MentionAll: true, At: mar(2, 11, 0)},
		{Kind: Ad, MentionAll: true, At: mar(2, 12, 0)},
		{Kind: Notice, At: mar(2, 13, 0)},
	}
	want := []Violation{{Rule: MentionRule, Kind: Notice, Day: mar(2, 0, 0), Posts: []int{0, 3},
		Reason: "2 notices on 2026-03-02 without @all (seed F23)"}}
	if diff := cmp.Diff(want, p.Check(posts)); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	p.Rules = []Rule{{Kind: Notice, Per: Weekly, Count: 1, Window: Window{10 * Hour, 11 * Hour}}, {Kind: Ad, Per: Weekly, Count: 1, Window: Window{12 * Hour, 13 * Hour}}}
	for _, s := range p.Week(mar(2, 0, 0)) {
		if s.MentionAll != (s.Kind == Notice) {
			t.Errorf("slot %v: MentionAll %v", s, s.MentionAll)
		}
	}
}

// TestContentMixPlanF22 checks the plan of seed F22's example: every
// morning's news, the evening Q&A three times a week, the weekly perk and
// a weekend live stream; its own week passes its own check.
func TestContentMixPlanF22(t *testing.T) {
	p := ContentMixPlan()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	slots := p.Week(mar(4, 12, 0))
	count := map[Kind]int{}
	var posts []Post
	for _, s := range slots {
		count[s.Kind]++
		posts = append(posts, s.Post())
		if s.Kind == Live {
			if wd := s.At.Weekday(); wd != time.Saturday && wd != time.Sunday {
				t.Errorf("live stream on %v, want the weekend", wd)
			}
		}
		if s.Kind == Interactive && s.At.Hour() != 20 {
			t.Errorf("Q&A at %v, want the evening window 20:00-21:00 (F20)", s.At)
		}
	}
	if want := map[Kind]int{News: 7, Interactive: 3, Perk: 1, Live: 1}; !cmp.Equal(want, count) {
		t.Errorf("slots per kind %v, want %v", count, want)
	}
	// A Sunday notice closes the week so that the weekly minimums are judged.
	posts = append(posts, Post{Kind: Notice, MentionAll: true, At: mar(8, 22, 0)})
	if vs := p.Check(posts); len(vs) != 0 {
		t.Errorf("Check of its own week: %v", vs)
	}
	// Without the live stream the week falls short.
	var noLive []Post
	for _, q := range posts {
		if q.Kind != Live {
			noLive = append(noLive, q)
		}
	}
	vs := p.Check(noLive)
	if len(vs) != 1 || vs[0].Rule != MinRule || vs[0].Kind != Live {
		t.Errorf("Check without the live stream: %v, want one live MinRule violation", vs)
	}
}

// TestBackupCadenceF40 checks that the default cadences hold the backup
// of seed F13 and F40 ("定期备份") beside the others, weekly on Sunday
// evening, and that it comes round every 7 days.
func TestBackupCadenceF40(t *testing.T) {
	var backup Cadence
	for _, c := range DefaultCadences() {
		if c.Name == "backup" {
			backup = c
		}
	}
	want := Cadence{Name: "backup", Every: Weekly, Weekday: time.Sunday, At: 22 * Hour, Seed: "F13,F40"}
	if backup != want {
		t.Fatalf("backup cadence %+v, want %+v", backup, want)
	}
	at := mar(4, 12, 0)
	for _, w := range []time.Time{mar(8, 22, 0), mar(15, 22, 0), mar(22, 22, 0)} {
		at = backup.Next(at)
		if !at.Equal(w) {
			t.Errorf("next backup %v, want %v", at, w)
		}
	}
}

// TestActivationF30 checks the activation playbook of seed F30: a flash
// lottery and a live talk, announced with @all (F23), on the evening of
// the alert when an hour is left, else the next, and the live talk the
// evening after.
func TestActivationF30(t *testing.T) {
	tests := []struct {
		name  string
		alert time.Time
		day   int // the day of March of the announcement
	}{
		{"F30 alert in the morning: the same evening", mar(5, 9, 0), 5},
		{"F30 alert exactly an hour before the notice: the same evening", mar(5, 18, 30), 5},
		{"F30 alert a minute later: the next evening", mar(5, 18, 31), 6},
		{"F30 alert at night: the next evening", mar(5, 23, 0), 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Activation(tt.alert)
			d := tt.day
			want := []Play{
				{Name: "announce", Slot: Slot{Kind: Notice, MentionAll: true, At: mar(d, 19, 30)}, Seed: "F30,F23"},
				{Name: "flash-lottery", Slot: Slot{Kind: Perk, At: mar(d, 20, 0)}, Seed: "F30,F21"},
				{Name: "draw", Slot: Slot{Kind: Notice, MentionAll: true, At: mar(d, 21, 0)}, Seed: "F30,F21"},
				{Name: "live-qa", Slot: Slot{Kind: Live, At: mar(d+1, 20, 0)}, Seed: "F30,F22"},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Activation(%v) (-want +got):\n%s", tt.alert, diff)
			}
		})
	}
	t.Run("F30 the plays fit the content mix's windows", func(t *testing.T) {
		// The lottery and the live talk sit in the evening windows and the
		// notices carry @all (F23); only the weekday of the live talk
		// (Friday 6 March) breaks ContentMixPlan's weekend rule, as
		// Activation documents.
		var posts []Post
		for _, p := range Activation(mar(5, 9, 0)) {
			posts = append(posts, p.Post())
		}
		vs := ContentMixPlan().Check(posts)
		var rules []RuleID
		for _, v := range vs {
			if v.Rule != MinRule {
				rules = append(rules, v.Rule)
			}
		}
		if diff := cmp.Diff([]RuleID{WeekdayRule}, rules); diff != "" {
			t.Errorf("Check of the plays, minimums aside (-want +got):\n%s\n%v", diff, vs)
		}
	})
}
