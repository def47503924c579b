package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
	"github.com/qunops/qunops/metrics"
)

// Builder accumulates the events of any number of groups, in one pass and
// in any order, and builds their Report. Builders fed any split of a set of
// events merge (Merge) into exactly the builder of all of them.
//
// Two parts of a report end at each group's last event, which is known
// only once every event has been added: the tier counts over the 7 days to
// it (F31-F34) and the frequent terms of the week before it (F29). So a
// Builder keeps, besides a metrics.Tracker for the days, cohorts and
// verdicts (one per zone of its groups, see trackers):
//   - per member of each group, the latest time of each kind of evidence
//     that moves a tier's times (presence, join, leave, message and
//     claim): 80 bytes, plus the member's ID and its slot in a table from
//     the ID's hash to its number;
//   - event by event, the events that may still fall in a window (those
//     less than the longer window before the group's latest event so far)
//     and that count for a tier (messages, claims, check-ins, warnings and
//     joins with an inviter): 88 bytes each plus their actor, ID and text,
//     which they share with the event, or, for a parallel read, copy in
//     one allocation (see sharedStrings). An event further back than the
//     window is dropped once the group's latest event has passed it (its
//     times are in the latest times already): the buffer is swept when it
//     has doubled since the last sweep (amortized O(1) per event), so it holds at most twice the counted
//     events of the window, plus 64, in any order of the log; for a log in
//     time order, about a week of counted events.
//
// Build replays that into a tiering.Tally and a metrics.TermCounter ending
// at the group's last event, which gives exactly what a second pass over
// the log would give.
//
// The zero Builder is not usable; call New. A Builder is not safe for
// concurrent use: give each goroutine its own and merge them.
type Builder struct {
	opts   Options // resolved
	window time.Duration
	tr     trackers
	groups map[string]*group

	lastName string // the group of the last event, to skip the map lookup
	last     *group

	// ends, when not nil, holds a lower bound of the last event of some
	// groups, found by a first pass over a log that can be read twice
	// (ReadAt). A group's events further back than the window before it
	// can never fall in its windows, so Add folds them at once instead of
	// keeping them until a sweep: the buffer of recent events then holds
	// about the group's last window only, and it never grows past it. A
	// bound later than the group's real last event would fold events that
	// count: ReadAt checks every bound after the pass and reads again
	// without them when one is wrong.
	ends map[string]instant

	// sharedStrings is set for the builders of a parallel read, whose
	// events' strings are cut from blocks shared by many lines
	// (qunops.Decoder.ShareStrings): the recent events it keeps get
	// copies, so that they do not keep blocks in memory. (Group and
	// member IDs are always copied, once each.)
	sharedStrings bool
}

// group is what a Builder keeps of one group beyond its Tracker.
type group struct {
	last     time.Time   // the group's latest event; the first added of equal instants
	index    memberTable // member number by the key of the ID
	names    []string    // by member number
	latest   []latest    // by member number
	recent   recentList  // events that may fall in a window, in the order added
	swept    int         // len(recent) after the last sweep
	floorCut instant     // the start of the window before Builder.ends' bound (0: none)
}

// latest is a member's latest evidence outside the tier window (instant 0:
// none).
type latest struct {
	present, joined, left, message, claim instant
}

// instant is a time as a Unix second, biased so that every valid event
// time (years 0000..9999) has a positive second, and a nanosecond. The zero
// instant is "never" and sorts before every other.
type instant struct {
	sec  int64
	nsec int32
}

const instantBias = 1 << 40 // year 0 starts near -6.2e10 s; 2⁴⁰ s is about 1.1e12

func instantOf(t time.Time) instant {
	return instant{t.Unix() + instantBias, int32(t.Nanosecond())}
}

func (a instant) after(b instant) bool {
	return a.sec > b.sec || (a.sec == b.sec && a.nsec > b.nsec)
}

func (a instant) time(loc *time.Location) time.Time {
	return time.Unix(a.sec-instantBias, int64(a.nsec)).In(loc)
}

func later(a *instant, b instant) {
	if b.after(*a) {
		*a = b
	}
}

