package metrics

import (
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
	want := []string{
		"F25 activity 16.7% > 15.0%: pass",
		"F2 messages per day 30.3 <= 50.0: pass",
		"F26 day-3 retention 50.0% > 60.0%: fail",
		"F26 day-7 retention 50.0% > 40.0%: pass",
		"F27 reach 90.0% > 85.0%: pass",
	}
	if diff := cmp.Diff(want, verdictStrings(vs)); diff != "" {
		t.Errorf("service (-want +got):\n%s", diff)
	}
	vs, err = tr.Health("g", Perks, sh(2, 0), sh(4, 23), o)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{
		"F25 activity 16.7% > 25.0%: fail",
		"F3 response 40.0% > 30.0%: pass",
		"F26 day-3 retention 50.0% > 60.0%: fail",
		"F26 day-7 retention 50.0% > 40.0%: pass",
		"F27 reach 90.0% > 85.0%: pass",
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
	if got := vs[4].String(); got != "F27 reach 40.9% > 85.0%: fail" {
		t.Errorf("reach still counts every broadcast (9 of 10, then 0 of 12): %q", got)
	}
	o.Campaigns = nil
	// A period without joins or broadcasts: those checks are undefined.
	vs, _ = tr.Health("g", Interest, sh(5, 0), sh(6, 0), o)
	want = []string{
		"F26 day-3 retention undefined > 60.0%: undefined",
		"F26 day-7 retention undefined > 40.0%: undefined",
		"F27 reach undefined > 85.0%: undefined",
	}
	if diff := cmp.Diff(want, verdictStrings(vs)); diff != "" {
		t.Errorf("interest (-want +got):\n%s", diff)
	}
	// Custom thresholds replace the defaults field by field.
	o.Thresholds = Thresholds{ServiceActivity: Ratio{Num: 1, Den: 5}}
	vs, _ = tr.Health("g", Service, sh(2, 0), sh(4, 23), o)
	if vs[0].Status != Fail || vs[0].Threshold != (Ratio{Num: 1, Den: 5}) || vs[4].Threshold != (Ratio{Num: 85, Den: 100}) {
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
