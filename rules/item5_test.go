package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItem5Names: the texts name members by the display name learnt from
// roster, join and rename events (the id when unknown), a Welcome lists its
// members in Members and every action that addresses a member says whom to
// @-mention (issue 15, item 5: warnings said "@wxid_g1_005", {name} was
// rejected, and a Welcome's Member was a comma-joined list of ids).
func TestItem5Names(t *testing.T) {
	p := lax(rules.Policy{Language: "en", Texts: rules.Texts{Remove: "{name} ({member}) removed: {reason}."},
		Replies: []rules.AutoReply{{Keywords: []string{"hours"}, Text: "9 to 5"}}})
	e, err := rules.New(p)
	if err != nil {
		t.Fatal(err)
	}
	roster := qunops.Event{Type: qunops.Roster, Group: "g1", Member: "wxid_r", Time: t0, Text: "Rita"}
	rename := qunops.Event{Type: qunops.Rename, Group: "g1", Member: "wxid_r", Time: t0.Add(sec), Text: "【上海-Rita】"}
	for _, ev := range []qunops.Event{roster, join("g1", "wxid_a", 0, "Amy"), join("g1", "id,with,commas", 0, "Bo")} {
		handle(t, e, ev)
	}
	type text struct {
		Type     rules.ActionType
		Member   string
		Members  []string
		Mentions []string
		Text     string
	}
	texts := func(as []rules.Action) []text {
		var out []text
		for _, a := range as {
			out = append(out, text{a.Type, a.Member, a.Members, a.Mentions, a.Text})
		}
		return out
	}
	steps := []struct {
		name string
		ev   qunops.Event // a Tick at tick when empty
		tick time.Duration
		want []text
	}{
		{"the welcome", qunops.Event{}, mn, []text{{Type: rules.Welcome, Members: []string{"wxid_a", "id,with,commas"},
			Mentions: []string{"wxid_a", "id,with,commas"}, Text: "Welcome Amy, Bo to the group! Please read the announcement and rename yourself to 【City-Nickname】."}}},
		{"a name from the roster", msg("wxid_r", 2*mn, "t.cn/x"), 0, []text{{Type: rules.Warn, Member: "wxid_r",
			Mentions: []string{"wxid_r"}, Text: "@Rita warning 1 of 2: no outside links."}}},
		{"a rename", rename, 0, nil},
		{"the new name", msg("wxid_r", 3*mn, "t.cn/y"), 0, []text{
			{Type: rules.Warn, Member: "wxid_r", Mentions: []string{"wxid_r"}, Text: "@【上海-Rita】 warning 2 of 2: no outside links."},
			{Type: rules.Remove, Member: "wxid_r", Text: "【上海-Rita】 (wxid_r) removed: no outside links."},
			{Type: rules.Blacklist, Member: "wxid_r", Text: "no outside links"}}},
		{"an unknown name is the id", msg("wxid_u", 4*mn, "t.cn/z"), 0, []text{{Type: rules.Warn, Member: "wxid_u",
			Mentions: []string{"wxid_u"}, Text: "@wxid_u warning 1 of 2: no outside links."}}},
		{"a reply mentions its member", msg("wxid_a", 5*mn, "hours?"), 0, []text{{Type: rules.Reply, Member: "wxid_a",
			Mentions: []string{"wxid_a"}, Text: "9 to 5"}}},
	}
	for _, s := range steps {
		var got []rules.Action
		if s.ev.Type == "" {
			got = e.Tick(t0.Add(s.tick))
		} else {
			got = handle(t, e, s.ev)
		}
		if diff := cmp.Diff(s.want, texts(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
	}
	// A leave forgets the name; the snapshot keeps the others.
	handle(t, e, qunops.Event{Type: qunops.Leave, Group: "g1", Member: "wxid_a", Time: t0.Add(6 * mn)})
	snap := snapshot(t, e)
	if strings.Contains(snap, `"Amy"`) || !strings.Contains(snap, `{"group":"g1","member":"id,with,commas","name":"Bo"}`) {
		t.Errorf("snapshot names: %s", snap)
	}
}

// TestItem13HostileNames: the bot does not repeat a display name that
// breaks the rules a message is held to, and a welcome names at most
// WelcomeNamesMax members (issue 15, item 13: a member who joined as
// "加微信abc123领红包 evil.com" had that posted by the bot, and 5,000 joins
// gave one 1.5 MB welcome).
func TestItem13HostileNames(t *testing.T) {
	p := lax(rules.Policy{Warnable: []string{"加微信"}, Prohibited: []string{"赌博"}, Off: []string{rules.RuleNickname}})
	cases := []struct{ name, joinAs, want string }{
		{"an ad keyword and a link", "加微信abc123领红包 evil.com", "wxid_x"},
		{"a keyword spaced out", "加 微 信", "wxid_x"},
		{"a prohibited keyword", "赌博王", "wxid_x"},
		{"a bare link", "evil.com", "wxid_x"},
		{"a bidi override", "Amy\u202Emoc.live", "wxid_x"},
		{"a line break", "Amy\n@all 领红包", "wxid_x"},
		{"33 characters", strings.Repeat("啊", 33), "wxid_x"},
		{"32 characters", strings.Repeat("啊", 32), strings.Repeat("啊", 32)},
		{"a plain name", "小李", "小李"},
		{"a full-width link", "ｅｖｉｌ．ｃｏｍ", "wxid_x"},
		{"a zero-width space in a link", "evil\u200b.com", "wxid_x"},
		{"an emoji with its variation selector", "小李\u2764\uFE0F", "小李\u2764\uFE0F"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := rules.New(p)
			if err != nil {
				t.Fatal(err)
			}
			handle(t, e, join("g1", "wxid_x", 0, c.joinAs))
			got := e.Tick(t0.Add(mn))
			want := "欢迎" + c.want + "加入本群!请阅读群公告→修改昵称为【城市-昵称】"
			if len(got) != 1 || got[0].Text != want {
				t.Errorf("welcome %+v, want text %q", got, want)
			}
			got = handle(t, e, msg("wxid_x", 2*mn, "t.cn/x"))
			if want := "@" + c.want + " 第1次警告(满2次将被移出群聊):请勿发布外部链接"; len(got) != 1 || got[0].Text != want {
				t.Errorf("warning %+v, want text %q", got, want)
			}
		})
	}

	e, err := rules.New(p)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 5000 {
		id := fmt.Sprintf("wxid_%04d", i)
		ids = append(ids, id)
		handle(t, e, join("g1", id, time.Duration(i)*time.Millisecond, fmt.Sprintf("成员%04d", i)))
	}
	got := e.Tick(t0.Add(time.Hour))
	if len(got) != 1 {
		t.Fatalf("5,000 joins gave %d actions, want one welcome", len(got))
	}
	w := got[0]
	var names []string
	for i := range rules.WelcomeNamesMax {
		names = append(names, fmt.Sprintf("成员%04d", i))
	}
	want := "欢迎" + strings.Join(names, "、") + "等4980人加入本群!请阅读群公告→修改昵称为【城市-昵称】"
	if w.Text != want {
		t.Errorf("welcome text (%d bytes) %q, want %q", len(w.Text), w.Text, want)
	}
	if diff := cmp.Diff(ids, w.Members); diff != "" {
		t.Errorf("Members (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ids[:rules.WelcomeNamesMax], w.Mentions); diff != "" {
		t.Errorf("Mentions (-want +got):\n%s", diff)
	}
}
