package qunops

// Message kinds, the values of Event.Kind. They are untyped string
// constants, because Kind is a plain string: an importer may meet a kind this
// list lacks and keeps it as "other". Only a Message event carries a kind; an
// empty Kind on a message means text.
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
