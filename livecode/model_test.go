package livecode

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// model is a deliberately naive pool: every operation scans every code, and
// smooth weighted round robin is the textbook O(n) loop (as in nginx's
// ngx_http_upstream_get_peer). The state machine checks Pool against it.
type model struct {
	strategy Strategy
	ttl      int64
	clock    int64
	codes    []mCode
	res      map[string]mRes
	named    map[memberKey]bool
	groups   []string           // tag groups in order of first appearance; "" first
	rrLast   map[string]int     // RoundRobin: pos of latest pick per group
	cw       map[string][]int64 // Weighted: current weight per group, by pos
	other    []int              // joins that came another way, per code
}

type mCode struct {
	id                     string
	members, anon, pending int
	cap, limit, weight     int
	exp                    int64
	tags                   []string
	retired                bool
	stats                  counters
}

type mRes struct {
	code int
	at   int64
}

func newModel(s Strategy) *model {
	return &model{strategy: s, ttl: int64(DefaultPendingTTL), clock: math.MinInt64,
		res: map[string]mRes{}, named: map[memberKey]bool{}, groups: []string{""},
		rrLast: map[string]int{"": -1}, cw: map[string][]int64{"": nil}}
}

func (m *model) add(c Code) {
	c, _ = c.withDefaults()
	m.codes = append(m.codes, mCode{id: c.ID, members: c.Members, anon: c.Members, cap: c.Cap,
		limit: c.ScanLimit, weight: c.Weight, exp: expiryNanos(c.Expires), tags: c.Tags})
	m.other = append(m.other, 0)
	gs := c.Tags
	if len(gs) == 0 {
		gs = []string{""}
	}
	for _, t := range gs {
		if _, ok := m.cw[t]; !ok {
			m.groups = append(m.groups, t)
			m.rrLast[t] = -1
		}
		m.cw[t] = append(m.cw[t], 0)
	}
}

func (m *model) advance(now time.Time) int64 {
	t := nanos(now)
	if t < m.clock {
		t = m.clock
	}
	m.clock = t
	for u, r := range m.res {
		if r.at <= t {
			m.codes[r.code].pending--
			m.codes[r.code].stats.lapsed++
			delete(m.res, u)
		}
	}
	return t
}

// setTTL is SetOptions' TTL change: later reservations get ttl, and no
// live one outlives the clock plus ttl.
func (m *model) setTTL(ttl int64) {
	m.ttl = ttl
	for u, r := range m.res {
		if lim := satAdd(m.clock, ttl); r.at > lim {
			r.at = lim
			m.res[u] = r
		}
	}
}

func (m *model) open(i int) bool {
	c := &m.codes[i]
	return !c.retired && c.exp > m.clock && c.members+c.pending < c.limit && c.members < c.cap
}

// members of group tag, in pos order.
func (m *model) group(tag string) []int {
	var out []int
	for i, c := range m.codes {
		if tag == "" && len(c.tags) == 0 {
			out = append(out, i)
		}
		for _, t := range c.tags {
			if t == tag && tag != "" {
				out = append(out, i)
			}
		}
	}
	return out
}

func (m *model) eligible(i int, tags []string) bool {
	c := &m.codes[i]
	if len(c.tags) == 0 {
		return true
	}
	for _, t := range tags {
		for _, u := range c.tags {
			if t == u {
				return true
			}
		}
	}
	return false
}

func (m *model) assign(user string, now time.Time, tags []string) (string, error) {
	t := m.advance(now)
	if r, ok := m.res[user]; ok {
		c := &m.codes[r.code]
		if !c.retired && c.exp > t && c.members < c.cap && m.eligible(r.code, tags) {
			m.res[user] = mRes{r.code, t + m.ttl}
			c.stats.scans++
			return c.id, nil
		}
		c.pending--
		c.stats.lapsed++
		delete(m.res, user)
	}
	pick := -1
	for _, t := range append(append([]string(nil), tags...), "") {
		if _, ok := m.cw[t]; !ok || (t == "" && pick >= 0) {
			continue
		}
		if pick = m.pickIn(t, user); pick >= 0 {
			break
		}
	}
	if pick < 0 {
		return "", ErrFull
	}
	c := &m.codes[pick]
	c.pending++
	c.stats.scans++
	c.stats.scanners++
	m.res[user] = mRes{pick, t + m.ttl}
	return c.id, nil
}

