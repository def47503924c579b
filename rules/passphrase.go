package rules

import "time"

// The join passphrase (seed F14: 入群暗号). A group whose QR code is
// published with a passphrase (an official-account article, a poster) asks
// every newcomer to say it, which tells a member who came through the
// article from one who found the code elsewhere or a bot that scans codes.
// The check is two waits of Policy.PassphraseWindow: a newcomer who has not
// sent a message holding one of Policy.Passphrases by the end of the first
// gets a Remind; by the end of the second, a Remove under RulePassphrase,
// without a blacklisting (they may join again and say it). A leave, a
// rejoin (which starts the check again) and a ban end the check. The state
// is one mark of the member: markPass while the reminder is to come,
// markPassLast while the removal is.

// setPass sets the pending passphrase check of m to tag due at at, or
// clears it when at is 0.
func (m *member) setPass(tag int32, at int64) {
	m.dropMarks(func(k mark) bool { return isPassMark(k.tag) })
	if at != 0 {
		m.marks = append(m.marks, mark{at: at, tag: tag})
	}
}

// passDue returns the pending passphrase check of m: its due time and
// stage (markPass or markPassLast), or 0 when there is none.
func (m *member) passDue() (int64, int32) {
	for _, k := range m.marks {
		if isPassMark(k.tag) {
			return k.at, k.tag
		}
	}
	return 0, 0
}

func (e *Engine) firePassphrase(acts []Action, tm timer, at time.Time) []Action {
	g := e.groups[tm.group]
	if g == nil {
		return acts
	}
	m := g.members[tm.member]
	if m == nil {
		return acts
	}
	due, stage := m.passDue()
	if due != tm.at {
		return acts // said in time, left, or moved by a rejoin
	}
	if e.bannedAt(tm.member, tm.at) != nil && !e.off[idBlacklist] {
		m.setPass(0, 0)
		return acts
	}
	var v [numPh]string
	v[phMember], v[phGroup], v[phName] = tm.member, e.tx.groupName(tm.group), e.nameOf(tm.group, tm.member)
	if stage == markPass {
		next := tm.at + e.passW
		m.setPass(markPassLast, next)
		e.schedule(timer{at: next, kind: timerPassphrase, group: tm.group, member: tm.member})
		v[phWindow] = e.tx.duration(e.policy.PassphraseWindow)
		return append(acts, Action{Type: Remind, Group: tm.group, Member: tm.member, Mentions: []string{tm.member},
			Text: e.tx.tmpl[tPassphrase].render(&v), Rule: RulePassphrase, Time: at})
	}
	m.setPass(0, 0)
	v[phReason] = e.tx.reasons[RulePassphrase]
	return append(acts, Action{Type: Remove, Group: tm.group, Member: tm.member,
		Text: e.tx.tmpl[tRemove].render(&v), Rule: RulePassphrase, Time: at})
}
