package beam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/report"
)

// TestCombineAnyOrder feeds the CombineFns the events of a group, three
// of them at its last instant with different offsets, one accumulator
// per event, in every order of adds and merges, and checks that the
// group's JSON is the report library's: tiers_at keeps the largest offset
// of the three.
func TestCombineAnyOrder(t *testing.T) {
	lines := []string{
		`{"v":1,"type":"message","group":"g","member":"m0","time":"2026-03-01T09:00:00+08:00","text":"早上好"}`,
		`{"v":1,"type":"message","group":"g","member":"m1","time":"2026-03-04T23:00:00-05:00","text":"收到"}`, // the first at the last instant
		`{"v":1,"type":"message","group":"g","member":"m2","time":"2026-03-05T12:00:00+08:00","text":"好的"}`, // the largest offset
		`{"v":1,"type":"checkin","group":"g","member":"m3","time":"2026-03-05T04:00:00Z"}`,
	}
	var events []qunops.Event
	dec := qunops.NewDecoder(strings.NewReader(strings.Join(lines, "\n")))
	for e, err := range dec.All() {
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	// The reference: one Builder, the events in order.
	ref, err := report.New(report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if err := ref.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := ref.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Groups[0].TiersAt.Format("15:04:05Z07:00"); got != "12:00:00+08:00" {
		t.Fatalf("library tiers_at %s, want the +08:00 of line 3", got)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep.Groups[0]); err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSuffix(buf.String(), "\n")

	set, err := Options{}.encode()
	if err != nil {
		t.Fatal(err)
	}
	add, merge := &addFn{Options: set.Report}, &mergeFn{Options: set.Report}
	if err := add.Setup(); err != nil {
		t.Fatal(err)
	}
	if err := merge.Setup(); err != nil {
		t.Fatal(err)
	}
	for _, order := range permutations(len(events)) {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			// Each event in an accumulator of its own (a shard), merged
			// in this order; the first two also through
			// MergeAccumulators of the first combine.
			var parts []*accum
			for _, i := range order {
				a, err := add.CreateAccumulator()
				if err != nil {
					t.Fatal(err)
				}
				if a, err = add.AddInput(a, events[i]); err != nil {
					t.Fatal(err)
				}
				parts = append(parts, add.ExtractOutput(a))
			}
			first, err := add.MergeAccumulators(parts[0], parts[1])
			if err != nil {
				t.Fatal(err)
			}
			acc, err := merge.CreateAccumulator()
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range append([]*accum{first}, parts[2:]...) {
				if acc, err = merge.AddInput(acc, p); err != nil {
					t.Fatal(err)
				}
			}
			g, err := merge.ExtractOutput(acc)
			if err != nil {
				t.Fatal(err)
			}
			if g.JSON != want {
				t.Errorf("group JSON\n%s\nwant\n%s", g.JSON, want)
			}
			if g.Shards != len(events)-1 {
				t.Errorf("shards %d, want %d", g.Shards, len(events)-1)
			}
		})
	}
}

// permutations returns every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}
