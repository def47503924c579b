package schedule

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultPlanSeedFigures(t *testing.T) {
	p := DefaultPlan()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		k      Kind
		per    Period
		count  int
		max    int
		min    int
		window string
		seed   string
	}{
		{News, Daily, 1, 2, 1, "08:00-09:00", "F19: 1-2 a day, 08:00-09:00"},
		{Interactive, Weekly, 3, 3, 3, "20:00-21:00", "F20: 3 a week, 20:00-21:00"},
		{Perk, Weekly, 1, 1, 0, "20:00-21:00", "F21: 1 a week; window after F28; no minimum (ours)"},
	}
	for _, w := range want {
		r, ok := p.Rule(w.k)
		if !ok || r.Per != w.per || r.Count != w.count || r.max() != w.max || r.Min != w.min || r.Window.String() != w.window || r.days() != EveryDay {
			t.Errorf("%v rule %+v (ok %v), want %+v (seed %s)", w.k, r, ok, w, w.seed)
		}
	}
	for _, k := range []Kind{Notice, Ad, Live} {
		if _, ok := p.Rule(k); ok {
			t.Errorf("default plan has a rule for %v", k)
		}
	}
	if p.DailyCap != 50 || p.AdRunMax != 3 || p.Location != nil || p.Loc() != shanghai {
		t.Errorf("cap %d (seed F23: 50), ad run %d (seed F24: 3), location %v", p.DailyCap, p.AdRunMax, p.Location)
	}
	if (Plan{}).cap() != 50 || (Plan{}).adRunMax() != 3 {
		t.Errorf("zero plan: cap %d, ad run %d", (Plan{}).cap(), (Plan{}).adRunMax())
	}
}

