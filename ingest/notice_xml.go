package ingest

import (
	"encoding/xml"
	"strings"
)

// This file reads the XML form of WeChat's group notices, which exporters
// that keep the database's raw content write as is (WeChatMsg v1, PyWxDump):
//
//   - <sysmsg type="sysmsgtemplate">: a template such as
//     "$username$"邀请"$names$"加入了群聊 whose $link$ placeholders name
//     entries of a link list, each a member list of (username, nickname);
//     WeChat uses it for invitations, the account's own invitations ("你邀请
//     … $revoke$"), QR-code joins and renames;
//   - <sysmsg type="delchatroommember">: a plain text (你将"X"移出了群聊,
//     "X"通过扫描你分享的二维码加入群聊) with the wxids of the members it
//     names in link/memberlist/username.
//
// The element names are those chatlog decodes (sjzar/chatlog
// internal/model/mediamessage.go, types SysMsg, DelChatRoomMember, QRLink,
// SysMsgTemplate, at a638aa9c20350cb8f55910584583e4c8112ca3b9) and the
// PadLocal puppet reads (wechaty/puppet-padlocal
// src/padlocal/messages/sysmsg/message-sysmsgtemplate.ts at
// fe1c768e4955f5845e04e1bf484aa18c0b5cfbd4).

type sysmsgXML struct {
	Type     string `xml:"type,attr"`
	Template struct {
		Template string    `xml:"template"`
		Links    []linkXML `xml:"link_list>link"`
	} `xml:"sysmsgtemplate>content_template"`
	Del struct {
		Plain     string   `xml:"plain"`
		Text      string   `xml:"text"`
		Usernames []string `xml:"link>memberlist>username"`
	} `xml:"delchatroommember"`
}

type linkXML struct {
	Name    string `xml:"name,attr"`
	Type    string `xml:"type,attr"`
	Members []struct {
		Username string `xml:"username"`
		Nickname string `xml:"nickname"`
	} `xml:"memberlist>member"`
	Title string `xml:"title"`
	Plain string `xml:"plain"`
}

// isSysmsgXML reports whether a system row's content is a <sysmsg> element.
func isSysmsgXML(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), "<sysmsg")
}

// parseSysmsgXML reads a <sysmsg> notice. known is as for [splitNames]. It
// reports false for XML it cannot decode and for notices that say anything
// else (pats, recalls, tips).
func parseSysmsgXML(text string, known func(string) bool) (sysMsg, bool) {
	if len(text) > 4*maxSystemLen {
		return sysMsg{}, false
	}
	var x sysmsgXML
	if err := xml.Unmarshal([]byte(strings.TrimSpace(text)), &x); err != nil {
		return sysMsg{}, false
	}
	switch x.Type {
	case "sysmsgtemplate":
		links := make(map[string]*linkXML, len(x.Template.Links))
		for i := range x.Template.Links {
			links[x.Template.Links[i].Name] = &x.Template.Links[i]
		}
		return parsePlain(x.Template.Template, linkNames{links: links, known: known})
	case "delchatroommember":
		plain := x.Del.Plain
		if strings.TrimSpace(plain) == "" {
			plain = x.Del.Text
		}
		s, ok := parsePlain(plain, plainNames{known: known})
		if !ok {
			return sysMsg{}, false
		}
		// The member list names the members the text names, in its order;
		// "你" is not in it.
		var named []int
		for i, p := range s.subjects {
			if !p.self {
				named = append(named, i)
			}
		}
		ids := x.Del.Usernames[:0:0]
		for _, u := range x.Del.Usernames {
			if u = strings.TrimSpace(u); u != "" {
				ids = append(ids, u)
			}
		}
		switch {
		case len(ids) == len(named):
			for k, i := range named {
				s.subjects[i].id = ids[k]
			}
		case len(ids) == 1 && len(named) > 1:
			// one member whose name the list split: the text named one
			var whole []person
			for _, p := range s.subjects {
				if p.self {
					whole = append(whole, p)
				}
			}
			name := strings.TrimSpace(listOf(plain, s))
			s.subjects = append(whole, person{id: ids[0], name: name})
		}
		return s, true
	}
	return sysMsg{}, false
}

// listOf returns the quoted list of a delchatroommember text whose names
// were read as s: the text between the first pair of quotes that holds the
// first subject's name.
func listOf(text string, s sysMsg) string {
	for _, p := range s.subjects {
		if p.self {
			continue
		}
		i := strings.Index(text, p.name)
		if i < 0 {
			break
		}
		start := strings.LastIndexAny(text[:i], "\"“”")
		end := strings.IndexAny(text[i:], "\"“”")
		if start < 0 || end < 0 {
			break
		}
		return text[start+1 : i+end]
	}
	return ""
}

// linkNames reads the captures of a template: a capture that is a $link$
// placeholder of a link_profile link stands for its members; any other is
// read as plain text.
type linkNames struct {
	links map[string]*linkXML
	known func(string) bool
}

func (n linkNames) link(s string, english bool) (*linkXML, bool) {
	s = strings.TrimSpace(s)
	if english {
		s = unquote(s)
	}
	if len(s) < 3 || s[0] != '$' || s[len(s)-1] != '$' || strings.Count(s, "$") != 2 {
		return nil, false
	}
	l, ok := n.links[s[1:len(s)-1]]
	return l, ok
}

func (n linkNames) list(out []person, s string, english bool) []person {
	l, ok := n.link(s, english)
	if !ok {
		return splitNames(out, s, english, false, n.known)
	}
	for _, m := range l.Members {
		p := person{id: strings.TrimSpace(m.Username), name: strings.TrimSpace(m.Nickname)}
		if p.name == "" {
			p.name = p.id
		}
		if p.name != "" {
			out = append(out, p)
		}
	}
	return out
}

func (n linkNames) one(s string, english bool) person {
	if ps := n.list(nil, s, english); len(ps) > 0 {
		return ps[0]
	}
	return person{}
}

func (n linkNames) groupName(s string, english bool) string {
	if l, ok := n.link(s, english); ok {
		for _, m := range l.Members {
			if name := strings.TrimSpace(m.Nickname); name != "" {
				return name
			}
		}
		if t := strings.TrimSpace(l.Title); t != "" {
			return t
		}
		return strings.TrimSpace(l.Plain)
	}
	return plainNames{}.groupName(s, english)
}
