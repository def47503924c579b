package onebot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/bot"
	"github.com/qunops/qunops/rules"
)

func TestWebhookStatus(t *testing.T) {
	_, tr, hook := startFake(t, "tok")
	ev := notice("n1", "group_member_increase", "join", "u1", "u1", at(8, 0, 0))
	cases := []struct {
		name   string
		method string
		path   string
		ctype  string
		auth   string
		body   string
		want   int
	}{
		{"header token", "POST", "/", "application/json", "Bearer tok", ev, 204},
		{"query token, as the spec allows without the header", "POST", "/?access_token=tok", "application/json", "", ev, 204},
		{"wrong token", "POST", "/", "application/json", "Bearer nope", ev, 401},
		{"token without Bearer", "POST", "/", "application/json", "tok", ev, 401},
		{"no token", "POST", "/", "application/json", "", ev, 401},
		{"header wins over a right query token", "POST", "/?access_token=tok", "application/json", "Bearer nope", ev, 401},
		{"GET", "GET", "/", "application/json", "Bearer tok", "", 405},
		{"msgpack", "POST", "/", "application/msgpack", "Bearer tok", ev, 415},
		{"charset is fine", "POST", "/", "application/json; charset=utf-8", "Bearer tok", ev, 204},
		{"bad JSON", "POST", "/", "application/json", "Bearer tok", "{", 400},
		{"a heartbeat is acknowledged", "POST", "/", "application/json", "Bearer tok", `{"id":"h","time":1,"type":"meta","detail_type":"heartbeat","interval":5000}`, 204},
		{"a name notice without a name is refused with the reason", "POST", "/", "application/json", "Bearer tok", `{"id":"t","time":1772409600,"type":"notice","detail_type":"group_name_update","group_id":"g","operator_id":"op"}`, 400},
		{"a group message without a user", "POST", "/", "application/json", "Bearer tok", `{"id":"x","time":1772409600,"type":"message","detail_type":"group","message_id":"1","group_id":"g","user_id":""}`, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, hook.URL+c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", c.ctype)
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := hook.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("status %d, want %d", resp.StatusCode, c.want)
			}
		})
	}
	if got := tr.Dropped(); got["meta.heartbeat"] != 1 {
		t.Errorf("Dropped %v, want meta.heartbeat 1", got)
	}
	if n := len(tr.queue); n != 3 {
		t.Errorf("%d events queued, want 3 (the accepted joins)", n)
	}
}

