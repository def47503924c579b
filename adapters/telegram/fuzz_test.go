package telegram

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

// fuzzSeeds are updates as the Bot API sends them
// (https://core.telegram.org/bots/api#update), then hostile ones.
var fuzzSeeds = []string{
	// A text message in a supergroup.
	`{"update_id":1,"message":{"message_id":5,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup","title":"G"},"date":1700000000,"text":"hi"}}`,
	// Two members added by an admin.
	`{"update_id":2,"message":{"message_id":6,"from":{"id":900,"is_bot":false,"first_name":"Admin"},"chat":{"id":-1001234,"type":"supergroup","title":"Cheap Phones"},"date":1772409600,` +
		`"new_chat_participant":{"id":502,"is_bot":false,"first_name":"Bo 波"},"new_chat_member":{"id":502,"is_bot":false,"first_name":"Bo 波"},` +
		`"new_chat_members":[{"id":502,"is_bot":false,"first_name":"Bo 波"},{"id":503,"is_bot":false,"first_name":"Cy","last_name":"Lee","username":"cy_lee","language_code":"en"}]}}`,
	// A member who joined by link (from is the joiner).
	`{"update_id":3,"message":{"message_id":7,"from":{"id":503,"is_bot":false,"first_name":"Cy"},"chat":{"id":-4001,"type":"group","title":"G","all_members_are_administrators":true},"date":1772409601,"new_chat_members":[{"id":503,"is_bot":false,"first_name":"Cy"}]}}`,
	// A member removed by an admin, and one who left.
	`{"update_id":4,"message":{"message_id":8,"from":{"id":900,"is_bot":false,"first_name":"Admin"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409602,"left_chat_participant":{"id":501,"is_bot":false,"first_name":"Ann"},"left_chat_member":{"id":501,"is_bot":false,"first_name":"Ann","username":"ann_sh"}}}`,
	`{"update_id":5,"message":{"message_id":9,"from":{"id":501,"is_bot":false,"first_name":"Ann"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409603,"left_chat_member":{"id":501,"is_bot":false,"first_name":"Ann"}}}`,
	// A new title, by a user and by an anonymous admin.
	`{"update_id":6,"message":{"message_id":10,"from":{"id":501,"is_bot":false,"first_name":"Ann"},"chat":{"id":-1001234,"type":"supergroup","title":"Cheap Phones 便宜手机"},"date":1772409604,"new_chat_title":"Cheap Phones 便宜手机"}}`,
	`{"update_id":7,"message":{"message_id":11,"from":{"id":1087968824,"is_bot":true,"first_name":"Group","username":"GroupAnonymousBot"},"sender_chat":{"id":-1001234,"type":"supergroup","title":"G"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409605,"new_chat_title":"x"}}`,
	// A photo with a caption hiding a link.
	`{"update_id":8,"message":{"message_id":12,"from":{"id":502,"is_bot":false,"first_name":"Bo"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409606,` +
		`"photo":[{"file_id":"AgAC-small","file_unique_id":"AQAD1","file_size":1234,"width":90,"height":67},{"file_id":"AgAC-big","file_unique_id":"AQAD2","file_size":54321,"width":1280,"height":960}],` +
		`"caption":"new phones here","caption_entities":[{"offset":11,"length":4,"type":"text_link","url":"http://spam.example/"}]}}`,
	// A sticker.
	`{"update_id":9,"message":{"message_id":13,"from":{"id":502,"is_bot":false,"first_name":"Bo"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409607,` +
		`"sticker":{"file_id":"CAAC","file_unique_id":"AgAD","type":"regular","width":512,"height":512,"is_animated":false,"is_video":false,"emoji":"😀","set_name":"Pack"}}}`,
	// An edit that puts a link in.
	`{"update_id":10,"edited_message":{"message_id":14,"from":{"id":503,"is_bot":false,"first_name":"Cy"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409608,"edit_date":1772409668,"text":"now with www.spam.example"}}`,
	// Entities: a command, a mention, a URL and a text_link.
	`{"update_id":11,"message":{"message_id":15,"from":{"id":501,"is_bot":false,"first_name":"Ann"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409609,` +
		`"text":"/start@qunops_bot @bo see https://a.example and this","entities":[{"offset":0,"length":17,"type":"bot_command"},{"offset":18,"length":3,"type":"mention"},` +
		`{"offset":26,"length":17,"type":"url"},{"offset":48,"length":4,"type":"text_link","url":"https://b.example/"},{"offset":0,"length":3,"type":"text_mention","user":{"id":502,"is_bot":false,"first_name":"Bo"}}]}}`,
	// A /report and a /resolve replying to another member's message.
	`{"update_id":12,"message":{"message_id":16,"from":{"id":501,"is_bot":false,"first_name":"Ann"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409610,"text":"/report@qunops_bot",` +
		`"entities":[{"offset":0,"length":18,"type":"bot_command"}],"reply_to_message":{"message_id":15,"from":{"id":502,"is_bot":false,"first_name":"Bo"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409600,"text":"buy"}}}`,
	`{"update_id":13,"message":{"message_id":17,"from":{"id":900,"is_bot":false,"first_name":"Admin"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409611,"text":" /resolve ",` +
		`"reply_to_message":{"message_id":15,"sender_chat":{"id":-100777,"type":"channel","title":"C"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409600,"text":"buy"}}}`,
	// A forward, a GIF (animation and document), a poll, a location.
	`{"update_id":14,"message":{"message_id":18,"from":{"id":502,"is_bot":false,"first_name":"Bo"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409612,` +
		`"forward_origin":{"type":"channel","chat":{"id":-100777,"type":"channel","title":"C"},"message_id":3,"date":1772400000},"text":"fwd"}}`,
	`{"update_id":15,"message":{"message_id":19,"from":{"id":502,"is_bot":false,"first_name":"Bo"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409613,` +
		`"animation":{"file_id":"CgAC","file_unique_id":"u","width":1,"height":1,"duration":1},"document":{"file_id":"CgAC","file_unique_id":"u"}}}`,
	`{"update_id":16,"message":{"message_id":20,"from":{"id":502,"is_bot":false,"first_name":"Bo"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409614,` +
		`"poll":{"id":"p","question":"?","options":[{"text":"a","voter_count":0}],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false},"location":{"latitude":31.2,"longitude":121.5}}}`,
	// A channel post, a private message, a pinned message.
	`{"update_id":17,"channel_post":{"message_id":21,"sender_chat":{"id":-100777,"type":"channel","title":"C"},"chat":{"id":-100777,"type":"channel","title":"C"},"date":1772409615,"text":"news"}}`,
	`{"update_id":18,"message":{"message_id":22,"from":{"id":501,"is_bot":false,"first_name":"Ann"},"chat":{"id":501,"type":"private","first_name":"Ann"},"date":1772409616,"text":"/start"}}`,
	`{"update_id":19,"message":{"message_id":23,"from":{"id":900,"is_bot":false,"first_name":"Admin"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409617,` +
		`"pinned_message":{"message_id":15,"from":{"id":501,"is_bot":false,"first_name":"Ann"},"chat":{"id":-1001234,"type":"supergroup","title":"G"},"date":1772409609,"text":"x"}}}`,
	// Updates with no message.
	`{"update_id":20}`,
	`{"update_id":21,"my_chat_member":{"chat":{"id":-1001234,"type":"supergroup","title":"G"},"from":{"id":900,"is_bot":false,"first_name":"Admin"},"date":1772409618,` +
		`"old_chat_member":{"status":"left","user":{"id":123456,"is_bot":true,"first_name":"qunops"}},"new_chat_member":{"status":"member","user":{"id":123456,"is_bot":true,"first_name":"qunops"}}}}`,
	`{"update_id":22,"callback_query":{"id":"1","from":{"id":501,"is_bot":false,"first_name":"Ann"},"chat_instance":"c","data":"x"}}`,

	// Hostile: dates.
	`{"update_id":30,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":0,"text":"hi"}}`,
	`{"update_id":31,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":-1,"new_chat_members":[{"id":7,"is_bot":false,"first_name":"A"}]}}`,
	`{"update_id":32,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":99999999999,"text":"hi"}}`,
	`{"update_id":33,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":253402214399,"text":"9999-12-30T23:59:59Z, still 9999 at +23:59"}}`,
	`{"update_id":34,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":253402300799,"text":"last second of 9999 in UTC"}}`,
	`{"update_id":35,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":253402300800,"left_chat_member":{"id":8,"is_bot":false,"first_name":"B"}}}`,
	`{"update_id":36,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":9223372036854775807,"text":"hi"}}`,
	`{"update_id":37,"edited_message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"edit_date":99999999999999,"text":"hi"}}`,
	`{"update_id":38,"edited_message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"edit_date":-5,"text":"hi"}}`,
	`{"update_id":39,"edited_message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"new_chat_title":"t"}}`,
	// Hostile: names and texts.
	`{"update_id":40,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":""},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"new_chat_members":[{"id":8,"is_bot":false,"first_name":""},{"id":8,"is_bot":false,"first_name":" ","last_name":" "}]}}`,
	`{"update_id":41,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"\u200b"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"new_chat_members":[{"id":8,"is_bot":false,"first_name":"\u200b","last_name":"\ufeff"}]}}`,
	`{"update_id":42,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"text":"\u200b\ufeff"}}`,
	`{"update_id":43,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"new_chat_title":"\u200b"}}`,
	`{"update_id":44,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"text":"\ud800 \udfff \ud83d\ude00"}}`,
	`{"update_id":45,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"new_chat_title":"\ud800"}}`,
	`{"update_id":46,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"new_chat_members":[{"id":8,"is_bot":false,"first_name":"\ud800","last_name":"\udc00\ud800"}]}}`,
	`{"update_id":47,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"caption":"\ud800","photo":[{"file_id":"p"}],"caption_entities":[{"offset":0,"length":1,"type":"text_link","url":"\udfffhttp://x"}]}}`,
	"{\"update_id\":48,\"message\":{\"message_id\":1,\"from\":{\"id\":7,\"is_bot\":false,\"first_name\":\"\xff\"},\"chat\":{\"id\":-1001,\"type\":\"supergroup\"},\"date\":1700000000,\"text\":\"\xed\xa0\x80\xc0\"}}",
	// Hostile: ids and shapes.
	`{"update_id":50,"message":{"message_id":-1,"from":{"id":-9223372036854775808,"is_bot":false,"first_name":"A"},"chat":{"id":-9223372036854775808,"type":"group"},"date":1,"text":"x"}}`,
	`{"update_id":51,"message":{"message_id":1,"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"text":"no sender"}}`,
	`{"update_id":52,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"text":"/report","reply_to_message":{"message_id":2,"chat":{"id":-1001,"type":"supergroup"},"date":1}}}`,
	`{"update_id":53,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"text":"a"},` +
		`"edited_message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},"date":1700000000,"edit_date":1700000001,"text":"b"}}`,
	`{"update_id":54,"message":{"message_id":1,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"SUPERGROUP"},"date":1700000000,"text":"a"}}`,
	`{"update_id":55,"message":null,"edited_message":null}`,
	`{"update_id":56,"message":{}}`,
	`[]`,
	`null`,
}

