package rules_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/rules"
)

// TestItem9WholeWordAndLiteral: a policy reaches the matcher's whole-word
// and literal options per keyword list (issue 15, item 9: Warnable "class"
// warned on "a classic run" in English and Telegram groups).
func TestItem9WholeWordAndLiteral(t *testing.T) {
	var p rules.Policy
	doc := `{"prohibited":["c++"],"warnable":["class"],"prohibited_match":{"literal":true},"warnable_match":{"whole_word":true},` +
		`"replies":[{"keywords":["hours"],"text":"9 to 5","match":{"whole_word":true}}]}`
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(p); string(b) != doc {
		t.Errorf("round trip:\n%s\nwant\n%s", b, doc)
	}
	run(t, p, []step{
		on(msg("a", 0, "a classic run")),
		on(msg("b", 0, "join my class today"), warn("b", rules.RuleKeyword, 1)),
		on(msg("c", 0, "c + + is noise here")),
		on(msg("d", 0, "c++ jobs"), removed("d", rules.RuleProhibited, 0)...),
		on(msg("e", 0, "office-hours?"), act{rules.Reply, "g1", "e", rules.RuleReply, 0}),
		on(msg("f", 0, "workhours")),
	})
	// Without the options, the same keywords match inside words and across
	// noise, as before.
	run(t, rules.Policy{Warnable: []string{"class"}}, []step{
		on(msg("a", 0, "a classic run"), warn("a", rules.RuleKeyword, 1)),
	})
	var bad rules.Policy
	err := json.Unmarshal([]byte(`{"warnable_match":{"wholeword":true}}`), &bad)
	if err == nil || !strings.Contains(err.Error(), `"wholeword"`) {
		t.Errorf("unknown key in warnable_match: %v", err)
	}
	if diff := cmp.Diff(rules.Policy{}, bad); diff != "" {
		t.Errorf("a rejected policy changed (-want +got):\n%s", diff)
	}
}
