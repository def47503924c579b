package rules_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
	"pgregory.net/rapid"
)

type key struct{ group, member string }

type modelDispute struct {
	opened, next time.Time // next is zero when the ladder is done
	step         int
}

// model is the small model of ladder, blacklist and disputes the engine is
// checked against.
type model struct {
	admins   []string
	recall   bool
	removeCD time.Duration // Policy.RemoveCooldown
	limit    int
	ttl      time.Duration
	sla      time.Duration
	warns    map[key][]time.Time
	banned   map[string]bool
	disputes map[key]*modelDispute
	joined   map[key]bool         // joined and not yet welcomed
	removed  map[key]time.Time    // the last Remove of a blacklisted member in a group
	notified map[string]time.Time // the last rejoin Notify about a blacklisted member
	lock     titleLock
	titles   titleModel
}

func (m *model) isAdmin(id string) bool { return slices.Contains(m.admins, id) }

// live returns the warnings of k live at t.
func (m *model) live(k key, t time.Time) []time.Time {
	var out []time.Time
	for _, w := range m.warns[k] {
		if w.Add(m.ttl).After(t) {
			out = append(out, w)
		}
	}
	return out
}

type machine struct {
	e, twin *rules.Engine // e is snapshotted and restored; twin never is
	m       model
	now     time.Time
	// lastRemove is the newest Remove the engine sent per member and group,
	// seen from its actions alone.
	lastRemove map[key]time.Time
	events     int // events handled, for their IDs
}

var (
	smGroups  = []string{"g1", "g2"}
	smMembers = []string{"u1", "u2", "u3", "a1", "a2"}
)

func (s *machine) init(t *rapid.T) {
	admins := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"a1", "a2", "a3"}), 0, 3, rapid.ID[string]).Draw(t, "admins")
	off := []string{rules.RuleFlood, rules.RuleRepeat, rules.RuleNickname}
	if rapid.Bool().Draw(t, "titleOff") {
		off = append(off, rules.RuleTitle)
	}
	p := rules.Policy{
		Self:       []string{"bot"},
		Admins:     admins,
		Prohibited: []string{"赌博"},
		Warnable:   []string{"代购"},
		WarnLimit:  rapid.IntRange(1, 3).Draw(t, "limit"),
		WarnTTL:    time.Duration(rapid.IntRange(1, 3).Draw(t, "ttlHours")) * time.Hour,
		Recall:     rapid.Bool().Draw(t, "recall"),
		// 0 stands for the default, 1 minute.
		RemoveCooldown: time.Duration(rapid.IntRange(0, 5).Draw(t, "removeCooldownMinutes")) * time.Minute,
		Off:            off,
		LockTitle:      rapid.Bool().Draw(t, "lockTitle"),
		// The model does not count reports per reporter; the cap has its
		// own test (TestItem14Disputes).
		DailyReportsMax: 1000,
	}
	var err error
	if s.e, err = rules.New(lax(p)); err != nil {
		t.Fatal(err)
	}
	s.twin, _ = rules.New(lax(p))
	cd := p.RemoveCooldown
	if cd == 0 {
		cd = rules.DefaultRemoveCooldown
	}
	s.m = model{admins: admins, recall: p.Recall, removeCD: cd, limit: p.WarnLimit, ttl: p.WarnTTL, sla: rules.DefaultDisputeSLA,
		warns: map[key][]time.Time{}, banned: map[string]bool{}, disputes: map[key]*modelDispute{}, joined: map[key]bool{},
		removed: map[key]time.Time{}, notified: map[string]time.Time{}, lock: lockOf(p), titles: titleModel{}}
	s.lastRemove = map[key]time.Time{}
	s.now = t0
}

