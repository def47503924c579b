package onebot_test

import (
	"fmt"
	"time"

	"github.com/qunops/qunops/adapters/onebot"
)

// A group message as a OneBot 12 implementation pushes it (the example of
// specs/interface/message/type.md, in a group).
func ExampleDecode() {
	body := []byte(`{"id":"b6e65187","self":{"platform":"wechat","user_id":"bot"},"time":1772413200.5,
		"type":"message","detail_type":"group","sub_type":"","message_id":"6283",
		"message":[{"type":"text","data":{"text":"OneBot is not a bot"}},{"type":"image","data":{"file_id":"e30f"}}],
		"alt_message":"OneBot is not a bot[图片]","group_id":"g1@chatroom","user_id":"wxid_ann"}`)
	evs, key, err := onebot.Decode(body, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(key)
	for _, ev := range evs {
		fmt.Println(ev.Type, ev.Group, ev.Member, ev.Kind, ev.ID, ev.Time.Format(time.RFC3339Nano), ev.Text)
	}
	// Output:
	// message.group
	// message g1@chatroom wxid_ann image onebot:m:6283 2026-03-02T09:00:00.5+08:00 OneBot is not a bot
}

// A rename of the group as Walle-Q reports it: an extension notice with
// group_name and operator_id (onebot-walle/walle-q src/parse/event.rs at
// 4db42ce).
func ExampleDecode_groupName() {
	body := []byte(`{"id":"c3a1","impl":"walle-q","platform":"qq","self_id":"10001","time":1772413200,
		"type":"notice","detail_type":"group_name_update","sub_type":"",
		"group_id":"123456","group_name":"Cheap Phones","operator_id":"20002"}`)
	evs, key, err := onebot.Decode(body, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(key)
	for _, ev := range evs {
		fmt.Println(ev.Type, ev.Group, ev.Member, ev.ID, ev.Time.Format(time.RFC3339), ev.Text)
	}
	// Output:
	// notice.group_name_update
	// title 123456 20002 onebot:n:c3a1 2026-03-02T09:00:00+08:00 Cheap Phones
}
