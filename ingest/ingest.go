package ingest

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// The names of the supported export formats, as the CLI's --from flag spells
// them. Pass one to [NewReader].
const (
	// Chatlog is the JSON array of messages that chatlog's HTTP API returns
	// (GET /api/v1/chatlog?format=json): objects with the keys seq, time,
	// talker, talkerName, isChatRoom, sender, senderName, isSelf, type,
	// subType and content. Times carry their offset.
	Chatlog = "chatlog"
	// ChatlogCSV is chatlog's CSV export (format=csv): the columns
	// Time,SenderName,Sender,TalkerName,Talker,Content, with naive local
	// times "2006-01-02 15:04:05". An optional MessageID column (written by
	// some chatlog forks) holds the seq.
	ChatlogCSV = "chatlog-csv"
	// WeChatMsg is the CSV export of WeChatMsg (MemoTrace): UTF-8 with a
	// BOM, the columns localId,TalkerId,Type,SubType,IsSender,CreateTime,
	// Status,StrContent,StrTime,Remark,NickName,Sender, CreateTime in Unix
	// seconds. It has no group column: the caller names the group
	// ([Options].Group).
	WeChatMsg = "wechatmsg"
	// PyWxDump is PyWxDump's CSV export: the columns id,MsgSvrID,type_name,
	// is_sender,talker,room_name,msg,src,CreateTime, with naive local times
	// and the message type as a Chinese name (文本, 图片...).
	PyWxDump = "pywxdump"
	// WeChatMsg2 is the CSV export of WeChatMsg's WeChat 4.0 rewrite
	// (exporter/exporter_csv.py): UTF-8 with a BOM, the columns
	// 消息ID,类型,发送人,时间,内容,备注,昵称,更多信息, naive local times, the
	// type as a Chinese name and no wxid at all: members are known by display
	// name only, and the caller names the group ([Options].Group).
	WeChatMsg2 = "wechatmsg-v2"
	// PyWxDumpContent is the CSV export of PyWxDump 2.4.18 to 3.0.40: the
	// columns id,MsgSvrID,type_name,is_sender,talker,room_name,content,
	// CreateTime, where content is a JSON object {"src","msg"} and the
	// account's own rows have the talker "我".
	PyWxDumpContent = "pywxdump-content"
	// PyWxDumpJSON is PyWxDump 3.1's JSON export (exportJSON.py): an array of
	// objects with the keys of its CSV (id, MsgSvrID, type_name, is_sender,
	// talker, room_name, msg, src, extra, CreateTime). The users.json written
	// beside it is read by [ReadPyWxDumpUsers] into [Options].Contacts.
	PyWxDumpJSON = "pywxdump-json"
	// ChatLab is ChatLab's open chat-record format (spec v0.0.2), as WeFlow
	// writes it for WeChat 4.x: a JSON object {chatlab, meta, members,
	// messages} or its JSON Lines form (a "_type" per line), Unix-second
	// timestamps and ChatLab's own type numbers.
	ChatLab = "chatlab"
	// Auto recognises the format from the header row or the first JSON
	// object of the input (see [Reader.Format]). It is not in [Formats]: it
	// names no layout of its own.
	Auto = "auto"
)

var formats = [...]string{Chatlog, ChatlogCSV, WeChatMsg, WeChatMsg2, PyWxDump, PyWxDumpContent, PyWxDumpJSON, ChatLab}

// Formats returns the layouts [NewReader] reads, in a fixed order; it also
// accepts [Auto]. The caller owns the returned slice.
func Formats() []string {
	out := make([]string, len(formats))
	copy(out, formats[:])
	return out
}

// DefaultSelf is the member id that stands for the exporting account ("你",
// "我", isSelf) when [Options].Self is empty.
const DefaultSelf = "self"

// NamePrefix starts the Member or Actor of an event whose member was named
// only by display name (a system message without chatlog's "(wxid)" suffix,
// a name not found in [Options].Members). The rest of the id is the display
// name, so that every mention of one name maps to one member; [ByName]
// splits it off. Such ids may merge two members who share a name, or split
// one member who renamed: the event says so by this prefix.
const NamePrefix = "name:"