// handle feeds ev to both engines, checks that they agree and returns the
// actions.
func (s *machine) handle(t *rapid.T, ev qunops.Event) []rules.Action {
	s.events++
	ev.ID = fmt.Sprint("ev:", s.events) // each event is its own; a Recall needs it
	got := handle(t, s.e, ev)
	if diff := gocmp.Diff(handle(t, s.twin, ev), got); diff != "" {
		t.Fatalf("%s %s: the restored engine differs from its twin (-twin +restored):\n%s", ev.Type, ev.Member, diff)
	}
	s.checkActions(t, got)
	s.checkRemoves(t, ev, got)
	return got
}

// checkRemoves checks that a message of a blacklisted member gets a Remove
// only when the engine sent none in its group within RemoveCooldown before
// it (the Remove of the ban included), and that every Remove follows
// WarnLimit live warnings, a prohibited word or the blacklist.
func (s *machine) checkRemoves(t *rapid.T, ev qunops.Event, acts []rules.Action) {
	for i, a := range acts {
		if a.Type != rules.Remove {
			continue
		}
		k := key{a.Group, a.Member}
		switch {
		case a.Rule == rules.RuleBlacklist && ev.Type == qunops.Message:
			if last, ok := s.lastRemove[k]; ok && ev.Time.Before(last.Add(s.m.removeCD)) {
				t.Fatalf("Remove of %s in %s at %v, within %v of the last one at %v", a.Member, a.Group, ev.Time, s.m.removeCD, last)
			}
		case a.Rule == rules.RuleBlacklist:
		case a.Rule == rules.RuleProhibited:
		default:
			if i == 0 || acts[i-1].Type != rules.Warn && acts[i-1].Type != rules.Recall || a.Level < s.m.limit {
				t.Fatalf("Remove of %s for %s at level %d, limit %d", a.Member, a.Rule, a.Level, s.m.limit)
			}
		}
		if last, ok := s.lastRemove[k]; !ok || ev.Time.After(last) {
			s.lastRemove[k] = ev.Time
		}
	}
}

// banned gives what a blacklisted member's message at at in group g calls
// for: a Recall if on, and a Remove unless one went out within the cooldown.
func (s *machine) bannedMessage(g, mem string, at time.Time) []rules.Action {
	var exp []rules.Action
	if s.m.recall {
		exp = append(exp, rules.Action{Type: rules.Recall, Group: g, Member: mem, Rule: rules.RuleBlacklist})
	}
	k := key{g, mem}
	if last, ok := s.m.removed[k]; !ok || !at.Before(last.Add(s.m.removeCD)) {
		exp = append(exp, rules.Action{Type: rules.Remove, Group: g, Member: mem, Rule: rules.RuleBlacklist})
		s.m.removed[k] = at
	}
	return exp
}

// checkActions checks the invariants every action must keep.
func (s *machine) checkActions(t *rapid.T, acts []rules.Action) {
	for _, a := range acts {
		switch a.Type {
		case rules.Warn, rules.Remove, rules.Blacklist:
			if s.m.isAdmin(a.Member) {
				t.Fatalf("admin %s got %s", a.Member, a.Type)
			}
		case rules.Welcome:
			for _, id := range a.Members {
				if s.m.banned[id] {
					t.Fatalf("blacklisted %s welcomed", id)
				}
				if !s.m.joined[key{a.Group, id}] {
					t.Fatalf("%s welcomed in %s without a pending join", id, a.Group)
				}
				delete(s.m.joined, key{a.Group, id})
			}
		}
	}
}

func want(t *rapid.T, what string, want, got []rules.Action) {
	if diff := gocmp.Diff(acts(want), acts(got)); diff != "" {
		t.Fatalf("%s (-model +engine):\n%s", what, diff)
	}
}

func (s *machine) pick(t *rapid.T) (string, string) {
	return rapid.SampledFrom(smGroups).Draw(t, "group"), rapid.SampledFrom(smMembers).Draw(t, "member")
}

