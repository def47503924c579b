package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ErrNoGroup is wrapped by the error of [NewReader] for a format without a
// group column (wechatmsg, wechatmsg-v2) when [Options].Group is empty, so
// that a caller that learns the format only from [Auto] can ask for the group
// in its own words.
var ErrNoGroup = errors.New("Options.Group must be set")

// peekSize is how much of the input [Auto] looks at: far more than any
// exporter's header row or first message object (PyWxDump indents its JSON
// by four spaces; a first chatlog message is under 1 KiB), and a fixed cost
// of one buffer per Reader. A named format needs less: its header row, to
// say which layout the input has when the header is not the named one.
const (
	peekSize      = 64 << 10
	peekSizeNamed = 4 << 10
)

// peekInput wraps in so that its first size bytes can be looked at without
// being lost: the returned reader still yields every byte of in, from the
// first. A read error is not reported here: the Reader meets it again when
// it reads.
func peekInput(in io.Reader, size int) (io.Reader, []byte) {
	br := bufio.NewReaderSize(in, size)
	peek, _ := br.Peek(size)
	return br, peek
}

// Format returns the layout the Reader reads: the one given to [NewReader],
// or the one [Auto] recognised.
func (r *Reader) Format() string { return r.format }

// layouts describes, for the error of an input Auto does not recognise, what
// each format starts with. Same order as [Formats].
var layouts = [...]struct{ format, start string }{
	{Chatlog, "a JSON array of objects with talker and seq or isChatRoom"},
	{ChatlogCSV, "the CSV header Time,SenderName,Sender,TalkerName,Talker,Content"},
	{WeChatMsg, "a CSV header with localId and StrContent"},
	{WeChatMsg2, "the CSV header 消息ID,类型,发送人,时间,内容,备注,昵称,更多信息"},
	{PyWxDump, "a CSV header with type_name, room_name and msg"},
	{PyWxDumpContent, "a CSV header with type_name, room_name and content"},
	{PyWxDumpJSON, "a JSON array of objects with MsgSvrID, type_name and room_name"},
	{ChatLab, `a JSON object whose first key is "chatlab", or JSON Lines whose first line has "_type"`},
}

// unknownLayout is the error for an input Auto does not recognise: what it
// saw, and what each recognised layout looks like.
func unknownLayout(saw string) error {
	var b strings.Builder
	b.WriteString("ingest: auto: unknown layout (")
	b.WriteString(saw)
	b.WriteString("); recognised layouts:")
	for _, l := range layouts {
		b.WriteString("\n  ")
		b.WriteString(l.format)
		b.WriteString(": ")
		b.WriteString(l.start)
	}
	return errors.New(b.String())
}

// detect recognises the format from the first bytes of an export: the first
// key of a JSON object, the keys of the first object of a JSON array, or the
// columns of a CSV header row.
func detect(peek []byte) (string, error) {
	b := peekStart(peek)
	if len(b) == 0 {
		return "", unknownLayout("the input is empty")
	}
	switch b[0] {
	case '[':
		keys, empty := firstObjectKeys(b)
		switch {
		case keys["MsgSvrID"] && keys["type_name"] && keys["room_name"]:
			return PyWxDumpJSON, nil
		case keys["talker"] && (keys["seq"] || keys["isChatRoom"]):
			return Chatlog, nil
		case empty:
			// An empty array is an export of no message in either JSON
			// layout; both read it as nothing.
			return Chatlog, nil
		}
		return "", unknownLayout("a JSON array whose first object has the keys " + sortedKeys(keys))
	case '{':
		key := firstKey(b)
		switch key {
		case "chatlab", "meta", "members", "messages", "_type":
			return ChatLab, nil
		}
		return "", unknownLayout(fmt.Sprintf("a JSON object whose first key is %q", key))
	}
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	header, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return "", unknownLayout(fmt.Sprintf("first line %q", clip(string(line))))
	}
	cols := make(map[string]bool, len(header))
	for _, h := range header {
		cols[strings.TrimSpace(h)] = true
	}
	switch {
	case cols["Talker"] && cols["Sender"] && cols["Content"] && cols["Time"]:
		return ChatlogCSV, nil
	case cols["localId"] && cols["StrContent"]:
		return WeChatMsg, nil
	case cols["消息ID"] && cols["类型"] && cols["发送人"] && cols["内容"]:
		return WeChatMsg2, nil
	case cols["type_name"] && cols["room_name"] && cols["msg"]:
		return PyWxDump, nil
	case cols["type_name"] && cols["room_name"] && cols["content"]:
		return PyWxDumpContent, nil
	}
	return "", unknownLayout(fmt.Sprintf("first line %q", clip(string(line))))
}

// peekStart drops what comes before an export's first token: a UTF-8 byte
// order mark and white space.
func peekStart(peek []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(peek, []byte("\uFEFF")), " \t\r\n")
}

// firstObjectKeys returns the keys of the first object of the JSON array that
// b starts with (as far as b holds them), and whether the array is empty.
func firstObjectKeys(b []byte) (keys map[string]bool, empty bool) {
	keys = map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // '['
		return keys, false
	}
	tok, err := dec.Token()
	if err != nil {
		return keys, false
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return keys, d == ']'
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		k, ok := tok.(string)
		if !ok {
			break
		}
		keys[k] = true
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	return keys, false
}

// firstKey returns the first key of the JSON object b starts with, "" when
// there is none.
func firstKey(b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // '{'
		return ""
	}
	if tok, err := dec.Token(); err == nil {
		if k, ok := tok.(string); ok {
			return k
		}
	}
	return ""
}

func sortedKeys(m map[string]bool) string {
	if len(m) == 0 {
		return "(none)"
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 120
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "..."
}

// explainHeader adds to the error of a format's constructor which layout the
// input has: the one Auto recognised, or, when the caller named a format and
// the input is another, that other one.
func explainHeader(err error, asked, format string, peek []byte) error {
	if asked == Auto {
		return fmt.Errorf("%w (the layout %s recognised: %s)", err, Auto, format)
	}
	if d, derr := detect(peek); derr == nil && d != format {
		return fmt.Errorf("%w; the input looks like %s", err, d)
	}
	return err
}
