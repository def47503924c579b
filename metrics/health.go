package metrics

import (
	"fmt"
	"slices"
	"time"
)

// GroupKind is the kind of a group (seed F1); it selects the health
// thresholds. It is written as a lowercase word ("service", "perks",
// "interest", "notice"), by String and in JSON alike.
type GroupKind int

const (
	// Service is a customer-service group (questions, after-sales).
	Service GroupKind = iota + 1
	// Perks is a product-perks group (coupons, limited-time offers).
	Perks
	// Interest is an interest group (topic discussion, sharing).
	Interest
	// Notice is an activity-notice group.
	Notice
)

var groupKindNames = []string{Service: "service", Perks: "perks", Interest: "interest", Notice: "notice"}

// String returns the lowercase name of k, or "GroupKind(N)" when k is not
// a group kind.
func (k GroupKind) String() string {
	if w := wordOf(groupKindNames, int(k)); w != "" {
		return w
	}
	return fmt.Sprintf("GroupKind(%d)", int(k))
}

// ParseGroupKind returns the GroupKind named s (as String writes it). An
// unknown name is an error that quotes it and lists the valid ones.
func ParseGroupKind(s string) (GroupKind, error) {
	if i := indexOf(groupKindNames, s); i >= 0 {
		return GroupKind(i), nil
	}
	return 0, unknownWord("group kind", s, groupKindNames)
}

// MarshalText writes k's name; it fails when k is not a group kind.
func (k GroupKind) MarshalText() ([]byte, error) {
	if w := wordOf(groupKindNames, int(k)); w != "" {
		return []byte(w), nil
	}
	return nil, fmt.Errorf("metrics: unknown group kind %d", int(k))
}

