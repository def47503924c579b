package metrics

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
)

// Tracker accumulates the events of any number of groups and answers the
// day-by-day figures of each: members, speakers, messages, joins and leaves
// per calendar day ([Tracker.Days]), retention cohorts ([Tracker.Retention]),
// broadcasts with their reach and response ([Tracker.Broadcasts]), weekly
// activity, quit rates and health verdicts.
//
// Events may be added in any order. An event whose non-empty ID was already
// added to the same group, with the same type, member, item and instant, is
// ignored: it is a second delivery of one event, however its text, actor or
// UTC offset differ. An ID names one event and an event belongs to one
// group, so this is plain deduplication; an exporter that numbers each
// group's events on its own (the same ID in two groups) keeps both. If two
// different events of one group share an ID (a broken or hostile export),
// both count: which one is "first" depends on the order of the log and on
// how it was split, and no rule that picks one can merge exactly without
// keeping every event to undo (see eventKey). The tracker keeps 95 bits of
// a 128-bit hash of each ID and those facts, not the ID itself (see idSet:
// a false duplicate has probability below 10⁻¹⁴ for ten million IDs in one
// group). Adding events to several trackers in any split and merging them
// ([Tracker.Merge]) gives exactly what one tracker would give.
//
// Add holds up to 64 events back and applies them together, which lets their
// lookups in the ID tables and member indexes overlap (see Tracker.flush);
// every method that answers a question applies them first, so the answers are
// the same as if each event had been applied at once. The held events keep their
// type, member, item and time strings alive until then, in a queue of up to
// 7 KiB.
//
// [Tracker.MarshalBinary] and [Tracker.UnmarshalBinary] ship a tracker to
// another process exactly, ID state included, so that partial trackers built
// on several machines merge as if built on one.
//
// The zero value is an empty tracker for Asia/Shanghai
// ([qunops.DefaultLocation]). A Tracker is not safe
// for concurrent use, not even by readers only (a read may apply held
// events); shard by group or merge per-goroutine trackers instead.
//
// Memory: per group, two bits per member and day with an event of the
// group, plus about 70 bytes per such day (a day nobody was active in costs
// nothing, however long the group's span; see [MaxSpanDays]); per member
// about 80 bytes (its record and its index slot) plus one transition record
// per join or leave; per event ID a 16-byte table slot, the table kept 41%
// to 81% full. Add costs O(1) amortized (a join or leave out of time
// order waits in an unsorted tail of its member's list, sorted in by the
// next read or once the tail is as long as the list: O(log n) amortized).
type Tracker struct {
	loc    *time.Location
	groups []*group
	byName map[string]int32

	last  *group   // the group of the previous Add, a cache
	cache dayCache // the local day of the previous Add, a cache

	queue   []queued // the accepted events not yet applied (see flush)
	touched uint64   // keeps flush's loads from being optimized away
	// unsettled are the groups with a member whose joins and leaves have
	// an unsorted tail (see insertTrans).
	unsettled []*group
	// expectIDs, when not nil, estimates the events with an ID of some
	// groups (trust.TrackerExpectIDs): a group's ID table is made for
	// them when the group is created. Read only; shared.
	expectIDs map[string]int
}

// dayCache holds one local calendar day as the half-open range of Unix
// seconds [lo, hi), so that events of the same day skip the time zone lookup.
type dayCache struct {
	lo, hi int64
	day    int32
	ok     bool
}

// instant is a point in time, comparable cheaply.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (a instant) less(b instant) bool {
	return a.sec < b.sec || (a.sec == b.sec && a.nsec < b.nsec)
}

// transition is a join or a leave of one member.
type transition struct {
	at   instant
	day  int32
	join bool
	// id is the key of the event's ID, if it has one (hasID), for Merge.
	id    idKey
	hasID bool
}

// after reports whether tr sorts after o: by instant, and at the same instant
// a leave after a join.
func (tr *transition) after(o *transition) bool {
	if tr.at != o.at {
		return o.at.less(tr.at)
	}
	return !tr.join && o.join
}

// member is what a group knows of one member besides its bits in the days.
type member struct {
	name string
	// trans are the joins and leaves, sorted by transition.after; between
	// reads, trans[sorted:] is a tail in the order added (insertTrans).
	trans  []transition
	sorted int32
}

// noInstant is later than every instant of an event (nanoseconds never reach
// MaxInt32): the earliest non-join event of a member who has none.
var noInstant = instant{math.MaxInt64, math.MaxInt32}

