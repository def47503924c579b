package ingest

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

func TestKindOf(t *testing.T) {
	// The codes are WeChat's, as issue 10 lists them (and as chatlog's
	// PlainTextContent and PyWxDump's type_converter name them).
	for _, tc := range []struct {
		typ, sub int64
		want     string
	}{
		{1, 0, qunops.KindText}, {3, 0, qunops.KindImage}, {34, 0, qunops.KindVoice}, {42, 0, qunops.KindCard}, {43, 0, qunops.KindVideo},
		{47, 0, qunops.KindSticker}, {48, 0, qunops.KindLocation}, {49, 4, qunops.KindLink}, {49, 5, qunops.KindLink}, {49, 6, qunops.KindFile},
		{49, 19, qunops.KindForward}, {49, 33, qunops.KindMiniProgram}, {49, 36, qunops.KindMiniProgram}, {49, 57, qunops.KindQuote},
		{49, 62, qunops.KindPat}, {49, 87, qunops.KindNotice}, {49, 2000, qunops.KindTransfer}, {49, 2001, qunops.KindRedPacket},
		{49, 51, qunops.KindApp}, {49, 0, qunops.KindApp}, {50, 0, qunops.KindCall}, {10000, 0, qunops.KindSystem}, {10002, 0, qunops.KindRecall},
		{37, 0, qunops.KindOther}, {-1, 0, qunops.KindOther},
	} {
		if got := KindOf(tc.typ, tc.sub); got != tc.want {
			t.Errorf("KindOf(%d, %d) = %q, want %q", tc.typ, tc.sub, got, tc.want)
		}
	}
}

func TestChatlogCSVKind(t *testing.T) {
	// Placeholders as chatlog's PlainTextContent writes them.
	for _, tc := range []struct{ content, want string }{
		{"你好", qunops.KindText},
		{"[微笑] 你好", qunops.KindText},
		{"![图片](http://h/image/abc)", qunops.KindImage},
		{"![视频](http://h/video/abc)", qunops.KindVideo},
		{"[语音](http://h/voice/1)", qunops.KindVoice},
		{"[语音]", qunops.KindVoice},
		{"[语音通话]", qunops.KindCall},
		{"[名片]", qunops.KindCard},
		{"[动画表情]", qunops.KindSticker},
		{"[GIF表情]", qunops.KindSticker},
		{"[分享|标题|描述](http://x)", qunops.KindLink},
		{"[链接|标题](http://x)", qunops.KindLink},
		{"[文件|a.pdf](http://h/file/1)", qunops.KindFile},
		{"[合并转发]", qunops.KindForward},
		{"[小程序|美团](http://x)", qunops.KindMiniProgram},
		{"> [引用]\n原文", qunops.KindQuote},
		{"[群公告]", qunops.KindNotice},
		{"[转账|发送 ￥1.00]", qunops.KindTransfer},
		{"[红包]", qunops.KindRedPacket},
		{"[红包封面]", qunops.KindApp},
		{"[视频号|x](y)", qunops.KindApp},
		{"Type: 48 Content: <msg/>", qunops.KindLocation},
		{"Type: x Content: y", qunops.KindOther},
	} {
		if got := chatlogCSVKind(tc.content); got != tc.want {
			t.Errorf("chatlogCSVKind(%q) = %q, want %q", tc.content, got, tc.want)
		}
	}
}

func TestPyWxDumpKind(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"文本", qunops.KindText}, {"图片", qunops.KindImage}, {"(分享)卡片式链接", qunops.KindLink}, {"引用回复", qunops.KindQuote},
		{"系统通知", qunops.KindSystem}, {"消息撤回5", qunops.KindRecall}, {"拍一拍", qunops.KindPat}, {"语音通话", qunops.KindCall},
		{"未知", qunops.KindOther}, {"添加好友", qunops.KindOther},
	} {
		if got := pyWxDumpKind(tc.name); got != tc.want {
			t.Errorf("pyWxDumpKind(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNewReaderErrors(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		name, format, input string
		opts                Options
		want                string
	}{
		{"unknown format", "whatsapp", "", Options{}, `ingest: unknown format "whatsapp" (want auto or one of chatlog, chatlog-csv, wechatmsg, wechatmsg-v2, pywxdump, pywxdump-content, pywxdump-json, chatlab)`},
		{"empty pywxdump", PyWxDump, "", Options{}, "ingest: pywxdump: empty input, want a header row"},
		{"wechatmsg needs a group", WeChatMsg, "", Options{Location: loc}, "ingest: wechatmsg has no group column: Options.Group must be set"},
		{"empty csv", WeChatMsg, "", Options{Group: "g"}, "ingest: wechatmsg: empty input, want a header row"},
		{"missing column", ChatlogCSV, "Time,Sender,Talker,Content\n", Options{Location: loc}, `ingest: chatlog-csv: header lacks column "SenderName" (header: Time,Sender,Talker,Content)`},
		{"pywxdump without ids", PyWxDump, "type_name,is_sender,talker,room_name,msg,CreateTime\n", Options{Location: loc}, "ingest: pywxdump: header lacks both id and MsgSvrID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(tc.format, strings.NewReader(tc.input), tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("NewReader error = %v, want %q", err, tc.want)
			}
		})
	}
}

