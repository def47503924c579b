package rules

// Bounded state (issue 15, item 16). The state of a member who spoke once
// and went quiet serves nothing once every window it feeds has passed: the
// flood window (10 seconds), the repeat window (10 minutes). Tick drops such
// members every sweep interval, so that the state holds the members active
// within the longer window and those with something to remember (live or
// expired warnings until the next offence or sweep drops them, reply
// cooldowns, a pending or sent nickname reminder), not every member who
// ever spoke. A dropped member who speaks again starts afresh, exactly as
// if kept: every window they had is over. The sweep looks at the state as
// of Policy.MaxSkew before the tick, so that an event delivered up to
// MaxSkew late (a retry, a slow bridge) is judged on the state it would
// have met on time; state lives at most MaxSkew longer for it.
//
// Pending timers are kept in a heap whose entries go stale when the state
// moves on (a member who joins and leaves a thousand times pushes a
// thousand reminders); when the heap grows past twice its size after the
// last rebuild (and at least 1,024 entries), it is rebuilt from the state,
// which is the truth.

// sweepEvery is the sweep interval, the longer of the flood and repeat
// windows but at least a minute, in milliseconds.
func (e *Engine) sweepEvery() int64 { return max(e.floodW, e.repeatW, 60_000) }

// idle reports whether m, at now, holds nothing a rule still needs.
func (e *Engine) idle(m *member, now int64) bool {
	if m.has(reminded) || now-m.last <= max(e.floodW, e.repeatW) && m.has(seen) {
		return false
	}
	for _, k := range m.marks {
		switch {
		case k.tag == markWarn && (e.ttl < 0 || k.at+e.ttl > now):
			return false
		case k.tag != markWarn && k.at > now: // a cooldown or reminder to come
			return false
		case k.tag == markRemind || isPassMark(k.tag):
			return false
		case k.tag == markInvite && k.at+e.inviteW > now:
			return false
		case isAlertMark(k.tag) && k.at+e.alertCD > now:
			return false
		}
	}
	return true
}

// sweep drops the idle members at now, and groups left empty. It costs
// O(n) in the tracked members; Tick calls it once per sweep interval.
func (e *Engine) sweep(now int64) {
	for gid, g := range e.groups {
		for id, m := range g.members {
			if e.idle(m, now) {
				delete(g.members, id)
			}
		}
		if g.empty() {
			delete(e.groups, gid)
		}
	}
}

// schedule pushes a timer, rebuilding the heap from the state when stale
// entries have piled up.
func (e *Engine) schedule(t timer) {
	e.timers.push(t)
	if len(e.timers) > 2*e.timersBuilt+1024 {
		e.rebuildTimers()
	}
}

// rebuildTimers makes the heap hold exactly the timers the state has
// pending: welcomes, reminders, passphrase checks, dispute steps and
// promotion reviews. The order Tick fires them
// in does not depend on the heap's layout (timer.less is a total order).
func (e *Engine) rebuildTimers() {
	e.timers = e.timers[:0]
	for gid, g := range e.groups {
		if g.welcome != nil {
			e.timers.push(timer{at: g.welcome.due, kind: timerWelcome, group: gid})
		}
		for id, m := range g.members {
			if at := m.remindAt(); at != 0 {
				e.timers.push(timer{at: at, kind: timerRemind, group: gid, member: id})
			}
			if at, _ := m.passDue(); at != 0 {
				e.timers.push(timer{at: at, kind: timerPassphrase, group: gid, member: id})
			}
		}
	}
	for k, d := range e.disputes {
		if d.next != 0 {
			e.timers.push(timer{at: d.next, kind: timerDispute, group: k.group, member: k.member})
		}
	}
	for k, r := range e.reviews {
		e.timers.push(timer{at: r.due, kind: timerReview, group: k.group, member: k.member})
	}
	e.timersBuilt = len(e.timers)
}
