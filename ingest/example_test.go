package ingest_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/ingest"
)

// Read a chatlog CSV export: naive times are read in Asia/Shanghai unless
// Options.Location says otherwise; a bad row is reported with its line and
// reading goes on.
func ExampleNewReader() {
	export := `Time,SenderName,Sender,TalkerName,Talker,Content
2026-03-02 08:00:00,,系统消息,读书群,1001@chatroom,"""Alice(wxid_alice)""邀请""Bob(wxid_bob)、Carol(wxid_carol)""加入了群聊"
2026-03-02 08:01:00,Bob,wxid_bob,读书群,1001@chatroom,大家好
03/02 08:02,Carol,wxid_carol,读书群,1001@chatroom,a bad time
2026-03-02 08:03:00,Carol,wxid_carol,读书群,1001@chatroom,![图片](http://127.0.0.1:5030/image/1)
`
	r, err := ingest.NewReader(ingest.ChatlogCSV, strings.NewReader(export), ingest.Options{})
	if err != nil {
		panic(err)
	}
	for e, err := range r.All() {
		var rowErr *ingest.RowError
		if errors.As(err, &rowErr) {
			fmt.Println(err)
			continue
		}
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %s member=%s actor=%q kind=%q\n", e.Time.Format("15:04"), e.Type, e.Member, e.Actor, e.Kind)
	}
	fmt.Printf("%+v\n", r.Stats())
	// Output:
	// 08:00 join member=wxid_bob actor="wxid_alice" kind="invite"
	// 08:00 join member=wxid_carol actor="wxid_alice" kind="invite"
	// 08:01 message member=wxid_bob actor="" kind="text"
	// ingest: line 4: time "03/02 08:02" is not like 2006-01-02 15:04:05
	// 08:03 message member=wxid_carol actor="" kind="image"
	// {Rows:4 Events:4 GroupRenames:0 Skipped:0 Errors:1}
}

// Import a WeChatMsg export, which has no group column, with a callback.
// Names in system messages have no wxid there: Options.Members resolves the
// ones the caller knows, the others are marked as matched by name.
func ExampleImport() {
	export := "\uFEFFlocalId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n" +
		`7,3,10000,0,0,1772409600,4,"""Alice""邀请""Bob、Carol""加入了群聊",2026-03-02 08:00:00,,,` + "\n" +
		"8,3,1,0,0,1772409660,2,你好,2026-03-02 08:01:00,,Bob,wxid_bob\n"
	opts := ingest.Options{
		Group:   "1001@chatroom",
		Members: map[string]string{"Alice": "wxid_alice", "Bob": "wxid_bob"},
	}
	stats, rowErrs, err := ingest.Import(ingest.WeChatMsg, strings.NewReader(export), opts, 10, func(e qunops.Event) error {
		name, byName := ingest.ByName(e.Member)
		fmt.Printf("%s %s member=%s actor=%q byName=%v %q\n", e.ID, e.Type, e.Member, e.Actor, byName, name)
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(stats.Events, "events,", len(rowErrs), "bad rows")
	// Output:
	// wechatmsg:7 join member=wxid_bob actor="wxid_alice" byName=false ""
	// wechatmsg:7#2 join member=name:Carol actor="wxid_alice" byName=true "Carol"
	// wechatmsg:8 message member=wxid_bob actor="" byName=false ""
	// 3 events, 0 bad rows
}

// Infer who left between two member lists: leaving by oneself leaves no
// message in the chat.
func ExampleDiff() {
	shanghai := time.FixedZone("CST", 8*3600)
	monday := ingest.Snapshot{Time: time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai), Members: []string{"wxid_a", "wxid_b", "wxid_c"}}
	tuesday := ingest.Snapshot{Time: time.Date(2026, 3, 3, 8, 0, 0, 0, shanghai), Members: []string{"wxid_a", "wxid_c", "wxid_d"}}
	leaves, err := ingest.Diff("1001@chatroom", monday, tuesday)
	if err != nil {
		panic(err)
	}
	for _, e := range leaves {
		fmt.Println(e.Type, e.Member, e.Time.Format(time.DateTime), ingest.Inferred(e), e.ID)
	}
	// Output:
	// leave wxid_b 2026-03-03 08:00:00 true inferred:1001@chatroom:wxid_b:1772496000
}