func (m *model) pickIn(tag, user string) int {
	g := m.group(tag)
	switch m.strategy {
	case FillFirst:
		for _, i := range g {
			if m.open(i) {
				return i
			}
		}
	case RoundRobin:
		n := len(g)
		for k := 1; k <= n; k++ {
			pos := (m.rrLast[tag] + k) % n
			if m.open(g[pos]) {
				m.rrLast[tag] = pos
				return g[pos]
			}
		}
	case LeastLoaded:
		best := -1
		for _, i := range g {
			if m.open(i) && (best < 0 || m.codes[i].members+m.codes[i].pending < m.codes[best].members+m.codes[best].pending) {
				best = i
			}
		}
		return best
	case Weighted:
		cw := m.cw[tag]
		best, total := -1, int64(0)
		for pos, i := range g {
			if !m.open(i) {
				continue
			}
			cw[pos] += int64(m.codes[i].weight)
			total += int64(m.codes[i].weight)
			if best < 0 || cw[pos] > cw[best] {
				best = pos
			}
		}
		if best < 0 {
			return -1
		}
		cw[best] -= total
		return g[best]
	case Sticky:
		if pos := naiveSticky(idHash(user), len(g), func(pos int) bool { return m.open(g[pos]) }); pos >= 0 {
			return g[pos]
		}
	}
	return -1
}

// naiveSticky walks a user's ranking of n positions (hash.go) in full and
// returns the first open position, or -1: the stickyDraws jump-hash draws,
// then the open position with the smallest key in the user's fixed order.
// That key spells out, level by level from the top, each binary choice on
// the way to the position: 0 where it takes the preferred half, 1 where
// not; so the smallest key is the first open position in the order.
func naiveSticky(uh uint64, n int, open func(pos int) bool) int {
	if n == 0 {
		return -1
	}
	for d := range stickyDraws {
		if pos := jump(stickySeed(uh, d), n); open(pos) {
			return pos
		}
	}
	seed := stickySeed(uh, stickyDraws)
	best, bestKey := -1, uint64(0)
	for pos := range n {
		if !open(pos) {
			continue
		}
		var key uint64
		for lvl := 5; lvl >= 0; lvl-- { // 64^6 > any position
			r := rankBits(seed, lvl, pos>>(6*(lvl+1)))
			c := pos >> (6 * lvl) & 63
			node := 1
			for d := 5; d >= 0; d-- {
				half := c >> d & 1
				key = key<<1 | uint64(half) ^ (r >> node & 1)
				node = 2*node + half
			}
		}
		if best < 0 || key < bestKey {
			best, bestKey = pos, key
		}
	}
	return best
}

func (m *model) find(id string) int {
	for i, c := range m.codes {
		if c.id == id {
			return i
		}
	}
	return -1
}

func (m *model) joined(user, id string, now time.Time) error {
	i := m.find(id)
	if i < 0 {
		return errors.New("unknown")
	}
	m.advance(now)
	c := &m.codes[i]
	if m.named[memberKey{user, int32(i)}] {
		return errors.New("already")
	}
	if c.members >= c.cap {
		return errors.New("cap")
	}
	if r, ok := m.res[user]; ok {
		if r.code == i {
			c.stats.fromScans++
		} else {
			m.codes[r.code].stats.lapsed++
			m.other[i]++
		}
		m.codes[r.code].pending--
		delete(m.res, user)
	} else {
		m.other[i]++
	}
	c.members++
	c.stats.joins++
	m.named[memberKey{user, int32(i)}] = true
	return nil
}

