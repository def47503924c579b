package schedule

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/jsonx"
)

// Rule says how often one kind of content is posted and when.
//
// A Daily rule places Count slots on each of its Days; a Weekly rule places
// Count slots per week, spread over its Days (see Plan.Week). Several slots
// on one day share the window: slot i of n sits at Start + i*Len/n.
type Rule struct {
	Kind Kind `json:"kind"`
	// Per is Daily or Weekly: the period that Count and Max count in.
	Per Period `json:"per"`
	// Count is how many slots Week places per period, at least 1.
	Count int `json:"count"`
	// Max is how many posts of Kind Check allows per period; 0 means
	// Count, otherwise it must be at least Count.
	Max int `json:"max,omitempty"`
	// Min is how many posts of Kind Check expects per period, at most
	// Count: a Daily rule on each of its Days, a Weekly rule per
	// Monday-first week. 0 means no minimum: Check then flags only excess.
	Min int `json:"min,omitempty"`
	// Window is when in the day the posts go out. Check reports posts
	// whose local wall clock lies outside it.
	Window Window `json:"window"`
	// Days are the weekdays the rule may post on; the empty set means
	// every day. Check reports posts on other days.
	Days Weekdays `json:"days,omitempty"`
}

// Largest counts a rule may ask for: one slot a minute.
const (
	maxDailyCount  = 24 * 60
	maxWeeklyCount = 7 * 24 * 60
)

// days returns the rule's weekdays, the empty set meaning every day.
func (r Rule) days() Weekdays {
	if r.Days == 0 {
		return EveryDay
	}
	return r.Days
}

// max returns the most posts a period allows.
func (r Rule) max() int {
	if r.Max == 0 {
		return r.Count
	}
	return r.Max
}

// validate reports the first problem of r as "field: problem".
func (r Rule) validate() error {
	if !r.Kind.Valid() {
		return fmt.Errorf("kind: %d is not a kind", uint8(r.Kind))
	}
	if r.Per != Daily && r.Per != Weekly {
		return fmt.Errorf("per: %v must be daily or weekly", r.Per)
	}
	limit := maxDailyCount
	if r.Per == Weekly {
		limit = maxWeeklyCount
	}
	if r.Count < 1 || r.Count > limit {
		return fmt.Errorf("count: %d is outside 1..%d", r.Count, limit)
	}
	if r.Max != 0 && r.Max < r.Count {
		return fmt.Errorf("max: %d is less than count %d", r.Max, r.Count)
	}
	if r.Min < 0 || r.Min > r.Count {
		return fmt.Errorf("min: %d is outside 0..count %d", r.Min, r.Count)
	}
	if err := r.Window.validate(); err != nil {
		return fmt.Errorf("window: %w", err)
	}
	if r.Days&^EveryDay != 0 {
		return fmt.Errorf("days: %#x has bits beyond the seven days", uint8(r.Days))
	}
	return nil
}

// Plan is a group's content calendar: one rule per kind of content, a
// daily cap on posts and a limit on ads in a row. Its zero fields mean the
// defaults below, so Plan{} is a valid plan with no rules.
//
// A Plan is a value: its methods do not modify it and are safe for
// concurrent use as long as no one modifies Rules meanwhile.
type Plan struct {
	// Rules holds at most one rule per kind. Kinds without a rule get no
	// slots, and Check holds them only to the cap, the ad run and, for
	// notices, @all.
	Rules []Rule
	// DailyCap is the most posts a calendar day may hold; 0 means 50
	// (seed F23).
	DailyCap int
	// AdRunMax is the most ads Check allows in a row; 0 means 3 (seed F24).
	AdRunMax int
	// Location is where Check draws calendar days and reads wall clocks;
	// nil means Asia/Shanghai, [qunops.DefaultLocation] (UTC+8, which has
	// kept no daylight-saving time since 1991). Week and Next work in the
	// location of their time argument instead.
	Location *time.Location
}

// Defaults of a Plan's zero fields.
const (
	// DefaultDailyCap is the most posts a day (seed F23).
	DefaultDailyCap = 50
	// DefaultAdRunMax is the most hard ads in a row (seed F24).
	DefaultAdRunMax = 3
)

// DefaultPlan returns the rhythm of seed section 5:
//   - News: 1 a day at 08:00, at least 1 and at most 2 a day, in
//     08:00-09:00 (seed F19: 每日1-2次, 早8:00-9:00), which holds 08:59
//     but not 09:00 (see Window);
//   - Interactive: 3 a week, and at least 3, at 20:00-21:00 (seed F20);
//   - Perk: 1 a week, at most (seed F21). The seed asks for the group's
//     most active hours, which only the group's own data can tell (see
//     BestWindow and WithWindow); until then 20:00-21:00, since moving
//     coupons to after 20:00 raised claims by 180% in the seed's A/B test
//     (seed F28). No minimum (ours): a week without a campaign has no
//     perk to post;
//   - at most 50 posts a day (seed F23) and 3 ads in a row (seed F24);
//   - no rule for Notice and Ad: they get no slots.
//
// Its Location is nil, that is Asia/Shanghai.
func DefaultPlan() Plan {
	return Plan{
		Rules: []Rule{
			{Kind: News, Per: Daily, Count: 1, Max: 2, Min: 1, Window: Window{8 * Hour, 9 * Hour}},
			{Kind: Interactive, Per: Weekly, Count: 3, Min: 3, Window: Window{20 * Hour, 21 * Hour}},
			{Kind: Perk, Per: Weekly, Count: 1, Window: Window{20 * Hour, 21 * Hour}},
		},
		DailyCap: DefaultDailyCap,
		AdRunMax: DefaultAdRunMax,
	}
}