func TestPlanValidate(t *testing.T) {
	news := Rule{Kind: News, Per: Daily, Count: 1, Window: Window{8 * Hour, 9 * Hour}}
	with := func(f func(*Rule)) Plan {
		r := news
		f(&r)
		return Plan{Rules: []Rule{news, r}}
	}
	tests := []struct {
		name string
		p    Plan
		want string
	}{
		{"zero", Plan{}, ""},
		{"default", DefaultPlan(), ""},
		{"cap", Plan{DailyCap: -1}, "schedule: daily cap -1 must not be negative"},
		{"ad run", Plan{AdRunMax: -2}, "schedule: ad run max -2 must not be negative"},
		{"kind", with(func(r *Rule) { r.Kind = 0 }), "schedule: rules[1].kind: 0 is not a kind"},
		{"duplicate", with(func(r *Rule) {}), "schedule: rules[1].kind: a second rule for news"},
		{"per", with(func(r *Rule) { r.Kind, r.Per = Ad, Monthly }), "schedule: rules[1].per: monthly must be daily or weekly"},
		{"count zero", with(func(r *Rule) { r.Kind, r.Count = Ad, 0 }), "schedule: rules[1].count: 0 is outside 1..1440"},
		{"count weekly", with(func(r *Rule) { r.Kind, r.Per, r.Count = Ad, Weekly, 10081 }), "schedule: rules[1].count: 10081 is outside 1..10080"},
		{"max", with(func(r *Rule) { r.Kind, r.Count, r.Max = Ad, 3, 2 }), "schedule: rules[1].max: 2 is less than count 3"},
		{"window", with(func(r *Rule) { r.Kind, r.Window = Ad, Window{9 * Hour, 8 * Hour} }), "schedule: rules[1].window: end 08:00 is not after start 09:00"},
		{"window empty", with(func(r *Rule) { r.Kind, r.Window = Ad, Window{} }), "schedule: rules[1].window: end 00:00 is not after start 00:00"},
		{"window end", with(func(r *Rule) { r.Kind, r.Window = Ad, Window{0, 25 * Hour} }), "schedule: rules[1].window: end Clock(1500) is outside 00:01..24:00"},
		{"window start", with(func(r *Rule) { r.Kind, r.Window = Ad, Window{-1, 1} }), "schedule: rules[1].window: start Clock(-1) is outside 00:00..23:59"},
		{"min negative", with(func(r *Rule) { r.Kind, r.Min = Ad, -1 }), "schedule: rules[1].min: -1 is outside 0..count 1"},
		{"min over count", with(func(r *Rule) { r.Kind, r.Count, r.Max, r.Min = Ad, 2, 5, 3 }), "schedule: rules[1].min: 3 is outside 0..count 2"},
		{"days", with(func(r *Rule) { r.Kind, r.Days = Ad, 0x80 }), "schedule: rules[1].days: 0x80 has bits beyond the seven days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if err := tt.p.Validate(); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPlanJSON(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	p := DefaultPlan()
	p.Location = ny
	p.Rules = append(p.Rules, Rule{Kind: Ad, Per: Weekly, Count: 2, Max: 4, Days: DaysOf(time.Saturday, time.Sunday), Window: Window{12 * Hour, 24 * Hour}})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"location":"America/New_York","daily_cap":50,"ad_run_max":3,"rules":[` +
		`{"kind":"news","per":"daily","count":1,"max":2,"min":1,"window":"08:00-09:00"},` +
		`{"kind":"interactive","per":"weekly","count":3,"min":3,"window":"20:00-21:00"},` +
		`{"kind":"perk","per":"weekly","count":1,"window":"20:00-21:00"},` +
		`{"kind":"ad","per":"weekly","count":2,"max":4,"window":"12:00-24:00","days":"sat,sun"}]}`
	if string(b) != want {
		t.Errorf("Marshal =\n%s\nwant\n%s", b, want)
	}
	var q Plan
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q.Location.String() != "America/New_York" {
		t.Errorf("location %v", q.Location)
	}
	if diff := cmp.Diff(p.Rules, q.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	start := time.Date(2026, 3, 8, 0, 0, 0, 0, ny)
	if diff := cmp.Diff(slotTexts(p.Week(start)), slotTexts(q.Week(start))); diff != "" {
		t.Errorf("weeks differ:\n%s", diff)
	}
	// The zero plan round-trips too.
	b, _ = json.Marshal(Plan{})
	if string(b) != `{"rules":[]}` {
		t.Errorf("zero plan: %s", b)
	}
}

func TestPlanUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown key", `{"rules":[],"cap":3}`, `schedule: plan: unknown key "cap"`},
		{"duplicate key", `{"daily_cap":3,"rules":[],"daily_cap":4}`, `schedule: plan: duplicate key "daily_cap"`},
		{"duplicate rules", `{"rules":[],"rules":[{"kind":"news","per":"daily","count":1,"window":"08:00-09:00"}]}`, `schedule: plan: duplicate key "rules"`},
		{"Go field name", `{"DailyCap":3,"rules":[]}`, `schedule: plan: unknown key "DailyCap"`},
		{"wrong case", `{"Rules":[]}`, `schedule: plan: unknown key "Rules"`},
		{"rule key in Go case", `{"rules":[{"kind":"news","per":"daily","count":1,"window":"08:00-09:00"},{"Kind":"ad"}]}`, `schedule: plan: rules[1]: unknown key "Kind"`},
		{"duplicate rule key", `{"rules":[{"kind":"news","kind":"ad","per":"daily","count":1,"window":"08:00-09:00"}]}`, `schedule: plan: rules[0]: duplicate key "kind"`},
		{"trailing", `{"rules":[]} {}`, `schedule: plan: data after the JSON value`},
		{"bad kind", `{"rules":[{"kind":"meme","per":"daily","count":1,"window":"08:00-09:00"}]}`, `schedule: plan: rules[0].kind: schedule: kind "meme" is not news, interactive, perk, notice, ad or live`},
		{"kind in Go case", `{"rules":[{"kind":"News","per":"daily","count":1,"window":"08:00-09:00"}]}`, `schedule: plan: rules[0].kind: schedule: kind "News" is not news, interactive, perk, notice, ad or live`},
		{"bad period", `{"rules":[{"kind":"news","per":"hourly","count":1,"window":"08:00-09:00"}]}`, `schedule: plan: rules[0].per: schedule: period "hourly" is not daily, weekly, monthly, quarterly or yearly`},
		{"period for cadences", `{"rules":[{"kind":"news","per":"monthly","count":1,"window":"08:00-09:00"}]}`, `schedule: rules[0].per: monthly must be daily or weekly`},
		{"bad window", `{"rules":[{"kind":"news","per":"daily","count":1,"window":"09:00-08:00"}]}`, `schedule: plan: rules[0].window: schedule: window "09:00-08:00": end 08:00 is not after start 09:00`},
		{"bad clock", `{"rules":[{"kind":"news","per":"daily","count":1,"window":"8:00-09:00"}]}`, `schedule: plan: rules[0].window: schedule: window "8:00-09:00": start: schedule: clock "8:00" is not HH:MM`},
		{"bad days", `{"rules":[{"kind":"news","per":"daily","count":1,"window":"08:00-09:00","days":"mon,funday"}]}`, `schedule: plan: rules[0].days: schedule: weekdays "mon,funday": "funday" is not one of mon tue wed thu fri sat sun`},
		{"invalid", `{"rules":[{"kind":"news","per":"daily","count":0,"window":"08:00-09:00"}]}`, `schedule: rules[0].count: 0 is outside 1..1440`},
		{"location", `{"location":"Mars/Olympus","rules":[]}`, `schedule: plan: location "Mars/Olympus": unknown time zone Mars/Olympus`},
		{"not an object", `[1]`, `schedule: plan: cannot use JSON array as schedule.planJSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPlan()
			err := p.UnmarshalJSON([]byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Unmarshal error = %v, want %s", err, tt.want)
			}
			if diff := cmp.Diff(DefaultPlan(), p); diff != "" {
				t.Errorf("a failed Unmarshal changed the plan:\n%s", diff)
			}
		})
	}
}

