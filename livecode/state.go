package livecode

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// StateVersion is the version of the JSON state MarshalJSON writes and
// UnmarshalJSON reads. A state with another version is rejected. Version 2
// moved the strategy out of the options and writes durations as Go duration
// strings ("10m") instead of nanoseconds.
const StateVersion = 2

// The JSON state. It holds everything a pool needs to carry on exactly as
// before: options, clock, codes with their counters, named members, the
// strategies' positions and the live reservations.
type stateJSON struct {
	V            int         `json:"v"`
	Strategy     string      `json:"strategy"`
	Options      optionsJSON `json:"options"`
	Clock        *time.Time  `json:"clock,omitempty"`
	Codes        []codeJSON  `json:"codes"`
	Groups       []groupJSON `json:"groups,omitempty"`
	Reservations []resJSON   `json:"reservations,omitempty"`
}

type codeJSON struct {
	ID        string     `json:"id"`
	Members   int        `json:"members"`
	Cap       int        `json:"cap"`
	ScanLimit int        `json:"scan_limit"`
	Expires   *time.Time `json:"expires,omitempty"`
	Weight    int        `json:"weight"`
	Tags      []string   `json:"tags,omitempty"`
	Retired   bool       `json:"retired,omitempty"`
	Named     []string   `json:"named,omitempty"` // members with known user ids, sorted
	Scans     int64      `json:"scans"`
	Scanners  int64      `json:"scanners"`
	Joins     int64      `json:"joins"`
	FromScans int64      `json:"from_scans"`
	Lapsed    int64      `json:"lapsed"`
	Left      int64      `json:"left"`
}

// groupJSON keeps a tag group's strategy position: RoundRobin's last pick
// and Weighted's tick and current weights, one per code of the group in
// the order the codes were added.
type groupJSON struct {
	Tag     string  `json:"tag"`
	Last    int     `json:"last"`
	Tick    int64   `json:"tick,omitempty"`
	Current []int64 `json:"current,omitempty"`
}

type resJSON struct {
	User    string    `json:"user"`
	Code    string    `json:"code"`
	Expires time.Time `json:"expires"`
}

// MarshalJSON writes the pool's state as a versioned JSON object. The
// output depends only on the state (never on map order), and
// UnmarshalJSON of it gives a pool that behaves exactly as p does.
func (p *Pool) MarshalJSON() ([]byte, error) {
	st := stateJSON{V: StateVersion, Strategy: p.strategy.String(), Options: p.opts.toJSON(), Codes: make([]codeJSON, len(p.codes))}
	if p.clock != math.MinInt64 {
		c := time.Unix(0, p.clock).UTC()
		st.Clock = &c
	}
	named := make([][]string, len(p.codes))
	for k := range p.members {
		named[k.code] = append(named[k.code], k.user)
	}
	for i := range p.codes {
		c := &p.codes[i]
		slices.Sort(named[i])
		cj := codeJSON{
			ID: c.id, Members: c.members, Cap: c.cap, ScanLimit: c.scanLimit, Weight: c.weight,
			Tags: c.tags, Retired: c.retired, Named: named[i],
			Scans: c.stats.scans, Scanners: c.stats.scanners, Joins: c.stats.joins,
			FromScans: c.stats.fromScans, Lapsed: c.stats.lapsed, Left: c.stats.left,
		}
		if !c.expires.IsZero() {
			e := c.expires
			cj.Expires = &e
		}
		st.Codes[i] = cj
	}
	for gi := range p.groups {
		g := &p.groups[gi]
		gj := groupJSON{Tag: g.tag, Last: g.last}
		if p.strategy == Weighted {
			gj.Tick = g.tick
			gj.Current = make([]int64, len(g.entries))
			for i, e := range g.entries {
				en := &p.entries[e]
				if p.codes[en.code].open {
					gj.Current[i] = -g.heapKey(en) + int64(p.codes[en.code].weight)*g.tick
				} else {
					gj.Current[i] = en.cw
				}
			}
		}
		st.Groups = append(st.Groups, gj)
	}
	// Reservations in expiry order, then by user: the order they lapse in.
	for s := range p.res {
		if r := &p.res[s]; r.live {
			st.Reservations = append(st.Reservations, resJSON{User: r.user, Code: p.codes[r.code].id, Expires: time.Unix(0, r.at).UTC()})
		}
	}
	slices.SortFunc(st.Reservations, func(a, b resJSON) int {
		return cmp.Or(a.Expires.Compare(b.Expires), strings.Compare(a.User, b.User))
	})
	return json.Marshal(st)
}

