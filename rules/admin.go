package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// bannedAt returns the blacklist entry of id live at t (Unix ms), nil when
// there is none or it expired under Policy.BlacklistTTL.
func (e *Engine) bannedAt(id string, t int64) *ban {
	b := e.blacklist[id]
	if b == nil || e.banTTL >= 0 && t >= b.at+e.banTTL {
		return nil
	}
	return b
}

// Ban blacklists member id, by an admin's decision, in every group of the
// engine, and returns what to do in group: a Remove and a Blacklist for
// RuleManual. A ban of a member already blacklisted starts it again at at
// (BlacklistTTL counts from there), unless the entry started later: a ban
// never shortens one. by must be an admin and the member
// neither an admin nor one of Policy.Self. The ban is recorded (see Audit).
func (e *Engine) Ban(by, group, id string, at time.Time) ([]Action, error) {
	switch {
	case !e.isAdmin(by):
		return nil, fmt.Errorf("rules: ban by %q: not an admin", by)
	case group == "" || id == "":
		return nil, fmt.Errorf("rules: ban of %q in %q: empty member or group", id, group)
	case e.isAdmin(id) || e.isSelf(id):
		return nil, fmt.Errorf("rules: ban of %q: an admin or the bot itself", id)
	}
	ev := &qunops.Event{Group: group, Member: id, Time: at}
	var m *member
	g := e.groups[group]
	if g != nil {
		m = g.members[id]
	}
	acts := e.ban(nil, ev, g, m, idManual, 0)
	e.audit = append(e.audit, Record{Time: time.UnixMilli(at.UnixMilli()).UTC(), Act: "ban", By: by, Group: group, Member: id})
	return acts, nil
}

// Unban removes member from the blacklist; by must be an admin, and member
// blacklisted (an entry expired under BlacklistTTL counts until it is
// removed). The unban is recorded (see Audit).
func (e *Engine) Unban(by, member string, at time.Time) error {
	return e.unban("unban", by, member, at)
}

func (e *Engine) unban(act, by, member string, at time.Time) error {
	if !e.isAdmin(by) {
		return fmt.Errorf("rules: %s by %q: not an admin", act, by)
	}
	if e.blacklist[member] == nil {
		return fmt.Errorf("rules: %s %q: not blacklisted", act, member)
	}
	delete(e.blacklist, member)
	e.audit = append(e.audit, Record{Time: time.UnixMilli(at.UnixMilli()).UTC(), Act: act, By: by, Member: member})
	return nil
}

// BlacklistEntry is a blacklisted member, as Engine.Blacklist lists them.
type BlacklistEntry struct {
	Member string
	Group  string    // the group of the offence or Ban
	Rule   string    // the rule that blacklisted them (RuleManual for a Ban)
	At     time.Time // when, in UTC
	// Expires is when the entry lapses under Policy.BlacklistTTL, in UTC;
	// zero for never.
	Expires time.Time
}

// Blacklist returns the members blacklisted at the newest time the engine
// has seen, sorted by member id. It costs O(n log n) in the blacklist's
// size.
func (e *Engine) Blacklist() []BlacklistEntry {
	var out []BlacklistEntry
	for id, b := range e.blacklist {
		if e.bannedAt(id, e.clock) == nil {
			continue
		}
		x := BlacklistEntry{Member: id, Group: b.group, Rule: b.rule, At: time.UnixMilli(b.at).UTC()}
		if e.banTTL >= 0 {
			x.Expires = time.UnixMilli(b.at + e.banTTL).UTC()
		}
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b BlacklistEntry) int { return strings.Compare(a.Member, b.Member) })
	return out
}

// Dispute is an open dispute, as Engine.Disputes lists them.
type Dispute struct {
	Group, Member string // the reported member
	Reporter      string // who reported first
	Reports       int    // reports about the member while it was open
	Opened        time.Time
	// Step is the escalations so far: 0 while the first admin has it.
	Step int
	// Next is when it escalates next; zero when the ladder is done.
	Next time.Time
}

// Disputes returns the open disputes sorted by group and member; times are
// in UTC. It costs O(n log n) in their number.
func (e *Engine) Disputes() []Dispute {
	var out []Dispute
	for k, d := range e.disputes {
		x := Dispute{Group: k.group, Member: k.member, Reporter: d.reporter, Reports: d.reports,
			Opened: time.UnixMilli(d.opened).UTC(), Step: d.step}
		if d.next != 0 {
			x.Next = time.UnixMilli(d.next).UTC()
		}
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b Dispute) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Member, b.Member))
	})
	return out
}

// reportLog keeps, per reporter, the times of the disputes they opened
// within the last day, at most Policy.DailyReportsMax of them: a few bytes
// per recent reporter.
type reportLog map[string][]int64

const msPerDay = 24 * 60 * 60 * 1000

// allow records a dispute opened by reporter at t and reports true, unless
// they opened max within the day before t.
func (l *reportLog) allow(reporter string, t int64, max int) bool {
	if *l == nil {
		*l = reportLog{}
	}
	times := (*l)[reporter]
	k := 0
	for _, x := range times { // drop the ones a day old; a late report keeps later ones
		if x > t-msPerDay {
			times[k] = x
			k++
		}
	}
	times = times[:k]
	live := 0
	for _, x := range times {
		if x <= t {
			live++
		}
	}
	if live >= max {
		(*l)[reporter] = times
		return false
	}
	if len(times) == 0 {
		(*l)[strings.Clone(reporter)] = []int64{t}
		return true
	}
	(*l)[reporter] = append(times, t)
	return true
}
