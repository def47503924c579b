package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

func TestReadPyWxDumpUsers(t *testing.T) {
	f := openFixture(t, "pywxdump-json/users.json")
	got, err := ReadPyWxDumpUsers(f)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's users.json holds the thirteen members who sent a row
	// (get_user(wxids=...) of the talkers), in the order they first spoke.
	if len(got) != 13 {
		t.Fatalf("%d contacts, want 13: %+v", len(got), got)
	}
	if want := (Contact{ID: "wxid_lin01", Nickname: "林小雨"}); got[0] != want {
		t.Errorf("first contact %+v, want %+v", got[0], want)
	}
	for _, tc := range []struct{ name, in, want string }{
		{"not an object", `[]`, "want an object from wxid to user"},
		{"entry not an object", `{"wxid_a": 3}`, `"wxid_a"`},
		{"no wxid anywhere", `{"": {"nickname": "x"}}`, "has no wxid"},
		{"cut", `{"wxid_a": {"wxid": "wxid_a"}`, "users.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadPyWxDumpUsers(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "ingest: users.json") {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	// A key without a wxid field names the contact.
	got, err = ReadPyWxDumpUsers(strings.NewReader("\uFEFF" + `{"wxid_k": {"nickname": "K", "remark": "老K", "ExtraBuf": null}}`))
	if err != nil || len(got) != 1 || got[0] != (Contact{ID: "wxid_k", Nickname: "K", Remark: "老K"}) {
		t.Errorf("got %+v, %v", got, err)
	}
}

func TestWithContacts(t *testing.T) {
	contacts := []Contact{
		{ID: "wxid_a", Nickname: "张伟"},
		{ID: "wxid_b", Nickname: "张伟", Remark: "张伟(财务)"},
		{ID: "wxid_c", Nickname: "Kevin", Remark: "K"},
		{ID: "wxid_d", Nickname: "Dora"},
	}
	got := withContacts(map[string]string{"Dora": "wxid_real_dora"}, contacts)
	want := map[string]string{
		// 张伟 names two contacts: left out.
		"张伟(财务)": "wxid_b", "Kevin": "wxid_c", "K": "wxid_c",
		"Dora": "wxid_real_dora", // the caller's Members win
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	m := map[string]string{"x": "y"}
	if got := withContacts(m, nil); len(got) != 1 || got["x"] != "y" {
		t.Errorf("no contacts changed the map: %v", got)
	}
}

func TestPyWxDumpContentRows(t *testing.T) {
	head := "id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime\n"
	in := head +
		`1,11,文本,1,我,g@chatroom,"{""src"": """", ""msg"": ""大家好""}",2026-03-02 08:00:00` + "\n" +
		`2,12,合并转发的聊天记录,0,wxid_b,g@chatroom,"{""src"": {""recordinfo"": {}}, ""msg"": ""群聊的聊天记录""}",2026-03-02 08:01:00` + "\n" +
		`3,13,文本,0,wxid_b,g@chatroom,{not json},2026-03-02 08:02:00` + "\n" +
		`4,0,系统通知,0,未知,g@chatroom,"{""src"": """", ""msg"": ""\""A\""修改群名为“新名”""}",2026-03-02 08:03:00` + "\n" +
		`5,15,文本,0,wxid_b,wxid_friend,"{""src"": """", ""msg"": ""私聊""}",2026-03-02 08:04:00` + "\n"
	events, errs, err := readAll(t, PyWxDumpContent, in, Options{Self: "wxid_me"})
	if err != nil {
		t.Fatal(err)
	}
	want := []qunops.Event{
		{Type: qunops.Message, Group: "g@chatroom", Member: "wxid_me", Time: events[0].Time, ID: "pywxdump:11", Kind: qunops.KindText, Text: "大家好"},
		{Type: qunops.Message, Group: "g@chatroom", Member: "wxid_b", Time: events[1].Time, ID: "pywxdump:12", Kind: qunops.KindForward},
		// The group rename (issue 16): a title event of the renamer, whose
		// name no column resolves, under the row's number (MsgSvrID 0).
		{Type: qunops.Title, Group: "g@chatroom", Member: "name:A", Time: time.Date(2026, 3, 2, 8, 3, 0, 0, events[1].Time.Location()), ID: "pywxdump:#4", Text: "新名"},
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "line 4: content \"{not json}\" is not PyWxDump's JSON") {
		t.Errorf("row errors %q, want one for line 4's content", errs)
	}
}

func TestPyWxDumpJSONRows(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		events   int
		errs     []string
		final    string
	}{
		{"own row with the account's wxid", `[{"id":1,"MsgSvrID":"9","type_name":"文本","is_sender":1,"talker":"wxid_me","room_name":"g@chatroom","msg":"hi","src":"","extra":{},"CreateTime":"2026-03-02 08:00:00"}]`, 1, nil, ""},
		{"a wrong type is a row error", "[\n" + `{"id":"one","MsgSvrID":"9","type_name":"文本","is_sender":0,"talker":"wxid_a","room_name":"g@chatroom","msg":"x","CreateTime":"2026-03-02 08:00:00"},` + "\n" +
			`{"id":2,"MsgSvrID":"10","type_name":"文本","is_sender":0,"talker":"wxid_a","room_name":"g@chatroom","msg":"y","CreateTime":"2026-03-02 08:00:01"}]`, 1, []string{"line 2: key id: JSON string"}, ""},
		{"a bad time", `[{"id":1,"MsgSvrID":"9","type_name":"文本","is_sender":0,"talker":"wxid_a","room_name":"g@chatroom","msg":"x","CreateTime":"yesterday"}]`, 0, []string{`time "yesterday"`}, ""},
		{"not an array", `{"id":1}`, 0, nil, "want a JSON array"},
		{"data after the array", `[] []`, 0, nil, "data after the array"},
		{"cut", `[{"id":1,`, 0, nil, "unexpected end of input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			events, errs, err := readAll(t, PyWxDumpJSON, tc.in, Options{})
			if len(events) != tc.events {
				t.Errorf("%d events, want %d: %+v", len(events), tc.events, events)
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("row errors %q, want %d", errs, len(tc.errs))
			}
			for i := range errs {
				if !strings.Contains(errs[i], tc.errs[i]) {
					t.Errorf("row error %q lacks %q", errs[i], tc.errs[i])
				}
			}
			if (tc.final == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.final) {
				t.Errorf("final error %v, want %q", err, tc.final)
			}
			if tc.name == "own row with the account's wxid" && events[0].Member != "wxid_me" {
				t.Errorf("the account's row is %q, want its wxid from talker (issue 17: not replaced by self)", events[0].Member)
			}
		})
	}
}

func FuzzPyWxDumpContent(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "pywxdump-content", "week.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte("id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime\n1,2,文本,0,a,g@chatroom,\"{\"\"msg\"\": 3}\",1772409600\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, PyWxDumpContent, data, Options{Location: fuzzZone})
	})
}