// record is one event that counts for a tier.
type record struct {
	at      instant
	member  int32
	inviter int32 // the member number of a join's inviter; -1 for none
	typ     qunops.EventType
	actor   string // a warning's actor ("rule:NAME" may mean prohibited content)
	id      string
	text    string // a message's text, a claim's item
}

// New returns an empty Builder, or the error of o.Validate.
func New(o Options) (*Builder, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.resolved()
	return &Builder{opts: o, window: o.window(), tr: newTrackers(o), groups: map[string]*group{}}, nil
}

// trackers are a Builder's metrics.Trackers, one per zone of its groups
// (GroupOptions.Zone), since a Tracker buckets days in one zone as events
// are added. Each group's events go to its zone's tracker only, so every
// group is in one of them. The zones, and so the trackers, follow from the
// options alone: builders that may merge have the same ones, in the same
// order.
type trackers struct {
	// all holds the tracker of the default zone (Options.defaultZone)
	// first, then one per other zone of a group, in order of zone name.
	all []*metrics.Tracker
	def *metrics.Tracker // all[0], for Add without a bounds check
	// of holds the index in all of each group whose zone is not the
	// default's; nil when there is none, the common case, in which Add
	// looks nothing up.
	of map[string]int
}

// newTrackers returns the empty trackers of the zones of o (resolved).
func newTrackers(o Options) trackers {
	def := o.defaultZone()
	zones := map[string]*time.Location{}
	for _, id := range slices.Sorted(maps.Keys(o.Groups)) {
		if z := o.Groups[id].Zone; z != nil && z.String() != def.String() && zones[z.String()] == nil {
			zones[z.String()] = z
		}
	}
	ts := trackers{def: metrics.NewTracker(def)}
	ts.all = []*metrics.Tracker{ts.def}
	if len(zones) == 0 {
		return ts
	}
	index := map[string]int{}
	for _, name := range slices.Sorted(maps.Keys(zones)) {
		index[name] = len(ts.all)
		ts.all = append(ts.all, metrics.NewTracker(zones[name]))
	}
	ts.of = map[string]int{}
	for id, g := range o.Groups {
		if g.Zone != nil && g.Zone.String() != def.String() {
			ts.of[id] = index[g.Zone.String()]
		}
	}
	return ts
}

// index returns the index in ts.all of the tracker of group name.
func (ts *trackers) index(name string) int {
	if ts.of == nil {
		return 0
	}
	return ts.of[name] // 0, the default zone, when absent
}

// groups returns the IDs of the groups of every tracker, sorted.
func (ts *trackers) groups() []string {
	if len(ts.all) == 1 {
		return ts.all[0].Groups()
	}
	var names []string
	for _, tr := range ts.all {
		names = append(names, tr.Groups()...)
	}
	slices.Sort(names) // a group is in one tracker only
	return names
}

