package report

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
	"github.com/qunops/qunops/internal/wordhash"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/tiering"
)

// Version is the version of the JSON form of a Report, its "v". It is
// bumped on any change that is not a pure addition of keys.
const Version = 3

// Report is the report of a set of event logs: per group, the days, the
// retention cohorts, the tiers, the alerts, the verdicts and the frequent
// terms. Its JSON (encoding/json, HTML escaping off to keep Chinese and '<'
// readable) is the versioned output of `qunops report -json`:
//
//	{"v":3,"tz":"Asia/Shanghai","groups":[{"group":"20001@chatroom","name":"售后服务群","kind":"service",
//	 "excluded":["wxid_admin1"],"campaigns":[],"broadcasts":0,"tz":"Asia/Shanghai","days":[...],
//	 "retention":{"1":[...],"3":[...],"7":[...]},"tiers":{...},
//	 "tiers_at":"2026-03-31T22:58:00+08:00","alerts":[],"verdicts":[...],"terms":[...]}]}
//
// Every list is present, empty rather than null.
type Report struct {
	V int `json:"v"` // Version
	// TZ is the name of the default zone: that of the groups that have no
	// zone of their own (GroupOptions.Zone). Each group's own is its TZ.
	TZ     string  `json:"tz"`
	Groups []Group `json:"groups"` // sorted by ID
}

// Group is the report of one group.
type Group struct {
	Group string            `json:"group"`
	Name  string            `json:"name"` // the display name of GroupOptions.Name; "" when none was given
	Kind  metrics.GroupKind `json:"kind"` // selects the thresholds of the verdicts (F1)
	// Excluded lists, sorted, the members left out of every figure but the
	// message volume (GroupOptions.Exclude), so that a reader knows what
	// was measured.
	Excluded []string `json:"excluded"`
	// Campaigns are the broadcast items whose response F3 counted, in
	// order of sending (GroupOptions.Campaigns): every one sent in the
	// period, claimed or not.
	Campaigns []string `json:"campaigns"`
	// Broadcasts is how many broadcasts reach (F27) counted, campaigns or
	// not: every item a message carried in the period.
	Broadcasts int `json:"broadcasts"`
	// TZ is the name (time.Location.String) of the zone of the group's
	// calendar days (GroupOptions.Zone): of Days, Retention, and the dates
	// of Alerts and Verdicts. The key is the one the whole report's zone
	// has, "tz".
	TZ string `json:"tz"`
	// Days are the group's calendar days, from its first event to its last
	// (metrics.Tracker.Days).
	Days []metrics.Day `json:"days"`
	// Retention holds the day-N cohorts (F26) by N written in decimal: "1",
	// "3", "7" by default.
	Retention map[string][]metrics.Cohort `json:"retention"`
	// Tiers counts the members at TiersAt by tier (F31-F34), over the
	// policy window (7 days) that ends at TiersAt.
	Tiers tiering.Counts `json:"tiers"`
	// TiersAt is the group's last event, with the offset it was logged
	// with; of several events at that instant, the one with the largest
	// offset, whatever the order they were added or merged in.
	TiersAt time.Time `json:"tiers_at"`
	// Alerts are the low-activity alerts over Days (F30).
	Alerts []metrics.Alert `json:"alerts"`
	// Verdicts are the health verdicts for Kind over all of Days.
	Verdicts []metrics.Verdict `json:"verdicts"`
	// Terms are the most frequent terms of the messages of the terms window
	// (a week by default) that ends at TiersAt (F29).
	Terms []metrics.Term `json:"terms"`
}

// Build returns the report of the events added so far. The builder is not
// changed: more events can be added and Build called again. Build costs,
// per group, what the Tracker's queries cost (see package metrics) plus a
// tiering.Tally fed one event per kind of latest time of each member and
// one per recent event, and the term counting of the last week's texts.
func (b *Builder) Build() (*Report, error) {
	if err := b.dayLoad().check(b.opts.MaxDays); err != nil { // opts are resolved
		return nil, err
	}
	rep := &Report{V: Version, TZ: b.opts.defaultZone().String(), Groups: []Group{}}
	for _, name := range b.tr.groups() {
		g := b.groups[name]
		if g == nil {
			return nil, fmt.Errorf("report: group %q has no events", name) // cannot happen: Add feeds both
		}
		rg, err := b.buildGroup(name, g)
		if err != nil {
			return nil, err
		}
		rep.Groups = append(rep.Groups, rg)
	}
	return rep, nil
}

// dayLoad is what the days that some groups list add up to, for the check
// of Options.MaxDays, with the group that lists the most.
type dayLoad struct {
	days, groups int64
	longest      string // of groups with as many days, the first by ID
	span         int64  // the days of longest
	first, last  time.Time
}

// dayLoad returns the load of b's groups.
func (b *Builder) dayLoad() dayLoad {
	var l dayLoad
	for _, tr := range b.tr.all {
		for _, name := range tr.Groups() {
			days, first, last := trust.TrackerSpan(tr, name)
			l.add(dayLoad{days: days, groups: 1, longest: name, span: days, first: first, last: last})
		}
	}
	return l
}

