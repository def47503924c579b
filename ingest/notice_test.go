package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

// The XML notices below follow the element names chatlog decodes
// (sjzar/chatlog internal/model/mediamessage.go, SysMsg, DelChatRoomMember,
// QRLink, SysMsgTemplate, at a638aa9c20350cb8f55910584583e4c8112ca3b9) and
// the templates the PadLocal puppet matches (wechaty/puppet-padlocal
// src/padlocal/events/event-room-join.ts, event-room-leave.ts,
// event-room-topic.ts at fe1c768e4955f5845e04e1bf484aa18c0b5cfbd4),
// indented as WeChat stores them.

func tmplXML(template string, links ...string) string {
	return `<sysmsg type="sysmsgtemplate">
	<sysmsgtemplate>
		<content_template type="tmpl_type_profile">
			<plain><![CDATA[]]></plain>
			<template><![CDATA[` + template + `]]></template>
			<link_list>
				` + strings.Join(links, "\n\t\t\t\t") + `
			</link_list>
		</content_template>
	</sysmsgtemplate>
</sysmsg>`
}

func profileXML(name string, members ...[2]string) string {
	var b strings.Builder
	b.WriteString(`<link name="` + name + `" type="link_profile"><memberlist>`)
	for _, m := range members {
		b.WriteString(`<member><username><![CDATA[` + m[0] + `]]></username><nickname><![CDATA[` + m[1] + `]]></nickname></member>`)
	}
	b.WriteString(`</memberlist><separator><![CDATA[、]]></separator></link>`)
	return b.String()
}

func delXML(plain, scene string, usernames ...string) string {
	var b strings.Builder
	b.WriteString(`<sysmsg type="delchatroommember">
	<delchatroommember>
		<plain><![CDATA[` + plain + `]]></plain>
		<text><![CDATA[` + plain + `]]></text>
		<link>
			<scene>` + scene + `</scene>
			<text><![CDATA[  撤销]]></text>
			<memberlist>`)
	for _, u := range usernames {
		b.WriteString(`<username><![CDATA[` + u + `]]></username>`)
	}
	b.WriteString(`</memberlist>
		</link>
	</delchatroommember>
</sysmsg>`)
	return b.String()
}

