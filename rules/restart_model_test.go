package rules_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
	"pgregory.net/rapid"
)

// restartMachine feeds a live engine what a transport delivers (the bot's
// own posts echoed back, webhook retries of events already delivered) with
// restarts that restore a snapshot and apply a new policy, and a model
// engine the same stream as it should be: no retries, the new policy
// applied in place without a restart. The echoes go to both (they count
// toward the daily cap of the bot's posts, and must give nothing). They
// must act alike.
type restartMachine struct {
	live, model *rules.Engine
	policies    [2]rules.Policy
	current     int
	now         time.Time
	delivered   []qunops.Event // every event with an ID, for retries
	nextID      int
	titles      titleModel // the recorded titles, kept apart from both engines
}

func (s *restartMachine) init(t *rapid.T) {
	hours := rules.AutoReply{Name: "hours", Keywords: []string{"几点"}, Text: "9点"}
	price := rules.AutoReply{Name: "price", Keywords: []string{"价格"}, Text: "99元"}
	addr := rules.AutoReply{Keywords: []string{"地址"}, Text: "人民路1号"}
	base := rules.Policy{
		Self:       []string{"bot"},
		Admins:     []string{"a1", "a2"},
		Prohibited: []string{"赌博"},
		Warnable:   []string{"代购"},
		Replies:    []rules.AutoReply{hours, price, addr},
		WarnLimit:  rapid.IntRange(1, 3).Draw(t, "limit"),
		Recall:     rapid.Bool().Draw(t, "recall"),
		// Issue 19's state goes through the restarts too.
		Competitors:      []string{"拼多多"},
		Passphrases:      []string{"芝麻开门"},
		Promotions:       []string{"推广"},
		InviteMax:        2,
		TransferReaction: rules.Reaction(rapid.IntRange(0, 4).Draw(t, "transferReaction")),
		// Issue 16: the recorded titles go through the restarts, whatever
		// the lock of the policy after them.
		LockTitle: rapid.Bool().Draw(t, "lockTitle"),
	}
	next := base
	next.Replies = []rules.AutoReply{addr, hours, price}
	next.WarnLimit = rapid.IntRange(1, 3).Draw(t, "nextLimit")
	next.Admins = rapid.SampledFrom([][]string{{"a1"}, {"a2", "a1"}, {"a1", "a2", "a3"}}).Draw(t, "nextAdmins")
	next.FloodMessages = rapid.IntRange(3, 10).Draw(t, "nextFlood")
	next.Language = "en"
	next.InviteMax = rapid.IntRange(1, 3).Draw(t, "nextInviteMax")
	next.PassphraseWindow = time.Duration(rapid.IntRange(0, 20).Draw(t, "nextPassphraseMinutes")) * time.Minute
	next.ReviewTimeout = time.Duration(rapid.IntRange(0, 3).Draw(t, "nextReviewHours")) * time.Hour
	if rapid.Bool().Draw(t, "nextWithoutPassphrases") {
		next.Passphrases = nil
	}
	next.LockTitle = rapid.Bool().Draw(t, "nextLockTitle")
	if rapid.Bool().Draw(t, "nextTitleOff") {
		next.Off = []string{rules.RuleTitle}
	}
	s.policies = [2]rules.Policy{base, next}
	var err error
	if s.live, err = rules.New(base); err != nil {
		t.Fatal(err)
	}
	s.model, _ = rules.New(base)
	s.now = t0
	s.titles = titleModel{}
}

// both feeds ev to the live engine and the model, compares, and returns
// the actions.
func (s *restartMachine) both(t *rapid.T, ev qunops.Event) []rules.Action {
	got, err := s.live.Handle(ev)
	want, werr := s.model.Handle(ev)
	if (err == nil) != (werr == nil) {
		t.Fatalf("%s %s: live error %v, model error %v", ev.Type, ev.Member, err, werr)
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Fatalf("%s %s %q: (-model +live):\n%s", ev.Type, ev.Member, ev.Text, diff)
	}
	if err == nil && ev.ID != "" {
		s.delivered = append(s.delivered, ev)
	}
	return got
}

func (s *restartMachine) event(t *rapid.T, typ qunops.EventType) qunops.Event {
	s.nextID++
	ev := qunops.Event{Type: typ, Group: rapid.SampledFrom([]string{"g1", "g2"}).Draw(t, "group"),
		Member: rapid.SampledFrom([]string{"u1", "u2", "u3", "a1"}).Draw(t, "member"), Time: s.now,
		ID: fmt.Sprint("wx:", s.nextID)}
	if rapid.IntRange(0, 9).Draw(t, "noID") == 0 {
		ev.ID = "" // some transports give none
	}
	return ev
}

func (s *restartMachine) check(t *rapid.T) {
	a, err := json.Marshal(s.live)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s.model)
	if string(a) != string(b) {
		t.Fatalf("state differs:\nlive  %s\nmodel %s", a, b)
	}
	s.titles.check(t, a)
}

