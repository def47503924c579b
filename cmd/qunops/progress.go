package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress prints a line on a terminal's standard error about once a
// second during long runs (events read, events per second), and nothing
// when standard error is not a terminal.
type progress struct {
	w      io.Writer // nil when disabled
	n      int64
	start  time.Time
	last   time.Time
	shown  bool
	clock  func() time.Time
	everyN int64
}

func newProgress(w io.Writer) *progress {
	p := &progress{clock: time.Now, everyN: 1 << 16}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.w = w
			p.start = p.clock()
			p.last = p.start
		}
	}
	return p
}

func (p *progress) tick() {
	p.n++
	if p.w == nil || p.n%p.everyN != 0 {
		return
	}
	now := p.clock()
	if now.Sub(p.last) < time.Second {
		return
	}
	p.last = now
	rate := float64(p.n) / now.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\rqunops: %d events read, %.0f events/s ", p.n, rate)
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