func TestWithWindow(t *testing.T) {
	p := DefaultPlan()
	q, err := p.WithWindow(Perk, Window{12 * Hour, 13 * Hour})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Rule(Perk); r.Window != (Window{12 * Hour, 13 * Hour}) {
		t.Errorf("perk window %v", r.Window)
	}
	if r, _ := p.Rule(Perk); r.Window != (Window{20 * Hour, 21 * Hour}) {
		t.Errorf("WithWindow modified the original: %v", r.Window)
	}
	if _, err := p.WithWindow(Ad, Window{12 * Hour, 13 * Hour}); err == nil || err.Error() != "schedule: no rule for kind ad" {
		t.Errorf("no rule: %v", err)
	}
	if _, err := p.WithWindow(Perk, Window{13 * Hour, 12 * Hour}); err == nil || err.Error() != "schedule: window for perk: end 12:00 is not after start 13:00" {
		t.Errorf("bad window: %v", err)
	}
}

func TestClockWindowWeekdaysText(t *testing.T) {
	clocks := []struct {
		in   string
		want Clock
		err  string
	}{
		{"00:00", 0, ""},
		{"08:30", 8*Hour + 30, ""},
		{"23:59", 23*Hour + 59, ""},
		{"24:00", 24 * Hour, ""},
		{"24:01", 0, `schedule: clock "24:01" is after 24:00`},
		{"12:60", 0, `schedule: clock "12:60": minute 60 is outside 00..59`},
		{"8:30", 0, `schedule: clock "8:30" is not HH:MM`},
		{"08-30", 0, `schedule: clock "08-30" is not HH:MM`},
		{"+8:30", 0, `schedule: clock "+8:30" is not HH:MM`},
		{"", 0, `schedule: clock "" is not HH:MM`},
	}
	for _, tt := range clocks {
		got, err := ParseClock(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseClock(%q) error %v, want %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want || got.String() != tt.in {
			t.Errorf("ParseClock(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
	if s := Clock(-5).String(); s != "Clock(-5)" {
		t.Errorf("invalid clock String %q", s)
	}
	days := []struct {
		in   string
		want Weekdays
		out  string
	}{
		{"", 0, ""},
		{"sun", DaysOf(time.Sunday), "sun"},
		{"sun,mon", DaysOf(time.Sunday, time.Monday), "mon,sun"},
		{"sat,sat", DaysOf(time.Saturday), "sat"},
		{"mon,tue,wed,thu,fri,sat,sun", EveryDay, "mon,tue,wed,thu,fri,sat,sun"},
	}
	for _, tt := range days {
		got, err := ParseWeekdays(tt.in)
		if err != nil || got != tt.want || got.String() != tt.out {
			t.Errorf("ParseWeekdays(%q) = %v (%q), %v, want %v (%q)", tt.in, got, got.String(), err, tt.want, tt.out)
		}
	}
	for _, bad := range []string{",", "mon,", "Mon", "monday"} {
		if _, err := ParseWeekdays(bad); err == nil {
			t.Errorf("ParseWeekdays(%q) accepted", bad)
		}
	}
	if s := Weekdays(0xff).String(); s != "mon,tue,wed,thu,fri,sat,sun,?" {
		t.Errorf("Weekdays(0xff) = %q", s)
	}
	for _, k := range Kinds() {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%v) = %v, %v", k, got, err)
		}
	}
	if s := Kind(0).String(); s != "Kind(0)" {
		t.Errorf("Kind(0) = %q", s)
	}
	if _, err := json.Marshal(Kind(0)); err == nil {
		t.Errorf("marshalled Kind(0)")
	}
	var per Period
	if err := per.UnmarshalText([]byte("hourly")); err == nil {
		t.Errorf("accepted period hourly")
	}
}
