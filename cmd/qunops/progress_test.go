package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgressPrintsAboutOnceASecond(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	p := &progress{w: &buf, start: now, last: now, everyN: 10,
		clock: func() time.Time { now = now.Add(300 * time.Millisecond); return now }}
	for i := 0; i < 100; i++ {
		p.tick()
	}
	// The clock is read every 10 events, 0.3 s later each time; a line is
	// printed once at least a second has passed since the last one: after
	// 40 events (1.2 s) and after 80 (2.4 s), at 40/1.2 = 33 events/s.
	want := "\rqunops: 40 events read, 33 events/s \rqunops: 80 events read, 33 events/s "
	if buf.String() != want {
		t.Errorf("progress wrote %q, want %q", buf.String(), want)
	}
	p.done()
	if !strings.HasSuffix(buf.String(), "\r\033[K") {
		t.Errorf("done must clear the line: %q", buf.String())
	}
}

func TestProgressIsSilentWhenNotATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	for _, w := range []any{&buf, f} {
		var p *progress
		switch w := w.(type) {
		case *bytes.Buffer:
			p = newProgress(w)
		case *os.File:
			p = newProgress(w)
		}
		if p.w != nil {
			t.Errorf("progress enabled for %T, which is not a terminal", w)
		}
		for i := 0; i < 1<<17; i++ {
			p.tick()
		}
		p.done()
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}
