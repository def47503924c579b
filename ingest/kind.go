package ingest

import (
	"strconv"
	"strings"
)

// Message kinds, the values of [qunops.Event].Kind for message events.
const (
	KindText        = "text"
	KindImage       = "image"
	KindVoice       = "voice"
	KindCard        = "card" // a contact or official-account card
	KindVideo       = "video"
	KindSticker     = "sticker"
	KindLocation    = "location"
	KindLink        = "link"
	KindFile        = "file"
	KindForward     = "forward" // merged forward of a chat record
	KindMiniProgram = "miniprogram"
	KindQuote       = "quote" // a reply quoting a message
	KindPat         = "pat"   // 拍一拍
	KindNotice      = "notice"
	KindTransfer    = "transfer"
	KindRedPacket   = "redpacket"
	KindApp         = "app" // any other type-49 app message
	KindCall        = "call"
	KindSystem      = "system"
	KindRecall      = "recall"
	KindOther       = "other" // a type code not listed here
)

// KindOf maps WeChat's message type code and subtype (the app type of type
// 49) to a kind: 1 text, 3 image, 34 voice, 42 card, 43 video, 47 sticker,
// 48 location, 49 by subtype (4 and 5 link, 6 file, 19 forward, 33 and 36
// mini program, 57 quote, 62 pat, 87 notice, 2000 transfer, 2001 red packet,
// others app), 50 call, 10000 system, 10002 recall, anything else other.
func KindOf(typ, subType int64) string {
	switch typ {
	case 1:
		return KindText
	case 3:
		return KindImage
	case 34:
		return KindVoice
	case 42:
		return KindCard
	case 43:
		return KindVideo
	case 47:
		return KindSticker
	case 48:
		return KindLocation
	case 49:
		switch subType {
		case 4, 5:
			return KindLink
		case 6:
			return KindFile
		case 19:
			return KindForward
		case 33, 36:
			return KindMiniProgram
		case 57:
			return KindQuote
		case 62:
			return KindPat
		case 87:
			return KindNotice
		case 2000:
			return KindTransfer
		case 2001:
			return KindRedPacket
		}
		return KindApp
	case 50:
		return KindCall
	case 10000:
		return KindSystem
	case 10002:
		return KindRecall
	}
	return KindOther
}

// pyWxDumpKinds maps PyWxDump's type names (its type_converter table, which
// names each (type, subtype) pair) to kinds. Names not listed are KindOther.
var pyWxDumpKinds = map[string]string{
	"文本":          KindText,
	"粘贴的文本":       KindText,
	"图片":          KindImage,
	"语音":          KindVoice,
	"推荐公众号":       KindCard, // type 42
	"视频":          KindVideo,
	"动画表情":        KindSticker,
	"用户上传的GIF表情":  KindSticker,
	"位置":          KindLocation,
	"位置共享":        KindLocation,
	"文件":          KindFile,
	"文件(猜)":       KindFile,
	"(分享)卡片式链接":   KindLink,
	"合并转发的聊天记录":   KindForward,
	"(分享)小程序":     KindMiniProgram,
	"引用回复":        KindQuote,
	"拍一拍":         KindPat,
	"群公告":         KindNotice,
	"转账":          KindTransfer,
	"红包":          KindRedPacket,
	"(分享)音乐":      KindApp,
	"游戏相关":        KindApp,
	"(分享)笔记":      KindApp,
	"(分享)收藏夹":     KindApp,
	"(分享)小说(猜)":   KindApp,
	"(分享)视频号名片":   KindApp,
	"(分享)视频号视频":   KindApp,
	"接龙":          KindApp,
	"视频号直播或直播回放":  KindApp,
	"视频号直播或直播回放等": KindApp,
	"赠送红包封面":      KindApp,
	"语音通话":        KindCall,
	"系统通知":        KindSystem,
	"邀请加群":        KindSystem,
}

// pyWxDumpKind maps a PyWxDump type name to a kind.
func pyWxDumpKind(name string) string {
	if k, ok := pyWxDumpKinds[name]; ok {
		return k
	}
	if strings.HasPrefix(name, "消息撤回") {
		return KindRecall
	}
	return KindOther
}

// chatlogCSVKind guesses the kind of a chatlog CSV row, which has no type
// column, from the placeholder chatlog writes for non-text content
// ("![图片](...)", "[语音]", "[链接|title](url)"...). Text that a member typed
// to look like a placeholder is misread; there is no way to tell.
func chatlogCSVKind(content string) string {
	switch {
	case !strings.HasPrefix(content, "[") && !strings.HasPrefix(content, "![") &&
		!strings.HasPrefix(content, "> [引用]") && !strings.HasPrefix(content, "Type: "):
		return KindText
	case strings.HasPrefix(content, "![图片]"):
		return KindImage
	case strings.HasPrefix(content, "![视频]"):
		return KindVideo
	case strings.HasPrefix(content, "[语音通话]"):
		return KindCall
	case strings.HasPrefix(content, "[语音]"):
		return KindVoice
	case strings.HasPrefix(content, "[名片]"):
		return KindCard
	case strings.HasPrefix(content, "[动画表情]"), strings.HasPrefix(content, "[GIF表情]"):
		return KindSticker
	case strings.HasPrefix(content, "[位置"):
		return KindLocation
	case strings.HasPrefix(content, "[分享|"), strings.HasPrefix(content, "[链接|"):
		return KindLink
	case strings.HasPrefix(content, "[文件|"):
		return KindFile
	case strings.HasPrefix(content, "[合并转发]"), strings.HasPrefix(content, "[聊天记录"):
		return KindForward
	case strings.HasPrefix(content, "[小程序"):
		return KindMiniProgram
	case strings.HasPrefix(content, "> [引用]"), strings.HasPrefix(content, "[引用]"):
		return KindQuote
	case strings.HasPrefix(content, "[群公告]"):
		return KindNotice
	case strings.HasPrefix(content, "[转账|"):
		return KindTransfer
	case strings.HasPrefix(content, "[红包]"):
		return KindRedPacket
	case strings.HasPrefix(content, "[红包封面]"), strings.HasPrefix(content, "[视频号"), strings.HasPrefix(content, "[分享]"), strings.HasPrefix(content, "[音乐|"):
		return KindApp
	case strings.HasPrefix(content, "Type: "):
		// chatlog's fallback: "Type: %d Content: %s"
		rest := content[len("Type: "):]
		if i := strings.IndexByte(rest, ' '); i > 0 {
			if n, err := strconv.ParseInt(rest[:i], 10, 64); err == nil {
				return KindOf(n, 0)
			}
		}
		return KindOther
	}
	return KindText
}
