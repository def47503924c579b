package rules_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
	"pgregory.net/rapid"
)

// qmodel is the model of the review queue (F6) and the passphrase checks
// (F14) that TestF6F14StateMachine checks the engine against.
type qmodel struct {
	last    int
	reviews map[key]qreview
	pass    map[key]qpass
}

type qreview struct {
	id  int
	due time.Time
}

type qpass struct {
	due      time.Time
	reminded bool
}

// qmachine drives an engine with promotions, answers, joins, passphrases,
// leaves, ticks and restarts (snapshot and restore).
type qmachine struct {
	e      *rules.Engine
	m      qmodel
	now    time.Time
	events int
	window time.Duration // PassphraseWindow
	review time.Duration // ReviewTimeout
}

func (s *qmachine) init(t *rapid.T) {
	s.window = time.Duration(rapid.IntRange(1, 20).Draw(t, "windowMinutes")) * time.Minute
	s.review = time.Duration(rapid.IntRange(1, 48).Draw(t, "reviewHours")) * time.Hour
	p := rules.Policy{Admins: []string{"a1", "a2"}, Passphrases: []string{"芝麻开门"}, Promotions: []string{"推广"},
		PassphraseWindow: s.window, ReviewTimeout: s.review,
		Off: []string{rules.RuleWelcome, rules.RuleNickname, rules.RuleRepeat, rules.RuleFlood}}
	var err error
	if s.e, err = rules.New(lax(p)); err != nil {
		t.Fatal(err)
	}
	s.m = qmodel{reviews: map[key]qreview{}, pass: map[key]qpass{}}
	s.now = t0
}

func (s *qmachine) ev(t *rapid.T, typ qunops.EventType, text string) (qunops.Event, key) {
	g := rapid.SampledFrom([]string{"g1", "g2"}).Draw(t, "group")
	mem := rapid.SampledFrom([]string{"u1", "u2", "u3", "a1"}).Draw(t, "member")
	s.events++
	return qunops.Event{Type: typ, Group: g, Member: mem, Time: s.now, Text: text, ID: fmt.Sprint("q:", s.events)}, key{g, mem}
}

func (s *qmachine) promote(t *rapid.T) {
	ev, k := s.ev(t, qunops.Message, "推广")
	got := acts(handle(t, s.e, ev))
	var exp []act
	switch {
	case k.member == "a1":
	case s.m.reviews[k].id != 0:
		exp = []act{{rules.Recall, k.group, k.member, rules.RulePromotion, 0}}
	default:
		s.m.last++
		s.m.reviews[k] = qreview{id: s.m.last, due: s.now.Add(s.review)}
		exp = []act{{rules.Recall, k.group, k.member, rules.RulePromotion, 0}, {rules.Post, k.group, k.member, rules.RulePromotion, 0},
			{rules.Notify, k.group, "a1", rules.RulePromotion, 0}}
	}
	if diff := gocmp.Diff(exp, got); diff != "" {
		t.Fatalf("promotion of %v (-model +engine):\n%s", k, diff)
	}
}

func (s *qmachine) answer(t *rapid.T) {
	id := rapid.IntRange(1, s.m.last+1).Draw(t, "id")
	by := rapid.SampledFrom([]string{"a1", "a2", "u1"}).Draw(t, "by")
	approve := rapid.Bool().Draw(t, "approve")
	var got []rules.Action
	var err error
	if approve {
		got, err = s.e.Approve(by, id, s.now)
	} else {
		got, err = s.e.Reject(by, id, s.now)
	}
	var pending key
	found := false
	for k, r := range s.m.reviews {
		if r.id == id {
			pending, found = k, true
		}
	}
	if by == "u1" || !found {
		if err == nil {
			t.Fatalf("answer %d by %s: no error", id, by)
		}
		return
	}
	if err != nil || len(got) != 1 || got[0].Type != rules.Post || got[0].Review != id || got[0].Member != pending.member {
		t.Fatalf("answer %d by %s: %+v, %v", id, by, got, err)
	}
	delete(s.m.reviews, pending)
}