// merge merges (or, with move, absorbs) the trackers of o, which has the
// same zones, into ts: all or nothing. A tracker's merge fails only when a
// group both have would span more than metrics.MaxSpanDays; ts.all[0] is
// merged first, so its failure changes nothing, and the others are checked
// before it (verb names the operation in the error).
func (ts *trackers) merge(o *trackers, verb string, move bool) error {
	for i := 1; i < len(ts.all); i++ {
		if err := spansFit(ts.all[i], o.all[i], verb); err != nil {
			return err
		}
	}
	for i, tr := range ts.all {
		var err error
		if move {
			err = tr.Absorb(o.all[i])
		} else {
			err = tr.Merge(o.all[i])
		}
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// spansFit reports, as the Tracker would, a group of both t and o whose
// merged days would span more than metrics.MaxSpanDays. It costs a
// Tracker.Days of each such group, but only builders of several zones pay
// it, and only for the groups both have.
func spansFit(t, o *metrics.Tracker, verb string) error {
	for _, name := range o.Groups() {
		a := t.Days(name)
		if len(a) == 0 {
			continue // a group t does not have moves or merges freely
		}
		c := o.Days(name)
		if len(c) == 0 {
			continue
		}
		first, last := a[0].Date, a[len(a)-1].Date
		if c[0].Date.Before(first) {
			first = c[0].Date
		}
		if c[len(c)-1].Date.After(last) {
			last = c[len(c)-1].Date
		}
		if span := civilDay(last) - civilDay(first) + 1; span > metrics.MaxSpanDays {
			return fmt.Errorf("report: %s: group %q would span %d days, %s to %s, more than metrics.MaxSpanDays (%d)",
				verb, name, span, first.Format(time.DateOnly), last.Format(time.DateOnly), metrics.MaxSpanDays)
		}
	}
	return nil
}

// civilDay numbers the calendar date of t (a local midnight) in days since
// 1970-01-01.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / (24 * 3600)
}

// Options returns the builder's options with every default filled in.
func (b *Builder) Options() Options { return b.opts.resolved() }

// Add adds one event. An event the tracker rejects (an invalid event, see
// qunops.Event.Validate) is an error and leaves no trace. An event whose
// non-empty ID was already added to the same group counts once, as in
// metrics.Tracker and tiering.Tally. Add costs one Tracker.Add and one
// lookup of the member (two for a join with an inviter), and one of the
// group's zone when some group has a zone of its own; it allocates for
// a new member or group, and the buffer of recent events grows.
func (b *Builder) Add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("report: metrics: add: %w", err)
	}
	return b.addValid(&e, keyOf(e.Member), nil, -1)
}

// addValid is Add for an event that Validate accepted, such as one that a
// qunops.Decoder returned: the decoder validated it, and so the report
// validates each event of a log once (see package trust).
// k is the key of ep.Member (keyOf), and ekey, when not nil, the key of
// ep for the tracker (trust.EventKey): a decoder computes both
// while the event's bytes are still in its cache (see pipeline).
// n is the member's number in the group when the caller found it (see
// pipeline.adder), or -1: addValid looks it up.
func (b *Builder) addValid(ep *qunops.Event, k memberKey, ekey *[2]uint64, n int32) error {
	e := ep
	tr := b.tr.def
	if b.tr.of != nil {
		tr = b.tr.all[b.tr.of[e.Group]]
	}
	// The member's number, when the group has it already, is the hint
	// that spares the tracker its own look-up. A new member is numbered
	// only once the tracker took the event, which leaves no trace
	// otherwise.
	g := b.lookup(e.Group)
	if g != nil && n < 0 {
		n = g.index.find(k)
	}
	if err := trust.TrackerAddHinted(tr, e, n, ekey); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if g == nil {
		g = b.group(e.Group)
	}
	if n < 0 {
		n = g.memberKeyed(e.Member, k)
	}
	if lastBefore(g.last, e.Time) {
		g.last = e.Time
	}
	r := record{at: instantOf(e.Time), member: n, inviter: -1, typ: e.Type, id: e.ID}
	switch e.Type {
	case qunops.Message:
		r.text = e.Text
	case qunops.Claim:
		r.text = e.Item // the tally's key of a claim reads its item
	case qunops.Warn:
		r.actor = e.Actor
	case qunops.Join:
		if e.Actor != "" && e.Actor != e.Member {
			r.inviter = g.member(e.Actor)
		}
	}
	g.add(r, b.window, b.sharedStrings)
	return nil
}

// prefetch finds the members of events[run] (all of group name) in the
// group's table, and loads their latest times, before they are added: the
// loads of different events do not depend on each other, so the processor
// overlaps their cache misses, where addValid would wait for each in turn
// (issue 18). It sets each event's num to the member's number, or -1 for a
// member the group does not have yet (addValid looks it up again, since
// an event before it in run may add it), and returns a sum of what it
// loaded, for the caller to keep.
func (b *Builder) prefetch(name string, events []lineEvent, run []int32) uint64 {
	g := b.lookup(name)
	if g == nil || g.index.n == 0 {
		for _, i := range run {
			events[i].num = -1
		}
		return 0
	}
	var sum uint64
	for _, i := range run {
		// The event's own 200 bytes span four cache lines, which the
		// adder reads too: load a word of each (Type, ID, Text, member).
		le := &events[i]
		sum += uint64(len(le.e.Type)+len(le.e.ID)+len(le.e.Text)) + g.index.touch(le.member)
	}
	for _, i := range run {
		le := &events[i]
		le.num = g.index.find(le.member)
		if le.num >= 0 {
			// A member's 80 bytes straddle two cache lines at most
			// places; fold reads present and, for most events, message.
			m := &g.latest[le.num]
			sum += uint64(m.present.sec + m.message.sec)
		}
	}
	return sum
}

