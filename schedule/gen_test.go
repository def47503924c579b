package schedule

import (
	"time"

	"pgregory.net/rapid"
)

// genWindow draws a valid window, at minute resolution.
func genWindow(t *rapid.T, label string) Window {
	start := Clock(rapid.IntRange(0, 24*60-1).Draw(t, label+".start"))
	end := Clock(rapid.IntRange(int(start)+1, 24*60).Draw(t, label+".end"))
	return Window{start, end}
}

// genPlan draws a valid plan with up to one rule per kind.
func genPlan(t *rapid.T) Plan {
	var p Plan
	for _, k := range Kinds() {
		if !rapid.Bool().Draw(t, k.String()) {
			continue
		}
		r := Rule{Kind: k, Window: genWindow(t, k.String()+".window")}
		r.Days = Weekdays(rapid.IntRange(0, 127).Draw(t, k.String()+".days"))
		if rapid.Bool().Draw(t, k.String()+".weekly") {
			r.Per = Weekly
			r.Count = rapid.IntRange(1, 12).Draw(t, k.String()+".count")
		} else {
			r.Per = Daily
			r.Count = rapid.IntRange(1, 4).Draw(t, k.String()+".count")
		}
		if rapid.Bool().Draw(t, k.String()+".hasMax") {
			r.Max = r.Count + rapid.IntRange(0, 3).Draw(t, k.String()+".max")
		}
		if rapid.Bool().Draw(t, k.String()+".hasMin") {
			r.Min = rapid.IntRange(0, r.Count).Draw(t, k.String()+".min")
		}
		p.Rules = append(p.Rules, r)
	}
	// Rules in any order.
	p.Rules = rapid.Permutation(p.Rules).Draw(t, "order")
	if err := p.Validate(); err != nil {
		t.Fatalf("generated an invalid plan: %v", err)
	}
	return p
}

// genTime draws an instant from 1995 to 2045 in loc, at minute resolution
// or finer, biased toward the days around daylight-saving changes.
func genTime(t *rapid.T, loc *time.Location, label string) time.Time {
	if rapid.Bool().Draw(t, label+".nearChange") {
		// Around a zone change of a drawn year.
		y := rapid.IntRange(1995, 2045).Draw(t, label+".year")
		probe := time.Date(y, time.Month(rapid.IntRange(1, 12).Draw(t, label+".month")), 1, 0, 0, 0, 0, loc)
		_, end := probe.ZoneBounds()
		if !end.IsZero() {
			off := rapid.Int64Range(-3*24*3600, 3*24*3600).Draw(t, label+".offset")
			return end.Add(time.Duration(off) * time.Second)
		}
	}
	sec := rapid.Int64Range(time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC).Unix()).Draw(t, label+".unix")
	return time.Unix(sec, 0).In(loc)
}
