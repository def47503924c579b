package tiering

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// Activity is what a member did over the policy window that ends at the
// time of classification. Tally builds it from events; a caller may also
// fill it by hand.
type Activity struct {
	// Joined is when the member joined the group. The zero time means the
	// member has been in the group since before the log began, so never New.
	Joined time.Time `json:"joined,omitzero"`
	// Messages is the number of messages the member sent in the window.
	Messages int `json:"messages"`
	// Interactions is the number of acts the member started in the window:
	// messages + claims + check-ins (reads, joins and leaves are not acts).
	Interactions int `json:"interactions"`
	// Invites is the number of members who joined in the window invited by
	// this member (the join's Actor).
	Invites int `json:"invites"`
	// Claims is the number of perks or campaigns the member claimed in the
	// window.
	Claims int `json:"claims"`
	// Warnings is the number of warnings the member received in the window.
	Warnings int `json:"warnings"`
	// LastMessage and LastClaim are the times of the member's latest message
	// and claim, at any time up to the end of the window (zero if none). A
	// time inside the window counts as a message or claim for the Lurker
	// rule even when the counts are zero.
	LastMessage time.Time `json:"last_message,omitzero"`
	LastClaim   time.Time `json:"last_claim,omitzero"`
	// Banned reports that the member posted prohibited content in the
	// window (a warn event of a prohibited rule, see Policy.ProhibitedRules).
	Banned bool `json:"banned,omitempty"`
}

// Policy holds the thresholds of the tiers and of the monthly review. The
// zero value of each field means its default, so Policy{} is the seed's
// policy and a policy can be written as JSON that names only what it
// changes. Thresholds read as in the seed: "more than" for messages and
// interactions, "or more" for invites and warnings; a consequence is that
// "more than 0 messages" cannot be written (0 means the default 5).
//
// In JSON the keys are the field names in snake_case and the durations Go
// duration strings; zero fields are left out:
//
//	{"window":"168h","core_messages":5,"core_invites":3,"active_interactions":3,
//	 "violator_warnings":2,"prohibited_rules":["prohibited"],"margin_percent":90,"grace":"336h"}
//
// Decoding rejects unknown, duplicate and wrongly spelt keys, naming them,
// and a policy that does not validate.
type Policy struct {
	// Window is the span of activity that counts: the week of F31-F33.
	// Default 7 days (seed F31, F32, F33).
	Window time.Duration
	// CoreMessages: Core when messages > CoreMessages. Default 5 (seed F31).
	CoreMessages int
	// CoreInvites: Core when invites >= CoreInvites. Default 3 (seed F31,
	// "3人以上" read as inclusive).
	CoreInvites int
	// ActiveInteractions: Active when interactions > ActiveInteractions.
	// Default 3 (seed F32).
	ActiveInteractions int
	// ViolatorWarnings: Violator when warnings >= ViolatorWarnings. Default
	// 2 (seed F34, "2次以上" read as inclusive).
	//
	// The warnings counted are those of the Window, like every count of
	// a tier. The rule engine (package rules) reads F34 with its own
	// clock: it removes a member at 2 live warnings, live for 30 days
	// (rules.DefaultWarnTTL, ours). The two agree when the warnings fall
	// within a week of each other; a member warned twice 7 to 30 days
	// apart is removed by the engine at the second warning but is not a
	// Violator here (one warning in the window). Tiering labels a week's
	// behaviour for the monthly review (F36); the engine acts, and its
	// Remove and Blacklist carry out F34's "remove at once and record the
	// ID". A caller who wants the label to follow the engine can tally
	// with a Window of the engine's TTL, at the cost of the other tiers'
	// week. TestViolatorWindowsF34 pins the difference.
	ViolatorWarnings int
	// ProhibitedRules names the rules of the rule engine whose warnings mean
	// prohibited content (seed F34, F38): a warn event whose Actor is
	// "rule:NAME" for a NAME in this list makes the member Banned. Default
	// []string{"prohibited"}, the name under which package rules reports
	// its zero-tolerance keywords. A warn by an admin (any other Actor)
	// counts only as a warning.
	ProhibitedRules []string
	// MarginPercent is the hysteresis of the monthly review: a member is
	// demoted only when a count falls below MarginPercent% of the
	// threshold, rounded down and never below 1 (see Reviewer). 100 turns
	// hysteresis off. Default 90, after Discourse's trust levels (no seed
	// figure).
	MarginPercent int
	// Grace is how long after a promotion the member cannot be demoted.
	// Default 14 days, half the monthly review period of seed F36.
	Grace time.Duration
}

