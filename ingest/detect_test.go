package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/golden"
)

// weekGroup is the group of the one-week fixtures of the formats added for
// issue 17 (testdata/<format>/, written as the upstream writers write them;
// see testdata/README.md).
const weekGroup = "24681357@chatroom"

// weekFixture is one of those fixtures and the options an analyst would give.
type weekFixture struct {
	name, format, path string
	opts               Options
}

func weekFixtures(t testing.TB) []weekFixture {
	t.Helper()
	users, err := os.Open(filepath.Join("testdata", "pywxdump-json", "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer users.Close()
	contacts, err := ReadPyWxDumpUsers(users)
	if err != nil {
		t.Fatal(err)
	}
	return []weekFixture{
		// No wxid and no group column: the analyst names the group.
		{"wechatmsg-v2", WeChatMsg2, "wechatmsg-v2/week.csv", Options{Group: weekGroup}},
		{"pywxdump-content", PyWxDumpContent, "pywxdump-content/week.csv", Options{Self: "wxid_zhou"}},
		{"pywxdump-json", PyWxDumpJSON, "pywxdump-json/24681357@chatroom_0_33.json", Options{Self: "wxid_zhou", Contacts: contacts}},
		{"chatlab", ChatLab, "chatlab/week.json", Options{Self: "wxid_zhou"}},
		{"chatlab-jsonl", ChatLab, "chatlab/week.jsonl", Options{Self: "wxid_zhou"}},
	}
}

func openFixture(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestGoldenWeek imports each one-week fixture with Auto and compares the
// events and the report with the golden files (-update rewrites them).
func TestGoldenWeek(t *testing.T) {
	for _, fx := range weekFixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			ev, rep := render(t, Auto, openFixture(t, fx.path), fx.opts)
			golden.Check(t, filepath.Join("testdata", "golden", fx.name+".jsonl"), ev)
			golden.Check(t, filepath.Join("testdata", "golden", fx.name+".txt"), rep)
		})
	}
}

// fact is a join or leave as "member<-actor", or a group rename (a title
// event) as "renamer:name".
type groundTruth struct {
	Joins, Leaves, Renames []string
}

// TestWeekGroundTruth checks, per fixture, every join (with its inviter),
// leave and group rename of the week against what happened in the group,
// written down by hand from the scenario (testdata/README.md): Kevin and
// 钱多多 invited by 林小雨, 新人小刘 by the account, 郑爽 by 林小雨's QR code,
// 王[五] by the account's QR code, 晨曦、 by 陈浩, the second 张伟 and the
// WeCom member 李总 (an @openim id) by 林小雨; 推广小王 removed by the account;
// the group renamed by 林小雨.
//
// Each member is expected by wxid where the export lets a reader know it.
// The second 张伟 shares the name of a member already there, so a
// name-only notice cannot tell them apart: name:张伟 in every format. The
// PyWxDump 2.4 CSV names no one (its talker column holds wxids, no column
// holds names, and that version writes no users.json): its notices stay by
// name. WeChatMsg v2 has no wxid at all.
func TestWeekGroundTruth(t *testing.T) {
	byWxid := groundTruth{
		Joins: []string{
			"wxid_kevin88<-wxid_lin01", "wxid_qdd<-wxid_lin01", "wxid_liu<-wxid_zhou",
			"wxid_zs<-wxid_lin01", "wxid_ww5<-wxid_zhou", "wxid_cx2026<-wxid_chenhao", "name:张伟<-wxid_lin01",
			"7881300123456789@openim<-wxid_lin01",
		},
		Leaves:  []string{"wxid_ad<-wxid_zhou"},
		Renames: []string{"wxid_lin01:周末读书会·三月"},
	}
	byName := func(self string) groundTruth {
		return groundTruth{
			Joins: []string{
				"name:Kevin<-name:林小雨", "name:钱多多<-name:林小雨", "name:新人小刘<-" + self,
				"name:郑爽<-name:林小雨", "name:王[五]<-" + self, "name:晨曦、<-name:陈浩", "name:张伟<-name:林小雨",
				"name:李总<-name:林小雨",
			},
			Leaves:  []string{"name:推广小王<-" + self},
			Renames: []string{"name:林小雨:周末读书会·三月"},
		}
	}
	want := map[string]groundTruth{
		"wechatmsg-v2":     byName(DefaultSelf),
		"pywxdump-content": byName("wxid_zhou"),
		"pywxdump-json":    byWxid,
		"chatlab":          byWxid,
		"chatlab-jsonl":    byWxid,
	}
	for _, fx := range weekFixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			r, err := NewReader(Auto, openFixture(t, fx.path), fx.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got groundTruth
			for e, err := range r.All() {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				switch e.Type {
				case qunops.Join:
					got.Joins = append(got.Joins, e.Member+"<-"+e.Actor)
				case qunops.Leave:
					got.Leaves = append(got.Leaves, e.Member+"<-"+e.Actor)
				case qunops.Title:
					got.Renames = append(got.Renames, e.Member+":"+e.Text)
				}
			}
			if diff := cmp.Diff(want[fx.name], got); diff != "" {
				t.Errorf("joins, leaves and renames (-want +got):\n%s", diff)
			}
			if r.Format() != fx.format {
				t.Errorf("Auto read it as %s, want %s", r.Format(), fx.format)
			}
		})
	}
}

