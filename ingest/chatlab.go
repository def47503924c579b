package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qunops/qunops"
)

// This file reads ChatLab's open chat-record format (hellodigua/ChatLab,
// docs/cn/chatlab-format.md, spec v0.0.2) as WeFlow writes it for WeChat 4.x
// (electron/services/exportService.ts, exportSessionToChatLab): a JSON object
// {chatlab, meta, members, messages} written by JSON.stringify with members
// before messages, or JSON Lines with one "_type" (header, member, message)
// per line. See testdata/README.md for the commits read.

type chatLabHeader struct {
	Version string `json:"version"`
}

type chatLabMeta struct {
	Name    string `json:"name"`
	Type    string `json:"type"` // "group" or "private"
	GroupID string `json:"groupId"`
	OwnerID string `json:"ownerId"`
}

type chatLabMember struct {
	PlatformID    string `json:"platformId"`
	AccountName   string `json:"accountName"`
	GroupNickname string `json:"groupNickname"`
}

type chatLabMessage struct {
	Sender            string  `json:"sender"`
	AccountName       string  `json:"accountName"`
	GroupNickname     string  `json:"groupNickname"`
	Timestamp         int64   `json:"timestamp"`
	Type              *int64  `json:"type"`
	Content           *string `json:"content"`
	PlatformMessageID string  `json:"platformMessageId"`
}

// chatLabLine is one line of the JSON Lines form: the union of a header, a
// member and a message (flat: a member's keys are a message's and
// platformId).
type chatLabLine struct {
	Kind       string         `json:"_type"`
	Chatlab    *chatLabHeader `json:"chatlab"`
	Meta       *chatLabMeta   `json:"meta"`
	PlatformID string         `json:"platformId"`
	chatLabMessage
}

// chatLabKinds maps ChatLab's message types to kinds. WeFlow files pats and
// recalls of WeChat 4.x, which arrive as sysmsg XML, as 80 (system) with
// their text; 24 (share) covers music and mini programs alike.
var chatLabKinds = map[int64]string{
	0: qunops.KindText, 1: qunops.KindImage, 2: qunops.KindVoice, 3: qunops.KindVideo,
	4: qunops.KindFile, 5: qunops.KindSticker, 7: qunops.KindLink, 8: qunops.KindLocation,
	20: qunops.KindRedPacket, 21: qunops.KindTransfer, 22: qunops.KindPat, 23: qunops.KindCall,
	24: qunops.KindApp, 25: qunops.KindQuote, 26: qunops.KindForward, 27: qunops.KindCard,
	80: qunops.KindSystem, 81: qunops.KindRecall, 99: qunops.KindOther,
}

const (
	chatLabStart = iota
	chatLabTop
	chatLabMessages
)

type chatLab struct {
	lines bool // the JSON Lines form

	// the JSON form
	lt    *lineTracker
	dec   *json.Decoder
	state int

	// the JSON Lines form
	br     *bufio.Reader
	line   int
	header bool

	meta     *chatLabMeta
	group    string // "" while meta is unread, or for a private chat
	skip     string // the reason to skip every message: another group, a private chat
	msg      chatLabMessage
	contacts []Contact
	// time and sender of the previous message, and how many in a row shared
	// them: ids of messages without platformMessageId
	prevTime   int64
	prevSender string
	repeat     int
}

func newChatLab(in io.Reader, peek []byte) *chatLab {
	b := peekStart(peek)
	if len(b) > 0 && b[0] == '{' && firstKey(b) == "_type" {
		return &chatLab{lines: true, br: bufio.NewReader(in)}
	}
	lt := &lineTracker{r: in, line: 1}
	return &chatLab{lt: lt, dec: json.NewDecoder(lt)}
}

