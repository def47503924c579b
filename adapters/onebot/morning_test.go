package onebot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/adapters/internal/botest"
	"github.com/qunops/qunops/rules"
)

// morningPolicy has hand-written texts, so that the expected calls below are
// written out in full rather than computed by the engine.
func morningPolicy() rules.Policy {
	return rules.Policy{
		Language:  "en",
		Self:      []string{"bot"},
		Admins:    []string{"admin1", "admin2"},
		Recall:    true,
		LockTitle: true,
		Off:       []string{rules.RuleNickname},
		Texts: rules.Texts{
			Welcome:  "welcome {names}",
			Warn:     "warning {level}/{limit}: {reason}",
			Remove:   "removed {member}: {reason}",
			Remind:   "remind {member}",
			Notify:   "dispute about {member} from {reporter}",
			Escalate: "escalated {member}",
			Rejoin:   "rejoin {member}",
			Title:    "title {member}: {text}",
			Reasons:  map[string]string{rules.RuleLink: "link", rules.RuleFlood: "flood"},
		},
	}
}

// at is a time of the morning of 2026-03-02 in Shanghai, as OneBot's float
// seconds.
func at(hh, mm, ss int) float64 {
	return float64(time.Date(2026, 3, 2, hh, mm, ss, 0, qunops.DefaultLocation()).Unix())
}

func groupMsg(id string, user string, t float64, segments string) string {
	return fmt.Sprintf(`{"id":"ev-%s","self":{"platform":"wechat","user_id":"bot"},"time":%v,"type":"message","detail_type":"group","sub_type":"","message_id":"%s","message":%s,"alt_message":"","group_id":"g1@chatroom","user_id":"%s"}`,
		id, t, id, segments, user)
}

func notice(id, detail, sub, user, op string, t float64) string {
	return fmt.Sprintf(`{"id":"%s","self":{"platform":"wechat","user_id":"bot"},"time":%v,"type":"notice","detail_type":"%s","sub_type":"%s","group_id":"g1@chatroom","user_id":"%s","operator_id":"%s"}`,
		id, t, detail, sub, user, op)
}

// nameNotice is Walle-Q's group name notice (onebot-walle/walle-q
// src/parse/event.rs at 4db42ce): group_id, group_name and operator_id, no
// user_id, the detail_type without a prefix.
func nameNotice(id, op, name string, t float64) string {
	return fmt.Sprintf(`{"id":"%s","impl":"walle-q","platform":"qq","self_id":"bot","self":{"platform":"qq","user_id":"bot"},"time":%v,"type":"notice","detail_type":"group_name_update","sub_type":"","group_id":"g1@chatroom","group_name":%q,"operator_id":"%s"}`,
		id, t, name, op)
}

func text(s string) string { return fmt.Sprintf(`[{"type":"text","data":{"text":%q}}]`, s) }