// FuzzEvents decodes an update the way the client does (encoding/json into
// a models.Update: the webhook handler unmarshals the body into one, the
// poller the getUpdates result into []*models.Update), skips what does not
// decode, and checks what Events promises for any update: no panic; every
// event valid, with a Group; the same events for the same update, read in
// the given zone; and the mapping its documentation states. The seeds, and
// any crasher kept in testdata/fuzz/FuzzEvents, run with plain `go test`.
func FuzzEvents(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	// The fixtures of the package's own tests, as the Bot API would send them.
	d := date(8, 0, 0)
	reported := msg(16, ann, d, "/report")
	reported.ReplyToMessage = msg(15, bo, d-60, "buy")
	joined := msg(17, admin, d, "")
	joined.NewChatMembers = []models.User{bo, cy}
	edited := msg(7, cy, d, "now with www.spam.example")
	edited.EditDate = d + 60
	for _, u := range []models.Update{
		{ID: 1, Message: msg(5, ann, d, "hi")},
		{ID: 2, Message: title(9, self, d, "Morning Group")},
		{ID: 3, Message: reported},
		{ID: 4, Message: joined},
		{ID: 5, EditedMessage: edited},
	} {
		b, err := json.Marshal(u)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}

	ist := time.FixedZone("UTC+05:30", 5*3600+30*60)
	west := time.FixedZone("UTC-09:30", -(9*3600 + 30*60))
	f.Fuzz(func(t *testing.T, data []byte) {
		var u models.Update
		if err := json.Unmarshal(data, &u); err != nil {
			return
		}
		var orig models.Update // to check that Events leaves u alone
		if err := json.Unmarshal(data, &orig); err != nil {
			t.Fatalf("second decode failed: %v", err)
		}
		utc := checkEvents(t, &u, time.UTC)
		for _, loc := range []*time.Location{ist, west, nil} {
			evs := checkEvents(t, &u, loc)
			// The zone changes how a time reads, not what happened.
			if diff := cmp.Diff(utc, evs); diff != "" {
				t.Fatalf("Events in %v differs from Events in UTC (-utc +%v):\n%s", loc, loc, diff)
			}
		}
		if !reflect.DeepEqual(u, orig) {
			t.Fatalf("Events changed the update: %s", cmp.Diff(orig, u))
		}
	})
}