// InferredPrefix starts the ID of a leave event that [Diff] inferred from two
// member-list snapshots rather than read from a message. [Inferred] tests it.
const InferredPrefix = "inferred:"

// ByName reports whether the member id was matched by display name only
// (it starts with [NamePrefix]) and returns that name.
func ByName(id string) (name string, ok bool) {
	if name, ok = strings.CutPrefix(id, NamePrefix); ok {
		return name, true
	}
	return "", false
}

// Inferred reports whether e was inferred by [Diff] (its ID starts with
// [InferredPrefix]) rather than read from the export.
func Inferred(e qunops.Event) bool {
	return strings.HasPrefix(e.ID, InferredPrefix)
}

// Options tune a [Reader]. The zero value suits every format but wechatmsg,
// which needs a Group.
type Options struct {
	// Location is the zone of naive times (chatlog-csv, pywxdump, the StrTime
	// fallback of wechatmsg) and the zone in which Unix timestamps are
	// expressed. Nil means Asia/Shanghai ([qunops.DefaultLocation]), the
	// SDK's rule for every nil location: the exporters write the phone's wall
	// clock, which for WeChat groups is Chinese time. Set it when the phone
	// kept another zone. Times that carry an offset (chatlog JSON) keep their
	// own.
	Location *time.Location
	// Group is the group id. For wechatmsg, whose export has no group
	// column, it is required and names the group of every row. For the
	// other formats it is a filter: when set, rows of other chats are
	// skipped.
	Group string
	// Self is the member id of the exporting account, used for "你" in
	// system messages and for rows sent by the account when the export does
	// not name it (pywxdump writes "我"). Default [DefaultSelf]. Set it to
	// your wxid so that these match the account's own messages.
	Self string
	// Members maps display names to member ids. A system message that
	// names a member without a "(wxid)" suffix is resolved through it;
	// names not in it become [NamePrefix] + name. Nil means no directory.
	// The Reader only reads the map.
	Members map[string]string
	// Contacts is a contact list written beside the export (PyWxDump's
	// users.json, read by [ReadPyWxDumpUsers]). Each nickname and remark
	// that names one contact only resolves to that contact's id, like an
	// entry of Members; Members wins where both name someone. Nil means none.
	Contacts []Contact
	// Directory is the export's own member directory ([ScanDirectory]).
	// Nil means that NewReader builds it: by reading the input once more
	// when it is an io.ReadSeeker, else as it reads (a name then resolves
	// only if its member spoke before the notice). The Reader only reads a
	// given Directory.
	Directory *Directory
}

// Stats counts what a [Reader] has done so far.
type Stats struct {
	Rows         int // data rows read (array elements for chatlog JSON), bad ones included
	Events       int // events returned by Decode
	GroupRenames int // rows that renamed the group, each a qunops.Title event (counted in Events too)
	Skipped      int // good rows that produced no event: other chats, system messages not understood
	Errors       int // bad rows, each reported by Decode as a *RowError
}

// RowError is a bad row: Decode returns it and the Reader goes on with the
// next row when Decode is called again. Line is the 1-based line where the row
// starts in the input.
type RowError struct {
	Line int   // 1-based line where the row starts
	Err  error // the problem
}

// Error returns "ingest: line N: " and the problem.
func (e *RowError) Error() string {
	return "ingest: line " + strconv.Itoa(e.Line) + ": " + e.Err.Error()
}

// Unwrap returns the problem, for errors.Is and errors.As.
func (e *RowError) Unwrap() error { return e.Err }

