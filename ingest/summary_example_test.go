package ingest_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/ingest"
)

// A chatlog CSV export of a client set to English: the notices name members
// by display name only; the export's own rows tell their wxids. The summary
// says what could not be resolved, and where.
func ExampleReader_Summary() {
	export := `Time,SenderName,Sender,TalkerName,Talker,Content
2026-03-02 09:00:00,,系统消息,读书会,3001@chatroom,"Lin Xiaoyu invited Kevin and Wang Wu to the group chat"
2026-03-02 09:01:00,Kevin,wxid_kevin,读书会,3001@chatroom,Hi
2026-03-02 09:02:00,Lin Xiaoyu,wxid_linxy,读书会,3001@chatroom,Welcome
2026-03-02 09:03:00,,系统消息,读书会,3001@chatroom,"""Kevin"" 拍了拍 ""Lin Xiaoyu"""
`
	// A strings.Reader can seek: the Reader reads the export once for its
	// member directory, then for the events.
	r, err := ingest.NewReader(ingest.ChatlogCSV, strings.NewReader(export), ingest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		e, err := r.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		if e.Type != qunops.Message {
			fmt.Println(e.Type, e.Member, "by", e.Actor)
		}
	}
	fmt.Print(r.Summary())
	// Output:
	// join wxid_kevin by wxid_linxy
	// join name:Wang Wu by wxid_linxy
	// name-unresolved: 1 (line 2 (row 1): "Wang Wu")
	// system-notice: 1 (line 5 (row 4))
}