// add adds o's groups to l's.
func (l *dayLoad) add(o dayLoad) {
	l.days += o.days
	l.groups += o.groups
	if o.groups > 0 && (l.longest == "" || o.span > l.span || o.span == l.span && o.longest < l.longest) {
		l.longest, l.span, l.first, l.last = o.longest, o.span, o.first, o.last
	}
}

// check returns an error when l lists more than max days (max < 0: no
// limit). The error depends only on the groups, not on how a log was split.
func (l dayLoad) check(max int) error {
	if max < 0 || l.days <= int64(max) {
		return nil
	}
	return fmt.Errorf("report: the %d groups would list %d days in all, more than MaxDays (%d): a report lists every calendar day from a group's first event to its last, and the longest, %q, spans %d days, %s to %s; raise MaxDays (Options.MaxDays, qunops report -max-days; -1: no limit), or report fewer groups or a shorter span",
		l.groups, l.days, max, l.longest, l.span, l.first.Format(time.DateOnly), l.last.Format(time.DateOnly))
}

func (b *Builder) buildGroup(name string, g *group) (Group, error) {
	set := b.opts.group(name)
	tr := b.tr.all[b.tr.index(name)]
	mo := metrics.Options{Exclude: set.Exclude}
	rg := Group{Group: name, Name: set.Name, Kind: set.Kind, Excluded: set.Exclude, Campaigns: []string{}, TZ: set.Zone.String(),
		Retention: map[string][]metrics.Cohort{}, TiersAt: g.last, Alerts: []metrics.Alert{}, Verdicts: []metrics.Verdict{}}
	var err error
	if rg.Days, err = tr.DaysWith(name, mo); err != nil {
		return rg, fmt.Errorf("report: %s: %w", name, err)
	}
	if rg.Days == nil {
		rg.Days = []metrics.Day{}
	}
	for _, n := range b.opts.RetentionDays {
		cs, err := tr.RetentionWith(name, n, mo)
		if err != nil {
			return rg, fmt.Errorf("report: %s: %w", name, err)
		}
		if cs == nil {
			cs = []metrics.Cohort{}
		}
		rg.Retention[strconv.Itoa(n)] = cs
	}
	alerts, err := metrics.LowActivity(rg.Days, metrics.AlertOptions{})
	if err != nil {
		return rg, fmt.Errorf("report: %s: %w", name, err)
	}
	rg.Alerts = append(rg.Alerts, alerts...)
	if len(rg.Days) > 0 {
		// The days span the group's whole log, so the period holds every
		// broadcast: those of reach, and the campaigns among them (F3).
		from, to := rg.Days[0].Date, rg.Days[len(rg.Days)-1].Date
		verdicts, err := tr.Health(name, set.Kind, from, to, metrics.HealthOptions{Options: mo, Campaigns: set.Campaigns})
		if err != nil {
			return rg, fmt.Errorf("report: %s: %w", name, err)
		}
		rg.Verdicts = append(rg.Verdicts, verdicts...)
		bs, err := tr.Broadcasts(name, mo)
		if err != nil {
			return rg, fmt.Errorf("report: %s: %w", name, err)
		}
		rg.Broadcasts = len(bs)
		for _, bc := range bs {
			if set.Campaigns == nil || slices.Contains(set.Campaigns, bc.Item) {
				rg.Campaigns = append(rg.Campaigns, bc.Item)
			}
		}
	}
	skip := g.excluded(set.Exclude)
	if rg.Tiers, err = g.tiers(name, skip); err != nil {
		return rg, fmt.Errorf("report: %s: %w", name, err)
	}
	if rg.Terms, err = g.terms(b.opts, skip); err != nil {
		return rg, fmt.Errorf("report: %s: %w", name, err)
	}
	return rg, nil
}

// excluded returns, by member number, whether the member is one of ids
// (GroupOptions.Exclude); nil when none of them is a member of g.
func (g *group) excluded(ids []string) []bool {
	var skip []bool
	for _, id := range ids {
		if n := g.index.find(keyOf(id)); n >= 0 {
			if skip == nil {
				skip = make([]bool, len(g.names))
			}
			skip[n] = true
		}
	}
	return skip
}

