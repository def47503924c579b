package sample

import (
	"bytes"
	"testing"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/golden"
)

// TestGolden pins the sample: the generator's output must equal the file
// checked in at testdata/sample-month.jsonl. Run with -update after a
// deliberate change.
func TestGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "../testdata/sample-month.jsonl", buf.Bytes())
}

func TestEventsAreValidSortedAndUnique(t *testing.T) {
	evs := Events()
	ids := map[string]bool{}
	groups := map[string]int{}
	for i, e := range evs {
		if err := e.Validate(); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if i > 0 && e.Time.Before(evs[i-1].Time) {
			t.Fatalf("event %d is earlier than event %d", i, i-1)
		}
		if ids[e.ID] {
			t.Fatalf("duplicate ID %q", e.ID)
		}
		ids[e.ID] = true
		groups[e.Group]++
	}
	if len(groups) != 3 {
		t.Errorf("%d groups, want 3", len(groups))
	}
	types := map[qunops.EventType]int{}
	for _, e := range evs {
		types[e.Type]++
	}
	for _, typ := range []qunops.EventType{qunops.Roster, qunops.Join, qunops.Leave, qunops.Message, qunops.Read,
		qunops.Claim, qunops.Checkin, qunops.Warn, qunops.Report, qunops.Resolve, qunops.Rename} {
		if types[typ] == 0 {
			t.Errorf("the sample has no %s event", typ)
		}
	}
}

// TestNobodyActsBeforeJoining: a member who joins during the month has no
// earlier event in that group (else metrics would count them as a member
// since before the log began).
func TestNobodyActsBeforeJoining(t *testing.T) {
	first := map[[2]string]qunops.EventType{}
	for _, e := range Events() {
		k := [2]string{e.Group, e.Member}
		if _, ok := first[k]; !ok {
			first[k] = e.Type
		}
	}
	for k, typ := range first {
		if typ != qunops.Roster && typ != qunops.Join {
			t.Errorf("%s in %s is first seen in a %s event", k[1], k[0], typ)
		}
	}
}
