package telegram

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/adapters/internal/botest"
	"github.com/qunops/qunops/rules"
)

const chat = -1001234

var sh = qunops.DefaultLocation()

func morningPolicy() rules.Policy {
	return rules.Policy{
		Language:  "en",
		Self:      []string{"123456"},
		Admins:    []string{"900", "901"},
		Recall:    true,
		LockTitle: true,
		Off:       []string{rules.RuleNickname},
		Texts: rules.Texts{
			Welcome:  "welcome {names}",
			Warn:     "warning {level}/{limit}: {reason}",
			Remove:   "removed {name}: {reason}",
			Remind:   "remind {member}",
			Notify:   "dispute about {member} from {reporter}",
			Escalate: "escalated {member}",
			Rejoin:   "rejoin {member}",
			Title:    "title {member}: {text}",
			Reasons:  map[string]string{rules.RuleLink: "link", rules.RuleFlood: "flood"},
		},
	}
}

func date(hh, mm, ss int) int { return int(time.Date(2026, 3, 2, hh, mm, ss, 0, sh).Unix()) }

var (
	ann   = models.User{ID: 501, FirstName: "Ann", Username: "ann_sh"}
	bo    = models.User{ID: 502, FirstName: "Bo 波"}
	cy    = models.User{ID: 503, FirstName: "Cy"}
	admin = models.User{ID: 900, FirstName: "Admin"}
	self  = models.User{ID: 123456, FirstName: "qunops", IsBot: true}
)

// title is the service message of a rename of the group by from.
func title(id int, from models.User, d int, name string) *models.Message {
	m := msg(id, from, d, "")
	m.NewChatTitle = name
	return m
}

func msg(id int, from models.User, d int, text string) *models.Message {
	return &models.Message{ID: id, From: &from, Date: d, Chat: models.Chat{ID: chat, Type: models.ChatTypeSupergroup}, Text: text}
}