// group is what a tracker knows of one group. Members are numbered in order
// of appearance; the per-day facts are bit sets over those numbers, so the
// events of one day of one group touch a few hundred bytes.
type group struct {
	name    string
	index   memberIndex
	members []member
	// firsts holds, per member, the earliest event other than a join, or
	// noInstant: a member first seen in such an event has been a member
	// since before the log began.
	firsts []instant
	// seen has bit mi set when member mi has an event other than a join,
	// and latest is the latest instant of any event: an event at or after
	// latest cannot be the earliest of a member in seen, which spares a
	// time-ordered log the look at firsts.
	seen   []uint64
	latest instant
	// Only days with an event are stored (see MaxSpanDays): dayNum lists
	// them in order of their first event, rows and msgs hold one entry per
	// entry of dayNum, and dayAt maps a day to its entry. first and last
	// are the group's first and last event day, when dayNum is not empty;
	// curDay and curIdx cache the entry of the last day looked up.
	dayNum         []int32
	dayAt          map[int32]int32
	first, last    int32
	curDay, curIdx int32
	// rows holds per day the members with an event that day in word 2w
	// (bit i for member 64w+i) and those who sent a message in word 2w+1.
	// A day's row ends after its highest member with an event.
	rows [][]uint64
	msgs []int32 // messages per day
	// items are the broadcast items by name.
	items map[string]*item
	// ids holds every event ID seen in the group, with the event's day for
	// messages (the per-day message counts depend on it, see Merge).
	ids idSet
	// queued counts the events with an ID of the group in Tracker.queue
	// while flush makes room for them.
	queued int
	// unsorted lists the members whose trans have an unsorted tail (a
	// member may be listed twice).
	unsorted []int32
	// hints maps a caller's numbers of the group's members to the
	// group's, plus one (0: not known yet), so that a caller who numbers
	// members anyway spares the tracker its look-up (see addHinted).
	// Merge and Absorb drop it: a merge may renumber either side.
	hints []int32
}

// notMessage marks an ID whose event is not a message.
const notMessage = math.MinInt32

// item is a broadcast item (a message with an Item) and its reads and claims.
type item struct {
	sent    instant // the earliest broadcast, valid when hasSent
	hasSent bool
	readers memberSet
	claims  map[int32]*claimSet // claim instants per member index
}

// NewTracker returns an empty tracker that buckets events into calendar days
// in loc; nil means Asia/Shanghai, [qunops.DefaultLocation] (UTC+8, which
// needs no time zone database and is exact since 1991; for older dates pass
// time.LoadLocation("Asia/Shanghai")).
func NewTracker(loc *time.Location) *Tracker {
	return &Tracker{loc: qunops.LocationOr(loc)}
}

// Location returns the location whose calendar days the tracker counts.
func (t *Tracker) Location() *time.Location {
	t.loc = qunops.LocationOr(t.loc)
	return t.loc
}

// Groups returns the ids of the groups seen so far, sorted.
func (t *Tracker) Groups() []string {
	t.flush()
	out := make([]string, len(t.groups))
	for i, g := range t.groups {
		out[i] = g.name
	}
	slices.Sort(out)
	return out
}

// Len returns the number of distinct events with an ID seen so far: IDs,
// counted again for each different event that shares one (see Tracker).
// Events without an ID are not counted.
func (t *Tracker) Len() int {
	t.flush()
	n := 0
	for _, g := range t.groups {
		n += g.ids.n
	}
	return n
}

// Add records e. A bad event (see [qunops.Event.Validate]), one that
// would make its group span more than [MaxSpanDays] calendar days, or one
// whose date in the tracker's zone falls outside the years 0 to 9999 (the
// years that RFC 3339 and so JSON can write: 9999-12-31T23:00:00Z is in
// the year 10000 in Asia/Shanghai) is rejected with an error and leaves no
// trace; an event whose non-empty ID
// was already added to the same group with the same type, member, item and
// instant is ignored (see Tracker). Every event is evidence that its member was
// in the group on its local day; joins and leaves also change membership,
// messages count as speech, and messages with an Item, reads and claims feed
// [Tracker.Broadcasts].
//
// Add allocates nothing in the common case (a known member of a known group on
// a day already covered), apart from growing the ID table.
func (t *Tracker) Add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("metrics: add: %w", err)
	}
	return t.addValid(&e, -1, nil)
}

func init() {
	trust.TrackerAdd = func(t any, e *qunops.Event) error { return t.(*Tracker).addValid(e, -1, nil) }
	trust.TrackerSpan = func(t any, group string) (int64, time.Time, time.Time) {
		return t.(*Tracker).span(group)
	}
	trust.TrackerExpectIDs = func(t any, ids map[string]int) { t.(*Tracker).expectIDs = ids }
	trust.TrackerAddHinted = func(t any, e *qunops.Event, hint int32, key *[2]uint64) error {
		return t.(*Tracker).addValid(e, hint, (*idKey)(key))
	}
}

