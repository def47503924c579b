package metrics

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
	"golang.org/x/text/cases"
)

// The option types of this package share one form: a plain struct whose
// zero fields mean the defaults, a Validate method that every function
// taking the options calls, and a JSON form with the field names in
// snake_case, durations as Go duration strings ("24h"), enumerations as
// lowercase words and ratios as {"num":15,"den":100}; zero fields are left
// out. Decoding rejects unknown, duplicate and wrongly spelt keys, naming
// them, and options that do not validate.

// Meaning selects what "retained" means for a retention cohort. It is
// written as "still-member", "spoke-on-day" or "spoke-on-or-after", by
// String and in JSON alike.
type Meaning int

const (
	// StillMember (the default, the seed's meaning, F26): still a member at
	// the end of day Date+N.
	StillMember Meaning = iota
	// SpokeOnDay: sent a message on day Date+N.
	SpokeOnDay
	// SpokeOnOrAfter: sent a message on day Date+N or any later observed day.
	SpokeOnOrAfter
)

var meaningNames = []string{StillMember: "still-member", SpokeOnDay: "spoke-on-day", SpokeOnOrAfter: "spoke-on-or-after"}

// String returns the lowercase name of m, or "Meaning(N)" when m is not a
// meaning.
func (m Meaning) String() string {
	if w := wordOf(meaningNames, int(m)); w != "" {
		return w
	}
	return fmt.Sprintf("Meaning(%d)", int(m))
}

// MarshalText writes m's name; it fails when m is not a meaning.
func (m Meaning) MarshalText() ([]byte, error) {
	if w := wordOf(meaningNames, int(m)); w != "" {
		return []byte(w), nil
	}
	return nil, fmt.Errorf("metrics: unknown retention meaning %d", int(m))
}

// UnmarshalText reads a meaning's name. On error m is unchanged.
func (m *Meaning) UnmarshalText(b []byte) error {
	i := indexOf(meaningNames, string(b))
	if i < 0 {
		return unknownWord("retention meaning", string(b), meaningNames)
	}
	*m = Meaning(i)
	return nil
}

// Options adjusts the tracker's queries. The zero value means the defaults.
// In JSON:
//
//	{"exclude":["bot"],"retained":"spoke-on-day","muted":["ann"],"window":"24h"}
type Options struct {
	// Exclude lists members (staff, bots) left out of every count: members,
	// speakers, joins, leaves, cohorts, recipients. Messages per day stay
	// the group's whole volume.
	Exclude []string
	// Retained is the meaning of "retained" for Retention; default
	// StillMember (F26).
	Retained Meaning
	// Muted lists members who muted or blocked the group: they are taken out
	// of a broadcast's reach (F27), from its readers and its recipients.
	Muted []string
	// Window is how long after a broadcast a claim counts as a response (F3).
	// Default 24 hours (ours, issue 5; the seed gives no window).
	Window time.Duration
}

// DefaultWindow is the default response window of a broadcast (ours, issue
// 5; the seed gives no window).
const DefaultWindow = 24 * time.Hour

// Validate reports the first field of o that holds an invalid value, named
// by its JSON key: an unknown retention meaning or a negative window.
func (o Options) Validate() error {
	if wordOf(meaningNames, int(o.Retained)) == "" {
		return fmt.Errorf("metrics: options: retained: unknown retention meaning %d", int(o.Retained))
	}
	if o.Window < 0 {
		return fmt.Errorf("metrics: options: window %s must not be negative", jsonx.FormatDuration(o.Window))
	}
	return nil
}

func (o Options) window() time.Duration {
	if o.Window == 0 {
		return DefaultWindow
	}
	return o.Window
}

// optionsJSON is the JSON form of Options.
type optionsJSON struct {
	Exclude  []string       `json:"exclude,omitempty"`
	Retained Meaning        `json:"retained,omitempty"`
	Muted    []string       `json:"muted,omitempty"`
	Window   jsonx.Duration `json:"window,omitempty"`
}

func (o Options) toJSON() optionsJSON {
	return optionsJSON{Exclude: o.Exclude, Retained: o.Retained, Muted: o.Muted, Window: jsonx.Duration(o.Window)}
}

func (j optionsJSON) options() Options {
	return Options{Exclude: j.Exclude, Retained: j.Retained, Muted: j.Muted, Window: time.Duration(j.Window)}
}

// MarshalJSON writes o with snake_case keys, the window as a Go duration
// string and zero fields left out. It fails when o does not validate.
func (o Options) MarshalJSON() ([]byte, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(o.toJSON())
}

