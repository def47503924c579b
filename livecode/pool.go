package livecode

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// ErrFull is returned by Assign when no code can take the scan: every code
// eligible for it is expired, retired, at its scan limit or at its cap.
// Create a new group (see Alerts and Pool.NextName) and Add its code.
var ErrFull = errors.New("livecode: no code can take the scan")

// Pool is a live code: a pool of group QR codes that hands each scanner a
// code that can still take them. Assign reserves a place for the scanner;
// Joined turns the reservation into a member; an unjoined reservation
// lapses after Options.PendingTTL.
//
// Every method that takes a time advances the pool's clock to it first:
// reservations and QR codes that have expired by then are dropped. The
// clock never runs backwards: a time before the latest one seen is taken
// as the latest.
//
// A Pool is not safe for concurrent use; see the package documentation
// for a locked wrapper. The zero Pool is not usable: call NewPool (or
// decode a saved state with UnmarshalJSON).
type Pool struct {
	strategy Strategy
	opts     Options
	ttl      int64
	clock    int64 // latest time seen, Unix ns; math.MinInt64 before any

	codes   []codeState
	byID    map[string]int32
	groups  []group // groups[0] holds the untagged codes
	byTag   map[string]int32
	entries []entry

	res     []reservation
	free    []int32
	byUser  map[string]int32
	head    int32 // earliest-expiring live reservation, -1 if none
	tail    int32 // latest-expiring, -1 if none
	expiry  expiryHeap
	members map[memberKey]struct{}
}

type codeState struct {
	id        string
	cap       int
	scanLimit int
	weight    int
	expires   time.Time
	exp       int64 // expires in Unix ns; math.MaxInt64 for never
	tags      []string
	entries   []int32 // one per group the code is in

	members int // all members
	anon    int // members whose user id the pool does not know
	pending int
	retired bool
	expired bool
	open    bool

	stats counters
}

type counters struct {
	scans, scanners, joins, fromScans, lapsed, left int64
}

// entry is a code's place in one tag group. It is open exactly when its
// code is.
type entry struct {
	code  int32
	group int32
	pos   int32 // position in the group, in the order codes were added
	class int32 // Weighted: index of its weight class in the group
	cw    int64 // Weighted: current weight, kept while the code is closed
}

type group struct {
	tag     string
	entries []int32 // by pos

	open bitTree // FillFirst, RoundRobin, Sticky: open positions
	last int     // RoundRobin: pos of the latest pick, -1 before any

	// LeastLoaded keys heap by load; Weighted keys each class's heap by
	// minus the current weight's base (see openEntry).
	heap    posHeap
	at      []int32       // LeastLoaded, Weighted: index in its heap by pos, -1 if closed
	classes []weightClass // Weighted: open entries by weight
	tick    int64         // Weighted: picks made so far
	total   int64         // Weighted: sum of open weights
}

type weightClass struct {
	weight int64
	heap   posHeap
}

// heapKey returns the heap key of the open entry en of the group.
func (g *group) heapKey(en *entry) int64 {
	i := g.at[en.pos]
	if en.class >= 0 {
		return g.classes[en.class].heap.items[i].key
	}
	return g.heap.items[i].key
}

// reservation is one scanner's place. Live reservations form a list in
// expiry order (prev, next): every reservation lives the same TTL and the
// clock never runs backwards, so a new or restarted one always goes last,
// and the one to lapse next is always first.
type reservation struct {
	user       string
	code       int32
	at         int64 // expiry, Unix ns
	prev, next int32 // neighbours in expiry order, -1 at the ends
	live       bool
}

type memberKey struct {
	user string
	code int32
}

// NewPool returns a pool of codes that assigns scanners with strategy s,
// with the default Options (SetOptions changes them). It fails if s is not
// a strategy, a code is invalid or two codes share an ID. The strategy is
// fixed for the pool's life; to change it, build a new pool.
func NewPool(s Strategy, codes ...Code) (*Pool, error) {
	p, err := newPool(s, DefaultOptions())
	if err != nil {
		return nil, err
	}
	if err := p.Add(codes...); err != nil {
		return nil, err
	}
	return p, nil
}

