package ingest

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qunops/qunops"
)

// fuzzReader reads data in format to its end and checks what must hold for
// any input: no panic, termination, every event valid, row errors that name
// a line of the input, and counts that agree with what Decode returned. It
// also checks that the result depends on the bytes only: a second read gives
// the same result, and so does a read through an io.Reader that splits the
// bytes otherwise (one byte a Read, half of what is asked, the last bytes
// together with io.EOF), as pipes and network streams do. It returns the
// result of the ordinary read (a seekable input).
func fuzzReader(t *testing.T, format string, data []byte, opts Options) fuzzResult {
	t.Helper()
	whole := readFuzz(t, format, bytes.NewReader(data), data, opts)
	again := readFuzz(t, format, bytes.NewReader(data), data, opts)
	if d := cmp.Diff(whole, again, fuzzCmp...); d != "" {
		t.Fatalf("a second read of the same input differs (-first +second):\n%s", d)
	}

	// An input that cannot seek is read once, its directory learned as the
	// Reader goes (see Directory): the result may differ from a seekable
	// input's by design, so the split reads are compared with a whole read
	// of a stream.
	stream := readFuzz(t, format, struct{ io.Reader }{bytes.NewReader(data)}, data, opts)
	for _, c := range []struct {
		name string
		in   io.Reader
	}{
		{"one byte a Read", iotest.OneByteReader(bytes.NewReader(data))},
		{"half of each Read", iotest.HalfReader(bytes.NewReader(data))},
	} {
		got := readFuzz(t, format, c.in, data, opts)
		if d := cmp.Diff(stream, got, fuzzCmp...); d != "" {
			t.Fatalf("read %s, the stream gives another result (-whole +split):\n%s", c.name, d)
		}
	}

	// The last bytes with io.EOF, with the directory of the seekable read:
	// the same result as that read.
	withDir := opts
	withDir.Directory = &whole.Dir
	got := readFuzz(t, format, iotest.DataErrReader(bytes.NewReader(data)), data, withDir)
	if d := cmp.Diff(whole, got, fuzzCmp...); d != "" {
		t.Fatalf("read with the last bytes and io.EOF together, the input gives another result (-whole +split):\n%s", d)
	}
	return whole
}

// fuzzResult is all that a Reader gives for one input, for comparing reads.
type fuzzResult struct {
	NewErr  string // NewReader's error; the rest is empty when it failed
	Format  string
	Events  []qunops.Event
	Errs    []fuzzErr // row errors and the final error, in order
	Stats   Stats
	Summary Summary
	Dir     Directory // the directory the Reader used, at the end
}

// fuzzErr is one error of Decode and where it came.
type fuzzErr struct {
	After int    // events returned before it
	Line  int    // the row's line; 0 for the final error
	Msg   string // err.Error()
}

// fuzzCmp compares fuzzResults: times by their instant, zone name and
// offset (a time.Time's own Equal would ignore the zone).
var fuzzCmp = []cmp.Option{
	cmp.AllowUnexported(Directory{}),
	cmp.Transformer("time", func(t time.Time) string {
		return t.Format("2006-01-02T15:04:05.999999999Z07:00 MST")
	}),
}

// readFuzz reads in, which yields data, to its end with the checks of
// fuzzReader that hold for a single read, and returns what it read.
func readFuzz(t *testing.T, format string, in io.Reader, data []byte, opts Options) fuzzResult {
	t.Helper()
	r, err := NewReader(format, in, opts)
	if err != nil {
		return fuzzResult{NewErr: err.Error()} // a bad header: rejected up front
	}
	res := fuzzResult{Format: r.Format()}
	lines := bytes.Count(data, []byte{'\n'}) + 1
	// Each row ends in a newline or at the end, and gives at most one event
	// per 、-separated name: far fewer than this many calls.
	for calls := 0; ; calls++ {
		if calls > 4*len(data)+16 {
			t.Fatalf("Decode did not reach the end after %d calls", calls)
		}
		e, err := r.Decode()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			if re.Line < 1 || re.Line > lines {
				t.Fatalf("row error on line %d of a %d-line input: %v", re.Line, lines, err)
			}
			if !strings.HasPrefix(err.Error(), "ingest: line "+strconv.Itoa(re.Line)+": ") {
				t.Fatalf("row error %q does not start with its line", err)
			}
			res.Errs = append(res.Errs, fuzzErr{After: len(res.Events), Line: re.Line, Msg: err.Error()})
			continue
		}
		if err != nil {
			if _, again := r.Decode(); again != err {
				t.Fatalf("final error %v then %v", err, again)
			}
			res.Errs = append(res.Errs, fuzzErr{After: len(res.Events), Msg: err.Error()})
			break
		}
		if verr := e.Validate(); verr != nil {
			t.Fatalf("event %+v does not validate: %v", e, verr)
		}
		if e.Group == "" || e.Member == "" {
			t.Fatalf("event without group or member: %+v", e)
		}
		res.Events = append(res.Events, e)
	}
	s := r.Stats()
	rowErrs := len(res.Errs)
	if rowErrs > 0 && res.Errs[rowErrs-1].Line == 0 {
		rowErrs--
	}
	if s.Events != len(res.Events) || s.Errors != rowErrs {
		t.Fatalf("stats %+v, but Decode returned %d events and %d row errors", s, len(res.Events), rowErrs)
	}
	if s.Errors+s.Skipped > s.Rows {
		t.Fatalf("stats %+v: more bad and skipped rows than rows", s)
	}
	res.Stats, res.Summary, res.Dir = s, r.Summary(), *r.dir
	return res
}

