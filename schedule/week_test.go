package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestSpread(t *testing.T) {
	const all = 0x7f // Monday..Sunday, bit 0 = Monday
	tests := []struct {
		name          string
		allowed, used uint8
		k             int
		want          string
		reason        string
	}{
		{"seed F20 three a week", all, 0, 3, "mon,wed,fri", "gaps 2,2,3: no two days adjacent, earliest"},
		{"one a week", all, 0, 1, "mon", "every single day is as even; earliest"},
		{"one a week avoids used days", all, 0b0010101, 1, "tue", "Mon, Wed, Fri are taken"},
		{"two a week", all, 0, 2, "mon,thu", "gaps 3,4 beat 2,5"},
		{"four a week", all, 0, 4, "mon,tue,thu,sat", "one adjacent pair is unavoidable; gaps 1,2,2,2"},
		{"six a week", all, 0, 6, "mon,tue,wed,thu,fri,sat", "leaves out the last day"},
		{"weekdays two", 0b0011111, 0, 2, "mon,thu", "Thu->Mon is 4 days round the weekend"},
		{"weekend one", 0b1100000, 0, 1, "sat", "earliest of Saturday and Sunday"},
		{"zero", all, 0, 0, "", "nothing to choose"},
		{"overlap breaks evenness ties", all, 0b0000001, 2, "tue,fri", "Mon,Thu and Tue,Fri both have gaps 3,4; Tue,Fri avoids the used Monday"},
		{"evenness beats overlap", all, 0b0001111, 2, "mon,fri", "gaps 3,4 with one used day beat Fri,Sun (no used day, gaps 2,5); Mon,Fri is the earliest such"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spread(tt.allowed, tt.k, tt.used)
			if s := fromMondayMask(got).String(); s != tt.want {
				t.Errorf("spread(%07b, %d, %07b) = %s, want %s (%s)", tt.allowed, tt.k, tt.used, s, tt.want, tt.reason)
			}
		})
	}
}

// fromMondayMask is the inverse of mondayMask.
func fromMondayMask(m uint8) Weekdays {
	return Weekdays(m&0x3f)<<1 | Weekdays(m>>6&1)
}

func TestMondayMaskRoundTrip(t *testing.T) {
	for s := range Weekdays(128) {
		if got := fromMondayMask(mondayMask(s)); got != s {
			t.Fatalf("%07b -> %07b", s, got)
		}
	}
}

// slotTexts formats slots in UTC and in their zone, so that a table can
// cite both readings.
func slotTexts(slots []Slot) []string {
	var out []string
	for _, s := range slots {
		out = append(out, s.At.UTC().Format("2006-01-02T15:04Z")+" "+s.String())
	}
	return out
}