// lastBefore reports whether t replaces cur as a group's last event time
// (tiers_at): cur is unset, t is later, or t is the same instant with a
// larger UTC offset. So when events share the group's last instant with
// different offsets, the one tiers_at shows depends on the events alone,
// not on the order in which they were added or builders merged.
func lastBefore(cur, t time.Time) bool {
	if cur.IsZero() || t.After(cur) {
		return true
	}
	if !t.Equal(cur) {
		return false
	}
	_, co := cur.Zone()
	_, to := t.Zone()
	return to > co
}

// cut returns the start of the window that ends at the group's latest
// event, or at the bound of its last event when that is later: no event at
// or before it can fall in a window.
func (g *group) cut(window time.Duration) instant {
	c := instantOf(g.last.Add(-window))
	if g.floorCut.after(c) {
		return g.floorCut
	}
	return c
}

// lookup returns group name, or nil when b has none.
func (b *Builder) lookup(name string) *group {
	if b.last != nil && b.lastName == name {
		return b.last
	}
	g := b.groups[name]
	if g != nil {
		b.lastName, b.last = name, g
	}
	return g
}

func (b *Builder) group(name string) *group {
	if b.last != nil && b.lastName == name {
		return b.last
	}
	g, ok := b.groups[name]
	if !ok {
		g = &group{}
		if end, ok := b.ends[name]; ok {
			g.floorCut = instantOf(end.time(time.UTC).Add(-b.window))
		}
		b.groups[strings.Clone(name)] = g // see memberKeyed
	}
	b.lastName, b.last = name, g
	return g
}

// member returns the number of member id, adding it when new.
func (g *group) member(id string) int32 {
	return g.memberKeyed(id, keyOf(id))
}

// memberKeyed is member for an ID whose key is k.
func (g *group) memberKeyed(id string, k memberKey) int32 {
	if n := g.index.find(k); n >= 0 {
		return n
	}
	n := int32(len(g.names))
	g.index.insert(k, n)
	// A copy: the event's strings may share a block with many lines
	// (qunops.Decoder.ShareStrings), which a kept ID would keep.
	g.names = append(g.names, strings.Clone(id))
	g.latest = append(g.latest, latest{})
	return n
}

// own gives r a copy of its strings, in one allocation.
func (r *record) own() {
	a, i := len(r.actor), len(r.id)
	if a+i+len(r.text) == 0 {
		r.actor, r.id, r.text = "", "", "" // an empty string may point into a block too
		return
	}
	s := r.actor + r.id + r.text
	r.actor, r.id, r.text = s[:a], s[a:a+i], s[a+i:]
}

// counts reports whether r adds to a tier count when it falls in the
// window (tiering.Tally's rule): only such events are kept one by one.
func (r *record) counts() bool {
	switch r.typ {
	case qunops.Message, qunops.Claim, qunops.Checkin, qunops.Warn:
		return true
	case qunops.Join:
		return r.inviter >= 0
	}
	return false
}

// add folds r into its member's latest times, and keeps it too when it
// counts for a tier and may still fall in a window ending at the group's
// last event; with own, it keeps a copy of r's strings (see
// Builder.sharedStrings).
func (g *group) add(r record, window time.Duration, own bool) {
	g.fold(&r)
	if !r.counts() || !r.at.after(g.cut(window)) {
		return
	}
	if own {
		r.own()
	}
	g.recent.push(r)
	if g.recent.len() >= 2*g.swept+64 {
		g.sweep(window)
	}
}

// sweep drops the recent events that no window can reach any more: their
// times are in the latest times already.
func (g *group) sweep(window time.Duration) {
	cut := g.cut(window)
	g.recent.keep(func(r *record) bool { return r.at.after(cut) })
	g.swept = g.recent.len()
}

