package ingest

import (
	"strings"
	"unicode/utf8"

	"github.com/qunops/qunops"
)

// This file reads WeChat's type-10000 system messages for joins, leaves and
// group renames. WeChat writes them from templates such as
// "$username$"邀请"$names$"加入了群聊; chatlog fills each name as
// nickname(username), other exporters keep only the text WeChat showed.

type sysOp uint8

const (
	opJoin sysOp = iota
	opLeave
	opGroupRename
)

// person is someone named in a system message.
type person struct {
	id   string // wxid, when the message carried it
	name string // display name
	self bool   // "你" / "You": the exporting account
}

// sysMsg is what a system message says.
type sysMsg struct {
	op       sysOp
	hasActor bool
	actor    person
	subjects []person // joiners or leavers
	others   []person // members named as already in the group (roster)
	name     string   // the new group name
	channel  string   // a join's channel (qunops.JoinQR, ...); "" when the notice does not say
}

// maxSystemLen bounds the text the pattern matcher looks at (the longest real
// messages, invitations of dozens of members, are a few KiB).
const maxSystemLen = 8 << 10

// A pattern is a template of literals and captures. In literals, '"' matches
// any of " “ ”, since WeChat quotes names with ASCII quotes and group names
// with Chinese ones, and ASCII letters match either case (WeChat's English
// notices write both "QR Code" and "QR code"). Captures: A the actor, B the
// subjects (a list), O members already in the group (a list), X the new
// group name, R the rest of the text (may be empty).
type pattern struct {
	pieces      []piece
	op          sysOp
	selfActor   bool   // the actor is "你" / "You"
	selfSubject bool   // "你" / "you" is a subject
	english     bool   // lists are joined by ", " and " and ", names may lack quotes
	channel     string // a join's channel, a qunops.Join* constant; "" for leaves and renames
}

type piece struct {
	lit  string
	slot byte // 0 for a literal, else 'A', 'B', 'O', 'X' or 'R'
}

type patternFlag uint8

const (
	selfActor patternFlag = 1 << iota
	selfSubject
	english
)

func compile(tmpl string, op sysOp, flags patternFlag) pattern {
	p := pattern{op: op, selfActor: flags&selfActor != 0, selfSubject: flags&selfSubject != 0, english: flags&english != 0}
	if op == opJoin {
		p.channel = channelOf(tmpl)
	}
	for tmpl != "" {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			p.pieces = append(p.pieces, piece{lit: tmpl})
			break
		}
		if i > 0 {
			p.pieces = append(p.pieces, piece{lit: tmpl[:i]})
		}
		p.pieces = append(p.pieces, piece{slot: tmpl[i+1]})
		tmpl = tmpl[i+3:]
	}
	return p
}

// patterns lists the phrasings understood, most specific first. Built once;
// never modified. The Chinese ones are WeChat's templates as the clients show
// them; the English ones are those of a client set to English, as the wechaty
// PadLocal puppet matches them (wechaty/puppet-padlocal
// src/padlocal/events/event-room-join.ts, event-room-leave.ts and
// event-room-topic.ts at fe1c768e4955f5845e04e1bf484aa18c0b5cfbd4); the join
// by a member's invitation QR code ("…"通过"…"的邀请二维码加入群聊) is one of the
// sysmsgtemplate joins the xxxbot-pad GroupWelcome plugin reads
// (yxj1028530975/xxxbot-pad plugins/GroupWelcome/main.py at
// e2aba871fb00955c7081dbbaa224af8299010b7a). In the
// English ones names may come with or without quotes: the capture is
// unquoted afterwards.
var patterns = [...]pattern{
	compile(`"{A}"邀请你和"{B}"加入了群聊{R}`, opJoin, selfSubject),
	compile(`"{A}"邀请你加入了群聊{R}`, opJoin, selfSubject),
	compile(`"{A}"邀请"{B}"加入了群聊{R}`, opJoin, 0),
	compile(`你邀请"{B}"加入了群聊{R}`, opJoin, selfActor),
	compile(`你通过扫描"{A}"分享的二维码加入群聊{R}`, opJoin, selfSubject),
	compile(`"{B}"通过扫描你分享的二维码加入群聊{R}`, opJoin, selfActor),
	compile(`"{B}"通过扫描"{A}"分享的二维码加入群聊{R}`, opJoin, 0),
	compile(`"{B}"通过"{A}"的邀请二维码加入群聊{R}`, opJoin, 0),
	compile(`你将"{B}"移出了群聊{R}`, opLeave, selfActor),
	compile(`"{A}"将"{B}"移出了群聊{R}`, opLeave, 0),
	compile(`你被"{A}"移出群聊{R}`, opLeave, selfSubject),
	compile(`你修改群名为"{X}"`, opGroupRename, selfActor),
	compile(`"{A}"修改群名为"{X}"`, opGroupRename, 0),

	compile(`You invited {B} to the group chat{R}`, opJoin, selfActor|english),
	compile(`You invited {B} to a group chat{R}`, opJoin, selfActor|english),
	compile(`{A} invited you to a group chat with {O}`, opJoin, selfSubject|english),
	compile(`{A} invited you and {B} to the group chat{R}`, opJoin, selfSubject|english),
	compile(`{A} invited you and {B} to a group chat{R}`, opJoin, selfSubject|english),
	compile(`{A} invited you to the group chat{R}`, opJoin, selfSubject|english),
	compile(`{A} invited you to a group chat{R}`, opJoin, selfSubject|english),
	compile(`{A} invited {B} to the group chat{R}`, opJoin, english),
	compile(`{A} invited {B} to a group chat{R}`, opJoin, english),
	compile(`You joined the group chat via the QR code shared by {A}`, opJoin, selfSubject|english),
	compile(`{B} joined the group chat via the QR code you shared{R}`, opJoin, selfActor|english),
	compile(`{B} joined group chat via the QR code you shared{R}`, opJoin, selfActor|english),
	compile(`{B} joined the group chat via the QR code shared by {A}`, opJoin, english),
	compile(`{B} joined group chat via the QR code shared by {A}`, opJoin, english),
	compile(`You removed {B} from the group chat{R}`, opLeave, selfActor|english),
	compile(`You were removed from the group chat by {A}`, opLeave, selfSubject|english),
	compile(`{A} removed {B} from the group chat{R}`, opLeave, english),
	compile(`You changed the group name to {X}`, opGroupRename, selfActor|english),
	compile(`{A} changed the group name to {X}`, opGroupRename, english),
}

