package rules_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/rules"
)

// TestItem7RecallMessageID: a Recall carries the message's event ID in
// MessageID (JSON "message_id") and no Text; a message without an ID gets
// no Recall (issue 15, item 7: the Recall of an event without an ID had an
// empty Text, and Text meant a message id for Recall only).
func TestItem7RecallMessageID(t *testing.T) {
	e, err := rules.New(lax(rules.Policy{Recall: true}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]act{warn("s", rules.RuleLink, 1)}, acts(handle(t, e, msg("s", 0, "t.cn/x")))); diff != "" {
		t.Errorf("a message without an ID (-want +got):\n%s", diff)
	}
	got := handle(t, e, withID(msg("u", 0, "t.cn/x"), "chatlog:42"))
	if len(got) != 2 || got[0].Type != rules.Recall {
		t.Fatalf("a message with an ID gave %+v, want a Recall and a Warn", got)
	}
	if r := got[0]; r.MessageID != "chatlog:42" || r.Text != "" || r.Member != "u" {
		t.Errorf("Recall = %+v, want MessageID chatlog:42, no Text, Member u", r)
	}
	if got[1].MessageID != "" {
		t.Errorf("the Warn carries MessageID %q", got[1].MessageID)
	}
	b, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"message_id":"chatlog:42"`) || strings.Contains(string(b), `"text"`) {
		t.Errorf("Recall JSON %s, want message_id and no text", b)
	}
	var back rules.Action
	if err := json.Unmarshal(b, &back); err != nil || back.MessageID != "chatlog:42" {
		t.Errorf("Recall JSON read back as %+v, %v", back, err)
	}
}