// The defaults, each from the seed figure named in Policy's field docs.
const (
	defaultWindow             = 7 * 24 * time.Hour
	defaultCoreMessages       = 5
	defaultCoreInvites        = 3
	defaultActiveInteractions = 3
	defaultViolatorWarnings   = 2
	defaultMarginPercent      = 90
	defaultGrace              = 14 * 24 * time.Hour
	defaultProhibitedRule     = "prohibited"
)

// DefaultPolicy returns the seed's policy with every field filled in:
// a 7-day window, Core at more than 5 messages or 3 invites (F31), Active at
// more than 3 interactions (F32), Violator at 2 warnings or prohibited
// content (F34), and a review margin of 90% with a 14-day grace period.
func DefaultPolicy() Policy {
	return Policy{
		Window:             defaultWindow,
		CoreMessages:       defaultCoreMessages,
		CoreInvites:        defaultCoreInvites,
		ActiveInteractions: defaultActiveInteractions,
		ViolatorWarnings:   defaultViolatorWarnings,
		ProhibitedRules:    []string{defaultProhibitedRule},
		MarginPercent:      defaultMarginPercent,
		Grace:              defaultGrace,
	}
}

// Validate reports the first field that holds an invalid value: a negative
// duration or threshold, a margin above 100, an empty rule name.
// The error names the field by its JSON key, the name a person writing
// the policy sees: "tiering: policy: core_messages -1 must be at least 1".
func (p Policy) Validate() error {
	switch {
	case p.Window < 0:
		return fmt.Errorf("tiering: policy: window %s must not be negative", jsonx.FormatDuration(p.Window))
	case p.CoreMessages < 0:
		return fmt.Errorf("tiering: policy: core_messages %d must be at least 1", p.CoreMessages)
	case p.CoreInvites < 0:
		return fmt.Errorf("tiering: policy: core_invites %d must be at least 1", p.CoreInvites)
	case p.ActiveInteractions < 0:
		return fmt.Errorf("tiering: policy: active_interactions %d must be at least 1", p.ActiveInteractions)
	case p.ViolatorWarnings < 0:
		return fmt.Errorf("tiering: policy: violator_warnings %d must be at least 1", p.ViolatorWarnings)
	case p.MarginPercent < 0 || p.MarginPercent > 100:
		return fmt.Errorf("tiering: policy: margin_percent %d must be in 1..100", p.MarginPercent)
	case p.Grace < 0:
		return fmt.Errorf("tiering: policy: grace %s must not be negative", jsonx.FormatDuration(p.Grace))
	}
	for i, r := range p.ProhibitedRules {
		if r == "" {
			return fmt.Errorf("tiering: policy: prohibited_rules[%d] is empty", i)
		}
	}
	return nil
}

// policyJSON is the JSON form of a Policy.
type policyJSON struct {
	Window             jsonx.Duration `json:"window,omitempty"`
	CoreMessages       int            `json:"core_messages,omitempty"`
	CoreInvites        int            `json:"core_invites,omitempty"`
	ActiveInteractions int            `json:"active_interactions,omitempty"`
	ViolatorWarnings   int            `json:"violator_warnings,omitempty"`
	ProhibitedRules    []string       `json:"prohibited_rules,omitempty"`
	MarginPercent      int            `json:"margin_percent,omitempty"`
	Grace              jsonx.Duration `json:"grace,omitempty"`
}

func (p Policy) toJSON() policyJSON {
	return policyJSON{Window: jsonx.Duration(p.Window), CoreMessages: p.CoreMessages, CoreInvites: p.CoreInvites,
		ActiveInteractions: p.ActiveInteractions, ViolatorWarnings: p.ViolatorWarnings,
		ProhibitedRules: p.ProhibitedRules, MarginPercent: p.MarginPercent, Grace: jsonx.Duration(p.Grace)}
}

