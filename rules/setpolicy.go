package rules

import (
	"errors"
	"fmt"
	"slices"
)

// SetPolicy applies p to the engine's current state, as New would apply it
// to an empty one; on error (Validate's) the engine is left unchanged. The
// state is kept: warnings, the blacklist, open disputes, pending welcomes
// and reminders, flood and repeat windows, reply cooldowns, remembered
// event ids, the audit and the newest time seen. What the new policy
// changes applies from the next event or Tick on:
//
//   - warnings count under the new WarnLimit and WarnTTL, so a member who
//     holds as many live warnings as a lowered limit is removed at the
//     next offence, not at once;
//   - reply cooldowns follow their reply by key (AutoReply.Name, or the
//     keywords of a reply without a name), wherever it moved in
//     Policy.Replies; the cooldowns of replies the policy dropped go, and
//     a running cooldown keeps the end it had;
//   - the flood window keeps the newest FloodMessages-1 messages within the
//     new FloodWindow, and a run of identical messages at most
//     RepeatMessages-1 (a flood or run that was warned stays warned until
//     it ends);
//   - a pending welcome keeps its due time, brought forward to within the
//     new WelcomeMax of its first join; a pending reminder keeps its;
//   - an open dispute keeps its step on a shorter ladder of admins up to
//     the last step, which goes to every admin; without admins it waits
//     for a resolve;
//   - a pending passphrase check keeps its due time, and ends when the new
//     policy has no passphrases or switches the rule off; invites and
//     alerts count under the new InviteWindow and AlertCooldown;
//   - a pending promotion review keeps its id and due time, even when the
//     new policy has no Promotions: an admin still answers it;
//   - the groups' recorded titles stay, whatever the new LockTitle: a lock
//     switched on later restores the names set while it was off.
//
// A restarted bot restores its state with UnmarshalJSON, which applies the
// policy saved in the snapshot, then calls SetPolicy with the policy it was
// deployed with:
//
//	var e rules.Engine
//	if err := json.Unmarshal(saved, &e); err != nil { ... }
//	if err := e.SetPolicy(deployed); err != nil { ... }
//
// It costs a compile of p (see New) and a pass over the state.
func (e *Engine) SetPolicy(p Policy) error {
	if e.groups == nil {
		return errors.New("rules: SetPolicy: the engine was not made by New")
	}
	ne, err := compilePolicy(p)
	if err != nil {
		return fmt.Errorf("rules: policy: %v", err)
	}
	// Reply i of the old policy is reply moved[i] of the new one, or -1.
	moved := make([]int32, len(e.policy.Replies))
	for i, r := range e.policy.Replies {
		key := replyKey(r)
		moved[i] = int32(slices.IndexFunc(ne.policy.Replies, func(n AutoReply) bool { return replyKey(n) == key }))
	}
	noPass := len(ne.policy.Passphrases) == 0 || ne.off[idPassphrase]
	for gid, g := range e.groups {
		for _, m := range g.members {
			m.dropMarks(func(k mark) bool { return k.tag >= 0 && moved[k.tag] < 0 || noPass && isPassMark(k.tag) })
			for i, k := range m.marks {
				if k.tag >= 0 {
					m.marks[i].tag = moved[k.tag]
				}
			}
			m.trimFlood(ne.floodW, ne.floodN)
			switch n := m.repeats(); {
			case n == e.repeatN: // a warned run stays warned
				m.setRepeat(m.hash(), ne.repeatN)
			case n >= ne.repeatN:
				m.setRepeat(m.hash(), ne.repeatN-1)
			}
		}
		g.replied = slices.DeleteFunc(g.replied, func(k mark) bool { return moved[k.tag] < 0 })
		for i, k := range g.replied {
			g.replied[i].tag = moved[k.tag]
		}
		if len(g.replied) == 0 {
			g.replied = nil
		}
		if b := g.welcome; b != nil && b.due > b.first+ne.welcomeM {
			b.due = b.first + ne.welcomeM
			e.schedule(timer{at: b.due, kind: timerWelcome, group: gid})
		}
	}
	admins := len(ne.policy.Admins)
	for _, d := range e.disputes {
		switch {
		case admins == 0:
			d.step, d.next = 0, 0
		case d.step >= admins && d.next != 0:
			d.step = admins - 1 // the next step is the last: to everyone
		case d.step > admins:
			d.step = admins
		}
	}
	ne.groups, ne.blacklist, ne.disputes, ne.audit, ne.timers = e.groups, e.blacklist, e.disputes, e.audit, e.timers
	ne.clock, ne.clocked, ne.ids, ne.reports = e.clock, e.clocked, e.ids, e.reports
	ne.nextSweep, ne.timersBuilt = e.nextSweep, e.timersBuilt
	ne.reviews, ne.lastReview = e.reviews, e.lastReview
	*e = *ne
	return nil
}

// trimFlood keeps the flood entries within w of the newest message, at most
// n-1 of them (the newest), so that the window fits a policy of n messages
// within w.
func (m *member) trimFlood(w int64, n int) {
	m.flood = slices.DeleteFunc(m.flood, func(off uint32) bool { return int64(off) >= w })
	if len(m.flood) > n-1 {
		slices.Sort(m.flood) // offsets before the newest: the smallest are the newest
		m.flood = m.flood[:n-1]
	}
	if len(m.flood) == 0 {
		m.flood = nil
	}
}