// offence plays a warnable message (a link or an ad keyword), sometimes
// late, or a prohibited one.
func (s *machine) offence(t *rapid.T) {
	g, mem := s.pick(t)
	text := rapid.SampledFrom([]string{"t.cn/abc", "正品代购", "赌博"}).Draw(t, "text")
	at := s.now.Add(-time.Duration(rapid.IntRange(0, 30).Draw(t, "lateMinutes")) * time.Minute)
	got := s.handle(t, qunops.Event{Type: qunops.Message, Group: g, Member: mem, Time: at, Text: text})
	var exp []rules.Action
	k := key{g, mem}
	switch {
	case s.m.banned[mem]:
		exp = s.bannedMessage(g, mem, at)
	case s.m.isAdmin(mem):
	case text == "赌博":
		if s.m.recall {
			exp = append(exp, rules.Action{Type: rules.Recall, Group: g, Member: mem, Rule: rules.RuleProhibited})
		}
		exp = append(exp, rules.Action{Type: rules.Remove, Group: g, Member: mem, Rule: rules.RuleProhibited},
			rules.Action{Type: rules.Blacklist, Group: g, Member: mem, Rule: rules.RuleProhibited})
		s.ban(k, at)
	default:
		rule := rules.RuleLink
		if text == "正品代购" {
			rule = rules.RuleKeyword
		}
		if s.m.recall {
			exp = append(exp, rules.Action{Type: rules.Recall, Group: g, Member: mem, Rule: rule})
		}
		exp = s.warn(exp, k, rule, at)
	}
	want(t, "offence "+text, exp, got)
}

// warn appends the Warn of k.member for rule at at, and the Remove and
// Blacklist when it reaches the limit.
func (s *machine) warn(exp []rules.Action, k key, rule string, at time.Time) []rules.Action {
	s.m.warns[k] = append(s.m.live(k, at), at)
	level := len(s.m.warns[k])
	exp = append(exp, rules.Action{Type: rules.Warn, Group: k.group, Member: k.member, Rule: rule, Level: level})
	if level >= s.m.limit {
		exp = append(exp, rules.Action{Type: rules.Remove, Group: k.group, Member: k.member, Rule: rule, Level: level},
			rules.Action{Type: rules.Blacklist, Group: k.group, Member: k.member, Rule: rule, Level: level})
		s.ban(k, at)
	}
	return exp
}

// title plays a rename of a group (issue 16) by an admin, the bot (its
// echo), or a member, sometimes stamped before the last one, to a name
// that sometimes repeats, or holds a link or a keyword.
func (s *machine) title(t *rapid.T) {
	g, mem := s.pick(t)
	if rapid.IntRange(0, 4).Draw(t, "byBot") == 0 {
		mem = "bot"
	}
	text := rapid.SampledFrom(titleTexts).Draw(t, "title")
	at := s.now.Add(-time.Duration(rapid.IntRange(0, 3).Draw(t, "lateMinutes")) * 10 * time.Minute)
	got := s.handle(t, qunops.Event{Type: qunops.Title, Group: g, Member: mem, Time: at, Text: text})
	exp, judge := s.m.titles.rename(s.m.lock, g, mem, text, at)
	checkLockActions(t, exp, got)
	if judge && !s.m.banned[mem] {
		// The name is judged as a message of that text would be, for its
		// content alone: a prohibited keyword first, then a link before a
		// warnable keyword; no Recall (there is no message). A blacklisted
		// member's message is not judged for its content, nor is their name.
		k := key{g, mem}
		switch {
		case strings.Contains(text, "赌博"):
			exp = append(exp, rules.Action{Type: rules.Remove, Group: g, Member: mem, Rule: rules.RuleProhibited},
				rules.Action{Type: rules.Blacklist, Group: g, Member: mem, Rule: rules.RuleProhibited})
			s.ban(k, at)
		case strings.Contains(text, "t.cn/"):
			exp = s.warn(exp, k, rules.RuleLink, at)
		case strings.Contains(text, "代购"):
			exp = s.warn(exp, k, rules.RuleKeyword, at)
		}
	}
	want(t, "title "+text+" by "+mem, exp, got)
}

