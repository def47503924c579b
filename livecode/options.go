package livecode

import (
	"cmp"
	"encoding/json"
	"fmt"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// Defaults for the zero fields of Options. They are WeChat's and issue 9's
// operating rules rather than seed figures.
const (
	// DefaultPendingTTL is how long a scan holds a place: 10 minutes.
	DefaultPendingTTL = 10 * time.Minute
	// DefaultNearLimitPercent raises NearLimit at 90% of the scan limit.
	DefaultNearLimitPercent = 90
	// DefaultExpiringWithin raises Expiring 24 hours before a QR expires.
	DefaultExpiringWithin = 24 * time.Hour
	// DefaultNamePrefix starts the suggested names of new groups, which
	// then carry a counter, as WeCom names the groups it creates.
	DefaultNamePrefix = "group "
)

// Options tune a Pool: the reservation TTL, the alert thresholds and the
// names it suggests. The zero value of each field means its default, so the
// zero Options is the default; DefaultOptions writes the defaults out. A
// pool starts with the defaults and takes other options from
// Pool.SetOptions.
//
// The strategy is not an option: it is NewPool's required argument, fixed
// for the pool's life, because each strategy keeps its own index and
// position (RoundRobin's last pick, Weighted's current weights) that another
// strategy could not take over.
//
// In JSON, Options is an object with the keys pending_ttl, near_limit_percent,
// expiring_within and name_prefix, durations written as Go duration strings
// ("10m", "24h") and zero fields left out:
//
//	{"pending_ttl":"10m","near_limit_percent":90,"expiring_within":"24h","name_prefix":"group "}
type Options struct {
	// PendingTTL is how long a scan's reservation counts against its
	// code's scan limit before it lapses unjoined; 0 means 10 minutes.
	PendingTTL time.Duration
	// NearLimitPercent is the share of ScanLimit, in percent (1..100), at
	// which a code raises NearLimit; 0 means 90.
	NearLimitPercent int
	// ExpiringWithin is how long before its expiry a QR raises Expiring;
	// 0 means 24 hours.
	ExpiringWithin time.Duration
	// NamePrefix starts suggested names of new groups; "" means "group ".
	NamePrefix string
}

// DefaultOptions returns the zero Options with every default written out:
// a 10-minute TTL, NearLimit at 90%, Expiring 24 hours ahead, and names
// "group 1", "group 2", ...
func DefaultOptions() Options {
	return Options{
		PendingTTL:       DefaultPendingTTL,
		NearLimitPercent: DefaultNearLimitPercent,
		ExpiringWithin:   DefaultExpiringWithin,
		NamePrefix:       DefaultNamePrefix,
	}
}

// Validate reports the first field that holds an invalid value: a negative
// duration, or a near-limit share outside 1..100 percent. Zero fields are
// valid: they mean the default.
func (o Options) Validate() error {
	switch {
	case o.PendingTTL < 0:
		return fmt.Errorf("livecode: options: pending_ttl %s must not be negative", jsonx.FormatDuration(o.PendingTTL))
	case o.NearLimitPercent < 0 || o.NearLimitPercent > 100:
		return fmt.Errorf("livecode: options: near_limit_percent %d must be in 1..100 (0 means 90)", o.NearLimitPercent)
	case o.ExpiringWithin < 0:
		return fmt.Errorf("livecode: options: expiring_within %s must not be negative", jsonx.FormatDuration(o.ExpiringWithin))
	}
	return nil
}

// withDefaults validates o and returns it with its zero fields filled in.
func (o Options) withDefaults() (Options, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	o.PendingTTL = cmp.Or(o.PendingTTL, DefaultPendingTTL)
	o.NearLimitPercent = cmp.Or(o.NearLimitPercent, DefaultNearLimitPercent)
	o.ExpiringWithin = cmp.Or(o.ExpiringWithin, DefaultExpiringWithin)
	o.NamePrefix = cmp.Or(o.NamePrefix, DefaultNamePrefix)
	return o, nil
}

// optionsJSON is the JSON form of Options, in the pool state too.
type optionsJSON struct {
	PendingTTL       jsonx.Duration `json:"pending_ttl,omitempty"`
	NearLimitPercent int            `json:"near_limit_percent,omitempty"`
	ExpiringWithin   jsonx.Duration `json:"expiring_within,omitempty"`
	NamePrefix       string         `json:"name_prefix,omitempty"`
}

func (o Options) toJSON() optionsJSON {
	return optionsJSON{
		PendingTTL:       jsonx.Duration(o.PendingTTL),
		NearLimitPercent: o.NearLimitPercent,
		ExpiringWithin:   jsonx.Duration(o.ExpiringWithin),
		NamePrefix:       o.NamePrefix,
	}
}

func (j optionsJSON) options() Options {
	return Options{
		PendingTTL:       time.Duration(j.PendingTTL),
		NearLimitPercent: j.NearLimitPercent,
		ExpiringWithin:   time.Duration(j.ExpiringWithin),
		NamePrefix:       j.NamePrefix,
	}
}

// MarshalJSON writes o with snake_case keys and duration strings, leaving
// zero (default) fields out.
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(o.toJSON())
}

// UnmarshalJSON reads options written by MarshalJSON or by hand. Unknown,
// misspelt and duplicate keys, a duration that is not a Go duration string
// and options that fail Validate are errors naming the key or the value; on
// error o is unchanged.
func (o *Options) UnmarshalJSON(b []byte) error {
	var j optionsJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("livecode: options: %v", err)
	}
	v := j.options()
	if err := v.Validate(); err != nil {
		return err
	}
	*o = v
	return nil
}

// Options returns the pool's options with their defaults filled in.
func (p *Pool) Options() Options { return p.opts }

// Strategy returns the strategy the pool was made with.
func (p *Pool) Strategy() Strategy { return p.strategy }

// SetOptions gives the pool new options; zero fields take their defaults,
// as in NewPool. It fails, and changes nothing, if o does not pass Validate.
//
// The new alert thresholds and name prefix hold from the next call that
// uses them. A new PendingTTL holds for the scans from now on; a shorter
// one also shortens the live reservations, so that none outlives the
// pool's clock plus the new TTL, as if it had been made with that TTL. A
// longer one leaves them as they are. Cost O(1), plus O(1) for each
// reservation it shortens.
func (p *Pool) SetOptions(o Options) error {
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	p.opts = o
	p.ttl = int64(o.PendingTTL)
	// The list is in expiry order; clamping every expiry to one bound keeps
	// that order, so new reservations still go last.
	limit := satAdd(p.clock, p.ttl)
	for s := p.tail; s >= 0 && p.res[s].at > limit; s = p.res[s].prev {
		p.res[s].at = limit
	}
	return nil
}
