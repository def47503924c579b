package metrics

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

// mkDays makes consecutive days from Mar 2 2026 in Shanghai with the given
// speakers and members.
func mkDays(sm ...[2]int) []Day {
	var out []Day
	for i, x := range sm {
		out = append(out, Day{Date: time.Date(2026, 3, 2+i, 0, 0, 0, 0, shanghai), Speakers: x[0], Members: x[1], Activity: ratioOf(x[0], x[1])})
	}
	return out
}

func TestLowActivityF30(t *testing.T) {
	low, ok, empty := [2]int{9, 100}, [2]int{10, 100}, [2]int{0, 0}
	type alert struct {
		Date, Start string
		Activity    Ratio
	}
	for _, tt := range []struct {
		name string
		days []Day
		o    AlertOptions
		want []alert
	}{
		{"three low days fire on the third", mkDays(low, low, low), AlertOptions{}, []alert{{"03-04", "03-02", Ratio{Num: 27, Den: 300}}}},
		{"two low days do not fire", mkDays(low, low, ok, low), AlertOptions{}, nil},
		{"exactly 10% is not low", mkDays(ok, ok, ok), AlertOptions{}, nil},
		{"once per run", mkDays(low, low, low, low, low), AlertOptions{}, []alert{{"03-04", "03-02", Ratio{Num: 27, Den: 300}}}},
		{"a new run fires again", mkDays(low, low, low, ok, low, low, low), AlertOptions{}, []alert{{"03-04", "03-02", Ratio{Num: 27, Den: 300}}, {"03-08", "03-06", Ratio{Num: 27, Den: 300}}}},
		{"a day without members breaks the run", mkDays(low, low, empty, low, low, low), AlertOptions{}, []alert{{"03-07", "03-05", Ratio{Num: 27, Den: 300}}}},
		{"no speakers at all is low", mkDays([2]int{0, 5}, [2]int{0, 5}, [2]int{0, 5}), AlertOptions{}, []alert{{"03-04", "03-02", Ratio{Num: 0, Den: 15}}}},
		{"custom run and threshold", mkDays([2]int{19, 100}, [2]int{19, 100}), AlertOptions{Threshold: Ratio{Num: 1, Den: 5}, Run: 2}, []alert{{"03-03", "03-02", Ratio{Num: 38, Den: 200}}}},
		{"a gap between dates breaks the run", append(mkDays(low, low), mkDays(ok, ok, ok, low)[3:]...), AlertOptions{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			as, err := LowActivity(tt.days, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			var got []alert
			for _, a := range as {
				if a.Figure != "F30" {
					t.Errorf("alert names %q, want F30", a.Figure)
				}
				got = append(got, alert{a.Date.Format("01-02"), a.Start.Format("01-02"), a.Activity})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, o := range []AlertOptions{{Run: -1}, {Threshold: Ratio{Num: -1, Den: 10}}} {
		if _, err := LowActivity(nil, o); err == nil || !strings.HasPrefix(err.Error(), "metrics: alert options: ") {
			t.Errorf("LowActivity(%+v): error %v", o, err)
		}
	}
	as, _ := LowActivity(mkDays(low, low, low), AlertOptions{})
	if got, want := as[0].String(), "F30 2026-03-04: activity below 10.0% on 3 days in a row since 2026-03-02 (9.0% over the run)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestHealthVerdicts(t *testing.T) {
	sh := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, shanghai) }
	// A group of 10 members from Mar 1 (roster) plus staff. Mar 2-4: 2
	// speakers a day (20%), 30 messages a day. Broadcast on Mar 2: 9 of
	// 10 read it (90%), 4 claim (40%). Joins on Mar 2: 2 members, one
	// leaves on Mar 4 (day-3 retention 50%), the log ends Mar 9.
	tr := NewTracker(nil)
	add := func(e qunops.Event) {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	members := []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"}
	add(ev(qunops.Roster, "staff", sh(1, 9)))
	for _, m := range members {
		add(ev(qunops.Roster, m, sh(1, 9)))
	}
	b := ev(qunops.Message, "staff", sh(2, 8))
	b.Item = "coupon"
	add(b)
	for day := 2; day <= 4; day++ {
		for i := range 30 {
			add(ev(qunops.Message, members[i%2], sh(day, 10)))
		}
	}
	for _, m := range members[:9] {
		add(ev(qunops.Read, m, sh(2, 9)))
	}
	for _, m := range members[:4] {
		add(ev(qunops.Claim, m, sh(2, 9)))
	}
	add(ev(qunops.Join, "n1", sh(2, 12)))
	add(ev(qunops.Join, "n2", sh(2, 12)))
	add(ev(qunops.Leave, "n2", sh(4, 12)))
	add(ev(qunops.Roster, "m0", sh(9, 9)))

	o := HealthOptions{Options: Options{Exclude: []string{"staff"}}}
	vs, err := tr.Health("g", Service, sh(2, 0), sh(4, 23), o)
	if err != nil {
		t.Fatal(err)
	}
	// Members Mar 2-4: 12, 12, 12 (n2 present on the day he leaves);
	// speakers 2 a day: 6/36. The staff broadcast counts in the volume:
	// 91 messages over 3 days. Day-7 cohort of Mar 2 ends Mar 9: complete.
	// Leave rate: 1 leave (n2) over the 12 members of Mar 2.
	want := []string{
		"F25 activity 16.7% > 15.0%: excellent",
		"F2 messages per day 30.3 <= 50.0: pass",
		"F26 day-3 retention 50.0% > 60.0%: below-excellent",
		"F26 day-7 retention 50.0% > 40.0%: excellent",
		"F27 reach 90.0% > 85.0%: excellent",
		"F42 leave rate 8.3% <= 8.0%: fail",
	}
	if diff := cmp.Diff(want, verdictStrings(vs)); diff != "" {
		t.Errorf("service (-want +got):\n%s", diff)
	}
	vs, err = tr.Health("g", Perks, sh(2, 0), sh(4, 23), o)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{
		"F25 activity 16.7% > 25.0%: below-excellent",
		"F3 response 40.0% > 30.0%: pass",
		"F26 day-3 retention 50.0% > 60.0%: below-excellent",
		"F26 day-7 retention 50.0% > 40.0%: excellent",
		"F27 reach 90.0% > 85.0%: excellent",
		"F42 leave rate 8.3% <= 8.0%: fail",
	}
	if diff := cmp.Diff(want, verdictStrings(vs)); diff != "" {
		t.Errorf("perks (-want +got):\n%s", diff)
	}
	// F3: a news item nobody claims drags the response down unless the
	// caller names the campaigns. News on Mar 3 reaches 12 members (n1 and
	// n2 joined on Mar 2), read and claimed by none: the response over both
	// broadcasts is 4/22, over the coupon alone 4/10.
	news := ev(qunops.Message, "staff", sh(3, 8))
	news.Item = "news"
	add(news)
	vs, _ = tr.Health("g", Perks, sh(2, 0), sh(4, 23), o)
	if got := vs[1].String(); got != "F3 response 18.2% > 30.0%: fail" {
		t.Errorf("response over every broadcast: %q", got)
	}
	o.Campaigns = []string{"coupon"}
	vs, _ = tr.Health("g", Perks, sh(2, 0), sh(4, 23), o)
	if got := vs[1].String(); got != "F3 response 40.0% > 30.0%: pass" {
		t.Errorf("response over the campaigns: %q", got)
	}
	if got := vs[4].String(); got != "F27 reach 40.9% > 85.0%: below-excellent" {
		t.Errorf("reach still counts every broadcast (9 of 10, then 0 of 12): %q", got)
	}
	o.Campaigns = nil
	// A period without joins or broadcasts: those checks are undefined;
	// its 11 members and no leave make a leave rate of 0.
	vs, _ = tr.Health("g", Interest, sh(5, 0), sh(6, 0), o)
	want = []string{
		"F26 day-3 retention undefined > 60.0%: undefined",
		"F26 day-7 retention undefined > 40.0%: undefined",
		"F27 reach undefined > 85.0%: undefined",
		"F42 leave rate 0.0% <= 8.0%: pass",
	}
	if diff := cmp.Diff(want, verdictStrings(vs)); diff != "" {
		t.Errorf("interest (-want +got):\n%s", diff)
	}
	if got := vs[3].Value; got != (Ratio{Num: 0, Den: 11}) {
		t.Errorf("leave rate of Mar 5-6 = %d/%d, want 0/11", got.Num, got.Den)
	}
	// Custom thresholds replace the defaults field by field.
	o.Thresholds = Thresholds{ServiceActivity: Ratio{Num: 1, Den: 5}}
	vs, _ = tr.Health("g", Service, sh(2, 0), sh(4, 23), o)
	if vs[0].Status != BelowExcellent || vs[0].Threshold != (Ratio{Num: 1, Den: 5}) || vs[4].Threshold != (Ratio{Num: 85, Den: 100}) {
		t.Errorf("custom threshold: %v", verdictStrings(vs))
	}
	for _, tt := range []struct {
		name string
		kind GroupKind
		from time.Time
		o    HealthOptions
		want string
	}{
		{"unknown kind", 0, sh(2, 0), HealthOptions{}, "kind 0"},
		{"reversed period", Service, sh(5, 0), HealthOptions{}, "before it starts"},
		{"negative threshold", Service, sh(2, 0), HealthOptions{Thresholds: Thresholds{Reach: Ratio{Num: -1, Den: 2}}}, "reach -1/2"},
		{"negative window", Service, sh(2, 0), HealthOptions{Options: Options{Window: -time.Hour}}, "window -1h"},
	} {
		if _, err := tr.Health("g", tt.kind, tt.from, sh(4, 0), tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func verdictStrings(vs []Verdict) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.String())
	}
	return out
}

// boundary builds a group of n roster members (m0, m1, ...) from Mar 1
// 2026, lets build add the case's events, and returns the verdict of
// figure and metric for kind over Mar 2 (through Mar 2 + days - 1).
func boundary(t *testing.T, n int, kind GroupKind, figure, metric string, days int, build func(add func(qunops.Event), at func(day, h int) time.Time)) Verdict {
	t.Helper()
	at := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, shanghai) }
	tr := NewTracker(nil)
	add := func(e qunops.Event) {
		t.Helper()
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		add(ev(qunops.Roster, fmt.Sprintf("m%d", i), at(1, 9)))
	}
	build(add, at)
	vs, err := tr.Health("g", kind, at(2, 0), at(2+days-1, 23), HealthOptions{Options: Options{Exclude: []string{"staff"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Figure == figure && v.Metric == metric {
			return v
		}
	}
	t.Fatalf("no %s %s verdict among %v", figure, metric, verdictStrings(vs))
	return Verdict{}
}

// boundaryCase is a count exactly at a seed threshold or one past it, and
// the status the seed's wording gives it.
type boundaryCase struct {
	name  string
	count int
	want  Status
}

func checkBoundary(t *testing.T, cases []boundaryCase, verdict func(t *testing.T, count int) Verdict) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if v := verdict(t, c.count); v.Status != c.want {
				t.Errorf("%v: status %v, want %v", v, v.Status, c.want)
			}
		})
	}
}

// TestHealthF2Boundary: a service group keeps its daily messages "within
// 50" (seed F2, 以内: inclusive), so 50 messages a day pass and 51 fail.
func TestHealthF2Boundary(t *testing.T) {
	checkBoundary(t, []boundaryCase{{"50 messages pass", 50, Pass}, {"51 messages fail", 51, Fail}}, func(t *testing.T, count int) Verdict {
		return boundary(t, 10, Service, "F2", MetricMessagesPerDay, 1, func(add func(qunops.Event), at func(int, int) time.Time) {
			for i := range count {
				add(ev(qunops.Message, fmt.Sprintf("m%d", i%10), at(2, 10)))
			}
		})
	})
}

// TestHealthF3Boundary: a perks campaign's response "must exceed 30%" to
// pass (seed F3, 高于: strict): 30 of 100 recipients fail, 31 pass.
func TestHealthF3Boundary(t *testing.T) {
	checkBoundary(t, []boundaryCase{{"30% fails", 30, Fail}, {"31% passes", 31, Pass}}, func(t *testing.T, count int) Verdict {
		return boundary(t, 100, Perks, "F3", MetricResponse, 1, func(add func(qunops.Event), at func(int, int) time.Time) {
			b := ev(qunops.Message, "staff", at(2, 8))
			b.Item = "coupon"
			add(b)
			for i := range count {
				add(ev(qunops.Claim, fmt.Sprintf("m%d", i), at(2, 9)))
			}
		})
	})
}

// TestHealthF25Boundary: activity is excellent above 15% for a service
// group and above 25% for a perks group (seed F25, ">"): exactly at the
// benchmark is below excellent, one speaker more of 100 members is
// excellent.
func TestHealthF25Boundary(t *testing.T) {
	for _, k := range []struct {
		kind GroupKind
		at   int
	}{{Service, 15}, {Perks, 25}} {
		t.Run(k.kind.String(), func(t *testing.T) {
			checkBoundary(t, []boundaryCase{
				{fmt.Sprintf("%d%% is below excellent", k.at), k.at, BelowExcellent},
				{fmt.Sprintf("%d%% is excellent", k.at+1), k.at + 1, Excellent},
			}, func(t *testing.T, count int) Verdict {
				return boundary(t, 100, k.kind, "F25", MetricActivity, 1, func(add func(qunops.Event), at func(int, int) time.Time) {
					for i := range count {
						add(ev(qunops.Message, fmt.Sprintf("m%d", i), at(2, 10)))
					}
				})
			})
		})
	}
}

// TestHealthF26Boundary: day-3 retention is excellent above 60% and day-7
// retention above 40% (seed F26, ">"): of 100 members who join on Mar 2,
// exactly 60 (40) still present at the end of day 3 (7) are below
// excellent, one more is excellent.
func TestHealthF26Boundary(t *testing.T) {
	for _, r := range []struct {
		n      int
		metric string
		at     int
	}{{3, MetricDay3Retention, 60}, {7, MetricDay7Retention, 40}} {
		t.Run(r.metric, func(t *testing.T) {
			checkBoundary(t, []boundaryCase{
				{fmt.Sprintf("%d%% is below excellent", r.at), r.at, BelowExcellent},
				{fmt.Sprintf("%d%% is excellent", r.at+1), r.at + 1, Excellent},
			}, func(t *testing.T, retained int) Verdict {
				return boundary(t, 0, Interest, "F26", r.metric, 1, func(add func(qunops.Event), at func(int, int) time.Time) {
					for i := range 100 {
						add(ev(qunops.Join, fmt.Sprintf("n%d", i), at(2, 10)))
						if i >= retained {
							// gone on the last day that counts
							add(ev(qunops.Leave, fmt.Sprintf("n%d", i), at(2+r.n, 22)))
						}
					}
					// the log reaches day N: the cohort is complete
					add(ev(qunops.Roster, "n0", at(2+r.n+1, 9)))
				})
			})
		})
	}
}

// TestHealthF27Boundary: reach is excellent above 85% (seed F27, ">"): 85
// readers of 100 recipients are below excellent, 86 excellent.
func TestHealthF27Boundary(t *testing.T) {
	checkBoundary(t, []boundaryCase{{"85% is below excellent", 85, BelowExcellent}, {"86% is excellent", 86, Excellent}}, func(t *testing.T, count int) Verdict {
		return boundary(t, 100, Interest, "F27", MetricReach, 1, func(add func(qunops.Event), at func(int, int) time.Time) {
			b := ev(qunops.Message, "staff", at(2, 8))
			b.Item = "coupon"
			add(b)
			for i := range count {
				add(ev(qunops.Read, fmt.Sprintf("m%d", i), at(2, 9)))
			}
		})
	})
}

// TestHealthF42Boundary: the quit rate is kept "below 8%" (seed F42,
// 8%以下, inclusive like every 以下 of the seed and Civil Code art. 1259):
// 8 leaves of 100 members pass, 9 fail.
func TestHealthF42Boundary(t *testing.T) {
	checkBoundary(t, []boundaryCase{{"8% passes", 8, Pass}, {"9% fails", 9, Fail}}, func(t *testing.T, count int) Verdict {
		return boundary(t, 100, Interest, "F42", MetricLeaveRate, 3, func(add func(qunops.Event), at func(int, int) time.Time) {
			for i := range count {
				add(ev(qunops.Leave, fmt.Sprintf("m%d", i), at(2+i%3, 12)))
			}
		})
	})
}

// TestLeaveRateCountsLaterJoins: the later days' joiners are members at
// some point of the period and join the denominator; the first day's
// joiners are already among its members.
func TestLeaveRateCountsLaterJoins(t *testing.T) {
	v := boundary(t, 10, Interest, "F42", MetricLeaveRate, 2, func(add func(qunops.Event), at func(int, int) time.Time) {
		add(ev(qunops.Join, "a", at(2, 10)))
		add(ev(qunops.Join, "b", at(3, 10)))
		add(ev(qunops.Leave, "a", at(3, 11)))
	})
	if want := (Ratio{Num: 1, Den: 12}); v.Value != want {
		t.Errorf("leave rate %d/%d, want %d/%d (10 roster + a on day 1, b later)", v.Value.Num, v.Value.Den, want.Num, want.Den)
	}
}

// TestStatusMet: only Pass and Excellent meet their standard.
func TestStatusMet(t *testing.T) {
	for _, s := range Statuses() {
		if want := s == Pass || s == Excellent; s.Met() != want {
			t.Errorf("%v.Met() = %v, want %v", s, s.Met(), want)
		}
	}
	if got := len(Statuses()); got != len(statusNames) {
		t.Errorf("Statuses() has %d, statusNames %d", got, len(statusNames))
	}
}
