package tiering

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// Tally counts the Activity of every member of every group from events,
// over the policy window that ends at a fixed time now: the window is
// (now-Window, now]. Events may arrive in any order. Events after now are
// ignored; events before the window still count for membership (join,
// leave, presence) and for LastMessage and LastClaim. An event whose
// non-empty ID was already added is ignored, so replaying a log changes
// nothing.
//
// Membership at now follows the event vocabulary: a member is in the group
// when their latest event up to now is not a leave (a leave wins a tie); a
// member seen first in any event other than a join has been in the group
// since before the log began (Joined is zero). A join's Actor, the
// inviter, is credited with an invite and is taken to be in the group at
// that time.
//
// Tallies are mergeable: tallies with the same policy and now, fed any
// split of a set of events, merge into exactly the tally of all of them.
//
// A Tally is not safe for concurrent use; shard and Merge instead.
// Memory is linear in the number of members and of distinct event IDs.
type Tally struct {
	policy     Policy
	now, start time.Time
	groups     map[string]*groupTally
	ids        idSet
	lastName   string
	last       *groupTally
	ignored    int
}

type groupTally struct {
	index memberIndex
	recs  []record
}

// record is one member's counts in one group.
type record struct {
	member                          string
	messages, interactions, invites int32
	claims, warnings                int32
	banned                          bool
	joined                          time.Time // latest join up to now
	present, left                   time.Time // latest non-leave and leave event up to now
	lastMessage, lastClaim          time.Time
}

// NewTally returns an empty tally for the window of p that ends at now. It
// fails when p is invalid or now is the zero time.
func NewTally(p Policy, now time.Time) (*Tally, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if now.IsZero() {
		return nil, fmt.Errorf("tiering: tally end time is zero")
	}
	p = p.resolved()
	return &Tally{
		policy: p,
		now:    now,
		start:  now.Add(-p.Window),
		groups: make(map[string]*groupTally),
	}, nil
}

// Policy returns the tally's policy with defaults filled in.
func (t *Tally) Policy() Policy { return t.policy }

// Now returns the end of the tally's window.
func (t *Tally) Now() time.Time { return t.now }

// Ignored returns the number of events ignored because they happened after
// now. Duplicates are not counted.
func (t *Tally) Ignored() int { return t.ignored }

// Add counts one event. An invalid event (see qunops.Event.Validate) is
// rejected with its error and leaves no trace. Add costs two map lookups
// (three for a join with an inviter, one more for an ID) and does not
// allocate once the member and group are known, apart from growing the set
// of IDs.
func (t *Tally) Add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("tiering: %w", err)
	}
	if e.Time.After(t.now) {
		if e.ID == "" || t.ids.add(keyOf(e.ID)) {
			t.ignored++
		}
		return nil
	}
	inWindow := e.Time.After(t.start)
	if inWindow && e.ID != "" && counts(&e) && !t.ids.add(keyOf(e.ID)) {
		return nil
	}
	g := t.group(e.Group)
	r := g.record(e.Member)
	if e.Type == qunops.Leave {
		if e.Time.After(r.left) {
			r.left = e.Time
		}
		return nil
	}
	if e.Time.After(r.present) {
		r.present = e.Time
	}
	switch e.Type {
	case qunops.Join:
		if e.Time.After(r.joined) {
			r.joined = e.Time
		}
		if e.Actor != "" && e.Actor != e.Member {
			inv := g.record(e.Actor)
			if e.Time.After(inv.present) {
				inv.present = e.Time
			}
			if inWindow {
				inv.invites++
			}
		}
	case qunops.Message:
		if e.Time.After(r.lastMessage) {
			r.lastMessage = e.Time
		}
		if inWindow {
			r.messages++
			r.interactions++
		}
	case qunops.Claim:
		if e.Time.After(r.lastClaim) {
			r.lastClaim = e.Time
		}
		if inWindow {
			r.claims++
			r.interactions++
		}
	case qunops.Checkin:
		if inWindow {
			r.interactions++
		}
	case qunops.Warn:
		if inWindow {
			r.warnings++
			if t.prohibited(e.Actor) {
				r.banned = true
			}
		}
	}
	return nil
}

// counts reports whether e, in the window, adds to a count. Other events
// only move times forward, which a replay cannot change, so Add keeps the
// IDs of counting events only.
func counts(e *qunops.Event) bool {
	switch e.Type {
	case qunops.Message, qunops.Claim, qunops.Checkin, qunops.Warn:
		return true
	case qunops.Join:
		return e.Actor != "" && e.Actor != e.Member
	}
	return false
}

// prohibited reports whether actor is "rule:NAME" for a prohibited rule.
func (t *Tally) prohibited(actor string) bool {
	name, ok := strings.CutPrefix(actor, "rule:")
	return ok && slices.Contains(t.policy.ProhibitedRules, name)
}

