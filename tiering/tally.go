package tiering

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
)

// Tally counts the Activity of every member of every group from events,
// over the policy window that ends at a fixed time now: the window is
// (now-Window, now]. Events may arrive in any order. Events after now are
// ignored; events before the window still count for membership (join,
// leave, presence) and for LastMessage and LastClaim.
//
// IDs make replays harmless: an event that adds to a count (a message,
// claim, check-in, warning or invite in the window) or that falls after
// now is ignored when the same event was taken before: the same non-empty
// ID and the same facts that the tally reads (group, type, member, actor,
// item and instant; not the text or the UTC offset). Two different events
// that an exporter gave one ID both count, so the result does not depend
// on the order of the events or on how they are split. Any other event only moves times forward, which a replay cannot
// change, so its ID is not kept: replaying a log changes nothing, and the
// tally's memory grows with the events of one window, not of the log.
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
// Memory is linear in the number of members (a 64-byte slot in a table
// kept between 7/16 and 7/8 full, a 64-byte record in a slice, and the ID
// string) and in the number of IDs kept (a 16-byte key in a table kept
// between 3/8 and 3/4 full); see the package documentation for measured
// costs.
type Tally struct {
	policy     Policy
	now, start time.Time
	groups     map[string]*groupTally
	ids        idSet
	lastName   string
	last       *groupTally
	ignored    int
	locs       locTable
}

// groupTally holds the records of a group's members: the hot fields in
// the member table, the rest in cold, by member number. Neither holds
// pointers, so the garbage collector does not scan a million records.
type groupTally struct {
	members memberTable
	cold    []coldRecord // by member number
	names   []string     // by member number
}

// coldRecord is the part of a member's record that joins, leaves, claims
// and warnings update.
type coldRecord struct {
	left, joined, lastClaim   stamp // latest leave, join and claim up to now
	invites, claims, warnings int32
	banned                    bool
}

// stamp is a time.Time without pointers: the Unix second (biased to be
// positive for every valid event time), the nanosecond, and the location
// as an index into the tally's locTable (plus one). The zero stamp is the
// zero time and sorts before every other; stamps of valid event times
// (years 0000..9999) compare like the times.
type stamp struct {
	sec  int64
	nsec int32
	loc  uint32
}

// stampBias makes the Unix second of every valid event time positive:
// year 0 starts near -6.2e10 s, and 2⁴⁰ s is about 1.1e12.
const stampBias = 1 << 40

func (a stamp) after(b stamp) bool {
	return a.sec > b.sec || (a.sec == b.sec && a.nsec > b.nsec)
}

func laterStamp(a, b stamp) stamp {
	if b.after(a) {
		return b
	}
	return a
}

// locTable numbers the locations of the times a tally keeps, so that a
// stamp can give back the time in the location it came with.
type locTable struct {
	locs     []*time.Location
	index    map[*time.Location]uint32
	lastLoc  *time.Location
	lastLocN uint32
}

// number returns the number of loc (from 1), adding it when new.
func (lt *locTable) number(loc *time.Location) uint32 {
	if loc == lt.lastLoc && lt.lastLocN != 0 {
		return lt.lastLocN
	}
	n, ok := lt.index[loc]
	if !ok {
		if lt.index == nil {
			lt.index = make(map[*time.Location]uint32)
		}
		lt.locs = append(lt.locs, loc)
		n = uint32(len(lt.locs))
		lt.index[loc] = n
	}
	lt.lastLoc, lt.lastLocN = loc, n
	return n
}

func (lt *locTable) stamp(t time.Time) stamp {
	return stamp{t.Unix() + stampBias, int32(t.Nanosecond()), lt.number(t.Location())}
}

func (lt *locTable) time(s stamp) time.Time {
	if s.loc == 0 {
		return time.Time{}
	}
	return time.Unix(s.sec-stampBias, int64(s.nsec)).In(lt.locs[s.loc-1])
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
// rejected with its error and leaves no trace. Add costs one probe of a
// table of members (two for a join with an inviter) and, for an event that
// adds to a count and has an ID, one probe of the set of IDs; it does not
// allocate once the member and group are known, apart from growing those
// tables.
func (t *Tally) Add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("tiering: %w", err)
	}
	return t.addValid(&e)
}

func init() {
	trust.TallyAdd = func(t any, e *qunops.Event) error { return t.(*Tally).addValid(e) }
}

