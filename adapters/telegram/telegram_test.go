package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/bot"
	"github.com/qunops/qunops/rules"
)

func TestEvents(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, sh)
	d := date(8, 0, 0)
	with := func(f func(m *models.Message)) *models.Update {
		m := msg(7, ann, d, "")
		f(m)
		return &models.Update{ID: 1, Message: m}
	}
	g := "-1001234"
	base := qunops.Event{Type: qunops.Message, Group: g, Member: "501", Time: t0, ID: "telegram:" + g + ":7"}
	kind := func(k, text string) []qunops.Event {
		e := base
		e.Kind, e.Text = k, text
		return []qunops.Event{e}
	}
	cases := []struct {
		name string
		u    *models.Update
		want []qunops.Event
	}{
		{"text", with(func(m *models.Message) { m.Text = "hi" }), kind(qunops.KindText, "hi")},
		{"photo with caption", with(func(m *models.Message) { m.Photo = []models.PhotoSize{{FileID: "p"}}; m.Caption = "look" }), kind(qunops.KindImage, "look")},
		{"a GIF is an image, not a document", with(func(m *models.Message) { m.Animation = &models.Animation{}; m.Document = &models.Document{} }), kind(qunops.KindImage, "")},
		{"sticker", with(func(m *models.Message) { m.Sticker = &models.Sticker{} }), kind(qunops.KindSticker, "")},
		{"document", with(func(m *models.Message) { m.Document = &models.Document{} }), kind(qunops.KindFile, "")},
		{"voice", with(func(m *models.Message) { m.Voice = &models.Voice{} }), kind(qunops.KindVoice, "")},
		{"video note", with(func(m *models.Message) { m.VideoNote = &models.VideoNote{} }), kind(qunops.KindVideo, "")},
		{"contact", with(func(m *models.Message) { m.Contact = &models.Contact{} }), kind(qunops.KindCard, "")},
		{"forward", with(func(m *models.Message) { m.ForwardOrigin = &models.MessageOrigin{}; m.Text = "fwd" }), kind(qunops.KindForward, "fwd")},
		{"a hidden text_link URL is appended", with(func(m *models.Message) {
			m.Text = "click here"
			m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeTextLink, Offset: 0, Length: 5, URL: "http://spam.example/"}}
		}), kind(qunops.KindText, "click here http://spam.example/")},
		{"sent on behalf of a channel", with(func(m *models.Message) { m.Text = "x"; m.SenderChat = &models.Chat{ID: -100777} }),
			[]qunops.Event{{Type: qunops.Message, Group: g, Member: "-100777", Time: t0, ID: base.ID, Kind: qunops.KindText, Text: "x"}}},
		{"a new title", with(func(m *models.Message) { m.NewChatTitle = "Cheap Phones 便宜手机" }),
			[]qunops.Event{{Type: qunops.Title, Group: g, Member: "501", Time: t0, ID: base.ID, Text: "Cheap Phones 便宜手机"}}},
		{"a new title by an anonymous admin is the group's own", with(func(m *models.Message) {
			m.From = &models.User{ID: 1087968824, FirstName: "Group", IsBot: true} // GroupAnonymousBot
			m.SenderChat = &models.Chat{ID: -1001234, Type: models.ChatTypeSupergroup}
			m.NewChatTitle = "x"
		}), []qunops.Event{{Type: qunops.Title, Group: g, Member: g, Time: t0, ID: base.ID, Text: "x"}}},
		{"the bot's own setChatTitle, delivered back, is a title from self", with(func(m *models.Message) { m.From = &self; m.NewChatTitle = "Morning Group" }),
			[]qunops.Event{{Type: qunops.Title, Group: g, Member: "123456", Time: t0, ID: base.ID, Text: "Morning Group"}}},
		{"a new title without a sender is not mapped", with(func(m *models.Message) { m.From = nil; m.NewChatTitle = "x" }), nil},
		{"a new chat photo is not mapped", with(func(m *models.Message) { m.NewChatPhoto = []models.PhotoSize{{FileID: "p"}} }), nil},
		{"a private chat is not mapped", &models.Update{ID: 1, Message: &models.Message{ID: 1, From: &ann, Date: d, Chat: models.Chat{ID: 501, Type: models.ChatTypePrivate}, Text: "hi"}}, nil},
		{"a member added by another", with(func(m *models.Message) { m.From = &admin; m.NewChatMembers = []models.User{cy} }),
			[]qunops.Event{{Type: qunops.Join, Group: g, Member: "503", Actor: "900", Time: t0, ID: base.ID + ":join:503", Text: "Cy"}}},
		{"a member who left", with(func(m *models.Message) { m.LeftChatMember = &ann }),
			[]qunops.Event{{Type: qunops.Leave, Group: g, Member: "501", Time: t0, ID: base.ID}}},
		{"an edit is rescanned at its edit time", &models.Update{ID: 1, EditedMessage: func() *models.Message {
			m := msg(7, ann, d, "now with www.spam.example")
			m.EditDate = d + 60
			return m
		}()}, []qunops.Event{{Type: qunops.Message, Group: g, Member: "501", Time: t0.Add(time.Minute), ID: base.ID + ":edit:" + itoa(d+60), Kind: qunops.KindText, Text: "now with www.spam.example"}}},
		{"/report of one's own message is a message", with(func(m *models.Message) { m.Text = "/report"; m.ReplyToMessage = msg(6, ann, d, "x") }), kind(qunops.KindText, "/report")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, Events(c.u, nil)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestClassify: which client errors the runner may retry.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		name      string
		err       error
		permanent bool
	}{
		{"429 is retried", &tg.TooManyRequestsError{Message: "too many requests", RetryAfter: 3}, false},
		{"400", fmt.Errorf("%w, Bad Request: message to delete not found", tg.ErrorBadRequest), true},
		{"403", fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden), true},
		{"401", fmt.Errorf("%w, Unauthorized", tg.ErrorUnauthorized), true},
		{"migrated chat", &tg.MigrateError{Message: "bad request", MigrateToChatID: -100}, true},
		{"a network error is retried", errors.New("error do request for method sendMessage, connection refused"), false},
	} {
		if got := bot.IsPermanent(classify("sendMessage", c.err)); got != c.permanent {
			t.Errorf("%s: permanent %v, want %v", c.name, got, c.permanent)
		}
	}
}

