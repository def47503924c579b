package report

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/jsonx"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/tiering"
)

// Defaults of the zero fields of Options.
const (
	// DefaultTermsWindow is the span of text whose frequent terms a report
	// shows: the last week of each group's log (seed F29: export and
	// analyse the chat log weekly).
	DefaultTermsWindow = 7 * 24 * time.Hour
	// DefaultTopTerms is how many terms a group's report lists (ours: ten
	// fit on a phone screen).
	DefaultTopTerms = 10
	// MaxRetentionDay bounds Options.RetentionDays (ours: a year; a cohort
	// further out is never complete in a log of a few months).
	MaxRetentionDay = 366
	// MaxTopTerms bounds Options.TopTerms (ours).
	MaxTopTerms = 1000
	// DefaultMaxDays is the most day rows a report lists over all its
	// groups when Options.MaxDays is zero (ours): 2,000 groups over 2.7
	// years, about 1 GB of memory while the report is built and written
	// and 270 MB of JSON.
	DefaultMaxDays = 2_000_000
)

// DefaultRetentionDays returns the retention cohorts a report shows when
// Options.RetentionDays is nil: day 1, 3 and 7 (seed F26). The caller owns
// the returned slice.
func DefaultRetentionDays() []int { return []int{1, 3, 7} }

// Options are the settings of a Builder. The zero value means the
// defaults. In JSON (see MarshalJSON):
//
//	{"location":"Asia/Shanghai","default":{"exclude":["wxid_export"]},
//	 "groups":{"20001@chatroom":{"name":"售后服务群","kind":"service","exclude":["wxid_admin1"]},
//	           "20003@chatroom":{"zone":"Europe/Berlin"}},
//	 "retention_days":[1,3,7]}
//
// The "default" and "groups" keys alone make a groups file (ParseGroups),
// what `qunops report -groups FILE` reads.
type Options struct {
	// Location is where calendar days are drawn for the groups that have
	// no zone of their own (GroupOptions.Zone) and when Default has none;
	// nil means Asia/Shanghai (qunops.DefaultLocation).
	Location *time.Location
	// Default holds the settings of every group: its Kind, Campaigns and
	// Zone stand for those a group does not set, and its Exclude is left out of
	// every group besides the group's own (the account that exported the
	// log, a bot that serves every group). Its Name must be empty.
	Default GroupOptions
	// Groups holds the settings of some groups by ID; a group it does not
	// list has Default's.
	Groups map[string]GroupOptions
	// RetentionDays are the N of the day-N retention cohorts, each in
	// 1..MaxRetentionDay, without repeats; nil means 1, 3 and 7 (seed F26).
	RetentionDays []int
	// TermsWindow is the span, ending at each group's last event, whose
	// message text is counted for frequent terms; zero means 7 days (seed
	// F29).
	TermsWindow time.Duration
	// TopTerms is how many terms each group lists, 0..MaxTopTerms; zero
	// means 10 (ours).
	TopTerms int
	// MaxDays is the most day rows the report may list over all its
	// groups, where a group lists every calendar day from its first
	// event to its last (up to metrics.MaxSpanDays); Build fails, naming
	// the longest group, when they add up to more. Zero means
	// DefaultMaxDays, -1 no limit. It guards against logs that ask for far
	// more output than they hold (a hostile log of 300 groups with two
	// events 27 years apart each, 81 KB, asked for 3 million rows, 400 MB
	// of JSON). It limits Build only: builders with different MaxDays
	// merge, and a Builder's binary form does not carry it.
	MaxDays int
}

// Validate reports the first problem of o, naming the setting by its JSON
// path: "report: options: retention_days[1]: 0 is outside 1..366",
// `report: options: groups["20001@chatroom"].exclude[0]: empty member id`.
func (o Options) Validate() error {
	if err := validateGroups(o.Default, o.Groups); err != nil {
		return fmt.Errorf("report: options: %w", err)
	}
	for i, n := range o.RetentionDays {
		if n < 1 || n > MaxRetentionDay {
			return fmt.Errorf("report: options: retention_days[%d]: %d is outside 1..%d", i, n, MaxRetentionDay)
		}
		if slices.Contains(o.RetentionDays[:i], n) {
			return fmt.Errorf("report: options: retention_days[%d]: %d is repeated", i, n)
		}
	}
	if o.MaxDays < -1 {
		return fmt.Errorf("report: options: max_days %d must be -1 (no limit), 0 (the default, %d) or more", o.MaxDays, DefaultMaxDays)
	}
	if o.TermsWindow < 0 {
		return fmt.Errorf("report: options: terms_window %v must not be negative", o.TermsWindow)
	}
	if o.TopTerms < 0 || o.TopTerms > MaxTopTerms {
		return fmt.Errorf("report: options: top_terms %d is outside 0..%d", o.TopTerms, MaxTopTerms)
	}
	return nil
}

