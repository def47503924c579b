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
// Cost: O(items × members) for members with few joins and leaves.
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
	pre, recipient := make([]bool, len(g.members)), make([]bool, len(g.members))
	for mi := range g.members {
		pre[mi] = g.preLog(int32(mi))
	}
	var out []Broadcast
	for name, it := range g.items {
		if !it.hasSent {
			continue
		}
		sent := time.Unix(it.sent.sec, int64(it.sent.nsec)).In(t.Location())
		deadline := instantOf(sent.Add(window))
		b := Broadcast{Item: name, Sent: sent}
		for mi := range g.members {
			m := &g.members[mi]
			recipient[mi] = !has(excl, int32(mi)) && m.inAt(it.sent, pre[mi])
			if !recipient[mi] {
				continue
			}
			b.Recipients++
			if has(muted, int32(mi)) {
				b.Muted++
			} else if it.isReader(int32(mi)) {
				b.Readers++
			}
		}
		for mi, ats := range it.claims {
			if !recipient[mi] {
				continue
			}
			for _, at := range ats {
				if !at.less(it.sent) && !deadline.less(at) {
					b.Responders++
					break
				}
			}
		}
		// Both cannot fail: the counts are consistent by construction.
		b.Reach, _ = ReachRate(b.Readers, b.Recipients, b.Muted)
		b.Response, _ = ResponseRate(b.Responders, b.Recipients)
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Broadcast) int {
		if c := a.Sent.Compare(b.Sent); c != 0 {
			return c
		}
		return cmp.Compare(a.Item, b.Item)
	})
	return out, nil
}