func (m *model) left(user, id string, now time.Time) error {
	i := m.find(id)
	if i < 0 {
		return errors.New("unknown")
	}
	c := &m.codes[i]
	k := memberKey{user, int32(i)}
	switch {
	case m.named[k]:
		delete(m.named, k)
	case c.anon > 0:
		c.anon--
	default:
		return errors.New("not a member")
	}
	m.advance(now)
	c.members--
	c.stats.left++
	return nil
}

func (m *model) retire(id string, now time.Time) error {
	i := m.find(id)
	if i < 0 {
		return errors.New("unknown")
	}
	m.advance(now)
	if m.codes[i].retired {
		return errors.New("retired")
	}
	m.codes[i].retired = true
	for u, r := range m.res {
		if r.code == i {
			m.codes[i].pending--
			m.codes[i].stats.lapsed++
			delete(m.res, u)
		}
	}
	return nil
}

func (m *model) replace(id string, exp time.Time, now time.Time) error {
	i := m.find(id)
	if i < 0 {
		return errors.New("unknown")
	}
	m.advance(now)
	m.codes[i].exp = expiryNanos(exp)
	return nil
}

var (
	shanghai = qunops.DefaultLocation()
	t0       = time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
)

// TestPoolMatchesModel is the state machine test: random scans, joins,
// leaves, new codes, QR replacements, retirements, clock jumps and JSON
// round trips, checked step by step against the naive model, under every
// strategy. Besides exact agreement it checks the contract's invariants
// directly: an assigned code was open (QR valid, below its scan limit and
// cap) when it took the scan, ErrFull comes exactly when no eligible code
// was open, a repeat scan keeps its code while it can take the user, and
// members + pending stay within the scan limit except for joins that came
// another way.
func TestPoolMatchesModel(t *testing.T) {
	for s := FillFirst; s <= Sticky; s++ {
		t.Run(s.String(), func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) { runMachine(rt, s) })
		})
	}
}

