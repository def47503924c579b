package rules

import (
	"strings"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules/keyword"
)

// The title lock (Policy.LockTitle, RuleTitle): each group's recorded
// title is the name an admin or the bot gave it last, with the time it was
// given, so that a late event cannot bring back a name that was replaced.

// setTitle records title as the group's name at t, unless a name recorded
// later is already there.
func (g *group) setTitle(title string, t int64) {
	if g.title != "" && t < g.titleAt {
		return
	}
	g.title, g.titleAt = strings.Clone(title), t
}

// title handles a member's rename of the group ev.Group to ev.Text (see
// Policy.LockTitle for the rules): the recorded title follows an admin, or
// anyone while the lock is off; a member who is not an admin gets a
// Retitle back to the recorded title, a Notify to each admin, and, when
// the new name holds a prohibited or warnable keyword or an outside link,
// the Remove or warning a message with that text would get.
func (e *Engine) title(ev *qunops.Event) []Action {
	t := ev.Time.UnixMilli()
	g := e.groups[ev.Group]
	if g != nil && g.title != "" && t < g.titleAt {
		return nil // a rename that a later one already replaced
	}
	if !e.policy.LockTitle || e.off[idTitle] || e.isAdmin(ev.Member) {
		e.groupOf(ev.Group).setTitle(ev.Text, t)
		return nil
	}
	if g != nil && g.title == ev.Text {
		return nil // the name it has already
	}
	var acts []Action
	if g != nil && g.title != "" {
		acts = append(acts, Action{Type: Retitle, Group: ev.Group, Member: ev.Member, Text: g.title,
			Rule: RuleTitle, Time: ev.Time})
	}
	var v [numPh]string
	v[phMember], v[phGroup], v[phText] = ev.Member, e.tx.groupName(ev.Group), ev.Text
	v[phName] = e.nameOf(ev.Group, ev.Member)
	for _, a := range e.policy.Admins {
		v[phAdmin] = a
		acts = append(acts, Action{Type: Notify, Group: ev.Group, Member: a, Text: e.tx.tmpl[tTitle].render(&v),
			Rule: RuleTitle, Time: ev.Time})
	}
	return e.titleOffence(acts, ev)
}

// titleOffence appends what a message of ev.Text would get for its
// content: a prohibited keyword removes and blacklists the member, an
// outside link or a warnable keyword warns them (a link first, as in
// message). Flood, repeat, the kinds of messages, replies and the rest do
// not apply to a name; a title has no message to recall. As in message, a
// blacklisted member's text is not judged: a second ban would replace the
// first and forget its Removes, and with them the RemoveCooldown.
func (e *Engine) titleOffence(acts []Action, ev *qunops.Event) []Action {
	if len(e.blacklist) > 0 && !e.off[idBlacklist] && e.bannedAt(ev.Member, ev.Time.UnixMilli()) != nil {
		return acts
	}
	rule := -1
	if !e.off[idLink] && e.outsideLink(ev.Text) {
		rule = idLink
	}
	if e.kw != nil {
		e.scratch = e.kw.AppendAll(e.scratch[:0], ev.Text, keyword.Overlapping)
		for _, mt := range e.scratch {
			switch e.kwClass[mt.Pattern] {
			case classProhibited:
				if !e.off[idProhibited] {
					g := e.groupOf(ev.Group)
					return e.ban(acts, ev, g, g.memberOf(ev.Member), idProhibited, 0)
				}
			case classWarnable:
				if !e.off[idKeyword] && rule < 0 {
					rule = idKeyword
				}
			}
		}
	}
	if rule < 0 {
		return acts
	}
	return e.warn(acts, ev, e.groupOf(ev.Group).memberOf(ev.Member), rule, true)
}