func (c *chatLab) row(r *Reader) error {
	if c.lines {
		return c.rowLines(r)
	}
	for {
		switch c.state {
		case chatLabStart:
			if err := c.lt.skipBOM(); err != nil {
				return fmt.Errorf("ingest: chatlab: %w", err)
			}
			if err := c.delim('{'); err != nil {
				if err == io.EOF {
					return io.EOF
				}
				return err
			}
			c.state = chatLabTop
		case chatLabTop:
			if !c.dec.More() {
				if err := c.delim('}'); err != nil {
					return err
				}
				if _, err := c.dec.Token(); err != io.EOF {
					return fmt.Errorf("ingest: chatlab: line %d: data after the object", c.lt.lineAt(c.dec.InputOffset()))
				}
				return io.EOF
			}
			tok, err := c.dec.Token()
			if err != nil {
				return c.final(err)
			}
			key, _ := tok.(string)
			if err := c.topKey(r, key); err != nil {
				return err
			}
		case chatLabMessages:
			if !c.dec.More() {
				if err := c.delim(']'); err != nil {
					return err
				}
				c.state = chatLabTop
				continue
			}
			off := c.dec.InputOffset()
			c.msg = chatLabMessage{}
			err := c.dec.Decode(&c.msg)
			line := c.lt.startLine(off) // after Decode, which read the element
			if err != nil {
				return c.elementError(err, line, "message")
			}
			return c.message(r, line)
		}
	}
}

// topKey reads the value of one key of the top-level object.
func (c *chatLab) topKey(r *Reader, key string) error {
	switch key {
	case "chatlab":
		var h chatLabHeader
		if err := c.dec.Decode(&h); err != nil {
			return c.final(err)
		}
		return checkChatLabVersion(h.Version, c.lt.lineAt(c.dec.InputOffset()))
	case "meta":
		var m chatLabMeta
		if err := c.dec.Decode(&m); err != nil {
			return c.final(err)
		}
		return c.setMeta(r, &m, c.lt.lineAt(c.dec.InputOffset()))
	case "members":
		if err := c.delim('['); err != nil {
			return err
		}
		for c.dec.More() {
			off := c.dec.InputOffset()
			var m chatLabMember
			err := c.dec.Decode(&m)
			if err != nil {
				return c.elementError(err, c.lt.startLine(off), "member")
			}
			c.addMember(&m)
		}
		if err := c.delim(']'); err != nil {
			return err
		}
		c.loadMembers(r)
		return nil
	case "messages":
		if err := c.delim('['); err != nil {
			return err
		}
		c.state = chatLabMessages
		return nil
	}
	var skip json.RawMessage // a key of a later version of the spec
	if err := c.dec.Decode(&skip); err != nil {
		return c.final(err)
	}
	return nil
}

// elementError turns the error of decoding an array element into a row error
// when the decoder went past the element, else into a final one.
func (c *chatLab) elementError(err error, line int, what string) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return &RowError{Line: line, Err: fmt.Errorf("%s is a JSON %s, not an object", what, te.Value)}
		}
		return &RowError{Line: line, Err: fmt.Errorf("%s key %s: JSON %s is not a %v", what, te.Field, te.Value, te.Type)}
	}
	return c.final(err)
}

