package qunops

// Message kinds, the values of Event.Kind on a Message. They are untyped
// string constants, because Kind is a plain string: an importer may meet a
// kind this list lacks and keeps it as "other". An empty Kind on a message
// means text. A Join carries a join channel instead (see [JoinQR]); no other
// event carries a kind.
const (
	KindText        = "text"
	KindImage       = "image"
	KindVoice       = "voice"
	KindVideo       = "video"
	KindSticker     = "sticker"
	KindLink        = "link"
	KindMiniProgram = "miniprogram"
	KindCard        = "card" // a contact or official-account card
	KindFile        = "file"
	KindLocation    = "location"
	KindForward     = "forward" // merged forward of a chat record
	KindQuote       = "quote"   // a reply quoting a message
	KindPat         = "pat"     // 拍一拍
	KindNotice      = "notice"  // a group notice (群公告)
	KindTransfer    = "transfer"
	KindRedPacket   = "redpacket"
	KindApp         = "app" // any other app message
	KindCall        = "call"
	KindSystem      = "system"
	KindRecall      = "recall"
	KindOther       = "other" // a kind not listed here
)

// MessageKinds returns every message kind constant, KindText first.
func MessageKinds() []string {
	return []string{KindText, KindImage, KindVoice, KindVideo, KindSticker, KindLink, KindMiniProgram,
		KindCard, KindFile, KindLocation, KindForward, KindQuote, KindPat, KindNotice, KindTransfer,
		KindRedPacket, KindApp, KindCall, KindSystem, KindRecall, KindOther}
}

// Join channels, the values of Event.Kind on a Join: how the member came in,
// as WeChat's notice of the join says it, so that the conversion of each
// channel (seed F14, F15) can be measured from real logs. Empty means the
// source did not say. The notice names who shared the code or invited, which
// is the event's Actor: a poster (F15), an official-account article (F14) and
// a live code all show a group QR code and arrive as JoinQR, and an operator
// tells them apart by the account that shared each code.
const (
	// JoinInvite: a member invited them from the chat:
	// "A"邀请"B"加入了群聊, "A invited B to the group chat".
	JoinInvite = "invite"
	// JoinQR: they scanned the group QR code A shared:
	// "B"通过扫描"A"分享的二维码加入群聊, "B joined the group chat via the QR
	// code shared by A".
	JoinQR = "qr"
	// JoinInviteQR: they scanned A's invitation QR code, the one a member
	// shares when scans of the group QR are closed (a group past 200
	// members, or one that needs approval): "B"通过"A"的邀请二维码加入群聊.
	JoinInviteQR = "invite-qr"
)

// JoinChannels returns every join channel constant, JoinInvite first.
func JoinChannels() []string { return []string{JoinInvite, JoinQR, JoinInviteQR} }
