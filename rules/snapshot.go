package rules

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// SnapshotVersion is the version MarshalJSON writes and the newest
// UnmarshalJSON reads. Version 5 adds the groups' recorded titles
// (Policy.LockTitle, issue 16). Version 4 added the risk and review state
// of issue 19: each member's pending passphrase check, invites and alerts, and the
// pending promotion reviews. Version 3 added the engine's clock (the
// newest time seen, which bounds event times), the remembered event ids and
// the reply cooldowns by reply name; version 2 wrote times in RFC 3339.
// UnmarshalJSON still reads versions 4, 3, 2 and 1 (whose times were Unix
// milliseconds).
const SnapshotVersion = 5

// stamp is the type of the times of a snapshot document: an instant in the
// JSON of version 2, Unix milliseconds inside the engine and in version 1.
type stamp interface{ int64 | instant }

// instant is a time.Time in a snapshot: RFC 3339 text, read through
// UnmarshalText so that the strict decoder names the key of a bad time.
type instant time.Time

// MarshalText writes the instant in RFC 3339 with up to nanoseconds, as
// time.Time does.
func (t instant) MarshalText() ([]byte, error) { return time.Time(t).MarshalText() }

// UnmarshalText reads an RFC 3339 time.
func (t *instant) UnmarshalText(b []byte) error { return (*time.Time)(t).UnmarshalText(b) }

// IsZero reports whether t is the zero time, the absent optional time.
func (t instant) IsZero() bool { return time.Time(t).IsZero() }

// String writes t in RFC 3339 in UTC, for errors.
func (t instant) String() string { return time.Time(t).UTC().Format(time.RFC3339Nano) }

// snapshotDoc is the JSON form of an engine. The policy is kept raw so that
// its errors can be named "policy" without a second package prefix.
type snapshotDoc[T stamp] struct {
	V         int             `json:"v"`
	Policy    json.RawMessage `json:"policy"`
	Clock     *T              `json:"clock,omitempty"` // the newest time seen
	Sweep     T               `json:"sweep,omitzero"`  // when Tick next drops idle members
	Members   []memberDoc[T]  `json:"members,omitempty"`
	Welcomes  []welcomeDoc[T] `json:"welcomes,omitempty"`
	Blacklist []banDoc[T]     `json:"blacklist,omitempty"`
	Disputes  []disputeDoc[T] `json:"disputes,omitempty"`
	Audit     []recordDoc[T]  `json:"audit,omitempty"`
	// Dedupe lists the remembered event ids, as hashes, in the order
	// handled (version 3).
	Dedupe []dedupeDoc[T] `json:"dedupe,omitempty"`
	// Names are the display names learnt, by group and member (version 3).
	Names []nameDoc `json:"names,omitempty"`
	// GroupCooldowns are the group cooldowns of the replies (version 3).
	GroupCooldowns []groupCooldownDoc[T] `json:"group_cooldowns,omitempty"`
	// Reports are the disputes each reporter opened within the last day
	// (version 3).
	Reports []reportsDoc[T] `json:"reports,omitempty"`
	// Posts are the bot's own messages per group on the last day counted
	// (version 3).
	Posts []postsDoc `json:"posts,omitempty"`
	// Reviews are the promotions held for an admin, by id (version 4).
	Reviews []reviewDoc[T] `json:"reviews,omitempty"`
	// LastReview is the id of the newest review opened (version 4).
	LastReview int `json:"last_review,omitempty"`
	// Titles are the groups' recorded titles, by group (version 5).
	Titles []titleDoc[T] `json:"titles,omitempty"`
}

// titleDoc is a group's recorded title and when it was set.
type titleDoc[T stamp] struct {
	Group string `json:"group"`
	Title string `json:"title"`
	At    T      `json:"at"`
}

type reviewDoc[T stamp] struct {
	ID        int    `json:"id"`
	Group     string `json:"group"`
	Member    string `json:"member"`
	Text      string `json:"text"`
	MessageID string `json:"message_id,omitempty"`
	At        T      `json:"at"`
	Due       T      `json:"due"`
}

// alertDoc is the last alert to the admins about a member for a rule.
type alertDoc[T stamp] struct {
	Rule string `json:"rule"`
	At   T      `json:"at"`
}

type postsDoc struct {
	Group string `json:"group"`
	Day   string `json:"day"` // a calendar day in Asia/Shanghai: "2026-03-02"
	Count int    `json:"count"`
}

type reportsDoc[T stamp] struct {
	Reporter string `json:"reporter"`
	Opened   []T    `json:"opened"`
}

type groupCooldownDoc[T stamp] struct {
	Group string `json:"group"`
	Key   string `json:"key"`
	Until T      `json:"until"`
}

