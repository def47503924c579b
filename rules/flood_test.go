package rules_test

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
	"pgregory.net/rapid"
)

// TestFloodWindowProperty_F4 checks the flood rule against a brute-force
// sliding window for messages in time order: message i starts a flood when
// at least n messages lie in (t_i - w, t_i] and the message before it did
// not have n in its own window, or a flood ended since the last warning
// (issue 15, item 6: one warning per burst).
func TestFloodWindowProperty_F4(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 6).Draw(t, "n")
		w := time.Duration(rapid.IntRange(1, 10000).Draw(t, "wMs")) * time.Millisecond
		e, err := rules.New(lax(rules.Policy{FloodMessages: n, FloodWindow: w, WarnLimit: 1000,
			Off: []string{rules.RuleRepeat, rules.RuleWelcome}}))
		if err != nil {
			t.Fatal(err)
		}
		gaps := rapid.SliceOfN(rapid.IntRange(0, 3000), 1, 60).Draw(t, "gapsMs")
		at := t0
		var kept []time.Time // every message
		flooding := false
		for i, g := range gaps {
			at = at.Add(time.Duration(g) * time.Millisecond)
			kept = append(kept, at)
			count := 0
			for _, k := range kept {
				if k.After(at.Add(-w)) && !k.After(at) {
					count++
				}
			}
			want := count >= n && !flooding
			flooding = count >= n
			got := len(handle(t, e, qunops.Event{Type: qunops.Message, Group: "g", Member: "m", Time: at, Text: "x"})) > 0
			if got != want {
				t.Fatalf("message %d at +%v: flood %v, want %v (%d in the window)", i, at.Sub(t0), got, want, count)
			}
		}
	})
}