// TestParseSysmsgXML covers the XML notices WeChatMsg v1 and PyWxDump copy
// from the database (issue 17: "sysmsgtemplate XML (QR joins, the account's
// own invites) and delchatroommember XML (removals) are silently skipped").
func TestParseSysmsgXML(t *testing.T) {
	me := person{self: true}
	chen := [2]string{"wxid_chenhao", "陈浩"}
	revoke := `<link name="revoke" type="link_revoke" hidden="1"><title><![CDATA[撤销]]></title><usernamelist><username><![CDATA[wxid_kevin]]></username></usernamelist></link>`
	for _, tc := range []struct {
		name string
		xml  string
		want sysMsg
	}{
		{"member invites two, one with 、 in the name",
			tmplXML(`"$username$"邀请"$names$"加入了群聊`, profileXML("username", chen),
				profileXML("names", [2]string{"wxid_kevin", "Kevin"}, [2]string{"wxid_chenxi", "晨曦、"})),
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{id: "wxid_chenhao", name: "陈浩"},
				subjects: []person{{id: "wxid_kevin", name: "Kevin"}, {id: "wxid_chenxi", name: "晨曦、"}}}},
		{"the account invites, with the revoke link",
			tmplXML(`你邀请"$names$"加入了群聊  $revoke$`, profileXML("names", [2]string{"wxid_kevin", "Kevin"}), revoke),
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: me, subjects: []person{{id: "wxid_kevin", name: "Kevin"}}}},
		{"qr code shared by a member",
			tmplXML(`" $adder$"通过扫描"$from$"分享的二维码加入群聊`,
				profileXML("adder", [2]string{"wxid_zhengshuang", "郑爽"}), profileXML("from", chen)),
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: person{id: "wxid_chenhao", name: "陈浩"},
				subjects: []person{{id: "wxid_zhengshuang", name: "郑爽"}}}},
		{"member invites the account and another",
			tmplXML(`"$username$"邀请你和"$names$"加入了群聊`, profileXML("username", chen), profileXML("names", [2]string{"wxid_kevin", "Kevin"})),
			sysMsg{op: opJoin, channel: qunops.JoinInvite, hasActor: true, actor: person{id: "wxid_chenhao", name: "陈浩"},
				subjects: []person{me, {id: "wxid_kevin", name: "Kevin"}}}},
		{"rename with the name in a plain link",
			tmplXML(`"$username$"修改群名为“$remark$”`, profileXML("username", chen),
				`<link name="remark" type="link_plain"><plain><![CDATA[周末读书会]]></plain></link>`),
			sysMsg{op: opGroupRename, hasActor: true, actor: person{id: "wxid_chenhao", name: "陈浩"}, name: "周末读书会"}},
		{"removal by the account",
			delXML(`你将"Kevin"移出了群聊`, "invite", "wxid_kevin"),
			sysMsg{op: opLeave, hasActor: true, actor: me, subjects: []person{{id: "wxid_kevin", name: "Kevin"}}}},
		{"removal of two",
			delXML(`你将"Kevin、钱多多"移出了群聊`, "invite", "wxid_kevin", "wxid_qdd"),
			sysMsg{op: opLeave, hasActor: true, actor: me, subjects: []person{{id: "wxid_kevin", name: "Kevin"}, {id: "wxid_qdd", name: "钱多多"}}}},
		{"removal of one whose name holds 、",
			delXML(`你将"小、王"移出了群聊`, "invite", "wxid_wang"),
			sysMsg{op: opLeave, hasActor: true, actor: me, subjects: []person{{id: "wxid_wang", name: "小、王"}}}},
		{"joined by the account's qr code",
			delXML(`"郑爽"通过扫描你分享的二维码加入群聊`, "qrcode", "wxid_zhengshuang"),
			sysMsg{op: opJoin, channel: qunops.JoinQR, hasActor: true, actor: me, subjects: []person{{id: "wxid_zhengshuang", name: "郑爽"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !isSysmsgXML(tc.xml) {
				t.Fatalf("isSysmsgXML(%q) = false", tc.xml)
			}
			got, ok := parseSysmsgXML(tc.xml, nil)
			if !ok {
				t.Fatalf("parseSysmsgXML(%q) not understood", tc.xml)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(sysMsg{}, person{})); diff != "" {
				t.Errorf("parseSysmsgXML mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{
		`<sysmsg type="revokemsg"><revokemsg><content><![CDATA["Kevin" 撤回了一条消息]]></content></revokemsg></sysmsg>`,
		`<sysmsg type="sysmsgtemplate"><sysmsgtemplate>`,
		tmplXML(`"$username$"拍了拍"$names$"`, profileXML("username", chen)),
	} {
		if s, ok := parseSysmsgXML(bad, nil); ok {
			t.Errorf("parseSysmsgXML(%q) = %+v, want not understood", bad, s)
		}
	}
}

// TestGroupRenameTitle (issue 16): a rename of the group is a title event
// in the stream: the renamer is its Member, resolved like the actor of a
// join ("你" is the account, a name goes through Options.Members), the new
// name its Text, the row's time and ID its own; Stats counts it among the
// events and as a group rename.
func TestGroupRenameTitle(t *testing.T) {
	head := "id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime\n"
	row := func(n int, text string) string {
		return fmt.Sprintf(`%d,%d,系统通知,0,未知,g@chatroom,"{""src"": """", ""msg"": ""%s""}",2026-03-02 08:0%d:00`+"\n",
			n, 100+n, strings.ReplaceAll(text, `"`, `\""`), n)
	}
	in := head + row(1, `你修改群名为“读书会”`) + row(2, `"A"修改群名为“读书会·春”`) +
		row(3, `You changed the group name to Book Club`) + row(4, `"B"修改群名为“B的群”`)
	r, err := NewReader(PyWxDumpContent, strings.NewReader(in), Options{Self: "wxid_me", Members: map[string]string{"A": "wxid_a"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for e, err := range r.All() {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		got = append(got, fmt.Sprintf("%s %s %q %s %s", e.Type, e.Member, e.Text, e.Time.Format("15:04"), e.ID))
	}
	want := []string{
		`title wxid_me "读书会" 08:01 pywxdump:101`,
		`title wxid_a "读书会·春" 08:02 pywxdump:102`,
		`title wxid_me "Book Club" 08:03 pywxdump:103`,
		`title name:B "B的群" 08:04 pywxdump:104`, // a name no one carries: kept, and reported
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("title events (-want +got):\n%s", diff)
	}
	if st := r.Stats(); st.Events != 4 || st.GroupRenames != 4 || st.Skipped != 0 {
		t.Errorf("stats %+v, want 4 events, 4 group renames, none skipped", st)
	}
	if n := r.Summary().Count(ReasonNameUnresolved); n != 1 {
		t.Errorf("summary counts %d unresolved names, want 1 (B)", n)
	}
}
