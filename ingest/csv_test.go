package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// chatlogCSVRows writes n chatlog CSV rows as chatlog's route.go does
// (encoding/csv's Writer over Message.CSV), one message a minute.
func chatlogCSVRows(n int, content func(i int) string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"Time", "SenderName", "Sender", "TalkerName", "Talker", "Content"})
	for i := range n {
		w.Write([]string{fmt.Sprintf("2026-03-02 %02d:%02d:00", 8+i/60, i%60), "陈浩", "wxid_chenhao", "读书群", "1001@chatroom", content(i)})
	}
	w.Flush()
	return b.String()
}

// importAll imports a chatlog CSV and returns its events and row errors.
func importAll(t *testing.T, format, in string, opts Options) ([]qunops.Event, []*RowError, *Reader) {
	t.Helper()
	r, err := NewReader(format, strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	var es []qunops.Event
	var bad []*RowError
	for {
		e, err := r.Decode()
		if err == io.EOF {
			return es, bad, r
		}
		var re *RowError
		if errors.As(err, &re) {
			bad = append(bad, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
}

// TestUnclosedQuoteLosesOneRow is issue 17's case: 52 data rows, the
// second with a quote that never closes, gave one event and lost 50 rows
// without a word. Now the broken row is one RowError and the 50 after it
// are read.
func TestUnclosedQuoteLosesOneRow(t *testing.T) {
	in := chatlogCSVRows(52, func(i int) string { return fmt.Sprintf("消息 %d", i) })
	lines := strings.SplitAfter(in, "\n")
	// Row 2 (line 3) gets a quote opened and never closed, as a hand edit
	// or a truncated export leaves it.
	lines[2] = strings.Replace(lines[2], "消息 1", `"消息 1`, 1)
	in = strings.Join(lines, "")
	es, bad, r := importAll(t, ChatlogCSV, in, Options{})
	if len(es) != 51 {
		t.Errorf("%d events, want 51", len(es))
	}
	if len(bad) != 1 || bad[0].Line != 3 {
		t.Fatalf("row errors %v, want one on line 3", bad)
	}
	if got := r.Summary().Count(ReasonBadRow); got != 1 {
		t.Errorf("summary counts %d bad rows, want 1", got)
	} else if ex := r.Summary().Notes[0].Examples[0]; ex.Line != 3 || ex.Row != 2 {
		t.Errorf("bad row example at line %d, row %d; want line 3, row 2", ex.Line, ex.Row)
	}
	if s := r.Stats(); s.Rows != 52 || s.Errors != 1 {
		t.Errorf("stats %+v, want 52 rows and 1 error", s)
	}
}

// TestUnclosedQuoteAtTheEnd: the last row's quote never closes.
func TestUnclosedQuoteAtTheEnd(t *testing.T) {
	in := chatlogCSVRows(3, func(i int) string { return "ok" }) + `2026-03-02 09:00:00,陈浩,wxid_chenhao,读书群,1001@chatroom,"没有结尾` + "\n还有一行\n"
	es, bad, _ := importAll(t, ChatlogCSV, in, Options{})
	if len(es) != 3 || len(bad) != 1 || bad[0].Line != 5 {
		t.Fatalf("%d events, errors %v; want 3 events and one error on line 5", len(es), bad)
	}
}

// TestMultilineMessageIsNotARowStart: a quoted message whose lines look
// like CSV but not like a row of this export stays one message.
func TestMultilineMessageIsNotARowStart(t *testing.T) {
	text := "第一行\n1,2,3,4,5,6\n第三行"
	in := chatlogCSVRows(3, func(i int) string { return text })
	es, bad, _ := importAll(t, ChatlogCSV, in, Options{})
	if len(bad) != 0 || len(es) != 3 {
		t.Fatalf("%d events, errors %v; want 3 events", len(es), bad)
	}
	if es[1].Text != text {
		t.Errorf("text %q, want %q", es[1].Text, text)
	}
}

// TestLongFieldIsARowError: a field longer than qunops.MaxLineBytes would
// make an event that no JSON Lines line can hold; its row is an error and
// the rows after it are read.
func TestLongFieldIsARowError(t *testing.T) {
	for _, tc := range []struct {
		name string
		long string
	}{
		{"unquoted", strings.Repeat("长", qunops.MaxLineBytes/3+1)},
		{"quoted over lines", strings.Repeat("a,\n", qunops.MaxLineBytes/3+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := chatlogCSVRows(4, func(i int) string {
				if i == 1 {
					return tc.long
				}
				return "ok"
			})
			es, bad, _ := importAll(t, ChatlogCSV, in, Options{})
			if len(es) != 3 || len(bad) != 1 || bad[0].Line != 3 || !errors.Is(bad[0], errLong) {
				t.Fatalf("%d events, errors %v; want 3 events and the long row (line 3) an error", len(es), bad)
			}
		})
	}
}

// TestCSVSplitterAgreesWithEncodingCSV: on any records encoding/csv's
// Writer (chatlog's) writes, with commas, quotes, line breaks and CRLF line
// ends (Python's csv module writes \r\n), the records read are the records
// written.
func TestCSVSplitterAgreesWithEncodingCSV(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		width := rapid.IntRange(2, 5).Draw(t, "width")
		field := rapid.StringOfN(rapid.RuneFrom([]rune("ab 陈,\"\n\r、")), 0, 12, -1)
		// The first column is an id of digits, as WeChatMsg's localId and
		// PyWxDump's id are: a line inside a quoted field that is a whole
		// row of such an export (an id, then the header's number of
		// fields) would be read as the next row, which is the price of
		// recovering from a quote that never closes.
		recs := rapid.SliceOfN(rapid.SliceOfN(field, width, width), 1, 8).Draw(t, "records")
		for i := range recs {
			recs[i][0] = fmt.Sprint(rapid.IntRange(0, 1000).Draw(t, "id"))
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.UseCRLF = rapid.Bool().Draw(t, "crlf")
		header := make([]string, width)
		for i := range header {
			header[i] = fmt.Sprintf("c%d", i)
		}
		w.Write(header)
		w.WriteAll(recs)
		// encoding/csv reads \r\n inside quoted fields as \n and skips
		// empty lines; so does the splitter.
		want, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		s, err := newCSVSource("test", bytes.NewReader(b.Bytes()), nil)
		if err != nil {
			t.Fatal(err)
		}
		got := [][]string{header}
		for {
			err := s.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("record %d: %v\ninput %q", len(got), err, b.String())
			}
			got = append(got, append([]string(nil), s.rec...))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("records (-encoding/csv +splitter):\n%s\ninput %q", diff, b.String())
		}
	})
}

// TestChatlogCSVContent reads each placeholder chatlog's PlainTextContent
// writes (sjzar/chatlog internal/model/message.go and mediamessage.go at
// a638aa9c20350cb8f55910584583e4c8112ca3b9) as its kind, keeping only a
// member's words or a title as text (issue 17: quotes, stickers, forwards,
// notices and pats became text, and their URLs and paths reached the terms).
func TestChatlogCSVContent(t *testing.T) {
	for _, tc := range []struct{ content, kind, text string }{
		{"你好", qunops.KindText, "你好"},
		{"[微笑] 你好", qunops.KindText, "[微笑] 你好"},
		{"> 不是引用，是我打的", qunops.KindText, "> 不是引用，是我打的"},
		{"![图片](http://127.0.0.1:5030/image/9f2c,FileStorage/MsgAttach/a.dat)", qunops.KindImage, ""},
		{"![视频](http://127.0.0.1:5030/video/ab12)", qunops.KindVideo, ""},
		{"![动画表情](http://wxapp.tc.qq.com/262/20304/stodownload?m=e4d9)", qunops.KindSticker, ""},
		{"[动画表情]", qunops.KindSticker, ""},
		{"[语音](http://127.0.0.1:5030/voice/6583919284746010001)", qunops.KindVoice, ""},
		{"[位置|人民广场|上海市|31.23|121.47]", qunops.KindLocation, ""},
		{"[链接|三体读书笔记](https://mp.weixin.qq.com/s/abc)", qunops.KindLink, "三体读书笔记"},
		{"[文件|书单.xlsx](http://127.0.0.1:5030/file/5d41)", qunops.KindFile, "书单.xlsx"},
		{"[合并转发|群聊的聊天记录]\n  陈浩 2026-03-02 08:00:05\n  ![图片](http://127.0.0.1:5030/image/1)\n\n", qunops.KindForward, "群聊的聊天记录"},
		{"[合并转发]", qunops.KindForward, ""},
		{"[群公告|本周书单]\n  林小雨 2026-03-08 09:59:00\n  《三体》\n\n", qunops.KindNotice, "本周书单"},
		{"> 陈浩(wxid_chenhao) 03-02 08:00:05\n> ![图片](http://127.0.0.1:5030/image/1)\n辛苦了", qunops.KindQuote, "辛苦了"},
		{"> 陈浩(wxid_chenhao) 03-02 08:00:05\n> 第一行\n> 第二行\n收到\n明天见", qunops.KindQuote, "收到\n明天见"},
		{"> [引用]\n好的", qunops.KindQuote, "好的"},
		{`"钱多多" 拍了拍 "陈浩"`, qunops.KindPat, ""},
		{`我拍了拍 "陈浩" 的肩膀`, qunops.KindPat, ""},
		{"[转账|发送 ￥88.00](书费)", qunops.KindTransfer, ""},
		{"[红包]", qunops.KindRedPacket, ""},
		{"[小程序|美团](https://example.com/mp)", qunops.KindMiniProgram, "美团"},
		{"[视频号|三体预告](https://channels.weixin.qq.com/x)", qunops.KindApp, "三体预告"},
		{"[语音通话]", qunops.KindCall, ""},
		{"Type: 10002 Content: <sysmsg type=\"revokemsg\"><revokemsg>", qunops.KindRecall, ""},
	} {
		kind, text := chatlogCSVContent(tc.content)
		if kind != tc.kind || text != tc.text {
			t.Errorf("chatlogCSVContent(%q) = %q, %q; want %q, %q", tc.content, kind, text, tc.kind, tc.text)
		}
	}
}

// TestMediaTextDropsRawXML: exporters that copy the database's content
// (WeChatMsg v1, PyWxDump) give media rows their XML; it never becomes text
// (issue 17: terms "msg", "aeskey" and hex), but an app message keeps its
// title.
func TestMediaTextDropsRawXML(t *testing.T) {
	img := `<?xml version="1.0"?><msg><img aeskey="3b1f0e8c9a7d4e2f" cdnthumburl="3057020100044b" md5="9f2c1e0a" /></msg>`
	for _, tc := range []struct{ kind, content, want string }{
		{qunops.KindImage, img, ""},
		{qunops.KindSticker, `<msg><emoji cdnurl = "http://wxapp.tc.qq.com/x" /></msg>`, ""},
		{qunops.KindOther, `<msg><voipmsg type="VoIPBubbleMsg"/></msg>`, ""},
		{qunops.KindLink, `<msg><appmsg><title><![CDATA[三体读书笔记]]></title><url>https://x</url></appmsg></msg>`, "三体读书笔记"},
		{qunops.KindQuote, `<msg><appmsg><title>辛苦了 &amp; 谢谢</title><type>57</type></appmsg></msg>`, "辛苦了 & 谢谢"},
		{qunops.KindText, "<b>我打的</b>", "<b>我打的</b>"},
		{qunops.KindSystem, `<sysmsg type="sysmsgtemplate"/>`, `<sysmsg type="sysmsgtemplate"/>`},
	} {
		if got := mediaText(tc.kind, tc.content); got != tc.want {
			t.Errorf("mediaText(%s, %q) = %q, want %q", tc.kind, tc.content, got, tc.want)
		}
	}
}