type nameDoc struct {
	Group  string `json:"group"`
	Member string `json:"member"`
	Name   string `json:"name"`
}

type dedupeDoc[T stamp] struct {
	Hash uint64 `json:"hash"`
	At   T      `json:"at"`
}

type memberDoc[T stamp] struct {
	Group     string           `json:"group"`
	Member    string           `json:"member"`
	Warnings  []T              `json:"warnings,omitempty"`
	Cooldowns []cooldownDoc[T] `json:"cooldowns,omitempty"`
	Last      *T               `json:"last,omitempty"`
	// Flood holds the times of the recent messages of the flood window
	// (version 1: milliseconds before last).
	Flood    []T    `json:"flood,omitempty"`
	Hash     uint64 `json:"hash,omitempty"`
	Repeats  int    `json:"repeats,omitempty"`
	RemindAt T      `json:"remind_at,omitzero"`
	Reminded bool   `json:"reminded,omitempty"`
	// Flooding is set while a warned flood lasts (version 3).
	Flooding bool `json:"flooding,omitempty"`
	// PassphraseDue is when the pending passphrase check falls due, and
	// PassphraseReminded whether the reminder went out, so that the removal
	// is next (version 4).
	PassphraseDue      T    `json:"passphrase_due,omitzero"`
	PassphraseReminded bool `json:"passphrase_reminded,omitempty"`
	// Invites are the times of the joins the member invited, the newest
	// (version 4).
	Invites []T `json:"invites,omitempty"`
	// Alerts are the last alerts about the member, by rule (version 4).
	Alerts []alertDoc[T] `json:"alerts,omitempty"`
}

// cooldownDoc is a reply cooldown: by the reply's key (its name, see
// AutoReply.Name) since version 3, by its index in the policy's replies in
// versions 1 and 2.
type cooldownDoc[T stamp] struct {
	Key   string `json:"key,omitempty"`
	Reply *int   `json:"reply,omitempty"`
	Until T      `json:"until"`
}

type welcomeDoc[T stamp] struct {
	Group   string   `json:"group"`
	First   T        `json:"first"`
	Due     T        `json:"due"`
	Members []string `json:"members"`
	// Names were the display names of Members (versions 1 and 2); version
	// 3 keeps names in the document's "names".
	Names []string `json:"names,omitempty"`
}

type banDoc[T stamp] struct {
	Member  string          `json:"member"`
	At      T               `json:"at"`
	Group   string          `json:"group"`
	Rule    string          `json:"rule"`
	Removed []removalDoc[T] `json:"removed,omitempty"` // by group
	// Notified is the last rejoin Notify to the admins (version 3).
	Notified T `json:"notified,omitzero"`
}

// removalDoc is the last Remove of a blacklisted member in a group, the
// start of its RemoveCooldown.
type removalDoc[T stamp] struct {
	Group string `json:"group"`
	At    T      `json:"at"`
}

type disputeDoc[T stamp] struct {
	Group    string `json:"group"`
	Member   string `json:"member"`
	Reporter string `json:"reporter"`
	Opened   T      `json:"opened"`
	Next     T      `json:"next,omitzero"`
	Step     int    `json:"step,omitempty"`
	Reports  int    `json:"reports"`
}

type recordDoc[T stamp] struct {
	Time   T      `json:"time"`
	Act    string `json:"act"`
	By     string `json:"by"`
	Group  string `json:"group,omitempty"`
	Member string `json:"member"`
}

// The Unix milliseconds of the first and last instants RFC 3339 can write
// in UTC: 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
var (
	minStamp = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	maxStamp = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1
)