// A Reader turns one export into qunops events, a row at a time. It reads
// its input as it goes: memory stays constant for the CSV formats and for
// chatlog JSON holds one array element at a time. A Reader is not safe for
// concurrent use.
//
// Each event validates ([qunops.Event.Validate]) and carries a
// source-prefixed ID ("chatlog:<seq>", "wechatmsg:<localId>",
// "pywxdump:<MsgSvrID>"); the k-th event of a row, k >= 2, gets "#k"
// appended. Importing the same rows again gives the same IDs, so that
// consumers that ignore repeated IDs dedupe re-imports.
type Reader struct {
	format string // the layout read, recognised when Auto was asked for
	opts   Options
	src    rowSource
	q      []qunops.Event
	qi     int
	stats  Stats
	final  error

	dir        *Directory // the export's members (never nil)
	dirLive    bool       // dir is learned while reading
	collecting bool       // ScanDirectory's pass: learn, give no events
	sum        summary
	noted      bool // the current row's skip has its reason in sum
}

// rowSource reads one row and hands it to the Reader (r.message, r.system),
// returning nil, a *RowError for a bad row, io.EOF at the end, or a final
// error.
type rowSource interface {
	row(r *Reader) error
}

// NewReader returns a Reader of the named format (see [Formats], and [Auto]
// to recognise it) over in. It fails on an unknown format, on an empty Group
// for the formats without a group column (an error that wraps [ErrNoGroup]),
// on an input that Auto does not recognise (the error lists the recognised
// layouts) and, for the CSV formats, on a header that lacks a required column
// (it reads the header at once); the error then also names the layout the
// header does have, when it is one of the others.
func NewReader(format string, in io.Reader, opts Options) (*Reader, error) {
	opts.Location = qunops.LocationOr(opts.Location)
	opts.Members = withContacts(opts.Members, opts.Contacts)
	r := &Reader{opts: opts}
	if err := r.directory(format, in); err != nil {
		return nil, err
	}
	size := peekSizeNamed
	if format == Auto || format == ChatLab {
		size = peekSize
	}
	in, peek := peekInput(in, size)
	asked := format
	if format == Auto {
		f, err := detect(peek)
		if err != nil {
			return nil, err
		}
		format = f
	}
	r.format = format
	var err error
	switch format {
	case Chatlog:
		r.src = newChatlogJSON(in)
	case ChatlogCSV:
		r.src, err = newChatlogCSV(in)
	case WeChatMsg, WeChatMsg2:
		if opts.Group == "" {
			return nil, fmt.Errorf("ingest: %s has no group column: %w", format, ErrNoGroup)
		}
		if format == WeChatMsg {
			r.src, err = newWeChatMsg(in)
		} else {
			r.src, err = newWeChatMsg2(in)
		}
	case PyWxDump:
		r.src, err = newPyWxDump(in)
	case PyWxDumpContent:
		r.src, err = newPyWxDumpContent(in)
	case PyWxDumpJSON:
		r.src = newPyWxDumpJSON(in)
	case ChatLab:
		r.src = newChatLab(in, peek)
	default:
		return nil, fmt.Errorf("ingest: unknown format %q (want %s or one of %s)", format, Auto, strings.Join(formats[:], ", "))
	}
	if err != nil {
		return nil, explainHeader(err, asked, format, peek)
	}
	return r, nil
}

// Decode returns the next event, like [qunops.Decoder.Decode]. At the end of
// the input it returns io.EOF. For a bad row it returns a *RowError (with the
// row's line); call Decode again to go on with the next row. Any other error
// (a JSON syntax error, a read error) is final and Decode keeps returning it.
// Nothing of a bad row is returned: a row gives all its events or none.
func (r *Reader) Decode() (qunops.Event, error) {
	for {
		if r.qi < len(r.q) {
			e := r.q[r.qi]
			r.qi++
			r.stats.Events++
			return e, nil
		}
		if r.final != nil {
			return qunops.Event{}, r.final
		}
		r.q, r.qi = r.q[:0], 0
		r.noted = false
		err := r.src.row(r)
		if err == nil {
			r.stats.Rows++
			if len(r.q) == 0 {
				r.stats.Skipped++
				r.skipped()
			}
			continue
		}
		r.q = r.q[:0]
		var re *RowError
		if errors.As(err, &re) {
			r.stats.Rows++
			r.stats.Errors++
			r.sum.note(ReasonBadRow, re.Line, r.stats.Rows, re.Err.Error())
			return qunops.Event{}, err
		}
		r.final = err
		return qunops.Event{}, err
	}
}