// UnmarshalJSON reads options written by MarshalJSON or by hand. Unknown,
// duplicate and wrongly spelt keys, malformed durations, unknown words and
// options that do not validate are errors. On error o is unchanged.
func (o *Options) UnmarshalJSON(b []byte) error {
	var j optionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("metrics: options: %w", err)
	}
	v := j.options()
	if err := v.Validate(); err != nil {
		return err
	}
	*o = v
	return nil
}

// Thresholds are the health thresholds. A zero (undefined) field means the
// default. In JSON each is a ratio, {"num":15,"den":100} (a "value" may be
// given too, and must then equal num/den):
//
//	{"service_activity":{"num":15,"den":100},"reach":{"num":9,"den":10}}
type Thresholds struct {
	// ServiceActivity: a service group's activity must exceed it. Default
	// 15% (seed F25).
	ServiceActivity Ratio `json:"service_activity,omitzero"`
	// PerksActivity: a perks group's activity must exceed it. Default 25%
	// (seed F25).
	PerksActivity Ratio `json:"perks_activity,omitzero"`
	// ServiceMessages: a service group's messages per day, averaged over the
	// period (the seed's 日均), must not exceed it. Default 50 (seed F2).
	ServiceMessages Ratio `json:"service_messages,omitzero"`
	// PerksResponse: a perks group's campaign response must exceed it.
	// Default 30% (seed F3).
	PerksResponse Ratio `json:"perks_response,omitzero"`
	// Day3Retention and Day7Retention: retention on day 3 and day 7 must
	// exceed them. Defaults 60% and 40% (seed F26).
	Day3Retention Ratio `json:"day3_retention,omitzero"`
	Day7Retention Ratio `json:"day7_retention,omitzero"`
	// Reach: broadcast reach must exceed it. Default 85% (seed F27).
	Reach Ratio `json:"reach,omitzero"`
	// LeaveRate: the period's leave (quit) rate must not exceed it.
	// Default 8% (seed F42's 8%以下, read as inclusive like every 以下).
	LeaveRate Ratio `json:"leave_rate,omitzero"`
}

// DefaultThresholds returns the seed's thresholds (F2, F3, F25-F27, F42).
func DefaultThresholds() Thresholds {
	return Thresholds{
		ServiceActivity: Ratio{Num: 15, Den: 100},
		PerksActivity:   Ratio{Num: 25, Den: 100},
		ServiceMessages: Ratio{Num: 50, Den: 1},
		PerksResponse:   Ratio{Num: 30, Den: 100},
		Day3Retention:   Ratio{Num: 60, Den: 100},
		Day7Retention:   Ratio{Num: 40, Den: 100},
		Reach:           Ratio{Num: 85, Den: 100},
		LeaveRate:       Ratio{Num: 8, Den: 100},
	}
}

// thresholdField is one field of Thresholds with its JSON key and default.
type thresholdField struct {
	key string
	p   *Ratio
	def Ratio
}

func (th *Thresholds) fields() [8]thresholdField {
	def := DefaultThresholds()
	return [...]thresholdField{
		{"service_activity", &th.ServiceActivity, def.ServiceActivity},
		{"perks_activity", &th.PerksActivity, def.PerksActivity},
		{"service_messages", &th.ServiceMessages, def.ServiceMessages},
		{"perks_response", &th.PerksResponse, def.PerksResponse},
		{"day3_retention", &th.Day3Retention, def.Day3Retention},
		{"day7_retention", &th.Day7Retention, def.Day7Retention},
		{"reach", &th.Reach, def.Reach},
		{"leave_rate", &th.LeaveRate, def.LeaveRate},
	}
}

// Validate reports the first threshold below zero, named by its JSON key.
func (th Thresholds) Validate() error {
	for _, f := range th.fields() {
		if f.p.Defined() && f.p.Cmp(Ratio{Num: 0, Den: 1}) < 0 {
			return fmt.Errorf("metrics: thresholds: %s %d/%d must not be negative", f.key, f.p.Num, f.p.Den)
		}
	}
	return nil
}

// withDefaults returns th with its zero fields filled; th must validate.
func (th Thresholds) withDefaults() Thresholds {
	for _, f := range th.fields() {
		if !f.p.Defined() {
			*f.p = f.def
		}
	}
	return th
}

// thresholdsJSON is Thresholds without its methods, for decoding.
type thresholdsJSON Thresholds