// fmtStamp writes a time of the state for an error.
func fmtStamp(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

// converter maps the times of a document from A to B, keeping the first
// error. Zero optional times (A's zero) stay zero.
type converter[A, B stamp] struct {
	f    func(A) (B, bool)
	zero func(A) bool
	err  error
}

func (c *converter[A, B]) at(section string, i int, field string, a A) B {
	b, ok := c.f(a)
	if !ok && c.err == nil {
		where := fmt.Sprintf("%s[%d].%s", section, i, field)
		if field == "" { // a single time of the document
			where = section
		}
		c.err = fmt.Errorf("%s: time %v is outside the years 0000 to 9999 (UTC)", where, a)
	}
	return b
}

func (c *converter[A, B]) opt(section string, i int, field string, a A) B {
	if c.zero(a) {
		var z B
		return z
	}
	return c.at(section, i, field, a)
}

func (c *converter[A, B]) list(section string, i int, field string, as []A) []B {
	if as == nil {
		return nil
	}
	bs := make([]B, len(as))
	for k, a := range as {
		bs[k] = c.at(section, i, field, a)
	}
	return bs
}

// convertDoc maps every time of s with f.
func convertDoc[A, B stamp](s *snapshotDoc[A], f func(A) (B, bool), zero func(A) bool) (*snapshotDoc[B], error) {
	c := &converter[A, B]{f: f, zero: zero}
	d := &snapshotDoc[B]{V: s.V, Policy: s.Policy, Names: s.Names, Posts: s.Posts, LastReview: s.LastReview}
	if s.Clock != nil {
		clock := c.at("clock", 0, "", *s.Clock)
		d.Clock = &clock
	}
	d.Sweep = c.opt("sweep", 0, "", s.Sweep)
	for i, m := range s.Members {
		n := memberDoc[B]{Group: m.Group, Member: m.Member, Warnings: c.list("members", i, "warnings", m.Warnings),
			Flood: c.list("members", i, "flood", m.Flood), Hash: m.Hash, Repeats: m.Repeats,
			RemindAt: c.opt("members", i, "remind_at", m.RemindAt), Reminded: m.Reminded, Flooding: m.Flooding,
			PassphraseDue: c.opt("members", i, "passphrase_due", m.PassphraseDue), PassphraseReminded: m.PassphraseReminded,
			Invites: c.list("members", i, "invites", m.Invites)}
		for _, a := range m.Alerts {
			n.Alerts = append(n.Alerts, alertDoc[B]{Rule: a.Rule, At: c.at("members", i, "alerts", a.At)})
		}
		if m.Last != nil {
			last := c.at("members", i, "last", *m.Last)
			n.Last = &last
		}
		for _, k := range m.Cooldowns {
			n.Cooldowns = append(n.Cooldowns, cooldownDoc[B]{Key: k.Key, Reply: k.Reply, Until: c.at("members", i, "cooldowns", k.Until)})
		}
		d.Members = append(d.Members, n)
	}
	for i, w := range s.Welcomes {
		d.Welcomes = append(d.Welcomes, welcomeDoc[B]{Group: w.Group, First: c.at("welcomes", i, "first", w.First),
			Due: c.at("welcomes", i, "due", w.Due), Members: w.Members, Names: w.Names})
	}
	for i, b := range s.Blacklist {
		n := banDoc[B]{Member: b.Member, At: c.at("blacklist", i, "at", b.At), Group: b.Group, Rule: b.Rule,
			Notified: c.opt("blacklist", i, "notified", b.Notified)}
		for _, r := range b.Removed {
			n.Removed = append(n.Removed, removalDoc[B]{Group: r.Group, At: c.at("blacklist", i, "removed", r.At)})
		}
		d.Blacklist = append(d.Blacklist, n)
	}
	for i, x := range s.Disputes {
		d.Disputes = append(d.Disputes, disputeDoc[B]{Group: x.Group, Member: x.Member, Reporter: x.Reporter,
			Opened: c.at("disputes", i, "opened", x.Opened), Next: c.opt("disputes", i, "next", x.Next),
			Step: x.Step, Reports: x.Reports})
	}
	for i, r := range s.Audit {
		d.Audit = append(d.Audit, recordDoc[B]{Time: c.at("audit", i, "time", r.Time), Act: r.Act, By: r.By,
			Group: r.Group, Member: r.Member})
	}
	for i, x := range s.Reports {
		d.Reports = append(d.Reports, reportsDoc[B]{Reporter: x.Reporter, Opened: c.list("reports", i, "opened", x.Opened)})
	}
	for i, x := range s.GroupCooldowns {
		d.GroupCooldowns = append(d.GroupCooldowns, groupCooldownDoc[B]{Group: x.Group, Key: x.Key,
			Until: c.at("group_cooldowns", i, "until", x.Until)})
	}
	for i, x := range s.Dedupe {
		d.Dedupe = append(d.Dedupe, dedupeDoc[B]{Hash: x.Hash, At: c.at("dedupe", i, "at", x.At)})
	}
	for i, x := range s.Reviews {
		d.Reviews = append(d.Reviews, reviewDoc[B]{ID: x.ID, Group: x.Group, Member: x.Member, Text: x.Text,
			MessageID: x.MessageID, At: c.at("reviews", i, "at", x.At), Due: c.at("reviews", i, "due", x.Due)})
	}
	for i, x := range s.Titles {
		d.Titles = append(d.Titles, titleDoc[B]{Group: x.Group, Title: x.Title, At: c.at("titles", i, "at", x.At)})
	}
	return d, c.err
}

func msToInstant(ms int64) (instant, bool) {
	return instant(time.UnixMilli(ms).UTC()), ms >= minStamp && ms <= maxStamp
}

func instantToMs(t instant) (int64, bool) {
	ms := time.Time(t).UnixMilli()
	return ms, ms >= minStamp && ms <= maxStamp
}

func checkMs(ms int64) (int64, bool) { return ms, ms >= minStamp && ms <= maxStamp }

func isZeroMs(ms int64) bool { return ms == 0 }

// MarshalJSON writes a snapshot of the engine: a version, the policy and
// the whole state (warnings, blacklist, disputes, pending welcomes and
// reminders, flood and repeat windows, reply cooldowns, the audit). Times
// are RFC 3339 in UTC, to the millisecond, the precision the engine keeps;
// the policy is written as Policy.MarshalJSON writes it. The output is
// deterministic: the same engine state gives the same bytes. It costs time
// O(n log n) in the number of tracked members.
//
// A time outside the years 0000 to 9999 (UTC), which RFC 3339 cannot
// write, is an error naming where it is; it can only come from an event so
// stamped.
func (e *Engine) MarshalJSON() ([]byte, error) {
	if e.groups == nil {
		return nil, errors.New("rules: snapshot: the engine was not made by New")
	}
	pol, err := json.Marshal(e.policy)
	if err != nil {
		return nil, fmt.Errorf("rules: snapshot: policy: %v", err)
	}
	s := snapshotDoc[int64]{V: SnapshotVersion, Policy: pol}
	if e.clocked {
		clock := e.clock
		s.Clock = &clock
	}
	s.Sweep = e.nextSweep
	for gid, g := range e.groups {
		for mid, m := range g.members {
			j := memberDoc[int64]{Group: gid, Member: mid, Hash: m.hash(), Repeats: m.repeats(),
				RemindAt: m.remindAt(), Reminded: m.has(reminded), Flooding: m.has(flooding)}
			if m.has(seen) {
				last := m.last
				j.Last = &last
			}
			for _, off := range m.flood {
				j.Flood = append(j.Flood, m.last-int64(off))
			}
			for _, k := range m.marks {
				switch {
				case k.tag == markWarn:
					j.Warnings = append(j.Warnings, k.at)
				case k.tag >= 0:
					j.Cooldowns = append(j.Cooldowns, cooldownDoc[int64]{Key: replyKey(e.policy.Replies[k.tag]), Until: k.at})
				case isPassMark(k.tag):
					j.PassphraseDue, j.PassphraseReminded = k.at, k.tag == markPassLast
				case k.tag == markInvite:
					j.Invites = append(j.Invites, k.at)
				case isAlertMark(k.tag):
					j.Alerts = append(j.Alerts, alertDoc[int64]{Rule: ruleNames[markAlert-k.tag], At: k.at})
				}
			}
			slices.Sort(j.Invites)
			slices.SortFunc(j.Alerts, func(a, b alertDoc[int64]) int { return strings.Compare(a.Rule, b.Rule) })
			s.Members = append(s.Members, j)
		}
		if b := g.welcome; b != nil {
			s.Welcomes = append(s.Welcomes, welcomeDoc[int64]{Group: gid, First: b.first, Due: b.due,
				Members: nonNil(b.ids)})
		}
		for _, k := range g.replied {
			s.GroupCooldowns = append(s.GroupCooldowns, groupCooldownDoc[int64]{Group: gid,
				Key: replyKey(e.policy.Replies[k.tag]), Until: k.at})
		}
		if g.posts > 0 {
			s.Posts = append(s.Posts, postsDoc{Group: gid, Day: time.Unix(g.postDay*86400, 0).UTC().Format(time.DateOnly),
				Count: g.posts})
		}
		for mid, n := range g.names {
			s.Names = append(s.Names, nameDoc{Group: gid, Member: mid, Name: n})
		}
		if g.title != "" {
			s.Titles = append(s.Titles, titleDoc[int64]{Group: gid, Title: g.title, At: g.titleAt})
		}
	}
	slices.SortFunc(s.Members, func(a, b memberDoc[int64]) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Member, b.Member))
	})
	slices.SortFunc(s.Welcomes, func(a, b welcomeDoc[int64]) int { return strings.Compare(a.Group, b.Group) })
	slices.SortFunc(s.GroupCooldowns, func(a, b groupCooldownDoc[int64]) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Key, b.Key))
	})
	slices.SortFunc(s.Posts, func(a, b postsDoc) int { return strings.Compare(a.Group, b.Group) })
	slices.SortFunc(s.Titles, func(a, b titleDoc[int64]) int { return strings.Compare(a.Group, b.Group) })
	slices.SortFunc(s.Names, func(a, b nameDoc) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Member, b.Member))
	})
	for id, b := range e.blacklist {
		j := banDoc[int64]{Member: id, At: b.at, Group: b.group, Rule: b.rule, Notified: b.notified}
		for _, r := range b.removed {
			j.Removed = append(j.Removed, removalDoc[int64]{Group: r.group, At: r.at})
		}
		slices.SortFunc(j.Removed, func(a, b removalDoc[int64]) int { return strings.Compare(a.Group, b.Group) })
		s.Blacklist = append(s.Blacklist, j)
	}
	slices.SortFunc(s.Blacklist, func(a, b banDoc[int64]) int { return strings.Compare(a.Member, b.Member) })
	for k, d := range e.disputes {
		s.Disputes = append(s.Disputes, disputeDoc[int64]{Group: k.group, Member: k.member, Reporter: d.reporter,
			Opened: d.opened, Next: d.next, Step: d.step, Reports: d.reports})
	}
	slices.SortFunc(s.Disputes, func(a, b disputeDoc[int64]) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Member, b.Member))
	})
	for _, r := range e.audit {
		s.Audit = append(s.Audit, recordDoc[int64]{Time: r.Time.UnixMilli(), Act: r.Act, By: r.By, Group: r.Group, Member: r.Member})
	}
	for r, times := range e.reports {
		if len(times) > 0 {
			s.Reports = append(s.Reports, reportsDoc[int64]{Reporter: r, Opened: slices.Clone(times)})
		}
	}
	slices.SortFunc(s.Reports, func(a, b reportsDoc[int64]) int { return strings.Compare(a.Reporter, b.Reporter) })
	for k, r := range e.reviews {
		s.Reviews = append(s.Reviews, reviewDoc[int64]{ID: r.id, Group: k.group, Member: k.member, Text: r.text,
			MessageID: r.messageID, At: r.at, Due: r.due})
	}
	slices.SortFunc(s.Reviews, func(a, b reviewDoc[int64]) int { return cmp.Compare(a.ID, b.ID) })
	s.LastReview = e.lastReview
	for _, q := range e.ids.queue[e.ids.head:] {
		if e.ids.at[q.hash] == q.at { // not superseded by a later handling of the same id
			s.Dedupe = append(s.Dedupe, dedupeDoc[int64]{Hash: q.hash, At: q.at})
		}
	}
	doc, err := convertDoc(&s, msToInstant, isZeroMs)
	if err != nil {
		return nil, fmt.Errorf("rules: snapshot: %v", err)
	}
	return json.Marshal(doc)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// UnmarshalJSON restores a snapshot written by MarshalJSON, policy
