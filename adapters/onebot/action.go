package onebot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/qunops/qunops/adapters/internal/steps"
	"github.com/qunops/qunops/bot"
	"github.com/qunops/qunops/rules"
)

// Perform carries out a, returning nil when it is done. An error marked
// permanent (see the package documentation) is not worth retrying; any other
// error is.
func (t *Transport) Perform(ctx context.Context, a rules.Action) error {
	switch a.Type {
	case rules.Welcome, rules.Warn, rules.Reply, rules.Remind, rules.Post:
		return t.call(ctx, "send_message", groupMessage(a))
	case rules.Notify, rules.Escalate:
		return t.call(ctx, "send_message", map[string]any{
			"detail_type": "private", "user_id": a.Member, "message": []outSegment{textSegment(a.Text)}})
	case rules.Remove:
		k := steps.Key(a)
		if !t.memo.Done(k, 0) {
			err := t.call(ctx, t.cfg.KickAction, map[string]any{"group_id": a.Group, "user_id": a.Member})
			if err != nil {
				return err
			}
			t.memo.Mark(k, 0)
		}
		if a.Text != "" {
			if err := t.call(ctx, "send_message", groupMessage(a)); err != nil {
				if bot.IsPermanent(err) {
					t.memo.Forget(k)
				}
				return err
			}
		}
		t.memo.Forget(k)
		return nil
	case rules.Recall:
		id, ok := strings.CutPrefix(a.MessageID, MessageIDPrefix)
		if !ok || id == "" {
			return bot.Permanent(fmt.Errorf("onebot: recall: message id %q is not a OneBot message's (%s...)", a.MessageID, MessageIDPrefix))
		}
		return t.call(ctx, "delete_message", map[string]any{"message_id": id})
	case rules.Retitle:
		if a.Text == "" {
			return bot.Permanent(fmt.Errorf("onebot: retitle of group %q: text (the name to restore) is empty", a.Group))
		}
		// The standard action (specs/interface/group/actions.md at 463baed).
		return t.call(ctx, "set_group_name", map[string]any{"group_id": a.Group, "group_name": a.Text})
	case rules.Blacklist:
		return nil // the engine keeps the blacklist; the Remove removes
	}
	return bot.Permanent(fmt.Errorf("onebot: action type %q has no OneBot mapping", a.Type))
}

// outSegment is a message segment of an action request.
type outSegment struct {
	Type string            `json:"type"`
	Data map[string]string `json:"data"`
}

func textSegment(s string) outSegment {
	return outSegment{Type: "text", Data: map[string]string{"text": s}}
}

// groupMessage is the send_message of a post in a.Group: a mention segment
// for each of a.Mentions (specs/interface/message/type.md, "mention"), then
// the text.
func groupMessage(a rules.Action) map[string]any {
	msg := make([]outSegment, 0, len(a.Mentions)+1)
	for _, m := range a.Mentions {
		msg = append(msg, outSegment{Type: "mention", Data: map[string]string{"user_id": m}})
	}
	text := a.Text
	if len(a.Mentions) > 0 {
		text = " " + text
	}
	msg = append(msg, textSegment(text))
	return map[string]any{"detail_type": "group", "group_id": a.Group, "message": msg}
}

// response is an action response (specs/connect/data-protocol/action-response.md).
type response struct {
	Status  string          `json:"status"`
	Retcode *int64          `json:"retcode"`
	Data    json.RawMessage `json:"data"`
	Message string          `json:"message"`
}

// Error is a failed action response: the action, its retcode and message.
type Error struct {
	Action  string
	Retcode int64
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("onebot: %s: retcode %d: %s", e.Action, e.Retcode, e.Message)
}

// call posts one action request and reads its response.
func (t *Transport) call(ctx context.Context, action string, params any) error {
	body, err := json.Marshal(map[string]any{"action": action, "params": params})
	if err != nil {
		return bot.Permanent(fmt.Errorf("onebot: %s: %v", action, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.cfg.APIURL, bytes.NewReader(body))
	if err != nil {
		return bot.Permanent(fmt.Errorf("onebot: %s: %v", action, err))
	}
	req.Header.Set("Content-Type", "application/json")
	if t.cfg.AccessToken != "" {
		req.Header.Set("Authorization", "Bearer "+t.cfg.AccessToken)
	}
	resp, err := t.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("onebot: %s: %w", action, err) // a network error: retry
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("onebot: %s: reading the response: %w", action, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusUnsupportedMediaType:
		// A wrong token or URL: retrying cannot help (http.md, "错误").
		return bot.Permanent(fmt.Errorf("onebot: %s: HTTP %d", action, resp.StatusCode))
	default:
		return fmt.Errorf("onebot: %s: HTTP %d", action, resp.StatusCode)
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil || r.Retcode == nil || (r.Status != "ok" && r.Status != "failed") {
		return fmt.Errorf("onebot: %s: not an action response: %.200q", action, raw)
	}
	if r.Status == "ok" && *r.Retcode == 0 {
		return nil
	}
	e := &Error{Action: action, Retcode: *r.Retcode, Message: r.Message}
	if permanentRetcode(e.Retcode) {
		return bot.Permanent(e)
	}
	return e
}

// permanentRetcode reports whether a retcode says that a retry cannot help:
// the request errors 1xxxx and the logic errors 35xxx (action-response.md,
// "返回码"). Handler errors (2xxxx), database, filesystem, network and
// platform errors (31xxx-34xxx) and "I am tired" (36xxx) may pass.
func permanentRetcode(c int64) bool {
	return (c >= 10000 && c < 20000) || (c >= 35000 && c < 36000)
}
