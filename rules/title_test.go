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

// title is a rename of group g1 itself, by member, to text.
func title(member string, at time.Duration, text string) qunops.Event {
	return qunops.Event{Type: qunops.Title, Group: "g1", Member: member, Time: t0.Add(at), Text: text}
}

func retitle(member string) act  { return act{rules.Retitle, "g1", member, rules.RuleTitle, 0} }
func titleNote(admin string) act { return act{rules.Notify, "g1", admin, rules.RuleTitle, 0} }

// titles returns the recorded titles of e by group, read from its
// snapshot.
func titles(t *testing.T, e *rules.Engine) map[string]string {
	t.Helper()
	var doc struct {
		Titles []struct{ Group, Title string }
	}
	if err := json.Unmarshal([]byte(snapshot(t, e)), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, x := range doc.Titles {
		out[x.Group] = x.Title
	}
	return out
}

// TestTitleLock (issue 16): renames of the group itself under
// Policy.LockTitle, case by case; want is the recorded titles at the end.
func TestTitleLock(t *testing.T) {
	locked := rules.Policy{Admins: []string{"a1", "a2"}, Self: []string{"bot"}, LockTitle: true}
	with := func(f func(*rules.Policy)) rules.Policy {
		p := locked
		p.Admins, p.Self = []string{"a1", "a2"}, []string{"bot"}
		f(&p)
		return p
	}
	cases := []struct {
		name   string
		reason string
		p      rules.Policy
		steps  []step
		want   map[string]string
	}{
		{"admin rename accepted", "an admin's rename is the new name to keep", locked, []step{
			on(title("a1", 0, "读书会")),
			on(title("a2", mn, "读书会·春")),
			on(title("u1", 2*mn, "广告群"), retitle("u1"), titleNote("a1"), titleNote("a2")),
		}, map[string]string{"g1": "读书会·春"}},
		{"non-admin reverted", "the recorded title stays; the renamer is named on the Retitle", locked, []step{
			on(title("a1", 0, "读书会")),
			on(title("u1", mn, "我的群"), retitle("u1"), titleNote("a1"), titleNote("a2")),
			on(title("u2", 2*mn, "他的群"), retitle("u2"), titleNote("a1"), titleNote("a2")),
		}, map[string]string{"g1": "读书会"}},
		{"self echo recorded", "the bot's own rename, echoed, sets the title and gives nothing", locked, []step{
			on(title("bot", 0, "读书会")),
			on(title("u1", mn, "我的群"), retitle("u1"), titleNote("a1"), titleNote("a2")),
			on(title("bot", 2*mn, "读书会")), // the echo of the Retitle
		}, map[string]string{"g1": "读书会"}},
		{"lock off", "anyone's rename is recorded, nothing is said", with(func(p *rules.Policy) { p.LockTitle = false }), []step{
			on(title("a1", 0, "读书会")),
			on(title("u1", mn, "我的群")),
		}, map[string]string{"g1": "我的群"}},
		{"rule title off", "RuleTitle in Off switches the lock off", with(func(p *rules.Policy) { p.Off = []string{rules.RuleTitle} }), []step{
			on(title("a1", 0, "读书会")),
			on(title("u1", mn, "我的群")),
		}, map[string]string{"g1": "我的群"}},
		{"unknown previous title", "nothing to restore: the admins are told, nothing is recorded", locked, []step{
			on(title("u1", 0, "我的群"), titleNote("a1"), titleNote("a2")),
			on(title("u2", mn, "他的群"), titleNote("a1"), titleNote("a2")),
		}, map[string]string{}},
		{"the same name", "a non-admin who sets the recorded name changes nothing", locked, []step{
			on(title("a1", 0, "读书会")),
			on(title("u1", mn, "读书会")),
		}, map[string]string{"g1": "读书会"}},
		{"a stale rename", "a rename stamped before the recorded one was already replaced", locked, []step{
			on(title("a1", 2*mn, "读书会·春")),
			on(title("a1", mn, "读书会")),
			on(title("u1", mn, "我的群")),
			on(title("u1", 3*mn, "我的群"), retitle("u1"), titleNote("a1"), titleNote("a2")),
		}, map[string]string{"g1": "读书会·春"}},
		{"no admins", "the Retitle alone", with(func(p *rules.Policy) { p.Admins = nil }), []step{
			on(title("bot", 0, "读书会")),
			on(title("u1", mn, "我的群"), retitle("u1")),
		}, map[string]string{"g1": "读书会"}},
		{"a warnable title", "the new name is an ad: a warning on the ladder too",
			with(func(p *rules.Policy) { p.Warnable = []string{"加微信"} }), []step{
				on(title("a1", 0, "读书会")),
				on(title("u1", mn, "加 微 信领福利"), retitle("u1"), titleNote("a1"), titleNote("a2"), warn("u1", rules.RuleKeyword, 1)),
				on(msg("u1", 2*mn, "加微信"), warn("u1", rules.RuleKeyword, 2), act{rules.Remove, "g1", "u1", rules.RuleKeyword, 2},
					act{rules.Blacklist, "g1", "u1", rules.RuleKeyword, 2}),
			}, map[string]string{"g1": "读书会"}},
		{"a link title", "an outside link in the new name is a link offence", locked, []step{
			on(title("a1", 0, "读书会")),
			on(title("u1", mn, "t.cn/x"), retitle("u1"), titleNote("a1"), titleNote("a2"), warn("u1", rules.RuleLink, 1)),
		}, map[string]string{"g1": "读书会"}},
		{"a prohibited title", "removed and blacklisted, as for a message",
			with(func(p *rules.Policy) { p.Prohibited = []string{"赌博"} }), []step{
				on(title("a1", 0, "读书会")),
				on(title("u1", mn, "赌博群"), append([]act{retitle("u1"), titleNote("a1"), titleNote("a2")}, removed("u1", rules.RuleProhibited, 0)...)...),
			}, map[string]string{"g1": "读书会"}},
		{"an offence whose rule is off", "the keyword rule off: only the lock acts",
			with(func(p *rules.Policy) { p.Warnable = []string{"加微信"}; p.Off = []string{rules.RuleKeyword} }), []step{
				on(title("a1", 0, "读书会")),
				on(title("u1", mn, "加微信"), retitle("u1"), titleNote("a1"), titleNote("a2")),
			}, map[string]string{"g1": "读书会"}},
		{"a blacklisted renamer", "the blacklist says it all, as for a message: the name is not judged again, so " +
			"no second ban forgets the Remove in g1 and its cooldown (found by TestEngineStateMachine)",
			with(func(p *rules.Policy) { p.Admins = []string{"a1"}; p.Warnable = []string{"代购"}; p.WarnLimit = 1 }), []step{
				on(msg("u1", 0, "t.cn/x"), append([]act{warn("u1", rules.RuleLink, 1)}, removed("u1", rules.RuleLink, 1)...)...),
				on(in("g2", title("u1", sec, "正品代购群")), act{rules.Notify, "g2", "a1", rules.RuleTitle, 0}),
				on(msg("u1", 2*sec, "你好")), // within RemoveCooldown of the Remove at 0
			}, map[string]string{}},
		{"an admin's ad", "admins are exempt from every rule", with(func(p *rules.Policy) { p.Warnable = []string{"加微信"} }), []step{
			on(title("a1", 0, "加微信")),
		}, map[string]string{"g1": "加微信"}},
		{"a quiet group keeps its title", "Tick's sweep keeps a group whose only state is its title", locked, []step{
			on(title("a1", 0, "读书会")),
			tick(30 * day),
			on(title("u1", 30*day+mn, "我的群"), retitle("u1"), titleNote("a1"), titleNote("a2")),
		}, map[string]string{"g1": "读书会"}},
		{"groups apart", "each group keeps its own title", locked, []step{
			on(title("a1", 0, "读书会")),
			on(in("g2", title("a1", 0, "跑步群"))),
			on(in("g2", title("u1", mn, "读书会")), act{rules.Retitle, "g2", "u1", rules.RuleTitle, 0},
				act{rules.Notify, "g2", "a1", rules.RuleTitle, 0}, act{rules.Notify, "g2", "a2", rules.RuleTitle, 0}),
		}, map[string]string{"g1": "读书会", "g2": "跑步群"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := run(t, c.p, c.steps)
			if diff := cmp.Diff(c.want, titles(t, e)); diff != "" {
				t.Errorf("%s: recorded titles (-want +got):\n%s", c.reason, diff)
			}
		})
	}
}

// TestTitleLockActions: the exact actions of a reverted rename, in both
// languages: the Retitle carries the name to restore, each Notify names the
// member and the name they tried.
func TestTitleLockActions(t *testing.T) {
	for _, c := range []struct {
		lang string
		note string
	}{
		{"zh-Hans", "读书会:小李 将群名改为「我的群」;群名已锁定,只有管理员可以修改"},
		{"en", `小李 renamed 读书会 to "我的群", but the group name is locked: only admins may rename it.`},
	} {
		t.Run(c.lang, func(t *testing.T) {
			e, err := rules.New(rules.Policy{Language: c.lang, Admins: []string{"a1", "a2"}, LockTitle: true,
				GroupNames: map[string]string{"g1": "读书会"}})
			if err != nil {
				t.Fatal(err)
			}
			handle(t, e, join("g1", "u1", 0, "小李"))
			handle(t, e, title("a1", sec, "读书会"))
			at := t0.Add(mn)
			got := handle(t, e, title("u1", mn, "我的群"))
			want := []rules.Action{
				{Type: rules.Retitle, Group: "g1", Member: "u1", Text: "读书会", Rule: rules.RuleTitle, Time: at},
				{Type: rules.Notify, Group: "g1", Member: "a1", Text: c.note, Rule: rules.RuleTitle, Time: at},
				{Type: rules.Notify, Group: "g1", Member: "a2", Text: c.note, Rule: rules.RuleTitle, Time: at},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTitleRedelivered: a Title whose ID was handled is a redelivery and
// gives nothing, whoever sent it; the bot's echo is deduplicated too.
func TestTitleRedelivered(t *testing.T) {
	e, err := rules.New(rules.Policy{Admins: []string{"a1"}, Self: []string{"bot"}, LockTitle: true})
	if err != nil {
		t.Fatal(err)
	}
	echo := title("bot", 0, "读书会")
	echo.ID = "wx:1"
	handle(t, e, echo)
	rename := title("u1", mn, "我的群")
	rename.ID = "wx:2"
	if got := acts(handle(t, e, rename)); len(got) != 2 {
		t.Fatalf("first delivery gave %v, want a Retitle and a Notify", got)
	}
	before := snapshot(t, e)
	if got := handle(t, e, rename); got != nil {
		t.Errorf("redelivered rename gave %v", acts(got))
	}
	late := echo // a redelivered echo of an older name must not record it again
	late.Time = t0.Add(2 * mn)
	late.Text = "旧名"
	if got := handle(t, e, late); got != nil {
		t.Errorf("redelivered echo gave %v", acts(got))
	}
	if after := snapshot(t, e); after != before {
		t.Errorf("redeliveries changed the state:\n%s\n%s", before, after)
	}
}

// TestTitleDailyCap: a Retitle is no post, so the daily cap (F23) keeps it
// and the admins' Notify; the Warn of an ad in the title is a post and is
// dropped, though it still counts on the ladder.
func TestTitleDailyCap(t *testing.T) {
	e, err := rules.New(rules.Policy{Admins: []string{"a1"}, Self: []string{"bot"}, DailyPostsMax: 1, LockTitle: true,
		Warnable: []string{"加微信"}})
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, title("bot", 0, "读书会"))
	handle(t, e, msg("bot", sec, "早上好")) // the day's one post
	got := acts(handle(t, e, title("u1", mn, "加微信")))
	if diff := cmp.Diff([]act{retitle("u1"), titleNote("a1")}, got); diff != "" {
		t.Errorf("capped day (-want +got):\n%s", diff)
	}
	if n := e.Warnings("g1", "u1", t0.Add(mn)); n != 1 {
		t.Errorf("warnings after the capped Warn: %d, want 1", n)
	}
}

// TestTitleSnapshot: titles survive a snapshot; a restored engine, and one
// restarted with a new policy (SetPolicy), restore the name recorded
// before. Bad titles sections are errors naming where.
func TestTitleSnapshot(t *testing.T) {
	off := rules.Policy{Admins: []string{"a1"}} // the lock off: anyone's name is recorded
	e, err := rules.New(off)
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, title("u1", 0, "读书会"))
	handle(t, e, in("g2", title("a1", sec, "跑步群")))
	data := snapshot(t, e)
	if !strings.Contains(data, `"titles":[{"group":"g1","title":"读书会","at":"2026-03-02T00:00:00Z"},{"group":"g2","title":"跑步群","at":"2026-03-02T00:00:01Z"}]`) {
		t.Errorf("snapshot lacks the titles: %s", data)
	}
	var r rules.Engine
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		t.Fatal(err)
	}
	if again := snapshot(t, &r); again != data {
		t.Errorf("restored snapshot differs:\n%s\n%s", data, again)
	}
	// The restart: the deployed policy switches the lock on.
	on := off
	on.LockTitle = true
	if err := r.SetPolicy(on); err != nil {
		t.Fatal(err)
	}
	got := acts(handle(t, &r, title("u2", mn, "我的群")))
	if diff := cmp.Diff([]act{retitle("u2"), titleNote("a1")}, got); diff != "" {
		t.Errorf("after restart (-want +got):\n%s", diff)
	}
	if got := handle(t, &r, title("u2", 2*mn, "读书会")); got != nil {
		t.Errorf("renaming back to the kept name gave %v", acts(got))
	}

	const t1 = `"2026-03-02T00:00:00Z"`
	for _, c := range []struct{ name, in, want string }{
		{"titles in version 4", `{"v":4,"policy":{},"titles":[{"group":"g","title":"x","at":` + t1 + `}]}`, "titles need version 5, not 4"},
		{"an empty title", `{"v":5,"policy":{},"titles":[{"group":"g","title":"","at":` + t1 + `}]}`, "titles[0]: empty group or title"},
		{"a group twice", `{"v":5,"policy":{},"titles":[{"group":"g","title":"x","at":` + t1 + `},{"group":"g","title":"y","at":` + t1 + `}]}`, "titles[1]: group g listed twice"},
		{"a bad time", `{"v":5,"policy":{},"titles":[{"group":"g","title":"x","at":"noon"}]}`, "titles"},
		{"an unknown key", `{"v":5,"policy":{},"titles":[{"group":"g","title":"x","at":` + t1 + `,"by":"a1"}]}`, `unknown key "by"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := snapshot(t, &r)
			err := r.UnmarshalJSON([]byte(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("UnmarshalJSON: error %v, want one containing %q", err, c.want)
			}
			if after := snapshot(t, &r); after != before {
				t.Errorf("a failed restore changed the engine")
			}
		})
	}
}

// TestTitleAnnouncement: the announcement says the group name is locked
// only when it is.
func TestTitleAnnouncement(t *testing.T) {
	for _, c := range []struct {
		p    rules.Policy
		want bool
	}{
		{rules.Policy{}, false},
		{rules.Policy{LockTitle: true}, true},
		{rules.Policy{LockTitle: true, Off: []string{rules.RuleTitle}}, false},
	} {
		got, err := rules.Announcement(c.p, rules.AnnouncementOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(got, "禁止修改群名"); has != c.want {
			t.Errorf("LockTitle %v, off %v: announcement says the name is locked: %v, want %v", c.p.LockTitle, c.p.Off, has, c.want)
		}
	}
}
