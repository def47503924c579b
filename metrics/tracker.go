package metrics

import (
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/qunops/qunops"
)

// defaultLocation is Asia/Shanghai, loaded once. Without a time zone
// database it falls back to a fixed UTC+8 zone of the same name, which is
// exact for every date since China ended daylight saving time in 1991.
var defaultLocation = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("Asia/Shanghai", 8*60*60)
})

// Tracker accumulates the events of any number of groups and answers the
// day-by-day figures of each: members, speakers, messages, joins and leaves
// per calendar day ([Tracker.Days]), retention cohorts ([Tracker.Retention]),
// broadcasts with their reach and response ([Tracker.Broadcasts]), weekly
// activity, quit rates and health verdicts.
//
// Events may be added in any order. An event whose non-empty ID was already
// added to the same group is ignored. An ID names one event and an event
// belongs to one group, so this is plain deduplication; an exporter that
// numbers each group's events on its own (the same ID in two groups) keeps
// both. If two different events of one group share an ID, the first one
// added counts. The tracker keeps a
// 128-bit hash of each ID, not the ID itself (see idKey: a false duplicate
// has probability below 10⁻²⁴ for ten million IDs). Adding events to several
// trackers in any split and merging them ([Tracker.Merge]) gives exactly what
// one tracker would give.
//
// The zero value is an empty tracker for Asia/Shanghai. A Tracker is not safe
// for concurrent use; shard by group or merge per-goroutine trackers instead.
//
// Memory: per member and group a fixed record plus two bits per day with
// events, plus per join or leave a transition record; and per event ID, one
// map entry of 24 bytes without pointers. Add costs O(1) amortized for events
// that arrive in time order per member (O(k) for a join or leave that goes k
// places back).
type Tracker struct {
	loc    *time.Location
	groups []*group
	byName map[string]int32

	last  *group   // the group of the previous Add, a cache
	cache dayCache // the local day of the previous Add, a cache
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

// member is what a group knows of one member.
type member struct {
	name string
	// words holds, for the 64-day word base+i, the days with any event of
	// the member in words[2i] and the days the member sent a message in
	// words[2i+1] (bit d&63 for day d).
	words []uint64
	base  int32
	trans []transition // joins and leaves, sorted by transition.after
	// first is the earliest event other than a join (valid when hasFirst):
	// a member first seen in such an event has been a member since before
	// the log began.
	first    instant
	hasFirst bool
}

// group is what a tracker knows of one group.
type group struct {
	name    string
	index   map[string]int32
	members []member
	// first and last are the group's first and last event day.
	first, last int32
	// msgs counts messages per day from msgBase.
	msgBase int32
	msgs    []int32
	items   map[string]*item
	// ids maps the key of each event ID seen in the group to the event's
	// day for messages (the per-day message counts depend on it, see Merge)
	// and notMessage otherwise. Keys hold no pointers, so the garbage
	// collector never scans the map, and a group's map stays small enough
	// for the processor caches while its events stream in.
	ids map[idKey]int32
}

// notMessage marks an ID whose event is not a message.
const notMessage = math.MinInt32

// item is a broadcast item (a message with an Item) and its reads and claims.
type item struct {
	sent    instant // the earliest broadcast, valid when hasSent
	hasSent bool
	readers []uint64            // bit set of member indices
	claims  map[int32][]instant // claim instants per member index
}

// NewTracker returns an empty tracker that buckets events into calendar days
// in loc; nil means Asia/Shanghai.
func NewTracker(loc *time.Location) *Tracker {
	if loc == nil {
		loc = defaultLocation()
	}
	return &Tracker{loc: loc}
}

// Location returns the location whose calendar days the tracker counts.
func (t *Tracker) Location() *time.Location {
	if t.loc == nil {
		t.loc = defaultLocation()
	}
	return t.loc
}

// Groups returns the ids of the groups seen so far, sorted.
func (t *Tracker) Groups() []string {
	out := make([]string, len(t.groups))
	for i, g := range t.groups {
		out[i] = g.name
	}
	slices.Sort(out)
	return out
}

// Len returns the number of distinct event IDs seen so far (events without
// an ID are not counted).
func (t *Tracker) Len() int {
	n := 0
	for _, g := range t.groups {
		n += len(g.ids)
	}
	return n
}

// Add records e. A bad event (see [qunops.Event.Validate]) is rejected with
// an error and leaves no trace; an event whose non-empty ID was already added
// to the same group is ignored. Every event is evidence that its member was in the group on its
// local day; joins and leaves also change membership, messages count as
// speech, and messages with an Item, reads and claims feed [Tracker.Broadcasts].
//
// Add allocates nothing in the common case (a known member of a known group on
// a day already covered), apart from growing the ID map.
func (t *Tracker) Add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("metrics: add: %w", err)
	}
	if t.byName == nil {
		t.init()
	}
	// IDs are deduplicated within the group. Looking the group up first
	// creates it only for an event that is valid and cannot be a duplicate.
	g := t.group(e.Group)
	var key idKey
	if e.ID != "" {
		key = keyOf(e.ID)
		if _, dup := g.ids[key]; dup {
			return nil
		}
	}
	day := t.dayOf(e.Time)
	mi := g.member(e.Member)
	m := &g.members[mi]
	at := instantOf(e.Time)
	g.cover(day)
	m.mark(day, e.Type == qunops.Message)
	ref := int32(notMessage)
	switch e.Type {
	case qunops.Join, qunops.Leave:
		m.insert(transition{at: at, day: day, join: e.Type == qunops.Join, id: key, hasID: e.ID != ""})
	case qunops.Message:
		g.msgs[day-g.msgBase]++
		ref = day
		if e.Item != "" {
			it := g.item(e.Item)
			if !it.hasSent || at.less(it.sent) {
				it.sent, it.hasSent = at, true
			}
		}
	case qunops.Read:
		g.item(e.Item).read(mi)
	case qunops.Claim:
		g.item(e.Item).claim(mi, at)
	}
	if e.Type != qunops.Join && (!m.hasFirst || at.less(m.first)) {
		m.first, m.hasFirst = at, true
	}
	if e.ID != "" {
		g.ids[key] = ref
	}
	return nil
}