func (s *qmachine) join(t *rapid.T) {
	ev, k := s.ev(t, qunops.Join, "")
	if got := handle(t, s.e, ev); got != nil {
		t.Fatalf("join: %+v", got)
	}
	if k.member != "a1" {
		s.m.pass[k] = qpass{due: s.now.Add(s.window)}
	}
}

func (s *qmachine) say(t *rapid.T) {
	ev, k := s.ev(t, qunops.Message, "芝麻开门")
	handle(t, s.e, ev)
	delete(s.m.pass, k)
}

func (s *qmachine) leave(t *rapid.T) {
	ev, k := s.ev(t, qunops.Leave, "")
	handle(t, s.e, ev)
	delete(s.m.pass, k)
}

// tick moves the clock on and expects what falls due, in the engine's
// order: due time, then passphrase checks before reviews, then group and
// member.
func (s *qmachine) tick(t *rapid.T) {
	s.now = s.now.Add(time.Duration(rapid.IntRange(0, 30*60).Draw(t, "seconds")) * time.Second)
	if rapid.IntRange(0, 9).Draw(t, "jump") == 0 {
		s.now = s.now.Add(s.review)
	}
	type due struct {
		at   time.Time
		kind int
		k    key
	}
	var exp []act
	for {
		var ds []due
		for k, p := range s.m.pass {
			ds = append(ds, due{p.due, 0, k})
		}
		for k, r := range s.m.reviews {
			ds = append(ds, due{r.due, 1, k})
		}
		ds = slices.DeleteFunc(ds, func(d due) bool { return d.at.After(s.now) })
		if len(ds) == 0 {
			break
		}
		d := slices.MinFunc(ds, func(a, b due) int {
			return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.kind, b.kind), cmp.Compare(a.k.group, b.k.group), cmp.Compare(a.k.member, b.k.member))
		})
		switch p := s.m.pass[d.k]; {
		case d.kind == 1:
			exp = append(exp, act{rules.Post, d.k.group, d.k.member, rules.RulePromotion, 0})
			delete(s.m.reviews, d.k)
		case !p.reminded:
			exp = append(exp, act{rules.Remind, d.k.group, d.k.member, rules.RulePassphrase, 0})
			s.m.pass[d.k] = qpass{due: p.due.Add(s.window), reminded: true}
		default:
			exp = append(exp, act{rules.Remove, d.k.group, d.k.member, rules.RulePassphrase, 0})
			delete(s.m.pass, d.k)
		}
	}
	if diff := gocmp.Diff(exp, acts(s.e.Tick(s.now))); diff != "" {
		t.Fatalf("Tick at %v (-model +engine):\n%s", s.now.Sub(t0), diff)
	}
}

func (s *qmachine) restart(t *rapid.T) {
	data, err := json.Marshal(s.e)
	if err != nil {
		t.Fatal(err)
	}
	var r rules.Engine
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("restore: %v\n%s", err, data)
	}
	if again, _ := json.Marshal(&r); string(again) != string(data) {
		t.Fatalf("snapshot of the restored engine differs:\n%s\n%s", data, again)
	}
	s.e = &r
}

func (s *qmachine) check(t *rapid.T) {
	var exp []rules.Review
	for k, r := range s.m.reviews {
		exp = append(exp, rules.Review{ID: r.id, Group: k.group, Member: k.member, Due: r.due.UTC()})
	}
	slices.SortFunc(exp, func(a, b rules.Review) int { return cmp.Compare(a.ID, b.ID) })
	got := s.e.Reviews()
	for i := range got {
		got[i].Text, got[i].MessageID, got[i].At = "", "", time.Time{}
	}
	if diff := gocmp.Diff(exp, got); diff != "" {
		t.Fatalf("Reviews (-model +engine):\n%s", diff)
	}
}

// TestF6F14StateMachine checks the review queue (F6) and the passphrase
// checks (F14) against a model, through restarts.
func TestF6F14StateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := &qmachine{}
		s.init(t)
		t.Repeat(map[string]func(*rapid.T){
			"promote": s.promote,
			"answer":  s.answer,
			"join":    s.join,
			"say":     s.say,
			"leave":   s.leave,
			"tick":    s.tick,
			"restart": s.restart,
			"":        s.check,
		})
	})
}
