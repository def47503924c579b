package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// csvSource reads a CSV export with a header row: it maps column names to
// positions, strips a UTF-8 BOM and reports bad records with their line.
type csvSource struct {
	format string
	cr     *csv.Reader
	width  int            // fields in the header
	col    map[string]int // column name to position
	rec    []string
	line   int
}

func newCSVSource(format string, in io.Reader, required []string) (*csvSource, error) {
	br := bufio.NewReader(in)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked here, with a clearer message
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("ingest: %s: empty input, want a header row", format)
	}
	if err != nil {
		return nil, fmt.Errorf("ingest: %s: header: %w", format, err)
	}
	s := &csvSource{format: format, cr: cr, width: len(header), col: make(map[string]int, len(header))}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := s.col[h]; !dup {
			s.col[h] = i
		}
	}
	for _, name := range required {
		if _, ok := s.col[name]; !ok {
			return nil, fmt.Errorf("ingest: %s: header lacks column %q (header: %s)", format, name, strings.Join(header, ","))
		}
	}
	return s, nil
}

// next reads a record into s.rec: nil, io.EOF, a *RowError or a final error.
func (s *csvSource) next() error {
	rec, err := s.cr.Read()
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &RowError{Line: pe.StartLine, Err: pe.Err}
		}
		return fmt.Errorf("ingest: %s: %w", s.format, err)
	}
	s.rec = rec
	s.line, _ = s.cr.FieldPos(0)
	if len(rec) != s.width {
		return &RowError{Line: s.line, Err: fmt.Errorf("row has %d fields, header has %d", len(rec), s.width)}
	}
	return nil
}

// get returns the named column of the current record, "" when the header
// has no such column.
func (s *csvSource) get(name string) string {
	if i, ok := s.col[name]; ok {
		return s.rec[i]
	}
	return ""
}

func (s *csvSource) has(name string) bool {
	_, ok := s.col[name]
	return ok
}

func (s *csvSource) bad(format string, args ...any) error {
	return &RowError{Line: s.line, Err: fmt.Errorf(format, args...)}
}

// naiveLayouts are the wall-clock layouts exporters write.
var naiveLayouts = [...]string{"2006-01-02 15:04:05", "2006/01/02 15:04:05", "2006-01-02T15:04:05"}

// parseNaive reads a wall-clock time in loc.
func parseNaive(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range naiveLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not like 2006-01-02 15:04:05", s)
}