// newPool returns an empty pool with strategy s and options opts.
func newPool(s Strategy, opts Options) (*Pool, error) {
	if !s.valid() {
		return nil, fmt.Errorf("livecode: unknown strategy %d", int(s))
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Pool{
		strategy: s,
		opts:     opts,
		ttl:      int64(opts.PendingTTL),
		clock:    math.MinInt64,
		byID:     make(map[string]int32),
		byTag:    make(map[string]int32),
		byUser:   make(map[string]int32),
		members:  make(map[memberKey]struct{}),
		groups:   []group{{last: -1}},
		head:     -1,
		tail:     -1,
	}, nil
}

// Len returns the number of codes ever added, retired ones included.
func (p *Pool) Len() int { return len(p.codes) }

// NextName returns the suggested name of the next new group: the name
// prefix and the number of codes ever added plus one ("group 4").
func (p *Pool) NextName() string { return p.nameAt(0) }

func (p *Pool) nameAt(k int) string {
	return fmt.Sprintf("%s%d", p.opts.NamePrefix, len(p.codes)+1+k)
}

// Add adds codes to the pool, after the codes already in it. It adds all of
// them or, if one is invalid or its ID is taken (by a retired code too),
// none. A code whose QR has already expired by the pool's clock is added
// closed; give it a new QR with ReplaceQR. Cost O(log n) a code.
func (p *Pool) Add(codes ...Code) error {
	fixed := make([]Code, len(codes))
	seen := make(map[string]struct{}, len(codes))
	for i, c := range codes {
		c, err := c.withDefaults()
		if err != nil {
			return err
		}
		_, old := p.byID[c.ID]
		if _, dup := seen[c.ID]; old || dup {
			return fmt.Errorf("livecode: duplicate code id %q", c.ID)
		}
		seen[c.ID] = struct{}{}
		fixed[i] = c
	}
	for _, c := range fixed {
		p.add(c)
	}
	return nil
}

// add appends a valid code, closed, and opens it if it can take scans.
func (p *Pool) add(c Code) int32 {
	ci := int32(len(p.codes))
	p.codes = append(p.codes, codeState{
		id:        c.ID,
		cap:       c.Cap,
		scanLimit: c.ScanLimit,
		weight:    c.Weight,
		expires:   c.Expires,
		exp:       expiryNanos(c.Expires),
		tags:      c.Tags,
		members:   c.Members,
		anon:      c.Members,
	})
	p.byID[c.ID] = ci
	cs := &p.codes[ci]
	if len(c.Tags) == 0 {
		cs.entries = []int32{p.addEntry(ci, 0)}
	} else {
		cs.entries = make([]int32, len(c.Tags))
		for i, t := range c.Tags {
			g, ok := p.byTag[t]
			if !ok {
				g = int32(len(p.groups))
				p.groups = append(p.groups, group{tag: t, last: -1})
				p.byTag[t] = g
			}
			cs.entries[i] = p.addEntry(ci, g)
		}
	}
	if cs.exp <= p.clock {
		cs.expired = true
	} else if cs.exp != math.MaxInt64 {
		p.expiry.push(expiryItem{at: cs.exp, code: ci})
	}
	p.refresh(ci)
	return ci
}

func (p *Pool) addEntry(ci, gi int32) int32 {
	g := &p.groups[gi]
	e := int32(len(p.entries))
	en := entry{code: ci, group: gi, pos: int32(len(g.entries)), class: -1}
	switch p.strategy {
	case FillFirst, RoundRobin, Sticky:
		g.open.grow(len(g.entries) + 1)
	case LeastLoaded:
		g.at = append(g.at, -1)
	case Weighted:
		g.at = append(g.at, -1)
		en.class = int32(g.class(int64(p.codes[ci].weight)))
	}
	p.entries = append(p.entries, en)
	g.entries = append(g.entries, e)
	return e
}

// canTake reports whether the code can take one more scan.
func (c *codeState) canTake() bool {
	return !c.retired && !c.expired && c.members+c.pending < c.scanLimit && c.members < c.cap
}

// refresh brings the code's entries in line with its state: opened,
// closed, or (LeastLoaded) re-keyed.
func (p *Pool) refresh(ci int32) {
	c := &p.codes[ci]
	open := c.canTake()
	was := c.open
	c.open = open
	switch {
	case open && !was:
		for _, e := range c.entries {
			p.openEntry(e)
		}
	case !open && was:
		for _, e := range c.entries {
			p.closeEntry(e)
		}
	case open && p.strategy == LeastLoaded:
		load := int64(c.members + c.pending)
		for _, e := range c.entries {
			en := &p.entries[e]
			if g := &p.groups[en.group]; g.heapKey(en) != load {
				g.heap.setKey(g.at, en.pos, load)
			}
		}
	}
}

func (p *Pool) openEntry(e int32) {
	en := &p.entries[e]
	g := &p.groups[en.group]
	c := &p.codes[en.code]
	switch p.strategy {
	case FillFirst, RoundRobin, Sticky:
		g.open.set(int(en.pos))
	case LeastLoaded:
		g.heap.push(g.at, heapItem{key: int64(c.members + c.pending), pos: en.pos})
	case Weighted:
		w := int64(c.weight)
		// While open, the current weight is key's negation plus w*tick, so
		// one tick adds every open code's weight at once.
		key := -(en.cw - w*g.tick)
		g.classes[en.class].heap.push(g.at, heapItem{key: key, pos: en.pos})
		g.total += w
	}
}

func (p *Pool) closeEntry(e int32) {
	en := &p.entries[e]
	g := &p.groups[en.group]
	switch p.strategy {
	case FillFirst, RoundRobin, Sticky:
		g.open.clear(int(en.pos))
	case LeastLoaded:
		g.heap.remove(g.at, en.pos)
	case Weighted:
		w := int64(p.codes[en.code].weight)
		en.cw = -g.heapKey(en) + w*g.tick
		g.classes[en.class].heap.remove(g.at, en.pos)
		g.total -= w
	}
}

// class returns the index of the group's weight class for w, adding it.
func (g *group) class(w int64) int {
	for i := range g.classes {
		if g.classes[i].weight == w {
			return i
		}
	}
	g.classes = append(g.classes, weightClass{weight: w})
	return len(g.classes) - 1
}

// advance moves the clock to now (never backwards), drops lapsed
// reservations and closes expired QR codes. It returns the clock.
func (p *Pool) advance(now time.Time) int64 {
	t := nanos(now)
	if t < p.clock {
		t = p.clock
	}
	p.clock = t
	for p.head >= 0 && p.res[p.head].at <= t {
		s := p.head
		p.codes[p.res[s].code].stats.lapsed++
		p.release(s)
	}
	for len(p.expiry) > 0 && p.expiry[0].at <= t {
		it := p.expiry.pop()
		c := &p.codes[it.code]
		if c.exp == it.at && !c.expired {
			c.expired = true
			p.refresh(it.code)
		}
	}
	return t
}

// release ends the reservation in slot s and frees the place it held.
func (p *Pool) release(s int32) {
	p.unlink(s)
	r := &p.res[s]
	ci := r.code
	delete(p.byUser, r.user)
	r.live = false
	r.user = ""
	p.free = append(p.free, s)
	p.codes[ci].pending--
	p.refresh(ci)
}

// reserve records a reservation of user at code ci expiring at at.
func (p *Pool) reserve(user string, ci int32, at int64) {
	var s int32
	if n := len(p.free); n > 0 {
		s = p.free[n-1]
		p.free = p.free[:n-1]
	} else {
		s = int32(len(p.res))
		p.res = append(p.res, reservation{})
	}
	r := &p.res[s]
	r.user, r.code, r.at, r.live = user, ci, at, true
	p.byUser[user] = s
	p.link(s)
	p.codes[ci].pending++
	p.refresh(ci)
}

// link appends reservation s to the expiry list.
func (p *Pool) link(s int32) {
	r := &p.res[s]
	r.prev, r.next = p.tail, -1
	if p.tail >= 0 {
		p.res[p.tail].next = s
	} else {
		p.head = s
	}
	p.tail = s
}

// unlink takes reservation s out of the expiry list.
func (p *Pool) unlink(s int32) {
	r := &p.res[s]
	if r.prev >= 0 {
		p.res[r.prev].next = r.next
	} else {
		p.head = r.next
	}
	if r.next >= 0 {
		p.res[r.next].prev = r.prev
	} else {
		p.tail = r.prev
	}
	r.prev, r.next = -1, -1
}

func checkArgs(user string, now time.Time) error {
	if user == "" {
		return errors.New("livecode: empty user id")
	}
	if now.IsZero() {
		return errors.New("livecode: zero time")
	}
	return nil
}

// Assign returns the code a scan by user at now should show, and reserves
// a place for user there until now + PendingTTL. It is AssignTags without
// tags: only untagged codes take the scan.
func (p *Pool) Assign(user string, now time.Time) (string, error) {
	return p.AssignTags(user, now)
}

// AssignTags returns the code a scan by user at now should show, and
// reserves a place for user there until now + PendingTTL.
//
// A repeat scan by a user who holds a reservation returns the same code
// while it can still take them (its QR is valid, it is not retired or at
// its cap, and it is eligible for the scan's tags), and restarts the TTL.
// Otherwise the reservation is given up and the scan is routed afresh: to
// the codes tagged with the scan's first tag, else its second tag, and so
// on, else to the untagged codes; within each, the pool's Strategy
// chooses. ErrFull means no eligible code can take the scan.
//
// Assign does not know who is already in a group: a member who scans again
// gets a reservation like anyone else, which lapses if never joined.
// Cost: a map lookup plus the strategy's cost; no allocation in the common
// case (amortized; see the package documentation).
func (p *Pool) AssignTags(user string, now time.Time, tags ...string) (string, error) {
	if err := checkArgs(user, now); err != nil {
		return "", err
	}
	t := p.advance(now)
	at := satAdd(t, p.ttl)
	if s, ok := p.byUser[user]; ok {
		r := &p.res[s]
		c := &p.codes[r.code]
		if !c.retired && !c.expired && c.members < c.cap && c.eligible(tags) {
			p.unlink(s)
			r.at = at
			p.link(s)
			c.stats.scans++
			return c.id, nil
		}
		c.stats.lapsed++
		p.release(s)
	}
	e := p.pick(user, tags)
	if e < 0 {
		return "", ErrFull
	}
	ci := p.entries[e].code
	c := &p.codes[ci]
	c.stats.scans++
	c.stats.scanners++
	p.reserve(user, ci, at)
	return c.id, nil
}

func satAdd(t, d int64) int64 {
	if t > math.MaxInt64-d {
		return math.MaxInt64
	}
	return t + d
}

// eligible reports whether the code may take a scan with these tags.
func (c *codeState) eligible(tags []string) bool {
	if len(c.tags) == 0 {
		return true
	}
	for _, t := range tags {
		if slices.Contains(c.tags, t) {
			return true
		}
	}
	return false
}

// pick chooses an open entry for a new scan, or returns -1.
func (p *Pool) pick(user string, tags []string) int32 {
	var uh uint64
	if p.strategy == Sticky {
		uh = idHash(user)
	}
	for _, t := range tags {
		if t == "" {
			continue
		}
		if g, ok := p.byTag[t]; ok {
			if e := p.pickIn(g, uh); e >= 0 {
				return e
			}
		}
	}
	return p.pickIn(0, uh)
}

func (p *Pool) pickIn(gi int32, uh uint64) int32 {
	g := &p.groups[gi]
	switch p.strategy {
	case FillFirst:
		if i := g.open.next(0); i >= 0 {
			return g.entries[i]
		}
	case RoundRobin:
		i := g.open.next(g.last + 1)
		if i < 0 {
			i = g.open.next(0)
		}
		if i >= 0 {
			g.last = i
			return g.entries[i]
		}
	case LeastLoaded:
		if len(g.heap.items) > 0 {
			return g.entries[g.heap.items[0].pos]
		}
	case Weighted:
		return p.pickWeighted(g)
	case Sticky:
		return p.pickSticky(g, uh)
	}
	return -1
}

// pickWeighted is one step of smooth weighted round robin: every open code
// gains its weight, the one with the highest current weight (the earliest
// added on a tie) is chosen and loses the total. Within a weight class the
// highest current weight is the heap's top, so a step costs O(classes +
// log n) instead of O(n).
func (p *Pool) pickWeighted(g *group) int32 {
	best := -1
	var top heapItem
	var bestCW int64
	next := g.tick + 1
	for i := range g.classes {
		cl := &g.classes[i]
		if len(cl.heap.items) == 0 {
			continue
		}
		it := cl.heap.items[0]
		cw := -it.key + cl.weight*next
		if best < 0 || cw > bestCW || cw == bestCW && it.pos < top.pos {
			best, top, bestCW = i, it, cw
		}
	}
	if best < 0 {
		return -1
	}
	g.tick = next
	h := &g.classes[best].heap
	top.key += g.total
	h.down(g.at, 0, top)
	return g.entries[top.pos]
}

// pickSticky returns the first open entry in the user's ranking of the
// group's positions (see hash.go): up to stickyDraws jump-hash draws, each
// checked in O(1) against the open set, then the first open position in
// the user's fixed order of all positions (bitTree.firstRanked).
func (p *Pool) pickSticky(g *group, uh uint64) int32 {
	if g.open.empty() {
		return -1
	}
	n := len(g.entries)
	for d := range stickyDraws {
		if b := jump(stickySeed(uh, d), n); g.open.has(b) {
			return g.entries[b]
		}
	}
	return g.entries[g.open.firstRanked(stickySeed(uh, stickyDraws))]
}

func (p *Pool) code(id string) (int32, error) {
	ci, ok := p.byID[id]
	if !ok {
		return -1, fmt.Errorf("livecode: unknown code %q", id)
	}
	return ci, nil
}

// Joined records that user joined the group of code id at now. If user
// holds a reservation there it becomes a member (a converted scan);
// otherwise the member came another way (an invite, another QR) and any
// reservation user holds at another code is given up. Joined fails, and
// changes nothing, if the code is unknown, user is already a member of it,
// or the group is at its cap. It accepts retired codes: the group lives on.
// Such joins may take Members plus pending past ScanLimit, as invites do in
// WeChat; they never take Members past Cap.
func (p *Pool) Joined(user, id string, now time.Time) error {
	if err := checkArgs(user, now); err != nil {
		return err
	}
	ci, err := p.code(id)
	if err != nil {
		return err
	}
	p.advance(now)
	c := &p.codes[ci]
	k := memberKey{user, ci}
	if _, ok := p.members[k]; ok {
		return fmt.Errorf("livecode: user %q is already a member of %q", user, id)
	}
	if c.members >= c.cap {
		return fmt.Errorf("livecode: code %q is at its cap of %d members", id, c.cap)
	}
	if s, ok := p.byUser[user]; ok {
		if p.res[s].code == ci {
			c.stats.fromScans++
		} else {
			p.codes[p.res[s].code].stats.lapsed++
		}
		p.release(s)
	}
	c.members++
	c.stats.joins++
	p.members[k] = struct{}{}
	p.refresh(ci)
	return nil
}

// Left records that user left the group of code id at now. A user the pool
// did not see join is taken to be one of the members the code was added
// with. Left fails, and changes nothing, if the code is unknown or no such
// member is left.
func (p *Pool) Left(user, id string, now time.Time) error {
	if err := checkArgs(user, now); err != nil {
		return err
	}
	ci, err := p.code(id)
	if err != nil {
		return err
	}
	c := &p.codes[ci]
	k := memberKey{user, ci}
	if _, ok := p.members[k]; ok {
		delete(p.members, k)
	} else if c.anon > 0 {
		c.anon--
	} else {
		return fmt.Errorf("livecode: user %q is not a member of %q", user, id)
	}
	p.advance(now)
	c.members--
	c.stats.left++
	p.refresh(ci)
	return nil
}

// ReplaceQR gives code id a new QR that expires at expires (zero: never),
// in place: the same ID, members, reservations and statistics. Use it when
// a QR has expired or is about to. Cost O(log n).
func (p *Pool) ReplaceQR(id string, expires time.Time, now time.Time) error {
	if now.IsZero() {
		return errors.New("livecode: zero time")
	}
	ci, err := p.code(id)
	if err != nil {
		return err
	}
	if _, err := (Code{ID: id, Expires: expires}).withDefaults(); err != nil {
		return err
	}
	t := p.advance(now)
	c := &p.codes[ci]
	c.expires = expires
	c.exp = expiryNanos(expires)
	c.expired = c.exp <= t
	if !c.expired && c.exp != math.MaxInt64 {
		p.expiry.push(expiryItem{at: c.exp, code: ci})
	}
	p.refresh(ci)
	return nil
}

// Retire takes code id out of rotation for good: it takes no more scans,
// its reservations lapse, and its ID stays taken. Its members and
// statistics remain, and Joined and Left still count for it.
func (p *Pool) Retire(id string, now time.Time) error {
	if now.IsZero() {
		return errors.New("livecode: zero time")
	}
	ci, err := p.code(id)
	if err != nil {
		return err
	}
	p.advance(now)
	c := &p.codes[ci]
	if c.retired {
		return fmt.Errorf("livecode: code %q is already retired", id)
	}
	c.retired = true
	for s := range p.res {
		if r := &p.res[s]; r.live && r.code == ci {
			c.stats.lapsed++
			p.release(int32(s))
		}
	}
	p.refresh(ci)
	return nil
}