// fold moves r's member's latest times (and its inviter's presence), as
// tiering.Tally does for any event. Every event is folded when it is
// added, the recent ones too: the member's record is then in the cache
// already (see memberTable), where a fold at the sweep would read it from
// main memory again (issue 18); Build feeds a latest message or claim time
// to the tally only when it lies before the tier window, since the recent
// events bring those in the window (see group.tiers).
func (g *group) fold(r *record) {
	m := &g.latest[r.member]
	switch r.typ {
	case qunops.Leave:
		later(&m.left, r.at)
		return
	case qunops.Message:
		later(&m.message, r.at)
	case qunops.Claim:
		later(&m.claim, r.at)
	case qunops.Join:
		later(&m.joined, r.at)
		if r.inviter >= 0 {
			later(&g.latest[r.inviter].present, r.at)
		}
	}
	later(&m.present, r.at)
}

// Merge adds the events of o to b, as if b had been given every event o
// was given, after its own: the result is exactly that of one Builder fed
// b's events and then o's, IDs deduplicated across both; the order of
// merges does not change the report. It fails, changing nothing, when the options differ or when o is
// b. o is not modified (see Absorb for a builder that is no longer
// needed). Merge costs O(m + r) for m members and r recent events of o,
// plus Tracker.Merge.
func (b *Builder) Merge(o *Builder) error {
	switch {
	case o == nil:
		return fmt.Errorf("report: merge: nil builder")
	case o == b:
		return fmt.Errorf("report: merge: a builder into itself")
	case !b.opts.equal(o.opts):
		return fmt.Errorf("report: merge: options %+v differ from %+v", o.opts, b.opts)
	}
	if err := b.tr.merge(&o.tr, "merge", false); err != nil {
		return err
	}
	for name, og := range o.groups {
		b.mergeGroup(name, og)
	}
	return nil
}

// Absorb is Merge for a builder that is no longer needed, such as the
// builder of one chunk of a log read in parallel: it moves o's groups into
// b instead of copying them (see metrics.Tracker.Absorb), and leaves o
// empty, as New returns it. A group that b does not have moves whole; a
// group both have merges as in Merge. So absorbing needs little more than
// the memory of the merged builder, where Merge holds b, o and a copy of
// o's groups at once. Errors are those of Merge and change neither
// builder. Cost: O(1) per group b does not have (after
// metrics.Tracker.Absorb), as Merge for the others.
func (b *Builder) Absorb(o *Builder) error {
	switch {
	case o == nil:
		return fmt.Errorf("report: absorb: nil builder")
	case o == b:
		return fmt.Errorf("report: absorb: a builder into itself")
	case !b.opts.equal(o.opts):
		return fmt.Errorf("report: absorb: options %+v differ from %+v", o.opts, b.opts)
	}
	if err := b.tr.merge(&o.tr, "absorb", true); err != nil {
		return err
	}
	for name, og := range o.groups {
		if _, ok := b.groups[name]; !ok {
			// Its floorCut, a bound of its last event that o checked
			// (ReadAt), stays true however many events come.
			b.groups[name] = og
			continue
		}
		b.mergeGroup(name, og)
	}
	o.groups, o.lastName, o.last = map[string]*group{}, "", nil
	return nil
}

// mergeGroup adds og, the group name of another builder, to b's group.
func (b *Builder) mergeGroup(name string, og *group) {
	g := b.group(name)
	if lastBefore(g.last, og.last) {
		g.last = og.last
	}
	remap := make([]int32, len(og.names))
	for i, id := range og.names {
		n := g.member(id)
		remap[i] = n
		m, om := &g.latest[n], &og.latest[i]
		later(&m.present, om.present)
		later(&m.joined, om.joined)
		later(&m.left, om.left)
		later(&m.message, om.message)
		later(&m.claim, om.claim)
	}
	for or := range og.recent.all() {
		r := *or
		r.member = remap[r.member]
		if r.inviter >= 0 {
			r.inviter = remap[r.inviter]
		}
		g.recent.push(r)
	}
	g.sweep(b.window)
}
