package schedule

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// Expected dates are calendar facts: 2026 and 2027 are common years, 2028
// is a leap year (divisible by 4), 2100 is not (divisible by 100, not by
// 400), 2000 is (divisible by 400).
func TestCadenceNext(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	berlin := mustLoad(t, "Europe/Berlin")
	monthly31 := Cadence{Every: Monthly, Day: 31, At: 18 * Hour}
	tests := []struct {
		name   string
		c      Cadence
		after  time.Time
		want   string // RFC 3339 in after's location
		reason string
	}{
		{"monthly jan 31 plus one month", monthly31, time.Date(2026, 1, 31, 18, 0, 0, 0, shanghai), "2026-02-28T18:00:00+08:00", "clamped to February's end, not 3 March as AddDate gives"},
		{"monthly into leap february", monthly31, time.Date(2028, 1, 31, 18, 0, 0, 0, shanghai), "2028-02-29T18:00:00+08:00", "2028 is a leap year"},
		{"monthly 2100 february", monthly31, time.Date(2100, 1, 31, 18, 0, 0, 0, shanghai), "2100-02-28T18:00:00+08:00", "2100 is not a leap year"},
		{"monthly same day earlier", monthly31, time.Date(2026, 4, 30, 17, 59, 0, 0, shanghai), "2026-04-30T18:00:00+08:00", "April has 30 days"},
		{"monthly strictly after", monthly31, time.Date(2026, 4, 30, 18, 0, 0, 0, shanghai), "2026-05-31T18:00:00+08:00", "an occurrence at after is not next"},
		{"monthly across the year", Cadence{Every: Monthly, Day: 1, At: 9 * Hour}, time.Date(2026, 12, 1, 9, 0, 0, 1, shanghai), "2027-01-01T09:00:00+08:00", "December rolls into January"},
		{"yearly feb 29 in a common year", Cadence{Every: Yearly, Month: 2, Day: 29}, time.Date(2026, 6, 1, 0, 0, 0, 0, shanghai), "2027-02-28T00:00:00+08:00", "2027 is a common year"},
		{"yearly feb 29 in a leap year", Cadence{Every: Yearly, Month: 2, Day: 29}, time.Date(2027, 3, 1, 0, 0, 0, 0, shanghai), "2028-02-29T00:00:00+08:00", "2028 is a leap year"},
		{"yearly feb 29 in 2000", Cadence{Every: Yearly, Month: 2, Day: 29}, time.Date(1999, 3, 1, 0, 0, 0, 0, shanghai), "2000-02-29T00:00:00+08:00", "2000 is a leap year"},
		{"quarterly month end", Cadence{Every: Quarterly, Month: 3, Day: 31, At: 12 * Hour}, time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai), "2026-06-30T12:00:00+08:00", "June has 30 days"},
		{"quarterly into next year", Cadence{Every: Quarterly, Month: 1, Day: 15}, time.Date(2026, 10, 15, 0, 0, 0, 0, shanghai), "2027-01-15T00:00:00+08:00", "October 15 00:00 is not after itself"},
		{"quarterly zero month and day", Cadence{Every: Quarterly}, time.Date(2026, 5, 20, 0, 0, 0, 0, shanghai), "2026-07-01T00:00:00+08:00", "month 0 and day 0 mean the first"},
		{"weekly same day later", Cadence{Every: Weekly, Weekday: time.Monday, At: 9 * Hour}, time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai), "2026-03-02T09:00:00+08:00", "2 March 2026 is a Monday"},
		{"weekly same day past", Cadence{Every: Weekly, Weekday: time.Monday, At: 9 * Hour}, time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai), "2026-03-09T09:00:00+08:00", "next Monday"},
		{"weekly across ny spring", Cadence{Every: Weekly, Weekday: time.Monday, At: 9 * Hour}, time.Date(2026, 3, 6, 9, 0, 0, 0, ny), "2026-03-09T09:00:00-04:00", "09:00 on the wall, now EDT"},
		{"weekly in the ny gap", Cadence{Every: Weekly, Weekday: time.Sunday, At: 2*Hour + 30}, time.Date(2026, 3, 2, 0, 0, 0, 0, ny), "2026-03-08T03:30:00-04:00", "02:30 is skipped on 8 March"},
		{"weekly in the berlin repeat", Cadence{Every: Weekly, Weekday: time.Sunday, At: 2*Hour + 30}, time.Date(2026, 10, 20, 0, 0, 0, 0, berlin), "2026-10-25T02:30:00+02:00", "02:30 occurs twice: the first, CEST"},
		{"weekly after the first of a repeat", Cadence{Every: Weekly, Weekday: time.Sunday, At: 2*Hour + 30}, time.Date(2026, 10, 25, 2, 30, 0, 0, time.FixedZone("", 2*3600)).In(berlin), "2026-11-01T02:30:00+01:00", "the second reading is not a new occurrence"},
		{"monthly across berlin fall", Cadence{Every: Monthly, Day: 1, At: 9 * Hour}, time.Date(2026, 10, 2, 0, 0, 0, 0, berlin), "2026-11-01T09:00:00+01:00", "CET in November"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.Next(tt.after)
			if s := got.Format(time.RFC3339); s != tt.want {
				t.Errorf("Next(%v) = %s, want %s (%s)", tt.after, s, tt.want, tt.reason)
			}
		})
	}
}