// delim reads the JSON delimiter want.
func (c *chatLab) delim(want json.Delim) error {
	tok, err := c.dec.Token()
	if err == io.EOF && want == '{' {
		return io.EOF
	}
	if err != nil {
		return c.final(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("ingest: chatlab: line %d: want %q, got %v", c.lt.lineAt(c.dec.InputOffset()), want, tok)
	}
	return nil
}

func (c *chatLab) final(err error) error { return c.lt.jsonError(ChatLab, c.dec, err) }

// checkChatLabVersion accepts the 0.0.x versions of the spec, whose fields
// only grew (0.0.2 added roles, ownerId, platformMessageId and
// replyToMessageId to 0.0.1).
func checkChatLabVersion(v string, line int) error {
	if !strings.HasPrefix(v, "0.0.") {
		return fmt.Errorf("ingest: chatlab: line %d: version %q: want 0.0.x (spec v0.0.2)", line, v)
	}
	return nil
}

// setMeta takes the chat's meta: its group id (or [Options].Group for a
// writer that leaves groupId out), and ownerId, the exporting account, as
// the Reader's [Options].Self when the caller gave none.
func (c *chatLab) setMeta(r *Reader, m *chatLabMeta, line int) error {
	c.meta = m
	if m.Type != "group" {
		c.skip = ReasonPrivateChat // no group events
		return nil
	}
	c.group = strings.TrimSpace(m.GroupID)
	switch {
	case c.group == "" && r.opts.Group == "":
		return fmt.Errorf("ingest: chatlab: line %d: meta of %q has no groupId: %w", line, m.Name, ErrNoGroup)
	case c.group == "":
		c.group = r.opts.Group
	case !r.inGroup(c.group):
		c.skip = ReasonOtherChat
	}
	if r.opts.Self == "" {
		r.opts.Self = strings.TrimSpace(m.OwnerID)
	}
	return nil
}

func (c *chatLab) addMember(m *chatLabMember) {
	id := strings.TrimSpace(m.PlatformID)
	if id == "" {
		return
	}
	c.contacts = append(c.contacts, Contact{ID: id, Nickname: strings.TrimSpace(m.AccountName), Remark: strings.TrimSpace(m.GroupNickname)})
}

// loadMembers lets system messages resolve the names of the member list,
// like [Options].Contacts (the caller's Members win).
func (c *chatLab) loadMembers(r *Reader) {
	if len(c.contacts) == 0 {
		return
	}
	r.opts.Members = withContacts(r.opts.Members, c.contacts)
	c.contacts = nil
}

// message turns the message just decoded into events.
func (c *chatLab) message(r *Reader, line int) error {
	if c.meta == nil {
		return &RowError{Line: line, Err: errors.New("message before the meta of the chat")}
	}
	if c.skip != "" {
		return r.skip(c.skip, line)
	}
	m := &c.msg
	if m.Type == nil {
		return &RowError{Line: line, Err: errors.New("message has no type")}
	}
	if m.Timestamp <= 0 {
		return &RowError{Line: line, Err: fmt.Errorf("timestamp %d is not Unix seconds", m.Timestamp)}
	}
	kind, ok := chatLabKinds[*m.Type]
	if !ok {
		kind = qunops.KindOther
	}
	text := ""
	if m.Content != nil {
		text = *m.Content
	}
	sender := strings.TrimSpace(m.Sender)
	row := row{line: line, group: c.group, t: unixIn(m.Timestamp, r.opts.Location), kind: kind, text: ownText(kind, text)}
	row.name = strings.TrimSpace(m.GroupNickname)
	if row.name == "" {
		row.name = strings.TrimSpace(m.AccountName)
	}
	if kind != qunops.KindSystem {
		row.sender = sender
		row.self = sender != "" && sender == r.opts.Self
	}
	if m.Timestamp == c.prevTime && sender == c.prevSender {
		c.repeat++
	} else {
		c.prevTime, c.prevSender, c.repeat = m.Timestamp, sender, 1
	}
	if id := strings.TrimSpace(m.PlatformMessageID); id != "" && id != "0" {
		row.id = ChatLab + ":" + id
	} else {
		// Without the platform's id, a message is told apart by group,
		// second and sender, and by its place among those that share them.
		row.id = ChatLab + ":" + c.group + ":" + strconv.FormatInt(m.Timestamp, 10) + ":" + sender + ":" + strconv.Itoa(c.repeat)
	}
	return r.message(&row)
}

// rowLines reads the JSON Lines form up to the next message.
func (c *chatLab) rowLines(r *Reader) error {
	for {
		b, err := c.br.ReadBytes('\n')
		if len(b) == 0 && err != nil {
			if err == io.EOF {
				return io.EOF
			}
			return fmt.Errorf("ingest: chatlab: %w", err)
		}
		c.line++
		if c.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 || b[0] == '#' { // the spec allows comment lines
			continue
		}
		var l chatLabLine
		if err := json.Unmarshal(b, &l); err != nil {
			return &RowError{Line: c.line, Err: fmt.Errorf("not a JSON object: %v", err)}
		}
		if !c.header {
			if l.Kind != "header" {
				return fmt.Errorf("ingest: chatlab: line %d: want the header line first, got _type %q", c.line, l.Kind)
			}
			c.header = true
			if l.Chatlab != nil {
				if err := checkChatLabVersion(l.Chatlab.Version, c.line); err != nil {
					return err
				}
			}
			if l.Meta == nil {
				return fmt.Errorf("ingest: chatlab: line %d: the header has no meta", c.line)
			}
			if err := c.setMeta(r, l.Meta, c.line); err != nil {
				return err
			}
			continue
		}
		switch l.Kind {
		case "member":
			c.addMember(&chatLabMember{PlatformID: l.PlatformID, AccountName: l.AccountName, GroupNickname: l.GroupNickname})
			continue
		case "message":
			// The spec puts members before messages; members read so far
			// resolve the names of this message and the later ones.
			c.loadMembers(r)
			c.msg = l.chatLabMessage
			return c.message(r, c.line)
		}
		return &RowError{Line: c.line, Err: fmt.Errorf("unknown _type %q (want header, member or message)", l.Kind)}
	}
}