func (t *Tracker) init() {
	if t.loc == nil {
		t.loc = defaultLocation()
	}
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
	y, mo, d := tm.In(t.loc).Date()
	day := civilDay(y, mo, d)
	// Cache the day only when its bounds provably enclose it: local dates
	// never decrease with time, so if both ends of [lo, hi) carry date
	// y-mo-d, everything between does too (this guards zones whose midnight
	// is skipped or repeated).
	lo := time.Date(y, mo, d, 0, 0, 0, 0, t.loc).Unix()
	hi := time.Date(y, mo, d+1, 0, 0, 0, 0, t.loc).Unix()
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

// date returns local midnight (the first instant) of day in the tracker's
// location, by calendar arithmetic.
func (t *Tracker) date(day int32) time.Time {
	return time.Date(1970, 1, 1+int(day), 0, 0, 0, 0, t.Location())
}

// group returns the named group, creating it.
func (t *Tracker) group(name string) *group {
	if g := t.last; g != nil && g.name == name {
		return g
	}
	gi, ok := t.byName[name]
	if !ok {
		gi = int32(len(t.groups))
		t.groups = append(t.groups, &group{name: name, index: map[string]int32{}, items: map[string]*item{}, ids: map[idKey]int32{}})
		t.byName[name] = gi
	}
	t.last = t.groups[gi]
	return t.last
}

// mergeIDs adds the IDs of another tracker's copy of g (merged into g just
// before, see Merge). An ID g already had names an event g already counted:
// its idempotent facts (days, reads, claims) merged harmlessly and its join
// or leave was skipped; what remains is to take back its message count.
func (g *group) mergeIDs(ids map[idKey]int32) {
	if len(g.ids) == 0 {
		// Nothing can be a duplicate: a plain copy, much faster than
		// inserting the IDs one by one.
		g.ids = maps.Clone(ids)
		return
	}
	for k, day := range ids {
		if _, dup := g.ids[k]; dup {
			if day != notMessage {
				g.msgs[day-g.msgBase]--
			}
			continue
		}
		g.ids[k] = day
	}
}

// lookup returns the named group or nil.
func (t *Tracker) lookup(name string) *group {
	gi, ok := t.byName[name]
	if !ok {
		return nil
	}
	return t.groups[gi]
}

// member returns the index of the named member, creating it.
func (g *group) member(name string) int32 {
	if mi, ok := g.index[name]; ok {
		return mi
	}
	mi := int32(len(g.members))
	g.members = append(g.members, member{name: name})
	g.index[name] = mi
	return mi
}

// cover extends the group's day range and message counts to day.
func (g *group) cover(day int32) {
	if len(g.msgs) == 0 {
		g.first, g.last, g.msgBase = day, day, day
		g.msgs = make([]int32, 1, 8)
		return
	}
	g.first, g.last = min(g.first, day), max(g.last, day)
	if day < g.msgBase {
		grown := make([]int32, int(g.msgBase-day)+len(g.msgs), int(g.msgBase-day)+cap(g.msgs))
		copy(grown[g.msgBase-day:], g.msgs)
		g.msgs, g.msgBase = grown, day
	}
	for int(day-g.msgBase) >= len(g.msgs) {
		g.msgs = append(g.msgs, 0)
	}
}

func (g *group) item(name string) *item {
	it, ok := g.items[name]
	if !ok {
		it = &item{}
		g.items[name] = it
	}
	return it
}

func (it *item) read(mi int32) {
	w := int(mi >> 6)
	for w >= len(it.readers) {
		it.readers = append(it.readers, 0)
	}
	it.readers[w] |= 1 << (mi & 63)
}

func (it *item) isReader(mi int32) bool {
	w := int(mi >> 6)
	return w < len(it.readers) && it.readers[w]&(1<<(mi&63)) != 0
}

func (it *item) claim(mi int32, at instant) {
	if it.claims == nil {
		it.claims = make(map[int32][]instant)
	}
	if !slices.Contains(it.claims[mi], at) {
		it.claims[mi] = append(it.claims[mi], at)
	}
}

// mark records an event of m on day, and speech if spoke.
func (m *member) mark(day int32, spoke bool) {
	w := day >> 6
	m.cover(w, w)
	i := 2 * int(w-m.base)
	m.words[i] |= 1 << (uint32(day) & 63)
	if spoke {
		m.words[i+1] |= 1 << (uint32(day) & 63)
	}
}

// cover extends m.words to the words lo..hi.
func (m *member) cover(lo, hi int32) {
	if len(m.words) == 0 {
		m.base = lo
		m.words = make([]uint64, 2*int(hi-lo+1))
		return
	}
	if lo < m.base {
		grown := make([]uint64, 2*int(m.base-lo)+len(m.words))
		copy(grown[2*int(m.base-lo):], m.words)
		m.words, m.base = grown, lo
	}
	for 2*int(hi-m.base) >= len(m.words) {
		m.words = append(m.words, 0, 0)
	}
}

// bits reports whether m had an event, and whether m spoke, on day.
func (m *member) bits(day int32) (present, spoke bool) {
	w := day>>6 - m.base
	if w < 0 || 2*int(w) >= len(m.words) {
		return false, false
	}
	bit := uint64(1) << (uint32(day) & 63)
	return m.words[2*w]&bit != 0, m.words[2*w+1]&bit != 0
}

// insert adds tr to m.trans in order.
func (m *member) insert(tr transition) {
	i := len(m.trans)
	for i > 0 && m.trans[i-1].after(&tr) {
		i--
	}
	m.trans = slices.Insert(m.trans, i, tr)
}

// preLog reports whether m counts as a member since before the log began:
// m's earliest event is not a join (at the same instant a join comes first).
func (m *member) preLog() bool {
	if !m.hasFirst {
		return false
	}
	for i := range m.trans {
		if m.trans[i].join {
			return m.first.less(m.trans[i].at)
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
// to t; o is not changed and shares no memory with t afterwards. Events of o
// whose ID t has already seen in the same group are ignored, as Add would. Merging trackers of
// different locations, a tracker into itself, or nil, is an error and changes
// nothing.
//
// Cost: O(size of o), independent of the size of t.
func (t *Tracker) Merge(o *Tracker) error {
	switch {
	case o == nil:
		return fmt.Errorf("metrics: merge: nil tracker")
	case o == t:
		return fmt.Errorf("metrics: merge: a tracker into itself")
	case t.Location().String() != o.Location().String():
		return fmt.Errorf("metrics: merge: location %q differs from %q", o.Location(), t.Location())
	}
	if t.byName == nil {
		t.init()
	}
	for _, og := range o.groups {
		g := t.group(og.name)
		seen := func(tr *transition) bool {
			_, ok := g.ids[tr.id]
			return tr.hasID && ok
		}
		remap := make([]int32, len(og.members))
		for omi := range og.members {
			om := &og.members[omi]
			mi := g.member(om.name)
			remap[omi] = mi
			m := &g.members[mi]
			if len(om.words) > 0 {
				m.cover(om.base, om.base+int32(len(om.words)/2)-1)
				off := 2 * int(om.base-m.base)
				for i, w := range om.words {
					m.words[off+i] |= w
				}
			}
			for _, tr := range om.trans {
				if !seen(&tr) {
					m.insert(tr)
				}
			}
			if om.hasFirst && (!m.hasFirst || om.first.less(m.first)) {
				m.first, m.hasFirst = om.first, true
			}
		}
		if len(og.msgs) > 0 {
			g.cover(og.msgBase)
			g.cover(og.msgBase + int32(len(og.msgs)) - 1)
			g.cover(og.first)
			g.cover(og.last)
			for i, n := range og.msgs {
				g.msgs[og.msgBase+int32(i)-g.msgBase] += n
			}
		}
		for name, oit := range og.items {
			it := g.item(name)
			if oit.hasSent && (!it.hasSent || oit.sent.less(it.sent)) {
				it.sent, it.hasSent = oit.sent, true
			}
			for w, word := range oit.readers {
				for word != 0 {
					b := int32(bits.TrailingZeros64(word))
					word &= word - 1
					it.read(remap[int32(w)*64+b])
				}
			}
			for omi, ats := range oit.claims {
				for _, at := range ats {
					it.claim(remap[omi], at)
				}
			}
		}
		g.mergeIDs(og.ids)
	}
	return nil
}
