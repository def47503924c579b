package ingest

import (
	"encoding/json"
	"io"
	"strings"
)

// This file reads the CSV export of PyWxDump 2.4.18 to 3.0.40
// (pywxdump/dbpreprocess/export/exportCSV.py): the message dict of
// dbpreprocess/parsingMSG.py's msg_detail, whose "content" is itself a dict
// {"src", "msg"} written into the CSV with json.dumps(ensure_ascii=False).

type pyWxDumpContent struct{ *csvSource }

func newPyWxDumpContent(in io.Reader) (*pyWxDumpContent, error) {
	s, err := newCSVSource(PyWxDumpContent, in, []string{"type_name", "is_sender", "talker", "room_name", "content", "CreateTime"})
	if err != nil {
		return nil, err
	}
	return &pyWxDumpContent{s}, nil
}

// pyWxDumpPayload is the JSON of the content column. src is a path or URL,
// or for merged forwards an object (the parsed record items): it is never
// text and is skipped.
type pyWxDumpPayload struct {
	Msg string          `json:"msg"`
	Src json.RawMessage `json:"src"`
}

func (p *pyWxDumpContent) row(r *Reader) error {
	if err := p.next(); err != nil {
		return err
	}
	room := strings.TrimSpace(p.get("room_name"))
	switch {
	case !strings.HasSuffix(room, "@chatroom"):
		return r.skip(ReasonPrivateChat, p.line)
	case !r.inGroup(room):
		return r.skip(ReasonOtherChat, p.line)
	}
	t, err := pyWxDumpTime(p.get("CreateTime"), r.opts.Location)
	if err != nil {
		return p.bad("%v", err)
	}
	var c pyWxDumpPayload
	if raw := p.get("content"); strings.TrimSpace(raw) != "" {
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return p.bad(`content %q is not PyWxDump's JSON {"src","msg"}: %v`, clip(raw), err)
		}
	}
	kind := pyWxDumpKind(strings.TrimSpace(p.get("type_name")))
	m := row{line: p.line, group: room, t: t, kind: kind, text: ownText(kind, c.Msg)}
	m.id = pyWxDumpID(p.get("MsgSvrID"), p.get("id"))
	m.sender, m.self = pyWxDumpSender(strings.TrimSpace(p.get("is_sender")) == "1", p.get("talker"))
	return r.message(&m)
}