func TestPerformErrors(t *testing.T) {
	f, srv := newFakeAPI(t)
	tr, err := New(Config{Token: testToken, ServerURL: srv.URL, PollTimeout: 2 * time.Second, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx := context.Background()
	recall := rules.Action{Type: rules.Recall, Group: "-1001234", Member: "501", MessageID: "telegram:-1001234:55"}
	if err := tr.Perform(ctx, recall); err != nil {
		t.Fatalf("first delete: %v", err)
	}
	if err := tr.Perform(ctx, recall); !bot.IsPermanent(err) {
		t.Errorf("deleting a deleted message: %v, want a permanent error", err)
	}
	for _, c := range []struct {
		name string
		a    rules.Action
	}{
		{"a group id that is not a number", rules.Action{Type: rules.Warn, Group: "g1@chatroom", Text: "x"}},
		{"a message id from OneBot", rules.Action{Type: rules.Recall, Group: "-1", MessageID: "onebot:m:1"}},
		{"a member id that is not a number", rules.Action{Type: rules.Notify, Group: "-1", Member: "wxid_x", Text: "x"}},
	} {
		if err := tr.Perform(ctx, c.a); !bot.IsPermanent(err) {
			t.Errorf("%s: %v, want a permanent error", c.name, err)
		}
	}
	if got := f.take(); len(got) != 2 {
		t.Errorf("calls %q, want the two deleteMessage calls only", got)
	}
	if err := tr.Perform(ctx, rules.Action{Type: rules.Blacklist, Group: "-1", Member: "501"}); err != nil {
		t.Errorf("blacklist: %v", err)
	}
	// An unreachable server is retried, and the token is not in the error.
	srv.Close()
	err = tr.Perform(ctx, rules.Action{Type: rules.Warn, Group: "-1", Text: "x"})
	if err == nil || bot.IsPermanent(err) {
		t.Errorf("unreachable: %v, want a transient error", err)
	}
	if err != nil && strings.Contains(err.Error(), "TEST-token") {
		t.Errorf("error %q shows the token", err)
	}
}

func TestCloseWithoutReceive(t *testing.T) {
	tr, err := New(Config{Token: testToken, ServerURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	tr.Close() // must not block
}

func TestNewValidates(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"no token", Config{}, "token is empty"},
		{"short poll", Config{Token: "1:x", PollTimeout: time.Second}, "poll_timeout 1s must be at least 2s"},
		{"negative poll", Config{Token: "1:x", PollTimeout: -1}, "must not be negative"},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want %q", c.name, err, c.err)
		}
	}
}

// TestRemoveRetrySkipsDoneSteps: a Remove whose unban failed is retried
// from the unban; the ban, done, is not sent again.
func TestRemoveRetrySkipsDoneSteps(t *testing.T) {
	f, srv := newFakeAPI(t)
	f.fail = map[string]int{"unbanChatMember": 1}
	tr, err := New(Config{Token: testToken, ServerURL: srv.URL, PollTimeout: 2 * time.Second, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	a := rules.Action{Type: rules.Remove, Group: "-1001234", Member: "501", Text: "bye", Time: time.Unix(1, 0)}
	if err := tr.Perform(context.Background(), a); err == nil || bot.IsPermanent(err) {
		t.Fatalf("first try: %v, want a transient error", err)
	}
	if err := tr.Perform(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"banChatMember chat_id=-1001234&user_id=501",
		"unbanChatMember chat_id=-1001234&only_if_banned=true&user_id=501",
		"unbanChatMember chat_id=-1001234&only_if_banned=true&user_id=501",
		"sendMessage chat_id=-1001234&text=bye",
	}
	if diff := cmp.Diff(want, f.take()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestRetitle: a Retitle is one setChatTitle with the group and the name to
// restore, exactly; one that changes nothing (a retry whose first answer
// was lost) is done, not an error; one without a name calls nothing.
func TestRetitle(t *testing.T) {
	f, srv := newFakeAPI(t)
	tr, err := New(Config{Token: testToken, ServerURL: srv.URL, PollTimeout: 2 * time.Second, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx := context.Background()
	a := rules.Action{Type: rules.Retitle, Rule: rules.RuleTitle, Group: "-1001234", Member: "502", Text: "Morning Group 早安"}
	if err := tr.Perform(ctx, a); err != nil {
		t.Fatalf("retitle: %v", err)
	}
	if err := tr.Perform(ctx, a); err != nil {
		t.Errorf("retitle to the title the chat has: %v, want nil (done)", err)
	}
	if err := tr.Perform(ctx, rules.Action{Type: rules.Retitle, Group: "-1001234", Member: "502"}); !bot.IsPermanent(err) || !strings.Contains(err.Error(), "text") {
		t.Errorf("retitle without a name: %v, want a permanent error naming the text", err)
	}
	want := []string{
		"setChatTitle chat_id=-1001234&title=Morning+Group+%E6%97%A9%E5%AE%89",
		"setChatTitle chat_id=-1001234&title=Morning+Group+%E6%97%A9%E5%AE%89",
	}
	if diff := cmp.Diff(want, f.take()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// Another 400 (no can_change_info) stays permanent.
	if err := classify("setChatTitle", fmt.Errorf("%w, Bad Request: not enough rights to change chat title", tg.ErrorBadRequest)); notModified(err) || !bot.IsPermanent(err) {
		t.Errorf("not enough rights: %v, want permanent, not 'not modified'", err)
	}
}

// TestEveryActionTypeMapped: each action type the engine can give is
// performed (a new one without a mapping fails here, not in a group).
func TestEveryActionTypeMapped(t *testing.T) {
	_, srv := newFakeAPI(t)
	tr, err := New(Config{Token: testToken, ServerURL: srv.URL, PollTimeout: 2 * time.Second, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for i, typ := range rules.ActionTypes() {
		a := rules.Action{Type: typ, Group: "-1001234", Member: "501", Text: "x", MessageID: "telegram:-1001234:" + itoa(100+i), Time: time.Unix(int64(i), 0)}
		if err := tr.Perform(context.Background(), a); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
}
