package growth

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/qunops/qunops"
)

// Counts is a histogram of offspring counts, the data a fit needs:
// Counts[k] is the number of members who brought exactly k members. It is
// a sufficient statistic for every law of this package, so a fit costs
// O(len(Counts)), not O(members). Build one from a log with an
// [InviteCounter], or from per-member counts with [CountsOf]. The zero
// value holds no member; a fit of it is an error.
type Counts []int64

// CountsOf returns the histogram of per-member counts. It returns an
// error for a negative count, naming its index. Cost O(len(perMember) +
// the largest count).
func CountsOf(perMember []int) (Counts, error) {
	top := -1
	for i, k := range perMember {
		if k < 0 {
			return nil, fmt.Errorf("growth: count %d at index %d must be at least 0", k, i)
		}
		top = max(top, k)
	}
	c := make(Counts, top+1)
	for _, k := range perMember {
		c[k]++
	}
	return c, nil
}

// validate reports a negative bin, which a Counts built by this package
// never has.
func (c Counts) validate() error {
	for k, n := range c {
		if n < 0 {
			return fmt.Errorf("growth: counts[%d] %d must be at least 0", k, n)
		}
	}
	return nil
}

// N returns the members counted: the exposed population, zero-invite
// members included.
func (c Counts) N() int64 {
	var n int64
	for _, x := range c {
		n += x
	}
	return n
}

// Total returns the members brought in all: Σ k·Counts[k].
func (c Counts) Total() int64 {
	var s int64
	for k, x := range c {
		s += int64(k) * x
	}
	return s
}

// Mean returns the members brought per member, and false when no member
// is counted.
func (c Counts) Mean() (float64, bool) {
	n := c.N()
	if n == 0 {
		return 0, false
	}
	return float64(c.Total()) / float64(n), true
}

// Variance returns the population variance of the counts (divided by N,
// the maximum-likelihood form the fits compare with the mean), and false
// when no member is counted.
func (c Counts) Variance() (float64, bool) {
	m, ok := c.Mean()
	if !ok {
		return 0, false
	}
	var ss float64
	for k, x := range c {
		d := float64(k) - m
		ss += float64(x) * d * d
	}
	return ss / float64(c.N()), true
}

// AtLeast returns the share of members who brought at least k: with k =
// [UnlockInvites], the members who unlocked F16's perk. It is undefined
// when no member is counted.
func (c Counts) AtLeast(k int) qunops.Ratio {
	var num int64
	for j := max(k, 0); j < len(c); j++ {
		num += c[j]
	}
	return qunops.Ratio{Num: num, Den: c.N()}
}

// add returns c + d, bin by bin.
func (c Counts) add(d Counts) Counts {
	if len(d) > len(c) {
		c = append(c, make(Counts, len(d)-len(c))...)
	}
	for k, x := range d {
		c[k] += x
	}
	return c
}

// Invites is what an [InviteCounter] counted for one group, or for all of
// them.
type Invites struct {
	// Group is the group's id; empty for the sum over all groups, where a
	// member of two groups counts once in each.
	Group string
	// Counts is the histogram of invites per exposed member.
	Counts Counts
	// Joins is the joins in the window; Invited those with an inviter (an
	// Actor other than the joiner), each counted once per member and
	// group however often they rejoin.
	Joins, Invited int
	// Outsiders is the inviters who appear in the log only as inviters:
	// counted as exposed, since inviting proves that they were there.
	Outsiders int
}

// InviteCounter counts, from a group's log, how many members each member
// brought in a window: the observed offspring law of the referral tree.
//
// A join event's Actor is its inviter (qunops.Join); a join in the window
// whose Actor is not the joiner credits one invite to the Actor in that
// group. The exposed population, the denominator of every share and fit,
// is every member present in the group at some moment of the window: a
// member whose last event before the window is not a leave (a roster
// snapshot, a join, a message...), a member with any event in the window,
// and an inviter of a join in the window. Members who invited nobody are
// counted with 0: they are most of a group, and a fit without them would
// overstate the law's mean.
//
// The counts are those of the window, not of a member's whole life: a
// member who joined near the end of the window had little time to invite.
// Choose a window that ends well after the joins you study, or compare
// windows.
//
// Events may come in any order and from several logs, with the same
// result: a member invited more than once in the window (a retried event,
// a rejoin) is one invite, credited to the inviter of the earliest of
// those joins (at equal times, the inviter with the smaller id); a leave
// at the same instant as another event of the member before the window
// wins; events after the window are ignored. The zero value is not
// usable; use [NewInviteCounter]. An InviteCounter is not safe for
// concurrent use. Cost: Add is O(1) expected (two map look-ups at most);
// memory is about 100 bytes per member and group, plus the map's keys.
type InviteCounter struct {
	from, to time.Time
	index    map[memberKey]int32
	members  []presence
	groups   map[string]*groupTally
}

type memberKey struct{ group, member string }

