package ingest

import (
	"strings"
	"unicode/utf8"
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
	self bool   // "你": the exporting account
}

// sysMsg is what a system message says.
type sysMsg struct {
	op       sysOp
	hasActor bool
	actor    person
	subjects []person // joiners or leavers
	others   []person // members named as already in the group (roster)
	name     string   // the new group name
}

// maxSystemLen bounds the text the pattern matcher looks at (the longest real
// messages, invitations of dozens of members, are a few KiB).
const maxSystemLen = 8 << 10

// A pattern is a template of literals and captures. In literals, '"' matches
// any of " “ ”, since WeChat quotes names with ASCII quotes and group names
// with Chinese ones. Captures: A the actor, B the subjects (a list joined by
// 、), X the new group name, R the rest of the text (may be empty).
type pattern struct {
	pieces      []piece
	op          sysOp
	selfActor   bool // the actor is "你"
	selfSubject bool // "你" is a subject
}

type piece struct {
	lit  string
	slot byte // 0 for a literal, else 'A', 'B', 'X' or 'R'
}

func compile(tmpl string, op sysOp, selfActor, selfSubject bool) pattern {
	p := pattern{op: op, selfActor: selfActor, selfSubject: selfSubject}
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
// never modified.
var patterns = [...]pattern{
	compile(`"{A}"邀请你和"{B}"加入了群聊{R}`, opJoin, false, true),
	compile(`"{A}"邀请你加入了群聊{R}`, opJoin, false, true),
	compile(`"{A}"邀请"{B}"加入了群聊{R}`, opJoin, false, false),
	compile(`你邀请"{B}"加入了群聊{R}`, opJoin, true, false),
	compile(`你通过扫描"{A}"分享的二维码加入群聊{R}`, opJoin, false, true),
	compile(`"{B}"通过扫描"{A}"分享的二维码加入群聊{R}`, opJoin, false, false),
	compile(`你将"{B}"移出了群聊{R}`, opLeave, true, false),
	compile(`"{A}"将"{B}"移出了群聊{R}`, opLeave, false, false),
	compile(`你被"{A}"移出群聊{R}`, opLeave, false, true),
	compile(`你修改群名为"{X}"`, opGroupRename, true, false),
	compile(`"{A}"修改群名为"{X}"`, opGroupRename, false, false),
}

// parseSystem reads a system message. wxids says that names may end in
// chatlog's "(wxid)" suffix. It reports false for text it does not
// understand.
func parseSystem(text string, wxids bool) (sysMsg, bool) {
	text = strings.TrimSpace(text)
	if len(text) > maxSystemLen || !strings.Contains(text, "群") {
		return sysMsg{}, false
	}
	var caps captures
	for i := range patterns {
		p := &patterns[i]
		caps = captures{}
		if !match(p.pieces, text, &caps) {
			continue
		}
		s := sysMsg{op: p.op}
		switch {
		case p.selfActor:
			s.hasActor, s.actor = true, person{self: true}
		case caps.a != "":
			s.hasActor, s.actor = true, parsePerson(caps.a, wxids)
			if s.actor.id == "" && s.actor.name == "" {
				return sysMsg{}, false
			}
		}
		if p.selfSubject {
			s.subjects = append(s.subjects, person{self: true})
		}
		if caps.b != "" {
			s.subjects = appendNames(s.subjects, caps.b, wxids)
		}
		if p.op == opGroupRename {
			s.name = strings.TrimSpace(caps.x)
			if s.name == "" {
				return sysMsg{}, false
			}
			return s, true
		}
		if p.op == opJoin && p.selfSubject {
			s.others = parseParticipants(caps.r, wxids)
		}
		if len(s.subjects) == 0 {
			return sysMsg{}, false
		}
		return s, true
	}
	return sysMsg{}, false
}

type captures struct{ a, b, x, r string }

func (c *captures) set(slot byte, v string) {
	switch slot {
	case 'A':
		c.a = v
	case 'B':
		c.b = v
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
// " “ ”, and how many bytes of s it covers.
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
		w := utf8.RuneLen(c)
		if len(s)-n < w || s[n:n+w] != string(c) {
			return 0, false
		}
		n += w
	}
	return n, true
}

// parseParticipants reads the tail "，群聊参与人还有：B、C" of an invitation
// of the exporting account.
func parseParticipants(rest string, wxids bool) []person {
	rest = strings.TrimSpace(rest)
	for _, comma := range [...]string{"，", ","} {
		if r, ok := strings.CutPrefix(rest, comma); ok {
			rest = r
			break
		}
	}
	r, ok := strings.CutPrefix(rest, "群聊参与人还有")
	if !ok {
		return nil
	}
	for _, colon := range [...]string{"：", ":"} {
		if r2, ok := strings.CutPrefix(r, colon); ok {
			return appendNames(nil, r2, wxids)
		}
	}
	return nil
}

// appendNames splits a list of names joined by 、. With wxids, a name may
// itself contain 、: pieces are joined until one ends in a "(wxid)" suffix.
func appendNames(out []person, list string, wxids bool) []person {
	cur := ""
	for part := range strings.SplitSeq(list, "、") {
		if cur != "" {
			cur += "、"
		}
		cur += part
		if wxids {
			if _, _, ok := splitWxid(cur); !ok {
				continue
			}
		}
		if p := parsePerson(cur, wxids); p.id != "" || p.name != "" {
			out = append(out, p)
		}
		cur = ""
	}
	if cur != "" {
		if p := parsePerson(cur, wxids); p.id != "" || p.name != "" {
			out = append(out, p)
		}
	}
	return out
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
