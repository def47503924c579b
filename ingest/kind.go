package ingest

import (
	"strconv"
	"strings"

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

// chatlogCSVKind guesses the kind of a chatlog CSV row, which has no type
// column, from the placeholder chatlog writes for non-text content
// ("![图片](...)", "[语音]", "[链接|title](url)"...). Text that a member typed
// to look like a placeholder is misread; there is no way to tell.
func chatlogCSVKind(content string) string {
	switch {
	case !strings.HasPrefix(content, "[") && !strings.HasPrefix(content, "![") &&
		!strings.HasPrefix(content, "> [引用]") && !strings.HasPrefix(content, "Type: "):
		return qunops.KindText
	case strings.HasPrefix(content, "![图片]"):
		return qunops.KindImage
	case strings.HasPrefix(content, "![视频]"):
		return qunops.KindVideo
	case strings.HasPrefix(content, "[语音通话]"):
		return qunops.KindCall
	case strings.HasPrefix(content, "[语音]"):
		return qunops.KindVoice
	case strings.HasPrefix(content, "[名片]"):
		return qunops.KindCard
	case strings.HasPrefix(content, "[动画表情]"), strings.HasPrefix(content, "[GIF表情]"):
		return qunops.KindSticker
	case strings.HasPrefix(content, "[位置"):
		return qunops.KindLocation
	case strings.HasPrefix(content, "[分享|"), strings.HasPrefix(content, "[链接|"):
		return qunops.KindLink
	case strings.HasPrefix(content, "[文件|"):
		return qunops.KindFile
	case strings.HasPrefix(content, "[合并转发]"), strings.HasPrefix(content, "[聊天记录"):
		return qunops.KindForward
	case strings.HasPrefix(content, "[小程序"):
		return qunops.KindMiniProgram
	case strings.HasPrefix(content, "> [引用]"), strings.HasPrefix(content, "[引用]"):
		return qunops.KindQuote
	case strings.HasPrefix(content, "[群公告]"):
		return qunops.KindNotice
	case strings.HasPrefix(content, "[转账|"):
		return qunops.KindTransfer
	case strings.HasPrefix(content, "[红包]"):
		return qunops.KindRedPacket
	case strings.HasPrefix(content, "[红包封面]"), strings.HasPrefix(content, "[视频号"), strings.HasPrefix(content, "[分享]"), strings.HasPrefix(content, "[音乐|"):
		return qunops.KindApp
	case strings.HasPrefix(content, "Type: "):
		// chatlog's fallback: "Type: %d Content: %s"
		rest := content[len("Type: "):]
		if i := strings.IndexByte(rest, ' '); i > 0 {
			if n, err := strconv.ParseInt(rest[:i], 10, 64); err == nil {
				return KindOf(n, 0)
			}
		}
		return qunops.KindOther
	}
	return qunops.KindText
}
