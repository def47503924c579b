package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/qunops/qunops/adapters/internal/steps"
	"github.com/qunops/qunops/bot"
	"github.com/qunops/qunops/rules"
)

// Perform carries out a, returning nil when it is done; see the package
// documentation for the calls and which errors are permanent.
func (t *Transport) Perform(ctx context.Context, a rules.Action) error {
	switch a.Type {
	case rules.Blacklist:
		return nil // the engine keeps the blacklist; the Remove removes
	case rules.Notify, rules.Escalate:
		uid, err := parseID("member", a.Member)
		if err != nil {
			return err
		}
		_, err = t.client.SendMessage(ctx, &tg.SendMessageParams{ChatID: uid, Text: a.Text})
		return classify("sendMessage", err)
	}
	chat, err := parseID("group", a.Group)
	if err != nil {
		return err
	}
	switch a.Type {
	case rules.Welcome, rules.Warn, rules.Reply, rules.Remind, rules.Post:
		return t.post(ctx, chat, a)
	case rules.Retitle:
		if a.Text == "" {
			return bot.Permanent(fmt.Errorf("telegram: retitle of group %s: text (the name to restore) is empty", a.Group))
		}
		_, err := t.client.SetChatTitle(ctx, &tg.SetChatTitleParams{ChatID: chat, Title: a.Text})
		if notModified(err) {
			return nil // the title already reads a.Text: a retry after a lost answer
		}
		return classify("setChatTitle", err)
	case rules.Recall:
		msg, err := messageID(a.MessageID)
		if err != nil {
			return err
		}
		_, err = t.client.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: chat, MessageID: msg})
		return classify("deleteMessage", err)
	case rules.Remove:
		uid, err := parseID("member", a.Member)
		if err != nil {
			return err
		}
		k := steps.Key(a)
		calls := []func() error{
			func() error {
				_, err := t.client.BanChatMember(ctx, &tg.BanChatMemberParams{ChatID: chat, UserID: uid})
				return classify("banChatMember", err)
			},
			func() error {
				_, err := t.client.UnbanChatMember(ctx, &tg.UnbanChatMemberParams{ChatID: chat, UserID: uid, OnlyIfBanned: true})
				return classify("unbanChatMember", err)
			},
			func() error {
				if a.Text == "" {
					return nil
				}
				return t.post(ctx, chat, a)
			},
		}
		for i, call := range calls {
			if t.memo.Done(k, uint8(i)) {
				continue
			}
			if err := call(); err != nil {
				if bot.IsPermanent(err) {
					t.memo.Forget(k)
				}
				return err
			}
			t.memo.Mark(k, uint8(i))
		}
		t.memo.Forget(k)
		return nil
	}
	return bot.Permanent(fmt.Errorf("telegram: action type %q has no Telegram mapping", a.Type))
}

// post sends a.Text to chat, the members of a.Mentions mentioned first.
func (t *Transport) post(ctx context.Context, chat int64, a rules.Action) error {
	text, ents := t.mention(a.Mentions)
	if text != "" {
		text += " "
	}
	text += a.Text
	_, err := t.client.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: text, Entities: ents})
	return classify("sendMessage", err)
}

// mention writes a mention of each id: "@username" when the username is
// known (Telegram links it itself), else the first name, or "member", under
// a text_mention entity, which links a user without a username. Offsets and
// lengths count UTF-16 code units, as the Bot API's MessageEntity says.
func (t *Transport) mention(ids []string) (string, []models.MessageEntity) {
	var b strings.Builder
	var ents []models.MessageEntity
	off := 0
	for i, id := range ids {
		uid, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteByte(' ')
			off++
		}
		u, known := t.names.get(uid)
		if known && u.Username != "" {
			s := "@" + u.Username
			b.WriteString(s)
			off += utf16Len(s)
			continue
		}
		name := "member"
		if known && strings.TrimSpace(u.FirstName) != "" {
			name = strings.TrimSpace(u.FirstName)
		}
		n := utf16Len(name)
		ents = append(ents, models.MessageEntity{Type: models.MessageEntityTypeTextMention, Offset: off, Length: n, User: &models.User{ID: uid}})
		b.WriteString(name)
		off += n
	}
	return b.String(), ents
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// parseID reads a chat or user id of an action.
func parseID(field, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, bot.Permanent(fmt.Errorf("telegram: action %s %q is not a Telegram id", field, s))
	}
	return id, nil
}

// messageID reads the message id of a Recall's event ID,
// "telegram:<chat>:<message_id>[:...]".
func messageID(eventID string) (int, error) {
	parts := strings.SplitN(eventID, ":", 4)
	if len(parts) < 3 || parts[0] != "telegram" {
		return 0, bot.Permanent(fmt.Errorf("telegram: recall: message id %q is not a Telegram message's (telegram:<chat>:<message_id>)", eventID))
	}
	id, err := strconv.Atoi(parts[2])
	if err != nil || id <= 0 {
		return 0, bot.Permanent(fmt.Errorf("telegram: recall: message id %q has no message number", eventID))
	}
	return id, nil
}

// classify marks the errors a retry cannot cure as permanent: the 4xx
// answers but 429 (TooManyRequestsError, left to the runner's backoff), and
// a chat that migrated to a supergroup.
func classify(method string, err error) error {
	if err == nil {
		return nil
	}
	err = fmt.Errorf("telegram: %s: %w", method, err)
	var mig *tg.MigrateError
	switch {
	case errors.As(err, &mig), errors.Is(err, tg.ErrorBadRequest), errors.Is(err, tg.ErrorUnauthorized),
		errors.Is(err, tg.ErrorForbidden), errors.Is(err, tg.ErrorNotFound), errors.Is(err, tg.ErrorConflict):
		return bot.Permanent(err)
	}
	return err
}

// notModified reports whether err is the Bot API's answer to a
// setChatTitle that changes nothing ("Bad Request: chat title is not
// modified"): the title is already the one asked for, which is what a
// Retitle wants, so it counts as done.
func notModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "not modified")
}
