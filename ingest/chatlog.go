package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// chatlogMessage holds the fields of chatlog's model.Message that ingest
// uses (its JSON keys); the others (contents, mediaMsg, sysMsg) are skipped.
type chatlogMessage struct {
	Seq        int64  `json:"seq"`
	Time       string `json:"time"`
	Talker     string `json:"talker"`
	TalkerName string `json:"talkerName"`
	IsChatRoom bool   `json:"isChatRoom"`
	Sender     string `json:"sender"`
	SenderName string `json:"senderName"`
	IsSelf     bool   `json:"isSelf"`
	Type       int64  `json:"type"`
	SubType    int64  `json:"subType"`
	Content    string `json:"content"`
}

// chatlogSystemSender is the sender chatlog gives type-10000 messages.
const chatlogSystemSender = "系统消息"

type chatlogJSON struct {
	arr *jsonArray
	m   chatlogMessage
}

func newChatlogJSON(in io.Reader) *chatlogJSON {
	a := newJSONArray(Chatlog, in)
	a.keyWord = "field"
	return &chatlogJSON{arr: a}
}

func (c *chatlogJSON) row(r *Reader) error {
	c.m = chatlogMessage{}
	line, err := c.arr.next(&c.m)
	if err != nil {
		return err
	}
	return c.handle(r, line)
}

func (c *chatlogJSON) handle(r *Reader, line int) error {
	m := &c.m
	if !m.IsChatRoom && !strings.HasSuffix(m.Talker, "@chatroom") {
		return r.skip(ReasonPrivateChat, line)
	}
	if m.Talker == "" {
		return &RowError{Line: line, Err: errors.New("talker is empty")}
	}
	if !r.inGroup(m.Talker) {
		return r.skip(ReasonOtherChat, line)
	}
	t, err := time.Parse(time.RFC3339Nano, m.Time)
	if err != nil {
		return &RowError{Line: line, Err: fmt.Errorf("time %q is not RFC 3339", m.Time)}
	}
	kind := KindOf(m.Type, m.SubType)
	row := row{line: line, group: m.Talker, t: t, kind: kind, text: mediaText(kind, m.Content), name: m.SenderName, wxids: true, self: m.IsSelf}
	if m.Seq != 0 && !r.collecting {
		row.id = "chatlog:" + strconv.FormatInt(m.Seq, 10)
	}
	// The account's own rows carry its wxid as sender (isSelf says whose
	// they are); a row without one is the account's when isSelf says so.
	if m.Sender != "" && m.Sender != chatlogSystemSender {
		row.sender = m.Sender
	}
	return r.message(&row)
}

// jsonArray streams the elements of a top-level JSON array, reporting the
// line where each starts.
type jsonArray struct {
	format  string
	keyWord string // what an element's type error calls a key: "key"; "field" for chatlog, whose errors always said so
	lt      *lineTracker
	dec     *json.Decoder
	began   bool
}

func newJSONArray(format string, in io.Reader) *jsonArray {
	lt := &lineTracker{r: in, line: 1}
	return &jsonArray{format: format, keyWord: "key", lt: lt, dec: json.NewDecoder(lt)}
}

// next decodes the next element into v and returns its line: nil, a
// *RowError for an element of the wrong shape (the decoder has read past it),
// io.EOF after the closing bracket, or a final error.
func (a *jsonArray) next(v any) (int, error) {
	if !a.began {
		a.began = true
		if err := a.lt.skipBOM(); err != nil {
			return 0, fmt.Errorf("ingest: %s: %w", a.format, err)
		}
		tok, err := a.dec.Token()
		if err == io.EOF {
			return 0, io.EOF
		}
		if err != nil {
			return 0, a.final(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return 0, fmt.Errorf("ingest: %s: line %d: want a JSON array of messages, got %v", a.format, a.lt.lineAt(a.dec.InputOffset()), tok)
		}
	}
	if !a.dec.More() {
		if _, err := a.dec.Token(); err != nil {
			return 0, a.final(err)
		}
		if _, err := a.dec.Token(); err != io.EOF {
			return 0, fmt.Errorf("ingest: %s: line %d: data after the array", a.format, a.lt.lineAt(a.dec.InputOffset()))
		}
		return 0, io.EOF
	}
	// The element's line is counted after Decode, which has read it: before,
	// the decoder may not have read past the comma.
	off := a.dec.InputOffset()
	err := a.dec.Decode(v)
	line := a.lt.startLine(off)
	if err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field == "" {
				return line, &RowError{Line: line, Err: fmt.Errorf("message is a JSON %s, not an object", te.Value)}
			}
			return line, &RowError{Line: line, Err: fmt.Errorf("%s %s: JSON %s is not a %v", a.keyWord, te.Field, te.Value, te.Type)}
		}
		return line, a.final(err)
	}
	return line, nil
}

func (a *jsonArray) final(err error) error { return a.lt.jsonError(a.format, a.dec, err) }

// lineTracker counts lines of what a json.Decoder consumed: it keeps the
// bytes read but not yet counted (at most the decoder's buffer), and turns a
// decoder offset into a 1-based line number.
type lineTracker struct {
	r       io.Reader
	pending []byte // bytes from offset base on
	base    int64
	line    int // line number at offset base
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.pending = append(t.pending, p[:n]...)
	return n, err
}

// advance counts the lines up to offset off and forgets the bytes before it.
func (t *lineTracker) advance(off int64) {
	if off <= t.base {
		return
	}
	k := min(int(off-t.base), len(t.pending))
	t.line += bytes.Count(t.pending[:k], []byte{'\n'})
	t.pending = t.pending[:copy(t.pending, t.pending[k:])]
	t.base += int64(k)
}

// lineAt returns the line of offset off.
func (t *lineTracker) lineAt(off int64) int {
	t.advance(off)
	return t.line
}

// startLine returns the line of the first byte at or after off that is not
// white space or a comma: where the next array element starts.
func (t *lineTracker) startLine(off int64) int {
	t.advance(off)
	line := t.line
	for _, b := range t.pending {
		switch b {
		case '\n':
			line++
		case ' ', '\t', '\r', ',':
		default:
			return line
		}
	}
	return line
}

// skipBOM reads ahead and drops a leading UTF-8 BOM, which encoding/json
// rejects. Its error is the reader's, for the caller to prefix.
func (t *lineTracker) skipBOM() error {
	buf := make([]byte, 3)
	n, err := io.ReadFull(t.r, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	buf = buf[:n]
	if bytes.HasPrefix(buf, []byte("\uFEFF")) {
		buf = buf[3:]
	}
	t.r = io.MultiReader(bytes.NewReader(buf), t.r)
	return nil
}

// jsonError turns an error of dec, which reads t, into the final error of
// format's reader: the line where the input ended or the syntax broke.
func (t *lineTracker) jsonError(format string, dec *json.Decoder, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("ingest: %s: line %d: unexpected end of input", format, t.lineAt(dec.InputOffset()))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("ingest: %s: line %d: %v", format, t.startLine(se.Offset), err)
	}
	return fmt.Errorf("ingest: %s: %w", format, err)
}
