package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qunops/qunops"
)

// csvSource reads a CSV export with a header row: it maps column names to
// positions, strips a UTF-8 BOM and reports bad records with their line.
//
// It splits records itself rather than with encoding/csv, whose reader, on a
// quote that is never closed, reads the rest of the input into one field and
// fails at its end: one stray quote lost every row after it, unreported
// (issue 17). Here a record whose quoted field runs over a line that is
// itself a whole row of the export (the header's number of fields, its first
// field shaped like those of the good rows so far: the same time layout, an
// id of digits) ends before that line: the broken record is one *RowError,
// and reading goes on with the row. A record longer than
// [qunops.MaxLineBytes] is a *RowError too, without being held in memory:
// an event made of it could not be written as a line of JSON Lines. The
// quoting rules are RFC 4180's, as Python's csv module and Go's
// encoding/csv write them: a quoted field may hold commas, doubled quotes
// and line breaks (a \r\n inside one reads as \n).
type csvSource struct {
	format string
	br     *bufio.Reader
	width  int            // fields in the header
	col    map[string]int // column name to position
	rec    []string
	line   int // line where the current record starts

	next0   int    // line number of the next physical line
	buf     []byte // the record being read
	ahead   []byte // a line read ahead: the start of the next record
	aheadOK bool
	shape   string // shape of the first field of good rows ("" until one)
}

// errLong is the problem of a record over the line limit.
var errLong = fmt.Errorf("row longer than %d bytes, the JSON Lines line limit", qunops.MaxLineBytes)

func newCSVSource(format string, in io.Reader, required []string) (*csvSource, error) {
	br := bufio.NewReader(in)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	s := &csvSource{format: format, br: br, next0: 1}
	err := s.read()
	if err == io.EOF {
		return nil, fmt.Errorf("ingest: %s: empty input, want a header row", format)
	}
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return nil, fmt.Errorf("ingest: %s: header: %w", format, re.Err)
		}
		return nil, err
	}
	header := slices.Clone(s.rec)
	s.width = len(header)
	s.col = make(map[string]int, len(header))
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
	if err := s.read(); err != nil {
		return err
	}
	if len(s.rec) != s.width {
		return &RowError{Line: s.line, Err: fmt.Errorf("row has %d fields, header has %d", len(s.rec), s.width)}
	}
	if s.shape == "" {
		s.shape = shapeOf(s.rec[0])
	}
	return nil
}

