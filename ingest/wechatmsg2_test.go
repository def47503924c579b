package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qunops/qunops"
)

func TestWeChatMsg2Rows(t *testing.T) {
	head := "\uFEFF消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\r\n"
	in := head +
		"1,文本,林小雨,2026-03-02 09:00:00,早上好,林小雨,林小雨,more\r\n" +
		// wechat_v4.py's FavNoteMessageFactory files a shared note as a pat.
		"2,拍一拍,林小雨,2026-03-02 09:01:00,\"【笔记】\n读书笔记\n\",林小雨,林小雨,more\r\n" +
		"3,拍一拍,Kevin,2026-03-02 09:02:00,\"\"\"Kevin\"\" 拍了拍 \"\"林小雨\"\"\",Kevin,Kevin,more\r\n" +
		"4,引用消息,Kevin,2026-03-02 09:03:00,\"同意\n引用：林小雨: 早上好\",Kevin,Kevin,more\r\n" +
		"5,未知类型,Kevin,2026-03-02 09:04:00,\"99\n{}\",Kevin,Kevin,more\r\n" +
		"6,文本,Kevin,9:05,太晚了,Kevin,Kevin,more\r\n" +
		"7,文本,,2026-03-02 09:06:00,没有名字,,昵称小K,more\r\n"
	events, errs, err := readAll(t, WeChatMsg2, in, Options{Group: "g@chatroom"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.ID+" "+e.Member+" "+e.Kind+" "+e.Text)
	}
	want := []string{
		"wechatmsg-v2:1 name:林小雨 text 早上好",
		"wechatmsg-v2:2 name:林小雨 app ",
		"wechatmsg-v2:3 name:Kevin pat ",
		"wechatmsg-v2:4 name:Kevin quote 同意",
		"wechatmsg-v2:5 name:Kevin other ",
		// An empty display name: the nickname column stands in.
		"wechatmsg-v2:7 name:昵称小K text 没有名字",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(errs) != 1 || !strings.Contains(errs[0], `line 11: time "9:05"`) {
		t.Errorf("row errors %q, want line 11's time (rows 2, 4 and 5 span lines)", errs)
	}
}

func TestOwnText(t *testing.T) {
	for _, tc := range []struct{ name, kind, in, want string }{
		{"text stays", qunops.KindText, "见 http://x.example", "见 http://x.example"},
		{"a notice stays for the parser", qunops.KindSystem, `"A"邀请"B"加入了群聊`, `"A"邀请"B"加入了群聊`},
		{"PyWxDump quote", qunops.KindQuote, "好的\n\n[引用](2026-03-02 09:00:00)A:原文 http://x", "好的"},
		{"WeChatMsg v2 quote", qunops.KindQuote, "好的\n引用：A: 原文", "好的"},
		{"WeFlow quote", qunops.KindQuote, "好的[引用 A：原文]", "好的"},
		{"a quote of nothing but the quote", qunops.KindQuote, "[引用 A：原文]", ""},
		{"image placeholder", qunops.KindImage, "【图片】", ""},
		{"link card with its URL", qunops.KindLink, "标题\n描述\n\n<a href=\"http://ad.example\">点击查看详情</a>", ""},
		{"file path", qunops.KindFile, `FileStorage\File\2026-03\a.pdf`, ""},
		{"transfer", qunops.KindTransfer, "转账：￥200.00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ownText(tc.kind, tc.in); got != tc.want {
				t.Errorf("ownText(%s, %q) = %q, want %q", tc.kind, tc.in, got, tc.want)
			}
		})
	}
}

func FuzzWeChatMsg2(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "wechatmsg-v2", "week.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte("消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n1,系统消息,,2026-03-02 09:00:00,\"\"\"A\"\"邀请\"\"B、\"\"加入了群聊\",,,more\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, WeChatMsg2, data, Options{Group: "g@chatroom", Location: fuzzZone})
	})
}
