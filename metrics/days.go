package metrics

import (
	"fmt"
	"math/bits"
	"slices"
	"time"
)

// Day is one calendar day of a group, in the tracker's location.
type Day struct {
	Date     time.Time // local midnight: the first instant of the day
	Members  int       // members present at any moment of the day
	Speakers int       // distinct members who sent a message that day
	Messages int       // messages sent that day, by anyone (the group's volume, F2)
	Joins    int       // join events that day
	Leaves   int       // leave events that day
	Activity Ratio     // Speakers / Members (F25); undefined without members
}

// Meaning selects what "retained" means for a retention cohort.
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

// String returns the lowercase name of m.
func (m Meaning) String() string {
	switch m {
	case StillMember:
		return "still member"
	case SpokeOnDay:
		return "spoke on day"
	case SpokeOnOrAfter:
		return "spoke on or after day"
	}
	return fmt.Sprintf("Meaning(%d)", int(m))
}

// Options adjusts the tracker's queries. The zero value means the defaults.
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
	// Default 24 hours (issue 5; the seed gives no window).
	Window time.Duration
}

// DefaultWindow is the default response window of a broadcast (issue 5).
const DefaultWindow = 24 * time.Hour

func (o Options) check() error {
	if o.Retained < StillMember || o.Retained > SpokeOnOrAfter {
		return fmt.Errorf("metrics: options: unknown retention meaning %d", int(o.Retained))
	}
	if o.Window < 0 {
		return fmt.Errorf("metrics: options: response window %v must not be negative", o.Window)
	}
	return nil
}

func (o Options) window() time.Duration {
	if o.Window == 0 {
		return DefaultWindow
	}
	return o.Window
}

func setOf(names []string) map[string]bool {
	if len(names) == 0 {
		return nil
	}
	s := make(map[string]bool, len(names))
	for _, n := range names {
		s[n] = true
	}
	return s
}

// Days returns the group's days: one entry per calendar day in the tracker's
// location, contiguous from the group's first to its last event day, days
// without events included. It returns nil for an unknown group.
//
// A member counts on a day when present at any moment of it: a member with
// an event that day, or a member at the start of it. Membership changes only
// by joins and leaves; a member whose earliest event is not a join counts as
// a member from before the log began. At the same instant a join comes before
// a leave.
//
// Cost: O(members × days + joins and leaves) for the group.
func (t *Tracker) Days(group string) []Day {
	days, _ := t.DaysWith(group, Options{})
	return days
}

// DaysWith is Days with options (only Exclude applies).
func (t *Tracker) DaysWith(group string, o Options) ([]Day, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	g := t.lookup(group)
	if g == nil {
		return nil, nil
	}
	excl := g.bitset(o.Exclude)
	span := int(g.last-g.first) + 1
	out := make([]Day, span)
	// in holds the members at the start of the current day; ends lists,
	// per day, the members whose last join or leave of the day is a join
	// (bit set) or a leave (bit clear) at ends[at[i]:at[i+1]].
	words := (len(g.members) + 63) >> 6
	in := make([]uint64, words)
	at := make([]int32, span+1)
	for mi := range g.members {
		m := &g.members[mi]
		if g.preLog(int32(mi)) {
			in[mi>>6] |= 1 << (uint(mi) & 63)
		}
		for i := range m.trans {
			tr := &m.trans[i]
			if i+1 == len(m.trans) || m.trans[i+1].day != tr.day {
				at[tr.day-g.first+1]++
			}
			if has(excl, int32(mi)) {
				continue
			}
			if tr.join {
				out[tr.day-g.first].Joins++
			} else {
				out[tr.day-g.first].Leaves++
			}
		}
	}
	for i := range span {
		at[i+1] += at[i]
	}
	type end struct {
		mi   int32
		join bool
	}
	ends := make([]end, at[span])
	fill := slices.Clone(at[:span])
	for mi := range g.members {
		m := &g.members[mi]
		for i := range m.trans {
			tr := &m.trans[i]
			if i+1 == len(m.trans) || m.trans[i+1].day != tr.day {
				d := tr.day - g.first
				ends[fill[d]] = end{int32(mi), tr.join}
				fill[d]++
			}
		}
	}
	for i := range out {
		out[i].Date = t.date(g.first + int32(i))
		out[i].Messages = int(g.msgs[i])
		row := g.days[i]
		members, speakers := 0, 0
		for w := range words {
			var present, spoke, x uint64
			if 2*w+1 < len(row) {
				present, spoke = row[2*w], row[2*w+1]
			}
			if w < len(excl) {
				x = excl[w]
			}
			members += bits.OnesCount64((present | in[w]) &^ x)
			speakers += bits.OnesCount64(spoke &^ x)
		}
		out[i].Members, out[i].Speakers = members, speakers
		out[i].Activity = ratioOf(speakers, members)
		for _, e := range ends[at[i]:at[i+1]] {
			if e.join {
				in[e.mi>>6] |= 1 << (uint32(e.mi) & 63)
			} else {
				in[e.mi>>6] &^= 1 << (uint32(e.mi) & 63)
			}
		}
	}
	return out, nil
}

// Cohort is the members who joined a group on one day, and how many of them
// were retained N days later (F26).
type Cohort struct {
	Date     time.Time // local midnight of the join day
	Joined   int       // distinct members with a join that day
	Retained int       // of them, retained on day Date+N (0 while incomplete)
	Rate     Ratio     // Retained / Joined; undefined while incomplete
	Complete bool      // day Date+N has been observed (is not after the group's last day)
}

// Retention returns one cohort per day with joins, in date order, under the
// seed's meaning (still a member at the end of day Date+N, F26). It returns
// nil for an unknown group or a negative n.
func (t *Tracker) Retention(group string, n int) []Cohort {
	c, _ := t.RetentionWith(group, n, Options{})
	return c
}