// presence is what the counter knows of one member of one group.
type presence struct {
	group     *groupTally
	before    time.Time // time of the latest event before the window
	seen      bool      // an event before the window was seen
	beforeIn  bool      // that event left the member in the group
	inWindow  bool      // an event in the window, or an invite
	outsider  bool      // so far seen only as an inviter
	credited  bool      // counted as the invitee of creditTo
	creditTo  int32     // the inviter credited with this member
	creditAt  time.Time // the time of that join
	credActor string    // that inviter's id, to break ties
	invites   int
}

type groupTally struct {
	joins, invited int
}

// NewInviteCounter returns a counter for the window [from, to). A zero
// from or to leaves that side open. It returns an error when both are set
// and to is not after from.
func NewInviteCounter(from, to time.Time) (*InviteCounter, error) {
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return nil, fmt.Errorf("growth: invite window ends at %v, not after its start %v", to, from)
	}
	return &InviteCounter{from: from, to: to, index: map[memberKey]int32{}, groups: map[string]*groupTally{}}, nil
}

// inWindow reports whether t falls in [from, to).
func (c *InviteCounter) inWindow(t time.Time) bool {
	return (c.from.IsZero() || !t.Before(c.from)) && (c.to.IsZero() || t.Before(c.to))
}

// member returns the index of the record of (group, member), creating it
// (which may move every record: take pointers after the last call).
func (c *InviteCounter) member(group, member string) int32 {
	k := memberKey{group, member}
	if i, ok := c.index[k]; ok {
		return i
	}
	g := c.groups[group]
	if g == nil {
		g = &groupTally{}
		c.groups[group] = g
	}
	if len(c.members) >= math.MaxInt32 {
		panic("growth: invite counter holds more than 2^31-1 members") // 100+ GB of records first
	}
	i := int32(len(c.members))
	c.index[k] = i
	c.members = append(c.members, presence{group: g})
	return i
}

// Add counts one event. It returns the event's validation error (see
// qunops.Event.Validate) and counts nothing for an invalid event.
func (c *InviteCounter) Add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("growth: invite counter: %w", err)
	}
	if !c.to.IsZero() && !e.Time.Before(c.to) {
		return nil // after the window: it says nothing about it
	}
	pi := c.member(e.Group, e.Member)
	p := &c.members[pi]
	p.outsider = false
	if !c.inWindow(e.Time) { // before the window
		out := e.Type == qunops.Leave
		switch {
		case !p.seen || e.Time.After(p.before):
			p.before, p.beforeIn, p.seen = e.Time, !out, true
		case e.Time.Equal(p.before) && out:
			p.beforeIn = false
		}
		return nil
	}
	p.inWindow = true
	if e.Type != qunops.Join {
		return nil
	}
	p.group.joins++
	if e.Actor == "" || e.Actor == e.Member {
		return nil
	}
	// The earliest join credits its inviter (ties: the smaller id), so
	// that the result does not depend on the order of the events.
	earlier := !p.credited || e.Time.Before(p.creditAt) || e.Time.Equal(p.creditAt) && e.Actor < p.credActor
	ii := c.member(e.Group, e.Actor)
	inv := &c.members[ii]
	if !inv.inWindow && !inv.seen {
		inv.outsider = true // until an event of their own shows up
	}
	inv.inWindow = true // inviting proves presence, credited or not
	if !earlier {
		return nil
	}
	p = &c.members[pi]
	if p.credited {
		c.members[p.creditTo].invites--
	} else {
		p.group.invited++
	}
	p.credited, p.creditTo, p.creditAt, p.credActor = true, ii, e.Time, e.Actor
	c.members[ii].invites++
	return nil
}

// Groups returns what was counted per group, sorted by group id. Cost
// O(members + groups log groups).
func (c *InviteCounter) Groups() []Invites {
	byGroup := make(map[*groupTally]*Invites, len(c.groups))
	out := make([]Invites, 0, len(c.groups))
	for id, g := range c.groups {
		out = append(out, Invites{Group: id, Joins: g.joins, Invited: g.invited})
	}
	slices.SortFunc(out, func(a, b Invites) int { return cmp.Compare(a.Group, b.Group) })
	for i := range out {
		byGroup[c.groups[out[i].Group]] = &out[i]
	}
	for i := range c.members {
		p := &c.members[i]
		if !p.inWindow && !(p.seen && p.beforeIn) {
			continue
		}
		inv := byGroup[p.group]
		if p.invites >= len(inv.Counts) {
			inv.Counts = append(inv.Counts, make(Counts, p.invites+1-len(inv.Counts))...)
		}
		inv.Counts[p.invites]++
		if p.outsider {
			inv.Outsiders++
		}
	}
	return out
}

// Total returns the sum of [InviteCounter.Groups] over all groups, with
// an empty Group: a member of two groups counts once in each.
func (c *InviteCounter) Total() Invites {
	return SumInvites(c.Groups())
}

// SumInvites returns the sum of per-group counts, with an empty Group.
func SumInvites(groups []Invites) Invites {
	var t Invites
	for _, g := range groups {
		t.Counts = t.Counts.add(g.Counts)
		t.Joins += g.Joins
		t.Invited += g.Invited
		t.Outsiders += g.Outsiders
	}
	return t
}
