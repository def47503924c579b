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

// Status is the outcome of a health check, written as "undefined", "pass"
// or "fail".
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

var statusNames = []string{Undefined: "undefined", Pass: "pass", Fail: "fail"}

// String returns "undefined", "pass" or "fail", or "Status(N)" when s is
// not a status.
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

// The metrics a Verdict names, as lowercase words (Verdict.String writes
// them as prose: "day-3 retention").
const (
	MetricActivity       = "activity"
	MetricMessagesPerDay = "messages-per-day"
	MetricResponse       = "response"
	MetricDay3Retention  = "day3-retention"
	MetricDay7Retention  = "day7-retention"
	MetricReach          = "reach"
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
// "F25 activity 18.2% > 15.0%: pass". The wording may change; use the fields
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
