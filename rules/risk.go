package rules

import (
	"strconv"

	"github.com/qunops/qunops"
)

// The risk rules of seed F38 and F39: a member adding people too fast
// (RuleInvite), transfers and red packets (RuleTransfer), competitors'
// names (RuleCompetitor). An invite alert and a ReactNotify reaction tell
// the first admin, at most once per Policy.AlertCooldown for one member,
// group and rule: the record of the last alert is a mark of the member.

// alertDue reports whether an alert about m for rule may go out at t, and
// if so records it. An event older than the last alert is covered by it.
func (e *Engine) alertDue(m *member, rule int, t int64) bool {
	tag := int32(markAlert - rule)
	for _, k := range m.marks {
		if k.tag == tag && t < k.at+e.alertCD {
			return false
		}
	}
	m.dropMarks(func(k mark) bool { return k.tag == tag })
	m.marks = append(m.marks, mark{at: t, tag: tag})
	return true
}

// alert appends the Notify of a ReactNotify reaction to ev under rule.
func (e *Engine) alert(acts []Action, ev *qunops.Event, m *member, rule int, t int64) []Action {
	if len(e.policy.Admins) == 0 || !e.alertDue(m, rule, t) {
		return acts
	}
	admin := e.policy.Admins[0]
	var v [numPh]string
	v[phAdmin], v[phMember], v[phGroup] = admin, ev.Member, e.tx.groupName(ev.Group)
	v[phName], v[phReason] = e.nameOf(ev.Group, ev.Member), e.tx.reasons[ruleNames[rule]]
	return append(acts, Action{Type: Notify, Group: ev.Group, Member: admin, Text: e.tx.tmpl[tAlert].render(&v),
		Rule: ruleNames[rule], Time: ev.Time})
}

// invitedIn reports whether a join of channel kind is the Actor pulling
// the member in: an invitation from the chat, or a join whose channel the
// source did not say. A scan of a QR code someone shared (a poster, an
// article, an invitation code) is the scanner's act, not a pull by the
// sharer: a good poster is no ban risk (F38 is about an account that adds
// people too often).
func invitedIn(kind string) bool { return kind == "" || kind == qunops.JoinInvite }

// invited counts the join ev toward its inviter, ev.Actor, and appends the
// alert of RuleInvite when the inviter's joins within InviteWindow up to
// ev pass InviteMax. The inviter keeps at most InviteMax+1 invite marks,
// the newest: enough to tell whether the limit is passed.
func (e *Engine) invited(acts []Action, ev *qunops.Event) []Action {
	t := ev.Time.UnixMilli()
	m := e.groupOf(ev.Group).memberOf(ev.Actor)
	m.dropMarks(func(k mark) bool { return k.tag == markInvite && k.at <= t-e.inviteW })
	for { // keep the newest InviteMax, this one to come (a new policy may have lowered it)
		n, oldest := 0, -1
		for i, k := range m.marks {
			if k.tag == markInvite {
				n++
				if oldest < 0 || k.at < m.marks[oldest].at {
					oldest = i
				}
			}
		}
		if n <= e.inviteN {
			break
		}
		m.marks = append(m.marks[:oldest], m.marks[oldest+1:]...)
	}
	m.marks = append(m.marks, mark{at: t, tag: markInvite})
	count := 0 // joins in (t-window, t]; a late join counts what came before it
	for _, k := range m.marks {
		if k.tag == markInvite && k.at <= t && k.at > t-e.inviteW {
			count++
		}
	}
	if count <= e.inviteN || len(e.policy.Admins) == 0 || !e.alertDue(m, idInvite, t) {
		return acts
	}
	admin := e.policy.Admins[0]
	var v [numPh]string
	v[phAdmin], v[phMember], v[phGroup] = admin, ev.Actor, e.tx.groupName(ev.Group)
	v[phName], v[phN], v[phWindow] = e.nameOf(ev.Group, ev.Actor), strconv.Itoa(count), e.tx.duration(e.policy.InviteWindow)
	return append(acts, Action{Type: Notify, Group: ev.Group, Member: admin, Text: e.tx.tmpl[tInvite].render(&v),
		Rule: RuleInvite, Level: count, Time: ev.Time})
}
