package ingest_test

import (
	"fmt"
	"strings"

	"github.com/qunops/qunops/ingest"
)

// Let Auto recognise an export: here ChatLab's JSON Lines, as WeFlow writes
// them. The member list lets the notice's names resolve to wxids.
func ExampleReader_Format() {
	export := `{"_type":"header","chatlab":{"version":"0.0.2","exportedAt":1773014400,"generator":"WeFlow"},"meta":{"name":"读书会","platform":"wechat","type":"group","groupId":"24681357@chatroom"}}
{"_type":"member","platformId":"wxid_lin01","accountName":"林小雨"}
{"_type":"member","platformId":"wxid_kevin88","accountName":"Kevin"}
{"_type":"message","sender":"","accountName":"老周","timestamp":1772413500,"type":80,"content":"\"林小雨\"邀请\"Kevin\"加入了群聊","platformMessageId":"7345120000000015838"}
{"_type":"message","sender":"wxid_kevin88","accountName":"Kevin","timestamp":1772413560,"type":1,"content":"[图片]","platformMessageId":"7345120000000023757"}`
	r, err := ingest.NewReader(ingest.Auto, strings.NewReader(export), ingest.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println("format:", r.Format())
	for e, err := range r.All() {
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %s member=%s actor=%q kind=%q text=%q\n", e.Time.Format("01-02 15:04"), e.Type, e.Member, e.Actor, e.Kind, e.Text)
	}
	// Output:
	// format: chatlab
	// 03-02 09:05 join member=wxid_kevin88 actor="wxid_lin01" kind="invite" text="Kevin"
	// 03-02 09:06 message member=wxid_kevin88 actor="" kind="image" text=""
}