// addValid is Add for an event that Validate accepted. A hint of 0 or
// more is the caller's number of e.Member in e.Group (see
// trust.TrackerAddHinted): the tracker remembers which of its members
// each number named, and looks a member up by name only the first time
// its number comes. A negative hint means none. key, when not nil, is
// eventKey(ep).
func (t *Tracker) addValid(ep *qunops.Event, hint int32, key *idKey) error {
	e := ep
	if t.byName == nil {
		t.init()
	}
	day := t.dayOf(e.Time)
	if day < firstDay || day > lastDay {
		return fmt.Errorf("metrics: add: %s event of member %q in group %q at %s (id %q) falls on %s in %s, outside the years 0 to 9999 that dates are written in",
			e.Type, e.Member, e.Group, e.Time.Format(time.RFC3339Nano), e.ID, e.Time.In(t.loc).Format(time.DateOnly), t.loc)
	}
	g := t.last
	if g == nil || g.name != e.Group {
		g = nil
		if gi, ok := t.byName[e.Group]; ok {
			g = t.groups[gi]
		}
	}
	if g != nil {
		if len(g.dayNum) == 0 || day < g.first || day > g.last {
			// A day outside the group's range: rare (twice per new day in
			// a time-ordered log, the second time because the day's first
			// event is still queued), so apply the queue to know the range.
			t.applyQueue()
			if span := g.spanWith(day); span > MaxSpanDays {
				lo, hi := min(g.first, day), max(g.last, day)
				return fmt.Errorf("metrics: add: %s event of member %q in group %q at %s (id %q) would make the group span %d days, %s to %s, more than MaxSpanDays (%d)",
					e.Type, e.Member, e.Group, e.Time.Format(time.RFC3339Nano), e.ID, span, t.date(lo).Format(time.DateOnly), t.date(hi).Format(time.DateOnly), MaxSpanDays)
			}
		}
	}
	if g == nil {
		g = t.group(e.Group)
	}
	t.last = g
	// The event waits in the queue until what it needs is (likely) in
	// cache; see flush.
	q := queued{g: g, typ: e.Type, member: e.Member, item: e.Item, time: e.Time, day: day, hint: hint}
	if e.ID != "" {
		if key != nil {
			q.key = *key
		} else {
			q.key = eventKey(e)
		}
		q.hasID = true
	}
	t.queue = append(t.queue, q)
	if len(t.queue) >= queueLen {
		t.applyQueue()
	}
	return nil
}

// MaxSpanDays is the most calendar days, first and last included, that the
// events of one group may span (ours: about 27 years, longer than any chat
// group has kept a log; WeChat groups date from 2011, QQ groups from 2003).
// A Tracker stores only the days with events, so memory does not grow with
// the span; but [Tracker.Days] lists every day of it, so two events 9,000
// years apart in a hostile log would ask for 3.3 million days of output.
// [Tracker.Add] rejects an event that would make its group span more, with
// an error naming the event; [Tracker.Merge] and [Tracker.UnmarshalBinary]
// reject a group that would. Which of two far-apart events is rejected
// depends on the order they arrive, so a caller that needs a result
// independent of order (sharded builds) should treat the error as fatal.
const MaxSpanDays = 10000

// queueLen is the number of events that Add holds back before it looks
// their IDs and members up together.
const queueLen = 64

// queued is what the tracker uses of an event that Add accepted: its group,
// the key of its ID if it has one, its type, member, item and time.
type queued struct {
	g      *group
	key    idKey
	mh     uint64 // the hash of member in g.index
	typ    qunops.EventType
	member string
	item   string
	time   time.Time
	mi     int32 // the number of member in g, or -1 if not known yet
	day    int32 // the local day of time
	hint   int32 // the caller's number of member, or -1 (see addValid)
	hasID  bool  // whether the event has an ID, whose key is key
}

// flush applies the queued events (applyQueue) and sorts in the joins and
// leaves that came out of order (insertTrans). Every method that reads the
// tracker flushes first, so the queue and the tails are invisible but for
// speed.
func (t *Tracker) flush() {
	t.applyQueue()
	for _, g := range t.unsettled {
		for _, mi := range g.unsorted {
			g.members[mi].settle()
		}
		g.unsorted = g.unsorted[:0]
	}
	clear(t.unsettled)
	t.unsettled = t.unsettled[:0]
}

// applyQueue applies the queued events in the order they were added,
// skipping those whose ID their group has seen, and leaves the joins and
// leaves that came out of order in their members' unsorted tails (flush
// sorts them in); Add calls it, since it reads no member's joins and
// leaves.
//
// A group's ID table of millions of slots lives in main memory, and looking
// up an ID on its own costs a cache miss the processor waits for; so does a
// member's slot in the group's index and the member's record. It works in
// three passes over the queue, each made of loads that do not depend on each
// other, so that their misses overlap: the first touches the first two cache
// lines of each ID's probe sequence and the home slot of each member name;
// the second looks the members up; the third looks the IDs up and applies
// the events, in order, with what they need in cache. A member whose
// number the caller hinted, and who was seen with that hint before, is
// not looked up at all.
func (t *Tracker) applyQueue() {
	if len(t.queue) == 0 {
		return
	}
	// Make room in each group's ID table for all its queued IDs, before
	// any slot is touched: growing the table moves every slot.
	for i := range t.queue {
		if q := &t.queue[i]; q.hasID {
			q.g.queued++
		}
	}
	for i := range t.queue {
		if g := t.queue[i].g; g.queued > 0 {
			g.ids.reserve(g.queued)
			g.queued = 0
		}
	}
	var sum uint64
	for i := range t.queue {
		q := &t.queue[i]
		if q.hasID {
			ids := &q.g.ids
			k := slotKey(q.key)
			h, mask := k.home(ids.shift), len(ids.slots)-1
			sum += ids.slots[h].hi + ids.slots[(h+4)&mask].hi
		}
		if h := q.hint; h >= 0 && int(h) < len(q.g.hints) && q.g.hints[h] != 0 {
			q.mi = q.g.hints[h] - 1
			sum += uint64(q.g.firsts[q.mi].sec) // noteFirst reads it
			continue
		}
		q.mh = q.g.index.hash(q.member)
		sum += q.g.index.touch(q.mh)
		q.mi = lookUp
	}
	t.touched += sum
	for i := range t.queue {
		if q := &t.queue[i]; q.mi == lookUp {
			q.mi = q.g.index.find(q.g.members, q.member, q.mh)
		}
	}
	for i := range t.queue {
		q := &t.queue[i]
		t.apply(q)
	}
	clear(t.queue) // drop the strings
	t.queue = t.queue[:0]
}