// RetentionWith is Retention with options (Exclude and Retained apply). A
// negative n is an error.
//
// Cost: O(joins × days) for the meaning SpokeOnOrAfter, O(joins + leaves)
// otherwise.
func (t *Tracker) RetentionWith(group string, n int, o Options) ([]Cohort, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("metrics: retention: day %d must not be negative", n)
	}
	g := t.lookup(group)
	if g == nil {
		return nil, nil
	}
	excl := g.bitset(o.Exclude)
	span := int(g.last-g.first) + 1
	joined := make([]int, span)
	retained := make([]int, span)
	for mi := range g.members {
		if has(excl, int32(mi)) {
			continue
		}
		m := &g.members[mi]
		prev := int32(-1 << 31)
		for i := range m.trans {
			tr := &m.trans[i]
			if !tr.join || tr.day == prev {
				continue
			}
			prev = tr.day
			joined[tr.day-g.first]++
			target := int64(tr.day) + int64(n)
			if target > int64(g.last) {
				continue
			}
			if g.retained(int32(mi), int32(target), o.Retained, i) {
				retained[tr.day-g.first]++
			}
		}
	}
	var out []Cohort
	for i, j := range joined {
		if j == 0 {
			continue
		}
		day := g.first + int32(i)
		c := Cohort{Date: t.date(day), Joined: j}
		if int64(day)+int64(n) <= int64(g.last) {
			c.Complete = true
			c.Retained = retained[i]
			c.Rate = ratioOf(c.Retained, j)
		}
		out = append(out, c)
	}
	return out, nil
}

// retained reports whether member mi, who joined with its i-th join or
// leave, counts as retained on day target (not after the group's last day).
func (g *group) retained(mi, target int32, meaning Meaning, from int) bool {
	switch meaning {
	case SpokeOnDay:
		_, spoke := g.bits(mi, target)
		return spoke
	case SpokeOnOrAfter:
		for d := target; d <= g.last; d++ {
			if _, spoke := g.bits(mi, d); spoke {
				return true
			}
		}
		return false
	}
	m := &g.members[mi]
	state := true
	for i := from; i < len(m.trans) && m.trans[i].day <= target; i++ {
		state = m.trans[i].join
	}
	return state
}

// Week is the weekly activity of a group (F22) over seven calendar days.
type Week struct {
	Start, End time.Time // local midnights of the first and the last day
	Members    int       // distinct members present on any of the days
	Speakers   int       // distinct members who spoke on any of the days
	Rate       Ratio     // Speakers / Members
	// ActiveDays gives, for every member counted in Members, the number of
	// days of the week on which they spoke (0 to 7).
	ActiveDays map[string]int
}

// Weekly returns the week of group that ends with the local day of last
// (Options.Exclude applies). Days outside the group's observed range count as
// days without members.
func (t *Tracker) Weekly(group string, last time.Time, o Options) (Week, error) {
	if err := o.check(); err != nil {
		return Week{}, err
	}
	end := civilDay(last.In(t.Location()).Date())
	start := end - 6
	w := Week{Start: t.date(start), End: t.date(end), ActiveDays: map[string]int{}}
	g := t.lookup(group)
	if g == nil {
		return w, nil
	}
	lo, hi := max(start, g.first), min(end, g.last)
	excl := g.bitset(o.Exclude)
	for mi := range g.members {
		m := &g.members[mi]
		if has(excl, int32(mi)) {
			continue
		}
		state, ti := g.preLog(int32(mi)), 0
		present, spokeDays := false, 0
		for day := lo; day <= hi; day++ {
			for ti < len(m.trans) && m.trans[ti].day < day {
				state = m.trans[ti].join
				ti++
			}
			p, s := g.bits(int32(mi), day)
			present = present || p || state
			if s {
				spokeDays++
			}
		}
		if !present {
			continue
		}
		w.Members++
		w.ActiveDays[m.name] = spokeDays
		if spokeDays > 0 {
			w.Speakers++
		}
	}
	w.Rate = ratioOf(w.Speakers, w.Members)
	return w, nil
}

// QuitRate is the quit rate of seed F42 over the local days of from through
// to: leaves in the period / (members at its start + joins in it), via
// [LeaveRate]. Only effective changes count: a leave of a member who was in
// the group, a join of a member who was not (Options.Exclude applies).
func (t *Tracker) QuitRate(group string, from, to time.Time, o Options) (Ratio, error) {
	if err := o.check(); err != nil {
		return Ratio{}, err
	}
	lo := civilDay(from.In(t.Location()).Date())
	hi := civilDay(to.In(t.Location()).Date())
	if hi < lo {
		return Ratio{}, fmt.Errorf("metrics: quit rate: period ends %v before it starts %v", to, from)
	}
	g := t.lookup(group)
	if g == nil {
		return Ratio{}, nil
	}
	excl := g.bitset(o.Exclude)
	var atStart, joins, leaves int
	for mi := range g.members {
		m := &g.members[mi]
		if has(excl, int32(mi)) {
			continue
		}
		state := g.preLog(int32(mi))
		for _, tr := range m.trans {
			if tr.day >= lo && tr.day <= hi && tr.join != state {
				if tr.join {
					joins++
				} else {
					leaves++
				}
			}
			state = tr.join
		}
		if g.inBefore(int32(mi), lo) {
			atStart++
		}
	}
	return LeaveRate(leaves, atStart, joins)
}

// inBefore reports whether member mi is a member at the start of day.
func (g *group) inBefore(mi, day int32) bool {
	state := g.preLog(mi)
	m := &g.members[mi]
	for i := range m.trans {
		if m.trans[i].day >= day {
			break
		}
		state = m.trans[i].join
	}
	return state
}
