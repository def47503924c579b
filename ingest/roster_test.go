package ingest

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

func TestDiff(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	t1 := t0.Add(24 * time.Hour)
	for _, tc := range []struct {
		name          string
		before, after Snapshot
		want          []string // members who left
		err           string
	}{
		{"one left", Snapshot{t0, []string{"a", "b", "c"}}, Snapshot{t1, []string{"a", "c"}}, []string{"b"}, ""},
		{"joins are not leaves", Snapshot{t0, []string{"a"}}, Snapshot{t1, []string{"a", "z"}}, nil, ""},
		{"all left, repeats and order ignored", Snapshot{t0, []string{"c", "a", "c"}}, Snapshot{t1, nil}, []string{"a", "c"}, ""},
		{"same time", Snapshot{t0, []string{"a"}}, Snapshot{t0, nil}, []string{"a"}, ""},
		{"after before before", Snapshot{t1, []string{"a"}}, Snapshot{t0, nil}, nil, "ingest: diff: after (2026-03-02T08:00:00Z) is before before (2026-03-03T08:00:00Z)"},
		{"zero time", Snapshot{time.Time{}, []string{"a"}}, Snapshot{t1, nil}, nil, "ingest: diff: before: time is zero"},
		{"empty member", Snapshot{t0, []string{"a"}}, Snapshot{t1, []string{""}}, nil, "ingest: diff: after: a member id is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Diff("g@chatroom", tc.before, tc.after)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("Diff error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var left []string
			for _, e := range got {
				left = append(left, e.Member)
				if e.Type != qunops.Leave || !e.Time.Equal(tc.after.Time) || !Inferred(e) || e.Actor != "" {
					t.Errorf("bad inferred leave %+v", e)
				}
			}
			if diff := cmp.Diff(tc.want, left); diff != "" {
				t.Errorf("leavers (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := Diff("", Snapshot{t0, nil}, Snapshot{t1, nil}); err == nil || err.Error() != "ingest: diff: before: group is empty" {
		t.Errorf("empty group: %v", err)
	}
}

// TestDiffProperties: the inferred leavers are exactly before minus after,
// sorted, each a valid event with a stable, distinct ID.
func TestDiffProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ids := rapid.SliceOfN(rapid.StringMatching(`wxid_[a-e]{1,2}`), 0, 20)
		before := ids.Draw(t, "before")
		after := ids.Draw(t, "after")
		t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		t1 := t0.Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, "minutes")) * time.Minute)
		got, err := Diff("g", Snapshot{t0, before}, Snapshot{t1, after})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, m := range before {
			if !slices.Contains(after, m) && !slices.Contains(want, m) {
				want = append(want, m)
			}
		}
		slices.Sort(want)
		var left []string
		seen := map[string]bool{}
		for _, e := range got {
			if err := e.Validate(); err != nil {
				t.Fatal(err)
			}
			if seen[e.ID] {
				t.Fatalf("repeated ID %q", e.ID)
			}
			seen[e.ID] = true
			left = append(left, e.Member)
		}
		if diff := cmp.Diff(want, left); diff != "" {
			t.Fatalf("leavers (-want +got):\n%s", diff)
		}
		again, _ := Diff("g", Snapshot{t0, before}, Snapshot{t1, after})
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("Diff is not deterministic:\n%s", diff)
		}
	})
}

func TestSnapshotEvents(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	got, err := Snapshot{t0, []string{"b", "a", "b"}}.Events("g")
	if err != nil {
		t.Fatal(err)
	}
	want := []qunops.Event{
		{Type: qunops.Roster, Group: "g", Member: "a", Time: t0},
		{Type: qunops.Roster, Group: "g", Member: "b", Time: t0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