// apply records the event of q, unless its group has seen its ID. With an
// ID, the group's table must have room (see idSet.reserve).
func (t *Tracker) apply(q *queued) {
	g, key, hasID := q.g, q.key, q.hasID
	var slot int
	if hasID {
		var dup bool
		if slot, dup = g.ids.lookup(slotKey(key)); dup {
			return
		}
	}
	day := q.day
	mi := q.mi
	if mi < 0 {
		mi = g.memberHashed(q.member, q.mh)
	}
	if h := q.hint; h >= 0 {
		g.hint(h, mi)
	}
	at := instantOf(q.time)
	di := g.dayIndex(day)
	g.mark(mi, di, q.typ == qunops.Message)
	ref := int32(notMessage)
	switch q.typ {
	case qunops.Join, qunops.Leave:
		t.insertTrans(g, mi, transition{at: at, day: day, join: q.typ == qunops.Join, id: key, hasID: hasID})
	case qunops.Message:
		g.msgs[di]++
		ref = day
		if q.item != "" {
			it := g.item(q.item)
			if !it.hasSent || at.less(it.sent) {
				it.sent, it.hasSent = at, true
			}
		}
	case qunops.Read:
		g.item(q.item).read(mi)
	case qunops.Claim:
		g.item(q.item).claim(mi, at)
	}
	if q.typ != qunops.Join {
		g.noteFirst(mi, at)
	}
	if g.latest.less(at) {
		g.latest = at
	}
	if hasID {
		g.ids.put(slot, slotKey(key), ref)
	}
}

// span returns the number of days that Days lists for group, from its
// first event's day to its last, and those two days' dates; 0 for a group
// without events.
func (t *Tracker) span(group string) (days int64, first, last time.Time) {
	g := t.lookup(group) // flushes
	if g == nil || len(g.dayNum) == 0 {
		return 0, time.Time{}, time.Time{}
	}
	return int64(g.last) - int64(g.first) + 1, t.date(g.first), t.date(g.last)
}

func (t *Tracker) init() {
	t.loc = qunops.LocationOr(t.loc)
	if t.byName == nil {
		t.byName = make(map[string]int32)
	}
}

// dayOf returns the local calendar day of tm as days since 1970-01-01.
func (t *Tracker) dayOf(tm time.Time) int32 {
	s := tm.Unix()
	if c := &t.cache; c.ok && s >= c.lo && s < c.hi {
		return c.day
	}
	local := tm.In(t.loc)
	y, mo, d := local.Date()
	day := civilDay(y, mo, d)
	// Cache the day only where its bounds provably enclose it. Within one
	// zone period (between two changes of offset) local time only grows,
	// so if both ends of a range inside it carry date y-mo-d, everything
	// between does too. Across a change it need not: America/Goose_Bay
	// went back from 00:01 to 23:01 of the day before, so that date came
	// back after the next had begun. Clamping to the period of tm also
	// guards zones whose midnight is skipped or repeated.
	lo := time.Date(y, mo, d, 0, 0, 0, 0, t.loc).Unix()
	hi := time.Date(y, mo, d+1, 0, 0, 0, 0, t.loc).Unix()
	start, end := local.ZoneBounds() // zero when unbounded
	if !start.IsZero() {
		lo = max(lo, start.Unix())
	}
	if !end.IsZero() {
		hi = min(hi, end.Unix())
	}
	t.cache.ok = false
	if lo <= s && s < hi && sameDate(time.Unix(lo, 0).In(t.loc), y, mo, d) && sameDate(time.Unix(hi-1, 0).In(t.loc), y, mo, d) {
		t.cache = dayCache{lo: lo, hi: hi, day: day, ok: true}
	}
	return day
}

func sameDate(tm time.Time, y int, mo time.Month, d int) bool {
	y2, mo2, d2 := tm.Date()
	return y == y2 && mo == mo2 && d == d2
}