func (t *Tally) group(name string) *groupTally {
	if t.last != nil && t.lastName == name {
		return t.last
	}
	g, ok := t.groups[name]
	if !ok {
		g = &groupTally{}
		t.groups[name] = g
	}
	t.lastName, t.last = name, g
	return g
}

// record returns the member's record, adding an empty one if needed. The
// pointer is valid until the next call.
func (g *groupTally) record(member string) *record {
	i, added := g.index.getOrPut(keyOf(member), int32(len(g.recs)))
	if added {
		g.recs = append(g.recs, record{member: member})
	}
	return &g.recs[i]
}

// Merge adds the counts of o to t, as if t had been given every event o
// was given. It fails, changing nothing, when o has another policy or end
// time, or when both were given an event with the same ID (the counts of a
// shared event cannot be told apart from those of two events). o is not
// modified.
func (t *Tally) Merge(o *Tally) error {
	if !t.now.Equal(o.now) {
		return fmt.Errorf("tiering: merge: tally ends at %v, the other at %v", t.now, o.now)
	}
	if t.policy.Window != o.policy.Window || !slices.Equal(t.policy.ProhibitedRules, o.policy.ProhibitedRules) {
		return fmt.Errorf("tiering: merge: window %v and prohibited rules %q differ from %v and %q",
			t.policy.Window, t.policy.ProhibitedRules, o.policy.Window, o.policy.ProhibitedRules)
	}
	if t == o {
		return fmt.Errorf("tiering: merge: a tally cannot merge itself")
	}
	shared := 0
	o.ids.each(func(k idKey) {
		if t.ids.has(k) {
			shared++
		}
	})
	switch {
	case shared == 1:
		return fmt.Errorf("tiering: merge: 1 event ID was added to both tallies")
	case shared > 1:
		return fmt.Errorf("tiering: merge: %d event IDs were added to both tallies", shared)
	}
	o.ids.each(func(k idKey) { t.ids.add(k) })
	t.ignored += o.ignored
	for name, og := range o.groups {
		g := t.group(name)
		for _, or := range og.recs {
			r := g.record(or.member)
			r.messages += or.messages
			r.interactions += or.interactions
			r.invites += or.invites
			r.claims += or.claims
			r.warnings += or.warnings
			r.banned = r.banned || or.banned
			r.joined = later(r.joined, or.joined)
			r.present = later(r.present, or.present)
			r.left = later(r.left, or.left)
			r.lastMessage = later(r.lastMessage, or.lastMessage)
			r.lastClaim = later(r.lastClaim, or.lastClaim)
		}
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Groups returns the groups seen, sorted.
func (t *Tally) Groups() []string {
	out := make([]string, 0, len(t.groups))
	for name := range t.groups {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// Member is one member and their activity.
type Member struct {
	ID       string
	Activity Activity
}

func (r *record) inGroup() bool { return r.present.After(r.left) }

func (r *record) activity() Activity {
	return Activity{
		Joined:       r.joined,
		Messages:     int(r.messages),
		Interactions: int(r.interactions),
		Invites:      int(r.invites),
		Claims:       int(r.claims),
		Warnings:     int(r.warnings),
		LastMessage:  r.lastMessage,
		LastClaim:    r.lastClaim,
		Banned:       r.banned,
	}
}

// Members returns the members in the group at now with their activity,
// sorted by ID. Members who left are not included. It costs O(n log n) for
// n members seen in the group.
func (t *Tally) Members(group string) []Member {
	g := t.groups[group]
	if g == nil {
		return nil
	}
	out := make([]Member, 0, len(g.recs))
	for i := range g.recs {
		if r := &g.recs[i]; r.inGroup() {
			out = append(out, Member{ID: r.member, Activity: r.activity()})
		}
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Activity returns the activity of one member of a group, and whether the
// member is in the group at now.
func (t *Tally) Activity(group, member string) (Activity, bool) {
	g := t.groups[group]
	if g == nil {
		return Activity{}, false
	}
	i, ok := g.index.get(keyOf(member))
	if !ok {
		return Activity{}, false
	}
	r := &g.recs[i]
	return r.activity(), r.inGroup()
}

// Counts classifies every member in the group at now and counts the
// tiers, without building a roster. It costs one Classify per member seen.
func (t *Tally) Counts(group string) Counts {
	var c Counts
	g := t.groups[group]
	if g == nil {
		return c
	}
	for i := range g.recs {
		if r := &g.recs[i]; r.inGroup() {
			tier, _ := t.policy.Classify(r.activity(), t.now)
			c.add(tier, 1)
		}
	}
	return c
}

// Roster classifies the members in the group at now (see Members).
func (t *Tally) Roster(group string) Roster {
	return NewRoster(t.policy, t.Members(group), t.now)
}