// TestItem1Item2Item3RestartModel is the state-machine test of issue 15:
// echoes (item 1), redeliveries (item 2) and restarts with a new policy
// (item 3) change nothing a model that saw none of them would do. Renames
// of the group (issue 16) are checked against the title model too.
func TestItem1Item2Item3RestartModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s restartMachine
		s.init(t)
		t.Repeat(map[string]func(*rapid.T){
			"": s.check,
			"wait": func(t *rapid.T) {
				s.now = s.now.Add(time.Duration(rapid.IntRange(0, 4*60).Draw(t, "seconds")) * time.Second)
			},
			"message": func(t *rapid.T) {
				ev := s.event(t, qunops.Message)
				ev.Text = rapid.SampledFrom([]string{"你好", "你好", "t.cn/x", "正品代购", "赌博", "几点", "价格", "地址",
					"推广", "芝麻开门", "拼多多"}).Draw(t, "text")
				ev.Kind = rapid.SampledFrom([]string{"", "", "", qunops.KindTransfer, qunops.KindRedPacket}).Draw(t, "kind")
				s.both(t, ev)
			},
			"echo": func(t *rapid.T) {
				ev := s.event(t, qunops.Message)
				ev.Member = "bot"
				ev.Text = rapid.SampledFrom([]string{"9点", "t.cn/x 代购", "几点 价格 地址", "赌博"}).Draw(t, "echo")
				// The model sees the echo too (it counts toward the daily
				// cap); both must stay silent.
				got, err := s.live.Handle(ev)
				want, werr := s.model.Handle(ev)
				if got != nil || want != nil || (err == nil) != (werr == nil) {
					t.Fatalf("echo %q: live %+v, %v; model %+v, %v", ev.Text, got, err, want, werr)
				}
				if err == nil && ev.ID != "" {
					s.delivered = append(s.delivered, ev)
				}
			},
			"retry": func(t *rapid.T) {
				if len(s.delivered) == 0 {
					t.Skip("nothing delivered yet")
				}
				ev := rapid.SampledFrom(s.delivered).Draw(t, "retry")
				if got, err := s.live.Handle(ev); got != nil || err != nil {
					t.Fatalf("retry of %s %s %q: %+v, %v", ev.ID, ev.Type, ev.Text, got, err)
				}
			},
			"join": func(t *rapid.T) {
				ev := s.event(t, qunops.Join)
				ev.Text = rapid.SampledFrom([]string{"", "【上海-Amy】", "波波"}).Draw(t, "name")
				ev.Actor = rapid.SampledFrom([]string{"", "u1", "u2"}).Draw(t, "inviter")
				s.both(t, ev)
			},
			"answer": func(t *rapid.T) {
				id := rapid.IntRange(1, 4).Draw(t, "review")
				approve := rapid.Bool().Draw(t, "approve")
				answer := func(e *rules.Engine) ([]rules.Action, error) {
					if approve {
						return e.Approve("a1", id, s.now)
					}
					return e.Reject("a1", id, s.now)
				}
				got, err := answer(s.live)
				want, werr := answer(s.model)
				if (err == nil) != (werr == nil) || !gocmp.Equal(want, got) {
					t.Fatalf("answer %d: live %+v, %v; model %+v, %v", id, got, err, want, werr)
				}
			},
			"title": func(t *rapid.T) {
				ev := s.event(t, qunops.Title)
				if rapid.IntRange(0, 3).Draw(t, "byBot") == 0 {
					ev.Member = "bot" // the echo of the bot's own rename
				}
				ev.Text = rapid.SampledFrom(titleTexts).Draw(t, "title")
				ev.Time = ev.Time.Add(-time.Duration(rapid.IntRange(0, 2).Draw(t, "lateMinutes")) * 2 * time.Minute)
				got := s.both(t, ev)
				exp, _ := s.titles.rename(lockOf(s.policies[s.current]), ev.Group, ev.Member, ev.Text, ev.Time)
				checkLockActions(t, exp, got)
			},
			"leave":  func(t *rapid.T) { s.both(t, s.event(t, qunops.Leave)) },
			"report": func(t *rapid.T) { ev := s.event(t, qunops.Report); ev.Actor = "u9"; s.both(t, ev) },
			"resolve": func(t *rapid.T) {
				ev := s.event(t, qunops.Resolve)
				ev.Actor = "a1"
				s.both(t, ev)
			},
			"tick": func(t *rapid.T) {
				if diff := gocmp.Diff(s.model.Tick(s.now), s.live.Tick(s.now)); diff != "" {
					t.Fatalf("Tick (-model +live):\n%s", diff)
				}
			},
			"restart": func(t *rapid.T) {
				saved, err := json.Marshal(s.live)
				if err != nil {
					t.Fatal(err)
				}
				var fresh rules.Engine
				if err := json.Unmarshal(saved, &fresh); err != nil {
					t.Fatalf("restore: %v", err)
				}
				s.current = rapid.IntRange(0, 1).Draw(t, "policy")
				p := s.policies[s.current]
				if err := fresh.SetPolicy(p); err != nil {
					t.Fatal(err)
				}
				if err := s.model.SetPolicy(p); err != nil {
					t.Fatal(err)
				}
				s.live = &fresh
			},
		})
	})
}