// UnmarshalJSON reads thresholds written by encoding/json or by hand.
// Unknown, duplicate and wrongly spelt keys and negative thresholds are
// errors. On error th is unchanged.
func (th *Thresholds) UnmarshalJSON(b []byte) error {
	var j thresholdsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("metrics: thresholds: %w", err)
	}
	if err := Thresholds(j).Validate(); err != nil {
		return err
	}
	*th = Thresholds(j)
	return nil
}

// HealthOptions are the options of [Tracker.Health]. In JSON the fields of
// Options and Thresholds sit beside Campaigns in one object:
//
//	{"exclude":["bot"],"window":"24h","reach":{"num":9,"den":10},"campaigns":["coupon"]}
type HealthOptions struct {
	Options
	Thresholds
	// Campaigns lists the broadcast items that are campaigns: perks or
	// offers that members claim. The campaign response of a perks group
	// (F3) sums these broadcasts only; reach (F27) still sums every
	// broadcast. Nil means every broadcast is a campaign, so a daily news
	// item, which nobody claims, counts against the response. In JSON an
	// absent or null "campaigns" is nil, and [] is the empty list: no
	// broadcast is a campaign.
	Campaigns []string
}

// Validate reports the first invalid field of o's Options or Thresholds.
func (o HealthOptions) Validate() error {
	if err := o.Options.Validate(); err != nil {
		return err
	}
	return o.Thresholds.Validate()
}

// healthOptionsJSON is the JSON form of HealthOptions.
type healthOptionsJSON struct {
	optionsJSON
	thresholdsJSON
	Campaigns *[]string `json:"campaigns,omitempty"`
}

// MarshalJSON writes o as one object (see HealthOptions). It fails when o
// does not validate.
func (o HealthOptions) MarshalJSON() ([]byte, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	j := healthOptionsJSON{optionsJSON: o.Options.toJSON(), thresholdsJSON: thresholdsJSON(o.Thresholds)}
	if o.Campaigns != nil {
		j.Campaigns = &o.Campaigns
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes, with the checks of
// Options.UnmarshalJSON and Thresholds.UnmarshalJSON. On error o is
// unchanged.
func (o *HealthOptions) UnmarshalJSON(b []byte) error {
	var j healthOptionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("metrics: health options: %w", err)
	}
	v := HealthOptions{Options: j.optionsJSON.options(), Thresholds: Thresholds(j.thresholdsJSON)}
	if j.Campaigns != nil {
		v.Campaigns = *j.Campaigns
		if v.Campaigns == nil {
			v.Campaigns = []string{}
		}
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*o = v
	return nil
}

// AlertOptions are the options of [LowActivity]. The zero value means the
// seed's alert. In JSON:
//
//	{"threshold":{"num":10,"den":100},"run":3}
type AlertOptions struct {
	// Threshold: a day is low when its activity is below it, i.e.
	// Speakers*Den < Members*Num. Default 10% (seed F30).
	Threshold Ratio `json:"threshold,omitzero"`
	// Run: the alert fires on this many consecutive low days. Default 3
	// (seed F30).
	Run int `json:"run,omitempty"`
}

// Defaults of AlertOptions (seed F30).
var (
	defaultAlertThreshold = Ratio{Num: 10, Den: 100}
	defaultAlertRun       = 3
)

// Validate reports a threshold with a negative numerator or denominator,
// or a negative run, naming its JSON key.
func (o AlertOptions) Validate() error {
	if o.Threshold.Den < 0 || o.Threshold.Num < 0 {
		return fmt.Errorf("metrics: alert options: threshold %d/%d must not be negative", o.Threshold.Num, o.Threshold.Den)
	}
	if o.Run < 0 {
		return fmt.Errorf("metrics: alert options: run %d must be at least 1", o.Run)
	}
	return nil
}

// alertOptionsJSON is AlertOptions without its methods, for decoding.
type alertOptionsJSON AlertOptions

// UnmarshalJSON reads alert options written by encoding/json or by hand,
// strictly (see Options.UnmarshalJSON). On error o is unchanged.
func (o *AlertOptions) UnmarshalJSON(b []byte) error {
	var j alertOptionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("metrics: alert options: %w", err)
	}
	if err := AlertOptions(j).Validate(); err != nil {
		return err
	}
	*o = AlertOptions(j)
	return nil
}

// TermOptions are the options of [NewTermCounter]. The zero value means the
// defaults. In JSON:
//
//	{"stop_words":["优惠券"],"no_default_stop_words":true,"min_letters":3}
type TermOptions struct {
	// StopWords are left out in addition to DefaultStopWords(). They are
	// folded like the text; an entry that folds to nothing is an error.
	StopWords []string `json:"stop_words,omitempty"`
	// NoDefaultStopWords leaves DefaultStopWords() out of the stop list.
	NoDefaultStopWords bool `json:"no_default_stop_words,omitempty"`
	// MinLetters is the least number of characters of a non-Chinese word.
	// Default 2 (ours: single letters are noise in chat text).
	MinLetters int `json:"min_letters,omitempty"`
}

// Validate reports a negative min_letters or a stop word that is empty
// after folding.
func (o TermOptions) Validate() error {
	if o.MinLetters < 0 {
		return fmt.Errorf("metrics: term options: min_letters %d must not be negative", o.MinLetters)
	}
	fold := cases.Fold()
	for i, w := range o.StopWords {
		if strings.TrimSpace(foldText(fold, w)) == "" {
			return fmt.Errorf("metrics: term options: stop_words[%d] %q is empty after folding", i, w)
		}
	}
	return nil
}

// termOptionsJSON is TermOptions without its methods, for decoding.
type termOptionsJSON TermOptions

// UnmarshalJSON reads term options written by encoding/json or by hand,
// strictly (see Options.UnmarshalJSON). On error o is unchanged.
func (o *TermOptions) UnmarshalJSON(b []byte) error {
	var j termOptionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("metrics: term options: %w", err)
	}
	if err := TermOptions(j).Validate(); err != nil {
		return err
	}
	*o = TermOptions(j)
	return nil
}