// TestWeekKindsNeverText checks issue 17's item 4 on the new formats: a
// placeholder of media (an image path, a link card and its URL, a transfer
// amount, a forwarded record) never becomes message text, and a quote keeps
// only the reply.
func TestWeekKindsNeverText(t *testing.T) {
	for _, fx := range weekFixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			r, err := NewReader(fx.format, openFixture(t, fx.path), fx.opts)
			if err != nil {
				t.Fatal(err)
			}
			quotes := 0
			for e, err := range r.All() {
				if err != nil {
					t.Fatal(err)
				}
				if e.Type != qunops.Message {
					continue
				}
				for _, leak := range []string{"http", "FileStorage", "￥", "【", "[图片]", "[链接]", "引用"} {
					if strings.Contains(e.Text, leak) {
						t.Errorf("%s message %s has text %q (contains %q)", e.Kind, e.ID, e.Text, leak)
					}
				}
				if e.Kind == qunops.KindQuote {
					quotes++
					if e.Text != "欢迎！" {
						t.Errorf("quote text %q, want the reply 欢迎！ alone", e.Text)
					}
				}
			}
			if quotes != 1 {
				t.Errorf("%d quotes, want the fixture's 1", quotes)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	fixture := func(path string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", path))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"chatlog JSON", fixture("chatlog.json"), Chatlog},
		{"chatlog CSV", fixture("chatlog.csv"), ChatlogCSV},
		{"WeChatMsg v1", fixture("wechatmsg.csv"), WeChatMsg},
		{"PyWxDump 3.1 CSV", fixture("pywxdump.csv"), PyWxDump},
		{"WeChatMsg v2", fixture("wechatmsg-v2/week.csv"), WeChatMsg2},
		{"PyWxDump 2.4 CSV", fixture("pywxdump-content/week.csv"), PyWxDumpContent},
		{"PyWxDump 3.1 JSON", fixture("pywxdump-json/24681357@chatroom_0_33.json"), PyWxDumpJSON},
		{"ChatLab JSON", fixture("chatlab/week.json"), ChatLab},
		{"ChatLab JSON Lines", fixture("chatlab/week.jsonl"), ChatLab},
		{"empty JSON array", []byte(" [ ] "), Chatlog},
		{"BOM and spaces before a CSV header", []byte("\uFEFF\r\nTime,SenderName,Sender,TalkerName,Talker,Content\n"), ChatlogCSV},
		{"quoted CSV header", []byte(`"消息ID","类型","发送人","时间","内容"` + "\n"), WeChatMsg2},
		{"chatlog object cut by the peek", []byte(`[{"seq":1,"time":"2026-03-02T08:00:00+08:00","talker":"g@chatroom","content":"` + strings.Repeat("x", 100)), Chatlog},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := detect(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("detect = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestDetectUnknownListsLayouts checks that an input Auto does not recognise
// is an error that says what it saw and lists every recognised layout.
func TestDetectUnknownListsLayouts(t *testing.T) {
	for _, tc := range []struct{ name, in, saw string }{
		{"empty", "", "the input is empty"},
		{"other CSV", "date,from,text\n2026-03-02,a,b\n", `first line "date,from,text"`},
		{"other JSON array", `[{"id":1,"body":"x"}]`, "keys body,id"},
		{"other JSON object", `{"version":2}`, `first key is "version"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(Auto, strings.NewReader(tc.in), Options{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "ingest: auto: unknown layout") || !strings.Contains(msg, tc.saw) {
				t.Errorf("error %q does not say it saw %q", msg, tc.saw)
			}
			for _, f := range Formats() {
				if !strings.Contains(msg, "\n  "+f+": ") {
					t.Errorf("error does not list %s:\n%s", f, msg)
				}
			}
		})
	}
}

// TestHeaderErrorNamesLayout covers issue 17's complaint that "header lacks
// column msg" did not say which format the input is: with Auto the error
// names the layout recognised, and with a wrong -from the one the input has.
func TestHeaderErrorNamesLayout(t *testing.T) {
	content := "id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime\n"
	_, err := NewReader(PyWxDump, strings.NewReader(content), Options{})
	if err == nil || !strings.Contains(err.Error(), `lacks column "msg"`) || !strings.Contains(err.Error(), "looks like "+PyWxDumpContent) {
		t.Errorf("pywxdump on a 2.4 CSV: %v; want the missing column and the layout it looks like", err)
	}
	// Recognised by its signature columns, but without CreateTime.
	_, err = NewReader(Auto, strings.NewReader("id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), `lacks column "CreateTime"`) || !strings.Contains(err.Error(), "auto recognised: "+PyWxDump) {
		t.Errorf("auto on a CSV without CreateTime: %v; want the missing column and the layout recognised", err)
	}
}

// TestAutoLosesNoBytes reads every fixture twice, once naming its format and
// once with Auto through a reader that returns one byte per call: the peek
// must give back what it looked at.
func TestAutoLosesNoBytes(t *testing.T) {
	loc := shanghai(t)
	all := append(weekFixtures(t),
		weekFixture{"chatlog", Chatlog, "chatlog.json", Options{}},
		weekFixture{"chatlog-csv", ChatlogCSV, "chatlog.csv", Options{Location: loc}},
		weekFixture{"wechatmsg", WeChatMsg, "wechatmsg.csv", Options{Group: "1001@chatroom"}},
		weekFixture{"pywxdump", PyWxDump, "pywxdump.csv", Options{}},
	)
	for _, fx := range all {
		t.Run(fx.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", fx.path))
			if err != nil {
				t.Fatal(err)
			}
			read := func(format string, in io.Reader) (events []qunops.Event, errs []string) {
				r, err := NewReader(format, in, fx.opts)
				if err != nil {
					t.Fatal(err)
				}
				for e, err := range r.All() {
					if err != nil {
						errs = append(errs, err.Error())
						continue
					}
					events = append(events, e)
				}
				return events, errs
			}
			// A seekable input is read twice (the member directory first),
			// a stream once: compare like with like.
			for _, in := range []struct {
				name string
				wrap func([]byte) io.Reader
			}{
				{"seekable", func(b []byte) io.Reader { return bytes.NewReader(b) }},
				{"one byte a read", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
			} {
				wantEv, wantErr := read(fx.format, in.wrap(data))
				gotEv, gotErr := read(Auto, in.wrap(data))
				if diff := cmp.Diff(wantEv, gotEv); diff != "" {
					t.Errorf("%s: events (-%s +auto):\n%s", in.name, fx.format, diff)
				}
				if !slices.Equal(wantErr, gotErr) {
					t.Errorf("%s: errors: %s gave %q, auto %q", in.name, fx.format, wantErr, gotErr)
				}
			}
		})
	}
}

// TestNoGroupSentinel checks that the formats without a group column fail
// without Options.Group, also when Auto found them, with an error that wraps
// ErrNoGroup for callers that ask for the group in their own words.
func TestNoGroupSentinel(t *testing.T) {
	for _, tc := range []struct{ format, in string }{
		{WeChatMsg2, "消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n"},
		{Auto, "消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n"},
		{Auto, "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent\n"},
	} {
		_, err := NewReader(tc.format, strings.NewReader(tc.in), Options{})
		if !errors.Is(err, ErrNoGroup) {
			t.Errorf("%s on %q: %v, want an error wrapping ErrNoGroup", tc.format, tc.in, err)
		}
	}
}

func TestFormatsListsNewFormats(t *testing.T) {
	got := Formats()
	for _, f := range []string{WeChatMsg2, PyWxDumpContent, PyWxDumpJSON, ChatLab} {
		if !slices.Contains(got, f) {
			t.Errorf("Formats() = %v lacks %s", got, f)
		}
	}
	if slices.Contains(got, Auto) {
		t.Errorf("Formats() = %v lists %s, which names no layout", got, Auto)
	}
}

// FuzzAuto checks detection and reading on any input: no panic, the
// reader's invariants of fuzzReader, and that Auto reads an input as the
// format it recognises does when named.
func FuzzAuto(f *testing.F) {
	for _, fx := range weekFixtures(f) {
		b, err := os.ReadFile(filepath.Join("testdata", fx.path))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/3])
	}
	f.Add([]byte("[]"))
	f.Add([]byte("{}"))
	f.Add([]byte("\uFEFF"))
	f.Fuzz(fuzzAuto)
}

// fuzzAuto is the body of FuzzAuto.
func fuzzAuto(t *testing.T, data []byte) {
	opts := Options{Group: "g@chatroom", Location: fuzzZone}
	auto := fuzzReader(t, Auto, data, opts)
	format := auto.Format
	if auto.NewErr != "" {
		// Rejected: by detection, or by the constructor of the format it
		// recognised, which must then reject the input named too.
		d, err := detect(data[:min(len(data), peekSize)])
		if err != nil {
			return
		}
		format = d
	}
	named := readFuzz(t, format, bytes.NewReader(data), data, opts)
	if auto.NewErr != "" {
		// The same error, but for what each adds about the layout
		// (explainHeader).
		core, ok := strings.CutSuffix(auto.NewErr, " (the layout "+Auto+" recognised: "+format+")")
		if !ok || named.NewErr != core && !strings.HasPrefix(named.NewErr, core+"; the input looks like ") {
			t.Fatalf("%s rejects the input with %q, %s with %q", Auto, auto.NewErr, format, named.NewErr)
		}
		return
	}
	if d := cmp.Diff(auto, named, fuzzCmp...); d != "" {
		t.Fatalf("%s reads the input otherwise than %s named (-auto +named):\n%s", Auto, format, d)
	}
}

// weekExport repeats the data rows (or messages) of a one-week fixture until
// it holds at least rows of them, for benchmarks: a realistic mix of kinds
// and notices, in the writer's own layout.
func weekExport(tb testing.TB, fx weekFixture, rows int) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", fx.path))
	if err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	switch {
	case strings.HasSuffix(fx.path, ".csv"):
		// Records may span lines: cut after the header by the csv package's
		// own notion of a record.
		header, body, _ := bytes.Cut(data, []byte("\n"))
		b.Write(header)
		b.WriteByte('\n')
		for b.Len() < len(data)*rows/32 {
			b.Write(body)
		}
	case strings.HasSuffix(fx.path, ".jsonl"):
		head, body, _ := bytes.Cut(data, []byte("\n"))
		b.Write(head)
		for b.Len() < len(data)*rows/32 {
			b.WriteByte('\n')
			b.Write(body)
		}
	default:
		// A JSON array (PyWxDump) or an object whose messages array is last
		// (ChatLab): repeat the elements of the last array.
		open := bytes.IndexByte(data, '[')
		if fx.format == ChatLab {
			open = bytes.Index(data, []byte(`"messages": [`)) + len(`"messages": `)
		}
		end := bytes.LastIndexByte(data, ']')
		elems := bytes.TrimSpace(data[open+1 : end])
		b.Write(data[:open+1])
		for i := 0; b.Len() < len(data)*rows/32; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(elems)
		}
		b.Write(data[end:])
	}
	return b.Bytes()
}

// BenchmarkReaderWeek reads about 10,000 rows of each format added for issue
// 17, built from its one-week fixture; events/s is the throughput.
func BenchmarkReaderWeek(b *testing.B) {
	for _, fx := range weekFixtures(b) {
		data := weekExport(b, fx, 10000)
		fx.opts.Directory = &Directory{} // read once: measure the reader, not the directory's pass
		b.Run(fx.name, func(b *testing.B) {
			benchDecode(b, fx.format, data, fx.opts)
		})
	}
}
