package livecode

import (
	"slices"
	"time"

	"github.com/qunops/qunops"
)

// Stats are one code's figures. Scans and joins are counted apart, because a
// scan is a page view and not a member: Scans counts every scan the code
// was shown for, repeat scans included; Scanners counts the reservations
// made (each new scanner once); Joins counts every member who joined,
// FromScans those of them who redeemed a reservation at this code.
//
// In JSON, Stats uses the keys of the pool state (snake_case: "scan_limit",
// "from_scans"), with a zero Expires and empty Tags left out.
type Stats struct {
	ID        string    `json:"id"`               // the code's id
	Tags      []string  `json:"tags,omitempty"`   // its tags, as given to the pool
	Members   int       `json:"members"`          // members in its group
	Pending   int       `json:"pending"`          // reservations not yet joined or lapsed
	Cap       int       `json:"cap"`              // the group's member cap
	ScanLimit int       `json:"scan_limit"`       // scans its current QR takes
	Weight    int       `json:"weight"`           // its weight under the weighted strategy
	Expires   time.Time `json:"expires,omitzero"` // the current QR's expiry; zero means never
	Open      bool      `json:"open"`             // takes scans at the pool's clock
	Expired   bool      `json:"expired"`          // the current QR has expired
	Retired   bool      `json:"retired"`          // taken out of rotation by Retire

	Scans     int64 `json:"scans"`      // scans shown this code, repeat scans included
	Scanners  int64 `json:"scanners"`   // reservations made
	Joins     int64 `json:"joins"`      // members who joined, by scan or otherwise
	FromScans int64 `json:"from_scans"` // joins that redeemed a reservation at this code
	Lapsed    int64 `json:"lapsed"`     // reservations that ended unjoined (expired, moved, retired)
	Left      int64 `json:"left"`       // members who left
}

// Conversion is FromScans / Scanners: the share of the code's scanners who
// joined it. Undefined before the first scanner.
func (s Stats) Conversion() qunops.Ratio { return qunops.Ratio{Num: s.FromScans, Den: s.Scanners} }

// Load is Members / Cap: how full the group is.
func (s Stats) Load() qunops.Ratio { return qunops.Ratio{Num: int64(s.Members), Den: int64(s.Cap)} }

// ScanLoad is (Members + Pending) / ScanLimit: how close the QR is to
// refusing scans. It exceeds 100% only after joins that came another way.
func (s Stats) ScanLoad() qunops.Ratio {
	return qunops.Ratio{Num: int64(s.Members + s.Pending), Den: int64(s.ScanLimit)}
}

// Stats returns the figures of code id, and false if there is no such code.
// They reflect the pool's clock: call a method with a time (Alerts, say)
// first to drop what has lapsed since.
func (p *Pool) Stats(id string) (Stats, bool) {
	ci, ok := p.byID[id]
	if !ok {
		return Stats{}, false
	}
	return p.stats(ci), true
}

// AllStats returns the figures of every code, retired ones included, in
// the order the codes were added. Cost O(n); it allocates the result.
func (p *Pool) AllStats() []Stats {
	out := make([]Stats, len(p.codes))
	for i := range p.codes {
		out[i] = p.stats(int32(i))
	}
	return out
}

func (p *Pool) stats(ci int32) Stats {
	c := &p.codes[ci]
	return Stats{
		ID: c.id, Tags: slices.Clone(c.tags), Members: c.members, Pending: c.pending, Cap: c.cap,
		ScanLimit: c.scanLimit, Weight: c.weight, Expires: c.expires,
		Open: c.open, Expired: c.expired, Retired: c.retired,
		Scans: c.stats.scans, Scanners: c.stats.scanners, Joins: c.stats.joins,
		FromScans: c.stats.fromScans, Lapsed: c.stats.lapsed, Left: c.stats.left,
	}
}

// Reservation returns the code user holds a reservation at, and false if
// user holds none (at the pool's clock).
func (p *Pool) Reservation(user string) (string, bool) {
	s, ok := p.byUser[user]
	if !ok {
		return "", false
	}
	return p.codes[p.res[s].code].id, true
}
