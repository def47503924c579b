package metrics

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/qunops/qunops"
)

// This file measures growth by channel (seed F14, F15): the joins of each
// group by the channel its join notice names and the member who shared the
// code or invited, and the conversion of an outreach against the seed's.

// ChannelJoins is the joins of one group through one channel and sharer.
// In JSON its keys are the field names in snake_case:
//
//	{"channel":"qr","actor":"wxid_admin","joins":12,"members":11}
type ChannelJoins struct {
	// Channel is the join channel of the events' Kind: qunops.JoinInvite,
	// JoinQR, JoinInviteQR, or "" where the log did not say.
	Channel string `json:"channel"`
	// Actor is who invited or shared the code; "" where unknown. A poster
	// (F15), an article (F14) and a live code all show a group QR code,
	// so the account that shared each code tells them apart.
	Actor   string `json:"actor"`
	Joins   int    `json:"joins"`   // join events
	Members int    `json:"members"` // distinct members among them (a member who joins twice counts once)
}

type channelKey struct{ channel, actor string }

type channelCount struct {
	joins   int
	members map[string]struct{}
}

// ChannelCounter counts the joins of each group by channel and sharer from
// events, as ingest writes them (a join's Kind is its channel, its Actor the
// inviter or the code's sharer). Events other than joins are ignored.
//
// The zero value is an empty counter, ready to use. A ChannelCounter is not
// safe for concurrent use. Add costs O(1) amortised and keeps the member
// ids and event ids of the joins only.
type ChannelCounter struct {
	groups map[string]map[channelKey]*channelCount
	ids    map[string]struct{}
}

// Add counts e if it is a join. An event whose non-empty ID was already
// added is ignored, as by [Tracker.Add]; an invalid event is an error and
// counts nothing.
func (c *ChannelCounter) Add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("metrics: channel counter: %w", err)
	}
	if e.Type != qunops.Join {
		return nil
	}
	if e.ID != "" {
		if _, dup := c.ids[e.ID]; dup {
			return nil
		}
		if c.ids == nil {
			c.ids = map[string]struct{}{}
		}
		c.ids[e.ID] = struct{}{}
	}
	if c.groups == nil {
		c.groups = map[string]map[channelKey]*channelCount{}
	}
	g := c.groups[e.Group]
	if g == nil {
		g = map[channelKey]*channelCount{}
		c.groups[e.Group] = g
	}
	k := channelKey{e.Kind, e.Actor}
	n := g[k]
	if n == nil {
		n = &channelCount{members: map[string]struct{}{}}
		g[k] = n
	}
	n.joins++
	n.members[e.Member] = struct{}{}
	return nil
}

// Joins returns the group's joins by channel and sharer: the channels in
// the order of qunops.JoinChannels, then any other channel word in byte
// order, then "" (not said); within a channel by Actor. It returns nil for
// a group without joins.
func (c *ChannelCounter) Joins(group string) []ChannelJoins {
	g := c.groups[group]
	if len(g) == 0 {
		return nil
	}
	out := make([]ChannelJoins, 0, len(g))
	for k, n := range g {
		out = append(out, ChannelJoins{Channel: k.channel, Actor: k.actor, Joins: n.joins, Members: len(n.members)})
	}
	known := qunops.JoinChannels()
	rank := func(ch string) int {
		if i := slices.Index(known, ch); i >= 0 {
			return i
		}
		if ch == "" {
			return len(known) + 1
		}
		return len(known)
	}
	slices.SortFunc(out, func(a, b ChannelJoins) int {
		return cmp.Or(cmp.Compare(rank(a.Channel), rank(b.Channel)), cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Actor, b.Actor))
	})
	return out
}