// included; it works on a zero Engine too. It reads versions 4, 3, 2 and 1. Decoding is strict: a key that is unknown, given twice (a second
// "blacklist" would otherwise drop the first) or spelled in another case is
// an error naming it. A snapshot that is corrupt, inconsistent with its
// policy, or of a newer version is an error, and the engine is left exactly
// as it was and still usable: the state is rebuilt in a new engine that
// replaces the receiver only at the end.
func (e *Engine) UnmarshalJSON(data []byte) error {
	ne, err := decodeSnapshot(data)
	if err != nil {
		return fmt.Errorf("rules: snapshot: %v", err)
	}
	*e = *ne
	return nil
}

// decodeSnapshot builds a new engine from a snapshot; its errors lack the
// package prefix.
func decodeSnapshot(data []byte) (*Engine, error) {
	// A lenient look at the version picks the document's form; the strict
	// decoding below judges the rest, duplicate "v" keys included.
	var head struct {
		V int `json:"v"`
	}
	peekErr := json.Unmarshal(data, &head)
	if peekErr == nil && head.V > SnapshotVersion {
		return nil, fmt.Errorf("version %d is newer than %d, the newest this package reads", head.V, SnapshotVersion)
	}
	var s *snapshotDoc[int64]
	if peekErr == nil && head.V == 1 {
		var d snapshotDoc[int64]
		if err := jsonx.Unmarshal(data, &d); err != nil {
			return nil, err
		}
		if err := upgradeV1(&d); err != nil {
			return nil, err
		}
		var err error
		if s, err = convertDoc(&d, checkMs, isZeroMs); err != nil {
			return nil, err
		}
	} else {
		var d snapshotDoc[instant]
		if err := jsonx.Unmarshal(data, &d); err != nil {
			return nil, err
		}
		if d.V < 2 || d.V > SnapshotVersion {
			return nil, fmt.Errorf("version %d is missing or invalid", d.V)
		}
		var err error
		if s, err = convertDoc(&d, instantToMs, instant.IsZero); err != nil {
			return nil, err
		}
	}
	var p Policy
	if len(s.Policy) > 0 {
		var err error
		if p, err = decodePolicy(s.Policy); err != nil {
			return nil, fmt.Errorf("policy: %v", err)
		}
	}
	ne, err := compilePolicy(p)
	if err != nil {
		return nil, fmt.Errorf("policy: %v", err)
	}
	ne.reset()
	if err := ne.restore(s); err != nil {
		return nil, err
	}
	return ne, nil
}

