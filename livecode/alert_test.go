package livecode

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type alertRow struct {
	Kind    AlertKind
	Code    string
	Tag     string
	NewName string
}

func rows(as []Alert) []alertRow {
	var out []alertRow
	for _, a := range as {
		out = append(out, alertRow{a.Kind, a.Code, a.Tag, a.NewName})
	}
	return out
}

func TestAlerts(t *testing.T) {
	tests := []struct {
		name  string
		codes []Code
		want  []alertRow
	}{
		{"empty pool is exhausted", nil, []alertRow{{Exhausted, "", "", "group 1"}}},
		{"quiet pool", []Code{{ID: "a", Members: 179}}, nil},
		{"90% of the scan limit is near (default)", []Code{{ID: "a", Members: 180}, {ID: "b"}},
			[]alertRow{{NearLimit, "a", "", ""}}},
		{"every open code near: nearly exhausted", []Code{{ID: "a", Members: 180}, {ID: "b", Members: 200}},
			[]alertRow{{NearLimit, "a", "", ""}, {NearLimit, "b", "", ""}, {NearlyExhausted, "", "", "group 3"}}},
		{"expiring within 24 h, expired at its instant", []Code{{ID: "a", Expires: t0.Add(24 * time.Hour)}, {ID: "b", Expires: t0}, {ID: "c", Expires: t0.Add(25 * time.Hour)}},
			[]alertRow{{Expiring, "a", "", ""}, {Expired, "b", "", ""}}},
		{"per tag group, each with its own new name", []Code{{ID: "a"}, {ID: "bj", Tags: []string{"beijing"}, Members: 200}, {ID: "sh", Tags: []string{"shanghai"}, Members: 200, Cap: 200}},
			[]alertRow{{NearLimit, "bj", "", ""}, {NearLimit, "sh", "", ""}, {Exhausted, "", "beijing", "group 4"}, {Exhausted, "", "shanghai", "group 5"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPool(FillFirst, tc.codes...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, rows(p.Alerts(t0))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("retired codes raise nothing but leave their group exhausted", func(t *testing.T) {
		p, _ := NewPool(FillFirst, Code{ID: "a", Members: 200})
		_ = p.Retire("a", t0)
		want := []alertRow{{Exhausted, "", "", "group 2"}}
		if diff := cmp.Diff(want, rows(p.Alerts(t0))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}