// channelOf returns the join channel a notice's wording names, from the
// pattern's template: scanning a member's invitation QR code ("的邀请二维码"),
// scanning a group QR code ("二维码", "QR code"), or an invitation from the
// chat ("邀请", "invited"). WeChat's notices say nothing else about a join:
// a poster, an article and a live code all show a group QR code, so they
// arrive as [qunops.JoinQR], told apart only by who shared the code (the
// event's Actor).
func channelOf(tmpl string) string {
	switch {
	case strings.Contains(tmpl, "的邀请二维码"):
		return qunops.JoinInviteQR
	case strings.Contains(tmpl, "二维码"), strings.Contains(strings.ToLower(tmpl), "qr code"):
		return qunops.JoinQR
	case strings.Contains(tmpl, "邀请"), strings.Contains(tmpl, "invited"):
		return qunops.JoinInvite
	}
	return ""
}

// noticeHint reports whether text may be one of the patterns: a cheap test
// before the matcher.
func noticeHint(text string) bool {
	return strings.Contains(text, "群") || strings.Contains(text, "group chat") ||
		strings.Contains(text, "group name") || strings.Contains(text, "Group Chat")
}

// names reads the captured lists of a notice. The plain-text reader splits
// a list into names ([splitNames]); the XML reader looks a "$link$"
// placeholder up in the message's link list.
type names interface {
	list(out []person, capture string, english bool) []person
	one(capture string, english bool) person
	groupName(capture string, english bool) string
}

// plainNames reads names from the text itself: with wxids, names may end in
// chatlog's "(wxid)" suffix; known reports whether a display name is one the
// export knows (nil: none), to keep a name that contains a separator whole.
type plainNames struct {
	wxids bool
	known func(string) bool
}

func (n plainNames) list(out []person, s string, english bool) []person {
	return splitNames(out, s, english, n.wxids, n.known)
}

func (n plainNames) one(s string, english bool) person {
	if english {
		s = unquote(s)
	}
	return parsePerson(s, n.wxids)
}

func (n plainNames) groupName(s string, english bool) string {
	s = strings.TrimSpace(s)
	if english {
		s = unquote(s)
	}
	return s
}

// parseSystem reads a system message of plain text. wxids says that names
// may end in chatlog's "(wxid)" suffix. It reports false for text it does not
// understand.
func parseSystem(text string, wxids bool) (sysMsg, bool) {
	return parsePlain(text, plainNames{wxids: wxids})
}

// parsePlain reads a notice of plain text with n reading its names.
func parsePlain[N names](text string, n N) (sysMsg, bool) {
	text = strings.TrimSpace(text)
	if len(text) > maxSystemLen || !noticeHint(text) {
		return sysMsg{}, false
	}
	var caps captures
	for i := range patterns {
		p := &patterns[i]
		caps = captures{}
		if !match(p.pieces, text, &caps) {
			continue
		}
		if s, ok := build(p, &caps, n); ok {
			return s, true
		}
	}
	return sysMsg{}, false
}

