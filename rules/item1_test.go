package rules_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItem1SelfModeration: the bot's own posts, delivered back by the
// hook, give no action and count toward nothing (issue 15, item 1: the bot
// answered itself, was warned for repeating and flooding, and was finally
// removed and blacklisted).
func TestItem1SelfModeration(t *testing.T) {
	p := rules.Policy{
		Self:     []string{"bot"},
		Admins:   []string{"boss"},
		Warnable: []string{"代购"},
		Replies:  []rules.AutoReply{{Name: "hours", Keywords: []string{"几点"}, Text: "营业时间 9:00-21:00 几点都欢迎"}},
	}
	e, err := rules.New(p)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, e)
	var got []rules.Action
	// What a bot posts: its reply (which holds the reply's own keyword),
	// the same notice again and again, a link, fast.
	for i := range 30 {
		at := time.Duration(i) * 200 * time.Millisecond
		for _, text := range []string{"营业时间 9:00-21:00 几点都欢迎", "活动链接 t.cn/abc 代购勿扰"} {
			got = append(got, handle(t, e, msg("bot", at, text))...)
		}
	}
	got = append(got, handle(t, e, join("g1", "bot", time.Minute, "某某"))...)
	got = append(got, handle(t, e, typed(qunops.Report, "bot", time.Minute, "u1"))...)
	got = append(got, handle(t, e, typed(qunops.Warn, "bot", time.Minute, "boss"))...)
	rename := typed(qunops.Rename, "bot", time.Minute, "")
	rename.Text = "某某"
	got = append(got, handle(t, e, rename)...)
	// The bot's 60 posts count toward its daily total (seed F23), and
	// toward nothing else.
	var b, a map[string]any
	if err := json.Unmarshal([]byte(before), &b); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(snapshot(t, e)), &a); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{map[string]any{"group": "g1", "day": "2026-03-02", "count": 60.0}}, a["posts"]); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
	delete(a, "posts")
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("state changed (-before +after):\n%s", diff)
	}
	got = append(got, e.Tick(t0.Add(48*time.Hour))...)
	if got != nil {
		t.Errorf("the bot's own events gave %+v", got)
	}
	if e.Blacklisted("bot") || e.Warnings("g1", "bot", t0.Add(time.Minute)) != 0 {
		t.Error("the bot was warned or blacklisted")
	}
	// A member who posts the same gets the same treatment as ever.
	var warned bool
	for i := range 3 {
		for _, a := range handle(t, e, msg("u1", 48*time.Hour+time.Duration(i)*time.Second, "活动链接 t.cn/abc 代购勿扰")) {
			warned = warned || a.Type == rules.Warn
		}
	}
	if !warned {
		t.Error("a member posting the bot's text was not warned")
	}
}

// TestItem1SelfValidated: self ids follow the rules of admin ids.
func TestItem1SelfValidated(t *testing.T) {
	for _, c := range []struct {
		self []string
		want string
	}{
		{[]string{""}, `self[0] "" is empty`},
		{[]string{"bot", "bot"}, `self[1] "bot" is listed twice`},
	} {
		if _, err := rules.New(rules.Policy{Self: c.self}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Self %q: error %v, want %q", c.self, err, c.want)
		}
	}
}