// Weeks holding daylight-saving changes. Transition instants from the tz
// database (US rules: 2nd Sunday of March, 1st Sunday of November at
// 02:00 local; EU rules: last Sunday of March and October at 01:00 UTC).
// Each row compares the slots on the local dates it lists.
func TestWeekDST(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	berlin := mustLoad(t, "Europe/Berlin")
	night := Plan{Rules: []Rule{
		{Kind: News, Per: Daily, Count: 1, Window: Window{2*Hour + 30, 3 * Hour}},
	}}
	early := Plan{Rules: []Rule{
		{Kind: News, Per: Daily, Count: 2, Window: Window{1 * Hour, 2 * Hour}},
	}}
	sundayPerk := Plan{Rules: []Rule{
		{Kind: Perk, Per: Weekly, Count: 1, Days: DaysOf(time.Sunday), Window: Window{2*Hour + 15, 2*Hour + 16}},
	}}
	tests := []struct {
		name   string
		plan   Plan
		start  time.Time
		n      int      // slots in the week
		dates  []string // local dates whose slots are compared
		want   []string
		reason string
	}{
		{
			name: "ny spring week default", plan: DefaultPlan(), n: 11,
			start: time.Date(2026, 3, 5, 12, 0, 0, 0, ny), dates: []string{"2026-03-02", "2026-03-08"},
			want: []string{
				"2026-03-02T13:00Z Mon 2026-03-02 08:00 -05:00 news",
				"2026-03-03T01:00Z Mon 2026-03-02 20:00 -05:00 interactive",
				"2026-03-08T12:00Z Sun 2026-03-08 08:00 -04:00 news",
			},
			reason: "08:00 stays 08:00 on the wall; the Sunday is in EDT",
		},
		{
			name: "ny spring gap", plan: night, n: 7,
			start: time.Date(2026, 3, 8, 12, 0, 0, 0, ny), dates: []string{"2026-03-07", "2026-03-08"},
			want: []string{
				"2026-03-07T07:30Z Sat 2026-03-07 02:30 -05:00 news",
				"2026-03-08T07:30Z Sun 2026-03-08 03:30 -04:00 news",
			},
			reason: "02:30 does not exist on 8 March: moved forward by the hour",
		},
		{
			name: "ny fall repeated hour", plan: early, n: 14,
			start: time.Date(2026, 11, 1, 12, 0, 0, 0, ny), dates: []string{"2026-11-01"},
			want: []string{
				"2026-11-01T05:00Z Sun 2026-11-01 01:00 -04:00 news",
				"2026-11-01T05:30Z Sun 2026-11-01 01:30 -04:00 news",
			},
			reason: "01:00 and 01:30 occur twice: the first (EDT) occurrence",
		},
		{
			name: "berlin spring gap", plan: night, n: 7,
			start: time.Date(2026, 3, 23, 0, 0, 0, 0, berlin), dates: []string{"2026-03-29"},
			want: []string{
				"2026-03-29T01:30Z Sun 2026-03-29 03:30 +02:00 news",
			},
			reason: "02:30 does not exist on 29 March: moved forward by the hour",
		},
		{
			name: "berlin fall default", plan: DefaultPlan(), n: 11,
			start: time.Date(2026, 10, 25, 23, 59, 0, 0, berlin), dates: []string{"2026-10-19", "2026-10-25"},
			want: []string{
				"2026-10-19T06:00Z Mon 2026-10-19 08:00 +02:00 news",
				"2026-10-19T18:00Z Mon 2026-10-19 20:00 +02:00 interactive",
				"2026-10-25T07:00Z Sun 2026-10-25 08:00 +01:00 news",
			},
			reason: "the Sunday of the change is in CET; the Monday in CEST",
		},
		{
			name: "berlin fall repeated hour", plan: sundayPerk, n: 1,
			start: time.Date(2026, 10, 20, 0, 0, 0, 0, berlin), dates: []string{"2026-10-25"},
			want: []string{
				"2026-10-25T00:15Z Sun 2026-10-25 02:15 +02:00 perk",
			},
			reason: "02:15 occurs twice: the first (CEST) occurrence",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slots := tt.plan.Week(tt.start)
			if len(slots) != tt.n {
				t.Errorf("%d slots, want %d", len(slots), tt.n)
			}
			var got []string
			for _, s := range slots {
				if slices.Contains(tt.dates, dayText(s.At)) {
					got = append(got, slotTexts([]Slot{s})...)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// zones used by the property tests: no DST, US and EU DST, a half-hour DST
// (Lord Howe), a change at midnight (Santiago) and the southern hemisphere.
var testZones = []string{"UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "America/Havana"}

var rapidLocs = func() []*time.Location {
	var out []*time.Location
	for _, n := range testZones {
		loc, err := time.LoadLocation(n)
		if err != nil {
			panic(err)
		}
		out = append(out, loc)
	}
	return out
}()

// skippedBefore reports whether t follows a spring-forward gap of the zone
// closely enough that a wall-clock time in the gap was moved to t.
func skippedBefore(t time.Time) bool {
	start, _ := t.ZoneBounds()
	if start.IsZero() || t.Sub(start) >= 3*time.Hour {
		return false
	}
	_, now := t.Zone()
	_, prev := start.Add(-time.Second).Zone()
	return now > prev
}

func dayText(t time.Time) string { return t.Format("2006-01-02") }

func TestWeekProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPlan(t)
		loc := rapid.SampledFrom(rapidLocs).Draw(t, "loc")
		start := genTime(t, loc, "start")
		slots := p.Week(start)
		if !slices.IsSortedFunc(slots, func(a, b Slot) int { return a.At.Compare(b.At) }) {
			t.Fatalf("not sorted: %v", slots)
		}
		// The week's dates, independently: walk back to Monday by days.
		monday := start
		for monday.Weekday() != time.Monday {
			monday = time.Date(monday.Year(), monday.Month(), monday.Day()-1, 12, 0, 0, 0, loc)
		}
		week := map[string]bool{}
		for i := range 7 {
			week[dayText(time.Date(monday.Year(), monday.Month(), monday.Day()+i, 12, 0, 0, 0, loc))] = true
		}
		perKind := map[Kind]int{}
		perKindDay := map[string]int{}
		for _, s := range slots {
			r, ok := p.Rule(s.Kind)
			if !ok {
				t.Fatalf("slot %v of a kind without a rule", s)
			}
			if s.At.Location() != loc {
				t.Fatalf("slot %v not in %v", s, loc)
			}
			local := s.At.In(loc)
			if !week[dayText(local)] {
				t.Fatalf("slot %v outside the week of %v", s, start)
			}
			if !r.Window.Contains(clockOf(local)) && !skippedBefore(s.At) {
				t.Fatalf("slot %v outside window %v", s, r.Window)
			}
			if !r.days().Has(local.Weekday()) {
				t.Fatalf("slot %v on a day not in %v", s, r.days())
			}
			perKind[s.Kind]++
			perKindDay[s.Kind.String()+dayText(local)]++
		}
		for _, r := range p.Rules {
			want := r.Count
			if r.Per == Daily {
				want = r.Count * r.days().Len()
			}
			if perKind[r.Kind] != want {
				t.Fatalf("%v: %d slots, want %d", r.Kind, perKind[r.Kind], want)
			}
			if r.Per == Weekly && r.Count <= 3 && r.days() == EveryDay {
				// Seed F20: no two of up to three weekly posts on adjacent
				// days, Sunday being next to Monday.
				var mask Weekdays
				for _, s := range slots {
					if s.Kind == r.Kind {
						mask |= DaysOf(s.At.In(loc).Weekday())
					}
				}
				for d := range 7 {
					if mask.Has(time.Weekday(d)) && mask.Has(time.Weekday((d+1)%7)) {
						t.Fatalf("%v on adjacent days %v", r.Kind, mask)
					}
				}
			}
			if r.Per == Weekly {
				for day, n := range perKindDay {
					if day[:len(r.Kind.String())] == r.Kind.String() && n > (r.Count+r.days().Len()-1)/r.days().Len() {
						t.Fatalf("%v: %d slots on %s, more than an even share", r.Kind, n, day)
					}
				}
			}
		}
		// Jitter keeps the kinds and days of Week and stays in the windows.
		seed := rapid.Uint64().Draw(t, "seed")
		jit := p.WeekJitter(start, rand.New(rand.NewPCG(seed, 1)))
		if len(jit) != len(slots) {
			t.Fatalf("jitter: %d slots, want %d", len(jit), len(slots))
		}
		count := func(ss []Slot) map[string]int {
			m := map[string]int{}
			for _, s := range ss {
				m[s.Kind.String()+dayText(s.At.In(loc))]++
			}
			return m
		}
		if diff := cmp.Diff(count(slots), count(jit)); diff != "" {
			t.Fatalf("jitter moved slots between days (-week +jitter):\n%s", diff)
		}
		for _, s := range jit {
			r, _ := p.Rule(s.Kind)
			if !r.Window.Contains(clockOf(s.At)) && !skippedBefore(s.At) {
				t.Fatalf("jittered slot %v outside window %v", s, r.Window)
			}
		}
	})
}

func TestNextProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPlan(t)
		loc := rapid.SampledFrom(rapidLocs).Draw(t, "loc")
		after := genTime(t, loc, "after")
		k := rapid.SampledFrom(Kinds()).Draw(t, "kind")
		next, ok := p.Next(k, after)
		if _, has := p.Rule(k); ok != has {
			t.Fatalf("Next ok = %v, plan has a rule: %v", ok, has)
		}
		if !ok {
			return
		}
		if !next.After(after) {
			t.Fatalf("Next(%v, %v) = %v, not after", k, after, next)
		}
		// next is a slot of its own week, and no slot of kind k of after's
		// week or next's week lies strictly between after and next.
		var cands []Slot
		cands = append(cands, p.Week(after)...)
		cands = append(cands, p.Week(next)...)
		found := false
		for _, s := range cands {
			if s.Kind != k {
				continue
			}
			if s.At.Equal(next) {
				found = true
			}
			if s.At.After(after) && s.At.Before(next) {
				t.Fatalf("slot %v lies between %v and Next %v", s, after, next)
			}
		}
		if !found {
			t.Fatalf("Next %v is not a slot of its week", next)
		}
	})
}