// build turns the captures of pattern p into a sysMsg.
func build[N names](p *pattern, caps *captures, n N) (sysMsg, bool) {
	s := sysMsg{op: p.op, channel: p.channel}
	switch {
	case p.selfActor:
		s.hasActor, s.actor = true, person{self: true}
	case caps.a != "":
		s.hasActor, s.actor = true, n.one(caps.a, p.english)
		if s.actor.id == "" && s.actor.name == "" && !s.actor.self {
			return sysMsg{}, false
		}
	}
	if p.selfSubject {
		s.subjects = append(s.subjects, person{self: true})
	}
	if caps.b != "" {
		s.subjects = n.list(s.subjects, caps.b, p.english)
	}
	if p.op == opGroupRename {
		s.name = n.groupName(caps.x, p.english)
		if s.name == "" {
			return sysMsg{}, false
		}
		return s, true
	}
	if caps.o != "" {
		s.others = n.list(nil, caps.o, p.english)
	}
	if p.op == opJoin && p.selfSubject && !p.english {
		if rest, ok := participants(caps.r); ok {
			s.others = n.list(nil, rest, false)
		}
	}
	if len(s.subjects) == 0 {
		return sysMsg{}, false
	}
	return s, true
}

type captures struct{ a, b, o, x, r string }

func (c *captures) set(slot byte, v string) {
	switch slot {
	case 'A':
		c.a = v
	case 'B':
		c.b = v
	case 'O':
		c.o = v
	case 'X':
		c.x = v
	case 'R':
		c.r = v
	}
}

// match reports whether s is ps exactly, filling caps. Captures are shortest
// first; every capture but R is non-empty.
func match(ps []piece, s string, caps *captures) bool {
	if len(ps) == 0 {
		return s == ""
	}
	p := ps[0]
	if p.slot == 0 {
		n, ok := litPrefix(s, p.lit)
		return ok && match(ps[1:], s[n:], caps)
	}
	if len(ps) == 1 {
		if s == "" && p.slot != 'R' {
			return false
		}
		caps.set(p.slot, s)
		return true
	}
	next := ps[1].lit // captures are always followed by a literal
	min := 1
	if p.slot == 'R' {
		min = 0
	}
	for i := min; i <= len(s); i++ {
		if i < len(s) && !utf8.RuneStart(s[i]) {
			continue
		}
		if _, ok := litPrefix(s[i:], next); !ok {
			continue
		}
		if match(ps[1:], s[i:], caps) {
			caps.set(p.slot, s[:i])
			return true
		}
	}
	return false
}

// litPrefix reports whether s starts with lit, '"' in lit matching any of
// " “ ” and ASCII letters matching either case, and how many bytes of s it
// covers.
func litPrefix(s, lit string) (int, bool) {
	n := 0
	for _, c := range lit {
		if c == '"' {
			switch {
			case strings.HasPrefix(s[n:], `"`):
				n++
			case strings.HasPrefix(s[n:], "“"), strings.HasPrefix(s[n:], "”"):
				n += len("“")
			default:
				return 0, false
			}
			continue
		}
		if c < utf8.RuneSelf {
			if n >= len(s) || lower(s[n]) != lower(byte(c)) {
				return 0, false
			}
			n++
			continue
		}
		w := utf8.RuneLen(c)
		if len(s)-n < w || s[n:n+w] != string(c) {
			return 0, false
		}
		n += w
	}
	return n, true
}

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// participants cuts the tail "，群聊参与人还有：B、C" of an invitation of
// the exporting account down to its list.
func participants(rest string) (string, bool) {
	rest = strings.TrimSpace(rest)
	for _, comma := range [...]string{"，", ","} {
		if r, ok := strings.CutPrefix(rest, comma); ok {
			rest = r
			break
		}
	}
	r, ok := strings.CutPrefix(rest, "群聊参与人还有")
	if !ok {
		return "", false
	}
	for _, colon := range [...]string{"：", ":"} {
		if r2, ok := strings.CutPrefix(r, colon); ok {
			return r2, true
		}
	}
	return "", false
}

// maxNameParts bounds how many separator-joined parts one name may span
// (ours: a nickname with seven 、 is already absurd); it keeps splitting
// linear in the length of the list.
const maxNameParts = 8

