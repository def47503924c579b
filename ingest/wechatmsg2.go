package ingest

import (
	"io"
	"strings"

	"github.com/qunops/qunops"
)

// This file reads the CSV export of WeChatMsg's WeChat 4.0 rewrite
// (exporter/exporter_csv.py, with wxManager/model/message.py for the type
// names and texts; see testdata/README.md for the commit read). Each row is
// [server_id, type_name(), display_name, str_time, to_text(), remark,
// nickname, 'more']: no wxid, no is_sender, no group column.

type weChatMsg2 struct{ *csvSource }

func newWeChatMsg2(in io.Reader) (*weChatMsg2, error) {
	s, err := newCSVSource(WeChatMsg2, in, []string{"消息ID", "类型", "发送人", "时间", "内容"})
	if err != nil {
		return nil, err
	}
	return &weChatMsg2{s}, nil
}

// weChatMsg2Kinds maps the type names of MessageType.name to kinds; a name
// not listed (未知类型, a later addition) is qunops.KindOther.
var weChatMsg2Kinds = map[string]string{
	"文本":        qunops.KindText,
	"图片":        qunops.KindImage,
	"视频":        qunops.KindVideo,
	"语音":        qunops.KindVoice,
	"表情包":       qunops.KindSticker,
	"音视频通话":     qunops.KindCall,
	"文件":        qunops.KindFile,
	"位置分享":      qunops.KindLocation,
	"分享链接":      qunops.KindLink,
	"红包":        qunops.KindRedPacket,
	"转账":        qunops.KindTransfer,
	"引用消息":      qunops.KindQuote,
	"合并转发的聊天记录": qunops.KindForward,
	"小程序":       qunops.KindMiniProgram,
	"视频号":       qunops.KindApp,
	"音乐分享":      qunops.KindApp,
	"收藏笔记":      qunops.KindApp,
	"个人/公众号名片":  qunops.KindCard,
	"企业微信名片":    qunops.KindCard,
	"系统消息":      qunops.KindSystem,
	"拍一拍":       qunops.KindPat,
}

func (w *weChatMsg2) row(r *Reader) error {
	if err := w.next(); err != nil {
		return err
	}
	t, err := parseNaive(w.get("时间"), r.opts.Location)
	if err != nil {
		return w.bad("%v", err)
	}
	content := w.get("内容")
	kind, ok := weChatMsg2Kinds[strings.TrimSpace(w.get("类型"))]
	switch {
	case !ok:
		kind = qunops.KindOther
	case kind == qunops.KindPat && strings.HasPrefix(content, "【笔记】"):
		// wechat_v4.py's FavNoteMessageFactory gives a shared note the type
		// of a pat; its text tells them apart.
		kind = qunops.KindApp
	}
	m := row{line: w.line, group: r.opts.Group, t: t, kind: kind, text: ownText(kind, content)}
	if id := strings.TrimSpace(w.get("消息ID")); id != "" && id != "0" {
		m.id = WeChatMsg2 + ":" + id
	}
	// The sender is known by the name the account sees (display_name: the
	// remark it gave, else the member's name), the name system messages use
	// too; the nickname column stands in when it is empty.
	m.name = strings.TrimSpace(w.get("发送人"))
	if m.name == "" {
		m.name = strings.TrimSpace(w.get("昵称"))
	}
	if kind != qunops.KindSystem && m.name != "" {
		m.sender = r.resolve(person{name: m.name}, &m)
	}
	return r.message(&m)
}
