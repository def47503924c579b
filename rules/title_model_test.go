package rules_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/rules"
)

// titleModel is the title lock as the doc of Policy.LockTitle tells it,
// kept the slow way for the state-machine tests: the recorded title of
// each group and when it was set. It knows nothing of the engine's
// groups, only of the renames it was told.
type titleModel map[string]modelTitle

type modelTitle struct {
	title string
	at    time.Time
}

// titleLock is what the title lock reads of the policy in force.
type titleLock struct {
	self, admins []string
	on           bool // LockTitle, and RuleTitle not in Off
}

func lockOf(p rules.Policy) titleLock {
	return titleLock{self: p.Self, admins: p.Admins, on: p.LockTitle && !slices.Contains(p.Off, rules.RuleTitle)}
}

// rename plays a rename of group g by mem to text at at: it returns the
// actions of the lock itself (the Retitle and the Notify of each admin,
// in that order) and whether the name is to be judged as the member's
// offence, which the caller models with its ladder.
func (tm titleModel) rename(l titleLock, g, mem, text string, at time.Time) (exp []rules.Action, judge bool) {
	old, known := tm[g]
	if known && at.Before(old.at) {
		return nil, false // replaced already
	}
	if slices.Contains(l.self, mem) || slices.Contains(l.admins, mem) || !l.on {
		tm[g] = modelTitle{text, at}
		return nil, false
	}
	if known && old.title == text {
		return nil, false
	}
	if known {
		exp = append(exp, rules.Action{Type: rules.Retitle, Group: g, Member: mem, Text: old.title, Rule: rules.RuleTitle, Time: at})
	}
	for _, a := range l.admins {
		exp = append(exp, rules.Action{Type: rules.Notify, Group: g, Member: a, Rule: rules.RuleTitle, Time: at})
	}
	return exp, true
}

// check compares tm with the titles in the snapshot of an engine.
func (tm titleModel) check(t fataler, snap []byte) {
	t.Helper()
	var doc struct {
		Titles []struct {
			Group, Title string
			At           time.Time
		}
	}
	if err := json.Unmarshal(snap, &doc); err != nil {
		t.Fatalf("titles: %v", err)
	}
	got := map[string]string{}
	for _, x := range doc.Titles {
		got[x.Group] = fmt.Sprint(x.Title, " @ ", x.At.UTC().Format(time.RFC3339Nano))
	}
	want := map[string]string{}
	for g, x := range tm {
		want[g] = fmt.Sprint(x.title, " @ ", x.at.UTC().Format(time.RFC3339Nano))
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Fatalf("recorded titles (-model +engine):\n%s", diff)
	}
}

// checkLockActions compares the lock's own actions, the Retitle with the
// name it restores, with the model's; they come first, before any action
// for the name's content.
func checkLockActions(t fataler, exp, got []rules.Action) {
	t.Helper()
	n := 0
	for n < len(got) && got[n].Rule == rules.RuleTitle {
		n++
	}
	type lockAct struct {
		Type          rules.ActionType
		Group, Member string
		Retitle       string
		At            time.Time
	}
	view := func(as []rules.Action) []lockAct {
		var out []lockAct
		for _, a := range as {
			x := lockAct{Type: a.Type, Group: a.Group, Member: a.Member, At: a.Time}
			if a.Type == rules.Retitle {
				x.Retitle = a.Text
			}
			out = append(out, x)
		}
		return out
	}
	if diff := gocmp.Diff(view(exp), view(got[:n])); diff != "" {
		t.Fatalf("title lock actions (-model +engine):\n%s", diff)
	}
	for _, a := range got[:n] {
		if a.Type == rules.Notify && a.Text == "" {
			t.Fatalf("empty Notify %+v", a)
		}
	}
}

// titleTexts are the names the state machines draw: plain ones that
// repeat, and ones with an outside link, a warnable (代购) or a prohibited
// (赌博) keyword of their policies.
var titleTexts = []string{"读书会", "读书会", "跑步群", "正品代购群", "t.cn/abc", "代购 t.cn/x", "赌博群", "赌博 t.cn/x"}