var fuzzZone = time.FixedZone("CST", 8*3600)

func FuzzChatlog(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, Chatlog, data, Options{})
	})
}

func FuzzChatlogCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, ChatlogCSV, data, Options{Location: fuzzZone})
	})
}

func FuzzWeChatMsg(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, WeChatMsg, data, Options{Group: "g@chatroom"})
	})
}

func FuzzPyWxDump(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, PyWxDump, data, Options{Location: fuzzZone})
	})
}

// FuzzSystem checks the system-message parser alone: no panic, and what it
// reads is made of the text (every name it returns occurs in it).
func FuzzSystem(f *testing.F) {
	for _, seed := range []string{
		`"陈浩"邀请"Kevin、晨曦、"加入了群聊`,
		`"郑爽"通过扫描你分享的二维码加入群聊`,
		`林小雨 invited you to a group chat with Kevin, 钱多多 and 晨曦`,
		`"郑爽" joined the group chat via the QR Code shared by "陈浩"`,
		`You were removed from the group chat by "陈浩"`,
		`"陈浩" changed the group name to "三体"`,
		`"郑爽"通过"陈浩"的邀请二维码加入群聊`,
	} {
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, text string, wxids bool) {
		s, ok := parseSystem(text, wxids)
		if !ok {
			return
		}
		all := append(append([]person{s.actor}, s.subjects...), s.others...)
		for _, p := range all {
			if !strings.Contains(text, p.name) || !strings.Contains(text, p.id) {
				t.Fatalf("parseSystem(%q) returned %+v, not in the text", text, p)
			}
		}
		if s.op != opGroupRename && len(s.subjects) == 0 {
			t.Fatalf("parseSystem(%q): a join or leave without subjects", text)
		}
		if (s.op == opJoin) != (s.channel != "") {
			t.Fatalf("parseSystem(%q): op %d with channel %q: every join has one, nothing else", text, s.op, s.channel)
		}
		if s.op == opGroupRename && !strings.Contains(text, s.name) {
			t.Fatalf("parseSystem(%q): group name %q not in the text", text, s.name)
		}
	})
}

// FuzzNoticeXML checks the XML notice reader: no panic, and a join or leave
// it reads names someone.
func FuzzNoticeXML(f *testing.F) {
	f.Add(tmplXML(`"$username$"邀请"$names$"加入了群聊`, profileXML("username", [2]string{"wxid_a", "A"}), profileXML("names", [2]string{"wxid_b", "B"})))
	f.Add(delXML(`你将"B、C"移出了群聊`, "invite", "wxid_b"))
	f.Add(delXML(`"B"通过扫描你分享的二维码加入群聊`, "qrcode", "wxid_b", "wxid_c"))
	f.Add(tmplXML(`"$adder$"通过"$from$"的邀请二维码加入群聊`, profileXML("adder", [2]string{"wxid_b", "B"}), profileXML("from", [2]string{"wxid_a", "A"})))
	f.Fuzz(func(t *testing.T, text string) {
		s, ok := parseSysmsgXML(text, func(name string) bool { return len(name)%2 == 0 })
		if !ok {
			return
		}
		if s.op != opGroupRename && len(s.subjects) == 0 {
			t.Fatalf("parseSysmsgXML(%q): a join or leave without subjects", text)
		}
		for _, p := range s.subjects {
			if !p.self && p.id == "" && p.name == "" {
				t.Fatalf("parseSysmsgXML(%q): a subject without id or name", text)
			}
		}
	})
}
