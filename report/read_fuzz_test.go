package report

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzReadAt: whatever the bytes, reading them in parallel batches of any
// size with any number of workers gives what the sequential Read gives: the
// same report byte for byte, the same first bad lines with the same
// numbers and messages, the same count. The seeds are the kinds of logs
// that cut batches in awkward places: a byte order mark in the middle, CRLF
// and blank lines, a last line without its newline, bad lines where the
// scan of the groups' ends reads (the last quarter of a batch), lines
// whose keys are out of the canonical order, events thousands of years
// apart, one ID on two events, one instant in two UTC offsets.
func FuzzReadAt(f *testing.F) {
	week, err := os.ReadFile("testdata/week.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	lines := strings.SplitAfter(string(week), "\n")
	head := strings.Join(lines[:20], "")
	const g = `"group":"18398001234@chatroom"`
	for _, s := range []string{
		head,
		"\xEF\xBB\xBF" + head + "\xEF\xBB\xBF" + strings.Join(lines[20:30], ""),
		strings.ReplaceAll(head, "\n", "\r\n") + "\n\n" + strings.TrimSuffix(lines[30], "\n"),
		head + "not json\n" + lines[21] + `{"v":1,"type":"join"}` + "\n" + lines[22],
		`{"time":"2026-03-02T09:00:00+08:00","member":"a","type":"message","v":1,` + g + `,"text":"物流好慢"}` + "\n" +
			`{"v":1,"type":"message",` + g + `,"member":"b","time":"2026-03-02T09:00:00Z","id":"x"}` + "\n" +
			`{"v":1,"type":"message",` + g + `,"member":"b","time":"2026-03-02T17:00:00+08:00","id":"x"}` + "\n",
		`{"v":1,"type":"message","group":"g","member":"a","time":"0001-01-01T00:00:00Z"}` + "\n" +
			`{"v":1,"type":"message","group":"g","member":"a","time":"9999-12-31T23:59:59+14:00"}` + "\n" +
			`{"v":1,"type":"leave","group":"g","member":"a","time":"9999-12-31T23:59:59Z"}`,
	} {
		for _, chunk := range []uint16{0, 37, 300} {
			f.Add([]byte(s), chunk, uint8(1))
			f.Add([]byte(s), chunk, uint8(2))
		}
	}
	f.Fuzz(func(t *testing.T, log []byte, chunk uint16, workers uint8) {
		if len(log) > 1<<16 {
			return // longer inputs only slow the fuzzer down
		}
		smallChunks(t, 1+int64(chunk))
		w := 1 + int(workers%4)
		want, wantBad, wantN := readAll(t, log, false, ReadOptions{MaxBad: 3})
		got, gotBad, gotN := readAll(t, log, true, ReadOptions{Workers: w, MaxBad: 3})
		if diff := cmp.Diff(wantBad, gotBad); diff != "" || gotN != wantN {
			t.Fatalf("batches of %d bytes, %d workers: bad lines (-Read +ReadAt), %d counted, want %d:\n%s", batchBytes, w, gotN, wantN, diff)
		}
		if !bytes.Equal(want, got) {
			t.Fatalf("batches of %d bytes, %d workers: report (-Read +ReadAt):\n%s", batchBytes, w, cmp.Diff(string(want), string(got)))
		}
	})
}