// splitNames appends the names of a list to out. WeChat joins names with 、
// (English clients: ", " and " and "), and names may contain or end in the
// separator themselves ("晨曦、"). So:
//   - when wxids is set and a name of the list ends in chatlog's "(wxid)"
//     suffix, parts are joined until one ends in a suffix, as chatlog
//     rendered the list from the message's member list;
//   - otherwise the list is cut where the most names come out known (known
//     reports a display name the export knows; nil knows none), then into
//     the most names; no name is empty or starts with a separator, so a name
//     that ends in 、 at the end of the list stays whole.
func splitNames(out []person, list string, english, wxids bool, known func(string) bool) []person {
	if wxids && listHasWxid(list, english) {
		start, from := 0, 0
		for {
			i, w := nextSep(list[from:], english)
			end := len(list)
			if i >= 0 {
				end = from + i
			}
			cur := list[start:end]
			if _, _, ok := splitWxid(cur); ok || i < 0 {
				if p := parsePerson(cur, true); p.id != "" || p.name != "" {
					out = append(out, p)
				}
				if i < 0 {
					return out
				}
				start = end + w
			}
			from = end + w
		}
	}
	// The parts between separators, as offsets into list: a name of parts
	// i..j is list[parts[i].start:parts[j].end].
	type span struct{ start, end int }
	var parts []span
	for from := 0; ; {
		i, w := nextSep(list[from:], english)
		if i < 0 {
			parts = append(parts, span{from, len(list)})
			break
		}
		parts = append(parts, span{from, from + i})
		from += i + w
	}
	// cut[i] is the best cut of parts[i:]: the most known names, then the
	// most names; next is where its first name ends.
	type best struct {
		known, names, next int
		valid              bool
	}
	n := len(parts)
	cut := make([]best, n+1)
	cut[n].valid = true
	for i := n - 1; i >= 0; i-- {
		if strings.TrimSpace(list[parts[i].start:parts[i].end]) == "" {
			continue // a name does not start with a separator
		}
		for j := i; j < n && j < i+maxNameParts; j++ {
			if !cut[j+1].valid {
				continue
			}
			c := best{known: cut[j+1].known, names: cut[j+1].names + 1, next: j + 1, valid: true}
			if known != nil && known(cleanName(list[parts[i].start:parts[j].end], english)) {
				c.known++
			}
			if b := cut[i]; !b.valid || c.known > b.known || c.known == b.known && c.names > b.names {
				cut[i] = c
			}
		}
	}
	if !cut[0].valid {
		if p := parsePerson(cleanName(list, english), wxids); p.name != "" {
			out = append(out, p)
		}
		return out
	}
	for i := 0; i < n; i = cut[i].next {
		name := list[parts[i].start:parts[cut[i].next-1].end]
		if p := parsePerson(cleanName(name, english), wxids); p.id != "" || p.name != "" {
			out = append(out, p)
		}
	}
	return out
}

// listHasWxid reports whether a name of the list ends in a "(wxid)" suffix.
func listHasWxid(list string, english bool) bool {
	for {
		i, w := nextSep(list, english)
		if i < 0 {
			_, _, ok := splitWxid(list)
			return ok
		}
		if _, _, ok := splitWxid(list[:i]); ok {
			return true
		}
		list = list[i+w:]
	}
}

// nextSep finds the first separator of a list: 、 (and in English lists
// ", " and " and "), returning its index and width, or -1.
func nextSep(s string, english bool) (int, int) {
	i, w := strings.Index(s, "、"), len("、")
	if !english {
		return i, w
	}
	for _, sep := range [...]string{", ", " and "} {
		if j := strings.Index(s, sep); j >= 0 && (i < 0 || j < i) {
			i, w = j, len(sep)
		}
	}
	return i, w
}

// cleanName trims a name of a list, and in English notices its quotes.
func cleanName(s string, english bool) string {
	s = strings.TrimSpace(s)
	if english {
		s = unquote(s)
	}
	return s
}

// unquote drops one pair of quotes around s (English notices quote some
// names and not others).
func unquote(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range [...][2]string{{`"`, `"`}, {"“", "”"}} {
		if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// parsePerson reads one name, "nickname(wxid)" when wxids is set.
func parsePerson(s string, wxids bool) person {
	s = strings.TrimSpace(s)
	if wxids {
		if name, id, ok := splitWxid(s); ok {
			if name == "" {
				name = id
			}
			return person{id: id, name: name}
		}
	}
	return person{name: s}
}

// splitWxid splits chatlog's "nickname(wxid)". A wxid is 1 to 64 ASCII
// letters, digits and _ - @ . (wxid_..., custom ids, ...@openim).
func splitWxid(s string) (name, id string, ok bool) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	i := strings.LastIndexByte(s, '(')
	if i < 0 {
		return "", "", false
	}
	id = s[i+1 : len(s)-1]
	if id == "" || len(id) > 64 {
		return "", "", false
	}
	for j := 0; j < len(id); j++ {
		c := id[j]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '@' || c == '.') {
			return "", "", false
		}
	}
	return strings.TrimSpace(s[:i]), id, true
}
