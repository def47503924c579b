package metrics

import (
	"cmp"
	"slices"
	"time"
)

// Broadcast is one broadcast item of a group (a message with an Item: a
// campaign, a perk, a notice) with its reach (F27) and response (F3).
type Broadcast struct {
	Item       string    `json:"item"`
	Sent       time.Time `json:"sent"`       // the earliest message carrying the item
	Recipients int       `json:"recipients"` // members at the instant it was sent
	Muted      int       `json:"muted"`      // of them, members listed in Options.Muted
	Readers    int       `json:"readers"`    // unmuted recipients who read it
	Responders int       `json:"responders"` // recipients who claimed it within the window after Sent
	Reach      Ratio     `json:"reach"`      // Readers / (Recipients - Muted), F27
	Response   Ratio     `json:"response"`   // Responders / Recipients, F3
}

// Broadcasts returns the group's broadcasts in order of sending (then by
// item). Reads and claims of an item never broadcast in the group are kept
// but not listed. Readers and responders are counted among the recipients
// only, so that both rates stay within 100%: a member who joined after the
// broadcast and read it is not reached by it. Options.Exclude, Muted and
// Window apply.
//
// Cost: O(m + t log t + b log b + r) for m members, t joins and leaves, b
// broadcasts and r reads and claims.
func (t *Tracker) Broadcasts(group string, o Options) ([]Broadcast, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	g := t.lookup(group)
	if g == nil {
		return nil, nil
	}
	excl, muted := g.bitset(o.Exclude), g.bitset(o.Muted)
	window := o.window()
	// A broadcast's recipients are the members in the group at the
	// instant it was sent, the excluded left out. Rather than ask every
	// member about every item (items × members: a hostile log of 300,000
	// items in a group of 100,000 took a minute, issue 18), one sweep
	// takes the items in order of sending and the joins and leaves in
	// order, from each member's state before the log (preLog); in[mi] is
	// then mi's state at each item's instant, as member.inAt gives it:
	// the last join or leave at or before the instant decides.
	type change struct {
		tr *transition
		mi int32
	}
	var changes []change
	in := make([]bool, len(g.members))
	recipients, mutedIn := 0, 0
	for mi := range g.members {
		if has(excl, int32(mi)) {
			continue
		}
		if in[mi] = g.preLog(int32(mi)); in[mi] {
			recipients++
			if has(muted, int32(mi)) {
				mutedIn++
			}
		}
		m := &g.members[mi]
		for i := range m.trans {
			changes = append(changes, change{&m.trans[i], int32(mi)})
		}
	}
	// In the order of each member's own list (by instant, at one instant
	// joins before leaves), so that its state ends the same.
	slices.SortFunc(changes, func(a, b change) int { return compareTransitions(a.tr, b.tr) })
	type sent struct {
		name string
		it   *item
	}
	var items []sent
	for name, it := range g.items {
		if it.hasSent {
			items = append(items, sent{name, it})
		}
	}
	slices.SortFunc(items, func(a, b sent) int {
		return cmp.Or(compareInstants(a.it.sent, b.it.sent), cmp.Compare(a.name, b.name))
	})
	var out []Broadcast // in order of sending, then by item
	k := 0
	for _, x := range items {
		name, it := x.name, x.it
		for ; k < len(changes) && !it.sent.less(changes[k].tr.at); k++ {
			c := &changes[k]
			if in[c.mi] == c.tr.join {
				continue
			}
			in[c.mi] = c.tr.join
			d := 1
			if !c.tr.join {
				d = -1
			}
			recipients += d
			if has(muted, c.mi) {
				mutedIn += d
			}
		}
		sentAt := time.Unix(it.sent.sec, int64(it.sent.nsec)).In(t.Location())
		deadline := instantOf(sentAt.Add(window))
		b := Broadcast{Item: name, Sent: sentAt, Recipients: recipients, Muted: mutedIn}
		it.readers.each(func(mi int32) {
			if in[mi] && !has(muted, mi) {
				b.Readers++
			}
		})
		for mi, cs := range it.claims {
			if !in[mi] {
				continue
			}
			// The earliest claim at or after the broadcast, if in time.
			ats := cs.all()
			if i, _ := slices.BinarySearchFunc(ats, it.sent, compareInstants); i < len(ats) && !deadline.less(ats[i]) {
				b.Responders++
			}
		}
		// Both cannot fail: the counts are consistent by construction.
		b.Reach, _ = ReachRate(b.Readers, b.Recipients, b.Muted)
		b.Response, _ = ResponseRate(b.Responders, b.Recipients)
		out = append(out, b)
	}
	return out, nil
}
