package report

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// TestBuilderStateMachine checks a Builder against a model, the list of
// events it was given, whose report is the two-pass reference: events are
// added one by one, merged in from other builders, and the builder is
// shipped through its binary form, in any interleaving; Build (which must
// not change the builder) always gives the model's report. Events come
// from a pool in which each ID names one event, and come again.
func TestBuilderStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pool := drawReplays(t)
		if len(pool) == 0 {
			return
		}
		pick := rapid.IntRange(0, len(pool)-1)
		b := mustNew(t, Options{})
		var model []qunops.Event
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				e := pool[pick.Draw(t, "event")]
				if err := b.Add(e); err != nil {
					t.Fatal(err)
				}
				model = append(model, e)
			},
			"merge": func(t *rapid.T) {
				o := mustNew(t, Options{})
				for range rapid.IntRange(0, 8).Draw(t, "shard size") {
					e := pool[pick.Draw(t, "event")]
					if err := o.Add(e); err != nil {
						t.Fatal(err)
					}
					model = append(model, e)
				}
				if err := b.Merge(o); err != nil {
					t.Fatal(err)
				}
			},
			"ship": func(t *rapid.T) {
				data, err := b.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				nb := mustNew(t, Options{})
				if err := nb.UnmarshalBinary(data); err != nil {
					t.Fatal(err)
				}
				b = nb
			},
			"": func(t *rapid.T) {
				want := twoPass(t, model, Options{})
				if got := buildOf(t, b); !bytes.Equal(want, got) {
					t.Fatalf("builder differs from the model (-want +got):\n%s", cmp.Diff(string(want), string(got)))
				}
			},
		})
	})
}
