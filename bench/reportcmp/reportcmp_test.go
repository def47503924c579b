package reportcmp

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// TestWeekLogAgrees runs both engines on the report package's week log
// (joins, leaves, rejoins, members first seen by a message) and requires the
// same rows: the SQL is an independent reading of metrics' definitions.
func TestWeekLogAgrees(t *testing.T) {
	files := []string{"../../report/testdata/week.jsonl"}
	rep, bad, err := Qunops(files, 1)
	if err != nil || bad != 0 {
		t.Fatalf("qunops: %v, %d bad lines", err, bad)
	}
	want := Rows(rep)
	db, err := Open(1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := DuckDB(context.Background(), db, files, rep.TZ)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no rows")
	}
	if d := Diff(want, got, "qunops", "duckdb"); d != "" {
		t.Fatal(d)
	}
}

// TestMessyLogsAgree runs both engines on small seeded logs full of the
// irregular cases the definitions settle: rejoins, leaves of members never
// seen, messages after a leave, a join and a leave in the same second,
// members first seen by a message, events at local midnight, times in UTC and
// +08:00, copied events with the same ID, and days nobody was active in.
func TestMessyLogsAgree(t *testing.T) {
	db, err := Open(2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "messy.jsonl")
			if err := writeMessy(name, seed); err != nil {
				t.Fatal(err)
			}
			rep, bad, err := Qunops([]string{name}, 2)
			if err != nil || bad != 0 {
				t.Fatalf("qunops: %v, %d bad lines", err, bad)
			}
			want := Rows(rep)
			got, err := DuckDB(context.Background(), db, []string{name}, rep.TZ)
			if err != nil {
				t.Fatal(err)
			}
			if d := Diff(want, got, "qunops", "duckdb"); d != "" {
				t.Fatal(d)
			}
		})
	}
}

// writeMessy writes about 600 seeded events over 3 groups of 12 members and
// 12 days, a day in the middle left empty.
func writeMessy(name string, seed uint64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	enc := qunops.NewEncoder(f)
	r := rand.New(rand.NewPCG(seed, 7))
	shanghai := time.FixedZone("", 8*3600)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai)
	types := []qunops.EventType{qunops.Join, qunops.Leave, qunops.Message, qunops.Message, qunops.Roster, qunops.Read}
	var prev qunops.Event
	for i := range 600 {
		day := r.IntN(12)
		if day == 6 {
			day = 7 // day 6 has no events
		}
		sec := r.IntN(86400)
		if r.IntN(10) == 0 {
			sec = 0 // local midnight
		}
		e := qunops.Event{Type: types[r.IntN(len(types))], Group: fmt.Sprintf("g%d@chatroom", r.IntN(3)),
			Member: fmt.Sprintf("m%d", r.IntN(12)), Time: start.AddDate(0, 0, day).Add(time.Duration(sec) * time.Second)}
		if r.IntN(10) < 3 {
			e.Time = e.Time.UTC()
		}
		switch e.Type {
		case qunops.Message:
			e.Kind, e.Text = "text", "hi"
		case qunops.Read:
			e.Item = "news"
		}
		if r.IntN(4) > 0 {
			e.ID = fmt.Sprintf("t:%d", i)
		}
		switch r.IntN(12) {
		case 0:
			if i > 0 {
				e = prev // a copy, same ID
			}
		case 1: // the same member joins and leaves in one second
			if i > 0 && prev.Type == qunops.Join {
				e.Type, e.Group, e.Member, e.Time = qunops.Leave, prev.Group, prev.Member, prev.Time
				e.Kind, e.Text, e.Item = "", "", ""
			}
		}
		if err := enc.Encode(e); err != nil {
			f.Close()
			return err
		}
		prev = e
	}
	return f.Close()
}
