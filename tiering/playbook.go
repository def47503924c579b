package tiering

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Op names an operation of the playbook, stable for bots and JSON: a
// lowercase word or hyphenated words ("wake-up"), as the constants spell
// them.
type Op string

// The operations of the playbook, by tier in the tier order (see Tiers).
const (
	Remove          Op = "remove"           // remove from the group at once (violator, F34)
	RecordID        Op = "record-id"        // record the ID so the member cannot rejoin (violator, F34)
	GrantAdmin      Op = "grant-admin"      // give admin rights (core, F31)
	ExclusivePerks  Op = "exclusive-perks"  // exclusive perks, e.g. a VIP column (core, F31, F35)
	FirstPick       Op = "first-pick"       // first pick of activities (active, F32)
	TargetedContent Op = "targeted-content" // push content that fits the member (active, F32)
	Welcome         Op = "welcome"          // welcome, point to the announcement (new, F5, F18)
	WakeUp          Op = "wake-up"          // a 1-on-1 wake-up message (lurker, F33)
	MoveToBackup    Op = "move-to-backup"   // move to a backup group (lurker, F33)
	InviteToTalk    Op = "invite-to-talk"   // invite to the week's interactive posts (casual, F20)
)

// ops is every Op, in the order of the constants.
var ops = []Op{Remove, RecordID, GrantAdmin, ExclusivePerks, FirstPick, TargetedContent, Welcome,
	WakeUp, MoveToBackup, InviteToTalk}

// String returns the operation's word.
func (o Op) String() string { return string(o) }

// MarshalText writes the operation's word; it fails for a value that is
// not one of the constants.
func (o Op) MarshalText() ([]byte, error) {
	if !slices.Contains(ops, o) {
		return nil, fmt.Errorf("tiering: cannot marshal unknown operation %q", string(o))
	}
	return []byte(o), nil
}

// UnmarshalText reads an operation's word. The error of an unknown word
// quotes it and lists the operations; on error o is unchanged.
func (o *Op) UnmarshalText(b []byte) error {
	if !slices.Contains(ops, Op(b)) {
		names := make([]string, len(ops))
		for i, op := range ops {
			names[i] = string(op)
		}
		return fmt.Errorf("tiering: %q is not an operation (%s)", b, strings.Join(names, ", "))
	}
	*o = Op(b)
	return nil
}

// Operation is one recommended step for members of a tier, as data a bot
// can act on.
type Operation struct {
	Op     Op     `json:"op"`
	Tier   Tier   `json:"tier"`
	Figure string `json:"figure"` // the seed figure it comes from, e.g. "F31"
	// Else marks an alternative to the operation before it, for when that
	// one fails or does not fit (a lurker who does not answer the wake-up
	// message is moved to a backup group).
	Else bool `json:"else,omitempty"`
	// Title says what to do, for an operator, in the chosen language.
	Title string `json:"title"`
	// Message is the text to send to the member (privately when Private),
	// in the chosen language, or empty when the operation sends nothing.
	// "{name}" stands for the member's display name.
	Message string `json:"message,omitempty"`
	Private bool   `json:"private,omitempty"`
}

// The languages of the playbook's texts. Chinese comes first: it is the
// seed's language and the fallback for any other.
var (
	playbookTags    = []language.Tag{language.SimplifiedChinese, language.English}
	playbookMatcher = language.NewMatcher(playbookTags)
)

type playText struct{ zh, en string }

type play struct {
	op             Op
	figure         string
	els, private   bool
	title, message playText
}

var plays = [numTiers][]play{
	Violator: {
		{op: Remove, figure: "F34",
			title: playText{"立即移出群聊", "Remove from the group at once"}},
		{op: RecordID, figure: "F34",
			title: playText{"记录 ID,防止再次入群", "Record the ID so that the member cannot rejoin"}},
	},
	Core: {
		{op: GrantAdmin, figure: "F31",
			title: playText{"赋予管理权限", "Grant admin rights"}},
		{op: ExclusivePerks, figure: "F31",
			title:   playText{"提供专属福利(如 VIP 专栏)", "Offer exclusive perks (e.g. a VIP column)"},
			message: playText{"{name},感谢你对本群的贡献!你已获得核心成员专属福利。", "{name}, thank you for all you give this group! You now have the core members' exclusive perks."},
			private: true},
	},
	Active: {
		{op: FirstPick, figure: "F32",
			title:   playText{"优先获得活动资格", "Give first pick of activities"},
			message: playText{"{name},新活动开放报名,你可以优先参加!", "{name}, a new activity is open and you get first pick!"},
			private: true},
		{op: TargetedContent, figure: "F32",
			title: playText{"定向推送内容", "Send content that fits the member"}},
	},
	New: {
		{op: Welcome, figure: "F18",
			title:   playText{"24 小时内欢迎并引导阅读群公告", "Welcome within 24 hours and point to the announcement"},
			message: playText{"欢迎{name}加入!请阅读群公告→修改昵称为【城市-昵称】", "Welcome, {name}! Please read the announcement and rename yourself to 【City-Nickname】."}},
	},
	Lurker: {
		{op: WakeUp, figure: "F33",
			title:   playText{"1 对 1 私聊唤醒", "Send a 1-on-1 wake-up message"},
			message: playText{"{name},好久不见!群里最近有新福利,来看看吧。", "{name}, we have missed you! There are new perks in the group, come and have a look."},
			private: true},
		{op: MoveToBackup, figure: "F33", els: true,
			title: playText{"移至备用群", "Move to a backup group"}},
	},
	Casual: {
		{op: InviteToTalk, figure: "F20",
			title:   playText{"邀请参与本周的互动话题", "Invite to this week's interactive posts"},
			message: playText{"{name},今晚 20:00 有互动话题,欢迎来聊聊!", "{name}, join tonight's discussion at 20:00!"}},
	},
}

// Playbook returns the recommended operations for members of tier t (seed
// F31-F34, and qunops's own for New and Casual), with texts in Chinese or
// English, whichever of the two best matches lang; any other language gets
// Chinese. It returns nil for a value that is not a tier. The caller owns
// the returned slice.
func Playbook(t Tier, lang language.Tag) []Operation {
	if !t.Valid() {
		return nil
	}
	_, i, _ := playbookMatcher.Match(lang)
	english := playbookTags[i] == language.English
	out := make([]Operation, len(plays[t]))
	for k, p := range plays[t] {
		op := Operation{Op: p.op, Tier: t, Figure: p.figure, Else: p.els, Private: p.private,
			Title: p.title.zh, Message: p.message.zh}
		if english {
			op.Title, op.Message = p.title.en, p.message.en
		}
		out[k] = op
	}
	return out
}