// firstDay and lastDay are the first and last days a tracker takes
// events on: the years a date in RFC 3339 can have.
var firstDay, lastDay = civilDay(0, time.January, 1), civilDay(9999, time.December, 31)

// civilDay numbers the calendar date y-mo-d as days since 1970-01-01 (UTC
// has no daylight saving time, so this is exact calendar arithmetic).
func civilDay(y int, mo time.Month, d int) int32 {
	s := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix()
	q := s / 86400
	if s%86400 < 0 {
		q--
	}
	return int32(q)
}

// date returns the first instant of day in the tracker's location: local
// midnight, or the end of the gap where a daylight saving change skips
// midnight. For a date the location skipped (Pacific/Apia went from
// 2011-12-29 to 2011-12-31) it returns the first instant after it.
func (t *Tracker) date(day int32) time.Time {
	start, _ := dayStart(day, t.Location())
	return start
}

// dayStart returns the first instant of the calendar date of day (days since
// 1970-01-01) in loc, and whether loc has that date at all.
//
// time.Date alone is not enough: it may place a midnight that a daylight
// saving change skips (America/Santiago 2022-09-11, America/Havana
// 2023-03-12) before the gap, on the previous date, or give the later of two
// midnights where clocks go back across one. The first instant of a date is
// either a local midnight under the offset in effect then, or a zone
// change: so the candidates are the midnights under the offsets of the zone
// periods around time.Date's answer, and those periods' bounds.
func dayStart(day int32, loc *time.Location) (time.Time, bool) {
	y, mo, d := time.Unix(int64(day)*86400, 0).UTC().Date()
	midnight := int64(day) * 86400 // the date's local midnight read as UTC
	var best time.Time
	found := false
	consider := func(x time.Time) {
		if x.IsZero() || !sameDate(x, y, mo, d) || (found && !x.Before(best)) {
			return
		}
		best, found = x, true
	}
	// underOffsetOf considers midnight under the offset of the zone period
	// holding at, if that offset is in effect at that midnight.
	underOffsetOf := func(at time.Time) {
		_, off := at.Zone()
		x := time.Unix(midnight-int64(off), 0).In(loc)
		if _, o := x.Zone(); o == off {
			consider(x)
		}
	}
	c := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	if sameDate(c, y, mo, d) {
		// The common case: c is a midnight inside a zone period, so the
		// instant before it has the same offset and the date before; and
		// the period before this one ended before the date began (in
		// Antarctica/Casey it did not: clocks went back from 02:00 to 23:00
		// the day before, after midnight had passed once).
		start, _ := c.ZoneBounds()
		if start.IsZero() || start.Before(c) && civilDay(start.Add(-time.Nanosecond).Date()) < day {
			return c, true
		}
	}
	for range 3 {
		consider(c)
		start, end := c.ZoneBounds()
		consider(start)
		consider(end)
		underOffsetOf(c)
		if !start.IsZero() {
			underOffsetOf(start.Add(-time.Nanosecond))
		}
		if !end.IsZero() {
			underOffsetOf(end)
		}
		// The instant before the best candidate must be on an earlier
		// date; if not (two changes within hours), look again from it.
		if !found {
			break
		}
		prev := best.Add(-time.Nanosecond)
		if !sameDate(prev, y, mo, d) {
			return best, true
		}
		c = prev
	}
	if found {
		return best, true
	}
	// No instant carries the date: the first instant after it is the start
	// of the zone period that jumps over it.
	start, end := c.ZoneBounds()
	if civilDay(c.Date()) < day {
		return end, false
	}
	return start, false
}

// group returns the named group, creating it.
func (t *Tracker) group(name string) *group {
	if g := t.last; g != nil && g.name == name {
		return g
	}
	gi, ok := t.byName[name]
	if !ok {
		gi = int32(len(t.groups))
		g := &group{name: strings.Clone(name), index: newMemberIndex()}
		if n := t.expectIDs[name]; n > 0 {
			g.ids.reserve(n)
		}
		t.groups = append(t.groups, g)
		t.byName[g.name] = gi // the copy, see memberHashed
	}
	t.last = t.groups[gi]
	return t.last
}

// lookup returns the named group or nil.
func (t *Tracker) lookup(name string) *group {
	t.flush()
	gi, ok := t.byName[name]
	if !ok {
		return nil
	}
	return t.groups[gi]
}

// member returns the number of the named member, creating it.
func (g *group) member(name string) int32 {
	return g.memberHashed(name, g.index.hash(name))
}

// find returns the number of the named member, or -1.
func (g *group) find(name string) int32 {
	return g.index.find(g.members, name, g.index.hash(name))
}