// ABOptions are the options of [ABTest]. The zero value means the defaults.
// In JSON: {"confidence":0.99}.
type ABOptions struct {
	// Confidence of the intervals, in (0, 1). Default 0.95 (ours, the
	// usual convention; the seed names none).
	Confidence float64 `json:"confidence,omitempty"`
}

// defaultConfidence is the confidence of the intervals when none is given.
const defaultConfidence = 0.95

// Validate reports a confidence outside (0, 1) other than 0.
func (o ABOptions) Validate() error {
	if o.Confidence != 0 && !(o.Confidence > 0 && o.Confidence < 1) {
		return fmt.Errorf("metrics: a/b options: confidence %v must lie strictly between 0 and 1", o.Confidence)
	}
	return nil
}

// abOptionsJSON is ABOptions without its methods, for decoding.
type abOptionsJSON ABOptions

// UnmarshalJSON reads a/b options written by encoding/json or by hand,
// strictly (see Options.UnmarshalJSON). On error o is unchanged.
func (o *ABOptions) UnmarshalJSON(b []byte) error {
	var j abOptionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("metrics: a/b options: %w", err)
	}
	if err := ABOptions(j).Validate(); err != nil {
		return err
	}
	*o = ABOptions(j)
	return nil
}

// SampleOptions are the options of [SampleSize]. The zero value means the
// defaults. In JSON: {"alpha":0.05,"power":0.8}.
type SampleOptions struct {
	// Alpha is the two-sided significance level, in (0, 1). Default 0.05
	// (ours, the convention; the seed names none).
	Alpha float64 `json:"alpha,omitempty"`
	// Power is the probability of detecting the difference, in (0, 1).
	// Default 0.8 (ours, the convention).
	Power float64 `json:"power,omitempty"`
}

// Defaults of SampleOptions (ours, the conventions; the seed names none).
const (
	defaultAlpha = 0.05
	defaultPower = 0.8
)

// Validate reports an alpha or a power outside (0, 1) other than 0.
func (o SampleOptions) Validate() error {
	if o.Alpha != 0 && !(o.Alpha > 0 && o.Alpha < 1) {
		return fmt.Errorf("metrics: sample options: alpha %v must lie strictly between 0 and 1", o.Alpha)
	}
	if o.Power != 0 && !(o.Power > 0 && o.Power < 1) {
		return fmt.Errorf("metrics: sample options: power %v must lie strictly between 0 and 1", o.Power)
	}
	return nil
}

// sampleOptionsJSON is SampleOptions without its methods, for decoding.
type sampleOptionsJSON SampleOptions

// UnmarshalJSON reads sample options written by encoding/json or by hand,
// strictly (see Options.UnmarshalJSON). On error o is unchanged.
func (o *SampleOptions) UnmarshalJSON(b []byte) error {
	var j sampleOptionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("metrics: sample options: %w", err)
	}
	if err := SampleOptions(j).Validate(); err != nil {
		return err
	}
	*o = SampleOptions(j)
	return nil
}