// drain reads r to its end and returns the events, the error texts and the
// final error (nil at io.EOF).
func drain(r *Reader) (events []qunops.Event, rowErrs []string, final error) {
	for {
		e, err := r.Decode()
		if err == io.EOF {
			return events, rowErrs, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			rowErrs = append(rowErrs, err.Error())
			continue
		}
		if err != nil {
			return events, rowErrs, err
		}
		events = append(events, e)
	}
}

func TestChatlogJSONFinalErrors(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		events      int
		want        string
	}{
		{"not an array", `{"seq":1}`, 0, "ingest: chatlog: line 1: want a JSON array of messages, got {"},
		{"syntax error after a good element", "[\n" + `{"seq":1,"time":"2026-03-02T08:00:00+08:00","talker":"g@chatroom","sender":"a","type":1}` + ",\n{oops}\n]", 1, "ingest: chatlog: line 3: invalid character 'o' looking for beginning of object key string"},
		{"truncated", `[{"seq":1,"time":"2026-03-02T08:00:00+08:00","talker":"g@chatroom","sender":"a","type":1}`, 1, "ingest: chatlog: line 1: unexpected end of input"},
		{"data after the array", `[] []`, 0, "ingest: chatlog: line 1: data after the array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(Chatlog, strings.NewReader(tc.input), Options{})
			if err != nil {
				t.Fatal(err)
			}
			events, _, final := drain(r)
			if final == nil || final.Error() != tc.want {
				t.Errorf("final error = %v, want %q", final, tc.want)
			}
			if len(events) != tc.events {
				t.Errorf("got %d events before the error, want %d", len(events), tc.events)
			}
			// The error is final: Next keeps returning it.
			if _, err := r.Decode(); err != final {
				t.Errorf("second Next = %v, want the same final error", err)
			}
		})
	}
}

