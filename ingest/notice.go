package ingest

import (
	"strings"

	"github.com/qunops/qunops"
)

// This file turns a parsed notice into events: every format's system rows
// come here, plain text or XML, so that one parser and one directory decide
// who joined, left or renamed the group.

// isNotice reports whether row m goes to the notice parser: a system row,
// or a recall row that WeChat wrote itself (no sender) or that holds a
// <sysmsg> element. WeChat's PC database files some notices under the
// recall type 10002 (the account's removals and invitations as
// delchatroommember or sysmsgtemplate XML: wechaty/puppet-padlocal
// src/padlocal/events/event-room-leave.ts at
// fe1c768e4955f5845e04e1bf484aa18c0b5cfbd4), and PyWxDump names several
// type-10000 subtypes "消息撤回N".
func isNotice(m *row) bool {
	return m.kind == qunops.KindSystem ||
		m.kind == qunops.KindRecall && (m.sender == "" || isSysmsgXML(m.text))
}

// system turns a type-10000 row into events. Text it does not understand
// gives none, and is counted in the Summary with its reason.
func (r *Reader) system(m *row) error {
	group := m.group // not m: the closure would move every row to the heap
	known := func(name string) bool {
		_, ok := r.opts.Members[name]
		return ok || len(r.dir.Lookup(group, name)) > 0
	}
	var s sysMsg
	var ok bool
	if isSysmsgXML(m.text) {
		s, ok = parseSysmsgXML(m.text, known)
	} else {
		s, ok = parsePlain(m.text, plainNames{wxids: m.wxids, known: known})
	}
	if r.collecting || r.dirLive {
		// A notice that names members by wxid ties their names to them.
		if ok {
			r.dir.observe(m.group, s.actor.id, s.actor.name, false)
			for _, ps := range [...][]person{s.subjects, s.others} {
				for _, p := range ps {
					r.dir.observe(m.group, p.id, p.name, false)
				}
			}
		}
		if r.collecting {
			return nil
		}
	}
	if !ok {
		if otherNotice(m.text) {
			r.note(ReasonSystemNotice, m.line, "")
		} else {
			r.note(ReasonSystemUnknown, m.line, m.text)
		}
		r.noted = true
		return nil
	}
	actor := ""
	if s.hasActor {
		actor = r.resolve(s.actor, m)
	}
	if s.op == opGroupRename {
		// The renamer is the event's Member: a title event's subject is
		// who renamed the group (see qunops.Title).
		if err := r.add(m, qunops.Event{Type: qunops.Title, Group: m.group, Member: actor, Time: m.t, Text: s.name, ID: m.id}); err != nil {
			return err
		}
		r.stats.GroupRenames++
		return nil
	}
	var es []qunops.Event
	typ := qunops.Join
	if s.op == opLeave {
		typ = qunops.Leave
	}
	for _, p := range s.subjects {
		e := qunops.Event{Type: typ, Group: m.group, Member: r.resolve(p, m), Time: m.t, Actor: actor, ID: m.id}
		if typ == qunops.Join {
			e.Kind = s.channel
			if !p.self {
				e.Text = p.name
			}
		}
		es = append(es, e)
	}
	for _, p := range s.others {
		es = append(es, qunops.Event{Type: qunops.Roster, Group: m.group, Member: r.resolve(p, m), Time: m.t, ID: m.id})
	}
	return r.add(m, es...)
}

// otherNotice reports whether a system row not understood as a membership
// change is one of WeChat's notices known to change none: pats, recalls and
// the XML forms of both.
func otherNotice(text string) bool {
	for _, s := range [...]string{"拍了拍", "撤回了一条消息", "recalled a message", " patted ", " tickled ",
		`type="pat"`, `type="revokemsg"`, `type="roomtoolstips"`} {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// resolve maps a person named in a notice of row m to a member id: the
// account's id for "你", the wxid the notice carried, or the display name
// looked up in Options.Members, then in the export's directory; a name
// neither knows, or that several members carried, becomes NamePrefix +
// name and is counted.
func (r *Reader) resolve(p person, m *row) string {
	switch {
	case p.self:
		return r.selfID(m)
	case p.id != "":
		return p.id
	}
	if id, ok := r.opts.Members[p.name]; ok && id != "" {
		return id
	}
	switch ids := r.dir.Lookup(m.group, p.name); len(ids) {
	case 0:
		r.note(ReasonNameUnresolved, m.line, p.name)
	case 1:
		return ids[0]
	default:
		r.note(ReasonNameAmbiguous, m.line, p.name+" ("+strings.Join(ids, ", ")+")")
	}
	return NamePrefix + p.name
}

// selfID returns the exporting account's id: Options.Self, else the id its
// own rows carry in the export, else DefaultSelf (counted).
func (r *Reader) selfID(m *row) string {
	if r.opts.Self != "" {
		return r.opts.Self
	}
	if id, ok := r.dir.Self(); ok {
		return id
	}
	r.note(ReasonSelfUnknown, m.line, "")
	return DefaultSelf
}