// ban blacklists k.member by a Remove in k.group at at, which starts the
// removal cooldown there; those of other groups are from an earlier ban.
func (s *machine) ban(k key, at time.Time) {
	for r := range s.m.removed {
		if r.member == k.member {
			delete(s.m.removed, r)
		}
	}
	s.m.removed[k] = at
	s.m.banned[k.member] = true
	delete(s.m.notified, k.member)
	delete(s.m.warns, k)
	delete(s.m.joined, k)
}

func (s *machine) check(t *rapid.T) {
	b, err := json.Marshal(s.e)
	if err != nil {
		t.Fatal(err)
	}
	s.m.titles.check(t, b)
	for _, mem := range smMembers {
		if s.e.Blacklisted(mem) != s.m.banned[mem] {
			t.Fatalf("Blacklisted(%s) = %v, model %v", mem, s.e.Blacklisted(mem), s.m.banned[mem])
		}
		for _, g := range smGroups {
			if got, w := s.e.Warnings(g, mem, s.now), len(s.m.live(key{g, mem}, s.now)); got != w {
				t.Fatalf("Warnings(%s, %s) = %d, model %d", g, mem, got, w)
			}
		}
	}
}

// TestEngineStateMachine checks the engine against the model under random
// sequences of offences, renames of the group (titles), joins, leaves, reports, resolves, ticks, pardons,
// lifts and snapshot restores.
func TestEngineStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s machine
		s.init(t)
		t.Repeat(map[string]func(*rapid.T){
			"": s.check,
			"wait": func(t *rapid.T) {
				s.now = s.now.Add(time.Duration(rapid.IntRange(0, 40).Draw(t, "minutes")) * time.Minute)
			},
			"offence": s.offence,
			"title":   s.title,
			"clean": func(t *rapid.T) {
				g, mem := s.pick(t)
				got := s.handle(t, qunops.Event{Type: qunops.Message, Group: g, Member: mem, Time: s.now, Text: "你好"})
				var exp []rules.Action
				if s.m.banned[mem] {
					exp = s.bannedMessage(g, mem, s.now)
				}
				want(t, "clean message", exp, got)
			},
			"join": func(t *rapid.T) {
				g, mem := s.pick(t)
				got := s.handle(t, qunops.Event{Type: qunops.Join, Group: g, Member: mem, Time: s.now})
				var exp []rules.Action
				switch {
				case s.m.banned[mem]:
					// A join always gets its Remove, which restarts the
					// cooldown.
					exp = []rules.Action{{Type: rules.Remove, Group: g, Member: mem, Rule: rules.RuleBlacklist}}
					if last, ok := s.m.removed[key{g, mem}]; !ok || s.now.After(last) {
						s.m.removed[key{g, mem}] = s.now
					}
					// At most one Notify per RemoveCooldown (issue 15, item 14).
					last, ok := s.m.notified[mem]
					if len(s.m.admins) > 0 && (!ok || !s.now.Before(last.Add(s.m.removeCD))) {
						exp = append(exp, rules.Action{Type: rules.Notify, Group: g, Member: s.m.admins[0], Rule: rules.RuleBlacklist})
						s.m.notified[mem] = s.now
					}
				case !s.m.isAdmin(mem):
					s.m.joined[key{g, mem}] = true
				}
				want(t, "join", exp, got)
			},
			"leave": func(t *rapid.T) {
				g, mem := s.pick(t)
				want(t, "leave", nil, s.handle(t, qunops.Event{Type: qunops.Leave, Group: g, Member: mem, Time: s.now}))
				delete(s.m.joined, key{g, mem})
			},
			"report": func(t *rapid.T) {
				g, mem := s.pick(t)
				got := s.handle(t, qunops.Event{Type: qunops.Report, Group: g, Member: mem, Actor: "u9", Time: s.now})
				var exp []rules.Action
				if s.m.disputes[key{g, mem}] == nil {
					d := &modelDispute{opened: s.now}
					if len(s.m.admins) > 0 {
						d.next = s.now.Add(s.m.sla)
						exp = []rules.Action{{Type: rules.Notify, Group: g, Member: s.m.admins[0], Rule: rules.RuleDispute}}
					}
					s.m.disputes[key{g, mem}] = d
				}
				want(t, "report", exp, got)
			},
			"resolve": func(t *rapid.T) {
				g, mem := s.pick(t)
				want(t, "resolve", nil, s.handle(t, qunops.Event{Type: qunops.Resolve, Group: g, Member: mem, Actor: "a1", Time: s.now}))
				if s.m.isAdmin("a1") { // only an admin resolves (issue 15, item 14)
					delete(s.m.disputes, key{g, mem})
				}
			},
			"tick": func(t *rapid.T) {
				got := s.e.Tick(s.now)
				if diff := gocmp.Diff(s.twin.Tick(s.now), got); diff != "" {
					t.Fatalf("Tick: the restored engine differs from its twin (-twin +restored):\n%s", diff)
				}
				s.checkActions(t, got)
				// Every due step of every dispute, once, in time order.
				type esc struct {
					at  time.Time
					k   key
					act rules.Action
				}
				var exp []esc
				for k, d := range s.m.disputes {
					for !d.next.IsZero() && !d.next.After(s.now) {
						d.step++
						to := s.m.admins[min(d.step, len(s.m.admins)-1):][:1]
						at := d.next
						if d.step >= len(s.m.admins) {
							to, d.next = s.m.admins, time.Time{}
						} else {
							d.next = d.next.Add(s.m.sla)
						}
						for _, a := range to {
							exp = append(exp, esc{at, k, rules.Action{Type: rules.Escalate, Group: k.group, Member: a, Rule: rules.RuleDispute, Level: d.step}})
						}
					}
				}
				slices.SortStableFunc(exp, func(a, b esc) int {
					return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.k.group, b.k.group), cmp.Compare(a.k.member, b.k.member))
				})
				var wantEsc, gotEsc []rules.Action
				for _, x := range exp {
					wantEsc = append(wantEsc, x.act)
				}
				for _, a := range got {
					if a.Type == rules.Escalate {
						gotEsc = append(gotEsc, a)
					}
				}
				want(t, "escalations", wantEsc, gotEsc)
			},
			"pardon": func(t *rapid.T) {
				g, mem := s.pick(t)
				by := rapid.SampledFrom(smMembers).Draw(t, "by")
				err1 := s.e.Pardon(by, g, mem, s.now)
				err2 := s.twin.Pardon(by, g, mem, s.now)
				if (err1 == nil) != s.m.isAdmin(by) || (err2 == nil) != (err1 == nil) {
					t.Fatalf("Pardon by %s: %v, %v", by, err1, err2)
				}
				if err1 == nil {
					delete(s.m.warns, key{g, mem})
				}
			},
			"lift": func(t *rapid.T) {
				_, mem := s.pick(t)
				err1 := s.e.Lift("a1", mem, s.now)
				err2 := s.twin.Lift("a1", mem, s.now)
				ok := s.m.isAdmin("a1") && s.m.banned[mem]
				if (err1 == nil) != ok || (err2 == nil) != ok {
					t.Fatalf("Lift %s: %v, %v; want success %v", mem, err1, err2, ok)
				}
				if ok {
					delete(s.m.banned, mem)
					delete(s.m.notified, mem)
					for r := range s.m.removed {
						if r.member == mem {
							delete(s.m.removed, r)
							delete(s.lastRemove, r) // a new ban starts afresh
						}
					}
				}
			},
			"restore": func(t *rapid.T) {
				b, err := json.Marshal(s.e)
				if err != nil {
					t.Fatal(err)
				}
				var fresh rules.Engine
				if err := json.Unmarshal(b, &fresh); err != nil {
					t.Fatalf("restore: %v\n%s", err, b)
				}
				b2, _ := json.Marshal(&fresh)
				if string(b) != string(b2) {
					t.Fatalf("snapshot round trip differs:\n%s\n%s", b, b2)
				}
				s.e = &fresh
			},
		})
	})
}