// memberHashed is member for a name whose hash in g.index is h.
func (g *group) memberHashed(name string, h uint64) int32 {
	if mi := g.index.find(g.members, name, h); mi >= 0 {
		return mi
	}
	mi := int32(len(g.members))
	// A copy: the event's strings may share a block with many lines
	// (qunops.Decoder.ShareStrings), which a kept name would keep.
	g.members = append(g.members, member{name: strings.Clone(name)})
	g.firsts = append(g.firsts, noInstant)
	if int(mi>>6) == len(g.seen) {
		g.seen = append(g.seen, 0)
	}
	g.index.insert(g.members, mi, h)
	return mi
}

// lookUp marks a queued event whose member flush must look up by name.
const lookUp = -2

// hint records that the caller's number h names member mi.
func (g *group) hint(h, mi int32) {
	if int(h) >= len(g.hints) {
		g.hints = append(g.hints, make([]int32, int(h)+1-len(g.hints))...)
	}
	g.hints[h] = mi + 1
}

// noteFirst records a non-join event of member mi at at.
func (g *group) noteFirst(mi int32, at instant) {
	w, bit := mi>>6, uint64(1)<<(uint32(mi)&63)
	if g.seen[w]&bit != 0 && !at.less(g.latest) {
		return
	}
	g.seen[w] |= bit
	if at.less(g.firsts[mi]) {
		g.firsts[mi] = at
	}
}

// dayIndex returns the entry of day in g's days, creating it. Events come
// mostly in time order, so the entry of the previous look-up is tried
// first.
func (g *group) dayIndex(day int32) int32 {
	if day == g.curDay && len(g.dayNum) != 0 {
		return g.curIdx
	}
	i, ok := g.dayAt[day]
	if !ok {
		if g.dayAt == nil {
			g.dayAt = make(map[int32]int32)
			g.first, g.last = day, day
		}
		i = int32(len(g.dayNum))
		g.dayAt[day] = i
		g.dayNum = append(g.dayNum, day)
		g.rows = append(g.rows, nil)
		g.msgs = append(g.msgs, 0)
		g.first, g.last = min(g.first, day), max(g.last, day)
	}
	g.curDay, g.curIdx = day, i
	return i
}

// findDay returns the entry of day in g's days, or -1.
func (g *group) findDay(day int32) int32 {
	if day == g.curDay && len(g.dayNum) != 0 {
		return g.curIdx
	}
	if i, ok := g.dayAt[day]; ok {
		return i
	}
	return -1
}

// spanWith returns the number of days from g's first to its last event
// day, both included, were an event added on day.
func (g *group) spanWith(day int32) int64 {
	if len(g.dayNum) == 0 {
		return 1
	}
	return int64(max(g.last, day)) - int64(min(g.first, day)) + 1
}

// row returns the words of day entry di with room for member mi.
func (g *group) row(mi, di int32) []uint64 {
	row := g.rows[di]
	if w := 2*int(mi>>6) + 1; w >= len(row) {
		// Room for every member so far: members are numbered in order of
		// appearance, so a day's row grows once per 64 new members.
		n := max(w+1, 2*((len(g.members)+63)>>6))
		row = append(row, make([]uint64, n-len(row))...)
		g.rows[di] = row
	}
	return row
}

// mark records an event of member mi on day entry di, and speech if spoke.
func (g *group) mark(mi, di int32, spoke bool) {
	row := g.row(mi, di)
	w := 2 * int(mi>>6)
	bit := uint64(1) << (uint32(mi) & 63)
	row[w] |= bit
	if spoke {
		row[w+1] |= bit
	}
}

// bits reports whether member mi had an event, and whether mi spoke, on day.
func (g *group) bits(mi, day int32) (present, spoke bool) {
	di := g.findDay(day)
	if di < 0 {
		return false, false
	}
	row := g.rows[di]
	w := 2 * int(mi>>6)
	if w >= len(row) {
		return false, false
	}
	bit := uint64(1) << (uint32(mi) & 63)
	return row[w]&bit != 0, row[w+1]&bit != 0
}

// bitset returns the set of the listed members of g, nil if none is known.
func (g *group) bitset(names []string) []uint64 {
	var set []uint64
	for _, n := range names {
		if mi := g.find(n); mi >= 0 {
			if set == nil {
				set = make([]uint64, (len(g.members)+63)>>6)
			}
			set[mi>>6] |= 1 << (uint32(mi) & 63)
		}
	}
	return set
}

// has reports whether member mi is in set.
func has(set []uint64, mi int32) bool {
	w := int(mi >> 6)
	return w < len(set) && set[w]&(1<<(uint32(mi)&63)) != 0
}

func (g *group) item(name string) *item {
	it, ok := g.items[name]
	if !ok {
		if g.items == nil { // most groups broadcast nothing
			g.items = map[string]*item{}
		}
		it = &item{}
		g.items[strings.Clone(name)] = it // see memberHashed
	}
	return it
}

func (it *item) read(mi int32) { it.readers.add(mi) }

func (it *item) isReader(mi int32) bool { return it.readers.has(mi) }

func (it *item) claim(mi int32, at instant) {
	if it.claims == nil {
		it.claims = make(map[int32]*claimSet)
	}
	cs := it.claims[mi]
	if cs == nil {
		cs = &claimSet{}
		it.claims[mi] = cs
	}
	cs.add(at)
}