// UnmarshalJSON replaces the pool's state with the one in b, written by
// MarshalJSON. It rejects unknown, misspelt and duplicate keys (naming
// them), a missing or other version, and any state a pool could not have
// reached (a duplicate ID, more members than the cap, a reservation at a
// retired code, or one that outlives the TTL, say). On error the pool is
// left unchanged and usable; it never panics.
func (p *Pool) UnmarshalJSON(b []byte) error {
	var st stateJSON
	if err := jsonx.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("livecode: state: %v", err)
	}
	q, err := fromState(&st)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

func fromState(st *stateJSON) (*Pool, error) {
	if st.V != StateVersion {
		return nil, fmt.Errorf("livecode: state version %d, want %d", st.V, StateVersion)
	}
	s, err := parseStrategy(st.Strategy)
	if err != nil {
		return nil, fmt.Errorf("livecode: state: strategy: %v", err)
	}
	opts := st.Options.options()
	if opts.PendingTTL == 0 || opts.NearLimitPercent == 0 || opts.ExpiringWithin == 0 || opts.NamePrefix == "" {
		return nil, fmt.Errorf("livecode: state: options must be complete")
	}
	q, err := newPool(s, opts)
	if err != nil {
		return nil, err
	}
	if st.Clock != nil {
		if st.Clock.Before(minTime) || st.Clock.After(maxTime) {
			return nil, fmt.Errorf("livecode: state: clock %v out of range", *st.Clock)
		}
		q.clock = st.Clock.UnixNano()
	}
	for i, cj := range st.Codes {
		if cj.Cap == 0 || cj.ScanLimit == 0 || cj.Weight == 0 {
			return nil, fmt.Errorf("livecode: state: code %d (%q): cap, scan_limit and weight must be set", i, cj.ID)
		}
		c := Code{ID: cj.ID, Members: cj.Members, Cap: cj.Cap, ScanLimit: cj.ScanLimit, Weight: cj.Weight, Tags: cj.Tags}
		if cj.Expires != nil {
			if cj.Expires.IsZero() {
				return nil, fmt.Errorf("livecode: state: code %q: zero expiry must be omitted", cj.ID)
			}
			c.Expires = *cj.Expires
		}
		c, err := c.withDefaults()
		if err != nil {
			return nil, err
		}
		if _, dup := q.byID[c.ID]; dup {
			return nil, fmt.Errorf("livecode: state: duplicate code id %q", c.ID)
		}
		for _, n := range []int64{cj.Scans, cj.Scanners, cj.Joins, cj.FromScans, cj.Lapsed, cj.Left} {
			if n < 0 {
				return nil, fmt.Errorf("livecode: state: code %q: negative counter %d", c.ID, n)
			}
		}
		if len(cj.Named) > c.Members {
			return nil, fmt.Errorf("livecode: state: code %q: %d named members but %d members", c.ID, len(cj.Named), c.Members)
		}
		ci := q.add(c)
		cs := &q.codes[ci]
		cs.anon = c.Members - len(cj.Named)
		cs.stats = counters{cj.Scans, cj.Scanners, cj.Joins, cj.FromScans, cj.Lapsed, cj.Left}
		for j, u := range cj.Named {
			if u == "" || j > 0 && cj.Named[j-1] >= u {
				return nil, fmt.Errorf("livecode: state: code %q: named members must be non-empty, sorted and distinct", c.ID)
			}
			q.members[memberKey{u, ci}] = struct{}{}
		}
		if cj.Retired {
			cs.retired = true
			q.refresh(ci)
		}
	}
	if len(st.Groups) != 0 && len(st.Groups) != len(q.groups) {
		return nil, fmt.Errorf("livecode: state: %d groups, want %d", len(st.Groups), len(q.groups))
	}
	for gi, gj := range st.Groups {
		g := &q.groups[gi]
		if gj.Tag != g.tag {
			return nil, fmt.Errorf("livecode: state: group %d tag %q, want %q", gi, gj.Tag, g.tag)
		}
		if gj.Last < -1 || gj.Last >= len(g.entries) {
			return nil, fmt.Errorf("livecode: state: group %q: last %d out of range", gj.Tag, gj.Last)
		}
		g.last = gj.Last
		if q.strategy != Weighted {
			if gj.Tick != 0 || gj.Current != nil {
				return nil, fmt.Errorf("livecode: state: group %q: weights under strategy %v", gj.Tag, q.strategy)
			}
			continue
		}
		if len(gj.Current) != len(g.entries) {
			return nil, fmt.Errorf("livecode: state: group %q: %d current weights, want %d", gj.Tag, len(gj.Current), len(g.entries))
		}
		// Smooth weighted round robin keeps every current weight within
		// the group's total weight of zero; a state far outside that was
		// not written by a pool, and could overflow.
		var bound int64 = MaxWeight * int64(len(g.entries)+1)
		for _, cw := range gj.Current {
			if cw < -bound || cw > bound {
				return nil, fmt.Errorf("livecode: state: group %q: current weight %d out of range", gj.Tag, cw)
			}
		}
		if gj.Tick < 0 || gj.Tick > math.MaxInt64/(4*MaxWeight) {
			return nil, fmt.Errorf("livecode: state: group %q: tick %d out of range", gj.Tag, gj.Tick)
		}
		// Re-open the group's entries at the stored tick and weights.
		for _, e := range g.entries {
			if q.codes[q.entries[e].code].open {
				q.closeEntry(e)
			}
		}
		g.tick = gj.Tick
		for i, e := range g.entries {
			q.entries[e].cw = gj.Current[i]
			if q.codes[q.entries[e].code].open {
				q.openEntry(e)
			}
		}
	}
	var last int64 = math.MinInt64
	for _, rj := range st.Reservations {
		ci, ok := q.byID[rj.Code]
		if !ok {
			return nil, fmt.Errorf("livecode: state: reservation of %q at unknown code %q", rj.User, rj.Code)
		}
		if rj.User == "" {
			return nil, fmt.Errorf("livecode: state: reservation with empty user at %q", rj.Code)
		}
		if _, dup := q.byUser[rj.User]; dup {
			return nil, fmt.Errorf("livecode: state: two reservations of %q", rj.User)
		}
		if rj.Expires.Before(minTime) || rj.Expires.After(maxTime) {
			return nil, fmt.Errorf("livecode: state: reservation of %q: expiry %v out of range", rj.User, rj.Expires)
		}
		at := rj.Expires.UnixNano()
		if at < last {
			return nil, fmt.Errorf("livecode: state: reservations out of expiry order at %q", rj.User)
		}
		last = at
		if q.clock == math.MinInt64 || at <= q.clock || at > satAdd(q.clock, q.ttl) {
			return nil, fmt.Errorf("livecode: state: reservation of %q expires at %v, outside the clock's TTL", rj.User, rj.Expires)
		}
		c := &q.codes[ci]
		if c.retired || c.pending >= c.scanLimit {
			return nil, fmt.Errorf("livecode: state: reservation of %q at code %q, which cannot hold it", rj.User, rj.Code)
		}
		q.reserve(rj.User, ci, at)
	}
	return q, nil
}