// checkEvents calls Events(u, loc) twice and checks the invariants, and
// returns the events.
func checkEvents(t *testing.T, u *models.Update, loc *time.Location) []qunops.Event {
	t.Helper()
	evs := Events(u, loc)
	if again := Events(u, loc); !reflect.DeepEqual(evs, again) {
		t.Fatalf("Events is not deterministic:\n%s", cmp.Diff(evs, again))
	}
	m, edited := u.Message, false
	if m == nil && u.EditedMessage != nil {
		m, edited = u.EditedMessage, true
	}
	if m == nil || (m.Chat.Type != models.ChatTypeGroup && m.Chat.Type != models.ChatTypeSupergroup) {
		if len(evs) > 0 {
			t.Fatalf("an update with no group message gave events: %+v", evs)
		}
		return evs
	}
	if n := len(m.NewChatMembers); len(evs) > 0 && n > 0 && len(evs) != n {
		t.Fatalf("%d events for %d new members, want one join per member: %+v", len(evs), n, evs)
	}
	if len(evs) > 1 && len(m.NewChatMembers) == 0 {
		t.Fatalf("%d events for a message without new members: %+v", len(evs), evs)
	}
	group := strconv.FormatInt(m.Chat.ID, 10)
	id := "telegram:" + group + ":" + strconv.Itoa(m.ID)
	from := ""
	if m.SenderChat != nil {
		from = strconv.FormatInt(m.SenderChat.ID, 10)
	} else if m.From != nil {
		from = strconv.FormatInt(m.From.ID, 10)
	}
	want := qunops.LocationOr(loc)
	for i, ev := range evs {
		if err := ev.Validate(); err != nil {
			t.Fatalf("event %d is invalid: %v\n%+v", i, err, ev)
		}
		if ev.Group == "" || ev.Group != group {
			t.Fatalf("event %d: Group %q, want the chat id %q", i, ev.Group, group)
		}
		if ev.Time.Location() != want {
			t.Fatalf("event %d: time %v in %v, want it in %v", i, ev.Time, ev.Time.Location(), want)
		}
		wantID, sec := id, m.Date
		switch ev.Type {
		case qunops.Join:
			if len(m.NewChatMembers) == 0 {
				t.Fatalf("join %d from a message without new members: %+v", i, ev)
			}
			if ev.Member != strconv.FormatInt(m.NewChatMembers[i].ID, 10) {
				t.Fatalf("join %d: Member %q, want the new member %d", i, ev.Member, m.NewChatMembers[i].ID)
			}
			if ev.Text != strings.TrimSpace(ev.Text) {
				t.Fatalf("join %d: display name %q is not trimmed", i, ev.Text)
			}
			wantID += ":join:" + ev.Member
		case qunops.Leave:
			if m.LeftChatMember == nil || ev.Member != strconv.FormatInt(m.LeftChatMember.ID, 10) {
				t.Fatalf("leave: Member %q, want the left member", ev.Member)
			}
		case qunops.Title:
			if edited || ev.Member != from || ev.Text != m.NewChatTitle {
				t.Fatalf("title (edited %v): %+v, want Member %q and Text %q", edited, ev, from, m.NewChatTitle)
			}
		case qunops.Report, qunops.Resolve:
			if edited || ev.Actor != from || m.ReplyToMessage == nil {
				t.Fatalf("%s (edited %v): %+v, want Actor %q, a reply, not an edit", ev.Type, edited, ev, from)
			}
			if ev.Member == ev.Actor {
				t.Fatalf("%s: the member %q is their own reporter", ev.Type, ev.Member)
			}
		case qunops.Message:
			if ev.Member != from {
				t.Fatalf("message: Member %q, want the sender %q", ev.Member, from)
			}
			if !slices.Contains(qunops.MessageKinds(), ev.Kind) {
				t.Fatalf("message: Kind %q is not a message kind", ev.Kind)
			}
			body := m.Text
			if body == "" {
				body = m.Caption
			}
			if !strings.HasPrefix(ev.Text, body) {
				t.Fatalf("message: Text %q does not start with the text or caption %q", ev.Text, body)
			}
			if edited {
				wantID += ":edit:" + strconv.Itoa(m.EditDate)
				sec = m.EditDate
			}
		default:
			t.Fatalf("event %d: type %q is not one Events maps to", i, ev.Type)
		}
		if (ev.Type == qunops.Join || ev.Type == qunops.Leave) && ev.Actor == ev.Member {
			t.Fatalf("%s: Actor is the Member %q", ev.Type, ev.Member)
		}
		if (ev.Type == qunops.Join || ev.Type == qunops.Leave) && ev.Actor != "" && ev.Actor != from {
			t.Fatalf("%s: Actor %q, want the sender %q or none", ev.Type, ev.Actor, from)
		}
		if ev.ID != wantID {
			t.Fatalf("event %d: ID %q, want %q", i, ev.ID, wantID)
		}
		if ev.Time.Unix() != int64(sec) {
			t.Fatalf("event %d: Unix time %d, want %d", i, ev.Time.Unix(), sec)
		}
	}
	return evs
}