// policy returns the Policy of j, validated.
func (j policyJSON) policy() (Policy, error) {
	p := Policy{Window: time.Duration(j.Window), CoreMessages: j.CoreMessages, CoreInvites: j.CoreInvites,
		ActiveInteractions: j.ActiveInteractions, ViolatorWarnings: j.ViolatorWarnings,
		ProhibitedRules: j.ProhibitedRules, MarginPercent: j.MarginPercent, Grace: time.Duration(j.Grace)}
	return p, p.Validate()
}

// MarshalJSON writes p with snake_case keys, durations as Go duration
// strings ("168h") and zero fields left out.
func (p Policy) MarshalJSON() ([]byte, error) { return json.Marshal(p.toJSON()) }

// UnmarshalJSON reads a policy written by MarshalJSON or by hand. Unknown,
// duplicate and wrongly spelt keys, malformed durations and a policy that
// does not validate are errors that name the key. On error p is unchanged.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var j policyJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("tiering: policy: %w", err)
	}
	q, err := j.policy()
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// resolved returns p with every zero or invalid field replaced by its
// default. The thresholds Classify uses come from thresholds, so that the
// two cannot disagree.
func (p Policy) resolved() Policy {
	t := p.thresholds()
	p.Window, p.CoreMessages, p.CoreInvites = t.window, t.coreMessages, t.coreInvites
	p.ActiveInteractions, p.ViolatorWarnings = t.active, t.warnings
	if len(p.ProhibitedRules) == 0 {
		p.ProhibitedRules = []string{defaultProhibitedRule}
	}
	if p.MarginPercent <= 0 || p.MarginPercent > 100 {
		p.MarginPercent = defaultMarginPercent
	}
	if p.Grace <= 0 {
		p.Grace = defaultGrace
	}
	return p
}

// thresholds are the resolved numbers Classify uses.
type thresholds struct {
	window                                      time.Duration
	coreMessages, coreInvites, active, warnings int
}

func (p Policy) thresholds() thresholds {
	t := thresholds{p.Window, p.CoreMessages, p.CoreInvites, p.ActiveInteractions, p.ViolatorWarnings}
	if t.window <= 0 {
		t.window = defaultWindow
	}
	if t.coreMessages <= 0 {
		t.coreMessages = defaultCoreMessages
	}
	if t.coreInvites <= 0 {
		t.coreInvites = defaultCoreInvites
	}
	if t.active <= 0 {
		t.active = defaultActiveInteractions
	}
	if t.warnings <= 0 {
		t.warnings = defaultViolatorWarnings
	}
	return t
}

var defaultThresholds = DefaultPolicy().thresholds()

// Classify returns the tier of a member with activity a over the window
// that ends at now, and the reason: the rule that decided, with its numbers
// and seed figure, e.g. "core: 6 messages in 7 days > 5 (F31)". The rules
// are tried in this order and the first that holds wins:
//
//	Violator  warnings >= 2, or Banned                      (F34)
//	Core      messages > 5, or invites >= 3                 (F31)
//	Active    interactions > 3                              (F32)
//	New       0 <= now - Joined < Window (Joined not zero), or Joined after now
//	Lurker    no message and no claim in the window          (F33)
//	Casual    everyone else
//
// A message or claim counts as in the window when its count is positive or
// LastMessage / LastClaim lies in (now-Window, now].
//
// Classify does not validate p: zero and invalid fields act as their
// defaults. It costs a few comparisons; with the default thresholds and
// counts under 256 the reason is taken from a table built once, so Classify
// does not allocate; otherwise it allocates the reason string.
func (p Policy) Classify(a Activity, now time.Time) (Tier, string) {
	t := p.thresholds()
	tab := (*reasonTable)(nil)
	if t == defaultThresholds {
		tab = &defaultReasons
	}
	switch {
	case a.Warnings >= t.warnings:
		return Violator, tab.get(rWarnings, a.Warnings, t)
	case a.Banned:
		return Violator, reasonBanned
	case a.Messages > t.coreMessages:
		return Core, tab.get(rCoreMessages, a.Messages, t)
	case a.Invites >= t.coreInvites:
		return Core, tab.get(rCoreInvites, a.Invites, t)
	case a.Interactions > t.active:
		return Active, tab.get(rActive, a.Interactions, t)
	}
	if !a.Joined.IsZero() {
		if age := now.Sub(a.Joined); age < t.window {
			days := int(age / (24 * time.Hour))
			if age < 0 {
				days = 0
			}
			return New, tab.get(rNew, days, t)
		}
	}
	if a.Messages <= 0 && a.Claims <= 0 && !within(a.LastMessage, now, t.window) && !within(a.LastClaim, now, t.window) {
		return Lurker, tab.get(rLurker, 0, t)
	}
	return Casual, tab.get(rCasual, a.Interactions, t)
}

