package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qunops/qunops"
)

// readAll reads in to its end and returns the events, the row errors and the
// final error (nil at a clean end).
func readAll(t *testing.T, format, in string, opts Options) (events []qunops.Event, rowErrs []string, final error) {
	t.Helper()
	r, err := NewReader(format, strings.NewReader(in), opts)
	if err != nil {
		return nil, nil, err
	}
	return drain(r)
}

const chatLabHead = `{"chatlab":{"version":"0.0.2","exportedAt":1773014400,"generator":"WeFlow"},` +
	`"meta":{"name":"读书会","platform":"wechat","type":"group","groupId":"g@chatroom"},`

func TestChatLab(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		opts   Options
		events []string // "type member actor text" per event
		errs   []string // substrings of the row errors, in order
		final  string   // substring of the final error, "" for none
	}{
		{
			name: "text, and a quote keeps the reply",
			in: chatLabHead + `"members":[],"messages":[` +
				`{"sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":0,"content":"hi","platformMessageId":"11"},` +
				`{"sender":"wxid_b","accountName":"B","timestamp":1772409601,"type":25,"content":"同意[引用 A：hi]"}]}`,
			events: []string{"message wxid_a  hi", "message wxid_b  同意"},
		},
		{
			name: "members resolve the names of a notice",
			in: chatLabHead + `"members":[{"platformId":"wxid_a","accountName":"A"},{"platformId":"wxid_b","accountName":"Bob"}],"messages":[` +
				`{"sender":"","accountName":"me","timestamp":1772409600,"type":80,"content":"\"A\"邀请\"Bob\"加入了群聊"}]}`,
			events: []string{"join wxid_b wxid_a Bob"},
		},
		{
			name: "ownerId is the account when Self is not given",
			in: `{"chatlab":{"version":"0.0.2"},"meta":{"name":"g","platform":"wechat","type":"group","groupId":"g@chatroom","ownerId":"wxid_me"},` +
				`"messages":[{"sender":"","accountName":"","timestamp":1772409600,"type":80,"content":"你邀请\"新人\"加入了群聊"}]}`,
			events: []string{"join name:新人 wxid_me 新人"},
		},
		{
			name:  "a private chat gives no event",
			in:    `{"chatlab":{"version":"0.0.2"},"meta":{"name":"p","platform":"wechat","type":"private"},"messages":[{"sender":"x","accountName":"x","timestamp":1772409600,"type":0,"content":"hi"}]}`,
			final: "",
		},
		{
			name:   "another group is filtered out",
			in:     chatLabHead + `"messages":[{"sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":0,"content":"hi"}]}`,
			opts:   Options{Group: "other@chatroom"},
			events: nil,
		},
		{
			name: "a bad message is a row error and reading goes on",
			in: chatLabHead + `"messages":[` + "\n" +
				`{"sender":"wxid_a","accountName":"A","timestamp":"soon","type":0,"content":"x"},` + "\n" +
				`{"sender":"wxid_a","accountName":"A","timestamp":1772409600,"content":"no type"},` + "\n" +
				`{"sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":0,"content":"ok"}]}`,
			events: []string{"message wxid_a  ok"},
			errs:   []string{"line 2: message key timestamp", "line 3: message has no type"},
		},
		{
			name:  "an unknown version",
			in:    `{"chatlab":{"version":"1.0.0"},"meta":{},"messages":[]}`,
			final: `version "1.0.0": want 0.0.x`,
		},
		{
			name:  "a broken object",
			in:    chatLabHead + `"messages":[{"sender":`,
			final: "unexpected end of input",
		},
		{
			name:  "data after the object",
			in:    chatLabHead + `"messages":[]} {}`,
			final: "data after the object",
		},
		{
			name: "JSON Lines with a comment, a blank line and a bad line",
			in: `{"_type":"header","chatlab":{"version":"0.0.2"},"meta":{"name":"g","platform":"wechat","type":"group","groupId":"g@chatroom"}}` + "\n" +
				"# exported for the test\n\n" +
				`{"_type":"member","platformId":"wxid_b","accountName":"Bob"}` + "\n" +
				`{"_type":"message","sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":0,"content":"hi"` + "\n" +
				`{"_type":"reaction","sender":"wxid_a"}` + "\n" +
				`{"_type":"message","sender":"","accountName":"A","timestamp":1772409601,"type":80,"content":"\"A\"邀请\"Bob\"加入了群聊"}`,
			events: []string{"join wxid_b name:A Bob"},
			errs:   []string{"line 5: not a JSON object", `line 6: unknown _type "reaction"`},
		},
		{
			name:  "JSON Lines without the header first",
			in:    `{"_type":"message","sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":0,"content":"hi"}`,
			final: "want the header line first",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			events, errs, final := readAll(t, ChatLab, tc.in, tc.opts)
			var got []string
			for _, e := range events {
				got = append(got, strings.Join([]string{string(e.Type), e.Member, e.Actor, e.Text}, " "))
			}
			if strings.Join(got, "\n") != strings.Join(tc.events, "\n") {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.events, "\n"))
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("row errors %q, want %d", errs, len(tc.errs))
			}
			for i, want := range tc.errs {
				if !strings.Contains(errs[i], want) {
					t.Errorf("row error %q lacks %q", errs[i], want)
				}
			}
			switch {
			case tc.final == "" && final != nil:
				t.Errorf("final error %v", final)
			case tc.final != "" && (final == nil || !strings.Contains(final.Error(), tc.final)):
				t.Errorf("final error %v, want one containing %q", final, tc.final)
			}
		})
	}
}