// resolved returns o with every default filled in and its own copies of
// the maps and slices, so that a caller who changes them later changes
// nothing in a Builder.
func (o Options) resolved() Options {
	o.Location = qunops.LocationOr(o.Location)
	o.Default = o.Default.clone()
	if o.Default.Kind == 0 {
		o.Default.Kind = metrics.Interest
	}
	if o.Groups != nil {
		gs := make(map[string]GroupOptions, len(o.Groups))
		for id, g := range o.Groups {
			gs[id] = g.clone()
		}
		o.Groups = gs
	}
	if o.RetentionDays == nil {
		o.RetentionDays = DefaultRetentionDays()
	} else {
		o.RetentionDays = slices.Clone(o.RetentionDays)
	}
	if o.TermsWindow == 0 {
		o.TermsWindow = DefaultTermsWindow
	}
	if o.TopTerms == 0 {
		o.TopTerms = DefaultTopTerms
	}
	if o.MaxDays == 0 {
		o.MaxDays = DefaultMaxDays
	}
	return o
}

// equal reports whether two resolved options give the same report, so that
// builders made with them can merge. MaxDays, a limit on Build, is left out.
func (o Options) equal(p Options) bool {
	return o.Location.String() == p.Location.String() && o.Default.equal(p.Default) &&
		maps.EqualFunc(o.Groups, p.Groups, GroupOptions.equal) &&
		slices.Equal(o.RetentionDays, p.RetentionDays) && o.TermsWindow == p.TermsWindow && o.TopTerms == p.TopTerms
}

// tierPolicy is the policy of the tier counts: the seed's (F31-F34).
var tierPolicy = tiering.DefaultPolicy

// window is the span before each group's last event that a Builder must
// keep event by event: the longer of the terms window and the tier window.
func (o Options) window() time.Duration {
	return max(o.TermsWindow, tierPolicy().Window)
}

// optionsJSON is the JSON form of Options: its fields with the location
// written as its IANA name and the terms window as a duration string.
type optionsJSON struct {
	Location string `json:"location,omitempty"`
	groupsJSON
	RetentionDays []int          `json:"retention_days,omitempty"`
	TermsWindow   jsonx.Duration `json:"terms_window,omitempty"`
	TopTerms      int            `json:"top_terms,omitempty"`
	MaxDays       int            `json:"max_days,omitempty"`
}

// MarshalJSON writes o as
//
//	{"location":"Europe/Berlin","default":{"kind":"perks"},"groups":{"20001@chatroom":{"kind":"service"}},
//	 "retention_days":[1,7,30],"terms_window":"72h","top_terms":20,"max_days":5000000}
//
// with zero fields left out (GroupOptions.MarshalJSON writes the groups).
// The location is written by name (time.Location.String), so only
// locations loaded by IANA name, and UTC, read back as the same zone. It
// fails when o does not validate.
func (o Options) MarshalJSON() ([]byte, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	j := optionsJSON{groupsJSON: groupsToJSON(o.Default, o.Groups), RetentionDays: o.RetentionDays,
		TermsWindow: jsonx.Duration(o.TermsWindow), TopTerms: o.TopTerms, MaxDays: o.MaxDays}
	if o.Location != nil {
		j.Location = o.Location.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes and validates the result.
// Unknown, duplicate and wrongly spelt keys and unknown kinds are errors
// that name them. An absent location is nil, that is Asia/Shanghai
// (qunops.DefaultLocation), and so is "Asia/Shanghai"; any other name is
// resolved with time.LoadLocation, which reads the system's tz database.
// On error o is left unchanged.
func (o *Options) UnmarshalJSON(b []byte) error {
	var j optionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("report: options: %w", err)
	}
	def, groups, err := j.options()
	if err != nil {
		return fmt.Errorf("report: options: %w", err)
	}
	p := Options{Default: def, Groups: groups, RetentionDays: j.RetentionDays,
		TermsWindow: time.Duration(j.TermsWindow), TopTerms: j.TopTerms, MaxDays: j.MaxDays}
	switch j.Location {
	case "":
	case qunops.DefaultLocation().String():
		p.Location = qunops.DefaultLocation()
	default:
		loc, err := time.LoadLocation(j.Location)
		if err != nil {
			return fmt.Errorf("report: options: location %q: %w", j.Location, err)
		}
		p.Location = loc
	}
	if err := p.Validate(); err != nil {
		return err
	}
	*o = p
	return nil
}
