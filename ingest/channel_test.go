package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

// TestJoinChannelsF14 checks that every join notice records its channel in
// the join event's Kind (issue 19, item 2: joins by channel, so that the
// conversions of F14 and F15 are measured from real logs). The wordings are
// WeChat's own, as the wechaty puppets and the exporters quote them (see
// the patterns' sources in system.go); the invitation QR code is the
// sysmsgtemplate join of xxxbot-pad's GroupWelcome plugin
// (yxj1028530975/xxxbot-pad plugins/GroupWelcome/main.py at
// e2aba871fb00955c7081dbbaa224af8299010b7a).
func TestJoinChannelsF14(t *testing.T) {
	chen := [2]string{"wxid_chenhao", "陈浩"}
	zheng := [2]string{"wxid_zhengshuang", "郑爽"}
	for _, tc := range []struct {
		name, text string
		want       string
	}{
		{"invite", `"陈浩"邀请"郑爽"加入了群聊`, qunops.JoinInvite},
		{"the account invites", `你邀请"郑爽"加入了群聊`, qunops.JoinInvite},
		{"the account is invited", `"陈浩"邀请你加入了群聊`, qunops.JoinInvite},
		{"english invite", `陈浩 invited 郑爽 to the group chat`, qunops.JoinInvite},
		{"group qr code", `"郑爽"通过扫描"陈浩"分享的二维码加入群聊`, qunops.JoinQR},
		{"the account's qr code", `"郑爽"通过扫描你分享的二维码加入群聊`, qunops.JoinQR},
		{"english qr code", `"郑爽" joined the group chat via the QR Code shared by "陈浩"`, qunops.JoinQR},
		{"invitation qr code", `"郑爽"通过"陈浩"的邀请二维码加入群聊`, qunops.JoinInviteQR},
		{"xml invite", tmplXML(`"$username$"邀请"$names$"加入了群聊`, profileXML("username", chen), profileXML("names", zheng)), qunops.JoinInvite},
		{"xml qr code", tmplXML(`"$adder$"通过扫描"$from$"分享的二维码加入群聊`, profileXML("adder", zheng), profileXML("from", chen)), qunops.JoinQR},
		{"xml invitation qr code", tmplXML(`"$adder$"通过"$from$"的邀请二维码加入群聊`, profileXML("adder", zheng), profileXML("from", chen)), qunops.JoinInviteQR},
		{"xml qr code of the account", delXML(`"郑爽"通过扫描你分享的二维码加入群聊`, "qrcode", "wxid_zhengshuang"), qunops.JoinQR},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s sysMsg
			var ok bool
			if isSysmsgXML(tc.text) {
				s, ok = parseSysmsgXML(tc.text, nil)
			} else {
				s, ok = parseSystem(tc.text, false)
			}
			if !ok || s.op != opJoin {
				t.Fatalf("%q: not read as a join (%+v, %v)", tc.text, s, ok)
			}
			if s.channel != tc.want {
				t.Errorf("%q: channel %q, want %q", tc.text, s.channel, tc.want)
			}
		})
	}
	// Leaves and renames carry no channel.
	for _, text := range []string{`"陈浩"将"郑爽"移出了群聊`, `"陈浩"修改群名为"读书会"`} {
		if s, ok := parseSystem(text, false); !ok || s.channel != "" {
			t.Errorf("%q: channel %q (ok %v), want none", text, s.channel, ok)
		}
	}
}

// TestEveryJoinPatternHasAChannel: a join wording added to the patterns
// without a channel would silently count its joins as of no channel.
func TestEveryJoinPatternHasAChannel(t *testing.T) {
	for i := range patterns {
		p := &patterns[i]
		if p.op == opJoin && p.channel == "" {
			t.Errorf("join pattern %d (%+v) has no channel", i, p.pieces)
		}
		if p.op != opJoin && p.channel != "" {
			t.Errorf("pattern %d (%+v) is not a join but has channel %q", i, p.pieces, p.channel)
		}
	}
}

// TestJoinChannelEvents reads a chatlog CSV export whose system rows say
// how each member came in, and checks the join events' Kind and Actor (the
// member who invited or shared the code).
func TestJoinChannelEvents(t *testing.T) {
	in := "Time,SenderName,Sender,TalkerName,Talker,Content\n" +
		`2026-03-02 08:00:00,,系统消息,G,g@chatroom,"""陈浩(wxid_chen)""邀请""Kevin(wxid_kevin)""加入了群聊"` + "\n" +
		`2026-03-02 08:01:00,,系统消息,G,g@chatroom,"""郑爽(wxid_zheng)""通过扫描""陈浩(wxid_chen)""分享的二维码加入群聊"` + "\n" +
		`2026-03-02 08:02:00,,系统消息,G,g@chatroom,"""钱多多(wxid_qdd)""通过""郑爽(wxid_zheng)""的邀请二维码加入群聊"` + "\n"
	r, err := NewReader(ChatlogCSV, strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	type join struct{ Member, Actor, Kind string }
	var got []join
	for e, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == qunops.Join {
			got = append(got, join{e.Member, e.Actor, e.Kind})
		}
	}
	want := []join{
		{"wxid_kevin", "wxid_chen", qunops.JoinInvite},
		{"wxid_zheng", "wxid_chen", qunops.JoinQR},
		{"wxid_qdd", "wxid_zheng", qunops.JoinInviteQR},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("joins (-want +got):\n%s", diff)
	}
}