func TestChatLabNoGroupID(t *testing.T) {
	in := `{"chatlab":{"version":"0.0.2"},"meta":{"name":"QQ群","platform":"qq","type":"group"},"messages":[{"sender":"1","accountName":"a","timestamp":1772409600,"type":0,"content":"hi"}]}`
	_, _, err := readAll(t, ChatLab, in, Options{})
	if !errors.Is(err, ErrNoGroup) || !strings.Contains(err.Error(), "QQ群") {
		t.Errorf("no groupId, no Options.Group: %v; want an error naming the chat and wrapping ErrNoGroup", err)
	}
	events, _, err := readAll(t, ChatLab, in, Options{Group: "qq-1"})
	if err != nil || len(events) != 1 || events[0].Group != "qq-1" {
		t.Errorf("with Options.Group: %v, %+v; want one event of group qq-1", err, events)
	}
}

// TestChatLabKinds maps every message type of the spec's table (v0.0.2,
// "消息类型对照表") to its kind.
func TestChatLabKinds(t *testing.T) {
	for typ, want := range map[int]string{
		0: qunops.KindText, 1: qunops.KindImage, 2: qunops.KindVoice, 3: qunops.KindVideo, 4: qunops.KindFile,
		5: qunops.KindSticker, 7: qunops.KindLink, 8: qunops.KindLocation, 20: qunops.KindRedPacket,
		21: qunops.KindTransfer, 22: qunops.KindPat, 23: qunops.KindCall, 24: qunops.KindApp, 25: qunops.KindQuote,
		26: qunops.KindForward, 27: qunops.KindCard, 81: qunops.KindRecall, 99: qunops.KindOther, 6: qunops.KindOther,
	} {
		in := chatLabHead + `"messages":[{"sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":` +
			strconv.Itoa(typ) + `,"content":"x"}]}`
		events, errs, err := readAll(t, ChatLab, in, Options{})
		if err != nil || len(errs) > 0 || len(events) != 1 {
			t.Fatalf("type %d: %v %v %v", typ, events, errs, err)
		}
		if events[0].Kind != want {
			t.Errorf("type %d: kind %q, want %q", typ, events[0].Kind, want)
		}
	}
}

// TestChatLabIDsWithoutPlatformID checks the ids of messages a writer left
// without platformMessageId: two in the same second from the same sender
// differ, and reading the file again gives the same ones.
func TestChatLabIDsWithoutPlatformID(t *testing.T) {
	in := chatLabHead + `"messages":[` +
		`{"sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":0,"content":"1"},` +
		`{"sender":"wxid_a","accountName":"A","timestamp":1772409600,"type":0,"content":"2"}]}`
	first, _, err := readAll(t, ChatLab, in, Options{})
	if err != nil || len(first) != 2 {
		t.Fatal(first, err)
	}
	if first[0].ID == first[1].ID || first[0].ID != "chatlab:g@chatroom:1772409600:wxid_a:1" {
		t.Errorf("ids %q and %q", first[0].ID, first[1].ID)
	}
	again, _, _ := readAll(t, ChatLab, in, Options{})
	if again[1].ID != first[1].ID {
		t.Errorf("second read gave %q, first %q", again[1].ID, first[1].ID)
	}
}

func FuzzChatLab(f *testing.F) {
	for _, name := range []string{"week.json", "week.jsonl"} {
		b, err := os.ReadFile(filepath.Join("testdata", "chatlab", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte(`{"_type":"header","meta":{"type":"group","groupId":"g"}}` + "\n#\n{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, ChatLab, data, Options{Group: "g@chatroom"})
	})
}

// TestNewFormatsSkipReasons checks that the rows the new readers pass over
// are counted under their reason in the Summary (issue 17: nothing silent).
func TestNewFormatsSkipReasons(t *testing.T) {
	for _, tc := range []struct {
		name, format, in string
		opts             Options
		reason           string
		n                int
	}{
		{"chatlab private chat", ChatLab, `{"chatlab":{"version":"0.0.2"},"meta":{"name":"p","platform":"wechat","type":"private"},"messages":[{"sender":"x","accountName":"x","timestamp":1772409600,"type":0,"content":"hi"}]}`,
			Options{}, ReasonPrivateChat, 1},
		{"chatlab other group", ChatLab, chatLabHead + `"messages":[{"sender":"x","accountName":"x","timestamp":1772409600,"type":0,"content":"hi"},{"sender":"x","accountName":"x","timestamp":1772409601,"type":0,"content":"hi"}]}`,
			Options{Group: "other@chatroom"}, ReasonOtherChat, 2},
		{"pywxdump-content private chat", PyWxDumpContent, "id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime\n" +
			`1,11,文本,0,wxid_b,wxid_b,"{""src"": """", ""msg"": ""hi""}",2026-03-02 08:00:00` + "\n", Options{}, ReasonPrivateChat, 1},
		{"pywxdump-json other group", PyWxDumpJSON, `[{"id":1,"MsgSvrID":"9","type_name":"文本","is_sender":0,"talker":"wxid_a","room_name":"g@chatroom","msg":"x","CreateTime":"2026-03-02 08:00:00"}]`,
			Options{Group: "other@chatroom"}, ReasonOtherChat, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(tc.format, strings.NewReader(tc.in), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, err := range r.All() {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := r.Summary().Count(tc.reason); got != tc.n {
				t.Errorf("%s counted %d times, want %d; summary:\n%s", tc.reason, got, tc.n, r.Summary())
			}
		})
	}
}