func runMachine(rt *rapid.T, s Strategy) {
	p, err := NewPool(s)
	if err != nil {
		rt.Fatal(err)
	}
	m := newModel(s)
	now := t0
	users := rapid.SampledFrom(allUsers)
	tagGen := rapid.SampledFrom([]string{"bj", "sh", "gz"})
	nextID := 0
	codeID := func(rt *rapid.T) string {
		if nextID == 0 {
			return "nope"
		}
		return fmt.Sprintf("c%d", rapid.IntRange(0, nextID).Draw(rt, "code"))
	}
	sameErr := func(op string, got, want error) {
		if (got == nil) != (want == nil) {
			rt.Fatalf("%s: pool error %v, model error %v", op, got, want)
		}
	}
	rt.Repeat(map[string]func(*rapid.T){
		"add": func(rt *rapid.T) {
			c := Code{ID: fmt.Sprintf("c%d", nextID),
				Members:   rapid.IntRange(0, 3).Draw(rt, "members"),
				ScanLimit: rapid.IntRange(1, 5).Draw(rt, "limit"),
				Weight:    rapid.IntRange(1, 4).Draw(rt, "weight"),
			}
			c.Cap = c.Members + rapid.IntRange(1, 6).Draw(rt, "room")
			if rapid.Bool().Draw(rt, "expires") {
				c.Expires = now.Add(time.Duration(rapid.IntRange(-5, 60).Draw(rt, "min")) * time.Minute)
			}
			if rapid.IntRange(0, 2).Draw(rt, "tagged") == 0 {
				c.Tags = rapid.SliceOfNDistinct(tagGen, 1, 2, rapid.ID[string]).Draw(rt, "tags")
			}
			nextID++
			if err := p.Add(c); err != nil {
				rt.Fatal(err)
			}
			m.add(c)
		},
		"scan": func(rt *rapid.T) {
			u := users.Draw(rt, "user")
			var tags []string
			if rapid.IntRange(0, 2).Draw(rt, "tagged") == 0 {
				tags = rapid.SliceOfN(tagGen, 1, 2).Draw(rt, "tags")
			}
			// Pre-state facts for the invariants.
			m.advance(now)
			prev, had := m.res[u]
			anyOpen := false
			for i := range m.codes {
				if m.open(i) && m.eligible(i, tags) {
					anyOpen = true
				}
			}
			got, gerr := p.AssignTags(u, now, tags...)
			want, werr := m.assign(u, now, tags)
			if got != want || !errors.Is(gerr, werr) && (gerr != nil || werr != nil) {
				rt.Fatalf("assign %s %v at %v: pool %q %v, model %q %v", u, tags, now, got, gerr, want, werr)
			}
			if had {
				c := m.codes[prev.code]
				keep := !c.retired && c.exp > m.clock && c.members < c.cap && m.eligible(prev.code, tags)
				if keep && got != c.id {
					rt.Fatalf("repeat scan of %s moved from %s to %s", u, c.id, got)
				}
				if keep {
					return
				}
			}
			if gerr == ErrFull {
				if anyOpen {
					rt.Fatalf("ErrFull with an eligible open code")
				}
				return
			}
			i := m.find(got)
			c := m.codes[i]
			if c.exp <= m.clock || c.retired || c.members+c.pending-1 >= c.limit || c.members >= c.cap || !m.eligible(i, tags) {
				rt.Fatalf("assigned %s, which could not take the scan: %+v", got, c)
			}
		},
		"join": func(rt *rapid.T) {
			u, id := users.Draw(rt, "user"), codeID(rt)
			if r, ok := m.res[u]; ok && rapid.Bool().Draw(rt, "own") {
				id = m.codes[r.code].id
			}
			sameErr("joined", p.Joined(u, id, now), m.joined(u, id, now))
		},
		"leave": func(rt *rapid.T) {
			u, id := users.Draw(rt, "user"), codeID(rt)
			sameErr("left", p.Left(u, id, now), m.left(u, id, now))
		},
		"retire": func(rt *rapid.T) {
			id := codeID(rt)
			sameErr("retire", p.Retire(id, now), m.retire(id, now))
		},
		"replace": func(rt *rapid.T) {
			id := codeID(rt)
			exp := now.Add(time.Duration(rapid.IntRange(1, 60).Draw(rt, "min")) * time.Minute)
			sameErr("replace", p.ReplaceQR(id, exp, now), m.replace(id, exp, now))
		},
		"tick": func(rt *rapid.T) {
			now = now.Add(time.Duration(rapid.IntRange(0, 12).Draw(rt, "min")) * time.Minute)
		},
		"back": func(rt *rapid.T) {
			// A time before the clock is taken as the clock.
			now = now.Add(-time.Duration(rapid.IntRange(1, 5).Draw(rt, "min")) * time.Minute)
		},
		"options": func(rt *rapid.T) {
			ttl := time.Duration(rapid.IntRange(1, 15).Draw(rt, "ttl")) * time.Minute
			o := Options{PendingTTL: ttl, NearLimitPercent: rapid.IntRange(0, 100).Draw(rt, "near")}
			if err := p.SetOptions(o); err != nil {
				rt.Fatal(err)
			}
			m.setTTL(int64(ttl))
		},
		"roundtrip": func(rt *rapid.T) {
			b, err := p.MarshalJSON()
			if err != nil {
				rt.Fatal(err)
			}
			var q Pool
			if err := q.UnmarshalJSON(b); err != nil {
				rt.Fatalf("unmarshal: %v\n%s", err, b)
			}
			b2, err := q.MarshalJSON()
			if err != nil || string(b) != string(b2) {
				rt.Fatalf("round trip changed the state:\n%s\n%s", b, b2)
			}
			// The decoded pool equals the original in everything a caller
			// can see; the model then checks it behaves the same.
			if q.Strategy() != p.Strategy() || q.Options() != p.Options() || q.Len() != p.Len() || q.NextName() != p.NextName() {
				rt.Fatalf("decoded %v %+v, original %v %+v", q.Strategy(), q.Options(), p.Strategy(), p.Options())
			}
			if diff := cmp.Diff(p.AllStats(), q.AllStats()); diff != "" {
				rt.Fatalf("stats after a round trip (-original +decoded):\n%s", diff)
			}
			for _, u := range allUsers {
				x, okx := p.Reservation(u)
				y, oky := q.Reservation(u)
				if x != y || okx != oky {
					rt.Fatalf("reservation of %s: original %q %v, decoded %q %v", u, x, okx, y, oky)
				}
			}
			p = &q
		},
		"badstate": func(rt *rapid.T) {
			// A state spoilt in one of the ways a hand edit or a partial
			// write spoils it is rejected, and the pool stays as it was;
			// the steps after this one check that it still works.
			b, err := p.MarshalJSON()
			if err != nil {
				rt.Fatal(err)
			}
			bad := spoil(b, rapid.IntRange(0, len(spoilers)-1).Draw(rt, "spoil"))
			if err := p.UnmarshalJSON(bad); err == nil {
				rt.Fatalf("spoilt state accepted:\n%s", bad)
			}
			if after, _ := p.MarshalJSON(); string(after) != string(b) {
				rt.Fatalf("a failed UnmarshalJSON changed the pool:\n%s\n%s", b, after)
			}
		},
		"": func(rt *rapid.T) {
			st := p.AllStats()
			if len(st) != len(m.codes) {
				rt.Fatalf("%d codes, model %d", len(st), len(m.codes))
			}
			for i, s := range st {
				c := m.codes[i]
				if s.ID != c.id || s.Members != c.members || s.Pending != c.pending || s.Retired != c.retired ||
					(counters{s.Scans, s.Scanners, s.Joins, s.FromScans, s.Lapsed, s.Left}) != c.stats {
					rt.Fatalf("code %s: pool %+v, model %+v", c.id, s, c)
				}
				if s.Members > s.Cap || s.Pending < 0 {
					rt.Fatalf("code %s over its cap: %+v", c.id, s)
				}
				if m.other[i] == 0 && s.Pending > 0 && s.Members+s.Pending > s.ScanLimit {
					rt.Fatalf("code %s: members + pending %d over scan limit %d", c.id, s.Members+s.Pending, s.ScanLimit)
				}
			}
			if len(p.byUser) != len(m.res) {
				rt.Fatalf("%d reservations, model %d", len(p.byUser), len(m.res))
			}
		},
	})
}