func TestWeekInvalidPlan(t *testing.T) {
	p := Plan{Rules: []Rule{{Kind: News, Per: Daily, Count: 0, Window: Window{8 * Hour, 9 * Hour}}}}
	if got := p.Week(time.Date(2026, 3, 2, 0, 0, 0, 0, shanghai)); got != nil {
		t.Errorf("Week of an invalid plan = %v, want nil", got)
	}
	if _, ok := p.Next(News, time.Date(2026, 3, 2, 0, 0, 0, 0, shanghai)); ok {
		t.Errorf("Next of an invalid plan reports ok")
	}
}

func TestWeekSameForAnyDayOfWeek(t *testing.T) {
	p := DefaultPlan()
	want := p.Week(time.Date(2026, 3, 2, 0, 0, 0, 0, shanghai))
	for d := range 7 {
		for _, h := range []int{0, 12, 23} {
			start := time.Date(2026, 3, 2+d, h, 59, 59, 999, shanghai)
			if diff := cmp.Diff(slotTexts(want), slotTexts(p.Week(start))); diff != "" {
				t.Errorf("Week(%v) differs from Monday's (-want +got):\n%s", start, diff)
			}
		}
	}
	// The next Monday starts a new week.
	next := p.Week(time.Date(2026, 3, 9, 0, 0, 0, 0, shanghai))
	if !next[0].At.Equal(time.Date(2026, 3, 9, 8, 0, 0, 0, shanghai)) {
		t.Errorf("next week starts %v", next[0])
	}
}
