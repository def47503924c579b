package ingest

import (
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// KindOf maps WeChat's message type code and subtype (the app type of type
// 49) to a kind: 1 text, 3 image, 34 voice, 42 card, 43 video, 47 sticker,
// 48 location, 49 by subtype (4 and 5 link, 6 file, 19 forward, 33 and 36
// mini program, 57 quote, 62 pat, 87 notice, 2000 transfer, 2001 red packet,
// others app), 50 call, 10000 system, 10002 recall, anything else other.
func KindOf(typ, subType int64) string {
	switch typ {
	case 1:
		return qunops.KindText
	case 3:
		return qunops.KindImage
	case 34:
		return qunops.KindVoice
	case 42:
		return qunops.KindCard
	case 43:
		return qunops.KindVideo
	case 47:
		return qunops.KindSticker
	case 48:
		return qunops.KindLocation
	case 49:
		switch subType {
		case 4, 5:
			return qunops.KindLink
		case 6:
			return qunops.KindFile
		case 19:
			return qunops.KindForward
		case 33, 36:
			return qunops.KindMiniProgram
		case 57:
			return qunops.KindQuote
		case 62:
			return qunops.KindPat
		case 87:
			return qunops.KindNotice
		case 2000:
			return qunops.KindTransfer
		case 2001:
			return qunops.KindRedPacket
		}
		return qunops.KindApp
	case 50:
		return qunops.KindCall
	case 10000:
		return qunops.KindSystem
	case 10002:
		return qunops.KindRecall
	}
	return qunops.KindOther
}

// pyWxDumpKinds maps PyWxDump's type names (its type_converter table, which
// names each (type, subtype) pair) to kinds. Names not listed are qunops.KindOther.
var pyWxDumpKinds = map[string]string{
	"文本":          qunops.KindText,
	"粘贴的文本":       qunops.KindText,
	"图片":          qunops.KindImage,
	"语音":          qunops.KindVoice,
	"推荐公众号":       qunops.KindCard, // type 42
	"视频":          qunops.KindVideo,
	"动画表情":        qunops.KindSticker,
	"用户上传的GIF表情":  qunops.KindSticker,
	"位置":          qunops.KindLocation,
	"位置共享":        qunops.KindLocation,
	"文件":          qunops.KindFile,
	"文件(猜)":       qunops.KindFile,
	"(分享)卡片式链接":   qunops.KindLink,
	"合并转发的聊天记录":   qunops.KindForward,
	"(分享)小程序":     qunops.KindMiniProgram,
	"引用回复":        qunops.KindQuote,
	"拍一拍":         qunops.KindPat,
	"群公告":         qunops.KindNotice,
	"转账":          qunops.KindTransfer,
	"红包":          qunops.KindRedPacket,
	"(分享)音乐":      qunops.KindApp,
	"游戏相关":        qunops.KindApp,
	"(分享)笔记":      qunops.KindApp,
	"(分享)收藏夹":     qunops.KindApp,
	"(分享)小说(猜)":   qunops.KindApp,
	"(分享)视频号名片":   qunops.KindApp,
	"(分享)视频号视频":   qunops.KindApp,
	"接龙":          qunops.KindApp,
	"视频号直播或直播回放":  qunops.KindApp,
	"视频号直播或直播回放等": qunops.KindApp,
	"赠送红包封面":      qunops.KindApp,
	"语音通话":        qunops.KindCall,
	"系统通知":        qunops.KindSystem,
	"邀请加群":        qunops.KindSystem,
}

// pyWxDumpKind maps a PyWxDump type name to a kind.
func pyWxDumpKind(name string) string {
	if k, ok := pyWxDumpKinds[name]; ok {
		return k
	}
	if strings.HasPrefix(name, "消息撤回") {
		return qunops.KindRecall
	}
	return qunops.KindOther
}

// chatlogCSVKind guesses the kind of a chatlog CSV row; see
// [chatlogCSVContent].
func chatlogCSVKind(content string) string {
	kind, _ := chatlogCSVContent(content)
	return kind
}

// chatlogCSVContent reads a chatlog CSV row, which has no type column: the
// kind comes from the placeholder chatlog writes for non-text content, and
// the text keeps only what a member wrote or titled: never a placeholder,
// the chatlog server's media URLs or paths, coordinates or amounts. The
// placeholders are chatlog's Message.PlainTextContent and
// RecordInfo.String (sjzar/chatlog internal/model/message.go and
// mediamessage.go at a638aa9c20350cb8f55910584583e4c8112ca3b9, v0.0.28):
//
//	![图片](http://host/image/…)  ![视频](http://host/video/…)  [语音](http://host/voice/…)
//	![动画表情](cdn url)  [动画表情]  [GIF表情]  [名片]  [位置|label|city|x|y]
//	[链接|title](url)  [文件|title](http://host/file/…)  [小程序|title](url)
//	[合并转发|title]\n  items…  [笔记|title]…  [群公告|title]…
//	> name(wxid) 01-02 15:04:05\n> quoted…\nreply  (or "> [引用]\nreply")
//	[转账|发送 ￥1.00](memo)  [红包]  [红包封面]  [视频号|title](url)  [视频号直播|title]
//	[音乐|title](url)  [分享]  [语音通话]  Type: 48 Content: <raw xml>
//
// A pat row carries WeChat's own sentence ("陈浩" 拍了拍 "我"). Text that a
// member typed to look like a placeholder is misread; there is no way to
// tell.
func chatlogCSVContent(content string) (kind, text string) {
	switch {
	case isPat(content):
		return qunops.KindPat, ""
	case strings.HasPrefix(content, "> "):
		if reply, ok := quoteReply(content); ok {
			return qunops.KindQuote, reply
		}
		return qunops.KindText, content
	case strings.HasPrefix(content, "[引用]"):
		return qunops.KindQuote, ""
	case !strings.HasPrefix(content, "[") && !strings.HasPrefix(content, "![") && !strings.HasPrefix(content, "Type: "):
		return qunops.KindText, content
	case strings.HasPrefix(content, "Type: "):
		// chatlog's fallback: "Type: %d Content: %s", the content raw
		rest := content[len("Type: "):]
		if i := strings.IndexByte(rest, ' '); i > 0 {
			if n, err := strconv.ParseInt(rest[:i], 10, 64); err == nil {
				return KindOf(n, 0), ""
			}
		}
		return qunops.KindOther, ""
	}
	tag, title, ok := placeholder(content)
	if !ok {
		return qunops.KindText, content
	}
	switch tag {
	case "图片":
		return qunops.KindImage, ""
	case "视频":
		return qunops.KindVideo, ""
	case "语音通话":
		return qunops.KindCall, ""
	case "语音":
		return qunops.KindVoice, ""
	case "名片":
		return qunops.KindCard, ""
	case "动画表情", "GIF表情":
		return qunops.KindSticker, ""
	case "位置":
		return qunops.KindLocation, ""
	case "链接", "分享":
		return qunops.KindLink, title
	case "文件":
		return qunops.KindFile, title
	case "合并转发", "聊天记录":
		return qunops.KindForward, title
	case "小程序":
		return qunops.KindMiniProgram, title
	case "群公告":
		return qunops.KindNotice, title
	case "转账":
		return qunops.KindTransfer, ""
	case "红包":
		return qunops.KindRedPacket, ""
	case "红包封面":
		return qunops.KindApp, ""
	case "视频号", "视频号直播", "音乐", "笔记":
		return qunops.KindApp, title
	}
	return qunops.KindText, content
}

// placeholder reads "[tag|title…](url)" or "![tag](url)": the tag, the title
// (the first "|" field; empty without one) and whether the tag is closed.
func placeholder(s string) (tag, title string, ok bool) {
	s = strings.TrimPrefix(s, "!")
	s = strings.TrimPrefix(s, "[")
	end := strings.IndexAny(s, "]\n")
	if end < 0 || s[end] != ']' {
		return "", "", false
	}
	tag, fields, _ := strings.Cut(s[:end], "|")
	title, _, _ = strings.Cut(fields, "|")
	if tag == "转账" || tag == "位置" {
		title = ""
	}
	return tag, strings.TrimSpace(title), true
}

// isPat reports whether a row is WeChat's pat sentence: "A" 拍了拍 "B" or
// 我拍了拍 "B", with an optional suffix the patted member set.
func isPat(s string) bool {
	i := strings.Index(s, "拍了拍")
	if i < 0 || strings.IndexByte(s, '\n') >= 0 {
		return false
	}
	head := strings.TrimSpace(s[:i])
	return head == "我" || head == "你" || len(head) >= 2 && head[0] == '"' && (strings.HasSuffix(head, `"`) || strings.HasSuffix(head, "”"))
}

// quoteReply reads chatlog's quote: lines "> name(sender) 01-02 15:04:05"
// and "> quoted text", then the reply. It reports false when the first line
// is not such a header, so that a member's own "> " text stays text.
func quoteReply(s string) (string, bool) {
	head, rest, found := strings.Cut(s, "\n")
	if !found {
		return "", false
	}
	if head != "> [引用]" && !quoteHeader(head) {
		return "", false
	}
	for {
		line, more, found := strings.Cut(rest, "\n")
		if !strings.HasPrefix(line, "> ") && line != ">" {
			return strings.TrimSpace(rest), true
		}
		if !found {
			return "", true
		}
		rest = more
	}
}

// quoteHeader reports whether line is "> name(sender) MM-DD hh:mm:ss", the
// header chatlog's Message.PlainText writes for the quoted message (its
// default time format "01-02 15:04:05").
func quoteHeader(line string) bool {
	const layout = "01-02 15:04:05"
	if len(line) < len("> ")+len(layout)+2 {
		return false
	}
	ts := line[len(line)-len(layout):]
	if _, err := time.Parse(layout, ts); err != nil {
		return false
	}
	return line[len(line)-len(layout)-1] == ' '
}

// mediaText is the text of a row whose content an exporter copied from the
// database as is: for a text message its text; for any other kind, never
// raw XML (a <msg> with aeskeys and CDN URLs), only the title the XML
// carries for kinds that have one (quote reply, link, file, forward, app).
// Exporters that render content themselves go through [ownText].
func mediaText(kind, content string) string {
	switch kind {
	case qunops.KindText, qunops.KindSystem, qunops.KindRecall:
		return content // notices go to the notice parser, XML included
	}
	switch kind {
	case qunops.KindImage, qunops.KindVideo, qunops.KindVoice, qunops.KindSticker, qunops.KindLocation,
		qunops.KindCard, qunops.KindCall, qunops.KindPat, qunops.KindTransfer, qunops.KindRedPacket:
		return "" // nothing a member wrote: a path, a CDN URL, an amount, WeChat's pat sentence
	}
	t := strings.TrimSpace(content)
	if !strings.HasPrefix(t, "<") {
		return content
	}
	switch kind {
	case qunops.KindQuote, qunops.KindLink, qunops.KindFile, qunops.KindForward, qunops.KindApp, qunops.KindMiniProgram, qunops.KindNotice:
		return xmlTitle(t)
	}
	return ""
}

// ownText returns what a member wrote in a message of the kind, given the
// exporter's text for it: all of it for text, the notice of a system message
// or recall (the notice parser reads it), the reply without the quoted
// message for a quote, and nothing for any other kind, whose text is the
// exporter's placeholder ("【图片】", "图片", a file path, a link card with its
// URL) and must reach neither the frequent terms nor the link rule.
//
// It serves the exporters that render content themselves (WeChatMsg v2,
// PyWxDump's JSON and content CSV, ChatLab); [mediaText] serves those that
// copy WeChat's raw content, whose XML carries a title worth keeping, and
// [chatlogCSVContent] chatlog's placeholders.
func ownText(kind, text string) string {
	switch kind {
	case qunops.KindText, qunops.KindSystem, qunops.KindRecall:
		return text
	case qunops.KindQuote:
		// PyWxDump: "reply\n\n[引用](time)name:quoted"; WeChatMsg v2:
		// "reply\n引用：name: quoted".
		for _, mark := range [...]string{"\n\n[引用](", "\n引用："} {
			if i := strings.Index(text, mark); i >= 0 {
				text = text[:i]
			}
		}
		// WeFlow (ChatLab): "reply[引用 name：quoted]".
		if i := strings.LastIndex(text, "[引用 "); i >= 0 && strings.HasSuffix(text, "]") {
			text = text[:i]
		}
		return strings.TrimSpace(text)
	}
	return ""
}

// xmlTitle returns the text of the first <title> element of an app
// message's XML, or "".
func xmlTitle(s string) string {
	i := strings.Index(s, "<title>")
	if i < 0 {
		return ""
	}
	s = s[i+len("<title>"):]
	j := strings.Index(s, "</title>")
	if j < 0 {
		return ""
	}
	s = strings.TrimSpace(s[:j])
	if c, ok := strings.CutPrefix(s, "<![CDATA["); ok {
		return strings.TrimSpace(strings.TrimSuffix(c, "]]>"))
	}
	return strings.TrimSpace(html.UnescapeString(s))
}