var allUsers = []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"}

// spoilers are edits that make a state invalid: each replaces the first
// occurrence of its old text, or cuts the state short.
var spoilers = [][2]string{
	{`{"v":2,`, `{"v":2,"v":2,`},                      // duplicate key
	{`"pending_ttl":"`, `"pending_ttl":"x`},           // malformed duration
	{`"strategy":"`, `"strategy":"x`},                 // unknown strategy
	{`"options":{`, `"options":{"Pending_TTL":"1m",`}, // wrong-case key
	{`"codes":[`, `"codes":[{"id":""},`},              // invalid code
	{`"v":2`, `"v":1`},                                // old version
	{"", ""},                                          // cut short
}

func spoil(b []byte, i int) []byte {
	if sp := spoilers[i]; sp[0] != "" {
		return []byte(strings.Replace(string(b), sp[0], sp[1], 1))
	}
	return b[:len(b)/2]
}

// machineSteps is the average length of a state machine run.
var machineSteps = "200"

// TestMain lengthens rapid's state machine runs (30 steps by default) so
// that codes fill, expire and reopen within one run, unless -rapid.steps
// or RAPID_STEPS says otherwise.
func TestMain(m *testing.M) {
	flag.Parse()
	set := os.Getenv("RAPID_STEPS") != ""
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.steps" })
	if !set {
		if err := flag.Set("rapid.steps", machineSteps); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
