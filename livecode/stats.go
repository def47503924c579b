package livecode

import (
	"fmt"
	"slices"
	"time"
)

// Ratio is an exact ratio of two counts. A zero Den means the ratio is
// undefined (nothing to divide by), which is not the same as 0.
type Ratio struct {
	Num, Den int64
}

// Float returns Num/Den, and false when Den is 0.
func (r Ratio) Float() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// String formats the ratio as a percentage with one decimal ("92.5%"), or
// "n/a" when it is undefined.
func (r Ratio) String() string {
	f, ok := r.Float()
	if !ok {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}

// Stats are one code's figures. Scans and joins are counted apart, because a
// scan is a page view and not a member: Scans counts every scan the code
// was shown for, repeat scans included; Scanners counts the reservations
// made (each new scanner once); Joins counts every member who joined,
// FromScans those of them who redeemed a reservation at this code.
type Stats struct {
	ID        string    // the code's id
	Tags      []string  // its tags, as given to the pool
	Members   int       // members in its group
	Pending   int       // reservations not yet joined or lapsed
	Cap       int       // the group's member cap
	ScanLimit int       // scans its current QR takes
	Weight    int       // its weight under the weighted strategy
	Expires   time.Time // the current QR's expiry; zero means never
	Open      bool      // takes scans at the pool's clock
	Expired   bool      // the current QR has expired
	Retired   bool      // taken out of rotation by Retire

	Scans     int64 // scans shown this code, repeat scans included
	Scanners  int64 // reservations made
	Joins     int64 // members who joined, by scan or otherwise
	FromScans int64 // joins that redeemed a reservation at this code
	Lapsed    int64 // reservations that ended unjoined (expired, moved, retired)
	Left      int64 // members who left
}

// Conversion is FromScans / Scanners: the share of the code's scanners who
// joined it. Undefined before the first scanner.
func (s Stats) Conversion() Ratio { return Ratio{s.FromScans, s.Scanners} }

// Load is Members / Cap: how full the group is.
func (s Stats) Load() Ratio { return Ratio{int64(s.Members), int64(s.Cap)} }

// ScanLoad is (Members + Pending) / ScanLimit: how close the QR is to
// refusing scans. It exceeds 100% only after joins that came another way.
func (s Stats) ScanLoad() Ratio { return Ratio{int64(s.Members + s.Pending), int64(s.ScanLimit)} }

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
