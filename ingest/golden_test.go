package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/golden"
)

func shanghai(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// render imports in and returns the events as JSON Lines (group renames
// among them, as title events) and a report of the row errors and stats.
func render(t *testing.T, format string, in io.Reader, opts Options) (events, report []byte) {
	t.Helper()
	r, err := NewReader(format, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	var ev, rep bytes.Buffer
	enc := qunops.NewEncoder(&ev)
	for {
		e, err := r.Decode()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			fmt.Fprintf(&rep, "error: %v\n", err)
			continue
		}
		if err != nil {
			fmt.Fprintf(&rep, "final: %v\n", err)
			break
		}
		if err := e.Validate(); err != nil {
			t.Errorf("event %+v does not validate: %v", e, err)
		}
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Fprintf(&rep, "stats: %+v\n", r.Stats())
	return ev.Bytes(), rep.Bytes()
}

// TestGolden imports a small hand-made export of each format and compares
// the events (JSON Lines, group renames as title events) and the report
// (row errors with their lines, counts) with the golden files. Run with -update after a
// deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	loc := shanghai(t)
	for _, tc := range []struct {
		name, format, input string
		opts                Options
	}{
		{"chatlog", Chatlog, "chatlog.json", Options{Self: "wxid_me"}},
		{"chatlog_members", Chatlog, "chatlog.json", Options{Members: map[string]string{"Bob": "wxid_bob"}}},
		{"chatlog_group_filter", Chatlog, "chatlog.json", Options{Group: "2002@chatroom", Self: "wxid_me"}},
		{"chatlog_csv", ChatlogCSV, "chatlog.csv", Options{Location: loc}},
		{"wechatmsg", WeChatMsg, "wechatmsg.csv", Options{Location: loc, Group: "1001@chatroom", Self: "wxid_me"}},
		{"pywxdump", PyWxDump, "pywxdump.csv", Options{Location: loc, Self: "wxid_me"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tc.input))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ev, rep := render(t, tc.format, f, tc.opts)
			golden.Check(t, filepath.Join("testdata", "golden", tc.name+".jsonl"), ev)
			golden.Check(t, filepath.Join("testdata", "golden", tc.name+".txt"), rep)
		})
	}
}