// Groups returns the ids of the groups with joins, sorted.
func (c *ChannelCounter) Groups() []string {
	out := make([]string, 0, len(c.groups))
	for g := range c.groups {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

// Outreach is a growth channel of the seed whose conversion it reports,
// written as a lowercase word ("article", "poster").
type Outreach int

const (
	// Article: an official-account article carrying the group QR code
	// and a passphrase; about 5%-8% of followers join (seed F14).
	Article Outreach = iota + 1
	// Poster: a perks poster on the Moments of a personal account; up to
	// 15% of its friends join (seed F15).
	Poster
)

var outreachNames = []string{Article: "article", Poster: "poster"}

// String returns the outreach's word, or "Outreach(N)".
func (o Outreach) String() string {
	if w := wordOf(outreachNames, int(o)); w != "" {
		return w
	}
	return fmt.Sprintf("Outreach(%d)", int(o))
}

// MarshalText writes o's word; it fails when o is not an outreach.
func (o Outreach) MarshalText() ([]byte, error) {
	if w := wordOf(outreachNames, int(o)); w != "" {
		return []byte(w), nil
	}
	return nil, fmt.Errorf("metrics: unknown outreach %d", int(o))
}

// UnmarshalText reads an outreach's word. On error o is unchanged.
func (o *Outreach) UnmarshalText(b []byte) error {
	i := indexOf(outreachNames, string(b))
	if i < 0 {
		return unknownWord("outreach", string(b), outreachNames)
	}
	*o = Outreach(i)
	return nil
}

// seedConversion returns the figure and the conversion range the seed
// reports for o, and false when o is not an outreach.
func seedConversion(o Outreach) (figure string, low, high Ratio, ok bool) {
	switch o {
	case Article:
		return "F14", Ratio{Num: 5, Den: 100}, Ratio{Num: 8, Den: 100}, true
	case Poster:
		// "可达15%": up to 15%, an optimistic bound rather than a norm.
		return "F15", Ratio{Num: 0, Den: 1}, Ratio{Num: 15, Den: 100}, true
	}
	return "", Ratio{}, Ratio{}, false
}

// Conversion is a measured conversion of an outreach against the seed's
// range for it. In JSON its keys are the field names in snake_case.
type Conversion struct {
	Outreach Outreach `json:"outreach"`
	Figure   string   `json:"figure"`  // the seed figure of the range: "F14" or "F15"
	Joins    int      `json:"joins"`   // members who joined through it
	Reached  int      `json:"reached"` // people it reached: followers who read the article, friends who saw the poster
	Rate     Ratio    `json:"rate"`    // Joins / Reached; undefined when nobody was reached
	Low      Ratio    `json:"low"`     // the seed's range, inclusive
	High     Ratio    `json:"high"`
}

// Convert measures an outreach: joins out of the people reached, with the
// seed's range for it (F14: 5%-8% of an article's followers; F15: up to 15%
// of a poster's friends). The joins usually come from [ChannelCounter.Joins]:
// the QR joins whose code the outreach's account shared. An unknown
// outreach, negative counts and more joins than people reached are errors.
func Convert(o Outreach, joins, reached int) (Conversion, error) {
	figure, low, high, ok := seedConversion(o)
	if !ok {
		return Conversion{}, fmt.Errorf("metrics: convert: unknown outreach %d", int(o))
	}
	if err := checkCounts("convert", []string{"joins", "reached"}, joins, reached); err != nil {
		return Conversion{}, err
	}
	if joins > reached {
		return Conversion{}, fmt.Errorf("metrics: convert: joins %d exceed reached %d", joins, reached)
	}
	return Conversion{Outreach: o, Figure: figure, Joins: joins, Reached: reached, Rate: ratioOf(joins, reached), Low: low, High: high}, nil
}

// Compare places the rate against the seed's range: -1 below Low, 0 within
// (bounds included), +1 above High. It reports false when the rate is
// undefined.
func (c Conversion) Compare() (int, bool) {
	if !c.Rate.Defined() {
		return 0, false
	}
	switch {
	case c.Rate.Cmp(c.Low) < 0:
		return -1, true
	case c.Rate.Cmp(c.High) > 0:
		return 1, true
	}
	return 0, true
}

// String describes c in one line, e.g. "F14 article: 120 of 2000 joined
// (6.0%), within the seed's 5.0%-8.0%". The wording may change.
func (c Conversion) String() string {
	where := "rate undefined"
	if pos, ok := c.Compare(); ok {
		where = [...]string{"below", "within", "above"}[pos+1] + " the seed's " + c.Low.String() + "-" + c.High.String()
	}
	return fmt.Sprintf("%s %s: %d of %d joined (%s), %s", c.Figure, c.Outreach, c.Joins, c.Reached, c.Rate, where)
}