func TestChatlogJSONEmptyAndBOM(t *testing.T) {
	for _, in := range []string{"", "[]", "\uFEFF[]", " \n[ \n] \n"} {
		r, err := NewReader(Chatlog, strings.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		events, rowErrs, final := drain(r)
		if len(events) != 0 || len(rowErrs) != 0 || final != nil {
			t.Errorf("%q: got %v, %v, %v; want nothing", in, events, rowErrs, final)
		}
	}
}

// TestReadErrorIsFinal checks that an error of the underlying reader stops
// the import and is reported as such, not as a bad row.
func TestReadErrorIsFinal(t *testing.T) {
	boom := errors.New("disk on fire")
	head := "Time,SenderName,Sender,TalkerName,Talker,Content\n2026-03-02 08:00:00,A,a,G,g@chatroom,hi\n"
	r, err := NewReader(ChatlogCSV, io.MultiReader(strings.NewReader(head), iotest.ErrReader(boom)), Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	events, _, final := drain(r)
	if !errors.Is(final, boom) {
		t.Errorf("final = %v, want %v", final, boom)
	}
	if len(events) != 1 {
		t.Errorf("got %d events, want the 1 before the error", len(events))
	}
}

// TestImport checks the callback API: every good row reaches emit, the row
// errors are kept up to the limit and all counted.
func TestImport(t *testing.T) {
	in := "Time,SenderName,Sender,TalkerName,Talker,Content\n" +
		"2026-03-02 08:00:00,A,a,G,g@chatroom,one\n" +
		"bad,A,a,G,g@chatroom,x\n" +
		"bad,A,a,G,g@chatroom,y\n" +
		"2026-03-02 08:00:01,A,a,G,g@chatroom,two\n"
	var texts []string
	stats, rowErrs, err := Import(ChatlogCSV, strings.NewReader(in), Options{Location: time.UTC}, 1, func(e qunops.Event) error {
		texts = append(texts, e.Text)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"one", "two"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if len(rowErrs) != 1 || rowErrs[0].Error() != `ingest: line 3: time "bad" is not like 2006-01-02 15:04:05` {
		t.Errorf("row errors = %v", rowErrs)
	}
	want := Stats{Rows: 4, Events: 2, Errors: 2}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	stop := errors.New("stop")
	_, _, err = Import(ChatlogCSV, strings.NewReader(in), Options{Location: time.UTC}, 0, func(qunops.Event) error { return stop })
	if err != stop {
		t.Errorf("Import with a failing emit = %v, want %v", err, stop)
	}
}

// TestSelfAndMembers checks how the exporting account and name-only members
// are resolved.
func TestSelfAndMembers(t *testing.T) {
	in := "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n" +
		"1,11,文本,1,我,g@chatroom,hi,,2026-03-02 08:00:00\n" +
		`2,12,系统通知,0,未知,g@chatroom,"""A""邀请""B""加入了群聊",,2026-03-02 08:00:01` + "\n"
	for _, tc := range []struct {
		name string
		opts Options
		want []string // member, actor of each event
	}{
		{"defaults", Options{}, []string{"self", "", "name:B", "name:A"}},
		{"self and directory", Options{Self: "wxid_me", Members: map[string]string{"A": "wxid_a"}}, []string{"wxid_me", "", "name:B", "wxid_a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Location = time.UTC
			r, err := NewReader(PyWxDump, strings.NewReader(in), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			events, rowErrs, final := drain(r)
			if len(rowErrs) > 0 || final != nil {
				t.Fatal(rowErrs, final)
			}
			var got []string
			for _, e := range events {
				got = append(got, e.Member, e.Actor)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if name, ok := ByName("name:B"); !ok || name != "B" {
		t.Errorf(`ByName("name:B") = %q, %v`, name, ok)
	}
	if _, ok := ByName("wxid_b"); ok {
		t.Error(`ByName("wxid_b") = true`)
	}
}

// TestUnixTimes checks that Unix timestamps are shown in Options.Location,
// Asia/Shanghai (qunops.DefaultLocation) when it is nil, and that the instant
// does not change.
func TestUnixTimes(t *testing.T) {
	in := "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n" +
		"1,1,1,0,0,1772409600,2,hi,,,A,a\n"
	want := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai(t))
	for _, loc := range []*time.Location{nil, shanghai(t), time.UTC} {
		r, err := NewReader(WeChatMsg, strings.NewReader(in), Options{Group: "g", Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		e, err := r.Decode()
		if err != nil {
			t.Fatal(err)
		}
		if !e.Time.Equal(want) {
			t.Errorf("time = %v, want %v", e.Time, want)
		}
		wantLoc := loc
		if wantLoc == nil {
			wantLoc = qunops.DefaultLocation()
		}
		if e.Time.Location() != wantLoc {
			t.Errorf("location = %v, want %v", e.Time.Location(), wantLoc)
		}
	}
}

// TestNaiveTimesDefaultToShanghai checks the SDK's nil-location rule for
// the formats with naive times: a nil Location reads them as Chinese wall
// clock time, the same instant as an explicit Asia/Shanghai.
func TestNaiveTimesDefaultToShanghai(t *testing.T) {
	tests := []struct{ format, in string }{
		{ChatlogCSV, "Time,SenderName,Sender,TalkerName,Talker,Content\n2026-03-02 08:00:00,A,wxid_a,G,g@chatroom,hi\n"},
		{PyWxDump, "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n1,11,文本,0,wxid_a,g@chatroom,hi,,2026-03-02 08:00:00\n"},
	}
	want := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range tests {
		for _, loc := range []*time.Location{nil, shanghai(t)} {
			r, err := NewReader(tc.format, strings.NewReader(tc.in), Options{Location: loc})
			if err != nil {
				t.Fatalf("%s, location %v: %v", tc.format, loc, err)
			}
			e, err := r.Decode()
			if err != nil {
				t.Fatalf("%s, location %v: %v", tc.format, loc, err)
			}
			if !e.Time.Equal(want) {
				t.Errorf("%s, location %v: time %v, want %v", tc.format, loc, e.Time, want)
			}
		}
	}
}

func TestReaderAll(t *testing.T) {
	in := "Time,SenderName,Sender,TalkerName,Talker,Content\n" +
		"2026-03-02 08:00:00,A,wxid_a,G,g@chatroom,one\n" +
		"not a time,A,wxid_a,G,g@chatroom,bad\n" +
		"2026-03-02 08:01:00,B,wxid_b,G,g@chatroom,two\n"
	r, err := NewReader(ChatlogCSV, strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var lines []int
	for e, err := range r.All() {
		var re *RowError
		switch {
		case errors.As(err, &re):
			lines = append(lines, re.Line)
		case err != nil:
			t.Fatalf("final error %v", err)
		default:
			texts = append(texts, e.Text)
		}
	}
	if diff := cmp.Diff([]string{"one", "two"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{3}, lines); diff != "" {
		t.Errorf("bad rows (-want +got):\n%s", diff)
	}
	if s := r.Stats(); s.Events != 2 || s.Errors != 1 || s.Rows != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestFormats(t *testing.T) {
	got := Formats()
	if diff := cmp.Diff([]string{"chatlog", "chatlog-csv", "wechatmsg", "wechatmsg-v2", "pywxdump", "pywxdump-content", "pywxdump-json", "chatlab"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got[0] = "changed"
	if Formats()[0] != "chatlog" {
		t.Error("Formats shares its slice")
	}
}

// TestJSONReadErrorNamesFormatOnce: a read error before the first token
// (a dropped connection, a bad disk) is final and says which format failed,
// once.
func TestJSONReadErrorNamesFormatOnce(t *testing.T) {
	boom := errors.New("boom")
	for _, format := range []string{Chatlog, PyWxDumpJSON, ChatLab} {
		t.Run(format, func(t *testing.T) {
			r, err := NewReader(format, iotest.ErrReader(boom), Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Decode()
			if want := "ingest: " + format + ": boom"; err == nil || err.Error() != want || !errors.Is(err, boom) {
				t.Errorf("Decode = %v, want %q wrapping the read error", err, want)
			}
		})
	}
}
