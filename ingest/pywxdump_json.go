package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// This file reads PyWxDump 3.1's JSON export and the users.json it writes
// beside it (pywxdump/api/export/exportJSON.py: json.dump of the message
// dicts of db/dbMSG.py's get_msg_detail, ensure_ascii=False, indent=4; see
// testdata/README.md for the commits read).

// Contact is one entry of a contact list an exporter writes beside the
// messages: an account's id and the names the exporting account sees.
type Contact struct {
	ID       string // wxid
	Nickname string // the name the member chose
	Remark   string // the name the exporting account gave the member, if any
}

// pyWxDumpUser holds the keys of a users.json entry that ingest uses; the
// others (account, describe, headImgUrl, ExtraBuf, LabelIDList) are skipped.
type pyWxDumpUser struct {
	Wxid     string `json:"wxid"`
	Nickname string `json:"nickname"`
	Remark   string `json:"remark"`
}

// ReadPyWxDumpUsers reads the users.json that PyWxDump writes beside its JSON
// and CSV exports: an object from wxid to {"wxid", "nickname", "remark", ...}
// (db/dbMicro.py's get_user_list). Pass the result as [Options].Contacts. It
// fails on input that is not such an object, naming the entry; contacts come
// in the file's order. Unknown keys are kept out silently: they are
// PyWxDump's, not ours to check.
func ReadPyWxDumpUsers(in io.Reader) ([]Contact, error) {
	lt := &lineTracker{r: in, line: 1}
	if err := lt.skipBOM(); err != nil {
		return nil, fmt.Errorf("ingest: users.json: %w", err)
	}
	dec := json.NewDecoder(lt)
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("ingest: users.json: line %d: %w", lt.lineAt(dec.InputOffset()), err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("ingest: users.json: want an object from wxid to user, got %v", tok)
	}
	var out []Contact
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("ingest: users.json: line %d: %w", lt.lineAt(dec.InputOffset()), err)
		}
		key, _ := tok.(string)
		var u pyWxDumpUser
		if err := dec.Decode(&u); err != nil {
			return nil, fmt.Errorf("ingest: users.json: %q: %w", key, err)
		}
		id := strings.TrimSpace(u.Wxid)
		if id == "" {
			id = strings.TrimSpace(key)
		}
		if id == "" {
			return nil, fmt.Errorf("ingest: users.json: line %d: an entry has no wxid", lt.lineAt(dec.InputOffset()))
		}
		out = append(out, Contact{ID: id, Nickname: strings.TrimSpace(u.Nickname), Remark: strings.TrimSpace(u.Remark)})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("ingest: users.json: line %d: %w", lt.lineAt(dec.InputOffset()), err)
	}
	return out, nil
}

// withContacts returns members extended by the names of contacts: each
// nickname and remark that names exactly one contact maps to its id, unless
// members already maps that name. A name shared by two contacts is left out:
// resolving it would pick one of them at random. members itself is not
// modified; without contacts it is returned as is.
func withContacts(members map[string]string, contacts []Contact) map[string]string {
	if len(contacts) == 0 {
		return members
	}
	byName := make(map[string]string, 2*len(contacts))
	shared := map[string]bool{}
	note := func(name, id string) {
		if name == "" || shared[name] {
			return
		}
		if prev, ok := byName[name]; ok && prev != id {
			delete(byName, name)
			shared[name] = true
			return
		}
		byName[name] = id
	}
	for _, c := range contacts {
		note(c.Nickname, c.ID)
		note(c.Remark, c.ID)
	}
	for name, id := range members {
		byName[name] = id
	}
	return byName
}

// pyWxDumpMessage holds the keys of a PyWxDump 3.1 message that ingest uses.
// src is a string, or for merged forwards the object of its record items;
// extra is an object: both are skipped.
type pyWxDumpMessage struct {
	ID         int64  `json:"id"`
	MsgSvrID   string `json:"MsgSvrID"`
	TypeName   string `json:"type_name"`
	IsSender   int64  `json:"is_sender"`
	Talker     string `json:"talker"`
	RoomName   string `json:"room_name"`
	Msg        string `json:"msg"`
	CreateTime string `json:"CreateTime"`
}

type pyWxDumpJSON struct {
	arr *jsonArray
	m   pyWxDumpMessage
}

func newPyWxDumpJSON(in io.Reader) *pyWxDumpJSON {
	return &pyWxDumpJSON{arr: newJSONArray(PyWxDumpJSON, in)}
}

func (p *pyWxDumpJSON) row(r *Reader) error {
	p.m = pyWxDumpMessage{}
	line, err := p.arr.next(&p.m)
	if err != nil {
		return err
	}
	m := &p.m
	room := strings.TrimSpace(m.RoomName)
	switch {
	case !strings.HasSuffix(room, "@chatroom"):
		return r.skip(ReasonPrivateChat, line)
	case !r.inGroup(room):
		return r.skip(ReasonOtherChat, line)
	}
	t, err := pyWxDumpTime(m.CreateTime, r.opts.Location)
	if err != nil {
		return &RowError{Line: line, Err: err}
	}
	kind := pyWxDumpKind(strings.TrimSpace(m.TypeName))
	row := row{line: line, group: room, t: t, kind: kind, text: ownText(kind, m.Msg)}
	row.id = pyWxDumpID(m.MsgSvrID, strconv.FormatInt(m.ID, 10))
	row.sender, row.self = pyWxDumpSender(m.IsSender == 1, m.Talker)
	return r.message(&row)
}

// pyWxDumpTime reads PyWxDump's CreateTime: a naive local time
// (timestamp2str) or, in some versions, Unix seconds.
func pyWxDumpTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if sec, ok := unixSeconds(s); ok {
		return unixIn(sec, loc), nil
	}
	return parseNaive(s, loc)
}

// pyWxDumpID is the event id of a PyWxDump row: "pywxdump:<MsgSvrID>", the
// same in every PyWxDump format so that re-importing a chat from another
// version dedupes, else "pywxdump:#<id>" (the row number of the export).
func pyWxDumpID(svr, id string) string {
	svr, id = strings.TrimSpace(svr), strings.TrimSpace(id)
	switch {
	case svr != "" && svr != "0":
		return "pywxdump:" + svr
	case id != "" && id != "0":
		return "pywxdump:#" + id
	}
	return ""
}

// pyWxDumpSender maps PyWxDump's talker to a member id and whether the row
// is the account's. The account's rows (is_sender 1) carry its wxid when
// PyWxDump was given it (3.1's my_wxid), else "我": then the id is left to
// the Reader (Options.Self, or the id the export shows for the account).
// "未知" and "系统" are PyWxDump's words for no sender.
func pyWxDumpSender(isSender bool, talker string) (id string, self bool) {
	talker = strings.TrimSpace(talker)
	switch {
	case talker == "我", isSender && pyWxDumpNoSender(talker):
		return "", true
	case pyWxDumpNoSender(talker):
		return "", false
	}
	return talker, isSender
}