// insertTrans adds tr to the joins and leaves of member mi of g. One in
// time order is appended; one out of order goes to an unsorted tail, which
// flush sorts in before any read, or insertTrans itself once it is as long
// as the sorted part: so a member's list is sorted in O(n log n) however
// the log orders it, where inserting each in place cost O(n²) for a log in
// reverse order (issue 18: 200,000 joins and leaves of one member, 19 MB,
// took 12.6 s).
func (t *Tracker) insertTrans(g *group, mi int32, tr transition) {
	m := &g.members[mi]
	n := len(m.trans)
	if int(m.sorted) == n && (n == 0 || !m.trans[n-1].after(&tr)) {
		m.trans = append(m.trans, tr)
		m.sorted++
		return
	}
	if int(m.sorted) == n {
		if len(g.unsorted) == 0 {
			t.unsettled = append(t.unsettled, g)
		}
		g.unsorted = append(g.unsorted, mi)
	}
	m.trans = append(m.trans, tr)
	if len(m.trans)-int(m.sorted) > max(16, int(m.sorted)) {
		m.settle()
	}
}

// settle sorts m's unsorted tail in. The sort is stable, so the list is
// what inserting each join or leave in place, in the order added, gave:
// by transition.after, ties in the order added.
func (m *member) settle() {
	if int(m.sorted) == len(m.trans) {
		return
	}
	slices.SortStableFunc(m.trans, func(a, b transition) int { return compareTransitions(&a, &b) })
	m.sorted = int32(len(m.trans))
}

// compareTransitions orders joins and leaves as transition.after does.
func compareTransitions(a, b *transition) int {
	switch {
	case a.after(b):
		return 1
	case b.after(a):
		return -1
	}
	return 0
}

// preLog reports whether member mi counts as a member since before the log
// began: its earliest event is not a join (at the same instant a join comes
// first).
func (g *group) preLog(mi int32) bool {
	first := g.firsts[mi]
	if first == noInstant {
		return false
	}
	m := &g.members[mi]
	for i := range m.trans {
		if m.trans[i].join {
			return first.less(m.trans[i].at)
		}
	}
	return true
}

// inAt reports whether m is a member at the instant at: the last join or
// leave at or before it decides, else preLog.
func (m *member) inAt(at instant, preLog bool) bool {
	state := preLog
	for i := range m.trans {
		if at.less(m.trans[i].at) {
			break
		}
		state = m.trans[i].join
	}
	return state
}

// Merge adds everything o has recorded to t, as if o's events had been added
// to t; o answers as before (Merge applies the events o holds back, see
// Tracker.flush) and shares no memory with t afterwards. Events of o that t
// has already seen (the same ID, type, member, item and instant in the same
// group) are ignored, as Add would; so the result depends on the set of
// events only, whatever their split and the order of the merges. Merging
// trackers of different locations, a tracker into itself, nil, or a tracker
// that would make a group span more than [MaxSpanDays], is an error and
// changes nothing.
//
// Cost: O(size of o) amortized (a group's ID table doubles when it fills, so
// its rehashing is paid once per doubling), plus O(members × days with
// events) per group of o for its bit sets.
func (t *Tracker) Merge(o *Tracker) error {
	if err := t.mergeable(o, "merge"); err != nil {
		return err
	}
	for _, og := range o.groups {
		t.mergeGroup(t.group(og.name), og, false)
	}
	return nil
}

// Absorb is Merge for a tracker that is no longer needed, such as the
// tracker of one chunk of a log read in parallel: it moves o's contents
// into t instead of copying them, and leaves o empty, as NewTracker with
// o's location returns it. A group that t does not have moves whole, at
// no cost but a map entry; a group both have merges as in Merge, keeping
// the larger of the two ID tables (the smaller is merged into it), and
// o's part of the group is released as soon as it is merged. So absorbing
// needs little more than the memory of the merged tracker, where Merge
// holds t, o and a copy of o's groups in t at once. Errors are those of
// Merge (the verb says "absorb"), and change neither t nor o.
//
// Cost: O(1) per group t does not have; as Merge for the others.
func (t *Tracker) Absorb(o *Tracker) error {
	if err := t.mergeable(o, "absorb"); err != nil {
		return err
	}
	for _, og := range o.groups {
		gi, ok := t.byName[og.name]
		if !ok {
			t.byName[og.name] = int32(len(t.groups))
			t.groups = append(t.groups, og)
			continue
		}
		t.mergeGroup(t.groups[gi], og, true)
		*og = group{} // release its tables now, not when o goes
	}
	*o = Tracker{loc: o.loc}
	return nil
}

