package rules

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SnapshotVersion is the version MarshalJSON writes and the newest
// UnmarshalJSON reads.
const SnapshotVersion = 1

// The JSON form of an engine. Times are Unix milliseconds, the precision
// the engine keeps.
type snapshotJSON struct {
	V         int           `json:"v"`
	Policy    Policy        `json:"policy"`
	Members   []memberJSON  `json:"members,omitempty"`
	Welcomes  []welcomeJSON `json:"welcomes,omitempty"`
	Blacklist []banJSON     `json:"blacklist,omitempty"`
	Disputes  []disputeJSON `json:"disputes,omitempty"`
	Audit     []recordJSON  `json:"audit,omitempty"`
}

type memberJSON struct {
	Group     string         `json:"group"`
	Member    string         `json:"member"`
	Warnings  []int64        `json:"warnings,omitempty"`
	Cooldowns []cooldownJSON `json:"cooldowns,omitempty"`
	Last      *int64         `json:"last,omitempty"`
	Flood     []uint32       `json:"flood,omitempty"` // ms before last
	Hash      uint64         `json:"hash,omitempty"`
	Repeats   int            `json:"repeats,omitempty"`
	RemindAt  int64          `json:"remind_at,omitempty"`
	Reminded  bool           `json:"reminded,omitempty"`
}

type cooldownJSON struct {
	Reply int   `json:"reply"`
	Until int64 `json:"until"`
}

type welcomeJSON struct {
	Group   string   `json:"group"`
	First   int64    `json:"first"`
	Due     int64    `json:"due"`
	Members []string `json:"members"`
	Names   []string `json:"names"`
}

type banJSON struct {
	Member  string        `json:"member"`
	At      int64         `json:"at"`
	Group   string        `json:"group"`
	Rule    string        `json:"rule"`
	Removed []removalJSON `json:"removed,omitempty"` // by group
}

// removalJSON is the last Remove of a blacklisted member in a group, the
// start of its RemoveCooldown.
type removalJSON struct {
	Group string `json:"group"`
	At    int64  `json:"at"`
}

type disputeJSON struct {
	Group    string `json:"group"`
	Member   string `json:"member"`
	Reporter string `json:"reporter"`
	Opened   int64  `json:"opened"`
	Next     int64  `json:"next,omitempty"`
	Step     int    `json:"step,omitempty"`
	Reports  int    `json:"reports"`
}

type recordJSON struct {
	Time   int64  `json:"time"`
	Act    string `json:"act"`
	By     string `json:"by"`
	Group  string `json:"group,omitempty"`
	Member string `json:"member"`
}

// MarshalJSON writes a snapshot of the engine: a version, the policy and
// the whole state (warnings, blacklist, disputes, pending welcomes and
// reminders, flood and repeat windows, reply cooldowns, the audit). The
// output is deterministic: the same engine state gives the same bytes. It
// costs time O(n log n) in the number of tracked members.
func (e *Engine) MarshalJSON() ([]byte, error) {
	if e.groups == nil {
		return nil, errors.New("rules: marshal: the engine was not made by New")
	}
	s := snapshotJSON{V: SnapshotVersion, Policy: e.policy}
	for gid, g := range e.groups {
		for mid, m := range g.members {
			j := memberJSON{Group: gid, Member: mid, Flood: m.flood, Hash: m.hash(), Repeats: m.repeats(),
				RemindAt: m.remindAt(), Reminded: m.has(reminded)}
			if m.has(seen) {
				last := m.last
				j.Last = &last
			}
			for _, k := range m.marks {
				switch {
				case k.tag == markWarn:
					j.Warnings = append(j.Warnings, k.at)
				case k.tag >= 0:
					j.Cooldowns = append(j.Cooldowns, cooldownJSON{Reply: int(k.tag), Until: k.at})
				}
			}
			s.Members = append(s.Members, j)
		}
		if b := g.welcome; b != nil {
			s.Welcomes = append(s.Welcomes, welcomeJSON{Group: gid, First: b.first, Due: b.due,
				Members: nonNil(b.ids), Names: nonNil(b.names)})
		}
	}
	slices.SortFunc(s.Members, func(a, b memberJSON) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Member, b.Member))
	})
	slices.SortFunc(s.Welcomes, func(a, b welcomeJSON) int { return strings.Compare(a.Group, b.Group) })
	for id, b := range e.blacklist {
		j := banJSON{Member: id, At: b.at, Group: b.group, Rule: b.rule}
		for _, r := range b.removed {
			j.Removed = append(j.Removed, removalJSON{Group: r.group, At: r.at})
		}
		slices.SortFunc(j.Removed, func(a, b removalJSON) int { return strings.Compare(a.Group, b.Group) })
		s.Blacklist = append(s.Blacklist, j)
	}
	slices.SortFunc(s.Blacklist, func(a, b banJSON) int { return strings.Compare(a.Member, b.Member) })
	for k, d := range e.disputes {
		s.Disputes = append(s.Disputes, disputeJSON{Group: k.group, Member: k.member, Reporter: d.reporter,
			Opened: d.opened, Next: d.next, Step: d.step, Reports: d.reports})
	}
	slices.SortFunc(s.Disputes, func(a, b disputeJSON) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Member, b.Member))
	})
	for _, r := range e.audit {
		s.Audit = append(s.Audit, recordJSON{Time: r.Time.UnixMilli(), Act: r.Act, By: r.By, Group: r.Group, Member: r.Member})
	}
	return json.Marshal(s)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// UnmarshalJSON restores a snapshot written by MarshalJSON, policy
