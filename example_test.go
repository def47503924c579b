package qunops_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

func ExampleDecoder() {
	log := `{"v":1,"type":"join","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T08:00:00+08:00","actor":"wxid_wang","text":"上海-小李"}
{"v":1,"type":"message","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T08:01:30+08:00","kind":"text","text":"大家好"}
{"v":1,"type":"read","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T08:02:00+08:00"}
{"v":2,"type":"message","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T08:03:00+08:00"}
{"v":1,"type":"leave","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T09:00:00+08:00"}
`
	d := qunops.NewDecoder(strings.NewReader(log))
	for {
		e, err := d.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err) // a bad line: report it and go on
			continue
		}
		fmt.Println(d.Line(), e.Type, e.Member, e.Time.Format(time.Kitchen), e.Text)
	}
	// Output:
	// 1 join wxid_li 8:00AM 上海-小李
	// 2 message wxid_li 8:01AM 大家好
	// qunops: line 3: read event: item is empty
	// qunops: line 4: schema version 2 is newer than this decoder reads (1)
	// 5 leave wxid_li 9:00AM
}

// A program that decodes a large log and keeps little of it (counts, a
// few names) lets the Decoder share blocks for the events' strings, and
// copies what it keeps.
func ExampleDecoder_ShareStrings() {
	var log strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&log, `{"v":1,"type":"message","group":"g1@chatroom","member":"wxid_%d","time":"2026-03-02T08:%02d:00+08:00","id":"m%d","text":"收到"}`+"\n", i%40, i%60, i)
	}
	d := qunops.NewDecoder(strings.NewReader(log.String()))
	d.ShareStrings()
	seen := map[string]bool{}
	var members []string
	messages := 0
	for e, err := range d.All() {
		if err != nil {
			fmt.Println(err)
			continue
		}
		messages++
		if !seen[e.Member] {
			m := strings.Clone(e.Member) // kept: a copy, not a part of a block
			seen[m] = true
			members = append(members, m)
		}
	}
	fmt.Println(messages, "messages from", len(members), "members, the first", members[0])
	// Output:
	// 1000 messages from 40 members, the first wxid_0
}

func ExampleEncoder() {
	shanghai := time.FixedZone("CST", 8*3600)
	enc := qunops.NewEncoder(os.Stdout)
	events := []qunops.Event{
		{Type: qunops.Join, Group: "g1@chatroom", Member: "wxid_li", Actor: "wxid_wang",
			Time: time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai), Text: "上海-小李"},
		{Type: qunops.Message, Group: "g1@chatroom", Member: "wxid_li", ID: "chatlog:42",
			Time: time.Date(2026, 3, 2, 8, 1, 30, 250e6, shanghai), Kind: "text", Text: `<b>"早"</b>`},
	}
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// {"v":1,"type":"join","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T08:00:00+08:00","actor":"wxid_wang","text":"上海-小李"}
	// {"v":1,"type":"message","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T08:01:30.25+08:00","id":"chatlog:42","kind":"text","text":"<b>\"早\"</b>"}
}

func ExampleEvent_Validate() {
	e := qunops.Event{
		Type:   qunops.Claim,
		Group:  "g1@chatroom",
		Member: "wxid_li",
		Time:   time.Date(2026, 3, 2, 20, 5, 0, 0, time.FixedZone("CST", 8*3600)),
	}
	fmt.Println(e.Validate())

	var fe *qunops.FieldError
	if errors.As(e.Validate(), &fe) {
		fmt.Println("field:", fe.Field)
	}

	e.Item = "coupon-0302"
	fmt.Println(e.Validate())
	// Output:
	// qunops: claim event: item is empty
	// field: item
	// <nil>
}