// within reports whether x lies in (now-w, now].
func within(x, now time.Time, w time.Duration) bool {
	if x.IsZero() || x.After(now) {
		return false
	}
	return now.Sub(x) < w
}

// The reasons Classify gives, one per rule.
type reasonKind uint8

const (
	rWarnings reasonKind = iota
	rCoreMessages
	rCoreInvites
	rActive
	rNew
	rLurker
	rCasual
	numReasons
)

const reasonBanned = "violator: posted prohibited content (F34)"

// countReasons are the reasons of the rules that compare a count in the
// window with a threshold: "core: 6 messages in 7 days > 5 (F31)".
var countReasons = [...]struct {
	kind            reasonKind
	tier, noun, cmp string
	threshold       func(thresholds) int
	tail            string
}{
	{rWarnings, "violator", "warning", ">=", func(t thresholds) int { return t.warnings }, " (F34)"},
	{rCoreMessages, "core", "message", ">", func(t thresholds) int { return t.coreMessages }, " (F31)"},
	{rCoreInvites, "core", "invite", ">=", func(t thresholds) int { return t.coreInvites }, " (F31)"},
	{rActive, "active", "interaction", ">", func(t thresholds) int { return t.active }, " (F32)"},
	{rCasual, "casual", "interaction", "<=", func(t thresholds) int { return t.active }, " (F32), with a message or claim (F33)"},
}

// appendReason writes the reason of kind k for count n under thresholds t.
func appendReason(b []byte, k reasonKind, n int, t thresholds) []byte {
	switch k {
	case rNew:
		b = append(b, "new: joined "...)
		b = appendCount(b, n, "day")
		b = append(b, " ago, less than "...)
		return appendSpan(b, t.window)
	case rLurker:
		b = append(b, "lurker: no message and no claim in "...)
		b = appendSpan(b, t.window)
		return append(b, " (F33)"...)
	}
	for _, r := range countReasons {
		if r.kind == k {
			b = append(b, r.tier...)
			b = append(b, ": "...)
			b = appendCount(b, n, r.noun)
			b = append(b, " in "...)
			b = appendSpan(b, t.window)
			b = append(b, ' ')
			b = append(b, r.cmp...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(r.threshold(t)), 10)
			return append(b, r.tail...)
		}
	}
	return b
}

// appendCount writes "1 message" or "n messages".
func appendCount(b []byte, n int, noun string) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, ' ')
	b = append(b, noun...)
	if n != 1 {
		b = append(b, 's')
	}
	return b
}

// appendSpan writes a window as "7 days" when it is a whole number of days,
// else as a time.Duration ("36h0m0s").
func appendSpan(b []byte, w time.Duration) []byte {
	const day = 24 * time.Hour
	if w%day == 0 {
		d := int64(w / day)
		b = strconv.AppendInt(b, d, 10)
		if d == 1 {
			return append(b, " day"...)
		}
		return append(b, " days"...)
	}
	return append(b, w.String()...)
}

// tableSize bounds the counts whose reasons are precomputed.
const tableSize = 256

// reasonTable holds the reasons of one set of thresholds for counts below
// tableSize. It is built once and never modified.
type reasonTable [numReasons][tableSize]string

var defaultReasons = buildReasons(defaultThresholds)

func buildReasons(t thresholds) reasonTable {
	var tab reasonTable
	for k := range numReasons {
		for n := range tableSize {
			tab[k][n] = string(appendReason(nil, k, n, t))
		}
	}
	return tab
}

// get returns the reason of kind k for count n: from the table when there
// is one and n is in it, else freshly formatted.
func (tab *reasonTable) get(k reasonKind, n int, t thresholds) string {
	if tab != nil && n >= 0 && n < tableSize {
		return tab[k][n]
	}
	return string(appendReason(make([]byte, 0, 64), k, n, t))
}