// TestMorning drives a rules.Engine through the transport and the real
// client against a fake Bot API for a scripted morning, and asserts the
// exact calls made.
func TestMorning(t *testing.T) {
	f, srv := newFakeAPI(t)
	tr, err := New(Config{Token: testToken, ServerURL: srv.URL, PollTimeout: 2 * time.Second, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if got := tr.SelfID(); got != "123456" {
		t.Errorf("SelfID %q, want 123456 (the token's prefix)", got)
	}
	eng, err := rules.New(morningPolicy())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d := &botest.Driver{Ctx: ctx, Engine: eng, Sink: tr}
	nextUpdate := int64(1)
	// deliver pushes one update per message and handles the n events they
	// map to.
	deliver := func(n int, ms ...*models.Message) {
		t.Helper()
		for _, m := range ms {
			f.push(&models.Update{ID: nextUpdate, Message: m})
			nextUpdate++
		}
		for range n {
			ev, err := tr.Receive(ctx)
			if err != nil {
				t.Fatalf("Receive: %v", err)
			}
			d.Handle(t, ev)
		}
	}
	tick := func(hh, mm, ss int) { d.Tick(time.Date(2026, 3, 2, hh, mm, ss, 0, sh)) }
	chatID := fmt.Sprint(chat)
	spam := msg(10, ann, date(8, 5, 0), "cheap phones http://spam.example/x")
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"two members join in one service message", func() {
			m := msg(1, ann, date(8, 0, 0), "")
			m.NewChatMembers = []models.User{ann, bo}
			deliver(2, m)
		}, nil},
		{"the welcome mentions @ann_sh by username and Bo by text_mention", func() { tick(8, 1, 10) }, []string{
			"sendMessage chat_id=" + chatID + `&entities=%5B%7B%22type%22%3A%22text_mention%22%2C%22offset%22%3A8%2C%22length%22%3A4%2C%22user%22%3A%7B%22id%22%3A502%2C%22is_bot%22%3Afalse%7D%7D%5D&text=%40ann_sh+Bo+%E6%B3%A2+welcome+Ann%2C+Bo+%E6%B3%A2`,
		}},
		{"a spam link: deleted and warned", func() { deliver(1, spam) }, []string{
			"deleteMessage chat_id=" + chatID + "&message_id=10",
			"sendMessage chat_id=" + chatID + "&text=%40ann_sh+warning+1%2F2%3A+link",
		}},
		{"the same update redelivered", func() {
			// A new poller whose offset was lost gets the update again; the
			// fake has dropped the acknowledged one, so it comes back under
			// the next update id. The event ID is the message's, and dedupes.
			deliver(1, spam)
		}, nil},
		{"the bot's own post", func() { deliver(1, msg(11, self, date(8, 5, 1), "warning 1/2: link")) }, nil},
		{"a flood: Bo's tenth message in 9 seconds", func() {
			var ms []*models.Message
			for i := range 10 {
				ms = append(ms, msg(20+i, bo, date(8, 10, i), fmt.Sprintf("hello %d", i)))
			}
			deliver(10, ms...)
		}, []string{
			"deleteMessage chat_id=" + chatID + "&message_id=29",
			"sendMessage chat_id=" + chatID + `&entities=%5B%7B%22type%22%3A%22text_mention%22%2C%22offset%22%3A0%2C%22length%22%3A4%2C%22user%22%3A%7B%22id%22%3A502%2C%22is_bot%22%3Afalse%7D%7D%5D&text=Bo+%E6%B3%A2+warning+1%2F2%3A+flood`,
		}},
		{"Cy reports Ann by replying /report: the first admin is told privately", func() {
			m := msg(40, cy, date(8, 20, 0), "/report@qunops_bot")
			m.ReplyToMessage = spam
			deliver(1, m)
		}, []string{
			"sendMessage chat_id=900&text=dispute+about+501+from+503",
		}},
		{"the admin resolves it", func() {
			m := msg(41, admin, date(8, 25, 0), "/resolve")
			m.ReplyToMessage = spam
			deliver(1, m)
		}, nil},
		{"no escalation after the SLA", func() { tick(8, 40, 0) }, nil},
		{"Ann edits a link into an old message: rescanned, warning 2/2, kicked", func() {
			e := msg(12, ann, date(8, 30, 0), "see www.spam.example")
			e.EditDate = date(8, 41, 0)
			f.push(&models.Update{ID: nextUpdate, EditedMessage: e})
			nextUpdate++
			deliver(1)
		}, []string{
			"deleteMessage chat_id=" + chatID + "&message_id=12",
			"sendMessage chat_id=" + chatID + "&text=%40ann_sh+warning+2%2F2%3A+link",
			"banChatMember chat_id=" + chatID + "&user_id=501",
			"unbanChatMember chat_id=" + chatID + "&only_if_banned=true&user_id=501",
			"sendMessage chat_id=" + chatID + "&text=removed+Ann%3A+link",
		}},
		{"the kick's service message", func() {
			m := msg(13, self, date(8, 41, 1), "")
			m.LeftChatMember = &ann
			deliver(1, m)
		}, nil},
		{"the bot's own title, delivered back: recorded", func() { deliver(1, title(14, self, date(8, 50, 0), "Morning Group")) }, nil},
		{"Bo renames the group: the name is set back, the admins told", func() {
			deliver(1, title(15, bo, date(8, 51, 0), "Cheap Phones 便宜手机"))
		}, []string{
			"setChatTitle chat_id=" + chatID + "&title=Morning+Group",
			"sendMessage chat_id=900&text=title+502%3A+Cheap+Phones+%E4%BE%BF%E5%AE%9C%E6%89%8B%E6%9C%BA",
			"sendMessage chat_id=901&text=title+502%3A+Cheap+Phones+%E4%BE%BF%E5%AE%9C%E6%89%8B%E6%9C%BA",
		}},
		{"the service message of the bot's setChatTitle: from self, nothing", func() { deliver(1, title(16, self, date(8, 51, 1), "Morning Group")) }, nil},
		{"Bo's rename redelivered", func() { deliver(1, title(15, bo, date(8, 51, 0), "Cheap Phones 便宜手机")) }, nil},
		{"an admin renames it: recorded, nothing done", func() { deliver(1, title(17, admin, date(8, 52, 0), "Morning Group 2")) }, nil},
		{"Cy renames it: set back to the admin's name", func() { deliver(1, title(18, cy, date(8, 53, 0), "x")) }, []string{
			"setChatTitle chat_id=" + chatID + "&title=Morning+Group+2",
			"sendMessage chat_id=900&text=title+503%3A+x",
			"sendMessage chat_id=901&text=title+503%3A+x",
		}},
		{"Cy renames it to a link: set back, the admins told, Cy warned", func() {
			deliver(1, title(19, cy, date(8, 54, 0), "see www.spam.example"))
		}, []string{
			"setChatTitle chat_id=" + chatID + "&title=Morning+Group+2",
			"sendMessage chat_id=900&text=title+503%3A+see+www.spam.example",
			"sendMessage chat_id=901&text=title+503%3A+see+www.spam.example",
			"sendMessage chat_id=" + chatID + `&entities=%5B%7B%22type%22%3A%22text_mention%22%2C%22offset%22%3A0%2C%22length%22%3A2%2C%22user%22%3A%7B%22id%22%3A503%2C%22is_bot%22%3Afalse%7D%7D%5D&text=Cy+warning+1%2F2%3A+link`,
		}},
	}
	for _, s := range steps {
		s.do()
		if diff := cmp.Diff(s.want, f.take()); diff != "" {
			t.Errorf("%s: calls (-want +got):\n%s", s.name, diff)
		}
	}
	d.Report(t)
}