// readLine returns the next physical line without its line ending, whether
// it was cut at the line limit (the rest is discarded), and io.EOF after the
// last line.
func (s *csvSource) readLine() (line []byte, long bool, err error) {
	if s.aheadOK {
		s.aheadOK = false
		return s.ahead, false, nil
	}
	s.ahead = s.ahead[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		if len(s.ahead)+len(chunk) <= qunops.MaxLineBytes+2 {
			s.ahead = append(s.ahead, chunk...)
		} else {
			long = true
		}
		switch err {
		case nil:
			return trimEOL(s.ahead), long, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(s.ahead) == 0 && !long {
				return nil, false, io.EOF
			}
			return trimEOL(s.ahead), long, nil
		default:
			return nil, false, fmt.Errorf("ingest: %s: %w", s.format, err)
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// read reads one record into s.rec, setting s.line.
func (s *csvSource) read() error {
	s.buf = s.buf[:0]
	long := false
	first := true
	var q quoteState
	for {
		line, cut, err := s.readLine()
		if err == io.EOF {
			if first {
				return io.EOF
			}
			return &RowError{Line: s.line, Err: errors.New(`a quoted field is not closed before the end of the input`)}
		}
		if err != nil {
			return err
		}
		n := s.next0
		s.next0++
		if first {
			s.line = n
			first = false
			if len(line) == 0 && !cut {
				first = true // encoding/csv skips empty lines too
				continue
			}
		} else if s.rowStart(line) {
			// The quoted field never closed: this line is the next row.
			s.ahead, s.aheadOK = line, true
			s.next0--
			return &RowError{Line: s.line, Err: fmt.Errorf("a quoted field is not closed before line %d, which starts a row", n)}
		} else if !long {
			s.buf = append(s.buf, '\n')
		}
		long = long || cut || len(s.buf)+len(line) > qunops.MaxLineBytes
		if !long {
			s.buf = append(s.buf, line...)
		}
		if q.scan(line) {
			continue // inside a quoted field: the line break is part of it
		}
		if long {
			return &RowError{Line: s.line, Err: errLong}
		}
		return s.split()
	}
}

// rowStart reports whether a line read inside a quoted field is a whole row
// of the export by itself (see csvSource): a valid record of the header's
// width whose first field has the shape of the good rows' first fields.
func (s *csvSource) rowStart(line []byte) bool {
	if s.shape == "" || s.width < 2 {
		return false
	}
	n, first, ok := fieldsOf(line)
	return ok && n == s.width && shapeOf(first) == s.shape
}

// shapeOf sums up a first field: each run of digits becomes 9, each run of
// letters a, anything else stays ("2026-03-02 08:00:00" is "9-9-9 9:9:9").
func shapeOf(f string) string {
	var b []byte
	last := byte(0)
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case '0' <= c && c <= '9':
			c = '9'
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf:
			c = 'a'
		}
		if (c == '9' || c == 'a') && c == last {
			continue
		}
		b = append(b, c)
		last = c
	}
	return string(b)
}

// fieldsOf reads a line as a whole record: its number of fields, its first
// field unquoted, and whether it is valid (every quoted field closed and
// followed by a comma or the end, no quote inside an unquoted field).
func fieldsOf(line []byte) (n int, first string, ok bool) {
	n = 1
	firstEnd := -1
	for i := 0; ; {
		if i < len(line) && line[i] == '"' {
			j := i + 1
			for {
				k := bytes.IndexByte(line[j:], '"')
				if k < 0 {
					return 0, "", false
				}
				j += k + 1
				if j < len(line) && line[j] == '"' {
					j++
					continue
				}
				break
			}
			i = j
			if i < len(line) && line[i] != ',' {
				return 0, "", false
			}
		} else {
			k := bytes.IndexByte(line[i:], ',')
			end := len(line)
			if k >= 0 {
				end = i + k
			}
			if bytes.IndexByte(line[i:end], '"') >= 0 {
				return 0, "", false
			}
			i = end
		}
		if firstEnd < 0 {
			firstEnd = i
		}
		if i >= len(line) {
			return n, strings.Trim(string(line[:firstEnd]), `"`), true
		}
		n++
		i++
	}
}

// quoteState follows RFC 4180 quoting over the lines of a record.
type quoteState struct {
	in       bool // inside a quoted field
	fieldNew bool // at the start of a field (set for each record's first)
	started  bool
}

// scan reads one line and reports whether it ends inside a quoted field.
func (q *quoteState) scan(line []byte) bool {
	if !q.started {
		q.started, q.fieldNew = true, true
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q.in:
			if c == '"' {
				if i+1 < len(line) && line[i+1] == '"' {
					i++
					continue
				}
				q.in = false
			}
		case c == '"' && q.fieldNew:
			q.in = true
		case c == ',':
			q.fieldNew = true
			continue
		}
		q.fieldNew = false
	}
	return q.in
}