// ContentMixPlan returns the content mix of seed F22, "早报科普+晚间答疑+
// 周末直播" (a morning news post, an evening Q&A and a weekend live stream),
// with which a mother-and-baby group took its weekly activity from 35% to
// 62%. The seed names the three parts, not their numbers, so the plan
// keeps those of DefaultPlan (news every morning, F19; the evening Q&A as
// F20's 3 interactive posts a week at 20:00-21:00; the weekly perk, F21)
// and adds the weekend live stream: one Live post a week, on Saturday or
// Sunday, at 20:00-21:00, at least one (ours: the evening window of F20,
// when members answer).
func ContentMixPlan() Plan {
	p := DefaultPlan()
	p.Rules = append(p.Rules, Rule{Kind: Live, Per: Weekly, Count: 1, Min: 1,
		Window: Window{20 * Hour, 21 * Hour}, Days: DaysOf(time.Saturday, time.Sunday)})
	return p
}

func (p Plan) cap() int {
	if p.DailyCap == 0 {
		return DefaultDailyCap
	}
	return p.DailyCap
}

func (p Plan) adRunMax() int {
	if p.AdRunMax == 0 {
		return DefaultAdRunMax
	}
	return p.AdRunMax
}

// Loc returns the location Check works in: Location, or
// [qunops.DefaultLocation] (Asia/Shanghai) when it is nil.
func (p Plan) Loc() *time.Location { return qunops.LocationOr(p.Location) }

// Validate reports the first problem of p, naming the field, e.g.
// "schedule: rules[1].count: 0 is outside 1..10080".
func (p Plan) Validate() error {
	if p.DailyCap < 0 {
		return fmt.Errorf("schedule: daily cap %d must not be negative", p.DailyCap)
	}
	if p.AdRunMax < 0 {
		return fmt.Errorf("schedule: ad run max %d must not be negative", p.AdRunMax)
	}
	var seen [numKinds]bool
	for i, r := range p.Rules {
		if err := r.validate(); err != nil {
			return fmt.Errorf("schedule: rules[%d].%w", i, err)
		}
		if seen[r.Kind] {
			return fmt.Errorf("schedule: rules[%d].kind: a second rule for %v", i, r.Kind)
		}
		seen[r.Kind] = true
	}
	return nil
}

// Rule returns the rule for kind k, if p has one.
func (p Plan) Rule(k Kind) (Rule, bool) {
	for _, r := range p.Rules {
		if r.Kind == k {
			return r, true
		}
	}
	return Rule{}, false
}

// WithWindow returns a copy of p whose rule for kind k posts in w, for
// example a perk rule moved to the group's busiest hours (seed F21):
//
//	w, _ := schedule.BestWindow(hist, 1)
//	p, err := p.WithWindow(schedule.Perk, w)
//
// It fails when p has no rule for k or w is not valid. p is not modified.
func (p Plan) WithWindow(k Kind, w Window) (Plan, error) {
	if err := w.validate(); err != nil {
		return p, fmt.Errorf("schedule: window for %v: %w", k, err)
	}
	i := slices.IndexFunc(p.Rules, func(r Rule) bool { return r.Kind == k })
	if i < 0 {
		return p, fmt.Errorf("schedule: no rule for kind %v", k)
	}
	p.Rules = slices.Clone(p.Rules)
	p.Rules[i].Window = w
	return p, nil
}

// planJSON is the JSON form of a Plan: the fields of Plan with the
// location written as its IANA name.
type planJSON struct {
	Location string `json:"location,omitempty"`
	DailyCap int    `json:"daily_cap,omitempty"`
	AdRunMax int    `json:"ad_run_max,omitempty"`
	Rules    []Rule `json:"rules"`
}

// MarshalJSON writes p as
//
//	{"location":"Europe/Berlin","daily_cap":50,"ad_run_max":3,"rules":[
//	 {"kind":"news","per":"daily","count":1,"max":2,"window":"08:00-09:00"},...]}
//
// with the location omitted when nil. The location is written by name
// (time.Location.String), so only locations loaded by IANA name, and UTC,
// read back as the same zone. It fails when p does not validate.
func (p Plan) MarshalJSON() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	j := planJSON{DailyCap: p.DailyCap, AdRunMax: p.AdRunMax, Rules: p.Rules}
	if j.Rules == nil {
		j.Rules = []Rule{}
	}
	if p.Location != nil {
		j.Location = p.Location.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes and validates the result.
// Unknown, duplicate and wrongly spelt keys (at any depth: "rules[1].Kind")
// and unknown words are errors that name them. An absent or empty location
// is nil, that is [qunops.DefaultLocation]; "Asia/Shanghai" is
// qunops.DefaultLocation itself (exact since 1991, which is what a posting
// plan needs); neither needs a tz database. Any other name is resolved with
// time.LoadLocation, which reads the system's tz database (or the one
// embedded by importing time/tzdata): that is the one place this package
// touches files. On error p is left unchanged.
func (p *Plan) UnmarshalJSON(b []byte) error {
	var j planJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("schedule: plan: %w", err)
	}
	q := Plan{DailyCap: j.DailyCap, AdRunMax: j.AdRunMax}
	if len(j.Rules) > 0 { // "rules":[] reads as nil, the zero Plan's
		q.Rules = j.Rules
	}
	switch j.Location {
	case "":
	case qunops.DefaultLocation().String():
		q.Location = qunops.DefaultLocation()
	default:
		loc, err := time.LoadLocation(j.Location)
		if err != nil {
			return fmt.Errorf("schedule: plan: location %q: %w", j.Location, err)
		}
		q.Location = loc
	}
	if err := q.Validate(); err != nil {
		return err
	}
	*p = q
	return nil
}