// UnmarshalText reads a group kind's name. On error k is unchanged.
func (k *GroupKind) UnmarshalText(b []byte) error {
	v, err := ParseGroupKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Status is the outcome of a health check, in the words of the seed's own
// levels: its metrics table (section 六) gives 优秀标准, "excellent"
// benchmarks, for activity, retention and reach (F25-F27), so those checks
// say [Excellent] or [BelowExcellent]; the response rate of F3 is the bar to
// 合格, "pass", and the message cap of F2 and the quit rate of F42 are limits
// to keep within, so those say [Pass] or [Fail]. A group below excellent has
// not failed anything the seed calls a failure.
//
// Written as "undefined", "pass", "fail", "excellent" or "below-excellent",
// by String and in JSON alike (stable words: a report keeps them).
type Status int

const (
	// Undefined: the period has no data for the figure (no members, no
	// complete cohort, no broadcast).
	Undefined Status = iota
	// Pass: the figure meets a pass-or-fail bar (F2, F3, F42).
	Pass
	// Fail: the figure misses a pass-or-fail bar (F2, F3, F42).
	Fail
	// Excellent: the figure beats an excellence benchmark (F25-F27).
	Excellent
	// BelowExcellent: the figure does not beat an excellence benchmark
	// (F25-F27); it is not a failure.
	BelowExcellent
)

var statusNames = []string{Undefined: "undefined", Pass: "pass", Fail: "fail", Excellent: "excellent", BelowExcellent: "below-excellent"}

// Statuses returns every status in the order of the constants.
func Statuses() []Status { return []Status{Undefined, Pass, Fail, Excellent, BelowExcellent} }

// Met reports whether s says the figure meets its standard: Pass or
// Excellent.
func (s Status) Met() bool { return s == Pass || s == Excellent }

// String returns the status's word ("below-excellent"), or "Status(N)"
// when s is not a status.
func (s Status) String() string {
	if w := wordOf(statusNames, int(s)); w != "" {
		return w
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// MarshalText writes s's name; it fails when s is not a status.
func (s Status) MarshalText() ([]byte, error) {
	if w := wordOf(statusNames, int(s)); w != "" {
		return []byte(w), nil
	}
	return nil, fmt.Errorf("metrics: unknown status %d", int(s))
}

// UnmarshalText reads a status's name. On error s is unchanged.
func (s *Status) UnmarshalText(b []byte) error {
	i := indexOf(statusNames, string(b))
	if i < 0 {
		return unknownWord("status", string(b), statusNames)
	}
	*s = Status(i)
	return nil
}

// scale says which pair of statuses a check gives: a bar (F2, F3, F42)
// says pass or fail, a benchmark (F25-F27) excellent or below-excellent.
type scale bool

const (
	bar       scale = false
	benchmark scale = true
)

// statuses returns the status of a check that meets its threshold and of
// one that misses it.
func (s scale) statuses() (met, missed Status) {
	if s == benchmark {
		return Excellent, BelowExcellent
	}
	return Pass, Fail
}

// The metrics a Verdict names, as lowercase words (Verdict.String writes
// them as prose: "day-3 retention").
const (
	MetricActivity       = "activity"
	MetricMessagesPerDay = "messages-per-day"
	MetricResponse       = "response"
	MetricDay3Retention  = "day3-retention"
	MetricDay7Retention  = "day7-retention"
	MetricReach          = "reach"
	MetricLeaveRate      = "leave-rate"
)

// Verdict is the outcome of one health check: a figure of the period against
// the seed's threshold.
//
// In JSON its keys are the field names in snake_case, the status a word:
//
//	{"figure":"F25","metric":"activity","value":{"num":2,"den":11,"value":0.18181818181818182},
//	 "threshold":{"num":15,"den":100,"value":0.15},"at_most":false,"status":"pass"}
type Verdict struct {
	Figure    string `json:"figure"`    // the seed figure that sets the threshold, e.g. "F25"
	Metric    string `json:"metric"`    // one of the Metric constants
	Value     Ratio  `json:"value"`     // the period's value, exact
	Threshold Ratio  `json:"threshold"` // the threshold of Thresholds that applies
	AtMost    bool   `json:"at_most"`   // pass when Value <= Threshold; otherwise when Value > Threshold
	Status    Status `json:"status"`
}

// String describes v in one line for reports, e.g.
// "F25 activity 18.2% > 15.0%: excellent". The wording may change; use the fields
// for machine output.
func (v Verdict) String() string {
	op := ">"
	if v.AtMost {
		op = "<="
	}
	return fmt.Sprintf("%s %s %s %s %s: %s", v.Figure, metricText(v.Metric), formatValue(v.Metric, v.Value), op, formatValue(v.Metric, v.Threshold), v.Status)
}

// metricText is how a metric reads in a sentence: "day3-retention" is
// "day-3 retention".
func metricText(metric string) string {
	switch metric {
	case MetricMessagesPerDay:
		return "messages per day"
	case MetricDay3Retention:
		return "day-3 retention"
	case MetricDay7Retention:
		return "day-7 retention"
	case MetricLeaveRate:
		return "leave rate"
	}
	return metric
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

func judge(figure, metric string, value, threshold Ratio, atMost bool, sc scale) Verdict {
	v := Verdict{Figure: figure, Metric: metric, Value: value, Threshold: threshold, AtMost: atMost}
	met, missed := sc.statuses()
	switch c := value.Cmp(threshold); {
	case !value.Defined():
		v.Status = Undefined
	case atMost && c <= 0, !atMost && c > 0:
		v.Status = met
	default:
		v.Status = missed
	}
	return v
}

// Health judges the group over the local days of from through to by its kind
// (seed F1), one verdict per check, in this order:
//   - Service: activity > 15% (F25), messages per day <= 50 (F2);
//   - Perks: activity > 25% (F25), response > 30% (F3);
//   - every kind: day-3 retention > 60% and day-7 retention > 40% (F26),
//     reach > 85% (F27), leave rate <= 8% (F42).
//
// The F25-F27 checks are the seed's excellence benchmarks and say
// [Excellent] or [BelowExcellent]; F2, F3 and F42 are bars and say [Pass] or
// [Fail] (see [Status]).
//
// The leave rate is [Tracker.QuitRate] over the period (F42): its leaves
// over the members at its start plus its joins. The seed's car club kept it
// under 8% over three years; the check applies the bar to the period given.
//
// Every value is a ratio of sums over the period, never an average of daily
// percentages: activity is the period's speakers over its members (see
// [PeriodActivity]), messages per day the period's messages over its observed
// days, retention sums the complete cohorts that joined in the period,
// reach sums the broadcasts sent in it and response the campaigns among them
// (see HealthOptions.Campaigns). A check without data is Undefined.
func (t *Tracker) Health(group string, kind GroupKind, from, to time.Time, o HealthOptions) ([]Verdict, error) {
	if kind < Service || kind > Notice {
		return nil, fmt.Errorf("metrics: health: unknown group kind %d", int(kind))
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	th := o.Thresholds.withDefaults()
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
			judge("F25", MetricActivity, activity, th.ServiceActivity, false, benchmark),
			judge("F2", MetricMessagesPerDay, messages, th.ServiceMessages, true, bar))
	case Perks:
		out = append(out, judge("F25", MetricActivity, activity, th.PerksActivity, false, benchmark))
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
		out = append(out, judge("F3", MetricResponse, response, th.PerksResponse, false, bar))
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
		out = append(out, judge("F26", r.metric, sum, r.th, false, benchmark))
	}
	out = append(out, judge("F27", MetricReach, reach, th.Reach, false, benchmark))
	quit, err := t.QuitRate(group, from, to, o.Options)
	if err != nil {
		return nil, err
	}
	out = append(out, judge("F42", MetricLeaveRate, quit, th.LeaveRate, true, bar))
	return out, nil
}
