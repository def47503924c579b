package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecodeOnlyCountsEveryLineOnce checks the floor run: whatever the
// number of workers, each line is decoded by exactly one of them, so the
// events and bad lines add up to those of the file, cuts that fall inside a
// line, on a newline or past the last one included.
func TestDecodeOnlyCountsEveryLineOnce(t *testing.T) {
	good := `{"v":1,"type":"message","group":"g1@chatroom","member":"u1","time":"2026-03-01T10:00:00+08:00","id":"m1","kind":"text","text":"你好"}`
	var b strings.Builder
	wantEvents, wantBad := 0, 0
	for i := range 40 {
		switch {
		case i%7 == 3:
			b.WriteString(`{"v":1,"type":"message"` + "\n") // cut short: a bad line
			wantBad++
		case i%11 == 5:
			b.WriteString("\n") // blank lines are skipped
		default:
			b.WriteString(good + "\n")
			wantEvents++
		}
	}
	b.WriteString(good) // no newline at the end
	wantEvents++
	name := filepath.Join(t.TempDir(), "log.jsonl")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 3, 8, 64, 5000} {
		events, bad, err := decodeOnly([]string{name, name}, workers)
		if err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if events != 2*wantEvents || bad != 2*wantBad {
			t.Errorf("%d workers: %d events and %d bad lines, want %d and %d", workers, events, bad, 2*wantEvents, 2*wantBad)
		}
	}
	if _, _, err := decodeOnly([]string{filepath.Join(t.TempDir(), "missing.jsonl")}, 2); err == nil {
		t.Error("a missing file gave no error")
	}
}
