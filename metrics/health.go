package metrics

import (
	"fmt"
	"slices"
	"time"
)

// Kind is the kind of a group (seed F1); it selects the health thresholds.
type Kind int

const (
	// Service is a customer-service group (questions, after-sales).
	Service Kind = iota + 1
	// Perks is a product-perks group (coupons, limited-time offers).
	Perks
	// Interest is an interest group (topic discussion, sharing).
	Interest
	// Notice is an activity-notice group.
	Notice
)

var kindNames = [...]string{Service: "service", Perks: "perks", Interest: "interest", Notice: "notice"}

// String returns the lowercase name of k.
func (k Kind) String() string {
	if k >= Service && k <= Notice {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind returns the Kind named s (as String writes it).
func ParseKind(s string) (Kind, error) {
	for k := Service; k <= Notice; k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("metrics: unknown group kind %q (want service, perks, interest or notice)", s)
}

// Status is the outcome of a health check.
type Status int

const (
	// Undefined: the period has no data for the figure (no members, no
	// complete cohort, no broadcast).
	Undefined Status = iota
	// Pass: the figure meets its threshold.
	Pass
	// Fail: the figure misses its threshold.
	Fail
)

// String returns "undefined", "pass" or "fail".
func (s Status) String() string {
	switch s {
	case Undefined:
		return "undefined"
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// The metrics a Verdict names.
const (
	MetricActivity       = "activity"
	MetricMessagesPerDay = "messages per day"
	MetricResponse       = "response"
	MetricDay3Retention  = "day-3 retention"
	MetricDay7Retention  = "day-7 retention"
	MetricReach          = "reach"
)

// Verdict is the outcome of one health check: a figure of the period against
// the seed's threshold.
type Verdict struct {
	Figure    string // the seed figure that sets the threshold, e.g. "F25"
	Metric    string // one of the Metric constants
	Value     Ratio  // the period's value, exact
	Threshold Ratio
	AtMost    bool // pass when Value <= Threshold; otherwise when Value > Threshold
	Status    Status
}

// String describes v in one line for reports, e.g.
// "F25 activity 18.2% > 15.0%: pass". The wording may change; use the fields
// for machine output.
func (v Verdict) String() string {
	op := ">"
	if v.AtMost {
		op = "<="
	}
	return fmt.Sprintf("%s %s %s %s %s: %s", v.Figure, v.Metric, formatValue(v.Metric, v.Value), op, formatValue(v.Metric, v.Threshold), v.Status)
}

func formatValue(metric string, r Ratio) string {
	if metric != MetricMessagesPerDay {
		return r.String()
	}
	f, ok := r.Float()
	if !ok {
		return "undefined"
	}
	return fmt.Sprintf("%.1f", f)
}

func judge(figure, metric string, value, threshold Ratio, atMost bool) Verdict {
	v := Verdict{Figure: figure, Metric: metric, Value: value, Threshold: threshold, AtMost: atMost}
	switch c := value.Cmp(threshold); {
	case !value.Defined():
		v.Status = Undefined
	case atMost && c <= 0, !atMost && c > 0:
		v.Status = Pass
	default:
		v.Status = Fail
	}
	return v
}

// Thresholds are the health thresholds. A zero (undefined) field means the
// default.
type Thresholds struct {
	// ServiceActivity: a service group's activity must exceed it. Default
	// 15% (seed F25).
	ServiceActivity Ratio
	// PerksActivity: a perks group's activity must exceed it. Default 25%
	// (seed F25).
	PerksActivity Ratio
	// ServiceMessages: a service group's messages per day, averaged over the
	// period (the seed's 日均), must not exceed it. Default 50 (seed F2).
	ServiceMessages Ratio
	// PerksResponse: a perks group's campaign response must exceed it.
	// Default 30% (seed F3).
	PerksResponse Ratio
	// Day3Retention and Day7Retention: retention on day 3 and day 7 must
	// exceed them. Defaults 60% and 40% (seed F26).
	Day3Retention, Day7Retention Ratio
	// Reach: broadcast reach must exceed it. Default 85% (seed F27).
	Reach Ratio
}

// DefaultThresholds returns the seed's thresholds (F2, F3, F25-F27).
func DefaultThresholds() Thresholds {
	return Thresholds{
		ServiceActivity: Ratio{15, 100},
		PerksActivity:   Ratio{25, 100},
		ServiceMessages: Ratio{50, 1},
		PerksResponse:   Ratio{30, 100},
		Day3Retention:   Ratio{60, 100},
		Day7Retention:   Ratio{40, 100},
		Reach:           Ratio{85, 100},
	}
}

// withDefaults fills zero fields and rejects negative ones.
func (th Thresholds) withDefaults() (Thresholds, error) {
	def := DefaultThresholds()
	for _, f := range []struct {
		name string
		p    *Ratio
		def  Ratio
	}{
		{"service activity", &th.ServiceActivity, def.ServiceActivity},
		{"perks activity", &th.PerksActivity, def.PerksActivity},
		{"service messages", &th.ServiceMessages, def.ServiceMessages},
		{"perks response", &th.PerksResponse, def.PerksResponse},
		{"day-3 retention", &th.Day3Retention, def.Day3Retention},
		{"day-7 retention", &th.Day7Retention, def.Day7Retention},
		{"reach", &th.Reach, def.Reach},
	} {
		switch {
		case f.p.Den == 0:
			*f.p = f.def
		case f.p.Cmp(Ratio{0, 1}) < 0:
			return th, fmt.Errorf("metrics: threshold %s %d/%d must not be negative", f.name, f.p.Num, f.p.Den)
		}
	}
	return th, nil
}

// HealthOptions are the options of [Tracker.Health].
type HealthOptions struct {
	Options
	Thresholds
	// Campaigns lists the broadcast items that are campaigns: perks or
	// offers that members claim. The campaign response of a perks group
	// (F3) sums these broadcasts only; reach (F27) still sums every
	// broadcast. Nil means every broadcast is a campaign, so a daily news
	// item, which nobody claims, counts against the response.
	Campaigns []string
}

// Health judges the group over the local days of from through to by its kind
// (seed F1), one verdict per check, in this order:
//   - Service: activity > 15% (F25), messages per day <= 50 (F2);
//   - Perks: activity > 25% (F25), response > 30% (F3);
//   - every kind: day-3 retention > 60% and day-7 retention > 40% (F26),
//     reach > 85% (F27).
//
// Every value is a ratio of sums over the period, never an average of daily
// percentages: activity is the period's speakers over its members (see
// [PeriodActivity]), messages per day the period's messages over its observed
// days, retention sums the complete cohorts that joined in the period,
// reach sums the broadcasts sent in it and response the campaigns among them
// (see HealthOptions.Campaigns). A check without data is Undefined.
func (t *Tracker) Health(group string, kind Kind, from, to time.Time, o HealthOptions) ([]Verdict, error) {
	if kind < Service || kind > Notice {
		return nil, fmt.Errorf("metrics: health: unknown group kind %d", int(kind))
	}
	th, err := o.Thresholds.withDefaults()
	if err != nil {
		return nil, err
	}
	loc := t.Location()
	lo, hi := from.In(loc), to.In(loc)
	loDay, hiDay := civilDay(lo.Date()), civilDay(hi.Date())
	if hiDay < loDay {
		return nil, fmt.Errorf("metrics: health: period ends %v before it starts %v", to, from)
	}
	in := func(tm time.Time) bool {
		d := civilDay(tm.In(loc).Date())
		return d >= loDay && d <= hiDay
	}
	days, err := t.DaysWith(group, o.Options)
	if err != nil {
		return nil, err
	}
	var period []Day
	var messages Ratio
	for _, d := range days {
		if in(d.Date) {
			period = append(period, d)
			messages.Num += int64(d.Messages)
			messages.Den++
		}
	}
	activity := PeriodActivity(period)
	var out []Verdict
	switch kind {
	case Service:
		out = append(out,
			judge("F25", MetricActivity, activity, th.ServiceActivity, false),
			judge("F2", MetricMessagesPerDay, messages, th.ServiceMessages, true))
	case Perks:
		out = append(out, judge("F25", MetricActivity, activity, th.PerksActivity, false))
	}
	bs, err := t.Broadcasts(group, o.Options)
	if err != nil {
		return nil, err
	}
	campaign := func(string) bool { return true }
	if o.Campaigns != nil {
		campaign = func(item string) bool { return slices.Contains(o.Campaigns, item) }
	}
	var reach, response Ratio
	for _, b := range bs {
		if in(b.Sent) {
			reach.Num += int64(b.Readers)
			reach.Den += int64(b.Recipients - b.Muted)
			if campaign(b.Item) {
				response.Num += int64(b.Responders)
				response.Den += int64(b.Recipients)
			}
		}
	}
	if kind == Perks {
		out = append(out, judge("F3", MetricResponse, response, th.PerksResponse, false))
	}
	for _, r := range []struct {
		n      int
		metric string
		th     Ratio
	}{{3, MetricDay3Retention, th.Day3Retention}, {7, MetricDay7Retention, th.Day7Retention}} {
		cs, err := t.RetentionWith(group, r.n, o.Options)
		if err != nil {
			return nil, err
		}
		var sum Ratio
		for _, c := range cs {
			if c.Complete && in(c.Date) {
				sum.Num += int64(c.Retained)
				sum.Den += int64(c.Joined)
			}
		}
		out = append(out, judge("F26", r.metric, sum, r.th, false))
	}
	out = append(out, judge("F27", MetricReach, reach, th.Reach, false))
	return out, nil
}

// AlertOptions are the options of [LowActivity]. The zero value means the
// seed's alert.
type AlertOptions struct {
	// Threshold: a day is low when its activity is below it, i.e.
	// Speakers*Den < Members*Num. Default 10% (seed F30).
	Threshold Ratio
	// Run: the alert fires on this many consecutive low days. Default 3
	// (seed F30).
	Run int
}

// Alert says that a group's activity stayed low for Run consecutive days
// (seed F30): time to start an activation plan (a flash lottery, a live talk).
type Alert struct {
	Figure    string    // "F30"
	Date      time.Time // the day the alert fires: the Run-th low day in a row
	Start     time.Time // the first low day of the run
	Run       int       // the number of consecutive low days that fired it
	Activity  Ratio     // activity over the Run days (sum of speakers / sum of members)
	Threshold Ratio
}

// String describes a in one line for reports; the wording may change.
func (a Alert) String() string {
	return fmt.Sprintf("%s %s: activity below %s on %d days in a row since %s (%s over the run)",
		a.Figure, a.Date.Format(time.DateOnly), a.Threshold, a.Run, a.Start.Format(time.DateOnly), a.Activity)
}

// LowActivity returns the low-activity alerts (seed F30) of a group's days,
// as [Tracker.Days] returns them: a day is low when speakers*10 < members
// (with the default threshold); an alert fires on the third consecutive low
// day and once per run, however long the run lasts. A day without members,
// a day that is not low, and a gap between the dates of two entries all
// break a run.
func LowActivity(days []Day, o AlertOptions) ([]Alert, error) {
	if o.Threshold.Den == 0 {
		o.Threshold = Ratio{10, 100}
	} else if o.Threshold.Den < 0 || o.Threshold.Num < 0 {
		return nil, fmt.Errorf("metrics: low activity: threshold %d/%d must not be negative", o.Threshold.Num, o.Threshold.Den)
	}
	if o.Run == 0 {
		o.Run = 3
	} else if o.Run < 0 {
		return nil, fmt.Errorf("metrics: low activity: run %d must be at least 1", o.Run)
	}
	var out []Alert
	run := 0
	var sum Ratio
	for i, d := range days {
		if i > 0 && !nextDay(days[i-1].Date, d.Date) {
			run, sum = 0, Ratio{}
		}
		if d.Members == 0 || ratioOf(d.Speakers, d.Members).Cmp(o.Threshold) >= 0 {
			run, sum = 0, Ratio{}
			continue
		}
		run++
		sum.Num += int64(d.Speakers)
		sum.Den += int64(d.Members)
		if run == o.Run {
			out = append(out, Alert{Figure: "F30", Date: d.Date, Start: days[i-o.Run+1].Date, Run: o.Run, Activity: sum, Threshold: o.Threshold})
		}
	}
	return out, nil
}

// nextDay reports whether b is the calendar day after a (both local
// midnights), by calendar arithmetic in a's location.
func nextDay(a, b time.Time) bool {
	y, m, d := a.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, a.Location()).Equal(b)
}