// included; it works on a zero Engine too. A snapshot that is corrupt,
// inconsistent with its policy, or of a newer version is an error, and the
// engine is left as it was.
func (e *Engine) UnmarshalJSON(data []byte) error {
	var s snapshotJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("rules: snapshot: %v", err)
	}
	if dec.More() {
		return errors.New("rules: snapshot: data after the object")
	}
	switch {
	case s.V > SnapshotVersion:
		return fmt.Errorf("rules: snapshot version %d is newer than %d, the newest this package reads", s.V, SnapshotVersion)
	case s.V < 1:
		return fmt.Errorf("rules: snapshot version %d is missing or invalid", s.V)
	}
	ne, err := New(s.Policy)
	if err != nil {
		return fmt.Errorf("rules: snapshot policy: %w", err)
	}
	if err := ne.restore(&s); err != nil {
		return fmt.Errorf("rules: snapshot: %v", err)
	}
	*e = *ne
	return nil
}

func (e *Engine) restore(s *snapshotJSON) error {
	for i, j := range s.Members {
		if j.Group == "" || j.Member == "" {
			return fmt.Errorf("members[%d]: empty group or member", i)
		}
		g := e.groupOf(j.Group)
		if g.members[j.Member] != nil {
			return fmt.Errorf("members[%d]: %s/%s listed twice", i, j.Group, j.Member)
		}
		if len(j.Warnings) >= e.limit {
			return fmt.Errorf("members[%d]: %d warnings, the limit is %d", i, len(j.Warnings), e.limit)
		}
		if len(j.Flood) > e.floodN {
			return fmt.Errorf("members[%d]: %d flood entries, at most %d", i, len(j.Flood), e.floodN)
		}
		for _, f := range j.Flood {
			if int64(f) >= e.floodW {
				return fmt.Errorf("members[%d]: flood entry %d outside the %d ms window", i, f, e.floodW)
			}
		}
		if len(j.Flood) > 0 && j.Last == nil {
			return fmt.Errorf("members[%d]: flood entries without last", i)
		}
		if j.Repeats < 0 || j.Repeats >= e.repeatN {
			return fmt.Errorf("members[%d]: repeats %d outside 0..%d", i, j.Repeats, e.repeatN-1)
		}
		m := &member{flood: slices.Clone(j.Flood)}
		// Snapshots of earlier releases kept all 64 bits of the hash.
		m.setRepeat(j.Hash, j.Repeats)
		if j.Last != nil {
			m.last = *j.Last
			m.word |= seen
		}
		if j.Reminded {
			m.word |= reminded
		}
		for _, w := range j.Warnings {
			m.marks = append(m.marks, mark{at: w, tag: markWarn})
		}
		for _, c := range j.Cooldowns {
			if c.Reply < 0 || c.Reply >= len(e.policy.Replies) {
				return fmt.Errorf("members[%d]: cooldown of reply %d, the policy has %d", i, c.Reply, len(e.policy.Replies))
			}
			m.marks = append(m.marks, mark{at: c.Until, tag: int32(c.Reply)})
		}
		if j.RemindAt != 0 {
			m.marks = append(m.marks, mark{at: j.RemindAt, tag: markRemind})
			e.timers.push(timer{at: j.RemindAt, kind: timerRemind, group: j.Group, member: j.Member})
		}
		g.members[j.Member] = m
	}
	for i, w := range s.Welcomes {
		if w.Group == "" {
			return fmt.Errorf("welcomes[%d]: empty group", i)
		}
		g := e.groupOf(w.Group)
		if g.welcome != nil {
			return fmt.Errorf("welcomes[%d]: group %s listed twice", i, w.Group)
		}
		if slices.Contains(w.Members, "") {
			return fmt.Errorf("welcomes[%d]: an empty member id", i)
		}
		if len(w.Members) != len(w.Names) {
			return fmt.Errorf("welcomes[%d]: %d members but %d names", i, len(w.Members), len(w.Names))
		}
		if w.Due < w.First || w.Due > w.First+e.welcomeM {
			return fmt.Errorf("welcomes[%d]: due %d outside first %d + %d ms", i, w.Due, w.First, e.welcomeM)
		}
		g.welcome = &batch{first: w.First, due: w.Due, ids: slices.Clone(w.Members), names: slices.Clone(w.Names)}
		e.timers.push(timer{at: w.Due, kind: timerWelcome, group: w.Group})
	}
	for i, b := range s.Blacklist {
		if b.Member == "" {
			return fmt.Errorf("blacklist[%d]: empty member", i)
		}
		if _, dup := e.blacklist[b.Member]; dup {
			return fmt.Errorf("blacklist[%d]: %s listed twice", i, b.Member)
		}
		if !slices.Contains(ruleNames[:], b.Rule) {
			return fmt.Errorf("blacklist[%d]: %q is not a rule", i, b.Rule)
		}
		nb := &ban{at: b.At, group: b.Group, rule: b.Rule}
		for k, r := range b.Removed {
			if r.Group == "" {
				return fmt.Errorf("blacklist[%d].removed[%d]: empty group", i, k)
			}
			if slices.ContainsFunc(nb.removed, func(x removal) bool { return x.group == r.Group }) {
				return fmt.Errorf("blacklist[%d].removed[%d]: group %s listed twice", i, k, r.Group)
			}
			nb.removed = append(nb.removed, removal{group: r.Group, at: r.At})
		}
		if b.Removed == nil && b.Group != "" {
			// A snapshot written before removals were kept: the Remove of
			// the ban itself starts the cooldown in its group.
			nb.removed = []removal{{group: b.Group, at: b.At}}
		}
		e.blacklist[b.Member] = nb
	}
	for i, d := range s.Disputes {
		k := pair{d.Group, d.Member}
		if d.Group == "" || d.Member == "" {
			return fmt.Errorf("disputes[%d]: empty group or member", i)
		}
		if e.disputes[k] != nil {
			return fmt.Errorf("disputes[%d]: %s/%s listed twice", i, d.Group, d.Member)
		}
		if d.Step < 0 || d.Step > len(e.policy.Admins) || d.Reports < 1 {
			return fmt.Errorf("disputes[%d]: step %d or reports %d out of range", i, d.Step, d.Reports)
		}
		if d.Next != 0 && d.Step >= len(e.policy.Admins) {
			return fmt.Errorf("disputes[%d]: step %d of %d admins has no next step", i, d.Step, len(e.policy.Admins))
		}
		e.disputes[k] = &dispute{reporter: d.Reporter, opened: d.Opened, next: d.Next, step: d.Step, reports: d.Reports}
		if d.Next != 0 {
			e.timers.push(timer{at: d.Next, kind: timerDispute, group: d.Group, member: d.Member})
		}
	}
	for i, r := range s.Audit {
		if r.Act != "pardon" && r.Act != "lift" {
			return fmt.Errorf("audit[%d]: act %q is not pardon or lift", i, r.Act)
		}
		e.audit = append(e.audit, Record{Time: time.UnixMilli(r.Time).UTC(), Act: r.Act, By: r.By, Group: r.Group, Member: r.Member})
	}
	return nil
}
