package telegram

import (
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/qunops/qunops"
)

// Events maps an update to the qunops events it stands for: none for
// updates that are not about a group or supergroup, or that carry nothing
// the engine reads (a new chat photo, a pinned message), or whose date (an
// edit's edit_date) is not after 1970-01-01T00:00:00Z and before
// 9999-12-31T00:00:00Z; one per new member for new_chat_members. Times are
// read in loc (nil: qunops.DefaultLocation()).
func Events(u *models.Update, loc *time.Location) []qunops.Event {
	loc = qunops.LocationOr(loc)
	m, edited := u.Message, false
	if m == nil && u.EditedMessage != nil {
		m, edited = u.EditedMessage, true
	}
	if m == nil || (m.Chat.Type != models.ChatTypeGroup && m.Chat.Type != models.ChatTypeSupergroup) {
		return nil
	}
	at, ok := unixIn(m.Date, loc)
	if !ok {
		return nil
	}
	group := strconv.FormatInt(m.Chat.ID, 10)
	id := "telegram:" + group + ":" + strconv.Itoa(m.ID)
	from := sender(m)
	if len(m.NewChatMembers) > 0 {
		evs := make([]qunops.Event, 0, len(m.NewChatMembers))
		for _, j := range m.NewChatMembers {
			uid := strconv.FormatInt(j.ID, 10)
			ev := qunops.Event{Type: qunops.Join, Group: group, Member: uid, Time: at, ID: id + ":join:" + uid, Text: displayName(j)}
			if from != "" && from != uid {
				ev.Actor = from
			}
			evs = append(evs, ev)
		}
		return evs
	}
	if l := m.LeftChatMember; l != nil {
		uid := strconv.FormatInt(l.ID, 10)
		ev := qunops.Event{Type: qunops.Leave, Group: group, Member: uid, Time: at, ID: id}
		if from != "" && from != uid {
			ev.Actor = from
		}
		return []qunops.Event{ev}
	}
	if from == "" {
		return nil
	}
	if m.NewChatTitle != "" {
		if edited {
			return nil // a service message is never edited; nothing to rescan
		}
		// The bot's own setChatTitle, if delivered, is from the bot: a
		// Title of Policy.Self, which the engine records and lets be.
		return []qunops.Event{{Type: qunops.Title, Group: group, Member: from, Time: at, ID: id, Text: m.NewChatTitle}}
	}
	kind, ok := kindOf(m)
	if !ok {
		return nil // a service message: a new photo, a pin...
	}
	ev := qunops.Event{Type: qunops.Message, Group: group, Member: from, Time: at, ID: id, Kind: kind, Text: textOf(m)}
	if edited {
		if ev.Time, ok = unixIn(m.EditDate, loc); !ok {
			return nil
		}
		ev.ID = id + ":edit:" + strconv.Itoa(m.EditDate)
	}
	if r := m.ReplyToMessage; r != nil && !edited {
		cmd, _, _ := strings.Cut(strings.TrimSpace(m.Text), "@") // "/report@qunops_bot"
		if target := sender(r); target != "" && target != from {
			switch cmd {
			case "/report":
				return []qunops.Event{{Type: qunops.Report, Group: group, Member: target, Actor: from, Time: at, ID: id}}
			case "/resolve":
				return []qunops.Event{{Type: qunops.Resolve, Group: group, Member: target, Actor: from, Time: at, ID: id}}
			}
		}
	}
	return []qunops.Event{ev}
}

// unixIn is the Unix time sec read in loc, and false for a sec no message
// has: not after 1970, or on or after 9999-12-31T00:00:00Z. An event cannot
// carry a year of five digits (qunops.Event.Validate: RFC 3339 has four),
// and a time on the last day of 9999 in UTC is already in the year 10000 in
// a zone east of it; so a date such as 253402300800 (10000-01-01 in UTC) is
// dropped like a date of 0, in every zone alike, rather than mapped to an
// event that does not validate.
func unixIn(sec int, loc *time.Location) (time.Time, bool) {
	const end = 253402214400 // 9999-12-31T00:00:00Z
	if sec <= 0 || int64(sec) >= end {
		return time.Time{}, false
	}
	return time.Unix(int64(sec), 0).In(loc), true
}

// sender is the member id of a message: the chat it was sent on behalf of,
// or its user.
func sender(m *models.Message) string {
	if m.SenderChat != nil {
		return strconv.FormatInt(m.SenderChat.ID, 10)
	}
	if m.From != nil {
		return strconv.FormatInt(m.From.ID, 10)
	}
	return ""
}

func displayName(u models.User) string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// kindOf is the message kind of m, and false for a service message.
// Animation is tested before Document: Telegram sets both for a GIF.
func kindOf(m *models.Message) (string, bool) {
	switch {
	case m.ForwardOrigin != nil:
		return qunops.KindForward, true
	case len(m.Photo) > 0, m.Animation != nil:
		return qunops.KindImage, true
	case m.Sticker != nil:
		return qunops.KindSticker, true
	case m.Voice != nil:
		return qunops.KindVoice, true
	case m.Video != nil, m.VideoNote != nil:
		return qunops.KindVideo, true
	case m.Document != nil, m.Audio != nil:
		return qunops.KindFile, true
	case m.Location != nil, m.Venue != nil:
		return qunops.KindLocation, true
	case m.Contact != nil:
		return qunops.KindCard, true
	case m.Poll != nil, m.Dice != nil:
		return qunops.KindOther, true
	case m.Text != "":
		return qunops.KindText, true
	}
	return "", false
}

// textOf is the text or caption of m, with the URLs of its text_link
// entities appended: "click here" linking to a spam site must meet the
// link rule like the bare URL.
func textOf(m *models.Message) string {
	text, ents := m.Text, m.Entities
	if text == "" {
		text, ents = m.Caption, m.CaptionEntities
	}
	for _, e := range ents {
		if e.Type == models.MessageEntityTypeTextLink && e.URL != "" {
			text += " " + e.URL
		}
	}
	return text
}