// mergeable reports why o cannot be merged into t by verb (Merge or
// Absorb), or nil; it applies the events both hold back.
func (t *Tracker) mergeable(o *Tracker, verb string) error {
	switch {
	case o == nil:
		return fmt.Errorf("metrics: %s: nil tracker", verb)
	case o == t:
		return fmt.Errorf("metrics: %s: a tracker into itself", verb)
	case t.Location().String() != o.Location().String():
		return fmt.Errorf("metrics: %s: location %q differs from %q", verb, o.Location(), t.Location())
	}
	if t.byName == nil {
		t.init()
	}
	t.flush()
	o.flush()
	for _, g := range t.groups {
		g.hints = nil
	}
	for _, og := range o.groups {
		og.hints = nil
	}
	for _, og := range o.groups {
		gi, ok := t.byName[og.name]
		if !ok || len(og.dayNum) == 0 {
			continue
		}
		g := t.groups[gi]
		if span := max(g.spanWith(og.first), g.spanWith(og.last)); span > MaxSpanDays {
			return fmt.Errorf("metrics: %s: group %q would span %d days, %s to %s, more than MaxSpanDays (%d)",
				verb, og.name, span, t.date(min(g.first, og.first)).Format(time.DateOnly), t.date(max(g.last, og.last)).Format(time.DateOnly), MaxSpanDays)
		}
	}
	return nil
}

// mergeGroup adds what og, a group of another tracker, has recorded to g,
// the group of t with the same name. With move, og is being absorbed: g
// may take og's ID table (see Absorb), and og must not be used after.
func (t *Tracker) mergeGroup(g, og *group, move bool) {
	// First, so that every first noted below is at most latest.
	if g.latest.less(og.latest) {
		g.latest = og.latest
	}
	remap := t.numbers(g, og.members)
	identity := true
	for omi := range og.members {
		om := &og.members[omi]
		mi := remap[omi]
		identity = identity && mi == int32(omi)
		for _, tr := range om.trans {
			if !tr.hasID || !g.ids.has(tr.id) {
				t.insertTrans(g, mi, tr)
			}
		}
		if f := og.firsts[omi]; f != noInstant {
			g.noteFirst(mi, f)
		}
	}
	for i, orow := range og.rows {
		di := g.dayIndex(og.dayNum[i])
		g.msgs[di] += og.msgs[i]
		g.mergeRow(di, orow, remap, identity)
	}
	for name, oit := range og.items {
		it := g.item(name)
		if oit.hasSent && (!it.hasSent || oit.sent.less(it.sent)) {
			it.sent, it.hasSent = oit.sent, true
		}
		oit.readers.each(func(omi int32) { it.read(remap[omi]) })
		for omi, cs := range oit.claims {
			for _, at := range cs.ats { // as held: claim drops repeats
				it.claim(remap[omi], at)
			}
		}
	}
	// An ID g already had names an event g already counted: its
	// idempotent facts (days, reads, claims) merged harmlessly and its
	// join or leave was skipped; what remains is to take back its
	// message count.
	if move && og.ids.n > g.ids.n {
		// Merge the smaller table into the larger: the set and the
		// duplicates found are the same either way.
		g.ids, og.ids = og.ids, g.ids
	}
	g.ids.merge(&og.ids, func(day int32) {
		if day != notMessage {
			g.msgs[g.findDay(day)]--
		}
	})
}

// numbers returns the numbers in g of the members ms, creating those g does
// not have in order. Like flush, it works in passes over 64 members at a
// time, each made of independent loads whose cache misses overlap: touch the
// home slots of the names, then look them up; last it creates the missing
// ones.
func (t *Tracker) numbers(g *group, ms []member) []int32 {
	out := make([]int32, len(ms))
	var hs [64]uint64
	missing := 0
	for base := 0; base < len(ms); base += len(hs) {
		chunk, nums := ms[base:min(base+len(hs), len(ms))], out[base:]
		var sum uint64
		for i := range chunk {
			hs[i] = g.index.hash(chunk[i].name)
			sum += g.index.touch(hs[i])
		}
		t.touched += sum
		for i := range chunk {
			if nums[i] = g.index.find(g.members, chunk[i].name, hs[i]); nums[i] < 0 {
				missing++
			}
		}
	}
	if missing == 0 {
		return out
	}
	g.members = slices.Grow(g.members, missing)
	g.firsts = slices.Grow(g.firsts, missing)
	for i, mi := range out {
		if mi < 0 {
			out[i] = g.member(ms[i].name)
		}
	}
	return out
}

// mergeRow adds the row of another tracker's copy of g for day entry di;
// remap numbers its members in g, identity says it changes nothing.
func (g *group) mergeRow(di int32, orow []uint64, remap []int32, identity bool) {
	if identity {
		if len(orow) == 0 {
			return
		}
		row := g.row(int32(len(orow)/2*64-1), di)
		for w, x := range orow {
			row[w] |= x
		}
		return
	}
	for w := 0; w+1 < len(orow); w += 2 {
		present, spoke := orow[w], orow[w+1]
		for present != 0 {
			b := bits.TrailingZeros64(present)
			present &= present - 1
			g.mark(remap[w/2*64+b], di, spoke&(1<<b) != 0)
		}
	}
}