// tiers counts the tiers at the group's last event: a tiering.Tally that
// ends there is fed, per member, one event for each latest time (events
// without an ID, which only move times forward: a message or claim only
// when it lies before the tier window, as the tally would count one in
// it) and then the recent events in the order they were added, which
// hold every event that counts in the window, so that the tally counts
// and dedupes them as it would have. The members
// skip marks are left out: their events are not fed (but that the inviter
// of one's join was present), and a join they invited is fed as a join
// without an inviter.
func (g *group) tiers(name string, skip []bool) (tiering.Counts, error) {
	t, err := tiering.NewTally(tierPolicy(), g.last)
	if err != nil {
		return tiering.Counts{}, err
	}
	loc := g.last.Location()
	// One event, refilled for each call: an event made per call would be
	// allocated, since the tally is called through a variable (a million
	// allocations per hundred groups), and the tally copies it.
	e := new(qunops.Event)
	add := func(typ qunops.EventType, member int32, at instant, actor, item string) error {
		// Parts of validated events, at an instant of one in the location
		// of one: valid, so not validated again (see package trust).
		*e = qunops.Event{Type: typ, Group: name, Member: g.names[member], Time: at.time(loc), Actor: actor, Item: item}
		return trust.TallyAdd(t, e)
	}
	var zero instant
	start := instantOf(g.last.Add(-tierPolicy().Window)) // the tally's window starts after it
	for i := range g.latest {
		if skip != nil && skip[i] {
			continue
		}
		m, n := &g.latest[i], int32(i)
		// A claim must name an item to be valid; the tally does not read it.
		for _, e := range []struct {
			typ  qunops.EventType
			at   instant
			item string
		}{{qunops.Leave, m.left, ""}, {qunops.Join, m.joined, ""}, {qunops.Roster, m.present, ""},
			{qunops.Message, m.message, ""}, {qunops.Claim, m.claim, "-"}} {
			if e.at == zero || ((e.typ == qunops.Message || e.typ == qunops.Claim) && e.at.after(start)) {
				continue
			}
			if err := add(e.typ, n, e.at, "", e.item); err != nil {
				return tiering.Counts{}, err
			}
		}
	}
	for r := range g.recent.all() {
		if skip != nil && skip[r.member] {
			// An inviter still showed that it was a member, as in a
			// folded join (group.fold), but earns no invite.
			if r.typ == qunops.Join && r.inviter >= 0 && !skip[r.inviter] {
				if err := add(qunops.Roster, r.inviter, r.at, "", ""); err != nil {
					return tiering.Counts{}, err
				}
			}
			continue
		}
		actor, item := r.actor, ""
		if r.inviter >= 0 && (skip == nil || !skip[r.inviter]) {
			actor = g.names[r.inviter]
		}
		if r.typ == qunops.Claim {
			item = r.text // the claim's item (see Builder.addValid)
		}
		*e = qunops.Event{Type: r.typ, Group: name, Member: g.names[r.member], Time: r.at.time(loc), Actor: actor, ID: r.id, Item: item}
		if err := trust.TallyAdd(t, e); err != nil {
			return tiering.Counts{}, err
		}
	}
	return t.Counts(name), nil
}

// terms counts the terms of the group's messages in the terms window that
// ends at its last event, but for those of the members skip marks. The
// deliveries of one message (the same ID, member and instant, as
// metrics.Tracker keys it) count once, with the least of their texts in
// byte order when they differ (an edit), so that the result does not
// depend on the order they came in; different messages that share an ID
// each count. Each distinct text is then counted once, with the number of
// messages that read it (TermCounter.AddN), in the order of its first
// message.
func (g *group) terms(o Options, skip []bool) ([]metrics.Term, error) {
	tc, err := metrics.NewTermCounter(metrics.TermOptions{})
	if err != nil {
		return nil, err
	}
	cut := instantOf(g.last.Add(-o.TermsWindow))
	counted := func(r *record) bool {
		return r.typ == qunops.Message && r.text != "" && r.at.after(cut) && (skip == nil || !skip[r.member])
	}
	n := 0
	for r := range g.recent.all() {
		if counted(r) {
			n++
		}
	}
	texts := make([]string, 0, n)
	var first memberTable // the index in texts of each message's first delivery, by deliveryKey
	for r := range g.recent.all() {
		if !counted(r) {
			continue
		}
		if r.id != "" {
			k := deliveryKey(r)
			if j := first.find(k); j >= 0 {
				texts[j] = min(texts[j], r.text)
				continue
			}
			first.insert(k, int32(len(texts)))
		}
		texts = append(texts, r.text)
	}
	times := make(map[string]int, min(len(texts), 1024))
	distinct := []string{}
	for _, text := range texts {
		if times[text] == 0 {
			distinct = append(distinct, text)
		}
		times[text]++
	}
	for _, text := range distinct {
		tc.AddN(text, times[text])
	}
	top := tc.Top(o.TopTerms)
	if top == nil {
		top = []metrics.Term{}
	}
	return top, nil
}

// deliveryKey is the key of the message r delivers: a 128-bit hash
// (package wordhash) of its ID, member and instant, so that a look-up
// reads no string. Two messages with one key would be taken for one
// (probability about n²/2¹²⁹ for n messages).
func deliveryKey(r *record) memberKey {
	h := wordhash.New()
	h.String(r.id)
	h.Word(uint64(uint32(r.member)))
	h.Word(uint64(r.at.sec))
	h.Word(uint64(r.at.nsec))
	hi, lo := h.Sum()
	return memberKey{hi, lo}
}
