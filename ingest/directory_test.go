package ingest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

func TestDirectory(t *testing.T) {
	var d Directory
	d.observe("g", "wxid_a", "小王", false)
	d.observe("g", "wxid_b", "小王", false)
	d.observe("g", "wxid_a", "小王", false) // again: counted once
	d.observe("g", "wxid_c", " Kevin ", false)
	d.observe("h", "wxid_d", "Kevin", false)
	d.observe("g", "wxid_e", "", false) // no name: nothing to learn
	for _, tc := range []struct {
		group, name string
		want        []string
	}{
		{"g", "小王", []string{"wxid_a", "wxid_b"}},
		{"g", "Kevin", []string{"wxid_c"}},
		{"h", "Kevin", []string{"wxid_d"}},
		{"h", "小王", nil},
		{"x", "Kevin", nil},
	} {
		if got := d.Lookup(tc.group, tc.name); !cmp.Equal(got, tc.want) {
			t.Errorf("Lookup(%q, %q) = %v, want %v", tc.group, tc.name, got, tc.want)
		}
	}
	if id, ok := d.Self(); ok {
		t.Errorf("Self() = %q without any own row", id)
	}
	d.observe("g", "wxid_me", "我的号", true)
	d.observe("h", "wxid_me", "我的号", true)
	if id, ok := d.Self(); !ok || id != "wxid_me" {
		t.Errorf("Self() = %q, %v; want wxid_me", id, ok)
	}
	// Two accounts' rows in one export (two exports concatenated): the
	// account's id is not guessed.
	d.observe("g", "wxid_other", "另一个号", true)
	if id, ok := d.Self(); ok {
		t.Errorf("Self() = %q after rows of two accounts", id)
	}
	var nilDir *Directory
	if nilDir.Lookup("g", "x") != nil {
		t.Error("a nil Directory knows a name")
	}
}

// events imports a fixture through in and returns its join and leave
// events.
func joinsAndLeaves(t *testing.T, format string, in io.Reader, opts Options) ([]qunops.Event, *Reader) {
	t.Helper()
	r, err := NewReader(format, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []qunops.Event
	for {
		e, err := r.Decode()
		if err == io.EOF {
			return out, r
		}
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == qunops.Join || e.Type == qunops.Leave {
			out = append(out, e)
		}
	}
}

// TestDirectoryOverAStream: an input that cannot seek is read once, so a
// name resolves only when its member spoke before the notice; a Directory
// from ScanDirectory (of a copy of the file) gives the two-pass result.
func TestDirectoryOverAStream(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "chatlog_v4.json"))
	if err != nil {
		t.Fatal(err)
	}
	stream := struct{ io.Reader }{bytes.NewReader(data)} // hides Seek
	es, r := joinsAndLeaves(t, Chatlog, stream, Options{})
	// Kevin and 钱多多 speak only after the invitation that names them.
	if es[0].Member != NamePrefix+"Kevin" || es[1].Member != NamePrefix+"钱多多" {
		t.Errorf("streamed: first joins %q, %q; want name-only ids", es[0].Member, es[1].Member)
	}
	// 老李 spoke before his removal.
	if last := es[len(es)-1]; last.Type != qunops.Leave || last.Member != "wxid_laoli" {
		t.Errorf("streamed: last event %+v, want the leave of wxid_laoli", last)
	}
	if n := r.Summary().Count(ReasonNameUnresolved); n == 0 {
		t.Error("streamed: unresolved names not counted")
	}

	d, err := ScanDirectory(Chatlog, bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	es, r = joinsAndLeaves(t, Chatlog, struct{ io.Reader }{bytes.NewReader(data)}, Options{Directory: d})
	if es[0].Member != "wxid_kevin" || es[1].Member != "wxid_qdd" {
		t.Errorf("with ScanDirectory: first joins %q, %q; want wxid_kevin, wxid_qdd", es[0].Member, es[1].Member)
	}
	if n := r.Summary().Count(ReasonNameUnresolved); n != 0 {
		t.Errorf("with ScanDirectory: %d unresolved names\n%s", n, r.Summary())
	}
}

// TestSelfFromOwnRows: the account's own rows give its id, so that "你" in a
// notice and its own messages are one member (issue 17: it split into its
// wxid and "self"); PyWxDump 3.1's own rows keep their wxid from talker.
func TestSelfFromOwnRows(t *testing.T) {
	for _, tc := range []struct {
		name, format, file string
		opts               Options
	}{
		{"chatlog isSelf", Chatlog, "chatlog_v4.json", Options{}},
		{"wechatmsg IsSender", WeChatMsg, "wechatmsg_v1.csv", Options{Group: "3001@chatroom"}},
		{"pywxdump 3.1 is_sender and talker", PyWxDump, "pywxdump31.csv", Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := openFixture(t, tc.file)
			r, err := NewReader(tc.format, f, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			own, byYou := 0, 0
			for {
				e, err := r.Decode()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if e.Member == DefaultSelf || e.Actor == DefaultSelf {
					t.Fatalf("event %+v names the account %q", e, DefaultSelf)
				}
				if e.Type == qunops.Message && e.Member == "wxid_me" {
					own++
				}
				if e.Actor == "wxid_me" {
					byYou++
				}
			}
			if own == 0 || byYou == 0 {
				t.Errorf("%d own messages and %d acts of the account as wxid_me; want both", own, byYou)
			}
			if n := r.Summary().Count(ReasonSelfUnknown); n != 0 {
				t.Errorf("%d self-unknown notes", n)
			}
		})
	}
}

// TestWeChatMsgRemarkNamesTheSender: WeChat names a member in notices by the
// remark the account gave them, which WeChatMsg writes in its Remark column
// beside NickName and Sender (app/util/exporter/exporter_csv.py).
func TestWeChatMsgRemarkNamesTheSender(t *testing.T) {
	in := "\uFEFFlocalId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n" +
		"1,7,10000,0,0,1772413200,4,\"\"\"老同学\"\"邀请\"\"Kevin\"\"加入了群聊\",2026-03-02 09:00:00,,,\r\n" +
		"2,7,1,0,0,1772413260,2,早,2026-03-02 09:01:00,老同学,陈浩,wxid_chenhao\r\n" +
		"3,7,1,0,0,1772413320,2,Hi,2026-03-02 09:02:00,Kevin,Kevin,wxid_kevin\r\n"
	es, _ := joinsAndLeaves(t, WeChatMsg, strings.NewReader(in), Options{Group: "3001@chatroom"})
	if len(es) != 1 || es[0].Member != "wxid_kevin" || es[0].Actor != "wxid_chenhao" {
		t.Fatalf("joins %+v, want wxid_kevin invited by wxid_chenhao", es)
	}
}