// unixSeconds reads s as Unix seconds if it is all ASCII digits (checked
// first, so that the common naive time costs no error allocation).
func unixSeconds(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// unixIn returns the Unix time sec in loc.
func unixIn(sec int64, loc *time.Location) time.Time {
	return time.Unix(sec, 0).In(loc)
}

// --- chatlog CSV ---

type chatlogCSV struct {
	*csvSource
	// talker, time and sender of the previous group row, and how many rows
	// in a row have shared them
	prevTalker, prevTime, prevSender string
	repeat                           int
}

func newChatlogCSV(in io.Reader) (*chatlogCSV, error) {
	s, err := newCSVSource(ChatlogCSV, in, []string{"Time", "SenderName", "Sender", "TalkerName", "Talker", "Content"})
	if err != nil {
		return nil, err
	}
	return &chatlogCSV{csvSource: s}, nil
}

func (c *chatlogCSV) row(r *Reader) error {
	if err := c.next(); err != nil {
		return err
	}
	talker := c.get("Talker")
	if !strings.HasSuffix(talker, "@chatroom") || !r.inGroup(talker) {
		return nil
	}
	ts := c.get("Time")
	t, err := parseNaive(ts, r.opts.Location)
	if err != nil {
		return c.bad("%v", err)
	}
	sender, content := c.get("Sender"), c.get("Content")
	m := row{line: c.line, group: talker, t: t, text: content, name: c.get("SenderName"), wxids: true}
	if sender == chatlogSystemSender {
		m.kind = qunops.KindSystem
	} else {
		m.kind = chatlogCSVKind(content)
		m.sender = sender
	}
	// Without chatlog's seq, rows are told apart by chat, second and sender,
	// and by position among rows that share all three.
	if talker == c.prevTalker && ts == c.prevTime && sender == c.prevSender {
		c.repeat++
	} else {
		c.prevTalker, c.prevTime, c.prevSender, c.repeat = talker, ts, sender, 1
	}
	if seq := strings.TrimSpace(c.get("MessageID")); seq != "" {
		m.id = "chatlog:" + seq
	} else {
		m.id = chatlogCSVID(talker, ts, sender, c.repeat)
	}
	return r.message(&m)
}

// chatlogCSVID builds "chatlog-csv:<talker>:<time digits>:<sender>:<n>" in
// one allocation; the time keeps only its digits ("20260302080000").
func chatlogCSVID(talker, ts, sender string, n int) string {
	var b strings.Builder
	b.Grow(len("chatlog-csv:") + len(talker) + len(ts) + len(sender) + 24)
	b.WriteString("chatlog-csv:")
	b.WriteString(talker)
	b.WriteByte(':')
	for i := 0; i < len(ts); i++ {
		if '0' <= ts[i] && ts[i] <= '9' {
			b.WriteByte(ts[i])
		}
	}
	b.WriteByte(':')
	b.WriteString(sender)
	b.WriteByte(':')
	var num [20]byte
	b.Write(strconv.AppendInt(num[:0], int64(n), 10))
	return b.String()
}

// --- WeChatMsg (MemoTrace) CSV ---

type weChatMsg struct{ *csvSource }

func newWeChatMsg(in io.Reader) (*weChatMsg, error) {
	s, err := newCSVSource(WeChatMsg, in, []string{"localId", "Type", "SubType", "IsSender", "CreateTime", "StrContent"})
	if err != nil {
		return nil, err
	}
	return &weChatMsg{s}, nil
}

func (w *weChatMsg) row(r *Reader) error {
	if err := w.next(); err != nil {
		return err
	}
	typ, err := strconv.ParseInt(strings.TrimSpace(w.get("Type")), 10, 64)
	if err != nil {
		return w.bad("Type %q is not an integer", w.get("Type"))
	}
	var sub int64
	if s := strings.TrimSpace(w.get("SubType")); s != "" {
		if sub, err = strconv.ParseInt(s, 10, 64); err != nil {
			return w.bad("SubType %q is not an integer", s)
		}
	}
	var t time.Time
	if ct := strings.TrimSpace(w.get("CreateTime")); ct != "" {
		sec, err := strconv.ParseInt(ct, 10, 64)
		if err != nil {
			return w.bad("CreateTime %q is not Unix seconds", ct)
		}
		t = unixIn(sec, r.opts.Location)
	} else {
		if t, err = parseNaive(w.get("StrTime"), r.opts.Location); err != nil {
			return w.bad("%v", err)
		}
	}
	m := row{line: w.line, group: r.opts.Group, t: t, kind: KindOf(typ, sub), name: w.get("NickName")}
	if id := strings.TrimSpace(w.get("localId")); id != "" {
		m.id = "wechatmsg:" + id
	}
	sender := strings.TrimSpace(w.get("Sender"))
	switch {
	case strings.TrimSpace(w.get("IsSender")) == "1":
		m.sender = sender
		if m.sender == "" {
			m.sender = r.self
		}
	case sender != "":
		m.sender = sender
	case m.name != "":
		m.sender = r.resolve(person{name: m.name})
	}
	m.text = w.get("StrContent")
	// Raw group messages start with "wxid:\n"; the exporter usually strips it.
	if sender != "" {
		m.text = strings.TrimPrefix(m.text, sender+":\n")
	}
	return r.message(&m)
}

// --- PyWxDump CSV ---

type pyWxDump struct{ *csvSource }

func newPyWxDump(in io.Reader) (*pyWxDump, error) {
	s, err := newCSVSource(PyWxDump, in, []string{"type_name", "is_sender", "talker", "room_name", "msg", "CreateTime"})
	if err != nil {
		return nil, err
	}
	if !s.has("MsgSvrID") && !s.has("id") {
		return nil, fmt.Errorf("ingest: pywxdump: header lacks both id and MsgSvrID")
	}
	return &pyWxDump{s}, nil
}

// pyWxDumpNoSender are the talker values PyWxDump writes when it does not
// know the sender.
func pyWxDumpNoSender(s string) bool {
	return s == "" || s == "未知" || s == "系统"
}

func (p *pyWxDump) row(r *Reader) error {
	if err := p.next(); err != nil {
		return err
	}
	room := strings.TrimSpace(p.get("room_name"))
	if !strings.HasSuffix(room, "@chatroom") || !r.inGroup(room) {
		return nil
	}
	var t time.Time
	ct := strings.TrimSpace(p.get("CreateTime"))
	if sec, ok := unixSeconds(ct); ok {
		t = unixIn(sec, r.opts.Location)
	} else {
		var err error
		if t, err = parseNaive(ct, r.opts.Location); err != nil {
			return p.bad("%v", err)
		}
	}
	m := row{line: p.line, group: room, t: t, kind: pyWxDumpKind(strings.TrimSpace(p.get("type_name"))), text: p.get("msg")}
	switch svr, id := strings.TrimSpace(p.get("MsgSvrID")), strings.TrimSpace(p.get("id")); {
	case svr != "" && svr != "0":
		m.id = "pywxdump:" + svr
	case id != "":
		m.id = "pywxdump:#" + id
	}
	talker := strings.TrimSpace(p.get("talker"))
	switch {
	case strings.TrimSpace(p.get("is_sender")) == "1" || talker == "我":
		m.sender = r.self
	case !pyWxDumpNoSender(talker):
		m.sender = talker
	}
	return r.message(&m)
}
