package tiering

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Entry is one member's tier in a roster, with the reason Classify gave.
type Entry struct {
	Member string `json:"member"`
	Tier   Tier   `json:"tier"`
	Reason string `json:"reason"`
}

// Roster is the tiers of the members of a group at a time.
type Roster struct {
	At      time.Time `json:"at"`
	Entries []Entry   `json:"entries"`
}

// NewRoster classifies every member at now under p, keeping the order of
// members. Member IDs are expected to be distinct (Tally.Members returns
// them so); Diff keeps the last entry of a repeated ID. It costs one
// Classify per member and one allocation for the entries.
func NewRoster(p Policy, members []Member, now time.Time) Roster {
	r := Roster{At: now, Entries: make([]Entry, len(members))}
	for i, m := range members {
		tier, reason := p.Classify(m.Activity, now)
		r.Entries[i] = Entry{Member: m.ID, Tier: tier, Reason: reason}
	}
	return r
}

// Counts counts the roster's entries per tier.
func (r Roster) Counts() Counts {
	var c Counts
	for _, e := range r.Entries {
		c.add(e.Tier, 1)
	}
	return c
}

// Lookup returns the entry of a member by a linear search (O(n)).
func (r Roster) Lookup(member string) (Entry, bool) {
	for i := len(r.Entries) - 1; i >= 0; i-- {
		if r.Entries[i].Member == member {
			return r.Entries[i], true
		}
	}
	return Entry{}, false
}

// ChangeKind says how a member's tier changed.
type ChangeKind uint8

// The kinds of change. Promotion and Demotion compare Tier.Rank.
const (
	Arrival   ChangeKind = iota + 1 // the member appears: From is 0
	Departure                       // the member is gone: To is 0
	Promotion                       // To ranks above From
	Demotion                        // To ranks below From
)

var changeNames = [...]string{"", "arrival", "departure", "promotion", "demotion"}

// String returns the kind's lowercase word ("promotion"), or "change(N)"
// for a value that is not a kind of change.
func (k ChangeKind) String() string {
	if int(k) < len(changeNames) && k > 0 {
		return changeNames[k]
	}
	return fmt.Sprintf("change(%d)", uint8(k))
}

// MarshalText writes the kind's word; it fails for a value that is not a
// kind of change.
func (k ChangeKind) MarshalText() ([]byte, error) {
	if k == 0 || int(k) >= len(changeNames) {
		return nil, fmt.Errorf("tiering: cannot marshal %v", k)
	}
	return []byte(changeNames[k]), nil
}

// UnmarshalText reads a word written by MarshalText. The error of an
// unknown word quotes it and lists the kinds; on error k is unchanged.
func (k *ChangeKind) UnmarshalText(b []byte) error {
	i, ok := lookup(changeNames[:], string(b))
	if !ok {
		return fmt.Errorf("tiering: %q is not a kind of change (%s)", b, wordList(changeNames[:]))
	}
	*k = ChangeKind(i)
	return nil
}

// Change is one member's change of tier, with its reason. In JSON the
// kind and the tiers are words, and the tier an arrival or a departure
// lacks is left out.
type Change struct {
	Member string     `json:"member"`
	Kind   ChangeKind `json:"kind"`
	From   Tier       `json:"from,omitempty"`
	To     Tier       `json:"to,omitempty"`
	At     time.Time  `json:"at"`
	Reason string     `json:"reason"`
}

// String writes the change for people, e.g.
// "m1 promotion active -> core: core: 6 messages in 7 days > 5 (F31)".
// The format may change.
func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.Member)
	b.WriteByte(' ')
	b.WriteString(c.Kind.String())
	switch c.Kind {
	case Arrival:
		b.WriteString(" as " + c.To.String())
	case Departure:
		b.WriteString(" from " + c.From.String())
	default:
		b.WriteString(" " + c.From.String() + " -> " + c.To.String())
	}
	if c.Reason != "" {
		b.WriteString(": " + c.Reason)
	}
	return b.String()
}

func kindOf(from, to Tier) ChangeKind {
	if to.Rank() > from.Rank() {
		return Promotion
	}
	return Demotion
}

// Diff returns the changes from roster old to roster new, sorted by member:
// an Arrival for a member only in new, a Departure for a member only in
// old, a Promotion or Demotion for a member whose tier changed. A member
// whose tier is the same is not reported, even when the reason differs.
// Reasons come from new; a departure's reason names new's time. Changes
// are dated new.At. Diff costs O((n+m) log(n+m)).
func Diff(old, new Roster) []Change {
	o := slices.Clone(old.Entries)
	n := slices.Clone(new.Entries)
	byMember := func(a, b Entry) int { return strings.Compare(a.Member, b.Member) }
	slices.SortStableFunc(o, byMember)
	slices.SortStableFunc(n, byMember)
	o, n = lastOfEach(o), lastOfEach(n)
	var out []Change
	i, j := 0, 0
	for i < len(o) || j < len(n) {
		switch {
		case j == len(n) || (i < len(o) && o[i].Member < n[j].Member):
			out = append(out, Change{Member: o[i].Member, Kind: Departure, From: o[i].Tier, At: new.At,
				Reason: "departure: not in the roster of " + new.At.Format(time.RFC3339)})
			i++
		case i == len(o) || n[j].Member < o[i].Member:
			out = append(out, Change{Member: n[j].Member, Kind: Arrival, To: n[j].Tier, At: new.At, Reason: n[j].Reason})
			j++
		default:
			if o[i].Tier != n[j].Tier {
				out = append(out, Change{Member: n[j].Member, Kind: kindOf(o[i].Tier, n[j].Tier),
					From: o[i].Tier, To: n[j].Tier, At: new.At, Reason: n[j].Reason})
			}
			i++
			j++
		}
	}
	return out
}

// lastOfEach keeps the last of each run of entries of the same member in a
// stably sorted slice.
func lastOfEach(es []Entry) []Entry {
	out := es[:0]
	for i, e := range es {
		if i+1 < len(es) && es[i+1].Member == e.Member {
			continue
		}
		out = append(out, e)
	}
	return out
}
