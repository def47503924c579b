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
	lt    *lineTracker
	dec   *json.Decoder
	began bool
	m     chatlogMessage
}

func newChatlogJSON(in io.Reader) *chatlogJSON {
	lt := &lineTracker{r: in, line: 1}
	return &chatlogJSON{lt: lt, dec: json.NewDecoder(lt)}
}

func (c *chatlogJSON) row(r *Reader) error {
	if !c.began {
		c.began = true
		if err := c.skipBOM(); err != nil {
			return err
		}
		tok, err := c.dec.Token()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return c.final(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return fmt.Errorf("ingest: chatlog: line %d: want a JSON array of messages, got %v", c.lt.lineAt(c.dec.InputOffset()), tok)
		}
	}
	if !c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return c.final(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != ']' {
			return fmt.Errorf("ingest: chatlog: line %d: want ']', got %v", c.lt.lineAt(c.dec.InputOffset()), tok)
		}
		if _, err := c.dec.Token(); err != io.EOF {
			return fmt.Errorf("ingest: chatlog: line %d: data after the array", c.lt.lineAt(c.dec.InputOffset()))
		}
		return io.EOF
	}
	// The line is counted after Decode: before it the decoder may not have
	// read past the comma, and the newlines before the element are unseen.
	off := c.dec.InputOffset()
	c.m = chatlogMessage{}
	err := c.dec.Decode(&c.m)
	line := c.lt.startLine(off)
	if err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// The decoder consumed the whole value: go on after it.
			if te.Field == "" {
				return &RowError{Line: line, Err: fmt.Errorf("message is a JSON %s, not an object", te.Value)}
			}
			return &RowError{Line: line, Err: fmt.Errorf("field %s: JSON %s is not a %v", te.Field, te.Value, te.Type)}
		}
		return c.final(err)
	}
	return c.handle(r, line)
}

func (c *chatlogJSON) final(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("ingest: chatlog: line %d: unexpected end of input", c.lt.lineAt(c.dec.InputOffset()))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("ingest: chatlog: line %d: %v", c.lt.startLine(se.Offset), err)
	}
	return fmt.Errorf("ingest: chatlog: %w", err)
}

// skipBOM drops a UTF-8 byte order mark, which encoding/json rejects.
func (c *chatlogJSON) skipBOM() error {
	return c.lt.skipBOM()
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

// skipBOM reads ahead and drops a leading UTF-8 BOM.
func (t *lineTracker) skipBOM() error {
	buf := make([]byte, 3)
	n, err := io.ReadFull(t.r, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return fmt.Errorf("ingest: chatlog: %w", err)
	}
	buf = buf[:n]
	if bytes.HasPrefix(buf, []byte("\uFEFF")) {
		buf = buf[3:]
	}
	t.r = io.MultiReader(bytes.NewReader(buf), t.r)
	return nil
}
