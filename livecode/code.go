package livecode

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// Defaults for the zero fields of a Code and of Options.
const (
	// DefaultCap is the most members a WeChat group holds: 500. It is
	// WeChat's rule, not a seed figure (the seed gives only the scan limit).
	DefaultCap = 500
	// DefaultScanLimit is the group size at which a group's own QR code
	// stops admitting scanners: 200 (seed F11, "the 200-person scan limit").
	DefaultScanLimit = 200
	// DefaultWeight is a code's share under Weighted: 1, so that codes
	// left at the default share equally. Ours, not a seed figure.
	DefaultWeight = 1
	// QRValidity is how long a WeChat group QR code stays valid after it is
	// generated: 7 days (WeChat's rule behind seed F11; see CodeAt).
	QRValidity = 7 * 24 * time.Hour
	// MaxWeight bounds Code.Weight so that Weighted's counters cannot
	// overflow in any realistic run.
	MaxWeight = 1 << 20
)

// Code is one group's QR code in a live code's pool. Zero fields take their
// defaults: Cap 500 (WeChat's) and ScanLimit 200 (seed F11), Weight 1, and
// a zero Expires means the QR never expires (use CodeAt for a WeChat group
// QR, valid 7 days).
//
// A code takes a scan at time now while now is before Expires, Members plus
// pending reservations is below ScanLimit, and Members is below Cap.
//
// In JSON a code is {"id":"g1","scan_limit":150,"expires":"2026-03-09T08:00:00+08:00"}:
// snake_case keys, zero (default) fields left out, and decoding as strict as
// for Options.
type Code struct {
	ID        string    `json:"id"`                   // unique within the pool, non-empty
	Members   int       `json:"members,omitempty"`    // members already in the group, 0 <= Members <= Cap
	Cap       int       `json:"cap,omitempty"`        // most members the group holds; 0 means 500 (WeChat's cap)
	ScanLimit int       `json:"scan_limit,omitempty"` // members + pending at which scans stop; 0 means 200 (seed F11)
	Expires   time.Time `json:"expires,omitzero"`     // when the QR stops working; zero means never
	Weight    int       `json:"weight,omitempty"`     // share under Weighted, 1..MaxWeight; 0 means 1
	// Tags route scans: a tagged code takes only scans that carry one of
	// its tags (a city, seed F5); an untagged code takes any scan.
	Tags []string `json:"tags,omitempty"`
}

// Validate reports the first field of c that holds an invalid value: an
// empty ID, a bound out of range, more members than the cap, an expiry the
// pool cannot hold, an empty or repeated tag. Zero fields are valid: they
// mean the default. Pool.Add calls it.
func (c Code) Validate() error {
	_, err := c.withDefaults()
	return err
}

// plainCode is Code without its methods, to decode into.
type plainCode Code

// UnmarshalJSON reads a code written by json.Marshal or by hand. Unknown,
// misspelt and duplicate keys and codes that fail Validate are errors
// naming the key or the value; on error c is unchanged.
func (c *Code) UnmarshalJSON(b []byte) error {
	var v plainCode
	if err := jsonx.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("livecode: code: %v", err)
	}
	if err := Code(v).Validate(); err != nil {
		return err
	}
	*c = Code(v)
	return nil
}

// CodeAt returns a code for a WeChat group QR generated at t: it expires
// QRValidity (7 days) later and every other field takes its default.
func CodeAt(id string, t time.Time) Code {
	return Code{ID: id, Expires: t.Add(QRValidity)}
}

// withDefaults validates c and returns it with its zero fields filled in
// and its Tags copied, so the pool never aliases a caller's slice.
func (c Code) withDefaults() (Code, error) {
	if c.ID == "" {
		return c, fmt.Errorf("livecode: code with empty id")
	}
	if c.Cap == 0 {
		c.Cap = DefaultCap
	}
	if c.ScanLimit == 0 {
		c.ScanLimit = DefaultScanLimit
	}
	if c.Weight == 0 {
		c.Weight = DefaultWeight
	}
	switch {
	case c.Cap < 0 || c.Cap > math.MaxInt32:
		return c, fmt.Errorf("livecode: code %q: cap %d must be between 1 and %d", c.ID, c.Cap, math.MaxInt32)
	case c.ScanLimit < 0 || c.ScanLimit > math.MaxInt32:
		return c, fmt.Errorf("livecode: code %q: scan_limit %d must be between 1 and %d", c.ID, c.ScanLimit, math.MaxInt32)
	case c.Weight < 0 || c.Weight > MaxWeight:
		return c, fmt.Errorf("livecode: code %q: weight %d must be between 1 and %d", c.ID, c.Weight, MaxWeight)
	case c.Members < 0 || c.Members > c.Cap:
		return c, fmt.Errorf("livecode: code %q: members %d must be between 0 and cap %d", c.ID, c.Members, c.Cap)
	}
	if !c.Expires.IsZero() && (c.Expires.Before(minTime) || c.Expires.After(maxTime)) {
		return c, fmt.Errorf("livecode: code %q: expires %v out of range", c.ID, c.Expires)
	}
	if c.Tags != nil {
		tags := make([]string, len(c.Tags))
		for i, t := range c.Tags {
			if t == "" {
				return c, fmt.Errorf("livecode: code %q: empty tag", c.ID)
			}
			if slices.Contains(tags[:i], t) {
				return c, fmt.Errorf("livecode: code %q: duplicate tag %q", c.ID, t)
			}
			tags[i] = t
		}
		if len(tags) == 0 {
			tags = nil
		}
		c.Tags = tags
	}
	return c, nil
}

// The pool keeps times as Unix nanoseconds; these bound what it accepts.
var (
	minTime = time.Unix(0, math.MinInt64/2)
	maxTime = time.Unix(0, math.MaxInt64/2)
)

// nanos converts t to Unix nanoseconds, saturating outside the range the
// pool accepts so that a far-off time can never wrap around.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minTime):
		return math.MinInt64 / 2
	case t.After(maxTime):
		return math.MaxInt64 / 2
	}
	return t.UnixNano()
}

// expiryNanos is nanos for an expiry, where the zero time means never.
func expiryNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MaxInt64
	}
	return nanos(t)
}