// upgradeV1 turns the flood entries of a version 1 snapshot, milliseconds
// before last, into times.
func upgradeV1(s *snapshotDoc[int64]) error {
	for i := range s.Members {
		m := &s.Members[i]
		if len(m.Flood) == 0 {
			continue
		}
		if m.Last == nil {
			return fmt.Errorf("members[%d]: flood entries without last", i)
		}
		last := *m.Last
		if last < minStamp || last > maxStamp {
			return fmt.Errorf("members[%d].last: time %d is outside the years 0000 to 9999 (UTC)", i, last)
		}
		for k, off := range m.Flood {
			if off < 0 || off > math.MaxUint32 {
				return fmt.Errorf("members[%d].flood[%d]: %d is not a number of milliseconds before last", i, k, off)
			}
			m.Flood[k] = last - off
		}
	}
	return nil
}

// restore rebuilds the state of s in e, a new engine, checking it against
// the policy. Times are Unix milliseconds; flood entries are times.
func (e *Engine) restore(s *snapshotDoc[int64]) error {
	if s.Clock != nil {
		e.clock, e.clocked = *s.Clock, true
	}
	e.nextSweep = s.Sweep
	for i, j := range s.Members {
		if j.Group == "" || j.Member == "" {
			return fmt.Errorf("members[%d]: empty group or member", i)
		}
		g := e.groupOf(j.Group)
		if g.members[j.Member] != nil {
			return fmt.Errorf("members[%d]: %s/%s listed twice", i, j.Group, j.Member)
		}
		// A policy set with SetPolicy may have lowered the limit below the
		// warnings a member holds: they are removed at their next offence.
		if len(j.Warnings) > maxWarnLimit {
			return fmt.Errorf("members[%d]: %d warnings, more than any limit (%d)", i, len(j.Warnings), maxWarnLimit)
		}
		if len(j.Flood) > e.floodN {
			return fmt.Errorf("members[%d]: %d flood entries, at most %d", i, len(j.Flood), e.floodN)
		}
		if len(j.Flood) > 0 && j.Last == nil {
			return fmt.Errorf("members[%d]: flood entries without last", i)
		}
		var flood []uint32
		for k, f := range j.Flood {
			if off := *j.Last - f; off < 0 || off >= e.floodW {
				return fmt.Errorf("members[%d].flood[%d]: %s is not within the %s flood window before last %s",
					i, k, fmtStamp(f), formatDuration(time.Duration(e.floodW)*time.Millisecond), fmtStamp(*j.Last))
			}
			flood = append(flood, uint32(*j.Last-f))
		}
		if j.Repeats < 0 || j.Repeats > e.repeatN {
			return fmt.Errorf("members[%d]: repeats %d outside 0..%d", i, j.Repeats, e.repeatN)
		}
		m := &member{flood: flood}
		// Snapshots of earlier releases kept all 64 bits of the hash.
		m.setRepeat(j.Hash, j.Repeats)
		if j.Last != nil {
			m.last = *j.Last
			m.word |= seen
		}
		if j.Reminded {
			m.word |= reminded
		}
		if j.Flooding {
			m.word |= flooding
		}
		for _, w := range j.Warnings {
			m.marks = append(m.marks, mark{at: w, tag: markWarn})
		}
		for _, c := range j.Cooldowns {
			reply := -1
			switch {
			case c.Key != "" && c.Reply == nil:
				reply = slices.IndexFunc(e.policy.Replies, func(r AutoReply) bool { return replyKey(r) == c.Key })
				if reply < 0 {
					return fmt.Errorf("members[%d]: cooldown of reply %q, which the policy lacks", i, c.Key)
				}
			case c.Key == "" && c.Reply != nil && s.V < 3:
				reply = *c.Reply
				if reply < 0 || reply >= len(e.policy.Replies) {
					return fmt.Errorf("members[%d]: cooldown of reply %d, the policy has %d", i, reply, len(e.policy.Replies))
				}
			default:
				return fmt.Errorf("members[%d]: a cooldown needs a key (version 3) or a reply index (versions 1, 2)", i)
			}
			m.marks = append(m.marks, mark{at: c.Until, tag: int32(reply)})
		}
		if j.RemindAt != 0 {
			m.marks = append(m.marks, mark{at: j.RemindAt, tag: markRemind})
			e.timers.push(timer{at: j.RemindAt, kind: timerRemind, group: j.Group, member: j.Member})
		}
		if err := e.restoreRisk(s.V, i, &j, m); err != nil {
			return err
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
		if len(w.Names) > 0 && len(w.Members) != len(w.Names) || len(w.Names) > 0 && s.V >= 3 {
			return fmt.Errorf("welcomes[%d]: %d members but %d names", i, len(w.Members), len(w.Names))
		}
		for k, id := range w.Members { // versions 1 and 2 kept the names here
			if len(w.Names) > 0 && w.Names[k] != id {
				g.setName(id, w.Names[k])
			}
		}
		if w.Due < w.First || w.Due > w.First+e.welcomeM {
			return fmt.Errorf("welcomes[%d]: due %s is not within welcome_max %s of first %s", i, fmtStamp(w.Due),
				formatDuration(time.Duration(e.welcomeM)*time.Millisecond), fmtStamp(w.First))
		}
		g.welcome = &batch{first: w.First, due: w.Due, ids: slices.Clone(w.Members)}
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
			return fmt.Errorf("blacklist[%d]: rule %q is not a rule (want one of %s)", i, b.Rule, strings.Join(ruleNames[:], ", "))
		}
		nb := &ban{at: b.At, group: b.Group, rule: b.Rule, notified: b.Notified}
		for k, r := range b.Removed {
			if r.Group == "" {
				return fmt.Errorf("blacklist[%d].removed[%d]: empty group", i, k)
			}
			if slices.ContainsFunc(nb.removed, func(x removal) bool { return x.group == r.Group }) {
				return fmt.Errorf("blacklist[%d].removed[%d]: group %s listed twice", i, k, r.Group)
			}
			nb.removed = append(nb.removed, removal{group: r.Group, at: r.At})
		}
		if s.V == 1 && b.Removed == nil && b.Group != "" {
			// A version 1 snapshot written before removals were kept: the
			// Remove of the ban itself starts the cooldown in its group.
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
	for i, p := range s.Posts {
		day, err := time.Parse(time.DateOnly, p.Day)
		if err != nil || p.Group == "" || p.Count < 1 {
			return fmt.Errorf("posts[%d]: group %q, day %q (want like 2026-03-02) or count %d (want at least 1)", i, p.Group, p.Day, p.Count)
		}
		g := e.groupOf(p.Group)
		if g.posts > 0 {
			return fmt.Errorf("posts[%d]: group %s listed twice", i, p.Group)
		}
		g.postDay, g.posts = day.Unix()/86400, p.Count
	}
	for i, r := range s.Reports {
		if r.Reporter == "" || len(r.Opened) == 0 || len(r.Opened) > maxDailyReports {
			return fmt.Errorf("reports[%d]: empty reporter, or %d times outside 1..%d", i, len(r.Opened), maxDailyReports)
		}
		if _, dup := e.reports[r.Reporter]; dup {
			return fmt.Errorf("reports[%d]: %s listed twice", i, r.Reporter)
		}
		if e.reports == nil {
			e.reports = reportLog{}
		}
		e.reports[r.Reporter] = slices.Clone(r.Opened)
	}
	for i, c := range s.GroupCooldowns {
		reply := slices.IndexFunc(e.policy.Replies, func(r AutoReply) bool { return replyKey(r) == c.Key })
		if c.Group == "" || reply < 0 {
			return fmt.Errorf("group_cooldowns[%d]: group %q or reply %q unknown to the policy", i, c.Group, c.Key)
		}
		g := e.groupOf(c.Group)
		if slices.ContainsFunc(g.replied, func(k mark) bool { return k.tag == int32(reply) }) {
			return fmt.Errorf("group_cooldowns[%d]: %s/%s listed twice", i, c.Group, c.Key)
		}
		g.replied = append(g.replied, mark{at: c.Until, tag: int32(reply)})
	}
	for i, n := range s.Names {
		if n.Group == "" || n.Member == "" || n.Name == "" {
			return fmt.Errorf("names[%d]: empty group, member or name", i)
		}
		g := e.groupOf(n.Group)
		if _, dup := g.names[n.Member]; dup {
			return fmt.Errorf("names[%d]: %s/%s listed twice", i, n.Group, n.Member)
		}
		g.setName(n.Member, n.Name)
	}
	for _, x := range s.Dedupe {
		if e.ids.at == nil {
			e.ids.at = map[uint64]int64{}
		}
		e.ids.at[x.Hash] = x.At
		e.ids.queue = append(e.ids.queue, seenID{x.Hash, x.At})
	}
	if err := e.restoreReviews(s); err != nil {
		return err
	}
	if err := e.restoreTitles(s); err != nil {
		return err
	}
	for i, r := range s.Audit {
		if !slices.Contains(auditActs[:], r.Act) {
			return fmt.Errorf("audit[%d]: act %q is not one of %s", i, r.Act, strings.Join(auditActs[:], ", "))
		}
		e.audit = append(e.audit, Record{Time: time.UnixMilli(r.Time).UTC(), Act: r.Act, By: r.By, Group: r.Group, Member: r.Member})
	}
	return nil
}

// auditActs are the acts an audit Record may hold.
var auditActs = [...]string{"pardon", "ban", "unban", "lift", "approve", "reject"}

// alertRules are the rules whose alerts a member's state records.
var alertRules = [...]string{RuleCompetitor, RuleTransfer, RuleInvite}

// restoreRisk restores the version 4 state of member doc i into m: the
// passphrase check, invites and alerts.
func (e *Engine) restoreRisk(v, i int, j *memberDoc[int64], m *member) error {
	if v < 4 && (j.PassphraseDue != 0 || j.PassphraseReminded || len(j.Invites) > 0 || len(j.Alerts) > 0) {
		return fmt.Errorf("members[%d]: passphrase, invites and alerts need version 4, not %d", i, v)
	}
	switch {
	case j.PassphraseDue != 0 && (len(e.policy.Passphrases) == 0 || e.off[idPassphrase]):
		return fmt.Errorf("members[%d]: a passphrase check, but the policy checks no passphrases", i)
	case j.PassphraseDue != 0:
		tag := int32(markPass)
		if j.PassphraseReminded {
			tag = markPassLast
		}
		m.marks = append(m.marks, mark{at: j.PassphraseDue, tag: tag})
		e.timers.push(timer{at: j.PassphraseDue, kind: timerPassphrase, group: j.Group, member: j.Member})
	case j.PassphraseReminded:
		return fmt.Errorf("members[%d]: passphrase_reminded without passphrase_due", i)
	}
	// A policy set with SetPolicy may have lowered invite_max below the
	// invites a member holds: the next invite trims them.
	if len(j.Invites) > maxInvites+1 {
		return fmt.Errorf("members[%d]: %d invites, more than any invite_max allows (%d)", i, len(j.Invites), maxInvites+1)
	}
	for _, at := range j.Invites {
		m.marks = append(m.marks, mark{at: at, tag: markInvite})
	}
	for k, a := range j.Alerts {
		if !slices.Contains(alertRules[:], a.Rule) {
			return fmt.Errorf("members[%d].alerts[%d]: rule %q has no alerts (want one of %s)", i, k, a.Rule, strings.Join(alertRules[:], ", "))
		}
		tag := int32(markAlert - slices.Index(ruleNames[:], a.Rule))
		if slices.ContainsFunc(m.marks, func(x mark) bool { return x.tag == tag }) {
			return fmt.Errorf("members[%d].alerts[%d]: rule %s listed twice", i, k, a.Rule)
		}
		m.marks = append(m.marks, mark{at: a.At, tag: tag})
	}
	return nil
}

// restoreReviews restores the pending promotion reviews of s.
func (e *Engine) restoreReviews(s *snapshotDoc[int64]) error {
	if s.V < 4 && (len(s.Reviews) > 0 || s.LastReview != 0) {
		return fmt.Errorf("reviews need version 4, not %d", s.V)
	}
	if s.LastReview < 0 {
		return fmt.Errorf("last_review %d is negative", s.LastReview)
	}
	ids := map[int]bool{}
	for i, r := range s.Reviews {
		k := pair{r.Group, r.Member}
		switch {
		case r.Group == "" || r.Member == "":
			return fmt.Errorf("reviews[%d]: empty group or member", i)
		case r.ID < 1 || r.ID > s.LastReview:
			return fmt.Errorf("reviews[%d]: id %d outside 1..last_review %d", i, r.ID, s.LastReview)
		case ids[r.ID]:
			return fmt.Errorf("reviews[%d]: id %d listed twice", i, r.ID)
		case e.reviews[k] != nil:
			return fmt.Errorf("reviews[%d]: a second review of %s/%s", i, r.Group, r.Member)
		case r.Due < r.At:
			return fmt.Errorf("reviews[%d]: due %s before at %s", i, fmtStamp(r.Due), fmtStamp(r.At))
		}
		ids[r.ID] = true
		e.reviews[k] = &review{id: r.ID, text: r.Text, messageID: r.MessageID, at: r.At, due: r.Due}
		e.timers.push(timer{at: r.Due, kind: timerReview, group: r.Group, member: r.Member})
	}
	e.lastReview = s.LastReview
	return nil
}

// restoreTitles restores the groups' recorded titles of s (version 5).
func (e *Engine) restoreTitles(s *snapshotDoc[int64]) error {
	if s.V < 5 && len(s.Titles) > 0 {
		return fmt.Errorf("titles need version 5, not %d", s.V)
	}
	for i, x := range s.Titles {
		if x.Group == "" || x.Title == "" {
			return fmt.Errorf("titles[%d]: empty group or title", i)
		}
		g := e.groupOf(x.Group)
		if g.title != "" {
			return fmt.Errorf("titles[%d]: group %s listed twice", i, x.Group)
		}
		g.title, g.titleAt = x.Title, x.At
	}
	return nil
}
