package livecode

import (
	"fmt"
	"math"
	"time"

	"github.com/qunops/qunops"
)

// AlertKind says what an Alert is about.
type AlertKind int

// The alert kinds, in the order Alerts reports a code's alerts.
const (
	// NearLimit: a code's members plus pending reached NearLimitPercent of
	// its scan limit (90% by default), or the limit itself.
	NearLimit AlertKind = iota + 1
	// Expiring: a code's QR expires within ExpiringWithin (24 h by default).
	Expiring
	// Expired: a code's QR has expired; it takes no scans until ReplaceQR.
	Expired
	// NearlyExhausted: every code of a tag group that can still take scans
	// is near its limit; create a new group now.
	NearlyExhausted
	// Exhausted: no code of a tag group can take a scan: its scans get
	// ErrFull (or fall through to untagged codes).
	Exhausted
)

var alertNames = [...]string{"", "near-limit", "expiring", "expired", "nearly-exhausted", "exhausted"}

// String returns the kind's name: near-limit, expiring, expired,
// nearly-exhausted or exhausted.
func (k AlertKind) String() string {
	if k.valid() {
		return alertNames[k]
	}
	return fmt.Sprintf("AlertKind(%d)", int(k))
}

func (k AlertKind) valid() bool { return k > 0 && int(k) < len(alertNames) }

// ParseAlertKind returns the alert kind named name (see AlertKind.String).
// An unknown name is an error that lists the valid ones.
func ParseAlertKind(name string) (AlertKind, error) {
	for k := NearLimit; k.valid(); k++ {
		if alertNames[k] == name {
			return k, nil
		}
	}
	return 0, fmt.Errorf("livecode: unknown alert kind %q (want %s)", name, wordList(alertNames[1:]))
}

// MarshalText returns the kind's name; it fails for a value that is not an
// alert kind.
func (k AlertKind) MarshalText() ([]byte, error) {
	if !k.valid() {
		return nil, fmt.Errorf("livecode: unknown alert kind %d", int(k))
	}
	return []byte(alertNames[k]), nil
}

// UnmarshalText sets k from its name; an unknown name is an error that
// lists the valid ones.
func (k *AlertKind) UnmarshalText(b []byte) error {
	v, err := ParseAlertKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Alert is something an operator should act on, with the suggested action.
// Code alerts name the Code; pool alerts (NearlyExhausted, Exhausted) name
// the Tag group ("" for the untagged codes) and suggest a NewName for the
// group to create, from the name prefix and a counter as WeCom does.
//
// In JSON an alert is {"kind":"expiring","code":"g1","at":"...","message":"..."}:
// snake_case keys, the kind as its name, and the fields a kind does not set
// left out (so a pool alert without "tag" is about the untagged codes).
type Alert struct {
	Kind    AlertKind `json:"kind"`               // what happened, and so which fields below are set
	Code    string    `json:"code,omitempty"`     // the code, for NearLimit, Expiring and Expired
	Tag     string    `json:"tag,omitempty"`      // the tag group, for NearlyExhausted and Exhausted
	At      time.Time `json:"at,omitzero"`        // the QR's expiry, for Expiring and Expired
	NewName string    `json:"new_name,omitempty"` // suggested name of a new group, if one is needed
	Message string    `json:"message"`            // what is wrong and what to do, for people; may change
}

// Alerts advances the clock to now and returns the alerts at now: code
// alerts in the order the codes were added (retired codes have none), then
// one pool alert per tag group in need, the untagged codes first, then the
// tags in the order they first appeared. Each pool alert suggests a
// different new name. An empty pool is Exhausted. Cost O(n).
func (p *Pool) Alerts(now time.Time) []Alert {
	t := p.advance(now)
	var out []Alert
	within := satAdd(t, int64(p.opts.ExpiringWithin))
	pct := int64(p.opts.NearLimitPercent)
	near := func(c *codeState) bool {
		return int64(c.members+c.pending)*100 >= pct*int64(c.scanLimit)
	}
	for i := range p.codes {
		c := &p.codes[i]
		if c.retired {
			continue
		}
		if near(c) {
			what := "new scans go elsewhere once it is full"
			if c.members+c.pending >= c.scanLimit {
				what = "it takes no new scans"
			}
			out = append(out, Alert{Kind: NearLimit, Code: c.id,
				Message: fmt.Sprintf("code %s: %d members + %d pending of scan limit %d (%s); %s",
					c.id, c.members, c.pending, c.scanLimit, qunops.Ratio{Num: int64(c.members + c.pending), Den: int64(c.scanLimit)}, what)})
		}
		switch {
		case c.expired:
			out = append(out, Alert{Kind: Expired, Code: c.id, At: c.expires,
				Message: fmt.Sprintf("code %s: QR expired at %s; replace the QR or retire the code", c.id, c.expires.Format(time.RFC3339))})
		case c.exp != math.MaxInt64 && c.exp <= within:
			out = append(out, Alert{Kind: Expiring, Code: c.id, At: c.expires,
				Message: fmt.Sprintf("code %s: QR expires at %s; replace it before then", c.id, c.expires.Format(time.RFC3339))})
		}
	}
	// Pool alerts, per tag group that holds codes.
	k := 0
	for gi := range p.groups {
		g := &p.groups[gi]
		if len(g.entries) == 0 && !(gi == 0 && len(p.codes) == 0) {
			continue
		}
		openN, nearN := 0, 0
		for _, e := range g.entries {
			c := &p.codes[p.entries[e].code]
			if c.open {
				openN++
				if near(c) {
					nearN++
				}
			}
		}
		var a Alert
		switch {
		case openN == 0:
			a = Alert{Kind: Exhausted, Tag: g.tag}
		case nearN == openN:
			a = Alert{Kind: NearlyExhausted, Tag: g.tag}
		default:
			continue
		}
		a.NewName = p.nameAt(k)
		k++
		what, tagged := "untagged code", ""
		if g.tag != "" {
			what, tagged = fmt.Sprintf("code tagged %q", g.tag), fmt.Sprintf(" tagged %q", g.tag)
		}
		if a.Kind == Exhausted {
			a.Message = fmt.Sprintf("no %s can take a scan; create group %q%s and add its code", what, a.NewName, tagged)
		} else {
			a.Message = fmt.Sprintf("every open %s (%d) is near its scan limit; create group %q%s and add its code", what, openN, a.NewName, tagged)
		}
		out = append(out, a)
	}
	return out
}