// TestEventsPastYear9999: a date whose year has five digits, in UTC or in
// the zone the events are read in, is dropped like a date of 0; Events used
// to map it to an event that fails Validate ("time year 10000 is outside
// 0000..9999"), as FuzzEvents found.
func TestEventsPastYear9999(t *testing.T) {
	const head = `{"update_id":1,"KEY":{"message_id":5,"from":{"id":7,"is_bot":false,"first_name":"A"},"chat":{"id":-1001,"type":"supergroup"},`
	east := time.FixedZone("UTC+05:30", 5*3600+30*60)
	for _, c := range []struct {
		name, key, body string
		loc             *time.Location
		want            int
	}{
		{"10000-01-01 in UTC", "message", `"date":253402300800,"text":"hi"`, time.UTC, 0},
		{"a leave in 10000", "message", `"date":253402300800,"left_chat_member":{"id":8,"is_bot":false,"first_name":"B"}`, time.UTC, 0},
		{"the last second of 9999 in UTC is 10000 east of it", "message", `"date":253402300799,"text":"hi"`, east, 0},
		{"...and dropped in UTC too, so that the zone does not decide", "message", `"date":253402300799,"text":"hi"`, time.UTC, 0},
		{"the largest date", "message", `"date":9223372036854775807,"text":"hi"`, time.UTC, 0},
		{"an edit in the year 3170843", "edited_message", `"date":1700000000,"edit_date":99999999999999,"text":"hi"`, time.UTC, 0},
		{"9999-12-30T23:59:59Z is kept", "message", `"date":253402214399,"text":"hi"`, time.FixedZone("UTC+23:59", 23*3600+59*60), 1},
		{"the year 5138 is kept", "message", `"date":99999999999,"text":"hi"`, east, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var u models.Update
			if err := json.Unmarshal([]byte(strings.Replace(head, "KEY", c.key, 1)+c.body+"}}"), &u); err != nil {
				t.Fatal(err)
			}
			evs := Events(&u, c.loc)
			if len(evs) != c.want {
				t.Fatalf("got %d events %+v, want %d", len(evs), evs, c.want)
			}
			for _, ev := range evs {
				if err := ev.Validate(); err != nil {
					t.Fatalf("%+v: %v", ev, err)
				}
			}
		})
	}
}
