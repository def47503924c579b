package metrics

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"time"
)

// Day is one calendar day of a group, in the tracker's location.
// In JSON its keys are the field names in snake_case and the date RFC 3339,
// like every result type of this package:
//
//	{"date":"2026-03-02T00:00:00+08:00","members":11,"speakers":2,"messages":5,
//	 "joins":1,"leaves":0,"activity":{"num":2,"den":11,"value":0.18181818181818182}}
type Day struct {
	Date     time.Time `json:"date"`     // local midnight: the first instant of the day
	Members  int       `json:"members"`  // members present at any moment of the day
	Speakers int       `json:"speakers"` // distinct members who sent a message that day
	Messages int       `json:"messages"` // messages sent that day, by anyone (the group's volume, F2)
	Joins    int       `json:"joins"`    // join events that day
	Leaves   int       `json:"leaves"`   // leave events that day
	Activity Ratio     `json:"activity"` // Speakers / Members (F25); undefined without members
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
// without events included (at most [MaxSpanDays] of them), dates that the
// location skipped left out (Pacific/Apia has no 2011-12-30). A day's Date is
// its first instant: local midnight, or the end of the gap where a daylight
// saving change skips midnight (America/Santiago 2022-09-11 starts at
// 01:00). It returns nil for an unknown group.
//
// A member counts on a day when present at any moment of it: a member with
// an event that day, or a member at the start of it. Membership changes only
// by joins and leaves; a member whose earliest event is not a join counts as
// a member from before the log began. At the same instant a join comes before
// a leave.
//
// Cost: O(members × days + joins and leaves) for the group, where days is the
// span; a day without events costs a few words.
func (t *Tracker) Days(group string) []Day {
	days, _ := t.DaysWith(group, Options{})
	return days
}

// DaysWith is Days with options (only Exclude applies).
func (t *Tracker) DaysWith(group string, o Options) ([]Day, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	g := t.lookup(group)
	if g == nil || len(g.dayNum) == 0 {
		return nil, nil
	}
	excl := g.bitset(o.Exclude)
	span := int(g.last-g.first) + 1
	out := make([]Day, span)
	entry := g.entries()
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
	skipped := false // a date the location does not have, as Pacific/Apia's 2011-12-30
	for i := range out {
		var exists bool
		out[i].Date, exists = dayStart(g.first+int32(i), t.Location())
		if !exists {
			skipped = true
			out[i].Date = time.Time{}
		}
		var row []uint64
		if e := entry[i]; e >= 0 {
			out[i].Messages = int(g.msgs[e])
			row = g.rows[e]
		}
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
	if skipped {
		// Such a date has no events, joins or leaves: dropping it loses
		// nothing.
		out = slices.DeleteFunc(out, func(d Day) bool { return d.Date.IsZero() })
	}
	return out, nil
}

// Cohort is the members who joined a group on one day, and how many of them
// were retained N days later (F26).
type Cohort struct {
	Date     time.Time `json:"date"`     // local midnight of the join day
	Joined   int       `json:"joined"`   // distinct members with a join that day
	Retained int       `json:"retained"` // of them, retained on day Date+N (0 while incomplete)
	Rate     Ratio     `json:"rate"`     // Retained / Joined; undefined while incomplete
	Complete bool      `json:"complete"` // day Date+N has been observed (is not after the group's last day)
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
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("metrics: retention: day %d must not be negative", n)
	}
	g := t.lookup(group)
	if g == nil || len(g.dayNum) == 0 {
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
		w, bit := 2*int(mi>>6)+1, uint64(1)<<(uint32(mi)&63)
		for di, day := range g.dayNum {
			if row := g.rows[di]; day >= target && w < len(row) && row[w]&bit != 0 {
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
	Start    time.Time `json:"start"`    // local midnight of the first day
	End      time.Time `json:"end"`      // local midnight of the last day
	Members  int       `json:"members"`  // distinct members present on any of the days
	Speakers int       `json:"speakers"` // distinct members who spoke on any of the days
	Rate     Ratio     `json:"rate"`     // Speakers / Members
	// ActiveDays gives, for every member counted in Members, the number of
	// days of the week on which they spoke (0 to 7).
	ActiveDays map[string]int `json:"active_days"`
}

// Weekly returns the week of group that ends with the local day of last
// (Options.Exclude applies). Days outside the group's observed range count as
// days without members.
func (t *Tracker) Weekly(group string, last time.Time, o Options) (Week, error) {
	if err := o.Validate(); err != nil {
		return Week{}, err
	}
	end := civilDay(last.In(t.Location()).Date())
	start := end - 6
	w := Week{Start: t.date(start), End: t.date(end), ActiveDays: map[string]int{}}
	g := t.lookup(group)
	if g == nil || len(g.dayNum) == 0 {
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
	if err := o.Validate(); err != nil {
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

// entries returns, for each day from g's first to its last event day, its
// entry in g's days, or -1 for a day without events. It allocates one int32
// per day of the span, as the callers' results do (see MaxSpanDays).
func (g *group) entries() []int32 {
	out := make([]int32, int(g.last-g.first)+1)
	for i := range out {
		out[i] = -1
	}
	for i, day := range g.dayNum {
		out[day-g.first] = int32(i)
	}
	return out
}

// eachDay calls f with every day of g that has an event, in date order, its
// message count and its row of bits (see group.rows).
func (g *group) eachDay(f func(day, msgs int32, row []uint64)) {
	order := make([]int32, len(g.dayNum))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(g.dayNum[a], g.dayNum[b]) })
	for _, i := range order {
		f(g.dayNum[i], g.msgs[i], g.rows[i])
	}
}

// setDay sets day's message count and row of bits, which g did not have.
func (g *group) setDay(day, msgs int32, row []uint64) {
	di := g.dayIndex(day)
	g.rows[di] = row
	g.msgs[di] = msgs
}

// hasDay reports whether g has an event on day.
func (g *group) hasDay(day int32) bool { return g.findDay(day) >= 0 }

// messagesOn returns the number of messages of g on day.
func (g *group) messagesOn(day int32) int32 {
	if di := g.findDay(day); di >= 0 {
		return g.msgs[di]
	}
	return 0
}
