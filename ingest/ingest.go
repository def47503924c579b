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
)

var formats = [...]string{Chatlog, ChatlogCSV, WeChatMsg, PyWxDump}

// Formats returns the names [NewReader] accepts, in a fixed order. The caller
// owns the returned slice.
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
}

// Stats counts what a [Reader] has done so far.
type Stats struct {
	Rows         int // data rows read (array elements for chatlog JSON), bad ones included
	Events       int // events returned by Decode
	GroupRenames int // rows that renamed the group (see [Reader.GroupRenames])
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

// GroupRename is a rename of the group itself ("A"修改群名为"X"). The event
// vocabulary has no group-level event (a Rename event is a member's display
// name), so a Reader keeps these beside its events.
type GroupRename struct {
	Group string    // the group's id
	Actor string    // who renamed it, resolved like a member id
	Name  string    // the new group name
	Time  time.Time // when it was renamed
	ID    string    // the source-prefixed id of the row
}

// A Reader turns one export into qunops events, a row at a time. It reads
// its input as it goes: memory stays constant for the CSV formats and for
// chatlog JSON holds one array element at a time (plus [GroupRename] records,
// one per rename). A Reader is not safe for concurrent use.
//
// Each event validates ([qunops.Event.Validate]) and carries a
// source-prefixed ID ("chatlog:<seq>", "wechatmsg:<localId>",
// "pywxdump:<MsgSvrID>"); the k-th event of a row, k >= 2, gets "#k"
// appended. Importing the same rows again gives the same IDs, so that
// consumers that ignore repeated IDs dedupe re-imports.
type Reader struct {
	opts    Options
	self    string
	src     rowSource
	q       []qunops.Event
	qi      int
	stats   Stats
	renames []GroupRename
	final   error
}

// rowSource reads one row and hands it to the Reader (r.message, r.system),
// returning nil, a *RowError for a bad row, io.EOF at the end, or a final
// error.
type rowSource interface {
	row(r *Reader) error
}

// NewReader returns a Reader of the named format (see [Formats]) over in.
// It fails on an unknown format, on an empty Group for wechatmsg (which has
// no group column) and, for the
// CSV formats, on a header that lacks a required column (it reads the header
// at once).
func NewReader(format string, in io.Reader, opts Options) (*Reader, error) {
	opts.Location = qunops.LocationOr(opts.Location)
	r := &Reader{opts: opts, self: opts.Self}
	if r.self == "" {
		r.self = DefaultSelf
	}
	var err error
	switch format {
	case Chatlog:
		r.src = newChatlogJSON(in)
	case ChatlogCSV:
		r.src, err = newChatlogCSV(in)
	case WeChatMsg:
		if opts.Group == "" {
			return nil, errors.New("ingest: wechatmsg has no group column: Options.Group must be set")
		}
		r.src, err = newWeChatMsg(in)
	case PyWxDump:
		r.src, err = newPyWxDump(in)
	default:
		return nil, fmt.Errorf("ingest: unknown format %q (want one of %s)", format, strings.Join(formats[:], ", "))
	}
	if err != nil {
		return nil, err
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
		renames := r.stats.GroupRenames
		err := r.src.row(r)
		if err == nil {
			r.stats.Rows++
			if len(r.q) == 0 && r.stats.GroupRenames == renames {
				r.stats.Skipped++
			}
			continue
		}
		r.q = r.q[:0]
		var re *RowError
		if errors.As(err, &re) {
			r.stats.Rows++
			r.stats.Errors++
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

// GroupRenames returns the renames of groups read so far, in input order. The
// caller owns the returned slice.
func (r *Reader) GroupRenames() []GroupRename {
	out := make([]GroupRename, len(r.renames))
	copy(out, r.renames)
	return out
}

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
	if m.kind == qunops.KindSystem {
		return r.system(m)
	}
	if m.sender == "" {
		if m.kind == qunops.KindRecall || m.kind == qunops.KindPat {
			return nil // notices written by WeChat itself, not a member's act
		}
		return &RowError{Line: m.line, Err: errors.New("message has no sender")}
	}
	return r.add(m, qunops.Event{
		Type: qunops.Message, Group: m.group, Member: m.sender, Time: m.t,
		ID: m.id, Kind: m.kind, Text: m.text,
	})
}

// resolve maps a person named in a system message to a member id.
func (r *Reader) resolve(p person) string {
	switch {
	case p.self:
		return r.self
	case p.id != "":
		return p.id
	}
	if id, ok := r.opts.Members[p.name]; ok && id != "" {
		return id
	}
	return NamePrefix + p.name
}

// system turns a type-10000 row into events; text it does not understand
// gives none (the row counts as skipped).
func (r *Reader) system(m *row) error {
	s, ok := parseSystem(m.text, m.wxids)
	if !ok {
		return nil
	}
	actor := ""
	if s.hasActor {
		actor = r.resolve(s.actor)
	}
	switch s.op {
	case opGroupRename:
		r.renames = append(r.renames, GroupRename{Group: m.group, Actor: actor, Name: s.name, Time: m.t, ID: m.id})
		r.stats.GroupRenames++
		return nil
	}
	var es []qunops.Event
	typ := qunops.Join
	if s.op == opLeave {
		typ = qunops.Leave
	}
	for _, p := range s.subjects {
		e := qunops.Event{Type: typ, Group: m.group, Member: r.resolve(p), Time: m.t, Actor: actor, ID: m.id}
		if typ == qunops.Join && !p.self {
			e.Text = p.name
		}
		es = append(es, e)
	}
	for _, p := range s.others {
		es = append(es, qunops.Event{Type: qunops.Roster, Group: m.group, Member: r.resolve(p), Time: m.t, ID: m.id})
	}
	return r.add(m, es...)
}