func TestDecode(t *testing.T) {
	sh := qunops.DefaultLocation()
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, sh)
	cases := []struct {
		name string
		in   string
		want []qunops.Event
		err  string
	}{
		{"text", groupMsg("1", "u", at(8, 0, 0), text("hi")),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:1", Text: "hi"}}, ""},
		{"image with a caption", groupMsg("2", "u", at(8, 0, 0), `[{"type":"image","data":{"file_id":"f"}},{"type":"text","data":{"text":"look"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:2", Kind: qunops.KindImage, Text: "look"}}, ""},
		{"voice", groupMsg("3", "u", at(8, 0, 0), `[{"type":"voice","data":{"file_id":"f"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:3", Kind: qunops.KindVoice}}, ""},
		{"file", groupMsg("4", "u", at(8, 0, 0), `[{"type":"file","data":{"file_id":"f"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:4", Kind: qunops.KindFile}}, ""},
		{"an extended segment is other", groupMsg("5", "u", at(8, 0, 0), `[{"type":"wx.link_share","data":{"url":"http://x.example"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:5", Kind: qunops.KindOther}}, ""},
		{"a bare reply is a quote", groupMsg("6", "u", at(8, 0, 0), `[{"type":"reply","data":{"message_id":"1","user_id":"v"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:6", Kind: qunops.KindQuote}}, ""},
		{"an extended segment's data are not read", groupMsg("10", "u", at(8, 0, 0), `[{"type":"wx.emoji","data":{"text":5,"user_id":7}},{"type":"text","data":{"text":"ok"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:10", Kind: qunops.KindOther, Text: "ok"}}, ""},
		{"mentions are not text", groupMsg("7", "u", at(8, 0, 0), `[{"type":"mention","data":{"user_id":"v"}},{"type":"text","data":{"text":" hi"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:7", Text: " hi"}}, ""},
		{"/report of one's own message is a message", groupMsg("8", "u", at(8, 0, 0), `[{"type":"reply","data":{"message_id":"1","user_id":"u"}},{"type":"text","data":{"text":"/report"}}]`),
			[]qunops.Event{{Type: qunops.Message, Group: "g1@chatroom", Member: "u", Time: t0, ID: "onebot:m:8", Text: "/report"}}, ""},
		{"time with a fraction", notice("n", "group_member_decrease", "leave", "u", "u", at(8, 0, 0)+0.25),
			[]qunops.Event{{Type: qunops.Leave, Group: "g1@chatroom", Member: "u", Time: t0.Add(250 * time.Millisecond), ID: "onebot:n:n"}}, ""},
		{"a private message is not mapped", `{"id":"p","time":1,"type":"message","detail_type":"private","user_id":"u"}`, nil, ""},
		{"no message_id", `{"id":"x","time":1772409600,"type":"message","detail_type":"group","group_id":"g","user_id":"u"}`, nil, "message_id is empty"},
		{"time 0", `{"id":"x","time":0,"type":"notice","detail_type":"group_member_increase","group_id":"g","user_id":"u"}`, nil, "time 0 is not a Unix time"},
		{"time as a string", `{"id":"x","time":"1","type":"notice"}`, nil, "onebot: event:"},
		{"segment data of the wrong type", groupMsg("9", "u", at(8, 0, 0), `[{"type":"text","data":{"text":5}}]`), nil, "message[0] text segment data"},
		{"Walle-Q's name notice: the operator renamed the group", nameNotice("t1", "u2", "Cheap Phones 便宜手机", at(8, 0, 0)),
			[]qunops.Event{{Type: qunops.Title, Group: "g1@chatroom", Member: "u2", Time: t0, ID: "onebot:n:t1", Text: "Cheap Phones 便宜手机"}}, ""},
		{"the bot's own set_group_name, reported back", nameNotice("t2", "bot", "Morning Group", at(8, 0, 0)),
			[]qunops.Event{{Type: qunops.Title, Group: "g1@chatroom", Member: "bot", Time: t0, ID: "onebot:n:t2", Text: "Morning Group"}}, ""},
		{"a prefixed detail_type, user_id and name (Lagrange's fields)", `{"id":"t3","time":1772409600,"type":"notice","detail_type":"qq.group_name_change","group_id":"g","user_id":"u","name":"n"}`,
			[]qunops.Event{{Type: qunops.Title, Group: "g", Member: "u", Time: t0, ID: "onebot:n:t3", Text: "n"}}, ""},
		{"operator_id wins over user_id", `{"id":"t4","time":1772409600,"type":"notice","detail_type":"group_name_update","group_id":"g","user_id":"u","operator_id":"op","group_name":"n"}`,
			[]qunops.Event{{Type: qunops.Title, Group: "g", Member: "op", Time: t0, ID: "onebot:n:t4", Text: "n"}}, ""},
		{"group_name wins over name", `{"id":"t5","time":1772409600,"type":"notice","detail_type":"group_name_update","group_id":"g","operator_id":"op","group_name":"a","name":"b"}`,
			[]qunops.Event{{Type: qunops.Title, Group: "g", Member: "op", Time: t0, ID: "onebot:n:t5", Text: "a"}}, ""},
		{"a name notice without a name", `{"id":"t6","time":1772409600,"type":"notice","detail_type":"group_name_update","group_id":"g","operator_id":"op"}`,
			nil, "group_name and name are missing"},
		{"a name notice with an empty name", nameNotice("t7", "op", "", at(8, 0, 0)), nil, "group_name is empty"},
		{"a name notice whose name is a number", `{"id":"t8","time":1772409600,"type":"notice","detail_type":"group_name_update","group_id":"g","operator_id":"op","group_name":5}`,
			nil, "group_name 5 is not a string"},
		{"a name notice without a renamer", `{"id":"t9","time":1772409600,"type":"notice","detail_type":"group_name_change","group_id":"g","name":"n"}`,
			nil, "operator_id and user_id are empty"},
		{"a name notice without a group", `{"id":"t10","time":1772409600,"type":"notice","detail_type":"group_name_update","operator_id":"op","group_name":"n"}`,
			nil, "group_id is empty"},
		{"a name notice's name is not read elsewhere", `{"id":"x","time":1772409600,"type":"notice","detail_type":"group_member_increase","group_id":"g","user_id":"u","name":{"first":"a"}}`,
			[]qunops.Event{{Type: qunops.Join, Group: "g", Member: "u", Time: t0, ID: "onebot:n:x"}}, ""},
		{"a message event is never a name notice", `{"id":"x","time":1772409600,"type":"message","detail_type":"group_name_update","group_id":"g","operator_id":"op","group_name":"n"}`, nil, ""},
		{"an upper-case prefix is not a prefix", `{"id":"x","time":1772409600,"type":"notice","detail_type":"QQ.group_name_update","group_id":"g","operator_id":"op","group_name":"n"}`, nil, ""},
		{"a name notice of an unknown name is dropped", `{"id":"x","time":1772409600,"type":"notice","detail_type":"wx.group_title_set","group_id":"g","operator_id":"op","group_name":"n"}`, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := Decode([]byte(c.in), nil)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(groupMsg("1", "u", at(8, 0, 0), text("hi"))))
	f.Add([]byte(notice("n", "group_member_increase", "invite", "u", "a", at(8, 0, 0))))
	f.Add([]byte(`{"type":"message","detail_type":"group","time":1e300}`))
	f.Add([]byte(nameNotice("t", "op", "Cheap Phones 便宜手机", at(8, 0, 0))))
	f.Add([]byte(`{"id":"t","time":1772409600,"type":"notice","detail_type":"qq.group_name_change","group_id":"g","user_id":"u","name":"n"}`))
	f.Add([]byte(`{"id":"t","time":1772409600,"type":"notice","detail_type":"group_name_update","group_id":"g","operator_id":"op","group_name":null,"name":["x"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, _, err := Decode(b, nil)
		if err != nil {
			return
		}
		for _, ev := range evs {
			if ev.Group == "" || ev.Member == "" || ev.Time.IsZero() {
				t.Fatalf("Decode(%q) gave an event without group, member or time: %+v", b, ev)
			}
			if ev.Type == qunops.Title && ev.Text == "" {
				t.Fatalf("Decode(%q) gave a title without the new name: %+v", b, ev)
			}
		}
	})
}

func TestPerformErrors(t *testing.T) {
	f, tr, _ := startFake(t, "")
	ctx := context.Background()
	f.reply = func(action string, p map[string]any) (string, int64) {
		switch {
		case action == "delete_message" && p["message_id"] == "gone":
			return "failed", 35001 // logic error: already deleted
		case action == "delete_message" && p["message_id"] == "busy":
			return "failed", 20002 // internal handler error
		case action == "send_message" && p["detail_type"] == "private":
			return "failed", 10003 // bad param
		}
		return "ok", 0
	}
	cases := []struct {
		name      string
		a         rules.Action
		permanent bool
		ok        bool
	}{
		{"deleting a deleted message is permanent", rules.Action{Type: rules.Recall, Group: "g", MessageID: "onebot:m:gone"}, true, false},
		{"a handler error is retried", rules.Action{Type: rules.Recall, Group: "g", MessageID: "onebot:m:busy"}, false, false},
		{"a bad param is permanent", rules.Action{Type: rules.Notify, Group: "g", Member: "admin1", Text: "x"}, true, false},
		{"a message id from elsewhere is permanent", rules.Action{Type: rules.Recall, Group: "g", MessageID: "telegram:1:2"}, true, false},
		{"blacklist calls nothing", rules.Action{Type: rules.Blacklist, Group: "g", Member: "u"}, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := tr.Perform(ctx, c.a)
			if c.ok != (err == nil) || (err != nil && bot.IsPermanent(err) != c.permanent) {
				t.Errorf("Perform: %v (permanent %v), want ok %v permanent %v", err, bot.IsPermanent(err), c.ok, c.permanent)
			}
		})
	}
	f.take()

	// A wrong token is permanent.
	_, bad, _ := startFake(t, "right")
	bad.cfg.AccessToken = "wrong"
	if err := bad.Perform(ctx, rules.Action{Type: rules.Warn, Group: "g", Text: "x"}); !bot.IsPermanent(err) {
		t.Errorf("wrong token: %v, want a permanent error", err)
	}
	// An unreachable implementation is retried.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	tr2, _ := New(Config{APIURL: dead.URL})
	if err := tr2.Perform(ctx, rules.Action{Type: rules.Warn, Group: "g", Text: "x"}); err == nil || bot.IsPermanent(err) {
		t.Errorf("unreachable: %v, want a transient error", err)
	}
}

// TestRemoveRetryKicksOnce: a Remove whose notice failed is retried by
// posting the notice only; the kick, done, is not sent again.
func TestRemoveRetryKicksOnce(t *testing.T) {
	f, tr, _ := startFake(t, "")
	fail := true
	f.reply = func(action string, _ map[string]any) (string, int64) {
		if action == "send_message" && fail {
			return "failed", 34001 // a platform error: worth a retry
		}
		return "ok", 0
	}
	a := rules.Action{Type: rules.Remove, Group: "g", Member: "u", Text: "bye", Time: time.Unix(1, 0)}
	if err := tr.Perform(context.Background(), a); err == nil || bot.IsPermanent(err) {
		t.Fatalf("first try: %v, want a transient error", err)
	}
	fail = false
	if err := tr.Perform(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`kick_group_member {"group_id":"g","user_id":"u"}`,
		`send_message {"detail_type":"group","group_id":"g","message":[{"data":{"text":"bye"},"type":"text"}]}`,
		`send_message {"detail_type":"group","group_id":"g","message":[{"data":{"text":"bye"},"type":"text"}]}`,
	}
	if diff := cmp.Diff(want, f.take()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if n := tr.memo.Len(); n != 0 {
		t.Errorf("memo holds %d actions after the Remove finished, want 0", n)
	}
}

func TestNewValidates(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"no url", Config{}, "api_url is empty"},
		{"not http", Config{APIURL: "ws://x"}, `api_url "ws://x" is not an http`},
		{"negative queue", Config{APIURL: "http://x", QueueN: -1}, "queue_n -1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("New: %v, want %q", err, c.err)
			}
		})
	}
}

// TestRetitle: a Retitle is one set_group_name with exactly the group and
// the name to restore; one without a name calls nothing.
func TestRetitle(t *testing.T) {
	f, tr, _ := startFake(t, "")
	ctx := context.Background()
	a := rules.Action{Type: rules.Retitle, Rule: rules.RuleTitle, Group: "g1@chatroom", Member: "u2", Text: "Morning Group 早安"}
	if err := tr.Perform(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := tr.Perform(ctx, rules.Action{Type: rules.Retitle, Group: "g1@chatroom", Member: "u2"}); !bot.IsPermanent(err) || !strings.Contains(err.Error(), "text") {
		t.Errorf("retitle without a name: %v, want a permanent error naming the text", err)
	}
	want := []string{`set_group_name {"group_id":"g1@chatroom","group_name":"Morning Group 早安"}`}
	if diff := cmp.Diff(want, f.take()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// An implementation without the action: retcode 10002 is permanent.
	f.reply = func(string, map[string]any) (string, int64) { return "failed", 10002 }
	if err := tr.Perform(ctx, a); !bot.IsPermanent(err) {
		t.Errorf("unsupported set_group_name: %v, want a permanent error", err)
	}
}

// TestTitleNotices: Config.TitleNotices replaces the default names, and a
// name that is not a detail_type is refused.
func TestTitleNotices(t *testing.T) {
	tr, err := New(Config{APIURL: "http://127.0.0.1:1/", TitleNotices: []string{"group_title_set"}})
	if err != nil {
		t.Fatal(err)
	}
	hook := httptest.NewServer(tr)
	defer hook.Close()
	for _, c := range []struct {
		name, event string
		want        int // events queued
	}{
		{"the configured name", `{"id":"a","time":1772409600,"type":"notice","detail_type":"wx.group_title_set","group_id":"g","operator_id":"op","group_name":"n"}`, 1},
		{"a default name no longer read", nameNotice("b", "op", "n", at(8, 0, 0)), 0},
	} {
		if code := push(t, hook, "", c.event); code != 204 {
			t.Errorf("%s: status %d, want 204", c.name, code)
		}
		if n := len(tr.queue); n != c.want {
			t.Errorf("%s: %d events queued, want %d", c.name, n, c.want)
		}
		for len(tr.queue) > 0 {
			<-tr.queue
		}
	}
	if _, err := New(Config{APIURL: "http://x", TitleNotices: []string{"qq.group_name_update"}}); err == nil || !strings.Contains(err.Error(), `"qq.group_name_update" is not a detail_type`) {
		t.Errorf("a prefixed name: %v, want an error naming it", err)
	}
}

// TestEveryActionTypeMapped: each action type the engine can give is
// performed (a new one without a mapping fails here, not in a group).
func TestEveryActionTypeMapped(t *testing.T) {
	_, tr, _ := startFake(t, "")
	for i, typ := range rules.ActionTypes() {
		a := rules.Action{Type: typ, Group: "g1@chatroom", Member: "u1", Text: "x", MessageID: MessageIDPrefix + "m1", Time: time.Unix(int64(i), 0)}
		if err := tr.Perform(context.Background(), a); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
}