// split cuts the record in s.buf into s.rec: one string for the record,
// each field a slice of it (unquoted fields) or an unescaped copy (quoted
// fields that hold a doubled quote).
func (s *csvSource) split() error {
	rec := string(s.buf)
	s.rec = s.rec[:0]
	i := 0
	for {
		if i < len(rec) && rec[i] == '"' {
			// quoted field
			j := i + 1
			var esc strings.Builder
			escaped := false
			for {
				k := strings.IndexByte(rec[j:], '"')
				if k < 0 {
					return &RowError{Line: s.line, Err: errors.New(`extraneous or missing " in quoted-field`)}
				}
				k += j
				if k+1 < len(rec) && rec[k+1] == '"' {
					if !escaped {
						escaped = true
						esc.WriteString(rec[i+1 : k+1])
					} else {
						esc.WriteString(rec[j : k+1])
					}
					j = k + 2
					continue
				}
				var field string
				if escaped {
					esc.WriteString(rec[j:k])
					field = esc.String()
				} else {
					field = rec[i+1 : k]
				}
				s.rec = append(s.rec, field)
				i = k + 1
				break
			}
			if i == len(rec) {
				return nil
			}
			if rec[i] != ',' {
				return &RowError{Line: s.line, Err: errors.New(`extraneous or missing " in quoted-field`)}
			}
			i++
			continue
		}
		k := strings.IndexByte(rec[i:], ',')
		end := len(rec)
		if k >= 0 {
			end = i + k
		}
		field := rec[i:end]
		if strings.IndexByte(field, '"') >= 0 {
			return &RowError{Line: s.line, Err: errors.New(`bare " in non-quoted-field`)}
		}
		s.rec = append(s.rec, field)
		if k < 0 {
			return nil
		}
		i = end + 1
	}
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
	if !strings.HasSuffix(talker, "@chatroom") {
		return r.skip(ReasonPrivateChat, c.line)
	}
	if !r.inGroup(talker) {
		return r.skip(ReasonOtherChat, c.line)
	}
	ts := c.get("Time")
	t, err := parseNaive(ts, r.opts.Location)
	if err != nil {
		return c.bad("%v", err)
	}
	sender, content := c.get("Sender"), c.get("Content")
	m := row{line: c.line, group: talker, t: t, text: content, name: c.get("SenderName"), wxids: true}
	switch {
	case sender == chatlogSystemSender:
		m.kind = qunops.KindSystem
	case sender == "" && m.name == "":
		// chatlog before v0.0.24 (WeChat 3.x) named the sender of system
		// rows only when their content was XML; plain-text notices have an
		// empty Sender (sjzar/chatlog internal/model/message.go,
		// ParseMediaInfo, at v0.0.22 cf47d1bdc519e77e8d93b9388d6ef32827505c98).
		m.kind = qunops.KindSystem
	default:
		m.kind, m.text = chatlogCSVContent(content)
		m.sender = sender
	}
	// Without chatlog's seq, rows are told apart by chat, second and sender,
	// and by position among rows that share all three.
	if talker == c.prevTalker && ts == c.prevTime && sender == c.prevSender {
		c.repeat++
	} else {
		c.prevTalker, c.prevTime, c.prevSender, c.repeat = talker, ts, sender, 1
	}
	switch seq := strings.TrimSpace(c.get("MessageID")); {
	case r.collecting:
		// the directory's pass needs no ids
	case seq != "":
		m.id = "chatlog:" + seq
	default:
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
	if id := strings.TrimSpace(w.get("localId")); id != "" && !r.collecting {
		m.id = "wechatmsg:" + id
	}
	sender := strings.TrimSpace(w.get("Sender"))
	m.self = strings.TrimSpace(w.get("IsSender")) == "1"
	switch {
	case sender != "":
		m.sender = sender
	case !m.self && m.name != "" && m.kind != qunops.KindSystem:
		m.sender = r.resolve(person{name: m.name}, &m)
	}
	// WeChat's notices name a member as the account sees them: by the
	// remark it gave, if any (WeChatMsg writes it with spaces and / : * ? " < >
	// | . as _, app/person.py), so the remark names the sender too.
	if remark := strings.TrimSpace(w.get("Remark")); remark != "" && remark != m.name && sender != "" && (r.collecting || r.dirLive) {
		r.dir.observe(m.group, sender, remark, false)
	}
	text := w.get("StrContent")
	// Raw group messages start with "wxid:\n"; the exporter usually strips it.
	if sender != "" {
		text = strings.TrimPrefix(text, sender+":\n")
	}
	if m.kind != qunops.KindSystem {
		text = mediaText(m.kind, text)
	}
	m.text = text
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

// pyWxDumpText keeps what a member wrote of PyWxDump's msg column, which
// its get_msg_detail fills per type (2440893398/PyWxDump
// pywxdump/db/dbMSG.py at 881b0e539ef13444e596c9dab41683e08daafab4): the
// text; a quote's reply before "\n\n[引用](time)name:quoted"; a link's or
// forward's title, its first line (the rest is the description and, for
// links, an <a href> to the URL); a file's name; nothing for the others,
// whose msg is the type's name, a duration, coordinates or an amount.
func pyWxDumpText(kind, msg string) string {
	switch kind {
	case qunops.KindQuote:
		reply, _, _ := strings.Cut(msg, "\n\n[引用](")
		return reply
	case qunops.KindLink, qunops.KindForward:
		title, _, _ := strings.Cut(msg, "\n")
		return mediaText(kind, title)
	case qunops.KindFile:
		return mediaText(kind, msg)
	case qunops.KindText, qunops.KindSystem, qunops.KindRecall:
		return msg
	}
	return ""
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
	if !strings.HasSuffix(room, "@chatroom") {
		return r.skip(ReasonPrivateChat, p.line)
	}
	if !r.inGroup(room) {
		return r.skip(ReasonOtherChat, p.line)
	}
	t, err := pyWxDumpTime(p.get("CreateTime"), r.opts.Location)
	if err != nil {
		return p.bad("%v", err)
	}
	kind := pyWxDumpKind(strings.TrimSpace(p.get("type_name")))
	text := pyWxDumpText(kind, p.get("msg"))
	m := row{line: p.line, group: room, t: t, kind: kind, text: text}
	switch svr, id := strings.TrimSpace(p.get("MsgSvrID")), strings.TrimSpace(p.get("id")); {
	case r.collecting:
		// the directory's pass needs no ids
	case svr != "" && svr != "0":
		m.id = "pywxdump:" + svr
	case id != "":
		m.id = "pywxdump:#" + id
	}
	// PyWxDump 3.1 writes the account's own rows with its real wxid in
	// talker and is_sender 1; older versions wrote "我".
	m.sender, m.self = pyWxDumpSender(strings.TrimSpace(p.get("is_sender")) == "1", p.get("talker"))
	return r.message(&m)
}
