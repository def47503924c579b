package ingest

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// TestParseSystem checks each phrasing of issue 10 with and without
// chatlog's "(wxid)" suffix. The texts follow WeChat's own templates (as
// chatlog's SysMsgTemplateString renders them: nickname(username), names
// joined by 、).
func TestParseSystem(t *testing.T) {
	me := person{self: true}
	for _, tc := range []struct {
		name  string
		text  string
		wxids bool
		want  sysMsg
		ok    bool
	}{
		{"invite two with wxids", `"A(wxid_a)"邀请"B(wxid_b)、C(wxid_c)"加入了群聊`, true,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{id: "wxid_a", name: "A"}, subjects: []person{{id: "wxid_b", name: "B"}, {id: "wxid_c", name: "C"}}}, true},
		{"invite two by name", `"A"邀请"B、C"加入了群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "A"}, subjects: []person{{name: "B"}, {name: "C"}}}, true},
		{"suffix not read without wxids", `"A(wxid_a)"邀请"B"加入了群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "A(wxid_a)"}, subjects: []person{{name: "B"}}}, true},
		{"name with parentheses and 、", `"A(wxid_a)"邀请"小、王(管理)(wxid_w)"加入了群聊`, true,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{id: "wxid_a", name: "A"}, subjects: []person{{id: "wxid_w", name: "小、王(管理)"}}}, true},
		{"curly quotes", `“A”邀请“B”加入了群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "A"}, subjects: []person{{name: "B"}}}, true},
		{"qr code", `"B(wxid_b)"通过扫描"A(wxid_a)"分享的二维码加入群聊`, true,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: person{id: "wxid_a", name: "A"}, subjects: []person{{id: "wxid_b", name: "B"}}}, true},
		{"qr code by name", `"B"通过扫描"A"分享的二维码加入群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: person{name: "A"}, subjects: []person{{name: "B"}}}, true},
		{"you invited, with revoke link", `你邀请"B(wxid_b)"加入了群聊  撤销`, true,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: me, subjects: []person{{id: "wxid_b", name: "B"}}}, true},
		{"you were invited", `"A"邀请你加入了群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "A"}, subjects: []person{me}}, true},
		{"you were invited, participants", `"A(wxid_a)"邀请你加入了群聊，群聊参与人还有：B(wxid_b)、C(wxid_c)`, true,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{id: "wxid_a", name: "A"}, subjects: []person{me}, others: []person{{id: "wxid_b", name: "B"}, {id: "wxid_c", name: "C"}}}, true},
		{"you and others were invited", `"A"邀请你和"B"加入了群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "A"}, subjects: []person{me, {name: "B"}}}, true},
		{"you joined by qr code", `你通过扫描"A"分享的二维码加入群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: person{name: "A"}, subjects: []person{me}}, true},
		{"you removed", `你将"B"移出了群聊`, false,
			sysMsg{op: opLeave, hasActor: true, actor: me, subjects: []person{{name: "B"}}}, true},
		{"you removed, wxid", `你将"B(wxid_b)"移出了群聊`, true,
			sysMsg{op: opLeave, hasActor: true, actor: me, subjects: []person{{id: "wxid_b", name: "B"}}}, true},
		{"admin removed", `"A"将"B"移出了群聊`, false,
			sysMsg{op: opLeave, hasActor: true, actor: person{name: "A"}, subjects: []person{{name: "B"}}}, true},
		{"you were removed", `你被"A(wxid_a)"移出群聊`, true,
			sysMsg{op: opLeave, hasActor: true, actor: person{id: "wxid_a", name: "A"}, subjects: []person{me}}, true},
		{"group rename", `"A(wxid_a)"修改群名为“读书会”`, true,
			sysMsg{op: opGroupRename, hasActor: true, actor: person{id: "wxid_a", name: "A"}, name: "读书会"}, true},
		{"group rename with quotes inside", `"A"修改群名为“"好"书”`, false,
			sysMsg{op: opGroupRename, hasActor: true, actor: person{name: "A"}, name: `"好"书`}, true},
		{"you renamed the group", `你修改群名为“读书会”`, false,
			sysMsg{op: opGroupRename, hasActor: true, actor: me, name: "读书会"}, true},
		{"pat is not understood", `"A" 拍了拍 "B"`, false, sysMsg{}, false},
		{"recall is not understood", `"A" 撤回了一条消息`, false, sysMsg{}, false},
		{"empty invitee list", `"A"邀请""加入了群聊`, false, sysMsg{}, false},
		{"empty", ``, false, sysMsg{}, false},
		{"truncated", `"A"邀请"B"加入了`, false, sysMsg{}, false},
		{"too long", `"A"邀请"` + strings.Repeat("B、", maxSystemLen) + `"加入了群聊`, false, sysMsg{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseSystem(tc.text, tc.wxids)
			if ok != tc.ok {
				t.Fatalf("parseSystem(%q) ok = %v, want %v", tc.text, ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(sysMsg{}, person{})); diff != "" {
				t.Errorf("parseSystem(%q) mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

// nickname draws display names as WeChat allows them: any text without the
// characters that delimit names in the templates (quotes, 、) and without
// surrounding space.
func nickname() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		s := rapid.StringOfN(rapid.RuneFrom([]rune("阿里小王ABCxyz09 _-()【】·")), 1, 12, -1).Draw(t, "nick")
		s = strings.TrimSpace(s)
		if s == "" {
			s = "x"
		}
		return s
	})
}

func wxid() *rapid.Generator[string] {
	return rapid.StringMatching(`wxid_[a-z0-9]{4,12}`)
}

// TestParseSystemRoundTrip renders invitations the way chatlog does (names
// with "(wxid)" suffixes, joined by 、) and checks that parsing gives back
// every invitee's wxid and name, in order, and the inviter.
func TestParseSystemRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		actor := person{id: wxid().Draw(t, "actor id"), name: nickname().Draw(t, "actor name")}
		n := rapid.IntRange(1, 8).Draw(t, "invitees")
		var subjects []person
		var parts []string
		for range n {
			p := person{id: wxid().Draw(t, "id"), name: nickname().Draw(t, "name")}
			subjects = append(subjects, p)
			parts = append(parts, p.name+"("+p.id+")")
		}
		text := `"` + actor.name + "(" + actor.id + `)"邀请"` + strings.Join(parts, "、") + `"加入了群聊`
		got, ok := parseSystem(text, true)
		if !ok {
			t.Fatalf("parseSystem(%q) failed", text)
		}
		want := sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: actor, subjects: subjects}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(sysMsg{}, person{})); diff != "" {
			t.Fatalf("parseSystem(%q) mismatch (-want +got):\n%s", text, diff)
		}
	})
}

func TestSplitWxid(t *testing.T) {
	for _, tc := range []struct {
		name, in, wantName, wantID string
		ok                         bool
	}{
		{"plain", "Alice(wxid_a1)", "Alice", "wxid_a1", true},
		{"custom id", "Bob(bob-88)", "Bob", "bob-88", true},
		{"openim", "Cy(123@openim)", "Cy", "123@openim", true},
		{"chinese in parens is a name", "张三(管理)", "", "", false},
		{"nested", "张三(管理)(wxid_z)", "张三(管理)", "wxid_z", true},
		{"no suffix", "Alice", "", "", false},
		{"empty parens", "Alice()", "", "", false},
		{"space inside", "Alice(a b)", "", "", false},
		{"too long", "A(" + strings.Repeat("a", 65) + ")", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name, id, ok := splitWxid(tc.in)
			if name != tc.wantName || id != tc.wantID || ok != tc.ok {
				t.Errorf("splitWxid(%q) = %q, %q, %v; want %q, %q, %v", tc.in, name, id, ok, tc.wantName, tc.wantID, tc.ok)
			}
		})
	}
}

// TestParseNoticeWordings covers the wordings issue 17 found lost: the
// account's QR code, names without wxids in chatlog's 4.x plain-text
// notices, and a client set to English. The English sentences follow the
// patterns of wechaty/puppet-padlocal src/padlocal/events/event-room-join.ts,
// event-room-leave.ts and event-room-topic.ts at
// fe1c768e4955f5845e04e1bf484aa18c0b5cfbd4, with names as issue 17 quotes
// them.
func TestParseNoticeWordings(t *testing.T) {
	me := person{self: true}
	for _, tc := range []struct {
		name  string
		text  string
		wxids bool
		want  sysMsg
	}{
		{"joined by the account's qr code", `"郑爽"通过扫描你分享的二维码加入群聊`, true,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: me, subjects: []person{{name: "郑爽"}}}},
		{"qr code with WeChat's leading space", `" 郑爽"通过扫描"陈浩"分享的二维码加入群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: person{name: "陈浩"}, subjects: []person{{name: "郑爽"}}}},
		{"4.x plain text in chatlog: two invitees without wxids", `"陈浩"邀请"Kevin、钱多多"加入了群聊`, true,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "陈浩"}, subjects: []person{{name: "Kevin"}, {name: "钱多多"}}}},
		{"a name ending in 、 at the end of the list stays whole", `"陈浩"邀请"Kevin、晨曦、"加入了群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "陈浩"}, subjects: []person{{name: "Kevin"}, {name: "晨曦、"}}}},
		{"a name ending in 、 inside the list", `"陈浩"邀请"晨曦、、Kevin"加入了群聊`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "陈浩"}, subjects: []person{{name: "晨曦、"}, {name: "Kevin"}}}},
		{"english invite without quotes", `林小雨 invited 新人小刘 to the group chat`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "林小雨"}, subjects: []person{{name: "新人小刘"}}}},
		{"english invite of three", `"林小雨" invited "Kevin", "钱多多" and "晨曦" to the group chat`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "林小雨"}, subjects: []person{{name: "Kevin"}, {name: "钱多多"}, {name: "晨曦"}}}},
		{"english: you invited", `You invited 新人小刘 to the group chat`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: me, subjects: []person{{name: "新人小刘"}}}},
		{"english: you were invited with others", `林小雨 invited you to a group chat with Kevin, 钱多多`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "林小雨"}, subjects: []person{me}, others: []person{{name: "Kevin"}, {name: "钱多多"}}}},
		{"english: you and another were invited", `林小雨 invited you and Kevin to the group chat`, false,
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{name: "林小雨"}, subjects: []person{me, {name: "Kevin"}}}},
		{"english qr code shared by a member", `"郑爽" joined the group chat via the QR code shared by "陈浩"`, false,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: person{name: "陈浩"}, subjects: []person{{name: "郑爽"}}}},
		{"english qr code, capital C as padlocal has it", `"郑爽" joined the group chat via the QR Code shared by "陈浩"`, false,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: person{name: "陈浩"}, subjects: []person{{name: "郑爽"}}}},
		{"english qr code the account shared", `" 郑爽" joined group chat via the QR code you shared`, false,
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: me, subjects: []person{{name: "郑爽"}}}},
		{"english: you removed", `You removed "Kevin" from the group chat`, false,
			sysMsg{op: opLeave, hasActor: true, actor: me, subjects: []person{{name: "Kevin"}}}},
		{"english: you were removed", `You were removed from the group chat by "陈浩"`, false,
			sysMsg{op: opLeave, hasActor: true, actor: person{name: "陈浩"}, subjects: []person{me}}},
		{"english rename", `"陈浩" changed the group name to "周末读书会"`, false,
			sysMsg{op: opGroupRename, hasActor: true, actor: person{name: "陈浩"}, name: "周末读书会"}},
		{"english: you renamed", `You changed the group name to "周末读书会"`, false,
			sysMsg{op: opGroupRename, hasActor: true, actor: me, name: "周末读书会"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseSystem(tc.text, tc.wxids)
			if !ok {
				t.Fatalf("parseSystem(%q) not understood", tc.text)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(sysMsg{}, person{})); diff != "" {
				t.Errorf("parseSystem(%q) mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

// TestSplitNamesKnown checks that a list is cut where the export's known
// names say, and into single names otherwise (issue 17: "Kevin、钱多多" is
// two members, "晨曦、" one when that is the known name).
func TestSplitNamesKnown(t *testing.T) {
	knows := func(names ...string) func(string) bool {
		return func(s string) bool { return slices.Contains(names, s) }
	}
	for _, tc := range []struct {
		name, list string
		english    bool
		known      func(string) bool
		want       []string
	}{
		{"no directory: every 、 separates", "Kevin、钱多多", false, nil, []string{"Kevin", "钱多多"}},
		{"both known", "Kevin、钱多多", false, knows("Kevin", "钱多多"), []string{"Kevin", "钱多多"}},
		{"a known name containing 、", "小、王、Kevin", false, knows("小、王", "Kevin"), []string{"小、王", "Kevin"}},
		{"split wins over an unknown join", "小、王、Kevin", false, knows("Kevin"), []string{"小", "王", "Kevin"}},
		{"a known name ending in 、", "晨曦、、钱多多", false, knows("晨曦、", "钱多多"), []string{"晨曦、", "钱多多"}},
		{"one name ending in 、", "晨曦、", false, nil, []string{"晨曦、"}},
		{"english separators", "Kevin, 钱多多 and 晨曦", true, nil, []string{"Kevin", "钱多多", "晨曦"}},
		{"english: a known name with and", "Tom and Jerry and Kevin", true, knows("Tom and Jerry"), []string{"Tom and Jerry", "Kevin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range splitNames(nil, tc.list, tc.english, false, tc.known) {
				got = append(got, p.name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("splitNames(%q) (-want +got):\n%s", tc.list, diff)
			}
		})
	}
}