// All returns an iterator over the rest of the export, for use with range,
// like [qunops.Decoder.All]: each step is one call of Decode. A bad row is
// yielded as its *RowError and the iteration goes on; a final error is
// yielded once and ends it, and so does the end of the input (io.EOF is not
// yielded).
func (r *Reader) All() iter.Seq2[qunops.Event, error] {
	return func(yield func(qunops.Event, error) bool) {
		for {
			e, err := r.Decode()
			if err == io.EOF || !yield(e, err) {
				return
			}
			var re *RowError
			if err != nil && !errors.As(err, &re) {
				return
			}
		}
	}
}

// Stats returns the counts so far; after Decode has returned io.EOF they are
// the totals of the import.
func (r *Reader) Stats() Stats { return r.stats }

// Import reads every event of in and passes it to emit, going on after bad
// rows. It returns the final Stats, the row errors (each a *RowError, at most
// maxErrors of them, all of them counted in Stats.Errors) and the first error
// that stopped the import: a final read error, or an error from emit.
// maxErrors <= 0 keeps none.
func Import(format string, in io.Reader, opts Options, maxErrors int, emit func(qunops.Event) error) (Stats, []error, error) {
	r, err := NewReader(format, in, opts)
	if err != nil {
		return Stats{}, nil, err
	}
	var rowErrs []error
	for {
		e, err := r.Decode()
		if err == io.EOF {
			return r.Stats(), rowErrs, nil
		}
		if err != nil {
			var re *RowError
			if errors.As(err, &re) {
				if len(rowErrs) < maxErrors {
					rowErrs = append(rowErrs, err)
				}
				continue
			}
			return r.Stats(), rowErrs, err
		}
		if err := emit(e); err != nil {
			return r.Stats(), rowErrs, err
		}
	}
}

// row is one message of any format, normalized.
type row struct {
	line   int
	group  string
	sender string // member id; "" when unknown
	name   string // sender's display name, if known
	t      time.Time
	id     string
	kind   string
	text   string
	// wxids: names in system messages may carry chatlog's "(wxid)" suffix.
	wxids bool
	// self: the exporting account sent the row (isSelf, IsSender,
	// is_sender); sender is its id when the export gives one, else "".
	self bool
}

// inGroup reports whether a row of group g is to be read (Options.Group
// filters).
func (r *Reader) inGroup(g string) bool {
	return r.opts.Group == "" || r.opts.Group == g
}

// add queues the events of one row after checking each; the k-th event, k >=
// 2, gets "#k" appended to the row's id.
func (r *Reader) add(m *row, es ...qunops.Event) error {
	start := len(r.q)
	for i, e := range es {
		if m.id != "" && i > 0 {
			e.ID = m.id + "#" + strconv.Itoa(i+1)
		}
		if err := e.Validate(); err != nil {
			r.q = r.q[:start]
			return &RowError{Line: m.line, Err: err}
		}
		r.q = append(r.q, e)
	}
	return nil
}

// message handles a normalized row: a system message is parsed for joins,
// leaves and renames, anything else becomes a message event.
func (r *Reader) message(m *row) error {
	r.sum.line = m.line
	if m.kind != qunops.KindSystem && m.sender != "" && (r.collecting || r.dirLive) {
		r.dir.observe(m.group, m.sender, m.name, m.self)
	}
	if isNotice(m) {
		return r.system(m)
	}
	if r.collecting {
		return nil
	}
	if m.sender == "" && m.self {
		m.sender = r.selfID(m)
	}
	if m.sender == "" {
		if m.kind == qunops.KindRecall || m.kind == qunops.KindPat {
			return r.skip(ReasonSystemNotice, m.line) // notices written by WeChat itself, not a member's act
		}
		return &RowError{Line: m.line, Err: errors.New("message has no sender")}
	}
	return r.add(m, qunops.Event{
		Type: qunops.Message, Group: m.group, Member: m.sender, Time: m.t,
		ID: m.id, Kind: m.kind, Text: m.text,
	})
}