func FuzzPyWxDumpJSON(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "pywxdump-json", "24681357@chatroom_0_33.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte(`[{"id":1,"room_name":"g@chatroom","type_name":"系统通知","talker":"未知","msg":"你邀请\"A、B\"加入了群聊","CreateTime":"1772409600"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReader(t, PyWxDumpJSON, data, Options{Location: fuzzZone})
	})
}

// TestJSONArrayLineAfterComma is the regression test of a bad element's
// line when the input arrives a byte at a time (a pipe): the decoder stops at
// the comma before the element, so its line must be counted once the element
// is read (it said the line of the comma before).
func TestJSONArrayLineAfterComma(t *testing.T) {
	in := "[\n" + `{"id":1,"MsgSvrID":"9"},` + "\n\n  [1, 2]\n]"
	for _, tc := range []struct {
		name string
		in   io.Reader
	}{
		{"whole", strings.NewReader(in)},
		{"one byte a read", iotest.OneByteReader(strings.NewReader(in))},
	} {
		a := newJSONArray(PyWxDumpJSON, tc.in)
		var lines []int
		for {
			var m pyWxDumpMessage
			_, err := a.next(&m)
			if err == io.EOF {
				break
			}
			var re *RowError
			if errors.As(err, &re) {
				lines = append(lines, re.Line)
			} else if err != nil {
				t.Fatal(err)
			}
		}
		if len(lines) != 1 || lines[0] != 4 {
			t.Errorf("%s: bad elements on lines %v, want [4]", tc.name, lines)
		}
	}
}