// TestMorning drives a rules.Engine through the transport for a scripted
// morning and asserts the exact action requests the implementation got.
func TestMorning(t *testing.T) {
	const token = "s3cret"
	f, tr, hook := startFake(t, token)
	eng, err := rules.New(morningPolicy())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := &botest.Driver{Ctx: ctx, Engine: eng, Sink: tr}
	// deliver pushes events and handles what the transport queued.
	deliver := func(events ...string) {
		t.Helper()
		for _, e := range events {
			if code := push(t, hook, token, e); code != 204 {
				t.Fatalf("webhook answered %d to %s", code, e)
			}
		}
		for len(tr.queue) > 0 {
			ev, err := tr.Receive(ctx)
			if err != nil {
				t.Fatal(err)
			}
			d.Handle(t, ev)
		}
	}
	tick := func(hh, mm, ss int) {
		d.Tick(time.Date(2026, 3, 2, hh, mm, ss, 0, qunops.DefaultLocation()))
	}
	const g = `"detail_type":"group","group_id":"g1@chatroom"`
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"two joins and a webhook retry of the first", func() {
			deliver(notice("n1", "group_member_increase", "join", "u1", "u1", at(8, 0, 0)),
				notice("n2", "group_member_increase", "invite", "u2", "admin1", at(8, 0, 5)),
				notice("n1", "group_member_increase", "join", "u1", "u1", at(8, 0, 0)))
		}, nil},
		{"the welcome, a minute after the last join", func() { tick(8, 1, 10) }, []string{
			`send_message {` + g + `,"message":[{"data":{"user_id":"u1"},"type":"mention"},{"data":{"user_id":"u2"},"type":"mention"},{"data":{"text":" welcome u1, u2"},"type":"text"}]}`,
		}},
		{"a spam link: recall and first warning", func() {
			deliver(groupMsg("m1", "u1", at(8, 5, 0), text("cheap phones http://spam.example/x")))
		}, []string{
			`delete_message {"message_id":"m1"}`,
			`send_message {` + g + `,"message":[{"data":{"user_id":"u1"},"type":"mention"},{"data":{"text":" warning 1/2: link"},"type":"text"}]}`,
		}},
		{"the bot's own warning, delivered back", func() {
			deliver(groupMsg("m2", "bot", at(8, 5, 1), text("warning 1/2: link http://spam.example/x")))
		}, nil},
		{"the spam message redelivered", func() {
			deliver(groupMsg("m1", "u1", at(8, 5, 0), text("cheap phones http://spam.example/x")))
		}, nil},
		{"a flood: the tenth message in 9 seconds", func() {
			var evs []string
			for i := range 10 {
				evs = append(evs, groupMsg(fmt.Sprintf("f%d", i), "u2", at(8, 10, i), text(fmt.Sprintf("hello %d", i))))
			}
			deliver(evs...)
		}, []string{
			`delete_message {"message_id":"f9"}`,
			`send_message {` + g + `,"message":[{"data":{"user_id":"u2"},"type":"mention"},{"data":{"text":" warning 1/2: flood"},"type":"text"}]}`,
		}},
		{"a member reports u1 by replying /report: the first admin is told", func() {
			deliver(groupMsg("r1", "u3", at(8, 20, 0), `[{"type":"reply","data":{"message_id":"m1","user_id":"u1"}},{"type":"text","data":{"text":"/report"}}]`))
		}, []string{
			`send_message {"detail_type":"private","message":[{"data":{"text":"dispute about u1 from u3"},"type":"text"}],"user_id":"admin1"}`,
		}},
		{"the admin resolves it by replying /resolve", func() {
			deliver(groupMsg("r2", "admin1", at(8, 25, 0), `[{"type":"reply","data":{"message_id":"m1","user_id":"u1"}},{"type":"text","data":{"text":" /resolve "}}]`))
		}, nil},
		{"no escalation after the SLA: the dispute is closed", func() { tick(8, 40, 0) }, nil},
		{"a second link: recall, warning 2/2, removal", func() {
			deliver(groupMsg("m3", "u1", at(8, 41, 0), text("again www.spam.example")))
		}, []string{
			`delete_message {"message_id":"m3"}`,
			`send_message {` + g + `,"message":[{"data":{"user_id":"u1"},"type":"mention"},{"data":{"text":" warning 2/2: link"},"type":"text"}]}`,
			`kick_group_member {"group_id":"g1@chatroom","user_id":"u1"}`,
			`send_message {` + g + `,"message":[{"data":{"text":"removed u1: link"},"type":"text"}]}`,
		}},
		{"the kick's notice", func() {
			deliver(notice("n3", "group_member_decrease", "kick", "u1", "bot", at(8, 41, 1)))
		}, nil},
		{"the bot's own name notice: recorded", func() { deliver(nameNotice("t1", "bot", "Morning Group", at(8, 50, 0))) }, nil},
		{"u2 renames the group: the name is set back, the admins told", func() {
			deliver(nameNotice("t2", "u2", "Cheap Phones 便宜手机", at(8, 51, 0)))
		}, []string{
			`set_group_name {"group_id":"g1@chatroom","group_name":"Morning Group"}`,
			`send_message {"detail_type":"private","message":[{"data":{"text":"title u2: Cheap Phones 便宜手机"},"type":"text"}],"user_id":"admin1"}`,
			`send_message {"detail_type":"private","message":[{"data":{"text":"title u2: Cheap Phones 便宜手机"},"type":"text"}],"user_id":"admin2"}`,
		}},
		{"the notice of the bot's set_group_name: from self, nothing", func() { deliver(nameNotice("t3", "bot", "Morning Group", at(8, 51, 1))) }, nil},
		{"u2's rename redelivered by a webhook retry", func() { deliver(nameNotice("t2", "u2", "Cheap Phones 便宜手机", at(8, 51, 0))) }, nil},
		{"an admin renames it: recorded, nothing done", func() { deliver(nameNotice("t4", "admin1", "Morning Group 2", at(8, 52, 0))) }, nil},
		{"u3 renames it (user_id, prefixed detail_type): set back to the admin's name", func() {
			deliver(`{"id":"t5","time":` + fmt.Sprint(at(8, 53, 0)) + `,"type":"notice","detail_type":"qq.group_name_change","group_id":"g1@chatroom","user_id":"u3","name":"x"}`)
		}, []string{
			`set_group_name {"group_id":"g1@chatroom","group_name":"Morning Group 2"}`,
			`send_message {"detail_type":"private","message":[{"data":{"text":"title u3: x"},"type":"text"}],"user_id":"admin1"}`,
			`send_message {"detail_type":"private","message":[{"data":{"text":"title u3: x"},"type":"text"}],"user_id":"admin2"}`,
		}},
		{"u3 renames it to a link: set back, the admins told, u3 warned", func() {
			deliver(nameNotice("t6", "u3", "see www.spam.example", at(8, 54, 0)))
		}, []string{
			`set_group_name {"group_id":"g1@chatroom","group_name":"Morning Group 2"}`,
			`send_message {"detail_type":"private","message":[{"data":{"text":"title u3: see www.spam.example"},"type":"text"}],"user_id":"admin1"}`,
			`send_message {"detail_type":"private","message":[{"data":{"text":"title u3: see www.spam.example"},"type":"text"}],"user_id":"admin2"}`,
			`send_message {` + g + `,"message":[{"data":{"user_id":"u3"},"type":"mention"},{"data":{"text":" warning 1/2: link"},"type":"text"}]}`,
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