func TestCadenceValidate(t *testing.T) {
	tests := []struct {
		name string
		c    Cadence
		want string
	}{
		{"no period", Cadence{Name: "x"}, `schedule: cadence "x": every: Period(0) must be weekly, monthly, quarterly or yearly`},
		{"daily", Cadence{Name: "x", Every: Daily}, `schedule: cadence "x": every: daily must be weekly, monthly, quarterly or yearly`},
		{"weekday", Cadence{Name: "x", Every: Weekly, Weekday: 7}, `schedule: cadence "x": weekday: 7 is outside 0..6`},
		{"quarter month", Cadence{Name: "x", Every: Quarterly, Month: 4}, `schedule: cadence "x": month: 4 is outside 1..3`},
		{"year month", Cadence{Name: "x", Every: Yearly, Month: 13}, `schedule: cadence "x": month: 13 is outside 1..12`},
		{"day", Cadence{Name: "x", Every: Monthly, Day: 32}, `schedule: cadence "x": day: 32 is outside 1..31`},
		{"at 24:00", Cadence{Name: "x", Every: Monthly, At: 24 * Hour}, `schedule: cadence "x": at: 24:00 is outside 00:00..23:59`},
		{"valid", Cadence{Name: "x", Every: Monthly, Day: 31, At: 23*Hour + 59}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() = %q, want %q", got, tt.want)
			}
			if err != nil && !tt.c.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)).IsZero() {
				t.Errorf("Next of an invalid cadence is not zero")
			}
		})
	}
	for _, c := range DefaultCadences() {
		if err := c.Validate(); err != nil {
			t.Errorf("default %v", err)
		}
	}
}

// occursOn reports, from the definition and independently of Next's
// arithmetic, whether c falls on the local date of d.
func occursOn(c Cadence, d time.Time) bool {
	y, m, day := d.Date()
	last := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
	want := min(max(c.Day, 1), last)
	month := max(c.Month, 1)
	switch c.Every {
	case Weekly:
		return d.Weekday() == c.Weekday
	case Monthly:
		return day == want
	case Quarterly:
		return (int(m)-1)%3+1 == month && day == want
	case Yearly:
		return int(m) == month && day == want
	}
	return false
}

func TestCadenceProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := Cadence{
			Every:   rapid.SampledFrom([]Period{Weekly, Monthly, Quarterly, Yearly}).Draw(t, "every"),
			Weekday: time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday")),
			Day:     rapid.IntRange(0, 31).Draw(t, "day"),
			At:      Clock(rapid.IntRange(0, 24*60-1).Draw(t, "at")),
		}
		switch c.Every {
		case Quarterly:
			c.Month = rapid.IntRange(0, 3).Draw(t, "month")
		case Yearly:
			c.Month = rapid.IntRange(0, 12).Draw(t, "month")
		}
		loc := rapid.SampledFrom(rapidLocs).Draw(t, "loc")
		after := genTime(t, loc, "after")
		next := c.Next(after)
		if !next.After(after) {
			t.Fatalf("Next(%v) = %v, not after", after, next)
		}
		if next.Location() != loc {
			t.Fatalf("Next in %v, want %v", next.Location(), loc)
		}
		// next lies on an occurrence date, and no date from after's up to
		// next's holds an occurrence after after.
		first := time.Date(after.Year(), after.Month(), after.Day(), 12, 0, 0, 0, time.UTC)
		nd := time.Date(next.Year(), next.Month(), next.Day(), 12, 0, 0, 0, time.UTC)
		if !occursOn(c, nd) {
			t.Fatalf("Next(%v) = %v: not an occurrence date of %+v", after, next, c)
		}
		for d := first; d.Before(nd); d = d.AddDate(0, 0, 1) {
			if !occursOn(c, d) {
				continue
			}
			at := localAt(date{d.Year(), d.Month(), d.Day()}, c.At, loc)
			if at.After(after) {
				t.Fatalf("Next(%v) = %v skips the occurrence %v", after, next, at)
			}
		}
	})
}