// addValid is Add for an event that Validate accepted.
func (t *Tally) addValid(ep *qunops.Event) error {
	e := *ep
	if e.Time.After(t.now) {
		if e.ID == "" || t.ids.add(eventKey(&e)) {
			t.ignored++
		}
		return nil
	}
	inWindow := e.Time.After(t.start)
	if inWindow && e.ID != "" && counts(&e) && !t.ids.add(eventKey(&e)) {
		return nil
	}
	at := t.locs.stamp(e.Time)
	g := t.group(e.Group)
	m := g.member(e.Member)
	if e.Type == qunops.Leave {
		if c := &g.cold[m.name-1]; at.after(c.left) {
			c.left = at
		}
		return nil
	}
	if at.after(m.present) {
		m.present = at
	}
	switch e.Type {
	case qunops.Message:
		if at.after(m.lastMessage) {
			m.lastMessage = at
		}
		if inWindow {
			m.messages++
			m.interactions++
		}
	case qunops.Checkin:
		if inWindow {
			m.interactions++
		}
	case qunops.Claim:
		c := &g.cold[m.name-1]
		if at.after(c.lastClaim) {
			c.lastClaim = at
		}
		if inWindow {
			c.claims++
			m.interactions++
		}
	case qunops.Warn:
		if inWindow {
			c := &g.cold[m.name-1]
			c.warnings++
			if t.prohibited(e.Actor) {
				c.banned = true
			}
		}
	case qunops.Join:
		if c := &g.cold[m.name-1]; at.after(c.joined) {
			c.joined = at
		}
		if e.Actor != "" && e.Actor != e.Member {
			inv := g.member(e.Actor) // may move the slots and records: m is stale
			if at.after(inv.present) {
				inv.present = at
			}
			if inWindow {
				g.cold[inv.name-1].invites++
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

// member returns the member's slot, adding the member with empty records
// if needed. The pointer is valid until the next call.
func (g *groupTally) member(id string) *memberSlot {
	return g.memberKeyed(keyOf(id), id)
}

// memberKeyed is member for an ID whose key k is known (Merge has it in
// the other tally's slot), so that the ID is not hashed again.
func (g *groupTally) memberKeyed(k idKey, id string) *memberSlot {
	s, added := g.members.getOrPut(k, int32(len(g.names)))
	if added {
		g.names = append(g.names, id)
		g.cold = append(g.cold, coldRecord{})
	}
	return s
}

// Merge adds the counts of o to t, as if t had been given every event o
// was given. It fails, changing nothing, when o has another policy or end
// time, or when both took an event with the same ID that adds to a count
// or falls after now (the counts of a shared event cannot be told apart
// from those of two events); other shared events merge exactly. o is not
// modified. Merge costs O(m + k) for m members and k IDs kept in o. (Two
// different events that share an ID are not shared events: see Tally.)
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
	t.ids.reserve(t.ids.n + o.ids.n) // no key is shared (see idSet.reserve)
	o.ids.each(func(k idKey) { t.ids.add(k) })
	t.ignored += o.ignored
	for name, og := range o.groups {
		g := t.group(name)
		// Size the table once for the members o adds (see idSet.reserve),
		// exactly, so that it stays within the load the type doc states.
		added := 0
		for i := range og.members.slots {
			if os := &og.members.slots[i]; os.name != 0 && g.members.get(os.key) == nil {
				added++
			}
		}
		g.members.reserve(g.members.n + added)
		for i := range og.members.slots {
			os := &og.members.slots[i]
			if os.name == 0 {
				continue
			}
			m := g.memberKeyed(os.key, og.names[os.name-1])
			m.messages += os.messages
			m.interactions += os.interactions
			m.present = laterStamp(m.present, t.restamp(o, os.present))
			m.lastMessage = laterStamp(m.lastMessage, t.restamp(o, os.lastMessage))
			c, oc := &g.cold[m.name-1], &og.cold[os.name-1]
			c.invites += oc.invites
			c.claims += oc.claims
			c.warnings += oc.warnings
			c.banned = c.banned || oc.banned
			c.joined = laterStamp(c.joined, t.restamp(o, oc.joined))
			c.left = laterStamp(c.left, t.restamp(o, oc.left))
			c.lastClaim = laterStamp(c.lastClaim, t.restamp(o, oc.lastClaim))
		}
	}
	return nil
}

// restamp turns a stamp of o into one of t (locations are numbered per
// tally).
func (t *Tally) restamp(o *Tally, s stamp) stamp {
	if s.loc != 0 {
		s.loc = t.locs.number(o.locs.locs[s.loc-1])
	}
	return s
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
	ID       string   `json:"id"`
	Activity Activity `json:"activity"`
}

// inGroup reports whether the member of slot m is in the group at now.
func (g *groupTally) inGroup(m *memberSlot) bool {
	return m.name != 0 && m.present.after(g.cold[m.name-1].left)
}

func (t *Tally) activity(g *groupTally, m *memberSlot) Activity {
	c := &g.cold[m.name-1]
	return Activity{
		Joined:       t.locs.time(c.joined),
		Messages:     int(m.messages),
		Interactions: int(m.interactions),
		Invites:      int(c.invites),
		Claims:       int(c.claims),
		Warnings:     int(c.warnings),
		LastMessage:  t.locs.time(m.lastMessage),
		LastClaim:    t.locs.time(c.lastClaim),
		Banned:       c.banned,
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
	out := make([]Member, 0, len(g.names))
	for i := range g.members.slots {
		if m := &g.members.slots[i]; g.inGroup(m) {
			out = append(out, Member{ID: g.names[m.name-1], Activity: t.activity(g, m)})
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
	m := g.members.get(keyOf(member))
	if m == nil {
		return Activity{}, false
	}
	return t.activity(g, m), g.inGroup(m)
}

// Counts classifies every member in the group at now and counts the
// tiers, without building a roster. It costs one Classify per member seen.
func (t *Tally) Counts(group string) Counts {
	var c Counts
	g := t.groups[group]
	if g == nil {
		return c
	}
	for i := range g.members.slots {
		if m := &g.members.slots[i]; g.inGroup(m) {
			tier, _ := t.policy.Classify(t.activity(g, m), t.now)
			c.add(tier, 1)
		}
	}
	return c
}

// Roster classifies the members in the group at now (see Members).
func (t *Tally) Roster(group string) Roster {
	return NewRoster(t.policy, t.Members(group), t.now)
}
